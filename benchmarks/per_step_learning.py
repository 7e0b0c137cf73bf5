"""How fast each model learns per training step, at the TF tutorial's sizes.

The TensorFlow NMT-with-attention tutorial's model (re-implemented here from
its description: embedding = units = 256, a bidirectional GRU encoder whose
directions are summed, a GRU decoder started from zeros, one-head
``MultiHeadAttention`` added to the decoder output with a residual and a
layer norm, a dense output layer) against the package's
``Seq2SeqAttention`` (Luong decoder, additive attention, the same sizes)
with each of its output heads. All train on the same Spanish -> English
batches (word level, 5,000 words per language, batch 64, Adam 1e-3, the
same seed) for the same number of steps; the JSON gives the validation loss
(masked cross-entropy per target token) every ``--every`` steps.

    .venv/bin/python benchmarks/per_step_learning.py
    # writes benchmarks/results/per_step_learning.json

Needs the corpus (``$SEQ2SEQ_ATTENTION_DATA`` or ../shared/data). Steps, not
seconds, are compared, so other load on the machine does not change the
result (only how long it takes).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
_SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
if "SEQ2SEQ_ATTENTION_DATA" not in os.environ and _SHARED.is_dir():
    os.environ["SEQ2SEQ_ATTENTION_DATA"] = str(_SHARED)

import keras  # noqa: E402
from bleu_budget import held_out_split  # noqa: E402
from report import write_report  # noqa: E402

from seq2seq_attention import data  # noqa: E402
from seq2seq_attention.metrics import masked_loss  # noqa: E402
from seq2seq_attention.models import Seq2SeqAttention  # noqa: E402


class TutorialModel(keras.Model):
    """The tutorial's architecture, written from its description."""

    def __init__(self, source_vocab, target_vocab, units=256):
        super().__init__()
        self.source_embedding = keras.layers.Embedding(
            source_vocab, units, mask_zero=True
        )
        self.encoder = keras.layers.Bidirectional(
            keras.layers.GRU(
                units,
                return_sequences=True,
                recurrent_initializer="glorot_uniform",
            ),
            merge_mode="sum",
        )
        self.target_embedding = keras.layers.Embedding(
            target_vocab, units, mask_zero=True
        )
        self.decoder = keras.layers.GRU(
            units,
            return_sequences=True,
            recurrent_initializer="glorot_uniform",
        )
        self.attention = keras.layers.MultiHeadAttention(
            num_heads=1, key_dim=units
        )
        self.norm = keras.layers.LayerNormalization()
        self.logits = keras.layers.Dense(target_vocab)

    def call(self, inputs):
        source, target_in = inputs
        context = self.encoder(self.source_embedding(source))
        x = self.decoder(self.target_embedding(target_in))
        x = self.norm(x + self.attention(query=x, value=context))
        return self.logits(x)


class Every(keras.callbacks.Callback):
    """Validation loss every ``n`` steps."""

    def __init__(self, n, validation):
        super().__init__()
        self.n, self.validation, self.curve = n, validation, []

    def on_train_batch_end(self, batch, logs=None):
        if (batch + 1) % self.n == 0:
            loss = self.model.evaluate(self.validation, verbose=0)
            loss = loss[0] if isinstance(loss, list) else loss
            self.curve.append((batch + 1, round(float(loss), 4)))
            print(
                f"  step {batch + 1}: validation loss {loss:.3f}", flush=True
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "per_step_learning.json",
    )
    parser.add_argument("--steps", type=int, default=650)
    parser.add_argument("--every", type=int, default=130)
    parser.add_argument(
        "--models", nargs="+", default=["tutorial", "layer_norm", "tanh"]
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    split = held_out_split(args.seed)
    tokenizers = [
        data.train_tokenizer(texts, level="word", vocab_size=5000)
        for texts in ([s for s, _ in split.train], [t for _, t in split.train])
    ]
    train = data.make_dataset(
        split.train, *tokenizers, batch_size=64, seed=args.seed
    ).repeat()
    validation = data.make_dataset(
        split.validation, *tokenizers, batch_size=256, shuffle=False
    )
    sizes = [t.vocabulary_size() for t in tokenizers]
    results = []
    for name in args.models:
        keras.utils.set_random_seed(args.seed)
        if name == "tutorial":
            model = TutorialModel(*sizes)
        else:
            model = Seq2SeqAttention(
                *sizes,
                embedding_dim=256,
                units=256,
                decoder="luong",
                attention="additive",
                combine=name,
            )
        model.compile(
            optimizer=keras.optimizers.Adam(1e-3), loss=masked_loss()
        )
        every = Every(args.every, validation)
        print(name, flush=True)
        model.fit(
            train,
            epochs=1,
            steps_per_epoch=args.steps,
            callbacks=[every],
            verbose=0,
        )
        results.append(
            {
                "model": name,
                "curve": every.curve,
                "final_validation_loss": every.curve[-1][1],
            }
        )
    write_report(
        args.out,
        "per_step_learning",
        "validation loss after equal training steps, tutorial vs "
        "package (Spanish->English, word level, batch 64)",
        args,
        results,
        sizes={"units": 256, "embedding_dim": 256, "vocab": 5000},
    )


if __name__ == "__main__":
    main()
