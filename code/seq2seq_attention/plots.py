"""Plots of attention weights (matplotlib).

Example:
    >>> import numpy as np, matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_attention(
    ...     np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]),
    ...     source_tokens=["the", "black", "cat"],
    ...     target_tokens=["el", "gato"],
    ... )
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['the', 'black', 'cat']
"""

from __future__ import annotations

import numpy as np

__all__ = ["plot_attention"]


def plot_attention(
    weights,
    source_tokens=None,
    target_tokens=None,
    ax=None,
    title=None,
    annotate=None,
    cmap="viridis",
):
    """Draw attention weights as a heatmap: one row per decoder step ``t``,
    one column per source position ``s``.

    Args:
        weights: ``(tgt_len, src_len)`` array of weights ``alpha[t, s]``, or
            ``(src_len,)`` for a single decoder step. Tensors are converted.
        source_tokens: labels for the columns (``src_len`` of them).
        target_tokens: labels for the rows (``tgt_len`` of them).
        ax: matplotlib Axes to draw on; a new figure is made if omitted.
        title: optional title.
        annotate: write each weight in its cell; by default only when the
            grid is small enough to read (at most 12 x 12).
        cmap: matplotlib colour map.

    Returns:
        the matplotlib Axes.

    Raises:
        ValueError: if the weights are not 1-D or 2-D, or the number of
            labels does not match their shape.

    Example:
        >>> import numpy as np, matplotlib
        >>> matplotlib.use("Agg")
        >>> ax = plot_attention(np.array([0.2, 0.8]), source_tokens=["a", "b"])
        >>> ax.get_xlabel()
        'source position s'
    """
    import matplotlib.pyplot as plt

    weights = np.asarray(weights, dtype=float)
    if weights.ndim == 1:
        weights = weights[None, :]  # one decoder step: (1, src_len)
    if weights.ndim != 2:
        raise ValueError(
            "plot_attention: weights must have shape (tgt_len, src_len) or "
            f"(src_len,) for one sentence; got shape {weights.shape}. "
            "For a batch, plot one sentence at a time, e.g. weights[0]."
        )
    tgt_len, src_len = weights.shape
    for name, tokens, n, axis in (
        ("source_tokens", source_tokens, src_len, "columns (src_len)"),
        ("target_tokens", target_tokens, tgt_len, "rows (tgt_len)"),
    ):
        if tokens is not None and len(tokens) != n:
            raise ValueError(
                f"plot_attention: {name} has {len(tokens)} labels but the "
                f"weights have {n} {axis}; weights shape is "
                f"{weights.shape}."
            )

    if ax is None:
        _, ax = plt.subplots(
            figsize=(1.0 + 0.6 * src_len, 1.0 + 0.5 * tgt_len),
            layout="constrained",
        )
    image = ax.imshow(weights, cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto")
    ax.figure.colorbar(image, ax=ax, label="weight $\\alpha_{t,s}$")
    ax.set_xticks(
        range(src_len),
        source_tokens if source_tokens is not None else range(1, src_len + 1),
    )
    ax.set_yticks(
        range(tgt_len),
        target_tokens if target_tokens is not None else range(1, tgt_len + 1),
    )
    if source_tokens is not None:
        ax.tick_params(
            axis="x",
            labelrotation=45
            if max(map(len, map(str, source_tokens))) > 3
            else 0,
        )
    ax.set_xlabel("source position s")
    ax.set_ylabel("decoder step t")
    if title:
        ax.set_title(title)
    if annotate is None:
        annotate = tgt_len <= 12 and src_len <= 12
    if annotate:
        for t in range(tgt_len):
            for s in range(src_len):
                w = weights[t, s]
                ax.text(
                    s,
                    t,
                    f"{w:.2f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="black" if w > 0.6 else "white",
                )
    return ax
