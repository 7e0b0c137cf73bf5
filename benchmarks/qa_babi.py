"""QA on generated bAbI-style stories: a memory network vs a same-size GRU.

For each task (one supporting fact, two supporting facts; 10-30 sentences per
story) and seed, trains on generated stories and scores 1,000 test stories
(other seeds) for:

- ``memory``: :class:`~seq2seq_attention.qa_models.MemoryNetwork`, one hop per
  supporting fact, linear start for the two-fact task;
- ``reader``: :class:`~seq2seq_attention.qa_models.StoryReader`, a GRU over the
  same sentence vectors and then the question, no attention, with as many
  parameters as the memory network.

It records test accuracy, and for the memory network how often each hop's
largest attention weight lands on each supporting sentence.

    # writes benchmarks/results/qa_babi.json:
    .venv/bin/python benchmarks/qa_babi.py
    # a quick look:
    .venv/bin/python benchmarks/qa_babi.py --seeds 0 --train 2000 \
        --out /tmp/qa.json

A measurement, not a test: tests/test_qa.py asserts the behaviour.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
from report import write_report  # noqa: E402  (benchmarks/report.py)

from seq2seq_attention import qa_models  # noqa: E402
from seq2seq_attention.tasks import qa  # noqa: E402

# Per task: hops (one per fact), linear-start epochs, epochs.
TASKS = {"one_fact": (1, 0, 15), "two_facts": (2, 8, 30)}


def arrays(task, n, seed, vectorizer=None):
    stories = qa.generate_stories(task, n, seed=seed)
    vectorizer = vectorizer or qa_models.make_qa_vectorizer(stories)
    encoded = qa_models.encode_stories(
        stories, vectorizer, max_sentences=30, max_words=8
    )
    return encoded, vectorizer


def run(task, model_kind, seed, args, train, test, vocab_size):
    hops, linear_start, epochs = TASKS[task]
    keras.utils.set_random_seed(seed)
    memory = qa_models.MemoryNetwork(
        vocab_size, 30, embedding_dim=args.dim, hops=hops
    )
    if model_kind == "memory":
        model = memory
    else:
        units = qa_models.StoryReader.units_for(
            memory.count_params(), vocab_size, args.dim
        )
        model = qa_models.StoryReader(
            vocab_size, embedding_dim=args.dim, units=units
        )
        linear_start = 0
    start = time.perf_counter()
    qa_models.train_qa(
        model,
        train,
        epochs=epochs,
        linear_start=linear_start,
        learning_rate=args.learning_rate,
        batch_size=args.batch_size,
        seed=seed,
    )
    seconds = time.perf_counter() - start
    result = qa_models.evaluate_qa(model, test)
    row = {
        "task": task,
        "model": model_kind,
        "seed": seed,
        "parameters": model.count_params(),
        "hops": hops if model_kind == "memory" else None,
        "epochs": epochs,
        "linear_start_epochs": linear_start,
        "train_seconds": round(seconds, 1),
        "test_accuracy": round(result["accuracy"], 4),
    }
    if result["hits"] is not None:
        # hits[h][f]: fraction of stories whose hop h points hardest at
        # supporting fact f.
        row["support_hits"] = [
            [round(float(x), 4) for x in hop] for hop in result["hits"]
        ]
    print(row, flush=True)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tasks", nargs="+", default=list(TASKS), choices=list(TASKS)
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument(
        "--train", type=int, default=10_000, help="training stories per task"
    )
    parser.add_argument("--test", type=int, default=1_000)
    parser.add_argument("--dim", type=int, default=32, help="embedding size")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=5e-3)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "qa_babi.json",
    )
    args = parser.parse_args()

    rows = []
    for task in args.tasks:
        train, vectorizer = arrays(task, args.train, seed=0)
        test, _ = arrays(task, args.test, seed=1, vectorizer=vectorizer)
        for seed in args.seeds:
            for model_kind in ("memory", "reader"):
                rows.append(
                    run(
                        task,
                        model_kind,
                        seed,
                        args,
                        train,
                        test,
                        vectorizer.vocabulary_size(),
                    )
                )
    write_report(
        args.out,
        "qa_babi",
        "Test accuracy on generated bAbI-style stories (tasks 1 and 2 "
        "style, 10-30 sentences), memory network vs a GRU reader of the "
        "same size, and where each hop's attention points",
        args,
        rows,
        stories={"train_seed": 0, "test_seed": 1, "sentences": [10, 30]},
    )


if __name__ == "__main__":
    main()
