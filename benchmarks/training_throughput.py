"""Training throughput of both decoders, in target tokens per second.

At the TensorFlow NMT tutorial's sizes (units 256, embedding 256, vocabularies
of 5,000, batch 64), on random token ids whose lengths follow spa-eng's
(sources and targets of 4 to 16 tokens, padded per batch). Each figure is the
median over ``--repeats`` timed epochs of ``--steps`` batches after one
warm-up epoch, counting real (non-padding) target tokens only.

    # writes benchmarks/results/training_throughput.json
    .venv/bin/python benchmarks/training_throughput.py

A measurement, not a test. Do not run two of these at once on a 2-core machine.
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

from seq2seq_attention.metrics import masked_loss
from seq2seq_attention.models import Seq2SeqAttention


def random_batches(steps, batch, vocab, seed):
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(steps):
        src_len, tgt_len = (
            rng.integers(4, 17, batch),
            rng.integers(4, 17, batch),
        )
        source = np.zeros((batch, src_len.max()), "int32")
        target = np.zeros((batch, tgt_len.max() + 1), "int32")
        for i in range(batch):
            source[i, : src_len[i]] = rng.integers(4, vocab, src_len[i])
            target[i, : tgt_len[i] + 1] = rng.integers(
                4, vocab, tgt_len[i] + 1
            )
        batches.append(((source, target[:, :-1]), target[:, 1:]))
    return batches


def measure(decoder, attention, args):
    keras.utils.set_random_seed(0)
    model = Seq2SeqAttention(
        args.vocab,
        args.vocab,
        embedding_dim=args.units,
        units=args.units,
        decoder=decoder,
        attention=attention,
    )
    model.compile(optimizer="adam", loss=masked_loss())
    batches = random_batches(args.steps, args.batch, args.vocab, seed=1)
    tokens = sum(int(np.count_nonzero(y)) for _, y in batches)

    def dataset():
        return tf.data.Dataset.from_generator(
            lambda: iter(batches),
            output_signature=(
                (
                    tf.TensorSpec((None, None), tf.int32),
                    tf.TensorSpec((None, None), tf.int32),
                ),
                tf.TensorSpec((None, None), tf.int32),
            ),
            # so fit knows the epoch's end
        ).apply(tf.data.experimental.assert_cardinality(len(batches)))

    # warm-up: tracing
    model.fit(dataset(), epochs=1, verbose=0, shuffle=False)
    seconds = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        model.fit(dataset(), epochs=1, verbose=0, shuffle=False)
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    return {
        "decoder": decoder,
        "attention": attention,
        "target_tokens_per_epoch": tokens,
        "epoch_seconds": seconds,
        "median_epoch_seconds": median,
        "target_tokens_per_second": tokens / median,
        "steps_per_second": args.steps / median,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "training_throughput.json",
    )
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--vocab", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--attention", nargs="+", default=["additive", "dot"])
    args = parser.parse_args()
    results = []
    for decoder in ("luong", "bahdanau"):
        for attention in args.attention:
            row = measure(decoder, attention, args)
            results.append(row)
            print(
                f"{decoder:9s} {attention:9s} "
                f"{row['target_tokens_per_second']:8.0f} target tokens/s "
                f"({row['steps_per_second']:.2f} steps/s, median of "
                f"{args.repeats})",
                flush=True,
            )
    write_report(
        args.out,
        "training_throughput",
        "fit() throughput on random ids with spa-eng-like lengths: real "
        "target tokens per second",
        args,
        results,
    )


if __name__ == "__main__":
    main()
