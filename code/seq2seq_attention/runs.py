"""Run folders: what ``train --out`` and ``finetune --out`` hold and promise.

A run folder holds one run::

    RUN/
      manifest.json      what the run is (below); written atomically
      .lock              locked by the process using the folder (its pid)
      backup/            the training state after each finished epoch
      best.keras         the model with the best validation loss so far
      translator.keras   the finished translator
      split/             train: the data split (source first)
      logs/              TensorBoard logs
      finetune_report.json, finetune.json   finetune: report and settings

The contract (tested in ``tests/test_runs.py`` and ``tests/test_faults.py``):

1. **Complete or absent.** Every file is written to a temporary name in
   its folder (``.best.tmp-PID.keras``), flushed to disk and renamed over
   the old one (:func:`atomic_path`): a kill or a full disk at any moment
   leaves the old version or the new one, never half of one. Temporary
   files of a killed process are removed when the folder is next used.
2. **One process at a time.** A process holds ``.lock`` (an advisory
   ``flock``) while it uses the folder; a second one is refused in one line
   that names the holder's pid (:class:`RunFolder`).
3. **Same settings resume.** The manifest records the settings and a
   fingerprint of the data (:func:`fingerprint`). Run again with the same
   ones, an interrupted run resumes from its last finished epoch (at most
   one epoch is lost; a damaged backup is discarded with a warning and the
   one before it is used), and a finished run says so and exits with
   status 0 without training again.
4. **Other settings are refused**, with the list of what differs
   (:func:`settings_differences`), unless ``--overwrite`` is given (which
   removes the old run's files first) or another folder is used.
5. **Operating-system errors** (no space, read-only, permission, a lock
   held) become one-line messages naming the path and the fix
   (:func:`describe_os_error`), raised as
   :class:`~seq2seq_attention.errors.RunFolderError`.

The manifest::

    {
        "format": 1,
        "kind": "train",
        "state": "running" | "finished",
        "command": ["train", "--data", "dates", ...],
        "package_version": "0.1.0",
        "data": "<sha256 of the pairs, 16 hex digits>",
        "settings": {...},
        "created": "2026-01-01T12:00:00+00:00",
        "updated": "...",
        "finished": "...",
        "pid": 1234,
    }

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "run"
    >>> with RunFolder(folder, "train") as run:
    ...     run.start({"seed": 0}, data="ab12", command=["train"])
    'new'
    >>> with RunFolder(folder, "train") as run:
    ...     run.start({"seed": 0}, data="ab12", command=["train"])
    'resume'
    >>> with RunFolder(folder, "train") as run:
    ...     run.start(
    ...         {"seed": 1}, data="ab12", command=["train"]
    ...     )  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seq2seq_attention.errors.RunFolderError: ... holds a train run with
    other settings (seed: 0 then, 1 now): ...
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
from pathlib import Path

import numpy as np

from .errors import RunFolderError


class WriteError(RunFolderError, OSError):
    """A file or folder could not be written (no space, read-only, no
    permission): a :class:`~seq2seq_attention.errors.RunFolderError` that
    is also the ``OSError`` callers caught before, with a one-line message
    naming the path and the fix (:func:`describe_os_error`)."""


try:  # advisory locks: POSIX (Linux, macOS, Colab)
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, the rest holds
    fcntl = None

__all__ = [
    "MANIFEST",
    "RUN_FILES",
    "RunFolder",
    "WriteError",
    "atomic_path",
    "atomic_write_json",
    "check_free_space",
    "describe_os_error",
    "file_digest",
    "fingerprint",
    "read_manifest",
    "remove_folder",
    "remove_temporaries",
    "replace_folder",
    "save_model",
    "save_size",
    "settings_differences",
    "temporary_path",
]

MANIFEST = "manifest.json"
LOCK = ".lock"
FORMAT = 1
RUN_FILES = (
    MANIFEST,
    "translator.keras",
    "best.keras",
    "backup",
    "split",
    "logs",
    "finetune_report.json",
    "finetune.json",
    "tokenizers.json",
)
"""What a run writes; ``--overwrite`` removes these and nothing else."""

_TEMPORARY = re.compile(r"^\..+\.tmp-(\d+)(\.[\w.]+)?$")
_COMPOUND_SUFFIXES = (".weights.h5",)


# -- Writing files that are complete or absent ------------------------------


def temporary_path(path):
    """The temporary name :func:`atomic_path` writes ``path`` under.

    It is hidden, in the same folder (so the rename is atomic), names the
    writing process, and keeps the suffix that Keras checks.

    Example:
        >>> temporary_path("run/best.keras").name.startswith(".best.tmp-")
        True
        >>> temporary_path("b/epoch-0003.weights.h5").name.endswith(
        ...     ".weights.h5"
        ... )
        True
    """
    path = Path(path)
    suffix = next(
        (s for s in _COMPOUND_SUFFIXES if path.name.endswith(s)), path.suffix
    )
    stem = path.name[: len(path.name) - len(suffix)] if suffix else path.name
    return path.with_name(f".{stem}.tmp-{os.getpid()}{suffix}")


def _fsync_directory(folder):
    """Make a rename in ``folder`` durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":  # pragma: no cover
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def atomic_path(path, what="file"):
    """Write ``path`` completely or not at all.

    Yields a temporary path in the same folder; write the file there. When
    the block ends normally the file is flushed to disk and renamed over
    ``path`` (``os.replace``: atomic on POSIX and Windows); when it raises,
    the temporary file is removed and ``path`` is untouched. An ``OSError``
    becomes a one-line :class:`~seq2seq_attention.errors.RunFolderError`.

    Example:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "notes.txt"
        >>> with atomic_path(target) as temporary:
        ...     _ = temporary.write_text("complete")
        >>> target.read_text(), [p.name for p in target.parent.iterdir()]
        ('complete', ['notes.txt'])
    """
    path = Path(path)
    temporary = temporary_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        yield temporary
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
        _fsync_directory(path.parent)
    except OSError as error:
        if isinstance(error, RunFolderError):
            raise
        raise WriteError(
            describe_os_error(error, path, f"write the {what}")
        ) from error
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def atomic_write_json(path, value, what="file"):
    """Write ``value`` as indented JSON to ``path`` with :func:`atomic_path`.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "scores.json"
        >>> atomic_write_json(path, {"bleu": 12.5})
        >>> json.loads(path.read_text())
        {'bleu': 12.5}
    """
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    with atomic_path(path, what) as temporary:
        temporary.write_text(text + "\n", encoding="utf-8")


