"""Synthetic character-level sequence tasks (copy, reverse, sort) of controlled
length.

Translation mixes many difficulties; these tasks isolate one. Each maps a
random string of digits or letters to another string by a fixed rule:

==========  ============================  =================
task        rule                          ``"3141"`` becomes
==========  ============================  =================
``copy``    the same string               ``"3141"``
``reverse`` the string backwards          ``"1413"``
``sort``    the characters in order       ``"1134"``
==========  ============================  =================

Because the source length is drawn uniformly from ``[min_length,
max_length]``, a model's quality can be measured *as a function of length*,
which is how the background chapter shows the fixed-vector bottleneck of a
seq2seq model without attention: to copy or reverse 40 characters it must
squeeze all 40 into one vector, while an attention model looks each one up.

The pairs are plain strings without spaces, ready for
``data.make_vectorizer(texts, level="character")`` and ``data.make_dataset``,
exactly like the dates task.

Example:
    >>> generate("reverse", 3, min_length=3, max_length=6, seed=0)
    [('604876', '678406'), ('75938', '83957'), ('4219', '9124')]
    >>> generate(
    ...     "sort", 2, min_length=5, max_length=5, seed=1, alphabet="letters"
    ... )
    [('szyci', 'cisyz'), ('pyopu', 'oppuy')]
    >>> generate("copy", 2, seed=3) == generate(
    ...     "copy", 2, seed=3
    ... )  # same seed, same pairs
    True
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ..checks import check_positive

__all__ = [
    "ALPHABETS",
    "TASKS",
    "apply_task",
    "generate",
    "length_bins",
    "score_by_length",
]

ALPHABETS = {
    "digits": "0123456789",
    "letters": "abcdefghijklmnopqrstuvwxyz",
    "alphanumeric": "0123456789abcdefghijklmnopqrstuvwxyz",
}
"""The characters a source string is drawn from, by name."""


def _copy(text):
    return text


def _reverse(text):
    return text[::-1]


def _sort(text):
    return "".join(sorted(text))


TASKS: dict[str, Callable[[str], str]] = {
    "copy": _copy,
    "reverse": _reverse,
    "sort": _sort,
}
"""Each task's rule, a function from source string to target string."""


def _check_task(task):
    if task not in TASKS:
        raise ValueError(
            f"unknown task {task!r}; choose one of {sorted(TASKS)}."
        )


def apply_task(task, text):
    """The target of one source string: the task's rule applied to ``text``.

    Example:
        >>> (
        ...     apply_task("copy", "ab12"),
        ...     apply_task("reverse", "ab12"),
        ...     apply_task("sort", "ab12"),
        ... )
        ('ab12', '21ba', '12ab')
    """
    _check_task(task)
    if not isinstance(text, str):
        raise TypeError(
            f"apply_task: text must be a str; got {type(text).__name__}."
        )
    return TASKS[task](text)


