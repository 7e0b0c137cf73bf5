"""Export a translator as a TensorFlow SavedModel: strings in, strings out.

The export holds the model's weights, the source vocabulary (as a lookup
table) and the target vocabulary, and two compiled signatures:

- ``greedy(texts)``: ``(batch,)`` strings -> ``(batch,)`` translations;
- ``beam(texts, alpha)``: the same with beam search of width ``beam_size``
  (fixed at export time) and length normalisation ``alpha``.

It needs neither this package nor Python code from the course to run: only
TensorFlow (``tf.saved_model.load``), TF Serving or anything else that reads
SavedModels. Its text preparation is the vectorizer's own TensorFlow
standardisation (lower case, spaces around punctuation); the Unicode NFKC
step of :func:`seq2seq_attention.data.normalize` has no TensorFlow op, so
inputs with compatibility characters (full-width letters, ligatures) should be
normalised before they are sent.

Example (not run here: it writes files)::

    export_translator(translator, "exported/translator")
    reloaded = tf.saved_model.load("exported/translator")
    reloaded.greedy(tf.constant(["How are you?"]))
"""

from __future__ import annotations

import keras
import tensorflow as tf

from . import data
from .decoding import beam_loop, length_limits, step_loop
from .special_tokens import END_ID, PAD_ID, START_ID, UNK_ID

__all__ = ["export_translator"]


def export_translator(translator, path, beam_size=4):
    """Write ``translator`` as a SavedModel at ``path`` (a folder); returns
    ``path``.

    Args:
        translator: a :class:`~seq2seq_attention.translator.Translator`.
        path: the folder to write.
        beam_size: the width of the ``beam`` signature's search.
    """
    model = translator.seq2seq
    source_vectorizer = data.vectorizer_from_config(translator.source_config)
    # builds it: only built layers can be exported
    source_vectorizer(tf.constant([""]))
    target_vocabulary = tf.constant(translator.target_vocabulary)
    separator = "" if translator.target_config["level"] == "character" else " "

    def greedy(texts):
        source = _source_ids(source_vectorizer, texts)
        tokens, _, _ = step_loop(
            model, source, length_limits(source), greedy=True
        )
        return _detokenize(tokens, target_vocabulary, separator)

    def beam(texts, alpha):
        source = _source_ids(source_vectorizer, texts)
        tokens = beam_loop(
            model, source, length_limits(source), beam_size, alpha
        )[0]  # (batch, beam, steps)
        return _detokenize(tokens[:, 0], target_vocabulary, separator)

    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.track(source_vectorizer)  # its lookup table
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


def _source_ids(source_vectorizer, texts):
    """``(batch,)`` strings -> ``(batch, src_len)`` int64 ids,
    ``[START] ... [END]``, 0-padded (in TensorFlow ops)."""
    ids = source_vectorizer(texts)  # (batch, None) ragged
    if not isinstance(ids, tf.RaggedTensor):
        ids = tf.RaggedTensor.from_tensor(ids, padding=PAD_ID)
    ids = tf.cast(ids, tf.int64)
    n = ids.nrows()

    def marker(token):  # (batch, 1): the token on every row
        return tf.RaggedTensor.from_tensor(
            tf.fill([n, 1], tf.constant(token, tf.int64))
        )

    ids = tf.concat([marker(START_ID), ids, marker(END_ID)], axis=1)
    return ids.to_tensor(default_value=PAD_ID)  # (batch, src_len)


def _detokenize(tokens, target_vocabulary, separator):
    """``(batch, steps)`` ids -> ``(batch,)`` strings, without padding,
    ``[START]`` and ``[END]`` (``[UNK]`` stays)."""
    words = tf.gather(target_vocabulary, tokens)
    # ids above [END] are words; [UNK] (id 1) is reserved but kept
    keep = tf.logical_or(tokens > END_ID, tf.equal(tokens, UNK_ID))
    return tf.strings.reduce_join(
        tf.ragged.boolean_mask(words, keep), axis=1, separator=separator
    )
