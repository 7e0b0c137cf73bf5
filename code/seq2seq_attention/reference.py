"""Attention in plain numpy, written to be read.

The same three steps as :mod:`seq2seq_attention.attention`, with the course's
notation: decoder step ``t``, source position ``s``, encoder states ``h_s``
(the *keys*), decoder query ``q_t``.

1. scores   ``e[t, s]``                      (one of the score functions below)
2. weights  ``alpha[t, s] = softmax_s(e[t, s])``   (:func:`softmax`)
3. context  ``c_t = sum_s alpha[t, s] h_s``         (:func:`context`)

Every function accepts any number of leading batch axes (``...``): a single
example, a batch, or a batch of decoder steps. The math chapter uses these
functions; the tests use them as the oracle for the Keras layers.

Weight matrices are stored as Keras stores them, (inputs, outputs), so the
math's ``W1 h_s`` is ``h_s @ W1`` here.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "additive_scores",
    "dot_scores",
    "general_scores",
    "scaled_dot_scores",
    "softmax",
    "context",
    "attention",
]


def additive_scores(query, keys, W1, W2, b, v):
    """Bahdanau's score ``e[t, s] = v . tanh(W1 h_s + W2 q_t + b)``.

    Args:
        query: ``(..., T, query_dim)`` decoder states ``q_t``.
        keys: ``(..., S, key_dim)`` encoder states ``h_s``.
        W1: ``(key_dim, units)``; W2: ``(query_dim, units)``; b, v:
            ``(units,)``.

    Returns:
        ``(..., T, S)`` scores.

    Example:
        >>> q = np.zeros((1, 2))
        >>> h = np.eye(2) * 3  # T=1, S=2
        >>> additive_scores(
        ...     q, h, W1=np.eye(2), W2=np.eye(2), b=np.zeros(2), v=np.ones(2)
        ... ).round(3)
        array([[0.995, 0.995]])
    """
    keys_part = keys @ W1  # (..., S, units): W1 h_s for every s
    query_part = query @ W2  # (..., T, units): W2 q_t for every t
    # Pair every t with every s by broadcasting: (..., T, 1, units) + (..., 1,
    # S, units) (..., T, S, units)
    hidden = np.tanh(
        query_part[..., :, None, :] + keys_part[..., None, :, :] + b
    )
    return hidden @ v  # (..., T, S)


def dot_scores(query, keys):
    """Luong's dot score ``e[t, s] = q_t . h_s``; query and keys must have one
    size.

    Example:
        >>> dot_scores(
        ...     np.array([[1.0, 2.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])
        ... )
        array([[1., 2.]])
    """
    return query @ np.swapaxes(keys, -1, -2)  # (..., T, S)


def general_scores(query, keys, W):
    """Luong's general score ``e[t, s] = q_t^T W h_s`` with ``W`` of shape
    (query_dim, key_dim).

    Example:
        >>> q, h = np.array([[1.0, 2.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> bool(
        ...     np.allclose(general_scores(q, h, np.eye(2)), dot_scores(q, h))
        ... )
        True
    """
    return query @ W @ np.swapaxes(keys, -1, -2)  # (..., T, S)


def scaled_dot_scores(query, keys):
    """The Transformer's score ``e[t, s] = q_t . h_s / sqrt(d)`` with ``d`` =
    key size.

    Example:
        >>> scaled_dot_scores(np.array([[2.0, 2.0]]), np.array([[1.0, 1.0]]))
        array([[2.82842712]])
    """
    return dot_scores(query, keys) / np.sqrt(keys.shape[-1])


def softmax(scores, mask=None):
    """Numerically stable softmax over the last axis (the source positions).

    Subtracting the row's maximum changes nothing mathematically
    (``exp(e - m) / sum exp(e - m) = exp(e) / sum exp(e)``) but keeps every
    ``exp`` in (0, 1], so large scores cannot overflow. Masked positions
    (``mask == False``) get weight 0; a fully masked row gets all zeros.

    Example:
        >>> softmax(np.array([1000.0, 1001.0, 1002.0])).round(4)
        array([0.09  , 0.2447, 0.6652])
        >>> softmax(
        ...     np.array([1.0, 2.0, 3.0]), mask=np.array([True, True, False])
        ... ).round(4)
        array([0.2689, 0.7311, 0.    ])
    """
    scores = np.asarray(scores, dtype=np.float64)
    if mask is None:
        mask = np.ones(scores.shape, dtype=bool)
    mask = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
    masked = np.where(mask, scores, -np.inf)
    row_max = masked.max(axis=-1, keepdims=True)
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)  # fully masked row
    exp = np.where(mask, np.exp(masked - row_max), 0.0)
    total = exp.sum(axis=-1, keepdims=True)
    return exp / np.where(total > 0, total, 1.0)


def context(weights, values):
    """Context vectors ``c_t = sum_s alpha[t, s] v_s``:
    ``(..., T, S) @ (..., S, d) -> (..., T, d)``.

    Example:
        >>> context(
        ...     np.array([[0.25, 0.75]]), np.array([[4.0, 0.0], [0.0, 4.0]])
        ... )
        array([[1., 3.]])
    """
    return weights @ values


def attention(query, keys, values=None, mask=None, score="dot", **params):
    """All three steps: ``score -> softmax -> context``. Returns
    ``(context, weights)``.

    Args:
        query: ``(..., T, query_dim)``; keys: ``(..., S, key_dim)``;
        values: ``(..., S, value_dim)``, defaults to ``keys``.
        mask: ``(..., S)`` or ``(..., T, S)`` booleans, True for real
            positions.
        score: ``"additive"``, ``"dot"``, ``"general"`` or ``"scaled_dot"``.
        **params: the score's weights (``W1, W2, b, v`` or ``W``).

    Example:
        >>> q = np.array([[1.0, 0.0]])
        >>> h = np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> c, w = attention(q, h, score="dot")
        >>> w.round(4)
        array([[0.7311, 0.2689]])
    """
    score_fns = {
        "additive": additive_scores,
        "dot": dot_scores,
        "general": general_scores,
        "scaled_dot": scaled_dot_scores,
    }
    if score not in score_fns:
        raise ValueError(
            f"score must be one of {sorted(score_fns)}; got {score!r}."
        )
    values = keys if values is None else values
    if mask is not None and np.ndim(mask) == np.ndim(keys) - 1:
        # (..., 1, S): the same for every t
        mask = np.asarray(mask)[..., None, :]
    scores = score_fns[score](query, keys, **params)  # (..., T, S)
    weights = softmax(scores, mask)  # (..., T, S)
    return context(weights, values), weights
