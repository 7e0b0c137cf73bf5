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
from .decoding import _beam_loop, _step_loop
from .special_tokens import END_ID, PAD_ID, START_ID, UNK_ID

__all__ = ["export_translator"]


def _length_limits(source_ids, ratio=2.0, extra=5):
    """:func:`seq2seq_attention.decoding.length_limits` in TensorFlow ops."""
    real = tf.logical_not(
        tf.logical_or(
            tf.logical_or(
                tf.equal(source_ids, PAD_ID), tf.equal(source_ids, START_ID)
            ),
            tf.equal(source_ids, END_ID),
        )
    )
    lengths = tf.reduce_sum(tf.cast(real, tf.float32), axis=1)
    return tf.maximum(
        tf.cast(tf.math.ceil(ratio * lengths + extra), tf.int32), 1
    )


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

    def encode(texts):
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

    def detokenize(tokens):  # (batch, steps) ids -> (batch,) strings
        words = tf.gather(target_vocabulary, tokens)
        keep = (
            tokens > END_ID
            # drop padding, [START], [END] (and the reserved [UNK] stays: id 1
            # < 3)
        )
        keep = tf.logical_or(keep, tf.equal(tokens, UNK_ID))
        return tf.strings.reduce_join(
            tf.ragged.boolean_mask(words, keep), axis=1, separator=separator
        )

    def greedy(texts):
        source = encode(texts)
        tokens, _, _ = _step_loop(
            model, source, _length_limits(source), greedy=True
        )
        return detokenize(tokens)

    def beam(texts, alpha):
        source = encode(texts)
        tokens = _beam_loop(
            model, source, _length_limits(source), beam_size, alpha
        )[0]  # (batch, beam, steps)
        return detokenize(tokens[:, 0])

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
