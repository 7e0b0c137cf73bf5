"""Checkers for the exercises of chapter 04_math (The math of attention).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_stable_softmax(unfinished)
    ✘ stable_softmax: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from .. import reference
from ._harness import run_cases

__all__ = [
    "check_stable_softmax",
    "check_masked_softmax",
    "check_additive_score",
    "check_general_scores",
]


def check_stable_softmax(fn):
    """Check ``fn(scores) -> weights``, a softmax over the last axis that
    cannot overflow.

    Example:
        >>> check_stable_softmax(
        ...     lambda e: np.exp(e) / np.exp(e).sum(-1, keepdims=True)
        ... )
        ✘ stable_softmax: wrong values for scores [1000, 1001, 1002]:
            expected [0.09   0.2447 0.6652]
            got      [nan nan nan]
          Hint: exp(1000) overflows. Subtract each row's maximum before exp;
          the result does not change.
    """
    rng = np.random.default_rng(0)
    small = rng.normal(size=(3, 5))
    batch = 10 * rng.normal(size=(2, 3, 4))
    cases = [
        ("random scores of shape (3, 5)", (small,), reference.softmax(small)),
        (
            "scores [1000, 1001, 1002]",
            (np.array([1000.0, 1001.0, 1002.0]),),
            reference.softmax([1000.0, 1001.0, 1002.0]),
        ),
        (
            "scores [-1000, -1001, -1002]",
            (np.array([-1000.0, -1001.0, -1002.0]),),
            reference.softmax([-1000.0, -1001.0, -1002.0]),
        ),
        ("a batch of shape (2, 3, 4)", (batch,), reference.softmax(batch)),
    ]
    run_cases(
        "stable_softmax",
        fn,
        cases,
        "matches the reference on 4 cases, including scores of ±1000.",
        "Hint: exp(1000) overflows. Subtract each row's maximum before exp; "
        "the result does not change.",
    )


def check_masked_softmax(fn):
    """Check ``fn(scores, mask) -> weights``: masked positions get exactly 0.

    Example:
        >>> check_masked_softmax(lambda e, m: reference.softmax(e, m))
        ✔ masked_softmax: padding gets weight 0 and real positions sum to 1, on
        3 cases.
    """
    rng = np.random.default_rng(1)
    scores = rng.normal(size=(2, 4))
    mask = np.array([[True, True, True, False], [True, False, False, False]])
    big = np.array([500.0, 1000.0, 2.0])
    big_mask = np.array([True, False, True])
    cases = [
        (
            "scores (2, 4) with the last positions masked",
            (scores, mask),
            reference.softmax(scores, mask),
        ),
        (
            "scores [500, 1000, 2] with the 1000 masked",
            (big, big_mask),
            reference.softmax(big, big_mask),
        ),
        (
            "no position masked",
            (scores, np.ones_like(mask)),
            reference.softmax(scores),
        ),
    ]
    run_cases(
        "masked_softmax",
        fn,
        cases,
        "padding gets weight 0 and real positions sum to 1, on 3 cases.",
        "Hint: a masked position must not take part in the maximum nor in "
        "the sum; give it exp(...) = 0.",
    )


def check_additive_score(fn):
    """Check ``fn(query, keys, W1, W2, b, v) -> scores`` for **one** decoder
    step.

    ``query`` has shape ``(query_dim,)``, ``keys`` ``(src_len, key_dim)``, and
    the result ``(src_len,)``: ``e[s] = v . tanh(W1 h_s + W2 q + b)`` with the
    weights stored as in Keras, ``W1`` (key_dim, units) and ``W2`` (query_dim,
    units).

    Example:
        >>> check_additive_score(
        ...     lambda q, h, W1, W2, b, v: np.tanh(h @ W1 + q @ W2 + b) @ v
        ... )
        ✔ additive_score: matches the reference on 3 cases.
    """
    rng = np.random.default_rng(2)
    cases = []
    for query_dim, key_dim, units, src_len in (
        (2, 2, 3, 4),
        (3, 5, 4, 6),
        (4, 4, 8, 1),
    ):
        q = rng.normal(size=query_dim)
        h = rng.normal(size=(src_len, key_dim))
        W1 = rng.normal(size=(key_dim, units))
        W2 = rng.normal(size=(query_dim, units))
        b = rng.normal(size=units)
        v = rng.normal(size=units)
        expected = reference.additive_scores(q[None], h, W1, W2, b, v)[0]
        cases.append(
            (
                f"query_dim={query_dim}, key_dim={key_dim}, units={units}, "
                f"src_len={src_len}",
                (q, h, W1, W2, b, v),
                expected,
            )
        )
    run_cases(
        "additive_score",
        fn,
        cases,
        "matches the reference on 3 cases.",
        "Hint: h_s @ W1 has shape (src_len, units) and q @ W2 shape "
        "(units,); add them (broadcasting), add b, take tanh, then the "
        "dot product with v.",
    )


def check_general_scores(fn):
    """Check ``fn(query, keys, W) -> scores`` for Luong's general score, and
    that with ``W`` the identity it equals the dot score.

    Shapes: query ``(tgt_len, query_dim)``, keys ``(src_len, key_dim)``,
    ``W`` ``(query_dim, key_dim)``, result ``(tgt_len, src_len)``.

    Example:
        >>> check_general_scores(lambda q, h, W: q @ W @ h.T)
        ✔ general_scores: matches the reference, and equals the dot score when
        W = I.
    """
    rng = np.random.default_rng(3)
    q, h, W = (
        rng.normal(size=(2, 3)),
        rng.normal(size=(4, 5)),
        rng.normal(size=(3, 5)),
    )
    q2, h2 = rng.normal(size=(3, 4)), rng.normal(size=(6, 4))
    cases = [
        (
            "query (2, 3), keys (4, 5), W (3, 5)",
            (q, h, W),
            reference.general_scores(q, h, W),
        ),
        (
            "W = identity, compared with the dot score",
            (q2, h2, np.eye(4)),
            reference.dot_scores(q2, h2),
        ),
    ]
    run_cases(
        "general_scores",
        fn,
        cases,
        "matches the reference, and equals the dot score when W = I.",
        "Hint: e[t, s] = q_t^T W h_s, i.e. query @ W @ keys.T.",
    )
