"""Training: profiles, callbacks, resumable runs, and scaling with
tf.distribute.

Everything goes through Keras' ``fit``. :func:`train` adds what a real run
needs:

- an atomically written checkpoint of the best model (a crash while saving
  never leaves a half-written ``.keras`` file where the last good one was);
- a backup after each epoch that a kill or a full disk cannot damage
  (:class:`~seq2seq_attention.backup.AtomicBackupAndRestore`), so that a
  run that was interrupted resumes at the epoch where it stopped, with its
  best-model checkpoint and early stopping as they were, when started again
  with the same ``run_dir``;
- early stopping on the validation loss, TensorBoard logs, and progress
  (:mod:`~seq2seq_attention.progress`): one short line per epoch
  (``verbose=2``: no backspaces in notebook outputs), or a bar within each
  epoch on a terminal (``verbose=1``);
- an optional ``tf.distribute`` strategy (``MirroredStrategy`` for several
  GPUs, ``MultiWorkerMirroredStrategy`` across machines): the model is built
  and compiled inside its scope, and Keras splits each batch across devices.

Profiles pick sizes for the machine: ``quick`` (a CPU: seconds to minutes)
or ``full`` (a GPU, e.g. Colab). See :func:`choose_profile`.
"""

from __future__ import annotations

import dataclasses
import os
import textwrap
import time
from pathlib import Path

import keras
import tensorflow as tf

from . import progress, runs
from .averaging import averaged_weights, keeps_average
from .backup import AtomicBackupAndRestore
from .metrics import MaskedTokenAccuracy, masked_loss

__all__ = [
    "Profile",
    "PROFILES",
    "choose_profile",
    "AtomicModelCheckpoint",
    "TimeBudget",
    "train",
    "build_before_fit",
]

PROFILE_VARIABLE = "SEQ2SEQ_ATTENTION_PROFILE"


@dataclasses.dataclass(frozen=True)
class Profile:
    """Sizes for one kind of machine. Chapters and the CLI read these."""

    name: str
    embedding_dim: int
    units: int
    batch_size: int
    epochs: int
    max_train_examples: int | None  # None: the whole training split
    mixed_precision: bool

    def __str__(self):
        """The profile's sizes, wrapped to the book's code column.

        Example:
            >>> print(PROFILES["quick"])
            quick profile: embedding_dim=64, units=128, batch_size=64,
              epochs=8, max_train_examples=20000, mixed_precision=False
        """
        sizes = ", ".join(
            f"{field.name}={getattr(self, field.name)}"
            for field in dataclasses.fields(self)[1:]
        )
        return textwrap.fill(
            f"{self.name} profile: {sizes}",
            progress.WIDTH,
            subsequent_indent="  ",
        )


PROFILES = {
    "quick": Profile(
        "quick",
        embedding_dim=64,
        units=128,
        batch_size=64,
        epochs=8,
        max_train_examples=20_000,
        mixed_precision=False,
    ),
    "full": Profile(
        "full",
        embedding_dim=256,
        units=256,
        batch_size=64,
        epochs=30,
        max_train_examples=None,
        mixed_precision=True,
    ),
}


def choose_profile(name=None):
    """The profile to use: ``name`` if given, else the environment variable
    ``SEQ2SEQ_ATTENTION_PROFILE``, else ``full`` when TensorFlow sees a GPU
    and ``quick`` otherwise.

    Example:
        >>> choose_profile("quick").units
        128
        >>> choose_profile("fast")
        Traceback (most recent call last):
        ...
        ValueError: Unknown profile 'fast' (from the argument); choose 'quick'
        (CPU, minutes) or 'full' (GPU).
    """
    source = "the argument"
    if name is None and os.environ.get(PROFILE_VARIABLE):
        name, source = os.environ[PROFILE_VARIABLE], f"${PROFILE_VARIABLE}"
    if name is None:
        name = "full" if tf.config.list_physical_devices("GPU") else "quick"
    if name not in PROFILES:
        raise ValueError(
            f"Unknown profile {name!r} (from {source}); choose 'quick' "
            "(CPU, minutes) or 'full' (GPU)."
        )
    return PROFILES[name]


