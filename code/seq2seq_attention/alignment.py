"""Reading attention maps with numbers: where does each output step look?

An attention map is a picture; these functions turn it into numbers that can
be compared across models and tested:

- :func:`source_positions`: for the character tasks of
  :mod:`~seq2seq_attention.tasks`, the source position that each output
  character is copied from (the alignment a perfect model would use);
- :func:`pointing_accuracy`: how often the most-attended source token is the
  very token being written (for tasks that copy characters: reverse, sort);
- :func:`attention_entropy`: how spread out each step's weights are (0 for a
  step that looks at one position, ``log(S)`` for uniform weights over ``S``).

All take plain numpy arrays, e.g. the ``weights`` of a
:class:`~seq2seq_attention.translator.Translation`.

Example:
    >>> import numpy as np
    >>> weights = np.array([[0.1, 0.9], [0.8, 0.2]])  # writes "b", then "a"
    >>> pointing_accuracy(weights, ["a", "b"], ["b", "a"])
    1.0
    >>> source_positions("reverse", "ab")
    [1, 0]
"""

from __future__ import annotations

import numpy as np

__all__ = ["attention_entropy", "pointing_accuracy", "source_positions"]


def source_positions(task, source):
    """For each output character of ``task`` on ``source``, the source index it
    comes from.

    ``copy`` gives ``0, 1, ..., n-1``, ``reverse`` gives ``n-1, ..., 0`` and
    ``sort`` gives the *stable* sorting order (of two equal characters, the one
    written first in the source comes first).

    Args:
        task: ``"copy"``, ``"reverse"`` or ``"sort"``.
        source: the source string.

    Returns:
        a list of ``len(source)`` ints.

    Example:
        >>> source_positions("sort", "cab")
        [1, 2, 0]
        >>> source_positions("sort", "baa")  # stable: the first "a" first
        [1, 2, 0]
        >>> source_positions("shuffle", "ab")
        Traceback (most recent call last):
        ...
        ValueError: source_positions knows the tasks ['copy', 'reverse',
        'sort']; got 'shuffle'.
    """
    n = len(source)
    if task == "copy":
        return list(range(n))
    if task == "reverse":
        return list(range(n - 1, -1, -1))
    if task == "sort":
        return sorted(range(n), key=lambda i: (source[i], i))
    raise ValueError(
        "source_positions knows the tasks ['copy', 'reverse', 'sort']; got "
        f"{task!r}."
    )


def _check_weights(weights, name):
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2:
        raise ValueError(
            f"{name}: weights must have shape (tgt_len, src_len); got shape "
            f"{weights.shape}."
        )
    return weights


def pointing_accuracy(weights, source_tokens, target_tokens):
    """Fraction of output steps whose most-attended source token equals the
    token written.

    For tasks that copy characters (reverse, sort) a model that has learnt the
    task "points" at the character it writes; when a character occurs twice in
    the source, either copy counts. Markers (``[START]``, ``[END]``) and
    padding are never counted as a hit, and target steps beyond the rows of
    ``weights`` are ignored.

    Args:
        weights: ``(tgt_len, src_len)`` attention weights, rows = output steps.
        source_tokens: the ``src_len`` source tokens (column labels).
        target_tokens: the output tokens (row labels); only the first
            ``tgt_len`` are used.

    Returns:
        a float in [0, 1] (``nan`` if no row has a token to compare).

    Example:
        >>> import numpy as np
        >>> w = np.array(
        ...     [
        ...         [0.0, 0.1, 0.9, 0.0],
        ...         [0.0, 0.7, 0.3, 0.0],
        ...         [0.5, 0.2, 0.2, 0.1],
        ...     ]
        ... )
        >>> pointing_accuracy(
        ...     w, ["[START]", "a", "b", "[END]"], ["b", "b", "[END]"]
        ... )
        0.5
    """
    weights = _check_weights(weights, "pointing_accuracy")
    if len(source_tokens) != weights.shape[1]:
        raise ValueError(
            f"pointing_accuracy: {len(source_tokens)} source tokens for "
            f"weights with {weights.shape[1]} columns."
        )
    markers = {"", "[START]", "[END]", "[UNK]"}
    hits = steps = 0
    for row, token in zip(weights, target_tokens):
        if token in markers:
            continue
        steps += 1
        hits += source_tokens[int(np.argmax(row))] == token
    return hits / steps if steps else float("nan")


def attention_entropy(weights):
    """The entropy (in nats) of each row of attention weights,
    ``-sum_s a_s log a_s``.

    Zero weights contribute 0 (the limit of ``a log a``). 0 means the step
    looks at one position only; ``log(S)`` means uniform weights over ``S``
    positions, which says nothing about where the step looks.

    Args:
        weights: ``(tgt_len, src_len)`` weights, or ``(src_len,)`` for one
            step.

    Returns:
        an array of ``tgt_len`` entropies (a float for one step).

    Example:
        >>> attention_entropy(np.array([[1.0, 0.0], [0.5, 0.5]])).round(
        ...     4
        ... ).tolist()
        [0.0, 0.6931]
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim not in (1, 2):
        raise ValueError(
            "attention_entropy: weights must be 1-D or 2-D; got shape "
            f"{weights.shape}."
        )
    if np.any(weights < 0):
        raise ValueError("attention_entropy: weights must be non-negative.")
    terms = np.where(
        weights > 0,
        -weights * np.log(np.where(weights > 0, weights, 1.0)),
        0.0,
    )
    entropy = terms.sum(axis=-1)
    return float(entropy) if weights.ndim == 1 else entropy
