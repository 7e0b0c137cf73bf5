"""Progress a person can watch: a bar on a terminal, one short line elsewhere.

- :class:`EpochLog`: a Keras callback that prints one short line per epoch
  (at most 79 characters, no backspaces: readable in notebooks, logs and
  pipes)::

      epoch 3/8  loss 1.234  acc 0.812  val_loss 1.456  val_acc 0.790  41 s

- :class:`EpochProgressBar`: on a terminal, a bar that fills within each
  epoch (batches done, loss, time left), with the :class:`EpochLog` line
  printed above it when the epoch ends;
- :func:`training_callbacks`: the right one of the two for where the
  output goes (``sys.stderr.isatty()``);
- :func:`bar`: a bar for long loops (``evaluate``, ``translate``) on a
  terminal, nothing elsewhere; :func:`with_progress` wraps a translator so
  that its ``translate`` advances one.

Bars are drawn by ``rich`` (which Keras itself depends on) on standard
error, so that standard output keeps only results.
"""

from __future__ import annotations

import contextlib
import sys
import time

import keras

__all__ = [
    "EpochLog",
    "EpochProgressBar",
    "bar",
    "format_epoch",
    "training_callbacks",
    "with_progress",
]

WIDTH = 79  # the site's code column


def _short_name(name):
    prefix = "val_" if name.startswith("val_") else ""
    name = name.removeprefix("val_").removeprefix("masked_")
    return prefix + name.replace("accuracy", "acc")


def _duration(seconds):
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, seconds = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def format_epoch(epoch, epochs, logs, seconds, width=WIDTH):
    """The one-line summary of an epoch (``epoch`` counts from 1).

    Metric names are shortened (``masked_accuracy`` -> ``acc``); fields that
    would pass ``width`` characters are left out (the time is always kept).

    Example:
        >>> logs = {
        ...     "loss": 1.2341,
        ...     "masked_accuracy": 0.8123,
        ...     "val_loss": 1.456,
        ...     "val_masked_accuracy": 0.79,
        ... }
        >>> format_epoch(3, 8, logs, 41.2)
        'epoch 3/8  loss 1.234  acc 0.812  val_loss 1.456  val_acc 0.790  41 s'
    """
    head = f"epoch {epoch}/{epochs}" if epochs else f"epoch {epoch}"
    tail = _duration(seconds)
    fields = []
    for name, value in (logs or {}).items():
        value = float(value)
        shown = f"{value:.3f}" if abs(value) < 1000 else f"{value:.4g}"
        fields.append(f"{_short_name(name)} {shown}")
    line = head
    for field in fields:
        if len(line) + 2 + len(field) + 2 + len(tail) > width:
            break
        line += "  " + field
    return f"{line}  {tail}"


class EpochLog(keras.callbacks.Callback):
    """One short line per epoch (:func:`format_epoch`), for notebooks and logs.

    Use it with ``verbose=0`` in ``fit`` (Keras' own lines are longer and,
    with ``verbose=1``, full of backspaces in a notebook).

    Args:
        file: where to print (default: standard output at print time).

    Example:
        >>> import io, numpy as np
        >>> model = keras.Sequential(
        ...     [keras.Input((2,)), keras.layers.Dense(1)]
        ... )
        >>> model.compile("sgd", "mse")
        >>> out = io.StringIO()
        >>> _ = model.fit(
        ...     np.ones((4, 2)),
        ...     np.ones((4, 1)),
        ...     epochs=2,
        ...     verbose=0,
        ...     callbacks=[EpochLog(file=out)],
        ... )
        >>> [line.split("  ")[0] for line in out.getvalue().splitlines()]
        ['epoch 1/2', 'epoch 2/2']
    """

    def __init__(self, file=None):
        super().__init__()
        self.file = file
        self._started = None

    def on_epoch_begin(self, epoch, logs=None):
        self._started = time.perf_counter()

    def line(self, epoch, logs):
        """The line for ``epoch`` (counted from 0, as Keras does)."""
        seconds = time.perf_counter() - (self._started or time.perf_counter())
        return format_epoch(
            epoch + 1, self.params.get("epochs"), logs, seconds
        )

    def on_epoch_end(self, epoch, logs=None):
        print(self.line(epoch, logs), file=self.file or sys.stdout, flush=True)


