"""How much data does an attention model need? Quality against training-set
size.

Trains the same small attention model (Luong decoder, additive score) on ``N``
examples of a task for the *same number of updates* (so small sets are seen
many times over), for several ``N``, and measures exact match and per-character
accuracy on held-out examples that the training sets never contain. ``--task
dates`` uses the dates task; any other name is a task of
:mod:`seq2seq_attention.tasks`.

    # writes benchmarks/results/data_hunger.json
    .venv/bin/python benchmarks/data_hunger.py

The chapter "FAQ" runs a small version live. This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras
from report import write_report

from seq2seq_attention import data, dates, tasks
from seq2seq_attention.metrics import MaskedTokenAccuracy, masked_loss
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.translator import Translator


def make_pairs(task, n, seed, min_length, max_length):
    if task == "dates":
        return dates.generate_dates(n, seed=seed)
    return tasks.generate(
        task, n, min_length=min_length, max_length=max_length, seed=seed
    )


def run(
    task,
    size,
    pool,
    test,
    steps,
    batch_size,
    units,
    embedding_dim,
    min_length,
    max_length,
):
    train_pairs = pool[:size]
    # Vocabularies from the whole pool, so that every size sees the same ids.
    src = data.make_vectorizer([s for s, _ in pool], level="character")
    tgt = data.make_vectorizer([t for _, t in pool], level="character")
    dataset = data.make_dataset(
        train_pairs, src, tgt, batch_size=batch_size, seed=0
    ).repeat()
    keras.utils.set_random_seed(0)
    model = Seq2SeqAttention(
        src.vocabulary_size(),
        tgt.vocabulary_size(),
        embedding_dim=embedding_dim,
        units=units,
        decoder="luong",
        attention="additive",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss=masked_loss(),
        metrics=[MaskedTokenAccuracy()],
    )
    start = time.perf_counter()
    history = model.fit(
        dataset, epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False
    )
    seconds = time.perf_counter() - start
    translator = Translator(model, src, tgt)

    def score(pairs):
        outputs = [t.text for t in translator.translate([s for s, _ in pairs])]
        bins = [(min(len(s) for s, _ in pairs), max(len(s) for s, _ in pairs))]
        return tasks.score_by_length(
            [s for s, _ in pairs], outputs, [t for _, t in pairs], bins
        )[0]

    row = score(test)
    # as many training pairs as test pairs (or all)
    train_row = score(train_pairs[: len(test)])
    return {
        "task": task,
        "train_size": size,
        "steps": steps,
        "epochs_equivalent": steps * batch_size / size,
        # averaged over the updates
        "train_token_accuracy": float(history.history["masked_accuracy"][-1]),
        "train_exact_match": train_row["exact_match"],
        "test_exact_match": row["exact_match"],
        "test_char_accuracy": row["char_accuracy"],
        "test_size": len(test),
        "train_seconds": seconds,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "data_hunger.json",
    )
    parser.add_argument("--task", default="dates")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[250, 500, 1000, 2000, 4000, 8000],
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=600,
        help="updates per run, the same for every size",
    )
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument("--embedding-dim", type=int, default=32)
    parser.add_argument("--min-length", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=12)
    parser.add_argument("--test-size", type=int, default=500)
    args = parser.parse_args()

    pool = make_pairs(
        args.task, max(args.sizes), 0, args.min_length, args.max_length
    )
    seen = {s for s, _ in pool}
    test = [
        p
        for p in make_pairs(
            args.task, 3 * args.test_size, 1, args.min_length, args.max_length
        )
        if p[0] not in seen
    ][: args.test_size]
    results = []
    for size in args.sizes:
        row = run(
            args.task,
            size,
            pool,
            test,
            args.steps,
            args.batch_size,
            args.units,
            args.embedding_dim,
            args.min_length,
            args.max_length,
        )
        results.append(row)
        print(
            f"N={size:6d}  train exact {row['train_exact_match']:.3f}  test "
            f"exact {row['test_exact_match']:.3f}  test char "
            f"{row['test_char_accuracy']:.3f}  "
            f"({row['train_seconds']:.0f} s)",
            flush=True,
        )
    write_report(
        args.out,
        "data_hunger",
        "test exact match and per-character accuracy of one attention model "
        "trained for a fixed number of updates on N examples, for "
        "several N",
        args,
        results,
    )


if __name__ == "__main__":
    main()
