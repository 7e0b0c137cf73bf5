"""Checkers for the exercises of chapter 05_3_training (Training).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_masked_cross_entropy(unfinished)
    ✘ masked_cross_entropy: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from ._harness import run_cases

__all__ = [
    "check_masked_cross_entropy",
    "check_masked_accuracy",
    "check_exact_match",
]


def _training_cases(seed):
    rng = np.random.default_rng(seed)
    cases = []
    for batch, steps, vocab, padded in (
        (2, 4, 5, [1, 3]),
        (3, 6, 9, [0, 2, 5]),
        (1, 3, 4, [0]),
    ):
        logits = rng.normal(size=(batch, steps, vocab)) * 3
        targets = rng.integers(1, vocab, size=(batch, steps))
        for row, n in enumerate(
            padded
        ):  # the last n positions of each row are padding
            if n:
                targets[row, steps - n :] = 0
        cases.append((f"logits {logits.shape} with padding", logits, targets))
    return cases


def check_masked_cross_entropy(fn):
    """Check ``fn(logits, targets) -> float``: mean cross-entropy over real
    (non-zero) targets.

    Example:
        >>> def mine(logits, targets):
        ...     log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        ...     real = targets != 0
        ...     return (
        ...         -(
        ...             np.take_along_axis(log_p, targets[..., None], -1)[
        ...                 ..., 0
        ...             ]
        ...             * real
        ...         ).sum()
        ...         / real.sum()
        ...     )
        >>> check_masked_cross_entropy(mine)
        ✔ masked_cross_entropy: matches Keras'
        SparseCategoricalCrossentropy(ignore_class=0) on 3 cases.
    """
    from ..metrics import masked_loss

    loss = masked_loss()
    cases = [
        (d, (logits, targets), float(loss(targets, logits.astype("float32"))))
        for d, logits, targets in _training_cases(4)
    ]
    run_cases(
        "masked_cross_entropy",
        fn,
        cases,
        "matches Keras' SparseCategoricalCrossentropy(ignore_class=0) on 3 "
        "cases.",
        "Hint: log-softmax over the vocabulary, pick each target's entry, "
        "average over targets != 0 only.",
        atol=1e-5,
    )


def check_masked_accuracy(fn):
    """Check ``fn(logits, targets) -> float``: fraction of real targets
    predicted by the argmax.

    Example:
        >>> check_masked_accuracy(
        ...     lambda l, t: (
        ...         ((l.argmax(-1) == t) & (t != 0)).sum() / (t != 0).sum()
        ...     )
        ... )
        ✔ masked_accuracy: matches the package's MaskedTokenAccuracy on 3
        cases.
    """
    from ..metrics import MaskedTokenAccuracy

    cases = []
    for description, logits, targets in _training_cases(5):
        metric = MaskedTokenAccuracy()
        metric.update_state(targets, logits)
        cases.append((description, (logits, targets), float(metric.result())))
    run_cases(
        "masked_accuracy",
        fn,
        cases,
        "matches the package's MaskedTokenAccuracy on 3 cases.",
        "Hint: compare logits.argmax(axis=-1) with the targets, and count "
        "only positions where targets != 0.",
    )


def check_exact_match(fn):
    """Check ``fn(hypotheses, references) -> float`` with several references
    per hypothesis.

    Example:
        >>> from seq2seq_attention.metrics import exact_match
        >>> check_exact_match(exact_match)
        ✔ exact_match: right on 3 cases, including several references and white
        space.
    """
    cases = [
        (
            "one reference each",
            (["2015-03-03", "2015-03-04"], [["2015-03-03"], ["2015-03-05"]]),
            0.5,
        ),
        (
            "several references",
            (["ve .", "hola ."], [["vete .", "ve ."], ["adiós ."]]),
            0.5,
        ),
        ("white space at the ends", ([" 1999-12-31 "], [["1999-12-31"]]), 1.0),
    ]
    run_cases(
        "exact_match",
        fn,
        cases,
        "right on 3 cases, including several references and white space.",
        "Hint: a hypothesis counts if its stripped text equals any of its "
        "stripped references.",
    )
