"""Headline generation: a plain attention decoder against a pointer-generator.

Generated news reports -> headlines (seq2seq_attention.tasks.headlines): the
headline must copy names, places and figures that are mostly outside the
vocabulary, and the test reports' names never occur in training. For each seed
both models (same encoder, Luong decoder with additive attention, same sizes)
train with early stopping on validation reports, then summarize 1,000 test
reports with greedy decoding and beam search; the report gives ROUGE-1/2/L
(rouge-score), how many of the names and figures were copied exactly, exact
match, and for the pointer-generator the mean copy gate on copied and on
generated words.

    # writes benchmarks/results/summarization.json:
    .venv/bin/python benchmarks/summarization.py
    # a quick look:
    .venv/bin/python benchmarks/summarization.py --seeds 0 --train 3000 \
        --out /tmp/s.json

A measurement, not a test: tests/test_pointer.py asserts the behaviour.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from report import write_report  # noqa: E402  (benchmarks/report.py)

from seq2seq_attention import data  # noqa: E402
from seq2seq_attention.metrics import masked_loss  # noqa: E402
from seq2seq_attention.models import Seq2SeqAttention  # noqa: E402
from seq2seq_attention.pointer import PointerGenerator, pointer_dataset  # noqa: E402
from seq2seq_attention.summarizer import Summarizer  # noqa: E402
from seq2seq_attention.summary_metrics import evaluate_summaries  # noqa: E402
from seq2seq_attention.tasks import headlines  # noqa: E402
from seq2seq_attention.translator import Translator  # noqa: E402


def datasets(kind, train, validation, vectorizer, args, seed):
    pairs = [(item.text, item.headline) for item in train]
    held = [(item.text, item.headline) for item in validation]
    if kind == "pointer":
        vocabulary = data.vectorizer_config(vectorizer)["vocabulary"]
        return (
            pointer_dataset(
                pairs,
                vocabulary,
                args.max_oovs,
                batch_size=args.batch_size,
                seed=seed,
            ),
            pointer_dataset(held, vocabulary, args.max_oovs, shuffle=False),
        )
    return (
        data.make_dataset(
            pairs,
            vectorizer,
            vectorizer,
            batch_size=args.batch_size,
            seed=seed,
        ),
        data.make_dataset(held, vectorizer, vectorizer, shuffle=False),
    )


def train_model(kind, train, validation, vectorizer, args, seed):
    keras.utils.set_random_seed(seed)
    size = vectorizer.vocabulary_size()
    if kind == "pointer":
        model = PointerGenerator(
            size,
            max_oovs=args.max_oovs,
            embedding_dim=args.embedding_dim,
            units=args.units,
        )
    else:
        model = Seq2SeqAttention(
            size, size, embedding_dim=args.embedding_dim, units=args.units
        )
    model.compile(
        optimizer=keras.optimizers.Adam(args.learning_rate), loss=masked_loss()
    )
    train_ds, val_ds = datasets(
        kind, train, validation, vectorizer, args, seed
    )
    start = time.perf_counter()
    history = model.fit(
        train_ds,
        validation_data=val_ds,
        epochs=args.epochs,
        verbose=2,
        callbacks=[
            keras.callbacks.EarlyStopping(
                patience=2, restore_best_weights=True
            )
        ],
    )
    seconds = time.perf_counter() - start
    if kind == "pointer":
        return (
            Summarizer(model, vectorizer),
            len(history.history["loss"]),
            seconds,
            model.count_params(),
        )
    return (
        Translator(model, vectorizer, vectorizer),
        len(history.history["loss"]),
        seconds,
        model.count_params(),
    )


def summaries(kind, system, texts, method):
    if kind == "pointer":
        return system.summarize(texts, method=method)
    return system.translate(texts, method=method, max_length=30)


def words(result):
    """The written words joined by spaces, as the references are (a
    translator's ``text`` is detokenized: no space before ``.``)."""
    return " ".join(t for t in result.target_tokens if t != data.END)


def gate_means(results, test):
    """Mean copy gate p_gen on the headline's fact words, and elsewhere."""
    on_facts, elsewhere = [], []
    for result, item in zip(results, test):
        for token, gate in zip(result.target_tokens, result.gates):
            if token == data.END:
                continue
            (on_facts if token in item.facts else elsewhere).append(
                float(gate)
            )
    return round(float(np.mean(on_facts)), 4), round(
        float(np.mean(elsewhere)), 4
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument(
        "--train", type=int, default=10_000, help="training reports"
    )
    parser.add_argument("--test", type=int, default=1_000)
    parser.add_argument(
        "--max-tokens",
        type=int,
        default=300,
        help="vocabulary size, reserved ids included",
    )
    parser.add_argument("--max-oovs", type=int, default=20)
    parser.add_argument("--embedding-dim", type=int, default=32)
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=5e-3)
    parser.add_argument(
        "--epochs",
        type=int,
        default=20,
        help="cap; early stopping ends most runs",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "summarization.json",
    )
    args = parser.parse_args()

    train = headlines.generate_news(args.train, seed=0)
    validation = headlines.generate_news(500, seed=2, split="test")
    test = headlines.generate_news(args.test, seed=1, split="test")
    vectorizer = data.make_vectorizer(
        [t for item in train for t in (item.text, item.headline)],
        max_tokens=args.max_tokens,
    )
    known = set(data.vectorizer_config(vectorizer)["vocabulary"])
    facts = [f for item in test for f in item.facts]
    oov = {
        "test_source_words": float(
            np.mean(
                [w not in known for item in test for w in item.text.split()]
            )
        ),
        "test_facts": float(np.mean([f not in known for f in facts])),
    }
    print("out of vocabulary:", oov, flush=True)
    texts = [item.text for item in test]
    rows = []
    for seed in args.seeds:
        for kind in ("plain", "pointer"):
            system, epochs, seconds, parameters = train_model(
                kind, train, validation, vectorizer, args, seed
            )
            for method in ("greedy", "beam"):
                results = summaries(kind, system, texts, method)
                scores = evaluate_summaries(
                    [words(r) for r in results],
                    [i.headline for i in test],
                    [i.facts for i in test],
                )
                row = {
                    "model": kind,
                    "seed": seed,
                    "decoding": method,
                    "epochs_run": epochs,
                    "train_seconds": round(seconds, 1),
                    "parameters": parameters,
                    **{k: round(v, 4) for k, v in scores.items()},
                }
                if kind == "pointer":
                    row["mean_gate_on_facts"], row["mean_gate_elsewhere"] = (
                        gate_means(results, test)
                    )
                print(row, flush=True)
                rows.append(row)
    write_report(
        args.out,
        "summarization",
        "Generated news reports -> headlines with names, places and "
        "figures outside the vocabulary: plain attention decoder vs "
        "pointer-generator (ROUGE F1 in [0, 1], fact copy rates)",
        args,
        rows,
        out_of_vocabulary=oov,
        vocabulary_size=vectorizer.vocabulary_size(),
    )


if __name__ == "__main__":
    main()
