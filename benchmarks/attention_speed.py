"""How fast is each attention layer, and how does it grow with sentence length?

Measures the compiled (``tf.function``) forward pass and forward + backward
pass of every layer in :mod:`seq2seq_attention.attention` for

- one decoder step (query ``(batch, units)``), the shape of step-by-step
  decoding;
- all decoder steps at once (query ``(batch, tgt_len, units)`` with
  ``tgt_len = src_len``), the shape of teacher-forced training,

at batch 64 and 256 units (the TensorFlow NMT tutorial's sizes), for several
source lengths. Each figure is the median of ``--repeats`` timings of
``--iterations`` calls, after a warm-up. Results go to a JSON file.

    # writes benchmarks/results/attention_speed.json
    .venv/bin/python benchmarks/attention_speed.py
    TF_ENABLE_ONEDNN_OPTS=1 .venv/bin/python benchmarks/attention_speed.py \
        --out /tmp/onednn_on.json

This is a measurement, not a test: nothing here asserts a time.
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

# Each configuration gets its own tf.function on purpose; TensorFlow's
# "excessive retracing" warning about that is expected here.
tf.get_logger().setLevel("ERROR")

from seq2seq_attention import (
    AdditiveAttention,
    DotAttention,
    GeneralAttention,
    ScaledDotProductAttention,
)

LAYERS = {
    "additive": lambda units: AdditiveAttention(units=units),
    "dot": lambda units: DotAttention(),
    "general": lambda units: GeneralAttention(),
    "scaled_dot": lambda units: ScaledDotProductAttention(),
}


def median_seconds(fn, iterations, repeats):
    fn()  # warm-up: tracing and compilation
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(iterations):
            result = fn()
        np.asarray(result)  # wait for the last call to finish
        timings.append((time.perf_counter() - start) / iterations)
    return statistics.median(timings)


def bench_layer(name, units, batch, src_len, all_steps, iterations, repeats):
    keras.utils.set_random_seed(0)
    layer = LAYERS[name](units)
    rng = np.random.default_rng(0)
    q_shape = (batch, src_len, units) if all_steps else (batch, units)
    query = tf.constant(rng.normal(size=q_shape), tf.float32)
    keys = tf.constant(rng.normal(size=(batch, src_len, units)), tf.float32)
    lengths = rng.integers(src_len // 2, src_len + 1, size=batch)
    # realistic padding
    mask = tf.constant(np.arange(src_len)[None] < lengths[:, None])
    layer(query, keys, mask=mask)  # build

    forward = tf.function(lambda: layer(query, keys, mask=mask)[0])

    @tf.function
    def forward_backward():
        with tf.GradientTape() as tape:
            tape.watch([query, keys])
            context, _ = layer(query, keys, mask=mask)
            loss = tf.reduce_sum(context)
        return tape.gradient(loss, [query, keys] + layer.trainable_variables)[
            0
        ]

    return {
        "layer": name,
        "mode": "all_steps" if all_steps else "one_step",
        "batch": batch,
        "units": units,
        "src_len": src_len,
        "tgt_len": src_len if all_steps else 1,
        "forward_ms": 1e3 * median_seconds(forward, iterations, repeats),
        "forward_backward_ms": 1e3
        * median_seconds(forward_backward, iterations, repeats),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "attention_speed.json",
    )
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument(
        "--lengths", type=int, nargs="+", default=[8, 16, 32, 64]
    )
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    results = []
    for all_steps in (False, True):
        for name in LAYERS:
            for src_len in args.lengths:
                row = bench_layer(
                    name,
                    args.units,
                    args.batch,
                    src_len,
                    all_steps,
                    args.iterations,
                    args.repeats,
                )
                results.append(row)
                print(
                    f"{row['mode']:9s} {name:10s} src_len={src_len:3d}  "
                    f"forward {row['forward_ms']:8.3f} ms  "
                    f"forward+backward {row['forward_backward_ms']:8.3f} "
                    "ms",
                    flush=True,
                )

    write_report(
        args.out,
        "attention_speed",
        "median milliseconds per call of each attention layer "
        "(tf.function), forward and forward+backward",
        args,
        results,
    )


if __name__ == "__main__":
    main()
