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

import numpy as np

__all__ = ["call_solution", "run_cases"]


def call_solution(name, fn, *args):
    """Call the reader's function; return (ok, result), printing the ✘ line
    when not ok."""
    try:
        result = fn(*args)
    except NotImplementedError:
        print(
            f"✘ {name}: not implemented yet. Complete the function, then "
            "run the cell again."
        )
        return False, None
    if result is None:
        print(
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
                print(
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
                print(
                    f"✘ {name}: wrong {what}shape for {description}: "
                    f"expected {expected_part.shape}, got "
                    f"{got_part.shape}. {hint}"
                )
                return
            if not np.allclose(got_part, expected_part, atol=atol, rtol=1e-5):
                with np.printoptions(precision=4, suppress=True):
                    print(
                        f"✘ {name}: wrong {what}values for {description}:\n"
                        f"    expected {expected_part}\n    got      "
                        f"{got_part}\n  {hint}"
                    )
                return
    print(f"✔ {name}: {success}")
