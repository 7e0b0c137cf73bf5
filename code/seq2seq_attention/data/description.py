"""Looking at a corpus: counts, length percentiles, vocabulary coverage, OOV
rate.

:func:`describe` reports them as a :class:`Description`, which prints as a
table and plots length histograms.

Example:
    >>> print(describe([("go .", "ve ."), ("hi .", "hola .")]))
    corpus: 2 pairs, 2 distinct sources, 2 distinct targets
      source length (tokens): p50=2  p90=2  p95=2  p99=2  p100=2
      target length (tokens): p50=2  p90=2  p95=2  p99=2  p100=2
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

import numpy as np

from ..special_tokens import RESERVED
from .text import tokenize

__all__ = [
    "PERCENTILES",
    "Description",
    "describe",
]

PERCENTILES = (50, 90, 95, 99, 100)


@dataclass
class Description:
    """What :func:`describe` found. ``print()`` it for a table; :meth:`plot`
    it."""

    name: str
    pairs: int
    distinct_sources: int
    distinct_targets: int
    source_lengths: dict  # percentile -> tokens
    target_lengths: dict
    source_vocabulary: int | None = None  # ids, including the 4 reserved
    target_vocabulary: int | None = None
    source_type_coverage: float | None = (
        None  # share of distinct tokens in the vocabulary
    )
    target_type_coverage: float | None = None
    source_oov_rate: float | None = (
        None  # share of running tokens that become [UNK]
    )
    target_oov_rate: float | None = None
    source_length_values: list = field(default_factory=list, repr=False)
    target_length_values: list = field(default_factory=list, repr=False)

    def __str__(self):
        def pct(d):
            return "  ".join(f"p{p}={v:g}" for p, v in d.items())

        lines = [
            f"{self.name}: {self.pairs:,} pairs, {self.distinct_sources:,} "
            f"distinct sources, {self.distinct_targets:,} distinct "
            "targets",
            f"  source length (tokens): {pct(self.source_lengths)}",
            f"  target length (tokens): {pct(self.target_lengths)}",
        ]
        for side in ("source", "target"):
            size = getattr(self, f"{side}_vocabulary")
            if size is not None:
                lines += [  # two lines: each fits the 79-column code column
                    f"  {side} vocabulary: {size:,} ids; covers "
                    f"{getattr(self, f'{side}_type_coverage'):.1%} of "
                    "distinct tokens",
                    f"  {side} OOV rate: "
                    f"{getattr(self, f'{side}_oov_rate'):.2%} of tokens",
                ]
        return "\n".join(lines)

    def plot(self, axes=None):
        """Histograms of source and target lengths, with the p50/p95 marked.
        Returns the axes.

        Example:
            >>> import matplotlib
            >>> matplotlib.use("Agg")
            >>> axes = describe([("a b", "x"), ("a", "x y z")]).plot()
            >>> [ax.get_title() for ax in axes]
            ['corpus: source lengths', 'corpus: target lengths']
        """
        import matplotlib.pyplot as plt

        if axes is None:
            _, axes = plt.subplots(
                1, 2, figsize=(9, 3), layout="constrained", sharey=True
            )
        for ax, side in zip(axes, ("source", "target")):
            values = getattr(self, f"{side}_length_values")
            ax.hist(
                values,
                bins=np.arange(0.5, max(values) + 1.5),
                color="tab:blue",
            )
            for p, style in ((50, "--"), (95, ":")):
                ax.axvline(
                    getattr(self, f"{side}_lengths")[p],
                    color="k",
                    linestyle=style,
                    label=f"p{p}",
                )
            ax.set_title(f"{self.name}: {side} lengths")
            ax.set_xlabel("tokens")
            ax.legend()
        axes[0].set_ylabel("pairs")
        return axes


def _coverage(texts, vectorizer, level):
    vocabulary = set(vectorizer.get_vocabulary()[len(RESERVED) :])
    counts = collections.Counter(
        tok for text in texts for tok in tokenize(text, level)
    )
    total = sum(counts.values())
    known = sum(c for tok, c in counts.items() if tok in vocabulary)
    types = sum(1 for tok in counts if tok in vocabulary)
    return (
        vectorizer.vocabulary_size(),
        types / max(len(counts), 1),
        1 - known / max(total, 1),
    )


def describe(
    pairs,
    source_vectorizer=None,
    target_vectorizer=None,
    *,
    name="corpus",
    levels=None,
):
    """Counts, length percentiles and, given vectorizers, vocabulary coverage
    and OOV rate.

    Lengths are in tokens (words, or characters for a character-level
    vectorizer), without ``[START]``/``[END]``. Coverage and OOV are measured
    on ``pairs`` against each vectorizer's vocabulary: describe the
    *validation* part with the vectorizers built on *train* to see what the
    model will meet.

    Example:
        >>> from seq2seq_attention.data import make_vectorizer
        >>> d = describe(
        ...     [("go .", "ve ."), ("go .", "vete ."), ("hi .", "hola .")],
        ...     make_vectorizer(["go ."]),
        ...     make_vectorizer(["ve ."]),
        ... )
        >>> print(d)
        corpus: 3 pairs, 2 distinct sources, 3 distinct targets
          source length (tokens): p50=2  p90=2  p95=2  p99=2  p100=2
          target length (tokens): p50=2  p90=2  p95=2  p99=2  p100=2
          source vocabulary: 6 ids; covers 66.7% of distinct tokens
          source OOV rate: 16.67% of tokens
          target vocabulary: 6 ids; covers 50.0% of distinct tokens
          target OOV rate: 33.33% of tokens
        >>> d.source_oov_rate
        0.16666666666666663
    """
    if levels is None:
        levels = tuple(
            getattr(v, "_seq2seq_level", "word") if v is not None else "word"
            for v in (source_vectorizer, target_vectorizer)
        )
    sources = [s for s, _ in pairs]
    targets = [t for _, t in pairs]
    src_len = [len(tokenize(s, levels[0])) for s in sources]
    tgt_len = [len(tokenize(t, levels[1])) for t in targets]
    if not pairs:
        raise ValueError("describe got no pairs.")

    def pct(values):
        return {p: float(np.percentile(values, p)) for p in PERCENTILES}

    d = Description(
        name,
        len(pairs),
        len(set(sources)),
        len(set(targets)),
        pct(src_len),
        pct(tgt_len),
        source_length_values=src_len,
        target_length_values=tgt_len,
    )
    if source_vectorizer is not None:
        d.source_vocabulary, d.source_type_coverage, d.source_oov_rate = (
            _coverage(sources, source_vectorizer, levels[0])
        )
    if target_vectorizer is not None:
        d.target_vocabulary, d.target_type_coverage, d.target_oov_rate = (
            _coverage(targets, target_vectorizer, levels[1])
        )
    return d
