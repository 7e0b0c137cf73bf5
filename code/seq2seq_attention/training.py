"""Training: profiles, callbacks, resumable runs, and scaling with
tf.distribute.

Everything goes through Keras' ``fit``. :func:`train` adds what a real run
needs:

- an atomically written checkpoint of the best model (a crash while saving
  never leaves a half-written ``.keras`` file where the last good one was);
- ``keras.callbacks.BackupAndRestore``, so that a run that was interrupted
  resumes at the epoch where it stopped when started again with the same
  ``run_dir``;
- early stopping on the validation loss, TensorBoard logs, and a progress
  line per epoch (``verbose=2``: no backspaces in notebook outputs);
- an optional ``tf.distribute`` strategy (``MirroredStrategy`` for several
  GPUs, ``MultiWorkerMirroredStrategy`` across machines): the model is built
  and compiled inside its scope, and Keras splits each batch across devices.

Profiles pick sizes for the machine: ``quick`` (a CPU: seconds to minutes)
or ``full`` (a GPU, e.g. Colab). See :func:`choose_profile`.
"""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import keras
import tensorflow as tf

from .metrics import MaskedTokenAccuracy, masked_loss

__all__ = [
    "Profile",
    "PROFILES",
    "choose_profile",
    "AtomicModelCheckpoint",
    "TimeBudget",
    "train",
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
            save_atomically(self.model, self.path)


def save_atomically(model, path):
    """Save ``model`` to ``path`` via a temporary file and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.stem}.tmp-{os.getpid()}.keras")
    try:
        model.save(temporary)
        os.replace(temporary, path)  # atomic on POSIX and Windows
    finally:
        temporary.unlink(missing_ok=True)


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
            TensorBoard logs. Starting again with the same folder resumes.
        learning_rate: Adam's learning rate (a number or a Keras schedule).
        patience: epochs without validation improvement before stopping.
        strategy: a ``tf.distribute.Strategy``; the default strategy if None.
        verbose: Keras' verbosity; 2 prints one line per epoch.
        callbacks: more Keras callbacks.
        tensorboard: write TensorBoard logs to ``run_dir/logs``.
        loss: the loss (default :func:`~.metrics.masked_loss`).
        optimizer: a function of no arguments that returns the optimizer
            (default ``Adam(learning_rate)``); called inside the strategy's
            scope, like ``model_fn``.

    Returns:
        ``(model, history)``; the model has the weights of the last epoch run.

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
    run_dir.mkdir(parents=True, exist_ok=True)
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
    monitor = "val_loss" if validation_data is not None else "loss"
    all_callbacks = [
        keras.callbacks.BackupAndRestore(str(run_dir / "backup")),
        AtomicModelCheckpoint(run_dir / "best.keras", monitor=monitor),
        keras.callbacks.EarlyStopping(monitor=monitor, patience=patience),
        *callbacks,
    ]
    if tensorboard:
        all_callbacks.append(
            keras.callbacks.TensorBoard(str(run_dir / "logs"))
        )
    # shuffle=False: a tf.data pipeline shuffles itself (with a seed), and
    # Keras would only warn that it ignores the flag.
    history = model.fit(
        train_data,
        validation_data=validation_data,
        epochs=epochs,
        callbacks=all_callbacks,
        verbose=verbose,
        shuffle=False,
    )
    return model, history


class TimeBudget(keras.callbacks.Callback):
    """Stop training once ``minutes`` of wall-clock time have passed.

    Checked after every batch; Keras then still runs the validation and the
    epoch-end callbacks of the epoch it stopped in, so the best checkpoint
    sees the last weights. ``steps``, ``wall_seconds`` and ``cpu_seconds``
    (all threads of the process) say what the budget bought.

    Example:
        >>> budget = TimeBudget(minutes=20)
        >>> budget.seconds
        1200.0
    """

    def __init__(self, minutes):
        super().__init__()
        if not minutes > 0:
            raise ValueError(f"a time budget must be positive; got {minutes}.")
        self.seconds = float(minutes) * 60
        self.steps = 0
        self.wall_seconds = self.cpu_seconds = 0.0

    def on_train_begin(self, logs=None):
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        self.wall_seconds = time.perf_counter() - self._wall
        self.cpu_seconds = time.process_time() - self._cpu
        if self.wall_seconds >= self.seconds:
            self.model.stop_training = True
