"""The Transformer against the RNN + attention model on the same dates task.

Both models get the same data (the training chapter's: 10,000 generated dates,
split by source with seed 0, character vocabularies, bucketed batches of 64),
the same optimiser (Adam, learning rate 1e-3), the same loss and the same
number of epochs. Reported for each:

- quality: exact match of greedy decoding on the first ``--test`` held-out
  test dates (their inputs never seen in training);
- training throughput: real (non-padding) target tokens per second, from the
  median epoch time over epochs 2..E (epoch 1 also traces the graph);
- decoding time: median over ``--repeats`` runs of translating the test dates
  (strings in, strings out, batches of 64), after one warm-up run. The RNN
  uses the package's compiled ``tf.while_loop`` decoder, which carries its
  state from step to step; the Transformer uses
  :func:`seq2seq_attention.transformer.greedy_decode`, which runs the decoder
  again over the whole prefix at every step (no key/value cache).

    # writes benchmarks/results/transformer_vs_rnn.json
    .venv/bin/python benchmarks/transformer_vs_rnn.py

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
from report import write_report

from seq2seq_attention import data, dates, transformer
from seq2seq_attention.metrics import (
    MaskedTokenAccuracy,
    exact_match,
    group_references,
    masked_loss,
)
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.translator import Translator


class EpochTimer(keras.callbacks.Callback):
    """Wall-clock seconds of every epoch."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def make_model(kind, src_vocab, tgt_vocab, args):
    if kind == "rnn":
        return Seq2SeqAttention(
            src_vocab,
            tgt_vocab,
            embedding_dim=args.embedding_dim,
            units=args.units,
            decoder="luong",
            attention="additive",
        )
    return transformer.Transformer(
        src_vocab,
        tgt_vocab,
        d_model=args.d_model,
        num_heads=args.heads,
        d_ff=args.d_ff,
        num_layers=args.layers,
        dropout=args.dropout,
    )


def measure(kind, seed, split, src_vec, tgt_vec, train_ds, args):
    keras.utils.set_random_seed(seed)
    model = make_model(
        kind, src_vec.vocabulary_size(), tgt_vec.vocabulary_size(), args
    )
    model.compile(
        optimizer=keras.optimizers.Adam(args.learning_rate),
        loss=masked_loss(),
        metrics=[MaskedTokenAccuracy()],
    )
    timer = EpochTimer()
    start = time.perf_counter()
    history = model.fit(
        train_ds,
        epochs=args.epochs,
        verbose=0,
        shuffle=False,
        callbacks=[timer],
    )
    training_seconds = time.perf_counter() - start
    # real target tokens per epoch
    tokens = sum(int(np.count_nonzero(y)) for _, y in train_ds)
    steady = statistics.median(timer.seconds[1:] or timer.seconds)

    sources, references = group_references(split.test)
    sources, references = sources[: args.test], references[: args.test]
    translator = Translator(model, src_vec, tgt_vec) if kind == "rnn" else None

    def translate(texts):
        if translator is not None:
            return [t.text for t in translator.translate(texts)]
        return transformer.translate(model, texts, src_vec, tgt_vec)

    translate(sources[:64])  # warm-up: traces the decoder
    decode_seconds, hypotheses = [], None
    for _ in range(args.repeats):
        start = time.perf_counter()
        hypotheses = translate(sources)
        decode_seconds.append(time.perf_counter() - start)
    decode = statistics.median(decode_seconds)
    return {
        "model": kind,
        "seed": seed,
        "parameters": int(model.count_params()),
        "epochs": args.epochs,
        "exact_match": exact_match(hypotheses, references),
        "test_sentences": len(sources),
        "final_train_loss": float(history.history["loss"][-1]),
        "final_train_token_accuracy": float(
            history.history["masked_accuracy"][-1]
        ),
        "training_seconds": training_seconds,
        "epoch_seconds": timer.seconds,
        "median_epoch_seconds_after_first": steady,
        "target_tokens_per_epoch": tokens,
        "train_target_tokens_per_second": tokens / steady,
        "decode_seconds": decode_seconds,
        "median_decode_seconds": decode,
        "decode_sentences_per_second": len(sources) / decode,
        "examples": [[s, h] for s, h in zip(sources[:5], hypotheses[:5])],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "transformer_vs_rnn.json",
    )
    parser.add_argument(
        "--examples",
        type=int,
        default=10_000,
        help="dates generated (then split 80/10/10)",
    )
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--test", type=int, default=1000)
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="timed decoding runs (median reported)",
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument(
        "--embedding-dim",
        type=int,
        default=64,
        help="RNN (the quick profile's)",
    )
    parser.add_argument(
        "--units", type=int, default=128, help="RNN (the quick profile's)"
    )
    parser.add_argument("--d-model", type=int, default=64, help="Transformer")
    parser.add_argument("--heads", type=int, default=4, help="Transformer")
    parser.add_argument("--d-ff", type=int, default=256, help="Transformer")
    parser.add_argument(
        "--layers",
        type=int,
        default=2,
        help="Transformer: encoder and decoder layers each",
    )
    parser.add_argument(
        "--dropout", type=float, default=0.1, help="Transformer"
    )
    parser.add_argument("--models", nargs="+", default=["rnn", "transformer"])
    args = parser.parse_args()

    pairs = dates.generate_dates(args.examples, seed=0)
    split = data.split_by_source(pairs, seed=0)
    src_vec = data.make_vectorizer(
        [s for s, _ in split.train], level="character"
    )
    tgt_vec = data.make_vectorizer(
        [t for _, t in split.train], level="character"
    )
    train_ds = data.make_dataset(
        split.train, src_vec, tgt_vec, batch_size=args.batch, seed=0, buckets=4
    )
    results = []
    for seed in args.seeds:
        for kind in args.models:
            row = measure(kind, seed, split, src_vec, tgt_vec, train_ds, args)
            results.append(row)
            print(
                f"{kind:11s} seed {seed}: exact match "
                f"{row['exact_match']:.1%}, "
                f"{row['train_target_tokens_per_second']:,.0f} target "
                f"tokens/s in training, {row['training_seconds']:.0f} s "
                f"for {args.epochs} epochs, decoding "
                f"{row['decode_sentences_per_second']:,.0f} sentences/s "
                f"({row['parameters']:,} parameters)",
                flush=True,
            )
    write_report(
        args.out,
        "transformer_vs_rnn",
        "dates task: exact match, training throughput and greedy decoding "
        "time of the RNN + attention model (Luong decoder) and the "
        "Transformer, same data, optimiser and epochs",
        args,
        results,
        training_pairs=len(split.train),
    )


if __name__ == "__main__":
    main()