class AtomicModelCheckpoint(keras.callbacks.Callback):
    """Save the model to ``path`` (a ``.keras`` file) when ``monitor``
    improves, writing a temporary file first and renaming it over the old one,
    so the file at ``path`` is always a complete model.

    Example:
        >>> checkpoint = AtomicModelCheckpoint(
        ...     "/tmp/best.keras", monitor="val_loss"
        ... )
        >>> checkpoint.best
        inf
        >>> checkpoint.restore({"val_loss": [2.0, 1.5, 1.7]})
        >>> checkpoint.best
        1.5
    """

    def __init__(self, path, monitor="val_loss", mode="min"):
        super().__init__()
        self.path = Path(path)
        if self.path.suffix != ".keras":
            raise ValueError(
                "AtomicModelCheckpoint saves a .keras file; got path "
                f"{str(path)!r}."
            )
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max'; got {mode!r}.")
        self.monitor, self.mode = monitor, mode
        self.best = float("inf") if mode == "min" else float("-inf")

    def _improved(self, value):
        return value < self.best if self.mode == "min" else value > self.best

    def restore(self, history):
        """Take the best value so far from a resumed run's ``history``
        (so that a worse epoch after resuming does not replace the file)."""
        for value in history.get(self.monitor, []):
            if self._improved(float(value)):
                self.best = float(value)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.monitor not in logs:
            raise KeyError(
                f"AtomicModelCheckpoint monitors {self.monitor!r}, but the "
                f"logs only have {sorted(logs)}; pass validation data or "
                "monitor 'loss'."
            )
        value = float(logs[self.monitor])
        if self._improved(value):
            self.best = value
            with averaged_weights(self.model):  # the average, if one is kept
                save_atomically(self.model, self.path)


def save_atomically(model, path):
    """Save ``model`` to ``path``: complete or not at all (see
    :func:`seq2seq_attention.runs.save_model`)."""
    runs.save_model(model, path)


def _callbacks(
    run_dir, monitor, patience, keep_backup, verbose, tensorboard, average
):
    """The course's callbacks, in the order they must run at an epoch's
    end: the best model, early stopping, the backup (which records whether
    training stopped), progress; then the caller's; then TensorBoard's.
    With ``average`` (an optimizer that keeps a moving average of the
    weights), validation runs on the average. Returns
    ``(backup, first, last)``."""
    checkpoint = AtomicModelCheckpoint(run_dir / "best.keras", monitor=monitor)
    stopping = keras.callbacks.EarlyStopping(
        monitor=monitor, patience=patience
    )

    def resume(record):  # what the two callbacks knew before the interruption
        checkpoint.restore(record["history"])
        for epoch, value in enumerate(record["history"].get(monitor, [])):
            stopping.on_epoch_end(epoch, {monitor: value})

    backup = AtomicBackupAndRestore(
        run_dir / "backup", keep=keep_backup, on_restore=resume
    )
    first = [
        *([keras.callbacks.SwapEMAWeights()] if average else []),
        checkpoint,
        stopping,
        backup,
        *progress.training_callbacks(verbose),
    ]
    last = []
    if tensorboard:
        last.append(keras.callbacks.TensorBoard(str(run_dir / "logs")))
    return backup, first, last


def build_before_fit(model, data):
    """Create the variables of ``model`` and of its optimizer before ``fit``
    traces the train step, from a batch of ones shaped like ``data``'s
    elements (no batch is read: a shuffled pipeline keeps its order).

    Without a distribution strategy, Keras leaves this to the first trace,
    and TensorFlow traces a function that creates variables twice: measured
    here, 1.8 of the 4.1 s that tracing a small translator's train step
    took, paid again by every training run. Under a strategy Keras builds
    first itself, so this does nothing there.

    Example:
        >>> import numpy as np
        >>> model = keras.Sequential([keras.layers.Dense(2)])
        >>> model.compile("adam", "mse")
        >>> data = tf.data.Dataset.from_tensor_slices(
        ...     (np.ones((4, 3), "float32"), np.ones((4, 2), "float32"))
        ... ).batch(2)
        >>> build_before_fit(model, data)
        >>> model.built, model.optimizer.built
        (True, True)
    """
    if tf.distribute.has_strategy():
        return
    if not model.built:
        inputs = tf.nest.map_structure(
            lambda spec: tf.ones(
                [1 if d is None else d for d in spec.shape], spec.dtype
            ),
            data.element_spec[0],
        )
        model(inputs)  # an eager forward pass builds every layer
    if model.optimizer is not None and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)


