"""Weight averaging: translate with a moving average of the trained weights.

Late in training, Adam's steps make the weights jitter around a good point;
their exponential moving average (Polyak averaging) sits nearer to it and
usually translates better than the last weights, for one extra copy of the
weights and a multiply-add per step. Keras' optimizers keep such an average
(``use_ema=True``); :class:`AveragedAdam` is Adam with that average and a
momentum that **warms up**, and :func:`averaged_weights` swaps the average
into a model for as long as a checkpoint is being written.

Why not Keras' average as it is: it uses a fixed momentum ``m`` from the
second step on, so the average still holds ``m ** t`` of the random initial
weights after ``t`` steps: with ``m = 0.999``, 16 % after the 1,850 steps of
a 20-minute run, and 82 % after the 200 steps of a quick one. Here the
momentum at step ``t`` is ``min(m, (1 + t) / (10 + t))`` (the rule of
TensorFlow 1's ``ExponentialMovingAverage(num_updates=...)``): the average
spans roughly the last ``t / 9`` steps until that reaches ``1 / (1 - m)``.

Example:
    >>> optimizer = AveragedAdam(1e-3, ema_momentum=0.999)
    >>> [round(momentum(t, 0.999), 3) for t in (0, 1, 90, 10_000)]
    [0.0, 0.182, 0.91, 0.999]
"""

from __future__ import annotations

import contextlib

import keras
from keras import ops

__all__ = ["AveragedAdam", "averaged_weights", "keeps_average", "momentum"]


def keeps_average(optimizer):
    """Whether ``optimizer`` (or the one a loss-scale wrapper holds) keeps a
    moving average of the weights.

    Example:
        >>> (
        ...     keeps_average(AveragedAdam()),
        ...     keeps_average(keras.optimizers.Adam()),
        ... )
        (True, False)
    """
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    return bool(getattr(optimizer, "use_ema", False))


def momentum(step, ema_momentum):
    """The averaging momentum that :class:`AveragedAdam` uses at ``step``
    (0 at the first step: the average starts as the weights).

    Example:
        >>> [round(momentum(t, 0.99), 3) for t in (0, 8, 10**6)]
        [0.0, 0.5, 0.99]
    """
    if step == 0:
        return 0.0
    return min(ema_momentum, (1 + step) / (10 + step))


@keras.saving.register_keras_serializable(package="seq2seq_attention")
class AveragedAdam(keras.optimizers.Adam):
    """Adam that keeps a moving average of the weights, with the warming-up
    momentum of :func:`momentum` (see the module docstring for why).

    Takes Adam's arguments; ``use_ema`` is always on. Fit with
    ``keras.callbacks.SwapEMAWeights()`` to validate the average, and save
    the average with :func:`averaged_weights`
    (:func:`seq2seq_attention.training.train` does both).

    Example:
        >>> import numpy as np
        >>> model = keras.Sequential(
        ...     [keras.Input((1,)), keras.layers.Dense(1)]
        ... )
        >>> model.compile(AveragedAdam(0.1, ema_momentum=0.9), "mse")
        >>> x = y = np.ones((4, 1))
        >>> _ = model.fit(x, y, epochs=3, verbose=0)
        >>> model.optimizer.use_ema
        True
    """

    def __init__(self, learning_rate=0.001, ema_momentum=0.999, **kwargs):
        kwargs["use_ema"] = True
        super().__init__(learning_rate, ema_momentum=ema_momentum, **kwargs)

    def _update_model_variables_moving_average(self, trainable_variables):
        # Overrides Keras' fixed-momentum update (BaseOptimizer, Keras 3);
        # tests/test_averaging.py checks the average against momentum().
        step = ops.cast(self.iterations, "float32")
        rate = ops.minimum(self.ema_momentum, (1.0 + step) / (10.0 + step))
        rate = ops.where(ops.equal(self.iterations, 0), 0.0, rate)
        for variable, average in zip(
            trainable_variables, self._model_variables_moving_average
        ):
            if average is not None:
                m = ops.cast(rate, variable.dtype)
                average.assign(m * average + (1.0 - m) * variable)


@contextlib.contextmanager
def averaged_weights(model):
    """Within the block, ``model`` holds its optimizer's moving average of
    the weights (if the optimizer keeps one; else nothing changes); after
    it, the trained weights again.

    Example:
        >>> import numpy as np
        >>> model = keras.Sequential(
        ...     [keras.Input((1,)), keras.layers.Dense(1)]
        ... )
        >>> model.compile(AveragedAdam(0.1), "mse")
        >>> for _ in range(3):  # (fit would end by copying the average in)
        ...     _ = model.train_on_batch(np.ones((4, 1)), np.ones((4, 1)))
        >>> trained = model.get_weights()[0].copy()
        >>> with averaged_weights(model):
        ...     bool(np.allclose(model.get_weights()[0], trained))
        False
        >>> bool(np.array_equal(model.get_weights()[0], trained))
        True
    """
    optimizer = getattr(model, "optimizer", None)
    if not keeps_average(optimizer):
        yield model
        return
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # loss scale
    if not optimizer.built:
        yield model
        return
    variables = model.trainable_variables
    trained = [ops.convert_to_numpy(v) for v in variables]
    optimizer.finalize_variable_values(variables)  # average -> weights
    try:
        yield model
    finally:
        for variable, value in zip(variables, trained):
            variable.assign(value)
