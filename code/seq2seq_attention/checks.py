"""Argument checks shared by the layers and models: one message per mistake.

Each check raises ``ValueError`` with a one-line message that names the
argument, what it must be and what it got. This module imports no TensorFlow.

Example:
    >>> check_positive("Encoder", units=0)
    Traceback (most recent call last):
        ...
    ValueError: Encoder: units must be a positive integer; got 0.
"""

__all__ = ["check_choice", "check_positive"]


def check_positive(where=None, /, **values):
    """Refuse any value that is not a positive ``int`` (``bool`` included).

    Args:
        where: what is being built, to start the message with (``None``: no
            prefix).
        values: ``name=value`` pairs to check.

    Example:
        >>> check_positive(d_model=16, num_heads=4)  # nothing to say
        >>> check_positive(units=True)
        Traceback (most recent call last):
            ...
        ValueError: units must be a positive integer; got True.
    """
    prefix = f"{where}: " if where else ""
    for name, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(
                f"{prefix}{name} must be a positive integer; got {value!r}."
            )


def check_choice(what, value, choices):
    """Refuse a ``value`` that is not one of ``choices`` (listed sorted).

    Example:
        >>> check_choice("cell", "rnn", {"gru": 1, "lstm": 2})
        Traceback (most recent call last):
            ...
        ValueError: cell must be one of ['gru', 'lstm']; got 'rnn'.
    """
    if value not in choices:
        raise ValueError(
            f"{what} must be one of {sorted(choices)}; got {value!r}."
        )
