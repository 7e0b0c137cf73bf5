"""How do attention's time and memory grow with sequence length?

Self-attention-sized work: every one of ``n`` queries attends over ``n`` keys
(``tgt_len = src_len = n``), so the score matrix has ``n * n`` entries per
sentence. For each layer of :mod:`seq2seq_attention.attention` and each length
``n`` this measures the compiled (``tf.function``) forward pass, the median of
``--repeats`` timings after a warm-up, and records the bytes of the weights
tensor ``(batch, n, n)`` (and, for the additive score, of its hidden tensor
``(batch, n, n, units)``, which is what limits it first). A quadratic
``a n^2 + b n + c`` is fitted to each layer's times.

    # writes benchmarks/results/attention_scaling.json
    .venv/bin/python benchmarks/attention_scaling.py

The chapter "FAQ" runs a small version of the same measurement live and plots
this file. This is a measurement, not a test: nothing here asserts a time.
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

# one tf.function per configuration: retracing is expected
tf.get_logger().setLevel("ERROR")

from seq2seq_attention.attention import get_attention


def median_seconds(fn, repeats):
    np.asarray(fn())  # warm-up: tracing and compilation
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.asarray(fn())  # np.asarray waits for the result
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def bench(score, n, batch, dim, units, repeats):
    keras.utils.set_random_seed(0)
    layer = get_attention(score, units=units)
    rng = np.random.default_rng(0)
    # (batch, n, dim): every position asks
    query = tf.constant(rng.normal(size=(batch, n, dim)), tf.float32)
    # (batch, n, dim)
    keys = tf.constant(rng.normal(size=(batch, n, dim)), tf.float32)
    _, weights = layer(query, keys)  # build; weights (batch, n, n)
    forward = tf.function(lambda: layer(query, keys)[0])
    hidden_bytes = batch * n * n * units * 4 if score == "additive" else 0
    return {
        "layer": score,
        "n": n,
        "batch": batch,
        "dim": dim,
        "units": units if score == "additive" else None,
        "forward_ms": 1e3 * median_seconds(forward, repeats),
        "weights_bytes": int(np.asarray(weights).nbytes),  # batch * n * n * 4
        "largest_intermediate_bytes": max(
            int(np.asarray(weights).nbytes), hidden_bytes
        ),
    }


def quadratic_fit(ns, ms):
    """Least-squares ``a n^2 + b n + c`` through the points; returns a dict."""
    a, b, c = np.polyfit(np.asarray(ns, float), np.asarray(ms, float), 2)
    n = max(ns)
    return {
        "a": float(a),
        "b": float(b),
        "c": float(c),
        "quadratic_share_at_max_n": float(
            a * n * n / (a * n * n + abs(b) * n + abs(c))
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "attention_scaling.json",
    )
    parser.add_argument(
        "--layers", nargs="+", default=["scaled_dot", "general", "additive"]
    )
    parser.add_argument(
        "--lengths",
        type=int,
        nargs="+",
        default=[32, 64, 128, 256, 384, 512, 768, 1024],
    )
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument(
        "--units",
        type=int,
        default=16,
        help="hidden size of the additive score",
    )
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    results, fits = [], {}
    for score in args.layers:
        rows = []
        for n in args.lengths:
            row = bench(
                score, n, args.batch, args.dim, args.units, args.repeats
            )
            rows.append(row)
            print(
                f"{score:10s} n={n:5d}  forward {row['forward_ms']:9.3f} "
                f"ms  weights {row['weights_bytes'] / 2**20:8.2f} MiB  "
                "largest "
                f"{row['largest_intermediate_bytes'] / 2**20:8.2f} MiB",
                flush=True,
            )
        results += rows
        fits[score] = quadratic_fit(
            [r["n"] for r in rows], [r["forward_ms"] for r in rows]
        )
        print(f"{score:10s} fit: {fits[score]}", flush=True)

    write_report(
        args.out,
        "attention_scaling",
        "median milliseconds of one forward pass (tf.function) with n "
        "queries over n keys, bytes of the (batch, n, n) weights, and a "
        "quadratic fit of time against n",
        args,
        results,
        fits=fits,
    )


if __name__ == "__main__":
    main()
