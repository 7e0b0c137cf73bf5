"""A pointer-generator (See et al., 2017): attention that copies the source.

A plain attention decoder can only write words of its vocabulary: a name
it has never seen becomes ``[UNK]``. A pointer-generator can also *copy*
any source word, using its attention weights as the copy distribution. At
each decoder step ``t``::

    p_vocab = softmax(W_out LayerNorm(o_t + c_t))    the Luong decoder's
    p_gen   = sigmoid(w [c_t; o_t; x_t] + b)          the copy gate
    p(w)    = p_gen * p_vocab(w) + (1 - p_gen) * sum_{s: x_s = w} alpha[t, s]

``p_gen`` near 1 generates from the vocabulary, near 0 copies. ``p_vocab``
is the Luong decoder's own :class:`~seq2seq_attention.models.OutputHead`
(``combine="tanh"`` gives Luong's ``W_out tanh(W_c [c_t; o_t])`` instead).

**Extended ids.** Words of the source that are not in the vocabulary get
temporary ids ``V, V + 1, ...`` (``V`` the vocabulary size), numbered by
their first appearance in *this* source (:func:`extend_ids`); a target word
that is such a word gets the same id, any other unknown word ``[UNK]``. The
model's embeddings only know ``V`` ids, so it reads every id ``>= V`` as
``[UNK]``; its output distribution covers ``V + max_oovs`` ids, and copying
a name means putting probability on its extended id.

**Decoding.** :meth:`PointerGenerator.encode` and
:meth:`PointerGenerator.decode_step` speak the protocol of
:mod:`seq2seq_attention.decoding`: ``decode_step`` returns the
log-probabilities ``log p(w)`` as its logits, and ``log_softmax`` of a
normalised log-distribution is the same distribution, so greedy decoding
and beam search work unchanged. Training uses the package's
:func:`~seq2seq_attention.metrics.masked_loss` for the same reason.
:class:`~seq2seq_attention.summarizer.Summarizer` maps extended ids back to
the source's words.

Example:
    >>> import numpy as np
    >>> model = PointerGenerator(
    ...     vocab_size=12, max_oovs=3, embedding_dim=8, units=16
    ... )
    >>> source = np.array([[2, 12, 5, 13, 3]])  # two OOVs: ids 12 and 13
    >>> log_probs = model((source, np.array([[2, 12]])))
    >>> tuple(log_probs.shape)  # V + max_oovs = 15 ids
    (1, 2, 15)
    >>> np.round(np.exp(ops.convert_to_numpy(log_probs)).sum(-1), 4).tolist()
    [[1.0, 1.0]]
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

from . import data
from .models import Encoder, LuongDecoder, _embed_step

__all__ = [
    "PointerGenerator",
    "PointerGeneratorDecoder",
    "copy_distribution",
    "extend_ids",
    "pointer_dataset",
    "vocabulary_index",
]

_PACKAGE = "seq2seq_attention"
_TINY = 1e-12  # log(0) guard: probabilities below this count as this


# -- Extended ids ------------------------------------------------------------


def vocabulary_index(vocabulary):
    """``{token: id}`` for a vectorizer config's vocabulary (reserved first).

    Example:
        >>> index = vocabulary_index(["the", "storm"])
        >>> index["[UNK]"], index["the"], index["storm"]
        (1, 4, 5)
    """
    tokens = ["", data.UNK, data.START, data.END, *vocabulary]
    return {token: i for i, token in enumerate(tokens)}


def extend_ids(tokens, index, max_oovs, oovs=None):
    """Ids of ``tokens`` with unknown words numbered after the vocabulary.

    For a source, leave ``oovs`` out: each new unknown word gets the next
    id ``V, V + 1, ...`` (``V = len(index)``), up to ``max_oovs`` of them;
    any further ones become ``[UNK]``. For a target, pass the source's
    ``oovs``: its unknown words that occur in the source get their extended
    ids, the others ``[UNK]`` (they cannot be copied).

    Args:
        tokens: the words (no ``[START]``/``[END]``).
        index: from :func:`vocabulary_index`.
        max_oovs: the most extended ids a source may use.
        oovs: the source's unknown words, in id order (targets only).

    Returns:
        ``(ids, oovs)``: a list of ints and the list of unknown words.

    Example:
        >>> index = vocabulary_index(["storm", "in", "hits"])
        >>> ids, oovs = extend_ids(
        ...     "storm hits zorbu in palmar".split(), index, max_oovs=5
        ... )
        >>> ids, oovs
        ([4, 6, 7, 5, 8], ['zorbu', 'palmar'])
        >>> extend_ids("palmar storm kelo".split(), index, 5, oovs)[0]
        [8, 4, 1]
    """
    size = len(index)
    source = oovs is None
    oovs = [] if source else list(oovs)
    position = {word: size + i for i, word in enumerate(oovs)}
    ids = []
    for token in tokens:
        if token in index:
            ids.append(index[token])
        elif token in position:
            ids.append(position[token])
        elif source and len(oovs) < max_oovs:
            position[token] = size + len(oovs)
            oovs.append(token)
            ids.append(position[token])
        else:
            ids.append(data.UNK_ID)
    return ids, oovs


def pointer_dataset(
    pairs, vocabulary, max_oovs, batch_size=64, shuffle=True, seed=None
):
    """A ``tf.data.Dataset`` of ``((source, target_in), target_out)`` batches
    in extended ids, for :class:`PointerGenerator`.

    As :func:`seq2seq_attention.data.make_dataset` (``[START]``/``[END]``
    around each side, 0-padded, the target shifted by one for teacher
    forcing), except that the ids are :func:`extend_ids`' ids.

    Args:
        pairs: ``(source, target)`` pairs of normalised text.
        vocabulary: the vocabulary list (a vectorizer config's
            ``"vocabulary"``).
        max_oovs: as :func:`extend_ids`.
        batch_size, shuffle, seed: as ``make_dataset``.

    Example:
        >>> pairs = [("storm hits palmar", "storm in palmar")]
        >>> (s, t_in), t_out = next(
        ...     iter(
        ...         pointer_dataset(
        ...             pairs, ["storm", "in", "hits"], 5, shuffle=False
        ...         )
        ...     )
        ... )
        >>> s.numpy().tolist(), t_in.numpy().tolist(), t_out.numpy().tolist()
        ([[2, 4, 6, 7, 3]], [[2, 4, 5, 7]], [[4, 5, 7, 3]])
    """
    if shuffle and seed is None:
        raise ValueError(
            "shuffle=True needs a seed (any int) so that runs "
            "are reproducible; or pass shuffle=False."
        )
    if not pairs:
        raise ValueError("pointer_dataset got no pairs.")
    index = vocabulary_index(vocabulary)
    sources, targets = [], []
    for source, target in pairs:
        source_ids, oovs = extend_ids(data.tokenize(source), index, max_oovs)
        target_ids, _ = extend_ids(
            data.tokenize(target), index, max_oovs, oovs
        )
        sources.append([data.START_ID, *source_ids, data.END_ID])
        targets.append([data.START_ID, *target_ids, data.END_ID])
    sources = tf.ragged.constant(sources, dtype=tf.int64)
    targets = tf.ragged.constant(targets, dtype=tf.int64)
    dataset = tf.data.Dataset.range(len(pairs))
    if shuffle:
        dataset = dataset.shuffle(
            len(pairs), seed=seed, reshuffle_each_iteration=True
        )

    def batch(i):  # (batch, longest source), (batch, longest target + 1)
        return (
            tf.gather(sources, i).to_tensor(data.PAD_ID),
            tf.gather(targets, i).to_tensor(data.PAD_ID),
        )

    def teacher_forcing(source, target):
        return (source, target[:, :-1]), target[:, 1:]

    return (
        dataset.batch(batch_size)
        .map(batch)
        .map(teacher_forcing)
        .prefetch(tf.data.AUTOTUNE)
    )


# -- The copy distribution ----------------------------------------------------


def copy_distribution(weights, source_ids, size):
    """Attention weights as a distribution over (extended) ids.

    ``copy[w] = sum of alpha[s] over the source positions s holding id w``:
    a word that occurs twice gets both weights.

    Args:
        weights: ``(batch, src_len)`` or ``(batch, tgt_len, src_len)``.
        source_ids: ``(batch, src_len)`` ids, extended ones included.
        size: the number of ids, ``V + max_oovs``.

    Returns:
        ``(batch, size)`` or ``(batch, tgt_len, size)``: sums to the sum of
        the weights (1 for a softmax over a non-empty source).

    Example:
        >>> import numpy as np
        >>> copy = copy_distribution(
        ...     np.array([[0.5, 0.2, 0.3]], "float32"),
        ...     np.array([[7, 9, 7]]),
        ...     size=10,
        ... )
        >>> ops.convert_to_numpy(copy).astype(float).round(2).tolist()
        [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.8, 0.0, 0.2]]
    """
    one_hot = ops.one_hot(ops.cast(source_ids, "int32"), size)  # (b, s, size)
    weights = ops.cast(weights, "float32")
    if len(weights.shape) == 2:
        return ops.einsum("bs,bsv->bv", weights, one_hot)  # (batch, size)
    return ops.matmul(weights, one_hot)  # (batch, tgt_len, size)


def _in_vocabulary(ids, vocab_size):
    """Extended ids read as ``[UNK]`` by the embeddings."""
    ids = ops.convert_to_tensor(ids)
    return ops.where(ids >= vocab_size, ops.cast(data.UNK_ID, ids.dtype), ids)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class PointerGeneratorDecoder(LuongDecoder):
    """A :class:`~seq2seq_attention.models.LuongDecoder` that can copy.

    The same embedding, RNN, attention and output head (with their
    dropout), plus the copy gate ``p_gen``; its outputs are
    log-probabilities over ``vocab_size + max_oovs`` extended ids instead
    of logits over ``vocab_size``.

    Example:
        >>> import numpy as np
        >>> decoder = PointerGeneratorDecoder(
        ...     12, max_oovs=3, embedding_dim=8, units=16, attention="dot"
        ... )
        >>> states, mask = (
        ...     np.ones((2, 5, 16), "float32"),
        ...     np.ones((2, 5), bool),
        ... )
        >>> log_probs, weights, state, gates = decoder.distribution(
        ...     np.array([[2, 4], [2, 13]]),
        ...     states,
        ...     mask,
        ...     [np.zeros((2, 16), "float32")],
        ...     np.full((2, 5), 13),
        ... )
        >>> tuple(log_probs.shape), tuple(weights.shape), tuple(gates.shape)
        ((2, 2, 15), (2, 2, 5), (2, 2))
    """

    def __init__(
        self,
        vocab_size,
        max_oovs=20,
        embedding_dim=128,
        units=256,
        attention="additive",
        cell="gru",
        dropout=0.0,
        combine="layer_norm",
        **kwargs,
    ):
        super().__init__(
            vocab_size,
            embedding_dim,
            units,
            attention=attention,
            cell=cell,
            dropout=dropout,
            combine=combine,
            **kwargs,
        )
        if (
            isinstance(max_oovs, bool)
            or not isinstance(max_oovs, int)
            or max_oovs < 1
        ):
            raise ValueError(
                f"max_oovs must be a positive integer; got {max_oovs!r}."
            )
        self.max_oovs = max_oovs
        # p_gen from [context; RNN output; input embedding]: float32, like
        # the logits, so that the mixture below is computed in float32.
        self.gate = keras.layers.Dense(
            1, activation="sigmoid", name="copy_gate", dtype="float32"
        )
        self.gate.build((None, 2 * units + embedding_dim))

    def _mix(
        self, context, output, embedded, weights, source_ids, training=None
    ):
        """``(log p over extended ids, p_gen)`` from one or all steps'
        features: ``(..., units)`` context and output, ``(..., embedding)``."""
        # (..., V): the Luong decoder's own head, dropout included
        p_vocab = ops.softmax(self.head(output, context, training=training))
        p_gen = self.gate(
            ops.concatenate([context, output, embedded], axis=-1)
        )  # (..., 1)
        padding = [[0, 0]] * (len(p_vocab.shape) - 1) + [[0, self.max_oovs]]
        p_vocab = ops.pad(p_vocab, padding)  # (..., V + max_oovs)
        copy = copy_distribution(
            weights, source_ids, self.vocab_size + self.max_oovs
        )
        p = p_gen * p_vocab + (1.0 - p_gen) * copy  # (..., V + max_oovs)
        return ops.log(ops.maximum(p, _TINY)), p_gen[..., 0]

    def distribution(
        self,
        target_in_ids,
        encoder_states,
        source_mask,
        initial_state,
        source_ids,
        training=None,
    ):
        """Teacher forcing: ``(log_probs (batch, tgt_len, V + max_oovs),
        weights (batch, tgt_len, src_len), final_state, p_gen (batch,
        tgt_len))``."""
        target_mask = ops.not_equal(target_in_ids, 0)  # (batch, tgt_len)
        # (batch, tgt_len, embedding_dim)
        embedded = self.embedding(
            _in_vocabulary(target_in_ids, self.vocab_size)
        )
        embedded = self.input_dropout(embedded, training=training)
        outputs, *state = self.rnn(
            embedded,
            initial_state=initial_state,
            mask=target_mask,
            training=training,
        )
        # (batch, tgt_len, units)
        outputs = self.output_dropout(outputs, training=training)
        context, weights = self.attention(
            outputs, encoder_states, mask=source_mask
        )  # (b, t, units), (b, t, s)
        log_probs, p_gen = self._mix(
            context, outputs, embedded, weights, source_ids, training
        )
        return log_probs, weights, state, p_gen

    def call(
        self,
        target_in_ids,
        encoder_states,
        source_mask,
        initial_state,
        source_ids=None,
        training=None,
    ):
        """As :meth:`distribution` without ``p_gen``; ``source_ids`` (the
        extended source ids) is required."""
        if source_ids is None:
            raise ValueError(
                "PointerGeneratorDecoder needs source_ids, the "
                "extended source ids it copies from."
            )
        log_probs, weights, state, _ = self.distribution(
            target_in_ids,
            encoder_states,
            source_mask,
            initial_state,
            source_ids,
            training=training,
        )
        return log_probs, weights, state

    def step(
        self,
        previous_ids,
        state,
        encoder_states,
        source_mask,
        projected_keys=None,
        source_ids=None,
    ):
        """One step: ``(log_probs (batch, V + max_oovs), new_state, weights
        (batch, src_len))``."""
        ids = _in_vocabulary(previous_ids, self.vocab_size)
        embedded = _embed_step(self.embedding, ids)  # (batch, embedding_dim)
        output, state = self.rnn.cell(embedded, state)  # (batch, units)
        state = list(state) if isinstance(state, (list, tuple)) else [state]
        context, weights = self.attention(
            output,
            encoder_states,
            mask=source_mask,
            projected_keys=projected_keys,
        )
        log_probs, _ = self._mix(
            context, output, embedded, weights, source_ids
        )
        return log_probs, state, weights

    def get_config(self):
        return super().get_config() | dict(max_oovs=self.max_oovs)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class PointerGenerator(keras.Model):
    """Encoder + :class:`PointerGeneratorDecoder`, on extended ids.

    ``model((source_ids, target_in_ids))`` returns log-probabilities
    ``(batch, tgt_len, vocab_size + max_oovs)``; train it with
    :func:`~seq2seq_attention.metrics.masked_loss` on batches from
    :func:`pointer_dataset`. One vocabulary serves both sides (a copied
    word must mean the same id in the source and the output).

    Args:
        vocab_size: the vocabulary size ``V`` (reserved ids included).
        max_oovs: the most unknown source words one input can copy.
        embedding_dim, units, attention, cell, bidirectional, dropout,
            combine: as :class:`~seq2seq_attention.models.Seq2SeqAttention`.

    Example:
        >>> import numpy as np
        >>> from seq2seq_attention.decoding import greedy_decode
        >>> model = PointerGenerator(12, max_oovs=3, embedding_dim=8, units=16)
        >>> out = greedy_decode(
        ...     model, np.array([[2, 12, 5, 13, 3]]), max_length=4
        ... )
        >>> out.tokens.shape[0], bool(out.tokens.max() < 15)
        (1, True)
    """

    def __init__(
        self,
        vocab_size,
        max_oovs=20,
        embedding_dim=128,
        units=256,
        attention="additive",
        cell="gru",
        bidirectional=True,
        dropout=0.0,
        combine="layer_norm",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.vocab_size, self.max_oovs = vocab_size, max_oovs
        self.combine = combine
        self.embedding_dim, self.units = embedding_dim, units
        self.attention_score, self.cell = attention, cell
        self.bidirectional, self.dropout = bidirectional, dropout
        self.encoder = Encoder(
            vocab_size,
            embedding_dim,
            units,
            cell=cell,
            bidirectional=bidirectional,
            dropout=dropout,
            name="encoder",
        )
        self.decoder = PointerGeneratorDecoder(
            vocab_size,
            max_oovs,
            embedding_dim,
            units,
            attention=attention,
            cell=cell,
            dropout=dropout,
            combine=combine,
            name="decoder",
        )
        self.built = True

    @property
    def extended_vocab_size(self):
        """``vocab_size + max_oovs``: the size of the output distribution."""
        return self.vocab_size + self.max_oovs

    @property
    def source_vocab_size(self):
        """The decoding protocol's source size: the ids the encoder reads."""
        return self.vocab_size

    @property
    def target_vocab_size(self):
        """The decoding protocol's output size: ``vocab_size + max_oovs``."""
        return self.extended_vocab_size

    def _encode(self, source_ids, training=None):
        return self.encoder(
            _in_vocabulary(source_ids, self.vocab_size), training=training
        )

    def forward(self, source_ids, target_in_ids, training=None):
        """Teacher forcing with everything the chapter draws:
        ``(log_probs (batch, tgt_len, V + max_oovs), weights (batch,
        tgt_len, src_len), p_gen (batch, tgt_len))``."""
        states, final, mask = self._encode(source_ids, training)
        log_probs, weights, _, p_gen = self.decoder.distribution(
            target_in_ids, states, mask, final, source_ids, training=training
        )
        return log_probs, weights, p_gen

    def call(self, inputs, training=None):
        source_ids, target_in_ids = inputs
        log_probs, _, _ = self.forward(source_ids, target_in_ids, training)
        return log_probs  # (batch, tgt_len, V + max_oovs)

    def encode(self, source_ids, max_steps=None):
        """The decoding protocol's memory: encoder ``states``, ``mask``,
        ``projected_keys``, the extended ``source_ids`` and the decoder's
        initial ``state`` (``max_steps`` is not needed: a recurrent decoder
        keeps no per-step cache)."""
        states, final, mask = self._encode(source_ids, training=False)
        return {
            "states": states,
            "mask": mask,
            "projected_keys": self.decoder.attention.project_keys(states),
            "source_ids": ops.convert_to_tensor(source_ids),
            "state": final,
        }

    def decode_step(self, previous_ids, state, memory):
        """One step; returns ``(log_probs (batch, V + max_oovs), new_state,
        weights (batch, src_len))``."""
        return self.decoder.step(
            previous_ids,
            state,
            memory["states"],
            memory["mask"],
            memory["projected_keys"],
            source_ids=memory["source_ids"],
        )

    def get_config(self):
        return super().get_config() | dict(
            vocab_size=self.vocab_size,
            max_oovs=self.max_oovs,
            embedding_dim=self.embedding_dim,
            units=self.units,
            attention=self.attention_score,
            cell=self.cell,
            bidirectional=self.bidirectional,
            dropout=self.dropout,
            combine=self.combine,
        )
