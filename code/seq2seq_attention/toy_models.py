"""Toy models for hand-checkable decoding examples.

:class:`BigramModel` stands in for a
:class:`~seq2seq_attention.models.Seq2SeqAttention` wherever decoding needs one
(:func:`~seq2seq_attention.decoding.greedy_decode`,
:func:`~seq2seq_attention.decoding.beam_search`, the
:class:`~seq2seq_attention.translator.Translator`, ...): it speaks the same
decoding protocol (:class:`~seq2seq_attention.protocol.DecodingModel`), but
its next-token distribution comes from a small table that you write by hand,
so every step of a search can be followed with pencil and paper. The
core-concepts chapter uses it to show greedy decoding choosing a worse
sentence than beam search.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from .special_tokens import PAD_ID

__all__ = ["BigramModel"]


@keras.saving.register_keras_serializable(package="seq2seq_attention")
class BigramModel(keras.Model):
    """A "model" whose next token depends only on the previous one, through a
    table.

    ``probs[i, j]`` is the probability that token ``j`` follows token ``i``;
    the source sentence is ignored. It offers the two methods that the decoders
    call: :meth:`encode` and :meth:`decode_step`, whose logits are
    ``log(probs[previous])`` (zeros become ``log(floor)``, a finite number).
    Its "attention weights" are uniform over the real source positions: the toy
    has no attention, but the decoders return weights, so it provides some.
    It is a ``keras.Model`` without weights: ``model((source_ids,
    target_in_ids))`` gives the teacher-forced logits, and it saves to a
    ``.keras`` file, alone or in a ``Translator``. Its source and target
    vocabularies both have ``vocab`` ids.

    Args:
        probs: ``(vocab, vocab)`` array of next-token probabilities; each row
            must be non-negative and sum to 1 (the rows of padding and
            ``[END]``, never fed back by the decoders, may be all zero).
        floor: the probability used in place of 0 when taking logarithms.

    Example:
        >>> from seq2seq_attention.decoding import greedy_decode
        >>> probs = np.zeros(
        ...     (5, 5)
        ... )  # ids: 0 pad, 1 unk, 2 [START], 3 [END], 4 "hi"
        >>> probs[2, 4] = 1.0  # [START] -> "hi"
        >>> probs[4, 3] = 1.0  # "hi" -> [END]
        >>> out = greedy_decode(BigramModel(probs), np.array([[2, 4, 3]]))
        >>> out.tokens[0, : out.lengths[0]].tolist()
        [4, 3]
    """

    def __init__(self, probs, floor=1e-9, **kwargs):
        super().__init__(**kwargs)
        probs = np.asarray(probs, dtype=np.float64)
        if probs.ndim != 2 or probs.shape[0] != probs.shape[1]:
            raise ValueError(
                "probs must be a square (vocab, vocab) table; got shape "
                f"{probs.shape}."
            )
        if np.any(probs < 0):
            raise ValueError("probs must be non-negative.")
        sums = probs.sum(axis=1)
        bad = ~(np.isclose(sums, 1.0, atol=1e-6) | (sums == 0))
        if np.any(bad):
            raise ValueError(
                "each row of probs must sum to 1 (or be all zero); rows "
                f"{np.flatnonzero(bad).tolist()} sum to "
                f"{np.round(sums[bad], 6).tolist()}."
            )
        if not 0 < floor < 1:
            raise ValueError(f"floor must be in (0, 1); got {floor}.")
        self.probs, self.floor = probs, floor
        # (vocab, vocab)
        self.log_probs = tf.constant(
            np.log(np.maximum(probs, floor)), tf.float32
        )
        self.built = True

    @property
    def vocab_size(self):
        """The number of tokens in the table."""
        return self.probs.shape[0]

    @property
    def source_vocab_size(self):
        """As :attr:`vocab_size` (the source is only read for its mask)."""
        return self.vocab_size

    @property
    def target_vocab_size(self):
        """As :attr:`vocab_size`."""
        return self.vocab_size

    def call(self, inputs):
        """Teacher forcing: ``(source_ids, target_in_ids)`` -> logits
        ``(batch, tgt_len, vocab)``, the log-table rows of the inputs."""
        _, target_in_ids = inputs
        return tf.gather(self.log_probs, tf.cast(target_in_ids, tf.int32))

    def encode(self, source_ids, max_steps=None):
        """The decoders' "memory" for a batch of sources ``(batch, src_len)``.

        Only the source mask carries information (for the uniform weights); the
        state is a dummy ``(batch, 1)`` zero tensor, passed along unchanged
        (so ``max_steps`` is not needed).
        """
        source_ids = tf.convert_to_tensor(source_ids)
        mask = tf.not_equal(source_ids, PAD_ID)  # (batch, src_len)
        return {
            "mask": mask,
            "state": [tf.zeros([tf.shape(source_ids)[0], 1])],
        }

    def decode_step(self, previous_ids, state, memory):
        """Logits ``(batch, vocab)`` = ``log probs[previous_ids]``, the
        unchanged state, and uniform weights ``(batch, src_len)`` over the real
        positions."""
        # (batch, vocab)
        logits = tf.gather(self.log_probs, tf.cast(previous_ids, tf.int32))
        real = tf.cast(memory["mask"], tf.float32)  # (batch, src_len)
        weights = real / tf.maximum(
            tf.reduce_sum(real, axis=1, keepdims=True), 1.0
        )
        return logits, state, weights

    def get_config(self):
        return super().get_config() | dict(
            probs=self.probs.tolist(), floor=self.floor
        )