def save_size(model):
    """About how many bytes saving ``model`` needs, with a margin: twice its
    variables and its optimizer's, plus 1 MiB for the file format.

    Example:
        >>> import keras
        >>> save_size(
        ...     keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        ... )
        1048600
    """
    total = 0
    optimizer = getattr(model, "optimizer", None)
    variables = list(model.variables)
    if optimizer is not None:
        variables += list(getattr(optimizer, "variables", []))
    for variable in variables:
        count = int(np.prod(variable.shape))
        total += count * np.dtype(variable.dtype).itemsize
    return 2 * total + 2**20


def check_free_space(folder, needed_bytes, what):
    """Refuse to start writing ``what`` into ``folder`` without room for it.

    Writers of HDF5 files do not always fail cleanly on a full disk (a
    half-written file, once a crash): checking first turns the common case
    into a one-line error that names the folder and the fix.

    Example:
        >>> check_free_space(".", 1, "a tiny file")
        >>> check_free_space(".", 10**18, "a huge file")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        seq2seq_attention.runs.WriteError: cannot write a huge file in .:
        not enough free space (... MB free, about 1000000000000.0 MB
        needed); ...
    """
    folder = Path(folder)
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if free < needed_bytes:
        raise WriteError(
            f"cannot write {what} in {folder}: not enough free space "
            f"({free / 1e6:.1f} MB free, about {needed_bytes / 1e6:.1f} MB "
            "needed); free some space or use a folder on another disk, "
            "then run the same command again."
        )


def save_model(model, path, what="model"):
    """``model.save(path)`` that is complete or absent (:func:`atomic_path`),
    after checking there is room for it (:func:`check_free_space`).

    Example:
        >>> import keras, tempfile
        >>> model = keras.Sequential(
        ...     [keras.Input((2,)), keras.layers.Dense(1)]
        ... )
        >>> path = Path(tempfile.mkdtemp()) / "model.keras"
        >>> save_model(model, path)
        >>> keras.saving.load_model(path).count_params()
        3
    """
    path = Path(path)
    check_free_space(path.parent, save_size(model), path)
    with atomic_path(path, what) as temporary:
        model.save(temporary)


