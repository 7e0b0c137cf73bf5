"""Tokenizers: text <-> ids, the same way in training, decoding and export.

Three levels share one interface, so pipelines, translators and the export
never ask which one they hold:

- ``"subword"``: :class:`~seq2seq_attention.data.subwords.SubwordTokenizer`,
  a SentencePiece model (cased, byte fallback: never ``[UNK]``); the default
  for sentences;
- ``"word"``: :class:`VocabularyTokenizer` over a Keras ``TextVectorization``
  (lower case, punctuation split off, a fixed list of words, ``[UNK]`` for
  the rest): the teaching baseline;
- ``"character"``: the same class, one id per character (the dates task).

Every tokenizer has ``level``, ``vocabulary`` (id -> token string),
``vocabulary_size()``, ``normalize(text)`` (the one rule for what the model
reads), ``encode(texts)`` -> lists of ids (no ``[START]``/``[END]``),
``decode(ids)`` -> text (reserved ids dropped), ``tokens(ids)`` -> labels
for plots, ``unknown_rate(texts)``, ``encode_tf``/``decode_tf`` (the same in
TensorFlow ops, for the SavedModel), ``tf_resources()`` (the lookup tables
those use, for the export to track) and ``get_config()``;
:func:`tokenizer_from_config` rebuilds any of them from that dict.

Example:
    >>> word = train_tokenizer(["go home .", "go !"], level="word")
    >>> word.encode(["Go home!"]), word.decode([4, 7, 5])
    ([[4, 7, 5]], 'go home!')
    >>> sorted(tokenizer_from_config(word.get_config()).get_config())
    ['level', 'standardize', 'vocabulary']
"""

from __future__ import annotations

import re

import numpy as np

from ..special_tokens import END_ID, PAD_ID, RESERVED, UNK_ID
from .subwords import SubwordTokenizer
from .text import normalize
from .typography import collapse_spaces_tf

__all__ = [
    "LEVELS",
    "WORD_DETOKENIZER_RULES",
    "VocabularyTokenizer",
    "as_tokenizer",
    "detokenize_words",
    "tokenizer_from_config",
    "train_tokenizer",
]

LEVELS = ("subword", "word", "character")

WORD_DETOKENIZER_RULES = (
    (r" ([.,!?;:%)\]}»…])", r"\1"),  # no space before closing marks
    (r"([¿¡(\[{«]) ", r"\1"),  # nor after opening ones
    (r" ' ", "'"),  # we ' ll -> we'll, don ' t -> don't
)
"""How word tokens are joined back into text: (pattern, replacement) pairs,
applied in order after joining with spaces, by :func:`detokenize_words` in
Python and by :meth:`VocabularyTokenizer.decode_tf` in TensorFlow."""

_RULES = [(re.compile(p), r) for p, r in WORD_DETOKENIZER_RULES]


