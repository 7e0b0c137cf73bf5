"""Learning-rate schedules for training from scratch.

:class:`WarmupInverseSqrt` rises linearly to its peak over ``warmup_steps``
steps, then decays as ``1 / sqrt(step)`` (Vaswani et al., 2017). It needs no
total number of steps, so it suits a run that stops on a time budget or by
early stopping, and a resumed run continues it exactly (it depends on the
optimizer's step count only). Fine-tuning, whose length is known, uses
warm-up then cosine decay
(:func:`seq2seq_attention.finetune.learning_rate_schedule`).

Example:
    >>> schedule = WarmupInverseSqrt(2e-3, warmup_steps=400)
    >>> [round(float(schedule(s)), 6) for s in (0, 199, 399, 1599)]
    [5e-06, 0.001, 0.002, 0.001]
"""

from __future__ import annotations

import keras
from keras import ops

__all__ = ["WarmupInverseSqrt"]


@keras.saving.register_keras_serializable(package="seq2seq_attention")
class WarmupInverseSqrt(keras.optimizers.schedules.LearningRateSchedule):
    """``peak * min(n / warmup_steps, sqrt(warmup_steps / n))`` at step
    ``n = step + 1``.

    Args:
        peak: the learning rate reached at the end of the warm-up.
        warmup_steps: steps of linear warm-up (0: start at the peak, then
            decay from step 1).
    """

    def __init__(self, peak, warmup_steps):
        if not peak > 0:
            raise ValueError(
                f"peak learning rate must be positive; got {peak}."
            )
        if warmup_steps < 0:
            raise ValueError(f"warmup_steps must be >= 0; got {warmup_steps}.")
        self.peak, self.warmup_steps = float(peak), int(warmup_steps)

    def __call__(self, step):
        n = ops.cast(step, "float32") + 1.0
        warmup = float(max(self.warmup_steps, 1))
        factor = ops.minimum(n / warmup, ops.sqrt(warmup / n))
        return self.peak * factor

    def get_config(self):
        return {"peak": self.peak, "warmup_steps": self.warmup_steps}
