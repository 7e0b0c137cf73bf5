"""Draw the landing page's figure, images/landing_attention.png (committed).

    .venv/bin/python tools/make_landing_figure.py   # about a minute on a CPU

Trains the dates model of the decoding chapter (human-written dates in, ISO
8601 out, one character per token; seeded, quick profile, 5 epochs), translates
a few dates and draws the attention weights of each with
:func:`seq2seq_attention.plots.plot_attention`: each output character attends
to the characters of the input that say the same thing (the year, the month
name, the day).
"""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")

import keras
import matplotlib.pyplot as plt

from seq2seq_attention import chapter_models, training
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.plots import plot_attention
from seq2seq_attention.translator import Translator

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "images" / "landing_attention.png"
EXAMPLES = ["saturday 21 june 1987", "3/14/15"]


def main():
    profile = training.choose_profile("quick")
    keras.utils.set_random_seed(0)
    task = chapter_models.dates_data(profile)  # as chapters 5.3-5.5
    model, _ = training.train(
        lambda: Seq2SeqAttention(
            task.source_vectorizer.vocabulary_size(),
            task.target_vectorizer.vocabulary_size(),
            embedding_dim=profile.embedding_dim,
            units=profile.units,
            decoder="luong",
        ),
        task.train,
        task.validation,
        epochs=5,
        run_dir=tempfile.mkdtemp(),
        verbose=2,
        tensorboard=False,
    )
    translator = Translator(
        model, task.source_vectorizer, task.target_vectorizer
    )
    results = translator.translate(EXAMPLES)
    widths = [len(r.source_tokens) for r in results]
    fig, axes = plt.subplots(
        1,
        len(results),
        figsize=(0.36 * sum(widths) + 3.0, 4.6),
        layout="constrained",
        gridspec_kw={"width_ratios": widths},
    )
    for ax, result in zip(axes, results):
        print(f"{result.source!r} -> {result.text!r}")
        plot_attention(
            result.weights,
            result.source_tokens,
            result.target_tokens,
            ax=ax,
            annotate=False,
            title=f"{result.source!r} → {result.text}",
        )
    OUT.parent.mkdir(exist_ok=True)
    fig.savefig(OUT, dpi=110)
    print("wrote", OUT.relative_to(ROOT))


if __name__ == "__main__":
    sys.exit(main())
