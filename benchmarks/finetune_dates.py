"""Sample efficiency of fine-tuning on the dates task: English -> Spanish.

Pretrains a translator on English dates (the CLI's quick profile: 20,000
generated examples, Bahdanau decoder), then, for each N in ``--sizes``,
trains on N Spanish dates (day-first numbers, Spanish month names, "3 de marzo
de 2015"):

- ``scratch``: the same architecture from random weights;
- ``finetune``: every part trainable;
- ``freeze encoder``: embeddings and encoder fixed, attention and decoder
  trained;
- ``freeze decoder``: attention and decoder fixed, embeddings and encoder
  trained;
- ``finetune + 20% old``: every part trainable, a fifth of each batch replayed
  English dates.

and scores exact match on 1,000 held-out Spanish dates (the new domain) and
1,000 held-out English dates (forgetting). Every run has the same epoch cap and
early stopping on 200 Spanish validation dates.

    # writes benchmarks/results/finetune_dates.json
    .venv/bin/python benchmarks/finetune_dates.py
    # a quick look
    .venv/bin/python benchmarks/finetune_dates.py --sizes 50 --seeds 0

The pretrained model is cached in ``--work`` (re-used when present). A
measurement, not a test: tests/test_dates_quick_run.py asserts the behaviour.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras
from report import write_report

from seq2seq_attention import cli, commands, dates
from seq2seq_attention.finetune import finetune, train_from_scratch
from seq2seq_attention.metrics import evaluate_translator

CONDITIONS = {
    "finetune": dict(freeze_parts=[]),
    "freeze encoder": dict(freeze_parts=["embeddings", "encoder"]),
    "freeze decoder": dict(freeze_parts=["attention", "decoder"]),
    "finetune + 20% old": dict(freeze_parts=[], mix_old=0.2),
}


def pretrained(work):
    """The English translator, trained once with the command line and
    cached."""
    path = work / "english" / "translator.keras"
    if not path.exists():
        status = cli.main(
            [
                "train",
                "--data",
                "dates",
                "--out",
                str(work / "english"),
                "--profile",
                "quick",
                "--seed",
                "0",
            ]
        )
        if status != 0:
            sys.exit("pretraining failed")
    return keras.saving.load_model(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[50, 200, 1000]
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument(
        "--epochs",
        type=int,
        default=40,
        help="epoch cap of every run (early stopping ends most)",
    )
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/finetune_dates")
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "finetune_dates.json",
    )
    args = parser.parse_args()

    english = pretrained(args.work)
    spanish_pool = dates.generate_dates(max(args.sizes), seed=101, domain="es")
    spanish_validation = dates.generate_dates(200, seed=102, domain="es")
    spanish_test = dates.generate_dates(1000, seed=103, domain="es")
    # what the CLI pretrained on
    english_train = dates.generate_dates(20_000, seed=0)
    english_test = dates.generate_dates(1000, seed=commands.DATES_TEST_SEED)

    def exact(translator, pairs):
        return evaluate_translator(translator, pairs, metric="exact")[
            "exact_match"
        ]

    results = [
        {
            "condition": "pretrained (no Spanish)",
            "n": 0,
            "seed": None,
            "spanish": exact(english, spanish_test),
            "english": exact(english, english_test),
        }
    ]
    print(results[-1])
    for n in args.sizes:
        train = spanish_pool[:n]
        for seed in args.seeds:
            start = time.perf_counter()
            fresh, history = train_from_scratch(
                english,
                train,
                spanish_validation,
                epochs=args.epochs,
                patience=6,
                seed=seed,
                verbose=0,
            )
            results.append(
                {
                    "condition": "scratch",
                    "n": n,
                    "seed": seed,
                    "spanish": exact(fresh, spanish_test),
                    "english": exact(fresh, english_test),
                    "epochs": len(history.history["loss"]),
                    "seconds": round(time.perf_counter() - start, 1),
                }
            )
            print(results[-1], flush=True)
            for name, options in CONDITIONS.items():
                start = time.perf_counter()
                result = finetune(
                    english,
                    train,
                    spanish_validation,
                    old_pairs=english_test,
                    old_train_pairs=english_train,
                    epochs=args.epochs,
                    patience=6,
                    seed=seed,
                    verbose=0,
                    **options,
                )
                results.append(
                    {
                        "condition": name,
                        "n": n,
                        "seed": seed,
                        "spanish": result.report["new_after"]["exact_match"],
                        "english": result.report["old_after"]["exact_match"],
                        "epochs": result.report["epochs_run"],
                        "seconds": round(time.perf_counter() - start, 1),
                    }
                )
                print(results[-1], flush=True)
    write_report(
        args.out,
        "finetune_dates",
        "exact match on 1,000 Spanish and 1,000 English test dates after "
        "training on N Spanish dates: from scratch, or fine-tuning an "
        "English-dates translator",
        args,
        results,
    )


if __name__ == "__main__":
    main()
