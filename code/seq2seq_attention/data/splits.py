"""Splitting sentence pairs into train/validation/test by distinct source
sentence.

:func:`split_by_source` keeps all the translations of one source in the same
part, so that no test source is seen in training; :class:`Split` saves and
reloads a split with each file's sha256.

Example:
    >>> split = split_by_source(
    ...     [("a", "x"), ("a", "y"), ("b", "z")],
    ...     fractions=(0.5, 0.5, 0),
    ...     seed=0,
    ... )
    >>> split.train, split.validation
    ([('b', 'z')], [('a', 'x'), ('a', 'y')])
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .corpus import check_sha256, sha256_of
from .text import deduplicate
from .tsv import read_tsv
from .typography import normalize_text

__all__ = [
    "sample_pairs",
    "Split",
    "split_by_source",
    "translation_split",
]


@dataclass
class Split:
    """A train/validation/test split of sentence pairs, and how it was made."""

    train: list
    validation: list
    test: list
    seed: int
    fractions: tuple

    PARTS = ("train", "validation", "test")

    def save(self, directory):
        """Write ``train.tsv``, ``validation.tsv``, ``test.tsv`` and
        ``split.json`` (seed, fractions, counts and each file's sha256) into
        ``directory``.

        Example:
            >>> import tempfile
            >>> split = split_by_source(
            ...     [("a", "x"), ("b", "y"), ("c", "z")],
            ...     fractions=(1 / 3, 1 / 3, 1 / 3),
            ...     seed=0,
            ... )
            >>> directory = split.save(tempfile.mkdtemp())
            >>> Split.load(directory) == split
            True
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        manifest = {
            "seed": self.seed,
            "fractions": list(self.fractions),
            "counts": {},
            "sha256": {},
        }
        for part in self.PARTS:
            lines = []
            for source, target in getattr(self, part):
                if any(c in s for s in (source, target) for c in "\t\n\r"):
                    raise ValueError(
                        f"cannot save {(source, target)!r}: a sentence "
                        "contains a tab or a line break."
                    )
                lines.append(f"{source}\t{target}\n")
            data = "".join(lines).encode("utf-8")
            (directory / f"{part}.tsv").write_bytes(data)
            manifest["counts"][part] = len(lines)
            manifest["sha256"][part] = sha256_of(data)
        (directory / "split.json").write_text(
            json.dumps(manifest, indent=2) + "\n", encoding="utf-8"
        )
        return directory

    @classmethod
    def load(cls, directory):
        """Read a split written by :meth:`save`, checking the files' sha256."""
        directory = Path(directory)
        manifest = json.loads(
            (directory / "split.json").read_text(encoding="utf-8")
        )
        parts = {}
        for part in cls.PARTS:
            path = directory / f"{part}.tsv"
            check_sha256(
                str(path),
                sha256_of(path),
                manifest["sha256"][part],
                "The file changed since the split was saved. Save the split "
                "again.",
            )
            parts[part] = read_tsv(path).pairs
        return cls(
            **parts,
            seed=manifest["seed"],
            fractions=tuple(manifest["fractions"]),
        )


def split_by_source(pairs, *, fractions=(0.8, 0.1, 0.1), seed, counts=None):
    """Split pairs into train/validation/test by distinct **source** sentence.

    ``counts=(validation, test)`` asks for exactly that many distinct sources
    in the two held-out parts instead of ``fractions`` (the rest is train).

    All the pairs of one source (its several translations) go to the same
    part, so no test source is ever seen in training. The distinct sources
    are sorted, then shuffled with ``seed``: the split depends only on the set
    of sources and the seed, not on the order of ``pairs``. Within each part,
    pairs keep their order.

    Example:
        >>> pairs = [
        ...     ("go .", "ve ."),
        ...     ("go .", "vete ."),
        ...     ("hi .", "hola ."),
        ...     ("run !", "¡ corre !"),
        ... ]
        >>> split = split_by_source(pairs, fractions=(0.5, 0.25, 0.25), seed=0)
        >>> split.train
        [('hi .', 'hola .')]
        >>> split.validation  # "go ." and its 2 translations stay together
        [('go .', 've .'), ('go .', 'vete .')]
        >>> split.test
        [('run !', '¡ corre !')]
    """
    fractions = tuple(float(f) for f in fractions)
    if (
        len(fractions) != 3
        or min(fractions) < 0
        or not np.isclose(sum(fractions), 1.0)
    ):
        raise ValueError(
            "fractions must be three non-negative numbers (train, "
            f"validation, test) that sum to 1; got {fractions}."
        )
    sources = sorted({s for s, _ in pairs})
    order = np.random.default_rng(seed).permutation(len(sources))
    if counts is not None:
        n_validation, n_test = (int(c) for c in counts)
        if min(n_validation, n_test) < 0 or n_validation + n_test > len(
            sources
        ):
            raise ValueError(
                f"counts={tuple(counts)} asks for more held-out sources than "
                f"the {len(sources)} distinct ones."
            )
        total = len(sources)
        fractions = (
            (total - n_validation - n_test) / total,
            n_validation / total,
            n_test / total,
        )
    else:
        n_test = int(round(fractions[2] * len(sources)))
        n_validation = int(round(fractions[1] * len(sources)))
    part_of = {}
    for rank, index in enumerate(order):
        part_of[sources[index]] = (
            2 if rank < n_test else 1 if rank < n_test + n_validation else 0
        )
    parts = ([], [], [])
    for pair in pairs:
        parts[part_of[pair[0]]].append(tuple(pair))
    return Split(*parts, seed=seed, fractions=fractions)


def sample_pairs(pairs, n, *, seed):
    """A seeded random sample of ``n`` pairs, in their original order (all of
    them if there are no more than ``n``).

    A corpus file is often sorted (Tatoeba's by length), so its first ``n``
    pairs are not a sample of it: they are its shortest sentences.

    Example:
        >>> pairs = [(str(i), str(i)) for i in range(10)]
        >>> sample_pairs(pairs, 3, seed=0)
        [('2', '2'), ('4', '4'), ('6', '6')]
    """
    if n >= len(pairs):
        return list(pairs)
    chosen = np.sort(np.random.default_rng(seed).permutation(len(pairs))[:n])
    return [pairs[i] for i in chosen]


def translation_split(pairs, *, seed=0, counts=(2000, 2000)):
    """The translator's split: pairs as written, typography folded
    (:func:`~seq2seq_attention.data.typography.normalize_text`), empty and
    repeated pairs dropped, then :func:`split_by_source` with ``counts``
    distinct sources held out for validation and for test.

    Cased text and punctuation are kept: the subword tokenizers read raw
    text, and BLEU is scored against these references as people wrote them.
    ``counts`` shrinks to a tenth of the sources each when the corpus is too
    small for it (the shipped sample).

    Example:
        >>> pairs = [(f"Hola {i}\u00a0!", f"Hi {i}!") for i in range(50)]
        >>> split = translation_split(pairs + pairs[:5], counts=(5, 5))
        >>> len(split.train), len(split.validation), len(split.test)
        (40, 5, 5)
        >>> split.test[0][0]
        'Hola 3 !'
    """
    pairs = [(normalize_text(s), normalize_text(t)) for s, t in pairs]
    pairs = deduplicate([p for p in pairs if p[0] and p[1]])
    sources = len({s for s, _ in pairs})
    if sum(counts) > sources // 2:
        counts = (sources // 10, sources // 10)
    return split_by_source(pairs, seed=seed, counts=counts)
