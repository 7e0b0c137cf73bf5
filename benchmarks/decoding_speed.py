"""Decoding speed and quality: greedy vs beam search on spa-eng test sentences.

For a saved translator (``seq2seq-attention train ... --out DIR`` writes
``DIR/translator.keras`` and ``DIR/split``), on ``--sentences`` test
sentences decoded in batches of ``--batch``:

- sentences per second for greedy decoding and beam search, k in ``--beams``;
- the ratio of batched greedy decoding time to one teacher-forced forward pass
  over the same batches (the forward pass is the compute lower bound: decoding
  does the same work one step at a time). The course's goal is at most 2x;
- BLEU and chrF (sacreBLEU) for each method, and the mean output length.

Times are medians of ``--repeats`` runs after a warm-up (tracing).

    .venv/bin/python benchmarks/decoding_speed.py --run runs/spa-eng
    # writes benchmarks/results/decoding_speed.json

A measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras
import numpy as np
import tensorflow as tf
from report import write_report

from seq2seq_attention import data
from seq2seq_attention.decoding import beam_search, greedy_decode
from seq2seq_attention.metrics import (
    corpus_bleu,
    corpus_chrf,
    group_references,
)


def median_time(fn, repeats):
    """Median seconds of ``repeats`` calls after a warm-up call (tracing); also
    the warm-up's result."""
    result = fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--run",
        type=Path,
        required=True,
        help="a run folder with translator.keras and split/",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "decoding_speed.json",
    )
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--alpha", type=float, default=0.6)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    translator = keras.saving.load_model(args.run / "translator.keras")
    model = translator.seq2seq
    sources, references = group_references(
        data.Split.load(args.run / "split").test
    )
    sources, references = (
        sources[: args.sentences],
        references[: args.sentences],
    )
    batches = [
        translator.encode_sources(sources[i : i + args.batch])[0]
        for i in range(0, len(sources), args.batch)
    ]
    # Teacher forcing needs target inputs: use the first reference of each
    # sentence, as the model would see it.
    target_vectorizer = data.vectorizer_from_config(translator.target_config)
    target_batches = []
    for i in range(0, len(sources), args.batch):
        ids = data.encode(
            [r[0] for r in references[i : i + args.batch]], target_vectorizer
        )
        target_batches.append(ids.to_tensor(default_value=0)[:, :-1])
    forward = tf.function(lambda s, t: model((s, t)), reduce_retracing=True)

    def teacher_forced():
        for source, target in zip(batches, target_batches):
            forward(tf.constant(source), target).numpy()

    def translate(method, k=None):
        texts = []
        for source in batches:
            if method == "greedy":
                out = greedy_decode(model, source)
                texts += [
                    translator._detokenize(out.tokens[r, : out.lengths[r]])
                    for r in range(len(source))
                ]
            else:
                out = beam_search(model, source, beam_size=k, alpha=args.alpha)
                texts += [
                    translator._detokenize(
                        out.tokens[r, 0, : out.lengths[r, 0]]
                    )
                    for r in range(len(source))
                ]
        return texts

    forward_seconds, _ = median_time(teacher_forced, args.repeats)
    rows = []
    for method, k in [("greedy", None)] + [("beam", k) for k in args.beams]:
        seconds, texts = median_time(
            lambda method=method, k=k: translate(method, k), args.repeats
        )
        row = {
            "method": method if k is None else f"beam{k}",
            "beam_size": k,
            "seconds": seconds,
            "sentences_per_second": len(sources) / seconds,
            "bleu": corpus_bleu(texts, references),
            "chrf": corpus_chrf(texts, references),
            "mean_output_words": float(
                np.mean([len(t.split()) for t in texts])
            ),
        }
        if method == "greedy":
            row["ratio_to_teacher_forced_pass"] = seconds / forward_seconds
        rows.append(row)
        print(
            f"{row['method']:7s} {row['sentences_per_second']:7.1f} "
            f"sentences/s  BLEU {row['bleu']:5.1f}  chrF "
            f"{row['chrf']:5.1f}  {row['mean_output_words']:.1f} words"
            + (
                f"  ({row['ratio_to_teacher_forced_pass']:.1f}x a "
                "teacher-forced pass)"
                if method == "greedy"
                else ""
            ),
            flush=True,
        )

    write_report(
        args.out,
        "decoding_speed",
        "batched decoding speed and quality on spa-eng test sentences; "
        "greedy vs teacher-forced pass",
        args,
        rows,
        model=model.get_config() | {"name": None},
        teacher_forced_pass_seconds=forward_seconds,
    )


if __name__ == "__main__":
    main()
