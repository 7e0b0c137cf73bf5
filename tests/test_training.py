"""Training runs resume, checkpoints are atomic, profiles are chosen sensibly,
a mirrored (two-device) run matches a single-device run, and a run with
averaged weights validates, saves and resumes with the average."""

import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import tensorflow as tf

from seq2seq_attention import training
from seq2seq_attention.averaging import AveragedAdam
from seq2seq_attention.metrics import masked_loss
from seq2seq_attention.models import Seq2SeqAttention


def toy_data(n=32, batch=8, seed=0):
    rng = np.random.default_rng(seed)
    source = rng.integers(1, 20, (n, 6)).astype("int32")
    target = np.concatenate(
        [np.ones((n, 1)), rng.integers(3, 20, (n, 5))], 1
    ).astype("int32")
    return tf.data.Dataset.from_tensor_slices(
        ((source, target[:, :-1]), target[:, 1:])
    ).batch(batch)


def small_model():
    return Seq2SeqAttention(20, 20, embedding_dim=8, units=8)


class Interrupt(keras.callbacks.Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise KeyboardInterrupt("simulated interruption")


class RecordEpochs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.epochs = []

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs.append(epoch)


def test_interrupted_run_resumes_at_the_right_epoch(tmp_path):
    keras.utils.set_random_seed(0)
    with pytest.raises(KeyboardInterrupt):
        training.train(
            small_model,
            toy_data(),
            epochs=5,
            run_dir=tmp_path,
            verbose=0,
            tensorboard=False,
            callbacks=[Interrupt(at_epoch=2)],
        )
    assert (tmp_path / "best.keras").exists()
    record = RecordEpochs()
    _, history = training.train(
        small_model,
        toy_data(),
        epochs=5,
        run_dir=tmp_path,
        verbose=0,
        tensorboard=False,
        callbacks=[record],
    )
    assert record.epochs == [3, 4], (
        "epochs 0-2 finished before the interruption; resume at 3"
    )
    assert len(history.history["loss"]) == 2


def test_checkpoint_is_replaced_atomically(tmp_path, monkeypatch):
    keras.utils.set_random_seed(0)
    model, _ = training.train(
        small_model,
        toy_data(),
        epochs=1,
        run_dir=tmp_path,
        verbose=0,
        tensorboard=False,
    )
    best = tmp_path / "best.keras"
    before = best.read_bytes()

    def crash_midway(self, path, *args, **kwargs):
        with open(path, "wb") as f:
            f.write(b"half a zip file")
        raise OSError("disk full")

    monkeypatch.setattr(keras.Model, "save", crash_midway)
    with pytest.raises(OSError, match="disk full"):
        training.save_atomically(model, best)
    assert best.read_bytes() == before, (
        "the last good checkpoint must survive a failed save"
    )
    assert [
        p.name for p in tmp_path.iterdir() if p.name.startswith(".best")
    ] == [], "no temporary file left"
    monkeypatch.undo()
    loaded = keras.saving.load_model(best)
    assert isinstance(loaded, Seq2SeqAttention)


def test_checkpoint_monitor_must_exist(tmp_path):
    with pytest.raises(
        KeyError, match="monitors 'val_loss', but the logs only have"
    ):
        training.train(
            small_model,
            toy_data(),
            epochs=1,
            run_dir=tmp_path,
            verbose=0,
            tensorboard=False,
            callbacks=[
                training.AtomicModelCheckpoint(
                    tmp_path / "x.keras", monitor="val_loss"
                )
            ],
        )
    with pytest.raises(ValueError, match=r"saves a \.keras file"):
        training.AtomicModelCheckpoint(tmp_path / "x.h5")


def test_profile_choice(monkeypatch):
    monkeypatch.delenv(training.PROFILE_VARIABLE, raising=False)
    assert training.choose_profile().name == (
        "full" if tf.config.list_physical_devices("GPU") else "quick"
    )
    monkeypatch.setenv(training.PROFILE_VARIABLE, "full")
    assert training.choose_profile().name == "full"
    assert training.choose_profile("quick").name == "quick", (
        "the argument wins over the variable"
    )
    monkeypatch.setenv(training.PROFILE_VARIABLE, "huge")
    with pytest.raises(
        ValueError,
        match=r"Unknown profile 'huge' \(from \$SEQ2SEQ_ATTENTION_PROFILE\)",
    ):
        training.choose_profile()


def test_mirrored_strategy_matches_single_device():
    """Two logical CPUs under MirroredStrategy train like one device (same
    global batch)."""
    script = textwrap.dedent(
        """
        import numpy as np, tensorflow as tf, keras, tempfile
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        from seq2seq_attention import training
        from seq2seq_attention.models import Seq2SeqAttention
        rng = np.random.default_rng(0)
        source = rng.integers(1, 20, (32, 6)).astype("int32")
        target = np.concatenate(
            [np.ones((32, 1)), rng.integers(3, 20, (32, 5))], 1
        ).astype("int32")
        data = tf.data.Dataset.from_tensor_slices(
            ((source, target[:, :-1]), target[:, 1:])).batch(8)
        def run(strategy):
            keras.utils.set_random_seed(7)
            model, history = training.train(
                lambda: Seq2SeqAttention(20, 20, embedding_dim=8, units=8),
                data, epochs=3, run_dir=tempfile.mkdtemp(), verbose=0,
                tensorboard=False, strategy=strategy)
            return history.history["loss"], model.get_weights()
        mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        assert mirrored.num_replicas_in_sync == 2
        single_loss, single_weights = run(None)
        mirrored_loss, mirrored_weights = run(mirrored)
        print("losses", single_loss, mirrored_loss)
        np.testing.assert_allclose(mirrored_loss, single_loss, rtol=1e-4)
        for a, b in zip(mirrored_weights, single_weights):
            np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-5)
        print("MATCH")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True
    )
    assert "MATCH" in result.stdout, (
        result.stdout[-2000:] + result.stderr[-3000:]
    )


# -- training with a moving average of the weights (AveragedAdam) --


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
        averaged_run(tmp_path / "cut", callbacks=[Interrupt(at_epoch=1)])
    resumed, _ = averaged_run(tmp_path / "cut")
    for got, want in zip(resumed.get_weights(), whole.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
def test_building_before_fit_changes_no_number(decoder, tmp_path, monkeypatch):
    """``build_before_fit`` only saves a trace: a seeded run with dropout
    and a shuffled pipeline ends with the same losses and weights as one
    whose variables Keras creates while tracing."""

    def run(folder):
        keras.utils.set_random_seed(0)
        data = toy_data().unbatch().shuffle(32, seed=0).batch(8)
        model, history = training.train(
            lambda: Seq2SeqAttention(
                20, 20, embedding_dim=8, units=8, decoder=decoder, dropout=0.2
            ),
            data,
            toy_data(seed=1),
            epochs=2,
            run_dir=tmp_path / folder,
            verbose=0,
            tensorboard=False,
        )
        return history.history, model.get_weights()

    built = run("built")
    assert built[0]["loss"][0] > 0
    monkeypatch.setattr(training, "build_before_fit", lambda m, d: None)
    deferred = run("deferred")
    assert built[0] == deferred[0]
    assert all(np.array_equal(a, b) for a, b in zip(built[1], deferred[1]))
