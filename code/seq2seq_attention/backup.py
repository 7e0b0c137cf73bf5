"""A training backup that a kill or a full disk cannot damage.

``keras.callbacks.BackupAndRestore`` overwrites ``backup/latest.weights.h5``
in place at the end of each epoch. A kill or a full disk during that write
leaves a damaged file, and every later run of the same folder then dies in
``h5py`` ("file signature not found"). :class:`AtomicBackupAndRestore`
keeps its interface and fixes that:

- each epoch's state (model and optimizer weights) goes to its own file,
  ``epoch-0003.weights.h5``, written atomically
  (:func:`~seq2seq_attention.runs.atomic_path`), then a small record,
  ``epoch-0003.json``, with the file's sha256, the epoch's logs and whether
  training stopped; the generation before it is kept;
- at start, the newest generation whose record and sha256 check out is
  restored; a damaged or incomplete one is discarded with a warning, so a
  run loses at most one epoch;
- the record restores what the other callbacks know, too
  (``on_restore``): :func:`seq2seq_attention.training.train` uses it to
  give the best-model checkpoint and early stopping their state back, so a
  resumed run neither overwrites a better ``best.keras`` nor forgets how
  long validation has not improved.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import keras

from . import runs
from .errors import RunFolderError

__all__ = ["AtomicBackupAndRestore"]

_GENERATION = re.compile(r"^epoch-(\d+)\.(json|weights\.h5)$")


def _warn(message):
    print(f"warning: {message}", file=sys.stderr, flush=True)


class AtomicBackupAndRestore(keras.callbacks.BackupAndRestore):
    """``BackupAndRestore`` whose backup is complete or absent, and checked.

    Args:
        backup_dir: the folder for the backup (one run's only).
        keep: keep the backup when training ends, marked completed, so that
            running again restores the final state instead of training again
            (run folders do this until their outputs are saved); by default
            it is deleted, as Keras does.
        on_restore: called with the restored record (a dict: ``epoch``,
            ``history`` of every epoch so far, ``stopped``) after the
            weights are loaded.

    Example:
        >>> import numpy as np, tempfile
        >>> model = keras.Sequential(
        ...     [keras.Input((2,)), keras.layers.Dense(1)]
        ... )
        >>> model.compile("sgd", "mse")
        >>> backup = AtomicBackupAndRestore(tempfile.mkdtemp(), keep=True)
        >>> x, y = np.ones((4, 2)), np.ones((4, 1))
        >>> _ = model.fit(x, y, epochs=2, callbacks=[backup], verbose=0)
        >>> record = backup.state()
        >>> (
        ...     record["epoch"],
        ...     record["completed"],
        ...     len(record["history"]["loss"]),
        ... )
        (2, True, 2)
    """

    def __init__(self, backup_dir, keep=False, on_restore=None):
        super().__init__(str(backup_dir), delete_checkpoint=not keep)
        self.folder = Path(backup_dir)
        self.keep = keep
        self.on_restore = on_restore
        self.history = {}
        self.restored = None

    # Reading ---------------------------------------------------------------

    def _generations(self):
        numbers = set()
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                match = _GENERATION.match(path.name)
                if match:
                    numbers.add(int(match.group(1)))
        return sorted(numbers, reverse=True)

    def _paths(self, epoch):
        stem = self.folder / f"epoch-{epoch:04d}"
        return stem.with_suffix(".json"), Path(f"{stem}.weights.h5")

    def _check(self, epoch):
        """The record of generation ``epoch``, or why it cannot be used."""
        record_path, weights_path = self._paths(epoch)
        if not weights_path.is_file():
            return None, "its weights file is missing"
        if not record_path.is_file():
            return None, "it is incomplete (killed while it was written)"
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            expected = record["sha256"]
        except (ValueError, KeyError, TypeError) as error:
            return None, f"its record is damaged ({type(error).__name__})"
        if runs.file_digest(weights_path) != expected:
            return None, "its weights file is damaged (sha256 mismatch)"
        return record, ""

    def state(self):
        """The newest usable backup record (``None`` if there is none).

        Damaged or incomplete generations are removed, each with a warning.
        """
        legacy = self.folder / "latest.weights.h5"
        if legacy.exists():
            _warn(
                f"{legacy} is a backup in Keras' own format, written in place "
                "(it may be damaged); it is not used: training starts from "
                "the newest backup in this package's format, if any."
            )
            for name in ("latest.weights.h5", "training_metadata.json"):
                (self.folder / name).unlink(missing_ok=True)
        generations = self._generations()
        for number in generations:
            record, problem = self._check(number)
            if record is not None:
                return record
            older = [n for n in generations if n < number]
            then = f"epoch {older[0]}" if older else "the start"
            _warn(
                f"the backup of epoch {number} in {self.folder} cannot be "
                f"used: {problem}; it is discarded and training resumes "
                f"from {then}."
            )
            for path in self._paths(number):
                path.unlink(missing_ok=True)
        return None

    # Restoring -------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self.history = {}
        self.restored = record = self.state()
        if record is None:
            return
        _, weights_path = self._paths(record["epoch"])
        optimizer = self.model.optimizer
        if optimizer is not None and not optimizer.built:
            # Optimizer variables must exist before loading (as Keras does).
            optimizer.build(self.model.trainable_variables)
        try:
            self.model.load_weights(weights_path)
        except ValueError as error:
            raise RunFolderError(
                f"the backup in {self.folder} was written by another model "
                f"({str(error).splitlines()[0][:120]}): delete that folder "
                "or use another run folder."
            ) from error
        # Keras' own BackupAndRestore resumes through this same attribute.
        self.model._initial_epoch = record["epoch"]
        self.history = {k: list(v) for k, v in record["history"].items()}
        if self.on_restore is not None:
            self.on_restore(record)

    # Writing ---------------------------------------------------------------

    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(float(value))
        self._save(epoch + 1)

    def on_train_batch_end(self, batch, logs=None):
        pass  # one backup per epoch

    def _save(self, epoch, completed=False):
        record_path, weights_path = self._paths(epoch)
        runs.check_free_space(
            self.folder, runs.save_size(self.model), "the training backup"
        )
        with runs.atomic_path(weights_path, "training backup") as temporary:
            self.model.save_weights(temporary)
        record = {
            "epoch": epoch,
            "sha256": runs.file_digest(weights_path),
            "history": self.history,
            "stopped": bool(self.model.stop_training),
            "completed": completed,
        }
        runs.atomic_write_json(record_path, record, "training backup")
        for number in self._generations():
            if number < epoch - 1:  # keep this generation and the one before
                for path in self._paths(number):
                    path.unlink(missing_ok=True)

    def on_train_end(self, logs=None):
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        record = self.state()
        if record is not None and not record["completed"]:
            record_path, _ = self._paths(record["epoch"])
            runs.atomic_write_json(
                record_path, dict(record, completed=True), "training backup"
            )
