"""Decoding: turning a trained model's next-token distributions into sentences.

Greedy decoding takes the most likely token at every step. It is batched:
all sentences advance together, a sentence that produced ``[END]`` stops
(its later tokens are padding), and decoding stops when every sentence has
ended or reached its length limit. The limit is bounded by each sentence's
own source length, because a model that never produces ``[END]`` would
otherwise loop to a global cap.

Ids follow :mod:`seq2seq_attention.data`: 0 padding, 2 ``[START]``, 3 ``[END]``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import tensorflow as tf
from keras import ops

from .data import END_ID, PAD_ID, START_ID

__all__ = ["Decoded", "length_limits", "greedy_decode"]


@dataclasses.dataclass
class Decoded:
    """The result of decoding a batch.

    Attributes:
        tokens: ``(batch, steps)`` int array of output ids, ``[END]`` included,
            padded with 0 after it.
        log_probs: ``(batch, steps)`` log-probability of each output token
            (0 at padding).
        weights: ``(batch, steps, src_len)`` attention weights of each step.
        lengths: ``(batch,)`` number of output tokens, ``[END]`` included.
    """

    tokens: np.ndarray
    log_probs: np.ndarray
    weights: np.ndarray
    lengths: np.ndarray

    @property
    def scores(self):
        """Sum of each sentence's token log-probabilities, ``(batch,)``."""
        return self.log_probs.sum(axis=1)


def length_limits(source_ids, max_length=None, ratio=2.0, extra=5):
    """Most output tokens each sentence may get: ``ratio * source_length + extra``
    (``[END]`` included), and at most ``max_length``. ``source_length`` counts
    the source's tokens without ``[START]``, ``[END]`` and padding.

    Example:
        >>> length_limits(np.array([[2, 7, 8, 3, 0], [2, 9, 3, 0, 0]]), max_length=8).tolist()
        [8, 7]
    """
    source_ids = np.asarray(source_ids)
    source_lengths = np.sum(~np.isin(source_ids, [PAD_ID, START_ID, END_ID]), axis=1)
    limits = np.ceil(ratio * source_lengths + extra).astype(int)
    if max_length is not None:
        limits = np.minimum(limits, max_length)
    return np.maximum(limits, 1)


def greedy_decode(model, source_ids, max_length=None, ratio=2.0, extra=5):
    """Batched greedy decoding with a :class:`~seq2seq_attention.models.Seq2SeqAttention`.

    Args:
        model: the model (``encode`` and ``decode_step`` are used).
        source_ids: ``(batch, src_len)`` ids, ``[START] ... [END]``, 0-padded.
        max_length, ratio, extra: see :func:`length_limits`.

    Returns:
        a :class:`Decoded`.

    Example:
        >>> from seq2seq_attention.models import Seq2SeqAttention
        >>> model = Seq2SeqAttention(10, 12, embedding_dim=4, units=8)
        >>> out = greedy_decode(model, np.array([[2, 5, 6, 3], [2, 7, 3, 0]]), max_length=6)
        >>> out.tokens.shape[0], out.weights.shape[2], bool(np.all(out.lengths <= 6))
        (2, 4, True)
    """
    source_ids = np.asarray(source_ids)
    batch = source_ids.shape[0]
    limits = length_limits(source_ids, max_length, ratio, extra)  # (batch,)
    memory = model.encode(tf.constant(source_ids))
    state = memory.pop("state")
    previous = tf.fill([batch], tf.constant(START_ID, tf.int64))
    finished = np.zeros(batch, bool)
    tokens, log_probs, weights = [], [], []
    for step in range(int(limits.max())):
        logits, state, step_weights = model.decode_step(previous, state, memory)  # (batch, vocab)
        step_log_probs = ops.convert_to_numpy(ops.log_softmax(logits, axis=-1))
        chosen = step_log_probs.argmax(axis=-1)  # (batch,)
        chosen = np.where(step + 1 >= limits, END_ID, chosen)  # out of room: end the sentence
        chosen = np.where(finished, PAD_ID, chosen)
        tokens.append(chosen)
        log_probs.append(np.where(finished, 0.0, step_log_probs[np.arange(batch), chosen]))
        weights.append(np.where(finished[:, None], 0.0, ops.convert_to_numpy(step_weights)))
        finished |= chosen == END_ID
        if finished.all():
            break
        previous = tf.constant(chosen, tf.int64)
    tokens = np.stack(tokens, axis=1)
    return Decoded(
        tokens=tokens,
        log_probs=np.stack(log_probs, axis=1),
        weights=np.stack(weights, axis=1),
        lengths=np.sum(tokens != PAD_ID, axis=1),
    )
