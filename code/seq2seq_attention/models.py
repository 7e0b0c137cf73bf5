"""The encoder–decoder with attention: encoder, two decoders, and the model.

Shapes use the course's names: ``batch``, ``src_len`` (source positions ``s``),
``tgt_len`` (decoder steps ``t``), ``units``, ``vocab``. Token id 0 is padding.

- :class:`Encoder`: embedding + (bidirectional) GRU or LSTM that returns the
  state at **every** source position (``return_sequences=True``): attention
  needs all of them, not just the last.
- :class:`LuongDecoder`: "attention after the RNN". The decoder RNN runs over
  the whole target, then each of its outputs attends over the encoder states;
  output and context are combined (:class:`OutputHead`) and turned into
  logits. Parallel over ``t`` in training.
- :class:`BahdanauDecoder`: "attention before the RNN step". At step ``t`` the
  previous hidden state attends over the encoder states, and the context is
  fed into the RNN's input. It is a cell inside ``keras.layers.RNN``, so it
  trains with ``fit`` like any Keras RNN.
- :class:`OutputHead`: how both decoders join the RNN output and the context
  before the output layer: ``LayerNorm(o_t + c_t)`` (default, learns fast) or
  Luong's original ``tanh(W_c [c_t; o_t])``;
- :class:`Seq2SeqAttention`: the ``keras.Model`` that joins them, trained with
  teacher forcing on ``((source_ids, target_in_ids), target_out_ids)``; it also
  exposes :meth:`~Seq2SeqAttention.encode` and
  :meth:`~Seq2SeqAttention.decode_step` for step-by-step decoding.
"""

from __future__ import annotations

import keras
from keras import ops

from .attention import ATTENTION_SCORES, get_attention
from .checks import check_choice, check_positive

__all__ = [
    "Encoder",
    "LuongDecoder",
    "BahdanauDecoderCell",
    "BahdanauDecoder",
    "Seq2SeqAttention",
]

_PACKAGE = "seq2seq_attention"
_CELLS = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}
_STEP_CELLS = {"gru": keras.layers.GRUCell, "lstm": keras.layers.LSTMCell}