def train(
    model_fn,
    train_data,
    validation_data=None,
    epochs=10,
    run_dir="runs/latest",
    learning_rate=1e-3,
    patience=3,
    strategy=None,
    verbose=2,
    callbacks=(),
    tensorboard=True,
    loss=None,
    optimizer=None,
    keep_backup=False,
):
    """Build, compile and fit a model with the course's callbacks.

    Args:
        model_fn: a function with no arguments that returns a new (uncompiled)
            model, e.g. ``lambda: Seq2SeqAttention(...)``. It is called inside
            ``strategy.scope()`` so that the variables are mirrored.
        train_data, validation_data: ``tf.data.Dataset`` of
            ``((source_ids, target_in_ids), target_out_ids)`` batches.
        epochs: the epoch to stop at (a resumed run counts from where it
            stopped).
        run_dir: folder for ``best.keras``, the backup used to resume, and
            TensorBoard logs. Starting again with the same folder resumes
            from the last finished epoch, with the best-model checkpoint and
            early stopping as they were (a damaged backup is discarded with
            a warning; see :mod:`seq2seq_attention.backup`).
        learning_rate: Adam's learning rate (a number or a Keras schedule).
        patience: epochs without validation improvement before stopping.
        strategy: a ``tf.distribute.Strategy``; the default strategy if None.
        verbose: 0 silent; 2 one short line per epoch
            (:class:`~seq2seq_attention.progress.EpochLog`); 1 a progress bar
            within each epoch on a terminal, else one line per epoch.
        callbacks: more Keras callbacks.
        tensorboard: write TensorBoard logs to ``run_dir/logs``.
        loss: the loss (default :func:`~.metrics.masked_loss`).
        optimizer: a function of no arguments that returns the optimizer
            (default ``Adam(learning_rate)``); called inside the strategy's
            scope, like ``model_fn``.
        keep_backup: keep the backup when training ends (marked completed),
            so that a second call restores the final weights instead of
            training again; run folders delete it once their outputs are
            saved. By default it is deleted at the end, as Keras does.

    Returns:
        ``(model, history)``; the model has the weights of the last epoch run
        (their moving average, if the optimizer keeps one, e.g.
        :class:`~seq2seq_attention.averaging.AveragedAdam`: then validation
        and ``best.keras`` use the average too) and ``history`` the epochs
        of this call (of the whole run, when a
        kept backup says training had already ended).

    Example:
        >>> import numpy as np, tempfile, tensorflow as tf
        >>> from seq2seq_attention.models import Seq2SeqAttention
        >>> data = tf.data.Dataset.from_tensor_slices(
        ...     (
        ...         (np.ones((8, 3), "int32"), np.ones((8, 2), "int32")),
        ...         np.ones((8, 2), "int32"),
        ...     )
        ... ).batch(4)
        >>> model, history = train(
        ...     lambda: Seq2SeqAttention(5, 5, embedding_dim=4, units=4),
        ...     data,
        ...     epochs=2,
        ...     run_dir=tempfile.mkdtemp(),
        ...     verbose=0,
        ...     tensorboard=False,
        ... )
        >>> len(history.history["loss"])
        2
    """
    run_dir = Path(run_dir)
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise runs.WriteError(
            runs.describe_os_error(error, run_dir, "create")
        ) from error
    runs.remove_temporaries(run_dir)  # half-written files of killed runs
    strategy = strategy or tf.distribute.get_strategy()
    with strategy.scope():
        model = model_fn()
        model.compile(
            optimizer=(
                optimizer()
                if optimizer
                else keras.optimizers.Adam(learning_rate)
            ),
            loss=loss or masked_loss(),
            metrics=[MaskedTokenAccuracy()],
        )
        build_before_fit(model, train_data)
    monitor = "val_loss" if validation_data is not None else "loss"
    average = keeps_average(model.optimizer)
    backup, first, last = _callbacks(
        run_dir, monitor, patience, keep_backup, verbose, tensorboard, average
    )
    record = backup.state()
    done = record is not None and (record["completed"] or record["stopped"])
    # shuffle=False: a tf.data pipeline shuffles itself (with a seed), and
    # Keras would only warn that it ignores the flag. A finished run (kept
    # backup) runs no epoch: the backup restores its final weights.
    history = model.fit(
        train_data,
        validation_data=None if done else validation_data,
        epochs=record["epoch"] if done else epochs,
        callbacks=[*first, *callbacks, *last],
        verbose=0,
        shuffle=False,
    )
    if done:
        history.history = record["history"]
        history.epoch = list(range(record["epoch"]))
    return model, history


class TimeBudget(keras.callbacks.Callback):
    """Stop training once ``minutes`` of wall-clock time have passed (or of
    CPU time, with ``clock="cpu"``: a budget that other load on the machine
    does not shorten).

    Checked after every batch; Keras then still runs the validation and the
    epoch-end callbacks of the epoch it stopped in, so the best checkpoint
    sees the last weights. ``steps``, ``wall_seconds`` and ``cpu_seconds``
    (all threads of the process) say what the budget bought.

    Example:
        >>> budget = TimeBudget(minutes=20)
        >>> budget.seconds
        1200.0
    """

    def __init__(self, minutes, clock="wall"):
        super().__init__()
        if not minutes > 0:
            raise ValueError(f"a time budget must be positive; got {minutes}.")
        if clock not in ("wall", "cpu"):
            raise ValueError(f'clock must be "wall" or "cpu"; got {clock!r}.')
        self.seconds, self.clock = float(minutes) * 60, clock
        self.steps = 0
        self.wall_seconds = self.cpu_seconds = 0.0

    def on_train_begin(self, logs=None):
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        self.wall_seconds = time.perf_counter() - self._wall
        self.cpu_seconds = time.process_time() - self._cpu
        spent = self.wall_seconds if self.clock == "wall" else self.cpu_seconds
        if spent >= self.seconds:
            self.model.stop_training = True
