"""The moving average of the weights: its formula, the swap used to save it,
and a training run that validates, saves and resumes with it."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from seq2seq_attention import training
from seq2seq_attention.averaging import (
    AveragedAdam,
    averaged_weights,
    momentum,
)
from seq2seq_attention.metrics import masked_loss
from seq2seq_attention.models import Seq2SeqAttention


def toy_data(seed=0, n=32, batch=8):
    rng = np.random.default_rng(seed)
    source = rng.integers(1, 20, (n, 6)).astype("int32")
    target = np.concatenate(
        [np.ones((n, 1)), rng.integers(3, 20, (n, 5))], 1
    ).astype("int32")
    return tf.data.Dataset.from_tensor_slices(
        ((source, target[:, :-1]), target[:, 1:])
    ).batch(batch)


class Interrupt(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 1:
            raise KeyboardInterrupt("simulated interruption")


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


def small_model():
    return Seq2SeqAttention(20, 20, embedding_dim=8, units=8)


def averaged_run(run_dir, epochs=4, callbacks=()):
    keras.utils.set_random_seed(0)
    return training.train(
        small_model,
        toy_data(),
        toy_data(seed=1),
        epochs=epochs,
        run_dir=run_dir,
        verbose=0,
        tensorboard=False,
        callbacks=callbacks,
        optimizer=lambda: AveragedAdam(1e-2, ema_momentum=0.9),
        patience=10,
    )


def test_training_validates_and_saves_the_average(tmp_path):
    model, history = averaged_run(tmp_path)
    losses = history.history["val_loss"]
    best = keras.saving.load_model(tmp_path / "best.keras", compile=False)
    best.compile(loss=masked_loss())
    saved = best.evaluate(toy_data(seed=1), verbose=0)
    assert saved == pytest.approx(min(losses), rel=1e-4), (
        "best.keras must hold the weights whose validation loss was best: "
        "the average"
    )
    if losses[-1] == min(losses):  # then it is the model train returns
        for got, want in zip(best.get_weights(), model.get_weights()):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_an_interrupted_averaged_run_resumes_to_the_same_weights(tmp_path):
    whole, _ = averaged_run(tmp_path / "whole")
    with pytest.raises(KeyboardInterrupt):
        averaged_run(tmp_path / "cut", callbacks=[Interrupt()])
    resumed, _ = averaged_run(tmp_path / "cut")
    for got, want in zip(resumed.get_weights(), whole.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