def _embed_step(embedding, token_ids):
    """Embed one token per sentence, ``(batch,) -> (batch, embedding_dim)``.

    A lookup in the embedding matrix rather than a call of the layer: a single
    step has no padding to mask, and the layer would attach a mask that the
    RNN cell (which cannot use one) warns about.
    """
    return ops.take(embedding.embeddings, token_ids, axis=0)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Encoder(keras.layers.Layer):
    """Embed the source and run a (bidirectional) RNN over it.

    Returns ``(states, final_state, mask)``: ``states`` is
    ``(batch, src_len, units)``, the state at every source position (the
    attention's keys and values); ``final_state`` is a list of
    ``(batch, units)`` tensors (one for a GRU, ``[h, c]`` for an LSTM) to start
    the decoder with; ``mask`` is ``(batch, src_len)``, ``True`` for real
    tokens. A bidirectional encoder sums its two directions, so every output
    has ``units`` features.

    Example:
        >>> import numpy as np
        >>> encoder = Encoder(vocab_size=20, embedding_dim=8, units=16)
        >>> states, final, mask = encoder(
        ...     np.array([[4, 5, 6, 0], [7, 8, 0, 0]])
        ... )
        >>> (
        ...     tuple(states.shape),
        ...     [tuple(f.shape) for f in final],
        ...     mask.numpy().sum(1).tolist(),
        ... )
        ((2, 4, 16), [(2, 16)], [3, 2])
    """

    def __init__(
        self,
        vocab_size,
        embedding_dim=128,
        units=256,
        cell="gru",
        bidirectional=True,
        dropout=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_positive(
            vocab_size=vocab_size,
            embedding_dim=embedding_dim,
            units=units,
        )
        check_choice("cell", cell, _CELLS)
        self.vocab_size, self.embedding_dim, self.units = (
            vocab_size,
            embedding_dim,
            units,
        )
        self.cell, self.bidirectional, self.dropout = (
            cell,
            bidirectional,
            dropout,
        )
        self.embedding = keras.layers.Embedding(
            vocab_size, embedding_dim, mask_zero=True, name="embedding"
        )
        # Dropout as its own layers, not the RNN's `dropout=`: Keras' RNN
        # dropout reuses one mask for every step and rules out cuDNN on a GPU.
        self.input_dropout = keras.layers.Dropout(dropout, name="dropout")
        self.output_dropout = keras.layers.Dropout(dropout, name="rnn_dropout")
        # return_sequences=True: attention needs the state at every position.
        rnn = _CELLS[cell](
            units, return_sequences=True, return_state=True, name=cell
        )
        self.rnn = (
            keras.layers.Bidirectional(
                rnn, merge_mode="sum", name="bidirectional"
            )
            if bidirectional
            else rnn
        )
        # Every size is known from the arguments, so all weights exist from the
        # start.
        self.embedding.build()
        self.rnn.build((None, None, embedding_dim))
        self.built = True

    def call(self, source_ids, training=None):
        mask = ops.not_equal(source_ids, 0)  # (batch, src_len)
        # (batch, src_len, embedding_dim)
        embedded = self.embedding(source_ids)
        embedded = self.input_dropout(embedded, training=training)
        # (batch, src_len, units)
        states, *final = self.rnn(embedded, mask=mask, training=training)
        states = self.output_dropout(states, training=training)
        if (
            self.bidirectional
        ):  # [forward..., backward...] -> their sums, like the outputs
            half = len(final) // 2
            # each (batch, units)
            final = [f + b for f, b in zip(final[:half], final[half:])]
        return states, final, mask

    def get_config(self):
        return super().get_config() | dict(
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            units=self.units,
            cell=self.cell,
            bidirectional=self.bidirectional,
            dropout=self.dropout,
        )


COMBINES = ("layer_norm", "tanh")
"""How a decoder joins its output and the context: see :class:`OutputHead`."""


@keras.saving.register_keras_serializable(package=_PACKAGE)
class OutputHead(keras.layers.Layer):
    """From the decoder's output ``o_t`` and context ``c_t`` to logits.

    - ``combine="layer_norm"`` (the default): ``h_t = LayerNorm(o_t + c_t)``,
      a residual sum normalised to zero mean and unit variance per position,
      as the TensorFlow tutorial and the Transformer do;
    - ``combine="tanh"``: Luong et al.'s ``h_t = tanh(W_c [c_t; o_t])``.

    then dropout and ``logits_t = W_out h_t + b``. Why the default: with
    Keras' initial weights the ``tanh`` features are small (their RMS is a
    fraction of 1), so the logits start near zero and grow only as fast as
    Adam's bounded steps let ``W_out`` grow; measured on Spanish–English at
    the tutorial's sizes, after 650 equal steps the validation loss is 4.33
    with ``tanh`` and 1.63 with ``layer_norm`` (1.74 for ``tanh`` followed
    by a layer norm, 2.51 for a plain residual sum): the scale of ``h_t``,
    not the ``tanh``, is what slows learning (benchmarks/per_step_learning.py).

    Example:
        >>> import numpy as np
        >>> head = OutputHead(units=4, vocab_size=7)
        >>> o, c = (
        ...     np.ones((2, 3, 4), "float32"),
        ...     np.zeros((2, 3, 4), "float32"),
        ... )
        >>> tuple(head(o, c).shape)
        (2, 3, 7)
    """

    def __init__(
        self, units, vocab_size, combine="layer_norm", dropout=0.0, **kwargs
    ):
        super().__init__(**kwargs)
        check_choice("combine", combine, COMBINES)
        self.units, self.vocab_size = units, vocab_size
        self.combine_kind, self.dropout_rate = combine, dropout
        if combine == "tanh":  # W_c
            self.combine = keras.layers.Dense(
                units, activation="tanh", use_bias=False, name="combine"
            )
            self.combine.build((None, 2 * units))
        else:
            self.combine = keras.layers.LayerNormalization(name="combine")
            self.combine.build((None, units))
        self.dropout = keras.layers.Dropout(dropout, name="dropout")
        # W_out; float32 logits even under mixed precision, for a stable
        # softmax and loss.
        self.output_layer = keras.layers.Dense(
            vocab_size, name="logits", dtype="float32"
        )
        self.output_layer.build((None, units))
        # The inputs carry the target's padding mask; the logits need none
        # (the loss skips padding by its id), so it stops here, silently.
        self.supports_masking = True
        self.built = True

    def compute_mask(self, *args, **kwargs):
        return None

    def call(self, output, context, training=None):
        # output, context: (..., units) -> logits (..., vocab)
        if self.combine_kind == "tanh":
            hidden = self.combine(ops.concatenate([context, output], -1))
        else:
            hidden = self.combine(output + context)
        hidden = self.dropout(hidden, training=training)
        return self.output_layer(hidden)

    def get_config(self):
        return super().get_config() | dict(
            units=self.units,
            vocab_size=self.vocab_size,
            combine=self.combine_kind,
            dropout=self.dropout_rate,
        )


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LuongDecoder(keras.layers.Layer):
    """Attention after the RNN (Luong et al., 2015).

    For every step ``t``: ``o_t = RNN(y_{t-1}, o_{t-1})``, then
    ``c_t = attention(o_t, encoder states)``, then
    ``logits_t = W_out LayerNorm(o_t + c_t)`` (or Luong's
    ``W_out tanh(W_c [c_t; o_t])`` with ``combine="tanh"``; see
    :class:`OutputHead`). ``dropout`` applies to the RNN's inputs (the
    embeddings), its outputs and the combined vector.

    Example:
        >>> import numpy as np
        >>> decoder = LuongDecoder(
        ...     vocab_size=12, embedding_dim=8, units=16, attention="dot"
        ... )
        >>> states, mask = (
        ...     np.ones((2, 5, 16), "float32"),
        ...     np.ones((2, 5), bool),
        ... )
        >>> logits, weights, state = decoder(
        ...     np.array([[1, 4, 5], [1, 6, 0]]),
        ...     states,
        ...     mask,
        ...     [np.zeros((2, 16), "float32")],
        ... )
        >>> tuple(logits.shape), tuple(weights.shape)
        ((2, 3, 12), (2, 3, 5))
    """

    def __init__(
        self,
        vocab_size,
        embedding_dim=128,
        units=256,
        attention="additive",
        cell="gru",
        dropout=0.0,
        combine="layer_norm",
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_positive(
            vocab_size=vocab_size,
            embedding_dim=embedding_dim,
            units=units,
        )
        check_choice("cell", cell, _CELLS)
        check_choice("attention", attention, ATTENTION_SCORES)
        self.vocab_size, self.embedding_dim, self.units = (
            vocab_size,
            embedding_dim,
            units,
        )
        self.attention_score, self.cell, self.dropout = (
            attention,
            cell,
            dropout,
        )
        self.embedding = keras.layers.Embedding(
            vocab_size, embedding_dim, mask_zero=True, name="embedding"
        )
        self.input_dropout = keras.layers.Dropout(dropout, name="dropout")
        self.rnn = _CELLS[cell](
            units, return_sequences=True, return_state=True, name=cell
        )
        self.attention = get_attention(
            attention, units=units, name="attention"
        )
        # Queries and keys both have `units` features (the encoder sums its two
        # directions), so the attention's weights can be made now; encode()
        # may need project_keys before the first teacher-forced call.
        self.attention.build((None, units), (None, None, units))
        self.output_dropout = keras.layers.Dropout(dropout, name="rnn_dropout")
        self.head = OutputHead(
            units, vocab_size, combine=combine, dropout=dropout, name="head"
        )
        self.embedding.build()
        self.rnn.build((None, None, embedding_dim))
        self.built = True

    @property
    def combine(self):
        """The layer joining output and context (see :class:`OutputHead`)."""
        return self.head.combine

    @property
    def output_layer(self):
        """``W_out``: the last layer, giving the logits."""
        return self.head.output_layer

    def call(
        self,
        target_in_ids,
        encoder_states,
        source_mask,
        initial_state,
        training=None,
    ):
        """Teacher forcing: returns ``(logits, weights, final_state)`` with
        logits ``(batch, tgt_len, vocab)`` and weights
        ``(batch, tgt_len, src_len)``."""
        target_mask = ops.not_equal(target_in_ids, 0)  # (batch, tgt_len)
        # (batch, tgt_len, embedding_dim)
        embedded = self.embedding(target_in_ids)
        embedded = self.input_dropout(embedded, training=training)
        outputs, *state = self.rnn(
            embedded,
            initial_state=initial_state,
            mask=target_mask,
            training=training,
        )
        # outputs: (batch, tgt_len, units)
        outputs = self.output_dropout(outputs, training=training)
        # (b, t, units), (b, t, s)
        context, weights = self.attention(
            outputs, encoder_states, mask=source_mask
        )
        logits = self.head(outputs, context, training=training)
        return logits, weights, state

    @property
    def attention_layer(self):
        """The attention layer (each decoder names it the same way)."""
        return self.attention

    @property
    def recurrent_layer(self):
        """The recurrent layer: a ``keras.layers.GRU`` or ``LSTM``."""
        return self.rnn

    def step(
        self,
        previous_ids,
        state,
        encoder_states,
        source_mask,
        projected_keys=None,
    ):
        """One decoder step: previous tokens ``(batch,)`` ->
        ``(logits (batch, vocab), new_state, weights (batch, src_len))``."""
        # (batch, embedding_dim)
        embedded = _embed_step(self.embedding, previous_ids)
        output, state = self.rnn.cell(embedded, state)  # (batch, units)
        state = list(state) if isinstance(state, (list, tuple)) else [state]
        # (batch, units), (batch, src_len)
        context, weights = self.attention(
            output,
            encoder_states,
            mask=source_mask,
            projected_keys=projected_keys,
        )
        return self.head(output, context), state, weights

    def get_config(self):
        return super().get_config() | dict(
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            units=self.units,
            attention=self.attention_score,
            cell=self.cell,
            dropout=self.dropout,
            combine=self.head.combine_kind,
        )


@keras.saving.register_keras_serializable(package=_PACKAGE)
class BahdanauDecoderCell(keras.layers.Layer):
    """One step of attention before the RNN (Bahdanau et al., 2015).

    ``c_t = attention(s_{t-1}, encoder states)``, then
    ``s_t = RNNCell([embedding(y_{t-1}); c_t], s_{t-1})``. The cell's output is
    ``[s_t; c_t]`` (``2 * units``).

    ``keras.layers.RNN`` passes a cell only the current input and state, but
    this cell also needs the encoder states at every step. Keras 3 removed
    the ``constants=`` argument that Keras 2 had for that, so
    :class:`BahdanauDecoder` hands them over with :meth:`set_memory` just
    before it runs the RNN (inside the same ``call``, so it also works in a
    compiled graph, and gradients flow back to the encoder).
    """

    def __init__(self, units, attention="additive", cell="gru", **kwargs):
        super().__init__(**kwargs)
        check_positive(units=units)
        check_choice("cell", cell, _STEP_CELLS)
        self.units, self.attention_score, self.cell = units, attention, cell
        # No dropout inside: keras.layers.RNN resets the dropout masks of the
        # cell it is given, not of a cell nested in it, so a nested cell's
        # mask would go stale. BahdanauDecoder applies dropout to its input.
        self.rnn_cell = _STEP_CELLS[cell](units, name=cell)
        self.attention = get_attention(
            attention, units=units, name="attention"
        )
        # see LuongDecoder
        self.attention.build((None, units), (None, None, units))
        self.state_size = [units] if cell == "gru" else [units, units]
        self.output_size = 2 * units
        self._memory = None

    def build(self, input_shape):
        if not self.rnn_cell.built:
            self.rnn_cell.build((input_shape[0], input_shape[-1] + self.units))
        self.built = True

    def set_memory(self, encoder_states, source_mask, projected_keys=None):
        """Give the cell the encoder states ``(batch, src_len, units)`` and
        mask."""
        if projected_keys is None:
            # once per sentence
            projected_keys = self.attention.project_keys(encoder_states)
        self._memory = (encoder_states, source_mask, projected_keys)

    def attend_and_step(self, inputs, states, training=None):
        """``inputs`` ``(batch, embedding_dim)``, ``states`` list of
        ``(batch, units)`` -> ``(output, new_states, weights)``, with
        ``output`` ``(batch, 2 * units)`` and ``weights`` ``(batch, src_len)``.
        """
        if self._memory is None:
            raise RuntimeError(
                "BahdanauDecoderCell needs set_memory(encoder_states, mask) "
                "before it runs."
            )
        encoder_states, source_mask, projected_keys = self._memory
        previous = states[0]  # s_{t-1}: (batch, units)
        # (batch, units), (batch, src_len)
        context, weights = self.attention(
            previous,
            encoder_states,
            mask=source_mask,
            projected_keys=projected_keys,
        )
        # (batch, embedding_dim + units)
        rnn_input = ops.concatenate([inputs, context], axis=-1)
        # (batch, units)
        output, new_states = self.rnn_cell(
            rnn_input,
            states if self.cell == "lstm" else states[0],
            training=training,
        )
        new_states = (
            list(new_states)
            if isinstance(new_states, (list, tuple))
            else [new_states]
        )
        return ops.concatenate([output, context], axis=-1), new_states, weights

    def call(self, inputs, states, training=None):
        output, new_states, _ = self.attend_and_step(
            inputs, states, training=training
        )
        return output, new_states

    def get_config(self):
        return super().get_config() | dict(
            units=self.units, attention=self.attention_score, cell=self.cell
        )


@keras.saving.register_keras_serializable(package=_PACKAGE)
class BahdanauDecoder(keras.layers.Layer):
    """Attention before the RNN step: :class:`BahdanauDecoderCell` inside
    ``keras.layers.RNN``, then ``logits_t = W_out LayerNorm(s_t + c_t)`` (or
    ``W_out tanh(W_c [s_t; c_t])`` with ``combine="tanh"``; see
    :class:`OutputHead`).

    In teacher forcing it returns ``weights=None`` (a Keras RNN output has a
    fixed size, and ``src_len`` varies); :meth:`step` returns each step's
    weights, which is what decoding and the attention plots use.

    Example:
        >>> import numpy as np
        >>> decoder = BahdanauDecoder(vocab_size=12, embedding_dim=8, units=16)
        >>> states, mask = (
        ...     np.ones((2, 5, 16), "float32"),
        ...     np.ones((2, 5), bool),
        ... )
        >>> logits, weights, state = decoder(
        ...     np.array([[1, 4, 5], [1, 6, 0]]),
        ...     states,
        ...     mask,
        ...     [np.zeros((2, 16), "float32")],
        ... )
        >>> tuple(logits.shape), weights
        ((2, 3, 12), None)
    """

    def __init__(
        self,
        vocab_size,
        embedding_dim=128,
        units=256,
        attention="additive",
        cell="gru",
        dropout=0.0,
        combine="layer_norm",
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_positive(
            vocab_size=vocab_size,
            embedding_dim=embedding_dim,
            units=units,
        )
        check_choice("attention", attention, ATTENTION_SCORES)
        self.vocab_size, self.embedding_dim, self.units = (
            vocab_size,
            embedding_dim,
            units,
        )
        self.attention_score, self.cell, self.dropout = (
            attention,
            cell,
            dropout,
        )
        self.embedding = keras.layers.Embedding(
            vocab_size, embedding_dim, mask_zero=True, name="embedding"
        )
        # as GRU(dropout=...)
        self.input_dropout = keras.layers.Dropout(
            dropout, name="input_dropout"
        )
        self.decoder_cell = BahdanauDecoderCell(
            units, attention=attention, cell=cell, name="cell"
        )
        self.rnn = keras.layers.RNN(
            self.decoder_cell,
            return_sequences=True,
            return_state=True,
            name="rnn",
        )
        self.head = OutputHead(
            units, vocab_size, combine=combine, dropout=dropout, name="head"
        )
        self.embedding.build()
        self.decoder_cell.build((None, embedding_dim))
        self.built = True

    @property
    def combine(self):
        """The layer that joins state and context (see :class:`OutputHead`)."""
        return self.head.combine

    @property
    def output_layer(self):
        """``W_out``: the last layer, giving the logits."""
        return self.head.output_layer

    def _logits(self, outputs, training=None):
        # outputs (..., 2 * units) = [s_t; c_t]
        state, context = ops.split(outputs, 2, axis=-1)
        # Swapped on purpose: "tanh" concatenates [context; output], and
        # Bahdanau's original joins [s_t; c_t]. (layer_norm just adds them.)
        return self.head(context, state, training=training)

    def call(
        self,
        target_in_ids,
        encoder_states,
        source_mask,
        initial_state,
        training=None,
    ):
        """Teacher forcing: returns
        ``(logits (batch, tgt_len, vocab), None, final_state)``."""
        target_mask = ops.not_equal(target_in_ids, 0)  # (batch, tgt_len)
        # (batch, tgt_len, embedding_dim)
        embedded = self.embedding(target_in_ids)
        embedded = self.input_dropout(embedded, training=training)
        self.decoder_cell.set_memory(encoder_states, source_mask)
        # (batch, tgt_len, 2 * units)
        outputs, *state = self.rnn(
            embedded,
            initial_state=initial_state,
            mask=target_mask,
            training=training,
        )
        return self._logits(outputs, training), None, state

    @property
    def attention_layer(self):
        """The attention layer, inside the decoder cell."""
        return self.decoder_cell.attention

    @property
    def recurrent_layer(self):
        """The recurrent cell inside the decoder cell (a ``GRUCell`` or
        ``LSTMCell``; ``self.rnn`` also holds the attention)."""
        return self.decoder_cell.rnn_cell

    def step(
        self,
        previous_ids,
        state,
        encoder_states,
        source_mask,
        projected_keys=None,
    ):
        """One decoder step: previous tokens ``(batch,)`` ->
        ``(logits (batch, vocab), new_state, weights (batch, src_len))``."""
        # (batch, embedding_dim)
        embedded = _embed_step(self.embedding, previous_ids)
        self.decoder_cell.set_memory(
            encoder_states, source_mask, projected_keys
        )
        output, state, weights = self.decoder_cell.attend_and_step(
            embedded, state
        )
        return self._logits(output), state, weights

    def get_config(self):
        return super().get_config() | dict(
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            units=self.units,
            attention=self.attention_score,
            cell=self.cell,
            dropout=self.dropout,
            combine=self.head.combine_kind,
        )


_DECODERS = {"luong": LuongDecoder, "bahdanau": BahdanauDecoder}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Seq2SeqAttention(keras.Model):
    """Encoder + attention decoder, trained with teacher forcing.

    ``model((source_ids, target_in_ids))`` returns logits
    ``(batch, tgt_len, target_vocab)`` for ``target_out_ids``, which is
    ``target_in_ids`` shifted left by one. Compile it with
    :func:`seq2seq_attention.metrics.masked_loss` (or any loss that ignores id
    0).

    Args:
        source_vocab_size, target_vocab_size: vocabulary sizes (id 0 is
            padding).
        embedding_dim: size of both embeddings.
        units: RNN size of encoder (per direction) and decoder, and the
            additive attention's hidden size.
        decoder: ``"luong"`` (attention after the RNN) or ``"bahdanau"``
            (attention before the RNN step).
        attention: ``"additive"``, ``"dot"``, ``"general"`` or
            ``"scaled_dot"``; ``"none"`` gives the classic seq2seq without
            attention, whose decoder sees the source only through the encoder's
            final state (a baseline).
        cell: ``"gru"`` or ``"lstm"``.
        bidirectional: whether the encoder reads the source both ways.
        dropout: dropout rate on the embeddings, the RNN outputs and the
            combined vector before the output layer.
        combine: ``"layer_norm"`` or ``"tanh"``: how the decoder joins its
            output and the context (:class:`OutputHead`).

    Example:
        >>> import numpy as np
        >>> model = Seq2SeqAttention(
        ...     30, 40, embedding_dim=8, units=16, decoder="bahdanau"
        ... )
        >>> source = np.array([[5, 6, 7, 0]])
        >>> target_in = np.array([[1, 9, 10]])
        >>> tuple(model((source, target_in)).shape)
        (1, 3, 40)
    """

    def __init__(
        self,
        source_vocab_size,
        target_vocab_size,
        embedding_dim=128,
        units=256,
        decoder="luong",
        attention="additive",
        cell="gru",
        bidirectional=True,
        dropout=0.0,
        combine="layer_norm",
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_choice("decoder", decoder, _DECODERS)
        self.combine = combine
        self.source_vocab_size, self.target_vocab_size = (
            source_vocab_size,
            target_vocab_size,
        )
        self.embedding_dim, self.units, self.decoder_style = (
            embedding_dim,
            units,
            decoder,
        )
        self.attention_score, self.cell, self.bidirectional, self.dropout = (
            attention,
            cell,
            bidirectional,
            dropout,
        )
        self.encoder = Encoder(
            source_vocab_size,
            embedding_dim,
            units,
            cell=cell,
            bidirectional=bidirectional,
            dropout=dropout,
            name="encoder",
        )
        self.decoder = _DECODERS[decoder](
            target_vocab_size,
            embedding_dim,
            units,
            attention=attention,
            cell=cell,
            dropout=dropout,
            combine=combine,
            name="decoder",
        )
        self.build()  # every weight exists already (see build)

    def build(self, input_shape=None):
        # The encoder and decoder create all their weights in __init__.
        self.built = True

    def call(self, inputs, training=None):
        source_ids, target_in_ids = inputs
        states, final, mask = self.encoder(source_ids, training=training)
        logits, _, _ = self.decoder(
            target_in_ids, states, mask, final, training=training
        )
        return logits  # (batch, tgt_len, target_vocab)

    def forward(self, source_ids, target_in_ids, training=None):
        """Teacher forcing that also returns the attention weights:
        ``(logits, weights)``, ``(batch, tgt_len, vocab)`` and
        ``(batch, tgt_len, src_len)``.

        The Luong decoder computes the weights in the same pass; the Bahdanau
        decoder's are collected by stepping through the target, in eager mode
        (for plots and tests; training calls the model, which skips this)."""
        states, final, mask = self.encoder(source_ids, training=training)
        logits, weights, _ = self.decoder(
            target_in_ids, states, mask, final, training=training
        )
        if weights is None:  # Bahdanau: replay the steps to collect them
            memory = self.encode(source_ids)
            state, step_weights = memory.pop("state"), []
            for t in range(target_in_ids.shape[1]):
                _, state, w = self.decode_step(
                    target_in_ids[:, t], state, memory
                )
                step_weights.append(w)
            # (batch, tgt_len, src_len)
            weights = ops.stack(step_weights, axis=1)
        return logits, weights

    def encode(self, source_ids, max_steps=None):
        """Encode once for step-by-step decoding
        (:class:`~seq2seq_attention.protocol.DecodingModel`). Returns a dict
        with the encoder ``states`` ``(batch, src_len, units)``, the source
        ``mask``, the attention's ``projected_keys`` and the decoder's initial
        ``state`` (``[h]`` or ``[h, c]``, each ``(batch, units)``).
        ``max_steps`` is not needed: the RNN's state has a fixed size."""
        states, final, mask = self.encoder(source_ids, training=False)
        return {
            "states": states,
            "mask": mask,
            "projected_keys": self.decoder.attention_layer.project_keys(
                states
            ),
            "state": final,
        }

    def decode_step(self, previous_ids, state, memory):
        """One step from the previous tokens ``(batch,)``; returns
        ``(logits (batch, vocab), new_state, weights (batch, src_len))``."""
        return self.decoder.step(
            previous_ids,
            state,
            memory["states"],
            memory["mask"],
            projected_keys=memory["projected_keys"],
        )

    def get_config(self):
        return super().get_config() | dict(
            source_vocab_size=self.source_vocab_size,
            target_vocab_size=self.target_vocab_size,
            embedding_dim=self.embedding_dim,
            units=self.units,
            decoder=self.decoder_style,
            attention=self.attention_score,
            cell=self.cell,
            bidirectional=self.bidirectional,
            dropout=self.dropout,
            combine=self.combine,
        )
