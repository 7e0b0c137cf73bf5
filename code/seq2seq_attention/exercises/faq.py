"""Checkers for the exercises of chapter 09_faq (FAQ).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_quadratic_fit(unfinished)
    ✘ quadratic_fit: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from ._harness import run_cases

__all__ = [
    "check_quadratic_fit",
    "check_padding_mask",
    "check_local_mask",
]


def check_quadratic_fit(fn):
    """Check ``fn(n, seconds) -> (a, b, c)``, the least-squares
    ``a n^2 + b n + c``.

    Example:
        >>> check_quadratic_fit(lambda n, t: tuple(np.polyfit(n, t, 2)))
        ✔ quadratic_fit: the least-squares coefficients on 3 data sets.
    """
    rng = np.random.default_rng(9)
    n1 = np.array([32, 64, 128, 256, 512, 1024], float)
    t1 = 2e-6 * n1**2 + 1e-3 * n1 + 0.05
    n2 = np.array([10, 20, 30, 40, 50], float)
    t2 = 3 * n2 + 1 + rng.normal(scale=0.5, size=5)
    n3 = np.arange(1, 9, dtype=float)
    t3 = n3**2 * (1 + 0.1 * rng.normal(size=8))
    cases = [
        (desc, (n, t), tuple(np.polyfit(n, t, 2)))
        for desc, n, t in (
            ("an exact quadratic", n1, t1),
            ("a noisy straight line", n2, t2),
            ("a noisy parabola", n3, t3),
        )
    ]
    run_cases(
        "quadratic_fit",
        fn,
        cases,
        "the least-squares coefficients on 3 data sets.",
        "Hint: build X = [n**2, n, 1] column by column and solve "
        "np.linalg.lstsq(X, seconds), or call np.polyfit(n, seconds, 2); "
        "return (a, b, c), highest power first.",
        atol=1e-6,
        outputs=("a", "b", "c"),
    )


def check_padding_mask(fn):
    """Check ``fn(lengths, src_len) -> mask``, the boolean mask of a padded
    batch.

    ``mask[b, s]`` is ``True`` when position ``s`` of sentence ``b`` is a real
    token (``s < lengths[b]``) and ``False`` for padding.

    Example:
        >>> check_padding_mask(
        ...     lambda lengths, n: (
        ...         np.arange(n)[None, :] < np.asarray(lengths)[:, None]
        ...     )
        ... )
        ✔ padding_mask: right for 3 batches, including a sentence of length 0.
    """
    cases = [
        (
            f"lengths {list(lengths)} padded to {n}",
            (np.array(lengths), n),
            (np.arange(n)[None, :] < np.array(lengths)[:, None]).astype(float),
        )
        for lengths, n in (([3, 1], 4), ([5, 5, 2], 5), ([0, 2], 3))
    ]
    run_cases(
        "padding_mask",
        _as_float(fn),
        cases,
        "right for 3 batches, including a sentence of length 0.",
        "Hint: compare the positions np.arange(src_len) (one row) with the "
        "lengths (one column): np.arange(src_len)[None, :] < lengths[:, "
        "None].",
    )


def _as_float(fn):
    """``fn`` whose result (a boolean mask, say) is compared as floats;
    ``None`` stays ``None``."""

    def wrapped(*args):
        result = fn(*args)
        return None if result is None else np.asarray(result, float)

    return wrapped


def check_local_mask(fn):
    """Check ``fn(n, window) -> mask``, local attention: each position sees its
    neighbours only.

    ``mask[t, s]`` is ``True`` when ``|t - s| <= window``: the ``(n, n)`` band
    that local attention scores, ``O(n * window)`` pairs instead of ``n^2``.

    Example:
        >>> check_local_mask(
        ...     lambda n, w: (
        ...         np.abs(np.arange(n)[:, None] - np.arange(n)[None, :]) <= w
        ...     )
        ... )
        ✔ local_mask: the band |t - s| <= window for 3 cases.
    """
    cases = [
        (
            f"n={n}, window={w}",
            (n, w),
            (
                np.abs(np.arange(n)[:, None] - np.arange(n)[None, :]) <= w
            ).astype(float),
        )
        for n, w in ((5, 1), (6, 0), (4, 10))
    ]
    run_cases(
        "local_mask",
        _as_float(fn),
        cases,
        "the band |t - s| <= window for 3 cases.",
        "Hint: the distance between query t and key s is abs(t - s); "
        "np.arange(n)[:, None] - np.arange(n)[None, :] gives all of them "
        "at once.",
    )
