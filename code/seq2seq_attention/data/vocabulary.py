"""Word and character vocabularies: Keras ``TextVectorization`` with fixed
special ids.

:func:`make_vectorizer` builds a vectorizer with the ids ``0 = padding``,
``1 = [UNK]``, ``2 = [START]``, ``3 = [END]`` (see
:mod:`seq2seq_attention.special_tokens`); :func:`vectorizer_config` /
:func:`vectorizer_from_config` store it as plain JSON (for example inside a
model's config). :func:`standardize_sentence` is its standardization in
TensorFlow ops, registered with Keras as
``seq2seq_attention>standardize_sentence`` so that saved models find it.

Example:
    >>> make_vectorizer(["go home ."])(["Go home!"]).numpy().tolist()
    [[5, 6, 1]]
"""

from __future__ import annotations

import collections

import keras
import tensorflow as tf

from ..special_tokens import END, RESERVED, START, UNK
from .text import tokenize

__all__ = [
    "make_vectorizer",
    "standardize_sentence",
    "vectorizer_config",
    "vectorizer_from_config",
]


@keras.saving.register_keras_serializable(package="seq2seq_attention")
def standardize_sentence(text):
    """The ``TextVectorization`` standardisation for sentences, in TensorFlow
    ops.

    Lower-cases (UTF-8) and puts spaces around punctuation and symbols, so that
    each one becomes a token; on text already passed through :func:`normalize`
    it changes nothing. (Unicode normal forms are not available as TensorFlow
    ops: apply :func:`normalize` first.)

    Example:
        >>> standardize_sentence(tf.constant(["¿Qué HORA es?"])).numpy()[
        ...     0
        ... ].decode()
        '¿ qué hora es ?'
    """
    text = tf.strings.lower(text, encoding="utf-8")
    text = tf.strings.regex_replace(text, r"([\p{P}\p{S}])", r" \1 ")
    text = tf.strings.regex_replace(text, r"\s+", " ")
    return tf.strings.strip(text)


def _vocabulary(texts, level, max_tokens):
    counts = collections.Counter(
        tok for text in texts for tok in tokenize(text, level)
    )
    for token in RESERVED:
        counts.pop(token, None)
    # most frequent first; ties alphabetical
    words = sorted(counts, key=lambda w: (-counts[w], w))
    if max_tokens is not None:
        if max_tokens <= len(RESERVED):
            raise ValueError(
                "max_tokens counts the 4 reserved tokens ('', [UNK], "
                "[START], [END]) and must be more than 4; got "
                f"{max_tokens}."
            )
        words = words[: max_tokens - len(RESERVED)]
    return words


def make_vectorizer(
    texts=None,
    *,
    level="word",
    max_tokens=None,
    vocabulary=None,
    standardize="auto",
):
    """A ``TextVectorization`` layer with the course's fixed special ids.

    ``0`` is padding, ``1`` is ``[UNK]``, ``2`` is ``[START]`` and ``3`` is
    ``[END]``; then come the tokens of ``texts``, most frequent first (ties in
    alphabetical order, so the vocabulary is reproducible). ``max_tokens``
    caps the vocabulary *including* the four reserved ids.

    Args:
        texts: the (normalised) texts to build the vocabulary from, usually
            the training part only; or give ``vocabulary`` instead.
        level: ``"word"`` (split on spaces) or ``"character"``.
        max_tokens: vocabulary size, or ``None`` for every token.
        vocabulary: a ready list of tokens (without the reserved ones).
        standardize: ``"auto"`` (:func:`standardize_sentence` for words, none
            for characters, where case and spacing are part of the input),
            ``"sentence"`` or ``None``.

    Example:
        >>> v = make_vectorizer(["go .", "go home ."], max_tokens=6)
        >>> [str(token) for token in v.get_vocabulary()]
        ['', '[UNK]', '[START]', '[END]', '.', 'go']
        >>> v(["Go away!"]).numpy().tolist()
        [[5, 1, 1]]
        >>> make_vectorizer(["3/4"], level="character")(
        ...     ["4/5"]
        ... ).numpy().tolist()
        [[6, 4, 1]]
    """
    if level not in ("word", "character"):
        raise ValueError(
            f'level must be "word" or "character"; got {level!r}.'
        )
    if (texts is None) == (vocabulary is None):
        raise ValueError(
            "give exactly one of texts (to build the vocabulary) and "
            "vocabulary (a ready one)."
        )
    if standardize == "auto":
        standardize = "sentence" if level == "word" else None
    if standardize not in ("sentence", None):
        raise ValueError(
            'standardize must be "auto", "sentence" or None; got '
            f"{standardize!r}."
        )
    if vocabulary is None:
        vocabulary = _vocabulary(texts, level, max_tokens)
    else:
        vocabulary = [str(t) for t in vocabulary if t not in ("", UNK)]
        vocabulary = [t for t in vocabulary if t not in (START, END)]
    layer = keras.layers.TextVectorization(
        standardize=standardize_sentence
        if standardize == "sentence"
        else None,
        split="whitespace" if level == "word" else "character",
        vocabulary=[START, END, *vocabulary],
        ragged=True,
    )
    layer._seq2seq_level = level  # for describe() and vectorizer_config()
    layer._seq2seq_standardize = standardize
    return layer


def vectorizer_config(vectorizer):
    """A JSON-able dict that rebuilds ``vectorizer`` with
    :func:`vectorizer_from_config`.

    Store it in a model's ``get_config()`` (or in a JSON file beside the
    weights) so that the vocabulary travels with the model.

    Example:
        >>> import json
        >>> config = vectorizer_config(make_vectorizer(["go ."]))
        >>> config
        {'level': 'word', 'standardize': 'sentence', 'vocabulary': ['.', 'go']}
        >>> vectorizer_from_config(json.loads(json.dumps(config)))(
        ...     ["go ."]
        ... ).numpy().tolist()
        [[5, 4]]
    """
    level = getattr(vectorizer, "_seq2seq_level", None)
    if level is None:  # a TextVectorization not made here: read its settings
        config = vectorizer.get_config()
        level = "character" if config["split"] == "character" else "word"
        standardize = (
            "sentence"
            if config["standardize"] is standardize_sentence
            else None
        )
    else:
        standardize = vectorizer._seq2seq_standardize
    vocabulary = [str(t) for t in vectorizer.get_vocabulary()]
    if vocabulary[: len(RESERVED)] != RESERVED:
        raise ValueError(
            f"this vectorizer's vocabulary does not start with {RESERVED} "
            f"(it starts with {vocabulary[:4]}); make it with make_vectorizer."
        )
    return {
        "level": level,
        "standardize": standardize,
        "vocabulary": vocabulary[len(RESERVED) :],
    }


def vectorizer_from_config(config):
    """Rebuild a vectorizer from :func:`vectorizer_config`'s dict: same tokens,
    same ids."""
    return make_vectorizer(
        vocabulary=config["vocabulary"],
        level=config["level"],
        standardize=config["standardize"],
    )
