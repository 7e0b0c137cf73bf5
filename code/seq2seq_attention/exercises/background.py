"""Checkers for the exercises of chapter 01_background (Background: why
attention).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_fixed_vector(unfinished)
    ✘ fixed_vector: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from ._harness import call_solution, report, run_cases

__all__ = [
    "check_fixed_vector",
    "check_reverse_alignment",
    "check_exact_match_by_length",
]


def _rnn_final_state(embedded, W_x, W_h, b):
    state = np.zeros(W_h.shape[0])
    for x in embedded:
        state = np.tanh(x @ W_x + state @ W_h + b)
    return state


def check_fixed_vector(fn):
    """Check ``fn(embedded, W_x, W_h, b) -> state``, the one vector a plain
    encoder keeps.

    A simple RNN reads the source ``embedded`` ``(src_len, embedding_dim)`` one
    position at a time, ``h_s = tanh(x_s W_x + h_{s-1} W_h + b)`` from
    ``h_0 = 0``, and returns only its last state ``h_S`` ``(units,)``.

    Example:
        >>> def fixed_vector(embedded, W_x, W_h, b):
        ...     state = np.zeros(W_h.shape[0])
        ...     for x in embedded:
        ...         state = np.tanh(x @ W_x + state @ W_h + b)
        ...     return state
        >>> check_fixed_vector(fixed_vector)
        ✔ fixed_vector: matches a step-by-step RNN on 3 sources, from 1 to 40
        positions long.
    """
    rng = np.random.default_rng(21)
    cases = []
    for length, dim, units in ((1, 3, 4), (5, 3, 4), (40, 6, 8)):
        embedded = rng.normal(size=(length, dim))
        W_x, W_h, b = (
            rng.normal(size=(dim, units)),
            0.5 * rng.normal(size=(units, units)),
            rng.normal(size=units),
        )
        cases.append(
            (
                f"a source of {length} position{'s' * (length > 1)}",
                (embedded, W_x, W_h, b),
                _rnn_final_state(embedded, W_x, W_h, b),
            )
        )
    run_cases(
        "fixed_vector",
        fn,
        cases,
        "matches a step-by-step RNN on 3 sources, from 1 to 40 positions "
        "long.",
        "Hint: start from h = np.zeros(units); for each row x of embedded, "
        "h = np.tanh(x @ W_x + h @ W_h + b); return the last h only.",
    )


def check_reverse_alignment(fn):
    """Check ``fn(length) -> weights``, the ideal attention for reversing a
    string.

    ``weights`` is ``(length, length)``: row ``t`` (output position) is one-hot
    at the source position whose character output ``t`` copies.

    Example:
        >>> check_reverse_alignment(lambda n: np.eye(n)[::-1])
        ✔ reverse_alignment: the anti-diagonal, for lengths 1, 4 and 9.
    """
    cases = [(f"length {n}", (n,), np.fliplr(np.eye(n))) for n in (1, 4, 9)]
    run_cases(
        "reverse_alignment",
        fn,
        cases,
        "the anti-diagonal, for lengths 1, 4 and 9.",
        "Hint: output t of the reversal is source character length - 1 - t, "
        "so row t has its 1 in column length - 1 - t.",
    )


def _exact_match_by_length(sources, hypotheses, references, edges):
    lengths = np.array([len(s) for s in sources])
    right = np.array([h == r for h, r in zip(hypotheses, references)], float)
    out = []
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (lengths >= low) & (lengths < high)
        out.append(right[inside].mean() if inside.any() else np.nan)
    return np.array(out)


def check_exact_match_by_length(fn):
    """Check ``fn(sources, hypotheses, references, edges) -> scores``, exact
    match per length range.

    ``edges`` are increasing lengths; range ``i`` holds the sources with
    ``edges[i] <= len(source) < edges[i + 1]``. ``scores[i]`` is the fraction
    of those whose hypothesis equals its reference, ``nan`` for an empty range.

    Example:
        >>> def by_length(sources, hypotheses, references, edges):
        ...     lengths = np.array([len(s) for s in sources])
        ...     right = np.array(
        ...         [h == r for h, r in zip(hypotheses, references)], float
        ...     )
        ...     out = []
        ...     for low, high in zip(edges[:-1], edges[1:]):
        ...         inside = (lengths >= low) & (lengths < high)
        ...         out.append(
        ...             right[inside].mean() if inside.any() else np.nan
        ...         )
        ...     return np.array(out)
        >>> check_exact_match_by_length(by_length)
        ✔ exact_match_by_length: right on 3 cases, including an empty range
        (nan).
    """
    sources = ["12", "123", "1234", "12345", "123456", "1234567"]
    references = [s[::-1] for s in sources]
    hypotheses = ["21", "321", "4321", "54320", "654321", "7654300"]
    cases = [
        (
            "ranges [2, 4) and [4, 8)",
            (sources, hypotheses, references, [2, 4, 8]),
            _exact_match_by_length(sources, hypotheses, references, [2, 4, 8]),
        ),
        (
            "one range per length",
            (sources, hypotheses, references, [2, 3, 4, 5, 6, 7, 8]),
            _exact_match_by_length(
                sources, hypotheses, references, [2, 3, 4, 5, 6, 7, 8]
            ),
        ),
        (
            "an empty range [8, 10)",
            (sources, hypotheses, references, [1, 5, 8, 10]),
            _exact_match_by_length(
                sources, hypotheses, references, [1, 5, 8, 10]
            ),
        ),
    ]
    for description, args, expected in cases:
        ok, got = call_solution("exact_match_by_length", fn, *args)
        if not ok:
            return
        got = np.asarray(got, float)
        if got.shape != expected.shape or not np.allclose(
            got, expected, equal_nan=True
        ):
            report(
                f"✘ exact_match_by_length: wrong values for {description}:\n"
                f"    expected {expected}\n    got      {got}\n  Hint: "
                "for each pair of neighbouring edges keep the sources "
                "with low <= len < high; average (hypothesis == "
                "reference) over them; use np.nan when there are none."
            )
            return
    report(
        "✔ exact_match_by_length: right on 3 cases, including an empty "
        "range (nan)."
    )