def generate(task, n, min_length=4, max_length=16, *, seed, alphabet="digits"):
    """``n`` random ``(source, target)`` pairs of a task, the same ones for the
    same arguments.

    Each source has a length drawn uniformly from ``[min_length, max_length]``
    (both included) and characters drawn uniformly from the alphabet; the
    target is :func:`apply_task` of it.

    Args:
        task: ``"copy"``, ``"reverse"`` or ``"sort"`` (see :data:`TASKS`).
        n: number of pairs (0 or more).
        min_length, max_length: the range of source lengths, in characters.
        seed: seed of the generator (required: the course never hides a seed).
        alphabet: a name in :data:`ALPHABETS` or a string of distinct
            characters (no spaces: a character-level vectorizer would keep them
            as tokens).

    Returns:
        list of ``(source, target)`` string pairs.

    Example:
        >>> pairs = generate(
        ...     "reverse", 1000, min_length=4, max_length=40, seed=0
        ... )
        >>> min(len(s) for s, _ in pairs), max(len(s) for s, _ in pairs)
        (4, 40)
        >>> all(t == s[::-1] for s, t in pairs)
        True
        >>> generate(
        ...     "copy", 2, min_length=3, max_length=3, seed=0, alphabet="ab"
        ... )
        [('bab', 'bab'), ('bbb', 'bbb')]
    """
    _check_task(task)
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative integer; got {n!r}.")
    check_positive(min_length=min_length, max_length=max_length)
    if min_length > max_length:
        raise ValueError(
            f"min_length ({min_length}) must not be more than max_length "
            f"({max_length})."
        )
    if seed is None:
        raise ValueError(
            "generate needs a seed (any int) so that the pairs are "
            "reproducible."
        )
    characters = ALPHABETS.get(alphabet, alphabet)
    if not isinstance(characters, str) or not characters:
        raise ValueError(
            f"alphabet must be one of {sorted(ALPHABETS)} or a non-empty "
            f"string; got {alphabet!r}."
        )
    if len(set(characters)) != len(characters) or any(
        c.isspace() for c in characters
    ):
        raise ValueError(
            "alphabet must be distinct characters without spaces; got "
            f"{characters!r}."
        )
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        length = rng.randint(min_length, max_length)
        source = "".join(rng.choice(characters) for _ in range(length))
        pairs.append((source, TASKS[task](source)))
    return pairs


def length_bins(min_length, max_length, width):
    """Consecutive length ranges ``(low, high)``, both included, of ``width``
    lengths each.

    The last range may be shorter. Use them to group results by source length.

    Example:
        >>> length_bins(4, 40, 10)
        [(4, 13), (14, 23), (24, 33), (34, 40)]
    """
    if width < 1:
        raise ValueError(f"width must be at least 1; got {width}.")
    if min_length > max_length:
        raise ValueError(
            f"min_length ({min_length}) must not be more than max_length "
            f"({max_length})."
        )
    return [
        (low, min(low + width - 1, max_length))
        for low in range(min_length, max_length + 1, width)
    ]


def score_by_length(sources, hypotheses, references, bins):
    """Exact match and per-character accuracy for each source-length range.

    Per-character accuracy compares position by position and counts a missing
    or extra character as wrong:
    ``matches / max(len(hypothesis), len(reference))`` (1 for two empty
    strings), averaged over the examples in the range.

    Args:
        sources: the source strings (their lengths choose the range).
        hypotheses: the model's outputs, one per source.
        references: the correct targets, one per source.
        bins: ``(low, high)`` length ranges, both included, e.g. from
            :func:`length_bins`.

    Returns:
        a list of dicts, one per range, with keys ``low``, ``high``, ``count``,
        ``exact_match`` and ``char_accuracy`` (``None`` for an empty range).

    Example:
        >>> rows = score_by_length(
        ...     ["12", "1234"],
        ...     ["21", "4300"],
        ...     ["21", "4321"],
        ...     [(1, 2), (3, 4)],
        ... )
        >>> [(r["count"], r["exact_match"], r["char_accuracy"]) for r in rows]
        [(1, 1.0, 1.0), (1, 0.0, 0.5)]
    """
    sources, hypotheses, references = (
        list(sources),
        list(hypotheses),
        list(references),
    )
    if not len(sources) == len(hypotheses) == len(references):
        raise ValueError(
            f"score_by_length: got {len(sources)} sources, "
            f"{len(hypotheses)} hypotheses and {len(references)} "
            "references; they must be as many."
        )
    rows = []
    for low, high in bins:
        exact, chars = [], []
        for source, hyp, ref in zip(sources, hypotheses, references):
            if low <= len(source) <= high:
                exact.append(float(hyp == ref))
                longest = max(len(hyp), len(ref))
                chars.append(
                    1.0
                    if longest == 0
                    else sum(a == b for a, b in zip(hyp, ref)) / longest
                )
        rows.append(
            {
                "low": low,
                "high": high,
                "count": len(exact),
                "exact_match": sum(exact) / len(exact) if exact else None,
                "char_accuracy": sum(chars) / len(chars) if chars else None,
            }
        )
    return rows
