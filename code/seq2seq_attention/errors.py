"""The package's own error types: one base class, and one class per kind of
mistake.

Catch :class:`Seq2SeqAttentionError` to handle every error the package raises
on purpose (bad data, a file that is not a translator, a bad argument); any
other exception is a bug. Each class also derives from the built-in exception
that callers caught before it existed (``ValueError``, ``FileNotFoundError``),
so existing ``except`` clauses keep working. This module imports no TensorFlow.

Example:
    >>> (
    ...     issubclass(MalformedLineError, DataError),
    ...     issubclass(MalformedLineError, ValueError),
    ... )
    (True, True)
    >>> issubclass(CorpusNotFoundError, FileNotFoundError)
    True
"""

__all__ = [
    "ArgumentError",
    "CorpusNotFoundError",
    "DataError",
    "HashMismatchError",
    "MalformedLineError",
    "ModelFileError",
    "RunFolderError",
    "Seq2SeqAttentionError",
]


class Seq2SeqAttentionError(Exception):
    """Base class of the errors the package raises on purpose, with a message
    for the user."""


class DataError(Seq2SeqAttentionError, ValueError):
    """A data file or data value is not usable (bad format, wrong hash, no
    pairs)."""


class ModelFileError(Seq2SeqAttentionError, ValueError):
    """A file is not a usable translator (damaged, another kind of model,
    unsafe)."""


class ArgumentError(Seq2SeqAttentionError, ValueError):
    """An argument has a value the function cannot use."""


class RunFolderError(Seq2SeqAttentionError):
    """A run folder cannot be used as asked (locked, other settings, holds
    another run)."""


class HashMismatchError(DataError):
    """A file's sha256 is not the expected one (a partial download, or another
    file)."""


class CorpusNotFoundError(Seq2SeqAttentionError, FileNotFoundError):
    """The corpus is not on disk and could not be downloaded."""


class MalformedLineError(DataError):
    """A line of a tab-separated corpus is not
    ``source<TAB>target[<TAB>attribution]``."""

    def __init__(self, message, line_number):
        super().__init__(message)
        self.line_number = line_number