def remove_temporaries(folder, *, only_dead=True):
    """Remove the temporary files (:func:`temporary_path`) under ``folder``
    that a killed process left; returns the removed paths.

    Args:
        folder: the run folder (searched recursively).
        only_dead: keep the files of processes that are still running
            (``False`` when the caller holds the folder's lock, so no other
            process may be writing there).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / ".best.tmp-999999999.keras").write_bytes(b"half")
        >>> [p.name for p in remove_temporaries(folder)]
        ['.best.tmp-999999999.keras']
    """
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for path in sorted(folder.rglob(".*.tmp-*")):
        match = _TEMPORARY.match(path.name)
        if not match or not path.exists():
            continue
        pid = int(match.group(1))
        if pid == os.getpid() or (only_dead and _alive(pid)):
            continue
        if path.is_dir():
            remove_folder(path)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def remove_folder(path):
    """Remove a folder and what it holds, if it is there."""
    shutil.rmtree(path, ignore_errors=True)


def replace_folder(new, target):
    """Put the folder ``new`` in the place of ``target`` (which may exist).

    Folders cannot be swapped in one atomic step: the old one is first
    renamed to a temporary name, so a kill in between leaves either the old
    folder, or the new one, and a temporary folder that
    :func:`remove_temporaries` removes later.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> (root / "new").mkdir()
        >>> (root / "split").mkdir()
        >>> _ = (root / "new" / "a.tsv").write_text("new")
        >>> replace_folder(root / "new", root / "split")
        >>> (
        ...     [p.name for p in root.iterdir()],
        ...     (root / "split" / "a.tsv").read_text(),
        ... )
        (['split'], 'new')
    """
    new, target = Path(new), Path(target)
    aside = None
    if target.exists():
        aside = temporary_path(target.with_name(target.name + "-old"))
        os.replace(target, aside)
    os.replace(new, target)
    _fsync_directory(target.parent)
    if aside is not None:
        remove_folder(aside)


