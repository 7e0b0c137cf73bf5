"""Any tab-separated corpus of the manythings.org kind, in either direction.

:func:`parse_tsv` reads ``source<TAB>target[<TAB>attribution]`` lines in any
language pair, reporting a malformed line with its number;
:func:`read_tsv` reads a file of them. Both return a :class:`ParallelCorpus`.

Example:
    >>> parse_tsv(["Hi.\\tHola.\\n"], reverse=True).pairs
    [('Hola.', 'Hi.')]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import MalformedLineError

__all__ = [
    "ParallelCorpus",
    "parse_tsv",
    "read_tsv",
]


@dataclass
class ParallelCorpus:
    """Sentence pairs read from a file, and the lines that were skipped.

    ``pairs`` is a list of ``(source, target)``; ``attributions`` holds the
    third column where there was one (else ``""``), aligned with ``pairs``;
    ``skipped`` lists ``(line_number, reason)`` for malformed lines skipped
    with ``errors="skip"``.
    """

    pairs: list
    name: str = ""
    skipped: list = field(default_factory=list)
    attributions: list = field(default_factory=list, repr=False)

    def __len__(self):
        return len(self.pairs)

    @property
    def sources(self):
        return [s for s, _ in self.pairs]

    @property
    def targets(self):
        return [t for _, t in self.pairs]


def parse_tsv(lines, *, name="<lines>", reverse=False, errors="raise"):
    """Parse ``source<TAB>target[<TAB>attribution]`` lines (bytes or str).

    Byte lines are decoded as UTF-8 one by one, so a bad byte is reported with
    its line number. A UTF-8 byte-order mark and Windows line ends are
    accepted. Blank lines are skipped silently.

    Args:
        lines: iterable of lines (``bytes`` or ``str``).
        name: how to name the input in messages.
        reverse: swap the columns (target -> source).
        errors: ``"raise"`` (stop at the first malformed line) or ``"skip"``
            (skip it and record it in ``skipped``).

    Example:
        >>> corpus = parse_tsv(
        ...     [
        ...         "Hi.\\tHola.\\n",
        ...         "oops\\n",
        ...         "Thanks.\\tGracias.\\tCC-BY #1\\n",
        ...     ],
        ...     errors="skip",
        ...     reverse=True,
        ... )
        >>> corpus.pairs
        [('Hola.', 'Hi.'), ('Gracias.', 'Thanks.')]
        >>> corpus.skipped
        [(2, 'expected 2 or 3 tab-separated columns, found 1')]
        >>> parse_tsv(["Hi.\\t\\n"])
        Traceback (most recent call last):
        ...
        seq2seq_attention.errors.MalformedLineError: <lines>, line 1: empty
        target (column 2): 'Hi.\\t'. Fix or delete the line, or pass
        errors="skip" to skip malformed lines (they are counted in .skipped).
    """
    if errors not in ("raise", "skip"):
        raise ValueError(f'errors must be "raise" or "skip"; got {errors!r}.')
    pairs, attributions, skipped = [], [], []
    for number, line in enumerate(lines, start=1):
        problem = None
        if isinstance(line, (bytes, bytearray)):
            try:
                line = bytes(line).decode("utf-8")
            except UnicodeDecodeError as e:
                problem = (
                    "not valid UTF-8 (byte "
                    f"{bytes(line)[e.start : e.start + 1]!r} at column "
                    f"{e.start + 1}); save the file as UTF-8"
                )
                line = bytes(line).decode("utf-8", errors="replace")
        if number == 1:
            line = line.removeprefix("\ufeff")
        line = line.rstrip("\r\n")
        if not problem:
            if not line.strip():
                continue
            columns = line.split("\t")
            if len(columns) not in (2, 3):
                problem = (
                    "expected 2 or 3 tab-separated columns, found "
                    f"{len(columns)}"
                )
            elif not columns[0].strip():
                problem = "empty source (column 1)"
            elif not columns[1].strip():
                problem = "empty target (column 2)"
        if problem:
            if errors == "skip":
                skipped.append((number, problem))
                continue
            raise MalformedLineError(
                f"{name}, line {number}: {problem}: {line[:80]!r}. Fix or "
                'delete the line, or pass errors="skip" to skip '
                "malformed lines (they are counted in .skipped).",
                number,
            )
        source, target = columns[0].strip(), columns[1].strip()
        pairs.append((target, source) if reverse else (source, target))
        attributions.append(columns[2].strip() if len(columns) == 3 else "")
    return ParallelCorpus(
        pairs, name=name, skipped=skipped, attributions=attributions
    )


def read_tsv(path, *, reverse=False, errors="raise"):
    """Read a tab-separated corpus file: see :func:`parse_tsv` for the format.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> path = Path(tempfile.mkdtemp()) / "rus.txt"
        >>> _ = path.write_text(
        ...     "Hello!\\tПривет!\\nThank you.\\tСпасибо.\\n", encoding="utf-8"
        ... )
        >>> read_tsv(path).pairs
        [('Hello!', 'Привет!'), ('Thank you.', 'Спасибо.')]
    """
    with open(path, "rb") as f:
        return parse_tsv(f, name=str(path), reverse=reverse, errors=errors)