def detokenize_words(tokens):
    """Join word tokens into text with :data:`WORD_DETOKENIZER_RULES`.

    Example:
        >>> detokenize_words(["¿", "we", "'", "ll", "see", "?"])
        "¿we'll see?"
    """
    text = " ".join(tokens)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class VocabularyTokenizer:
    """Word- or character-level tokens from a fixed vocabulary.

    Args:
        config: a :func:`~seq2seq_attention.data.vectorizer_config` dict
            (``level``, ``standardize``, ``vocabulary``), as
            :func:`train_tokenizer` makes and :meth:`get_config` returns.

    Example:
        >>> chars = train_tokenizer(["2015-03-04"], level="character")
        >>> chars.decode(chars.encode(["2015"])[0])
        '2015'
    """

    def __init__(self, config):
        from .vocabulary import vectorizer_from_config

        if config.get("level") not in ("word", "character"):
            raise ValueError(
                "a VocabularyTokenizer is word- or character-level; got "
                f"level {config.get('level')!r}."
            )
        self.config = dict(config)
        self.level = config["level"]
        self.vectorizer = vectorizer_from_config(config)
        self.vocabulary = [*RESERVED, *config["vocabulary"]]
        self._index = {token: i for i, token in enumerate(self.vocabulary)}

    def vocabulary_size(self):
        return len(self.vocabulary)

    def normalize(self, text):
        """Words: :func:`~seq2seq_attention.data.normalize` (lower case,
        punctuation split off); characters: unchanged."""
        return normalize(text) if self.level == "word" else text

    def _split(self, text):
        text = self.normalize(text)
        return text.split() if self.level == "word" else list(text)

    def encode(self, texts):
        return [
            [self._index.get(token, UNK_ID) for token in self._split(text)]
            for text in texts
        ]

    def decode(self, ids):
        tokens = [self.vocabulary[int(i)] for i in ids if int(i) > END_ID]
        if self.level == "character":
            return "".join(tokens)
        return detokenize_words(tokens)

    def tokens(self, ids):
        return [self.vocabulary[int(i)] for i in ids]

    def unknown_rate(self, texts):
        """Share of tokens of ``texts`` outside the vocabulary."""
        ids = [i for row in self.encode(texts) for i in row]
        return float(np.mean(np.equal(ids, UNK_ID))) if ids else 0.0

    def encode_tf(self, texts):
        """:meth:`encode` in TensorFlow ops: ``(batch,)`` strings ->
        ``(batch, None)`` int64 ragged ids.

        Words: white space as :meth:`normalize` reads it (no-break spaces
        included: NFKC makes them spaces), then the vectorizer's own
        standardization; the rest of the Unicode NFKC step has no
        TensorFlow op (full-width letters, ligatures)."""
        import tensorflow as tf

        if self.level == "word":
            texts = collapse_spaces_tf(texts)
        ids = self.vectorizer(texts)
        if not isinstance(ids, tf.RaggedTensor):
            ids = tf.RaggedTensor.from_tensor(ids, padding=PAD_ID)
        return tf.cast(ids, tf.int64)

    def decode_tf(self, ids):
        """:meth:`decode` in TensorFlow ops: ``(batch, steps)`` ids ->
        ``(batch,)`` strings."""
        import tensorflow as tf

        ids = tf.cast(ids, tf.int64)
        tokens = tf.gather(tf.constant(self.vocabulary), ids)
        tokens = tf.ragged.boolean_mask(tokens, ids > END_ID)
        if self.level == "character":
            return tf.strings.reduce_join(tokens, axis=1)
        text = tf.strings.reduce_join(tokens, axis=1, separator=" ")
        for pattern, replacement in WORD_DETOKENIZER_RULES:
            text = tf.strings.regex_replace(text, pattern, replacement)
        return text

    def tf_resources(self):
        """The TensorFlow resources :meth:`encode_tf` and :meth:`decode_tf`
        use (the vectorizer, with its lookup table, built), for a SavedModel
        export to track."""
        import tensorflow as tf

        if not self.vectorizer.built:
            self.vectorizer(tf.constant([""]))
        return [self.vectorizer]

    def get_config(self):
        return dict(self.config)


def train_tokenizer(texts, *, level="subword", vocab_size=None, **options):
    """A tokenizer of ``level`` built from ``texts`` (the training split).

    Args:
        texts: raw sentences (each tokenizer normalizes them its own way).
        level: ``"subword"``, ``"word"`` or ``"character"``.
        vocab_size: ids including the 4 reserved ones; ``None``: 8,000 for
            subwords, every token for words and characters.
        options: for subwords, passed to
            :meth:`~seq2seq_attention.data.subwords.SubwordTokenizer.train`
            (``model_type``).

    Example:
        >>> train_tokenizer(["ab", "b"], level="character").vocabulary[4:]
        ['b', 'a']
    """
    from .vocabulary import make_vectorizer, vectorizer_config

    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}; got {level!r}.")
    if level == "subword":
        return SubwordTokenizer.train(
            texts, vocab_size=vocab_size or 8000, **options
        )
    if options:
        raise ValueError(
            f"{level}-level tokenizers take no {sorted(options)}."
        )
    if level == "word":
        texts = [normalize(t) for t in texts]
    vectorizer = make_vectorizer(texts, level=level, max_tokens=vocab_size)
    return VocabularyTokenizer(vectorizer_config(vectorizer))


def tokenizer_from_config(config):
    """Rebuild a tokenizer from its ``get_config()`` dict (any level; a
    vectorizer config of older translators is a word/character one)."""
    if config.get("level") == "subword":
        return SubwordTokenizer.from_config(config)
    return VocabularyTokenizer(config)


def as_tokenizer(value):
    """A tokenizer from a tokenizer, its config dict, or a
    ``TextVectorization`` made by :func:`~.vocabulary.make_vectorizer`."""
    if isinstance(value, (SubwordTokenizer, VocabularyTokenizer)):
        return value
    if isinstance(value, dict):
        return tokenizer_from_config(value)
    from .vocabulary import vectorizer_config

    return VocabularyTokenizer(vectorizer_config(value))
