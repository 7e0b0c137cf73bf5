"""The checking harness shared by every chapter's exercise checkers.

A checker calls the reader's function through :func:`call_solution` (which
turns ``NotImplementedError`` and a forgotten ``return`` into a ✘ line) and
compares results with :func:`run_cases`, which prints one ✔ or ✘ line.

Example:
    >>> run_cases(
    ...     "double",
    ...     lambda x: 2 * x,
    ...     [("x = 1", (1,), 2)],
    ...     "doubles.",
    ...     "Multiply by 2.",
    ... )
    ✔ double: doubles.
    >>> run_cases(
    ...     "double",
    ...     lambda x: x,
    ...     [("x = 1", (1,), 2)],
    ...     "doubles.",
    ...     "Multiply by 2.",
    ... )
    ✘ double: wrong values for x = 1:
        expected 2.0
        got      1.0
      Multiply by 2.
"""

from __future__ import annotations

import textwrap

import numpy as np

from ..progress import WIDTH  # the book's code column

__all__ = ["call_solution", "report", "run_cases"]


def report(message):
    r"""Print a checker's message, each line wrapped to the book's column
    (continuations indented two more spaces than their line).

    Example:
        >>> report("✘ f: " + "word " * 20 + "\n    expected 1")
        ✘ f: word word word word word word word word word word word word word
          word word word word word word word
            expected 1
    """
    print("\n".join(_wrap(line) for line in message.split("\n")))


def _wrap(line):
    if len(line) <= WIDTH:
        return line
    indent = line[: len(line) - len(line.lstrip())]
    return "\n".join(
        textwrap.wrap(
            line,
            WIDTH,
            subsequent_indent=indent + "  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    )


def call_solution(name, fn, *args):
    """Call the reader's function; return (ok, result), printing the ✘ line
    when not ok."""
    try:
        result = fn(*args)
    except NotImplementedError:
        report(f"✘ {name}: not implemented yet; finish it and rerun the cell.")
        return False, None
    if result is None:
        report(
            f"✘ {name}: your function returned None. Did you forget `return`?"
        )
        return False, None
    return True, result


def run_cases(name, fn, cases, success, hint, atol=1e-6, outputs=None):
    """Run ``fn`` on each ``(description, args, expected)``; print one ✔/✘
    line.

    With ``outputs`` (a tuple of names), ``fn`` returns that many arrays and
    ``expected`` is a tuple of as many; each is compared and named in the
    message.
    """
    for description, args, expected in cases:
        with np.errstate(
            all="ignore"
        ):  # report overflow through the result, not warnings
            ok, got = call_solution(name, fn, *args)
        if not ok:
            return
        if outputs is None:
            parts = [("", got, expected)]
        else:
            if not isinstance(got, (tuple, list)) or len(got) != len(outputs):
                report(
                    f"✘ {name}: wrong result for {description}: expected a "
                    f"tuple ({', '.join(outputs)}), got "
                    f"{type(got).__name__}. {hint}"
                )
                return
            parts = [
                (f"{what} ", g, e)
                for what, g, e in zip(outputs, got, expected)
            ]
        for what, got_part, expected_part in parts:
            got_part = np.asarray(got_part, dtype=float)
            expected_part = np.asarray(expected_part, dtype=float)
            if got_part.shape != expected_part.shape:
                report(
                    f"✘ {name}: wrong {what}shape for {description}: "
                    f"expected {expected_part.shape}, got "
                    f"{got_part.shape}. {hint}"
                )
                return
            if not np.allclose(got_part, expected_part, atol=atol, rtol=1e-5):
                with np.printoptions(precision=4, suppress=True):
                    report(
                        f"✘ {name}: wrong {what}values for {description}:\n"
                        f"    expected {expected_part}\n    got      "
                        f"{got_part}\n  {hint}"
                    )
                return
    report(f"✔ {name}: {success}")
