"""Cleaning sentences: Unicode normalizing, tokenizing, length filter,
de-duplication.

:func:`normalize` (Unicode form, lower case, punctuation as separate tokens),
:func:`tokenize`, :func:`filter_by_length`, :func:`deduplicate`, and
:func:`prepare_pairs`, the course's standard cleaning that chains them.

Example:
    >>> prepare_pairs([("Go!", "¡Ve!"), ("Go!", "¡Ve!")])
    [('go !', '¡ ve !')]
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "deduplicate",
    "filter_by_length",
    "normalize",
    "prepare_pairs",
    "tokenize",
]

# Candidates are rare (punctuation, symbols, combining marks, "_"), so a cheap
# regex finds them and the Unicode category decides: P* (punctuation) and S*
# (symbols) get spaces, the same classes as TensorFlow's \p{P}\p{S} in
# standardize_sentence.
_CANDIDATE = re.compile(r"[^\w\s]|_")


def _space_punctuation(match):
    char = match.group()
    return f" {char} " if unicodedata.category(char)[0] in "PS" else char


def normalize(
    text,
    *,
    form="NFKC",
    lower=True,
    strip_accents=False,
    separate_punctuation=True,
):
    """Normalise one sentence for word-level tokenising.

    - ``form``: the Unicode normal form. ``"NFKC"`` (default) composes accented
      letters into one character (``é`` stays ``é``, readable when shown back)
      and folds compatibility characters (full-width ``Ａ`` -> ``A``, ``ﬁ`` ->
      ``fi``). ``"NFKD"`` decomposes (``é`` -> ``e`` + combining accent).
    - ``lower``: lower-case (every script that has case).
    - ``strip_accents``: drop combining marks (``canción`` -> ``cancion``). Off
      by default: accents distinguish Spanish words (``si``/``sí``).
    - ``separate_punctuation``: put spaces around every punctuation mark and
      symbol (Unicode categories P and S, so ``¿ ¡ « »`` and ``。`` too), which
      makes each one a token.

    Whitespace is collapsed to single spaces and stripped.

    Example:
        >>> normalize("¿Qué   hora es?")
        '¿ qué hora es ?'
        >>> normalize("Él dijo: «¡Hola!»"), normalize("ＡＢＣ, ﬁne")
        ('él dijo : « ¡ hola ! »', 'abc , fine')
        >>> (
        ...     normalize("Canción", strip_accents=True),
        ...     len(normalize("é", form="NFKD")),
        ... )
        ('cancion', 2)
    """
    if form not in ("NFC", "NFKC", "NFD", "NFKD"):
        raise ValueError(
            f'form must be one of "NFC", "NFKC", "NFD", "NFKD"; got {form!r}.'
        )
    text = unicodedata.normalize(form, text)
    if strip_accents:
        text = "".join(
            c
            for c in unicodedata.normalize("NFKD", text)
            if not unicodedata.combining(c)
        )
        text = unicodedata.normalize(form, text)
    if lower:
        text = text.lower()
    if separate_punctuation:
        text = _CANDIDATE.sub(_space_punctuation, text)
    return " ".join(text.split())


def tokenize(text, level="word"):
    """Split normalised text into tokens the way :func:`make_vectorizer` does.

    Example:
        >>> tokenize("¿ qué hora es ?"), tokenize("3/3", level="character")
        (['¿', 'qué', 'hora', 'es', '?'], ['3', '/', '3'])
    """
    if level == "word":
        return text.split()
    if level == "character":
        return list(text)
    raise ValueError(f'level must be "word" or "character"; got {level!r}.')


def filter_by_length(pairs, max_length, *, min_length=1, level="word"):
    """Keep pairs whose source and target both have ``min_length..max_length``
    tokens.

    Example:
        >>> filter_by_length(
        ...     [("a b", "c"), ("a b c d", "e"), ("a", "")], max_length=3
        ... )
        [('a b', 'c')]
    """
    return [
        (s, t)
        for s, t in pairs
        if min_length <= len(tokenize(s, level)) <= max_length
        and min_length <= len(tokenize(t, level)) <= max_length
    ]


def deduplicate(pairs):
    """Drop repeated ``(source, target)`` pairs, keeping the first of each, in
    order.

    A source with several *different* targets keeps them all: they are
    different correct translations.

    Example:
        >>> deduplicate(
        ...     [("go .", "ve ."), ("go .", "vete ."), ("go .", "ve .")]
        ... )
        [('go .', 've .'), ('go .', 'vete .')]
    """
    return list(dict.fromkeys(map(tuple, pairs)))


def prepare_pairs(pairs, *, max_length=20):
    """The course's standard cleaning of sentence pairs: :func:`normalize` both
    sides, keep pairs of 1 to ``max_length`` words (:func:`filter_by_length`),
    then :func:`deduplicate`.

    Example:
        >>> prepare_pairs(
        ...     [("Go!", "¡Ve!"), ("Go!", "¡Ve!"), ("Run, now!", "")],
        ...     max_length=5,
        ... )
        [('go !', '¡ ve !')]
    """
    normalized = [(normalize(s), normalize(t)) for s, t in pairs]
    return deduplicate(filter_by_length(normalized, max_length))
