"""The moving average of the weights: its formula, the swap used to save it,
and its configuration. (Training runs that validate, save and resume with it
are in tests/test_training.py, beside the other training runs.)"""

import keras
import numpy as np
import pytest

from seq2seq_attention.averaging import (
    AveragedAdam,
    averaged_weights,
    momentum,
)


def dense_model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(AveragedAdam(0.05, ema_momentum=0.8), "mse")
    return model


@pytest.mark.parametrize("ema_momentum", [0.8, 0.999])
def test_average_follows_the_warming_up_momentum(ema_momentum):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(AveragedAdam(0.05, ema_momentum=ema_momentum), "mse")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(16, 3)), rng.normal(size=(16, 2))
    expected = None
    for step in range(30):
        model.train_on_batch(x, y)
        weights = model.get_weights()
        m = momentum(step, ema_momentum)
        expected = (
            weights
            if expected is None
            else [m * a + (1 - m) * w for a, w in zip(expected, weights)]
        )
    with averaged_weights(model):
        for got, want in zip(model.get_weights(), expected):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert not np.allclose(model.get_weights()[0], expected[0]), (
        "after 30 steps the average lags the weights"
    )


def test_momentum_warms_up_then_stays_at_its_ceiling():
    rates = [momentum(t, 0.99) for t in range(2000)]
    assert rates[0] == 0.0 and rates[1] == pytest.approx(2 / 11)
    assert all(a <= b for a, b in zip(rates, rates[1:]))
    assert rates[-1] == 0.99


def test_averaged_weights_restores_the_trained_weights_exactly():
    keras.utils.set_random_seed(0)
    model = dense_model()
    for _ in range(5):
        model.train_on_batch(np.ones((4, 3)), np.zeros((4, 2)))
    trained = model.get_weights()
    with pytest.raises(RuntimeError, match="inside"), averaged_weights(model):
        raise RuntimeError("inside")
    for got, want in zip(model.get_weights(), trained):
        np.testing.assert_array_equal(got, want)


def test_averaged_weights_without_an_average_changes_nothing():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("adam", "mse")
    model.train_on_batch(np.ones((4, 3)), np.zeros((4, 2)))
    before = model.get_weights()
    with averaged_weights(model):
        for got, want in zip(model.get_weights(), before):
            np.testing.assert_array_equal(got, want)


def test_optimizer_config_round_trips():
    optimizer = AveragedAdam(2e-3, ema_momentum=0.995, clipnorm=1.0)
    again = keras.optimizers.deserialize(keras.optimizers.serialize(optimizer))
    assert isinstance(again, AveragedAdam)
    assert (again.ema_momentum, again.clipnorm, again.use_ema) == (
        0.995,
        1.0,
        True,
    )