def file_digest(path):
    """A short sha256 of a file's bytes (its identity in a manifest).

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "model.keras"
        >>> _ = path.write_bytes(b"weights")
        >>> file_digest(path)
        '9a129038d9a00aed'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:  # pragma: no cover - e.g. Windows
        return True
    return True


# -- Messages ---------------------------------------------------------------

_CAUSES = {
    errno.ENOSPC: "no space left on the device",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EIO: "input/output error (a failing disk or a network drive)",
}
if hasattr(errno, "EDQUOT"):
    _CAUSES[errno.EDQUOT] = "the disk quota is exceeded"

_RESUMES = "then run the same command again (the run resumes)"
_FIXES = {
    errno.ENOSPC: (
        f"free some space or use a folder on another disk, {_RESUMES}"
    ),
    errno.EROFS: "give a folder you can write to",
    errno.EACCES: "give a folder you can write to, or change its permissions",
    errno.EPERM: "give a folder you can write to, or change its permissions",
    errno.ENOENT: "check the path",
    errno.EIO: f"check the disk, {_RESUMES}",
}
if hasattr(errno, "EDQUOT"):
    _FIXES[errno.EDQUOT] = _FIXES[errno.ENOSPC]


def describe_os_error(error, path=None, doing="write"):
    """One line for an ``OSError``: what failed, where, why, and the fix.

    ``h5py`` reports HDF5 failures as ``OSError`` with the cause inside its
    text (``errno = 28``; ``unable to lock file``): both are recognised.

    Example:
        >>> describe_os_error(
        ...     OSError(28, "No space left on device"), "run/best.keras"
        ... )
        'cannot write run/best.keras: no space left on the device; free some
        space or use a folder on another disk, then run the same command
        again (the run resumes).'
    """
    text = str(error)
    number = error.errno
    if number is None:
        found = re.search(r"errno = (\d+)", text)
        number = int(found.group(1)) if found else None
    where = path or error.filename or "a file"
    if "unable to lock file" in text:
        return (
            f"cannot {doing} {where}: HDF5 could not lock it (another "
            "process has it open, or the file system has no locks); wait "
            "for the other process to end, or set HDF5_USE_FILE_LOCKING=FALSE "
            "on a network drive."
        )
    cause = _CAUSES.get(number) or (
        os.strerror(number) if number else text.splitlines()[0][:200]
    )
    fix = _FIXES.get(number, "check the path and the disk")
    return f"cannot {doing} {where}: {cause}; {fix}."


# -- Settings and data ------------------------------------------------------


def fingerprint(pairs):
    """A short sha256 of ``(source, target)`` pairs: the data's identity.

    Example:
        >>> fingerprint([("go .", "ve .")])
        'fbfbe5c968e2fab3'
        >>> fingerprint([("go .", "ve .")]) == fingerprint(
        ...     [("go .", "vete .")]
        ... )
        False
    """
    digest = hashlib.sha256()
    for source, target in pairs:
        digest.update(f"{source}\t{target}\n".encode())
    return digest.hexdigest()[:16]


def settings_differences(previous, current):
    """``"name: old then, new now"`` for each setting that differs, sorted.

    Example:
        >>> settings_differences(
        ...     {"seed": 0, "epochs": 8}, {"seed": 1, "epochs": 8}
        ... )
        ['seed: 0 then, 1 now']
    """
    keys = sorted(set(previous) | set(current))
    missing = "(not set)"
    return [
        f"{key}: {previous.get(key, missing)} then, "
        f"{current.get(key, missing)} now"
        for key in keys
        if previous.get(key, missing) != current.get(key, missing)
    ]


def package_version():
    """The installed version of this package (``"unknown"`` if it is not
    installed)."""
    try:
        return importlib.metadata.version("seq2seq-attention")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"


def _now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(
        timespec="seconds"
    )


def read_manifest(folder):
    """The manifest of the run in ``folder``, or ``None`` if there is none.

    Example:
        >>> read_manifest("no/such/folder") is None
        True
    """
    path = Path(folder) / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise WriteError(describe_os_error(error, path, "read")) from error
    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as error:
        # Written atomically, so only a hand edit or a failing disk gets here.
        raise RunFolderError(
            f"{path} is not valid JSON ({error.msg}, line {error.lineno}): "
            "restore it, or pass --overwrite to start the run again."
        ) from error
    if not isinstance(manifest, dict) or "settings" not in manifest:
        raise RunFolderError(
            f"{path} is not a run manifest: pass --overwrite to start the "
            "run again, or use another folder."
        )
    return manifest


# -- The folder -------------------------------------------------------------


class RunFolder:
    """A run folder in use: the lock, the manifest, the clean-up.

    Use it as a context manager; the lock is held inside the ``with``::

        with RunFolder(args.out, "train") as run:
            if (
                run.start(settings, data=fingerprint(pairs), command=argv)
                == "finished"
            ):
                return 0  # nothing to do
            ...  # train, writing files with atomic_path / save_model
            run.finish()

    Args:
        path: the folder (created if missing).
        kind: ``"train"`` or ``"finetune"``: a folder holds one kind.
        outputs: the files a finished run must have (relative to ``path``).
    """

    def __init__(self, path, kind, outputs=("translator.keras",)):
        self.path = Path(path)
        self.kind = kind
        self.outputs = tuple(outputs)
        self.manifest = None
        self._lock = None

    # The lock -------------------------------------------------------------

    def __enter__(self):
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            handle = open(self.path / LOCK, "a+", encoding="utf-8")
        except OSError as error:
            raise WriteError(
                describe_os_error(error, self.path, "use the run folder")
            ) from error
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                handle.seek(0)
                holder = handle.read().split("\n")[0].strip() or "unknown"
                handle.close()
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise WriteError(
                        describe_os_error(error, self.path / LOCK, "lock")
                    ) from error
                raise RunFolderError(
                    f"{self.path} is in use by another process (pid "
                    f"{holder}); wait for it to end or stop it, or use "
                    "another folder."
                ) from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        except OSError as error:
            handle.close()
            raise WriteError(
                describe_os_error(error, self.path, "use the run folder")
            ) from error
        self._lock = handle
        remove_temporaries(self.path, only_dead=False)
        return self

    def __exit__(self, *exc_info):
        if self._lock is not None:
            self._lock.close()  # closing releases the flock
            self._lock = None
        return False

    # The manifest ---------------------------------------------------------

    def start(self, settings, *, data, command, overwrite=False):
        """Claim the folder for a run with ``settings`` and ``data``.

        Returns ``"new"`` (nothing to resume), ``"resume"`` (an interrupted
        run with the same settings) or ``"finished"`` (it is done; its
        outputs are there). Raises
        :class:`~seq2seq_attention.errors.RunFolderError` for a folder that
        holds another run, unless ``overwrite``.
        """
        self._check_locked()
        settings = json.loads(json.dumps(settings, default=str))
        previous = read_manifest(self.path)
        if previous is None:
            leftovers = self._run_files()
            if leftovers and not overwrite:
                raise RunFolderError(
                    f"{self.path} holds {', '.join(leftovers)} but no "
                    f"{MANIFEST} (a run of an older version, or files of "
                    "something else): use another folder, or pass "
                    "--overwrite to replace them."
                )
            return self._begin(settings, data, command)
        conflict = self._conflict(previous, settings, data)
        if conflict and not overwrite:
            raise RunFolderError(conflict)
        if conflict:
            return self._begin(settings, data, command)
        self.manifest = previous
        outputs_there = all((self.path / o).exists() for o in self.outputs)
        if previous["state"] == "finished" and outputs_there:
            return "finished"
        if previous["state"] == "finished":
            missing = [o for o in self.outputs if not (self.path / o).exists()]
            raise RunFolderError(
                f"{self.path} holds a finished run, but {', '.join(missing)} "
                "is missing: pass --overwrite to run it again."
            )
        if outputs_there:  # killed after saving its outputs: it is done
            self.finish()
            return "finished"
        self.manifest = dict(previous, pid=os.getpid(), updated=_now())
        self._write_manifest()
        return "resume"

    def _conflict(self, previous, settings, data):
        """Why ``previous`` cannot be continued with these settings (or "")."""
        kind = previous.get("kind")
        if kind != self.kind:
            return (
                f"{self.path} holds a {kind} run, not a {self.kind} run: "
                "use another folder, or pass --overwrite to replace it."
            )
        differences = settings_differences(previous["settings"], settings)
        if previous.get("data") != data:
            differences.append(
                f"data: fingerprint {previous.get('data')} then, {data} now"
            )
        if not differences:
            return ""
        return (
            f"{self.path} holds a {kind} run with other settings "
            f"({'; '.join(differences)}): use another folder, or pass "
            "--overwrite to replace it."
        )

    def _run_files(self):
        return [name for name in RUN_FILES if (self.path / name).exists()]

    def _begin(self, settings, data, command):
        for name in self._run_files():
            target = self.path / name
            try:
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink()
            except OSError as error:
                raise WriteError(
                    describe_os_error(error, target, "remove")
                ) from error
        now = _now()
        self.manifest = {
            "format": FORMAT,
            "kind": self.kind,
            "state": "running",
            "command": list(command),
            "package_version": package_version(),
            "data": data,
            "settings": settings,
            "created": now,
            "updated": now,
            "pid": os.getpid(),
        }
        self._write_manifest()
        return "new"

    def update(self, **fields):
        """Record more fields in the manifest (e.g. measured rates)."""
        self._check_locked()
        self.manifest = dict(self.manifest, **fields, updated=_now())
        self._write_manifest()

    def finish(self, **fields):
        """Mark the run finished (its outputs are written) and drop the
        training backup, which a finished run no longer needs."""
        self._check_locked()
        now = _now()
        self.manifest = dict(
            self.manifest,
            **fields,
            state="finished",
            updated=now,
            finished=now,
        )
        self._write_manifest()
        with contextlib.suppress(OSError):
            shutil.rmtree(self.path / "backup")

    def _write_manifest(self):
        atomic_write_json(self.path / MANIFEST, self.manifest, "run manifest")

    def _check_locked(self):
        if self._lock is None:
            raise RuntimeError(
                "use RunFolder as a context manager: "
                "with RunFolder(...) as run:"
            )
