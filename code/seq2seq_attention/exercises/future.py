"""Checkers for the exercises of chapter 08_future (Future directions: from
attention to Transformers).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_split_heads(unfinished)
    ✘ split_heads: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from .. import reference
from ._harness import run_cases

__all__ = [
    "check_split_heads",
    "check_sinusoidal_encoding",
    "check_causal_attention",
]


def _split_heads(x, num_heads):
    """``(batch, len, heads * depth) -> (batch, heads, len, depth)``, head
    ``h`` = features ``h*depth..``."""
    batch, length, features = x.shape
    return x.reshape(
        batch, length, num_heads, features // num_heads
    ).transpose(0, 2, 1, 3)


def _sinusoidal(length, depth):
    # (length, depth/2)
    angles = np.arange(length)[:, None] / 10000 ** (
        np.arange(0, depth, 2)[None, :] / depth
    )
    encoding = np.zeros((length, depth))
    encoding[:, 0::2], encoding[:, 1::2] = np.sin(angles), np.cos(angles)
    return encoding


def check_split_heads(fn):
    """Check ``fn(x, num_heads) -> heads``: ``(batch, len, d_model)`` ->
    ``(batch, heads, len, d_model / heads)``.

    Example:
        >>> check_split_heads(
        ...     lambda x, h: x.reshape(
        ...         x.shape[0], x.shape[1], h, -1
        ...     ).transpose(0, 2, 1, 3)
        ... )
        ✔ split_heads: right on 3 cases; head h holds features h * depth to
        (h + 1) * depth - 1.
    """
    rng = np.random.default_rng(12)
    cases = []
    for batch, length, heads, depth in [
        (1, 2, 2, 3),
        (2, 5, 4, 2),
        (3, 4, 1, 6),
    ]:
        x = rng.normal(size=(batch, length, heads * depth))
        cases.append(
            (
                f"x of shape {x.shape} with num_heads={heads}",
                (x, heads),
                _split_heads(x, heads),
            )
        )
    run_cases(
        "split_heads",
        fn,
        cases,
        "right on 3 cases; head h holds features h * depth to (h + 1) * "
        "depth - 1.",
        "Hint: reshape to (batch, len, heads, depth) first (each position's "
        "features, cut into heads), then swap the len and heads axes "
        "with transpose(0, 2, 1, 3). Reshaping straight to (batch, "
        "heads, len, depth) mixes positions.",
    )


def check_sinusoidal_encoding(fn):
    """Check ``fn(length, depth) -> (length, depth)`` sinusoidal positional
    encodings.

    Example:
        >>> def encoding(length, depth):
        ...     angles = np.arange(length)[:, None] / 10000 ** (
        ...         np.arange(0, depth, 2) / depth
        ...     )
        ...     return np.stack(
        ...         [np.sin(angles), np.cos(angles)], axis=-1
        ...     ).reshape(length, depth)
        >>> check_sinusoidal_encoding(encoding)
        ✔ sinusoidal_encoding: right for 3 sizes: sines on even features,
        cosines on odd ones.
    """
    cases = [
        (f"length={n}, depth={d}", (n, d), _sinusoidal(n, d))
        for n, d in [(4, 2), (10, 8), (50, 16)]
    ]
    run_cases(
        "sinusoidal_encoding",
        fn,
        cases,
        "right for 3 sizes: sines on even features, cosines on odd ones.",
        "Hint: PE[p, 2i] = sin(p / 10000^(2i / depth)) and PE[p, 2i + 1] = "
        "cos(p / 10000^(2i / depth)); the exponent uses 2i, the even "
        "feature index, divided by depth.",
        atol=1e-6,
    )


def check_causal_attention(fn):
    """Check ``fn(q, k, v) -> (output, weights)``: scaled dot-product
    self-attention where position ``t`` sees positions ``0..t`` only. ``q``,
    ``k`` are ``(T, d)``, ``v`` ``(T, d_v)``.

    Example:
        >>> def causal(q, k, v):
        ...     scores = q @ k.T / np.sqrt(k.shape[-1])
        ...     scores = np.where(
        ...         np.tril(np.ones(scores.shape, bool)), scores, -np.inf
        ...     )
        ...     w = np.exp(scores - scores.max(-1, keepdims=True))
        ...     w = w / w.sum(-1, keepdims=True)
        ...     return w @ v, w
        >>> check_causal_attention(causal)
        ✔ causal_attention: right output and weights on 3 cases; nothing comes
        from the future.
    """
    rng = np.random.default_rng(13)
    cases = []
    for length, d, d_v in [(3, 2, 2), (5, 4, 3), (6, 8, 8)]:
        q, k, v = (
            rng.normal(size=(length, d)),
            rng.normal(size=(length, d)),
            rng.normal(size=(length, d_v)),
        )
        context, weights = reference.attention(
            q,
            k,
            v,
            mask=np.tril(np.ones((length, length), bool)),
            score="scaled_dot",
        )
        cases.append(
            (f"T={length}, d={d}, d_v={d_v}", (q, k, v), (context, weights))
        )
    run_cases(
        "causal_attention",
        fn,
        cases,
        "right output and weights on 3 cases; nothing comes from the future.",
        "Hint: scores = q @ k.T / sqrt(d); set the scores above the "
        "diagonal (s > t) to -inf, or mask them, BEFORE the softmax; "
        "then output = weights @ v.",
        outputs=("output", "weights"),
    )