class EpochProgressBar(EpochLog):
    """On a terminal: a bar within each epoch, and the :class:`EpochLog`
    line above it at each epoch's end (all on standard error).

    Args:
        steps: batches per epoch if Keras cannot tell (a ``tf.data`` pipeline
            with bucketing has no known length); after the first epoch the
            counted number is used.
        console: a ``rich.console.Console`` (default: standard error).

    Example:
        >>> import io, numpy as np, rich.console
        >>> screen = io.StringIO()
        >>> console = rich.console.Console(
        ...     file=screen, force_terminal=True, width=79
        ... )
        >>> model = keras.Sequential(
        ...     [keras.Input((2,)), keras.layers.Dense(1)]
        ... )
        >>> model.compile("sgd", "mse")
        >>> _ = model.fit(
        ...     np.ones((8, 2)),
        ...     np.ones((8, 1)),
        ...     batch_size=2,
        ...     epochs=2,
        ...     verbose=0,
        ...     callbacks=[EpochProgressBar(console=console)],
        ... )
        >>> "epoch 2/2  loss" in screen.getvalue()
        True
    """

    def __init__(self, steps=None, console=None):
        super().__init__()
        self.steps = steps
        self.console = console
        self._progress = None
        self._task = None
        self._done = 0

    def on_train_begin(self, logs=None):
        import rich.console
        import rich.progress

        console = self.console or rich.console.Console(stderr=True)
        self._progress = rich.progress.Progress(
            rich.progress.TextColumn("{task.description}"),
            rich.progress.BarColumn(bar_width=24),
            rich.progress.MofNCompleteColumn(),
            rich.progress.TextColumn("{task.fields[loss]}"),
            rich.progress.TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._progress.start()

    def on_epoch_begin(self, epoch, logs=None):
        super().on_epoch_begin(epoch, logs)
        total = self.params.get("steps") or self.steps
        epochs = self.params.get("epochs")
        description = f"epoch {epoch + 1}/{epochs}" if epochs else "epoch"
        if self._task is not None:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(description, total=total, loss="")
        self._done = 0

    def on_train_batch_end(self, batch, logs=None):
        self._done = batch + 1
        loss = (logs or {}).get("loss")
        shown = f"loss {float(loss):.3f}" if loss is not None else ""
        self._progress.update(self._task, completed=self._done, loss=shown)

    def on_epoch_end(self, epoch, logs=None):
        if not self.params.get("steps"):
            self.steps = self._done  # the next epochs have as many batches
        self._progress.console.print(self.line(epoch, logs), highlight=False)

    def on_train_end(self, logs=None):
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            self._task = None


def _on_terminal():
    stream = sys.stderr
    return stream is not None and hasattr(stream, "isatty") and stream.isatty()


def training_callbacks(verbose=1, steps=None):
    """Progress callbacks for ``fit``: ``verbose`` 0 none, 2 an
    :class:`EpochLog`, 1 a bar on a terminal (:class:`EpochProgressBar`) and
    an :class:`EpochLog` elsewhere (notebooks, pipes, files).

    Example:
        >>> [type(c).__name__ for c in training_callbacks(2)]
        ['EpochLog']
        >>> training_callbacks(0)
        []
    """
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0, 1 or 2; got {verbose!r}.")
    if verbose == 0:
        return []
    if verbose == 1 and _on_terminal():
        return [EpochProgressBar(steps=steps)]
    return [EpochLog()]


class _Silent:
    def advance(self, count=1):
        pass


class _Bar:
    def __init__(self, progress, task):
        self._progress, self._task = progress, task

    def advance(self, count=1):
        self._progress.advance(self._task, count)


@contextlib.contextmanager
def bar(total, description, minimum=200, console=None):
    """A progress bar for a loop of ``total`` items; call ``.advance(n)``.

    It is drawn only on a terminal (or the given ``console``) and only for
    ``total >= minimum`` items: short jobs and logs stay quiet.

    Example:
        >>> with bar(10, "translating") as progress:  # not a terminal: silent
        ...     progress.advance(10)
    """
    if console is None and (total < minimum or not _on_terminal()):
        yield _Silent()
        return
    import rich.console
    import rich.progress

    console = console or rich.console.Console(stderr=True)
    with rich.progress.Progress(
        rich.progress.TextColumn("{task.description}"),
        rich.progress.BarColumn(bar_width=24),
        rich.progress.MofNCompleteColumn(),
        rich.progress.TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        yield _Bar(progress, progress.add_task(description, total=total))


class _TranslatorWithProgress:
    """A translator whose ``translate`` advances a bar batch by batch."""

    def __init__(self, translator, progress):
        self._translator, self._progress = translator, progress

    def __getattr__(self, name):
        return getattr(self._translator, name)

    def translate(self, texts, batch_size=64, **options):
        texts = list(texts)
        results = []
        for start in range(0, len(texts), batch_size):
            chunk = texts[start : start + batch_size]
            results += self._translator.translate(
                chunk, batch_size=batch_size, **options
            )
            self._progress.advance(len(chunk))
        return results


def with_progress(translator, progress):
    """``translator``, with its ``translate`` advancing ``progress`` (from
    :func:`bar`) after each batch; anything else is the translator's own.

    Example:
        >>> class Echo:
        ...     def translate(self, texts, batch_size=64):
        ...         return list(texts)
        >>> with bar(3, "translating") as progress:
        ...     with_progress(Echo(), progress).translate(
        ...         ["a", "b", "c"], batch_size=2
        ...     )
        ['a', 'b', 'c']
    """
    return _TranslatorWithProgress(translator, progress)
