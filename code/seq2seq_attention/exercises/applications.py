"""Checkers for the exercises of chapter 06_applications (Applications).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_sort_positions(unfinished)
    ✘ sort_positions: not implemented yet. Complete the function, then run the
    cell again.
"""

from __future__ import annotations

import numpy as np

from ._harness import run_cases

__all__ = [
    "check_sort_positions",
    "check_pointing_accuracy",
    "check_attention_entropy",
]


def check_sort_positions(fn):
    """Check ``fn(source) -> positions``: for each character of
    ``sorted(source)``, the index in ``source`` it comes from, with equal
    characters in source order (a stable sort).

    Example:
        >>> check_sort_positions(
        ...     lambda s: sorted(range(len(s)), key=lambda i: (s[i], i))
        ... )
        ✔ sort_positions: right on 5 strings, repeated characters included.
    """
    from ..alignment import source_positions

    cases = [
        (
            f"source {s!r}",
            (s,),
            np.array(source_positions("sort", s), dtype=float).reshape(-1),
        )
        for s in ("cab", "dcba", "baa", "3141", "zz")
    ]
    run_cases(
        "sort_positions",
        fn,
        cases,
        "right on 5 strings, repeated characters included.",
        "Hint: sort the indices 0..n-1 by (character, index); the index "
        "breaks ties, so of two equal characters the earlier one comes "
        "first (np.argsort(list(source), kind='stable') does the same).",
    )


def _pointing_cases():
    rng = np.random.default_rng(60)
    source = ["[START]", "q", "w", "e", "r", "[END]"]
    reverse = np.full((5, 6), 0.02)
    reverse[[0, 1, 2, 3, 4], [4, 3, 2, 1, 5]] = 0.9  # writes r e w q [END]
    half = reverse.copy()
    half[[1, 3]] = half[[1, 3], ::-1]  # two steps look elsewhere
    repeated = np.array(
        [[0.1, 0.45, 0.45, 0.0], [0.1, 0.2, 0.7, 0.0], [0.9, 0.05, 0.05, 0.0]]
    )
    random_weights = rng.dirichlet(np.ones(6), size=5)
    return [
        (
            "a perfect reversal map of 'qwer' (the [END] row is not counted)",
            (reverse, source, ["r", "e", "w", "q", "[END]"]),
            1.0,
        ),
        (
            "a reversal map with two steps looking elsewhere",
            (half, source, ["r", "e", "w", "q", "[END]"]),
            0.5,
        ),
        (
            "a repeated 'a' in the source: either copy counts",
            (repeated, ["[START]", "a", "a", "[END]"], ["a", "a", "[END]"]),
            1.0,
        ),
        (
            "random weights",
            (random_weights, source, ["q", "w", "e", "r", "[END]"]),
            None,
        ),
    ]


def check_pointing_accuracy(fn):
    """Check ``fn(weights, source_tokens, target_tokens) -> float``, the
    fraction of output steps (markers such as ``[END]`` excluded) whose
    most-attended source token is the token written.

    Example:
        >>> from seq2seq_attention.alignment import pointing_accuracy
        >>> check_pointing_accuracy(pointing_accuracy)
        ✔ pointing_accuracy: right on 4 maps, with repeated tokens and the
        [END] row.
    """
    from ..alignment import pointing_accuracy

    cases = [
        (d, args, pointing_accuracy(*args) if expected is None else expected)
        for d, args, expected in _pointing_cases()
    ]
    run_cases(
        "pointing_accuracy",
        fn,
        cases,
        "right on 4 maps, with repeated tokens and the [END] row.",
        "Hint: for each row t with a real token (not [START], [END], [UNK] "
        "or padding), take s = np.argmax(weights[t]) and count a hit "
        "when source_tokens[s] == target_tokens[t]; divide by the number "
        "of such rows.",
    )


def check_attention_entropy(fn):
    """Check ``fn(weights) -> entropies``, one entropy (in nats) per row, with
    ``0 log 0 = 0``.

    Example:
        >>> from seq2seq_attention.alignment import attention_entropy
        >>> check_attention_entropy(attention_entropy)
        ✔ attention_entropy: right on 3 maps, one-hot rows (entropy 0)
        included.
    """
    from ..alignment import attention_entropy

    rng = np.random.default_rng(61)
    one_hot = np.eye(4)[[3, 0, 2]]
    mixed = np.array(
        [[0.5, 0.5, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25], [1.0, 0.0, 0.0, 0.0]]
    )
    dense = rng.dirichlet(np.ones(7), size=5)
    cases = [
        (d, (w,), attention_entropy(w))
        for d, w in (
            ("one-hot rows", one_hot),
            ("rows with zeros", mixed),
            ("random rows of 7 weights", dense),
        )
    ]
    run_cases(
        "attention_entropy",
        fn,
        cases,
        "right on 3 maps, one-hot rows (entropy 0) included.",
        "Hint: -sum(a * log a) over each row, where a weight of 0 adds 0 "
        "(log 0 is -inf, and 0 * -inf is nan): e.g. np.where(w > 0, w * "
        "np.log(np.where(w > 0, w, 1)), 0).",
    )
