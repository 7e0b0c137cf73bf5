"""Export a translator as a TensorFlow SavedModel: strings in, strings out.

The export holds the model's weights, the translator's two tokenizers (their
lookup tables, in TensorFlow ops) and two compiled signatures:

- ``greedy(texts)``: ``(batch,)`` strings -> ``(batch,)`` translations;
- ``beam(texts, alpha)``: the same with beam search of width ``beam_size``
  (fixed at export time) and length normalisation ``alpha``.

It needs neither this package nor Python code from the course to run: only
TensorFlow (``tf.saved_model.load``), TF Serving or anything else that reads
SavedModels. Each step is the one the Python
:class:`~seq2seq_attention.translator.Translator` takes, in its TensorFlow
form: the source tokenizer's ``encode_tf`` (which normalizes the text the
way its ``encode`` does: typographic quotes and no-break spaces for
subwords), ``[START]``/``[END]`` around the ids, the decoding loops of
:mod:`seq2seq_attention.decoding` with their length rule, and the target
tokenizer's ``decode_tf``; a blank input gives ``""``, as in Python.

Works for subword tokenizers
(:class:`~seq2seq_attention.data.subwords.SubwordTokenizer`, unigram
models) and word- or character-level ones
(:class:`~seq2seq_attention.data.tokenizers.VocabularyTokenizer`). For
word-level sources, the Unicode NFKC step of
:func:`seq2seq_attention.data.normalize` has no TensorFlow op, so inputs
with compatibility characters (full-width letters, ligatures) should be
normalized before they are sent.

Example (not run here: it writes files)::

    export_translator(translator, "exported/translator")
    reloaded = tf.saved_model.load("exported/translator")
    reloaded.greedy(tf.constant(["How are you?"]))
"""

from __future__ import annotations

import keras
import tensorflow as tf

from .data.typography import SPACES
from .decoding import beam_loop, length_limits, step_loop
from .special_tokens import END_ID, PAD_ID, START_ID

__all__ = ["export_translator"]

# A text made only of white space (what Python's str.strip() removes): the
# Translator returns "" for it without running the model.
_BLANK = "[" + "".join(f"\\x{{{ord(c):04x}}}" for c in SPACES) + "]*"


def export_translator(translator, path, beam_size=4):
    """Write ``translator`` as a SavedModel at ``path`` (a folder); returns
    ``path``.

    Args:
        translator: a :class:`~seq2seq_attention.translator.Translator`
            (any model of the package, any tokenizer level).
        path: the folder to write.
        beam_size: the width of the ``beam`` signature's search.
    """
    model = translator.seq2seq
    source, target = translator.source_tokenizer, translator.target_tokenizer
    # Built once here, eagerly: their tables exist before they are traced.
    source.encode_tf(tf.constant([""]))
    target.decode_tf(tf.zeros([1, 1], tf.int64))

    def greedy(texts):
        ids = _source_ids(source, texts)
        tokens, _, _ = step_loop(model, ids, length_limits(ids), greedy=True)
        return _texts(texts, target.decode_tf(tokens))

    def beam(texts, alpha):
        ids = _source_ids(source, texts)
        # (batch, beam, steps), best first
        tokens = beam_loop(model, ids, length_limits(ids), beam_size, alpha)[0]
        return _texts(texts, target.decode_tf(tokens[:, 0]))

    archive = keras.export.ExportArchive()
    archive.track(model)
    for tokenizer in (source, target):
        for resource in tokenizer.tf_resources():  # lookup tables
            archive.track(resource)
    archive.add_endpoint(
        "greedy", greedy, input_signature=[tf.TensorSpec([None], tf.string)]
    )
    archive.add_endpoint(
        "beam",
        beam,
        input_signature=[
            tf.TensorSpec([None], tf.string),
            tf.TensorSpec([], tf.float32),
        ],
    )
    logger = tf.get_logger()
    level = logger.level
    # SavedModel writing logs "Assets written to ..." at INFO on stderr
    logger.setLevel("ERROR")
    try:
        archive.write_out(str(path), verbose=False)
    finally:
        logger.setLevel(level)
    return path


def _source_ids(tokenizer, texts):
    """``(batch,)`` strings -> ``(batch, src_len)`` int64 ids,
    ``[START] ... [END]``, 0-padded: ``Translator.encode_sources`` in
    TensorFlow ops."""
    ids = tokenizer.encode_tf(texts)  # (batch, None) ragged int64
    n = ids.nrows()

    def marker(token):  # (batch, 1): the token on every row
        return tf.RaggedTensor.from_tensor(
            tf.fill([n, 1], tf.constant(token, tf.int64))
        )

    ids = tf.concat([marker(START_ID), ids, marker(END_ID)], axis=1)
    return ids.to_tensor(default_value=PAD_ID)  # (batch, src_len)


def _texts(inputs, translations):
    """``""`` for blank inputs, as ``Translator.translate`` gives."""
    blank = tf.strings.regex_full_match(inputs, _BLANK)  # (batch,)
    return tf.where(blank, tf.constant(""), translations)
