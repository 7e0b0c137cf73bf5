"""Checkers for the exercises of chapter 05_5_finetuning (Fine-tuning).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_oov_rate(unfinished)
    ✘ oov_rate: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from ._harness import run_cases

__all__ = [
    "check_oov_rate",
    "check_grow_output_layer",
    "check_warmup_cosine",
]


def check_oov_rate(fn):
    """Check ``fn(tokens, vocabulary) -> float``: the share of ``tokens`` not
    in ``vocabulary``.

    Example:
        >>> check_oov_rate(
        ...     lambda tokens, vocabulary: (
        ...         sum(t not in set(vocabulary) for t in tokens) / len(tokens)
        ...     )
        ... )
        ✔ oov_rate: right on 4 cases, repeated tokens included.
    """
    vocabulary = ["a", "b", "c", "d", "e", " ", "1", "2"]
    cases = [
        ("all known", (list("abc 12"), vocabulary), 0.0),
        ("one unknown of four", (list("abcé"), vocabulary), 0.25),
        (
            "a repeated unknown counts each time",
            (list("ñañaa"), vocabulary),
            0.4,
        ),
        ("nothing known", (list("xyz"), vocabulary), 1.0),
    ]
    run_cases(
        "oov_rate",
        fn,
        cases,
        "right on 4 cases, repeated tokens included.",
        "Hint: count every token occurrence (not distinct tokens) that is "
        "missing from the vocabulary, then divide by the number of "
        "tokens.",
    )


def _grow_output_layer(kernel, bias, unk_id, k):
    kernel2 = np.concatenate(
        [kernel, np.repeat(kernel[:, unk_id : unk_id + 1], k, axis=1)], axis=1
    )
    bias2 = np.concatenate([bias, np.full(k, bias[unk_id])])
    bias2[[unk_id, *range(len(bias), len(bias) + k)]] -= np.log(k + 1.0)
    return kernel2, bias2


def check_grow_output_layer(fn):
    """Check ``fn(kernel, bias, unk_id, k) -> (new_kernel, new_bias)``: ``k``
    new output columns that copy ``[UNK]``'s, with ``[UNK]`` and the new tokens
    sharing ``[UNK]``'s old probability equally, so that every old token keeps
    its probability (what :func:`~seq2seq_attention.finetune.extend_vocabulary`
    does).

    Example:
        >>> check_grow_output_layer(_grow_output_layer)
        ✔ grow_output_layer: old tokens keep their probabilities; [UNK] and the
        new tokens share [UNK]'s.
    """
    rng = np.random.default_rng(5)
    cases = []
    for units, vocab, k in ((3, 6, 1), (4, 9, 3), (2, 5, 0)):
        kernel, bias = rng.normal(size=(units, vocab)), rng.normal(size=vocab)
        cases.append(
            (
                f"units={units}, vocabulary={vocab}, k={k}",
                (kernel, bias, 1, k),
                _grow_output_layer(kernel, bias, 1, k),
            )
        )
    run_cases(
        "grow_output_layer",
        fn,
        cases,
        "old tokens keep their probabilities; [UNK] and the new tokens "
        "share [UNK]'s.",
        "Hint: append k copies of the [UNK] column (and bias); then lower "
        "the biases of [UNK] and of the k new tokens by log(k + 1), so "
        "that their k + 1 equal probabilities add up to [UNK]'s old one.",
        outputs=("kernel", "bias"),
    )


def check_warmup_cosine(fn):
    """Check ``fn(step, peak, total_steps, warmup_steps) -> learning rate``:
    linear warm-up from 0 to ``peak``, then cosine decay to 0 at
    ``total_steps`` (and 0 after), as
    :func:`~seq2seq_attention.finetune.learning_rate_schedule`.

    Example:
        >>> import math
        >>> def warmup_cosine(step, peak, total, warmup):
        ...     if step < warmup:
        ...         return peak * step / warmup
        ...     progress = min((step - warmup) / (total - warmup), 1.0)
        ...     return peak * 0.5 * (1 + math.cos(math.pi * progress))
        >>> check_warmup_cosine(warmup_cosine)
        ✔ warmup_cosine: agrees with learning_rate_schedule on 9 steps of 2
        schedules.
    """
    from ..finetune import learning_rate_schedule

    cases = []
    for peak, total, warmup in ((1e-3, 100, 10), (3e-4, 50, 0)):
        schedule = learning_rate_schedule(peak, total, warmup)
        for step in (0, 5, 10, 55, 120) if warmup else (0, 25, 49, 60):
            cases.append(
                (
                    f"step {step} (peak={peak}, total={total}, "
                    f"warmup={warmup})",
                    (step, peak, total, warmup),
                    float(schedule(step)),
                )
            )
    run_cases(
        "warmup_cosine",
        fn,
        cases,
        "agrees with learning_rate_schedule on 9 steps of 2 schedules.",
        "Hint: during warm-up the rate grows linearly from 0 (step 0) to "
        "peak (step = warmup); then it is peak * (1 + cos(pi * "
        "progress)) / 2 with progress = (step - warmup) / (total - "
        "warmup), capped at 1.",
        atol=1e-9,
    )
