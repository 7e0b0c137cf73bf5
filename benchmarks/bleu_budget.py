"""BLEU on the spa-eng test split after a fixed CPU budget, for both decoders.

Trains each decoder at the TensorFlow NMT tutorial's sizes (units 256,
embedding 256, 5,000-word vocabularies, batch 64) on the full English-Spanish
corpus until its process has used ``--cpu-minutes`` of CPU time (all threads
counted: on an idle 2-core machine, 20 CPU-minutes are about 10-12 minutes of
wall time), then decodes the test split greedily and scores it with sacreBLEU
(BLEU and chrF, all reference translations of each source).

A CPU-time budget rather than a wall-clock one: other work on the machine
slows the run down but does not change how much training it gets.

    SEQ2SEQ_ATTENTION_DATA=../shared/data \
        .venv/bin/python benchmarks/bleu_budget.py
    # writes benchmarks/results/bleu_budget.json

Needs the corpus (``$SEQ2SEQ_ATTENTION_DATA`` or ``../shared/data``); it never
downloads. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
_SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
if "SEQ2SEQ_ATTENTION_DATA" not in os.environ and _SHARED.is_dir():
    os.environ["SEQ2SEQ_ATTENTION_DATA"] = str(_SHARED)

import keras
from report import write_report  # benchmarks/report.py

from seq2seq_attention import data
from seq2seq_attention.metrics import (
    MaskedTokenAccuracy,
    evaluate_translator,
    masked_loss,
)
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.translator import Translator


class CpuBudget(keras.callbacks.Callback):
    """Stop training once the process has used ``seconds`` of CPU time."""

    def __init__(self, seconds):
        super().__init__()
        self.seconds, self.steps, self.stopped_in_epoch = seconds, 0, None

    def on_train_begin(self, logs=None):
        self.start = time.process_time()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if time.process_time() - self.start >= self.seconds:
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        if self.model.stop_training and self.stopped_in_epoch is None:
            self.stopped_in_epoch = epoch


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "bleu_budget.json",
    )
    parser.add_argument("--cpu-minutes", type=float, default=20.0)
    parser.add_argument("--decoders", nargs="+", default=["luong", "bahdanau"])
    parser.add_argument("--attention", default="additive")
    parser.add_argument("--test-sentences", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    try:
        corpus = data.load_spa_eng(download=False)
    except data.CorpusNotFoundError as error:
        sys.exit(
            "bleu_budget: needs the spa-eng corpus and never downloads.\n"
            f"{error}"
        )
    pairs = data.prepare_pairs(corpus.pairs, max_length=20)
    split = data.split_by_source(pairs, seed=args.seed)
    source_vectorizer = data.make_vectorizer(
        [s for s, _ in split.train], max_tokens=5000
    )
    target_vectorizer = data.make_vectorizer(
        [t for _, t in split.train], max_tokens=5000
    )
    train_data = data.make_dataset(
        split.train,
        source_vectorizer,
        target_vectorizer,
        batch_size=64,
        seed=args.seed,
    )
    test_pairs = split.test
    print(
        f"spa-eng: {len(split.train)} training pairs, {len(split.test)} "
        f"test pairs; budget {args.cpu_minutes} CPU-minutes per decoder",
        flush=True,
    )

    results = []
    for decoder in args.decoders:
        keras.utils.set_random_seed(args.seed)
        model = Seq2SeqAttention(
            source_vectorizer.vocabulary_size(),
            target_vectorizer.vocabulary_size(),
            embedding_dim=256,
            units=256,
            decoder=decoder,
            attention=args.attention,
        )
        model.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss=masked_loss(),
            metrics=[MaskedTokenAccuracy()],
        )
        budget = CpuBudget(args.cpu_minutes * 60)
        wall = time.perf_counter()
        history = model.fit(
            train_data,
            epochs=1000,
            callbacks=[budget],
            verbose=2,
            shuffle=False,
        )
        wall = time.perf_counter() - wall
        translator = Translator(model, source_vectorizer, target_vectorizer)
        decode_start = time.perf_counter()
        scores = evaluate_translator(
            translator, test_pairs, metric="bleu", limit=args.test_sentences
        )
        decode_seconds = time.perf_counter() - decode_start
        examples = [
            {"source": t.source, "translation": t.text, "references": r}
            for t, r in list(
                zip(scores["translations"], scores["references"])
            )[:5]
        ]
        row = {
            "decoder": decoder,
            "attention": args.attention,
            "cpu_minutes": args.cpu_minutes,
            "training_wall_seconds": wall,
            "steps": budget.steps,
            "epochs_started": len(history.history["loss"]),
            "final_train_loss": history.history["loss"][-1],
            "test_sentences": scores["sentences"],
            "bleu": scores["bleu"],
            "chrf": scores["chrf"],
            "greedy_decoding_seconds": decode_seconds,
            "examples": examples,
        }
        results.append(row)
        print(
            f"{decoder}: {budget.steps} steps in {wall:.0f} s wall; test "
            f"BLEU {scores['bleu']:.1f}, chrF {scores['chrf']:.1f} on "
            f"{scores['sentences']} sentences",
            flush=True,
        )

    write_report(
        args.out,
        "bleu_budget",
        "test BLEU/chrF (sacreBLEU, greedy decoding) after a fixed CPU-time "
        "budget of training",
        args,
        results,
        model_sizes={
            "units": 256,
            "embedding_dim": 256,
            "vocab_size": 5000,
            "batch_size": 64,
            "max_length": 20,
        },
    )


if __name__ == "__main__":
    main()
