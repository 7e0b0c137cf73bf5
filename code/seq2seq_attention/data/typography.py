"""Typographic variants folded to one character, in Python and in TensorFlow.

Text from the web spells one character several ways: the apostrophe as
``'`` or ``’``, quotes as ``"`` or ``“”``, the space as U+0020, a no-break
space (U+00A0) or the narrow no-break space French puts before ``!``
(U+202F), sometimes with invisible zero-width characters in between. A
tokenizer that sees them as different characters learns them twice, and a
translator reads ``Merci\u202f!`` differently from ``Merci !``.

:data:`FOLD` is the one table of what is folded; :func:`normalize_text`
applies it in Python and :func:`normalize_text_tf` in TensorFlow ops (for
the exported SavedModel), built from the same table so that every path reads
a sentence the same way (a test runs every character of the Basic
Multilingual Plane through both).

Example:
    >>> normalize_text("We\u2019ll  see\u202f!")
    "We'll see !"
"""

from __future__ import annotations

import re

__all__ = [
    "FOLD",
    "SPACES",
    "collapse_spaces_tf",
    "normalize_text",
    "normalize_text_tf",
]

FOLD = {
    "'": "\u2018\u2019\u201a\u201b\u2032\u02bc",  # ‘ ’ ‚ ‛ ′ ʼ
    '"': "\u201c\u201d\u201e\u201f\u2033",  # “ ” „ ‟ ″
    "": "\u200b\u200c\u200d\u2060\ufeff",  # zero-width characters, BOM
}
"""Each key replaces every character of its value."""

SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003"
    "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Every character Python's ``str.split()`` splits on: runs of them become
one space, and the ends are stripped."""

_TRANSLATE = str.maketrans(
    {char: target for target, chars in FOLD.items() for char in chars}
)
_SPACE_RUN = re.compile(f"[{re.escape(SPACES)}]+")


def normalize_text(text):
    """Fold typographic variants (:data:`FOLD`) and runs of white space.

    Case, accents and punctuation are kept: this is the only change made
    to a sentence before subword tokenization.

    Example:
        >>> normalize_text(" \u201cHola\u201d,\u00a0dijo. ")
        '"Hola", dijo.'
    """
    return _SPACE_RUN.sub(" ", text.translate(_TRANSLATE)).strip(" ")


def _character_class(chars):
    return "[" + "".join(f"\\x{{{ord(c):04x}}}" for c in chars) + "]"


def normalize_text_tf(texts):
    """:func:`normalize_text` in TensorFlow ops: ``(batch,)`` strings in and
    out.

    Example:
        >>> import tensorflow as tf
        >>> out = normalize_text_tf(tf.constant(["Merci\u202f!"]))
        >>> out.numpy()[0].decode()
        'Merci !'
    """
    import tensorflow as tf

    for target, chars in FOLD.items():
        texts = tf.strings.regex_replace(
            texts, _character_class(chars), target
        )
    return collapse_spaces_tf(texts)


def collapse_spaces_tf(texts):
    """Runs of :data:`SPACES` become one space, the ends are stripped:
    ``" ".join(text.split())`` in TensorFlow ops (also the white-space
    part of :func:`normalize_text_tf`).

    Example:
        >>> import tensorflow as tf
        >>> out = collapse_spaces_tf(tf.constant([" a\u00a0\u00a0b\u202f"]))
        >>> out.numpy()[0].decode()
        'a b'
    """
    import tensorflow as tf

    texts = tf.strings.regex_replace(
        texts, _character_class(SPACES) + "+", " "
    )
    return tf.strings.regex_replace(texts, "^ | $", "")
