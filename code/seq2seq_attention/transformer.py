"""A small Transformer built from the course's attention layer.

Everything here is made of
:class:`~seq2seq_attention.attention.ScaledDotProductAttention`, the layer of
the attention chapter, plus dense layers and layer normalisation (Vaswani et
al., 2017):

- :func:`split_heads` / :func:`merge_heads`: ``(batch, len, heads * depth)``
  <-> ``(batch, heads, len, depth)``;
- :class:`MultiHeadAttention`: project queries, keys and values, split them
  into heads, run scaled dot-product attention in every head at once, merge
  the heads and project again;
- :func:`causal_mask`, :func:`padding_mask`: which positions may be attended to
  (``True``) and which not (``False``), always passed **explicitly**;
- :func:`sinusoidal_encoding` and :class:`PositionalEmbedding`: attention
  ignores order, so each position adds a fixed pattern of sines and cosines;
- :class:`EncoderLayer`, :class:`DecoderLayer` and :class:`Transformer`, the
  encoder–decoder, trained like
  :class:`~seq2seq_attention.models.Seq2SeqAttention` on
  ``((source_ids, target_in_ids), target_out_ids)``, and decoded like it:
  :class:`Transformer` speaks the decoding protocol
  (:mod:`seq2seq_attention.protocol`), so
  :mod:`~seq2seq_attention.decoding`'s greedy decoding, sampling and beam
  search, the :class:`~seq2seq_attention.translator.Translator` and the
  export work with it. Its :meth:`~Transformer.decode_step` runs the whole
  decoder again over the tokens so far at every step (no key/value cache).

:func:`greedy_decode` and :func:`translate` are deprecated shims that call
:func:`seq2seq_attention.decoding.greedy_decode` and the ``Translator``.

Token id 0 is padding, as everywhere in the package. Shapes use ``batch``,
``src_len``, ``tgt_len``, ``d_model`` (the model's width) and ``heads``.
"""

from __future__ import annotations

import math
import warnings

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from . import decoding
from .attention import ScaledDotProductAttention
from .checks import check_positive
from .decoding import length_limits
from .special_tokens import PAD_ID

__all__ = [
    "split_heads",
    "merge_heads",
    "causal_mask",
    "padding_mask",
    "sinusoidal_encoding",
    "MultiHeadAttention",
    "PositionalEmbedding",
    "FeedForward",
    "EncoderLayer",
    "DecoderLayer",
    "Transformer",
    "greedy_decode",
    "translate",
]

_PACKAGE = "seq2seq_attention"


# -- Heads, masks, positions --------------------------------------------------


def split_heads(x, num_heads):
    """Cut the last axis into ``num_heads`` heads:
    ``(batch, len, heads * depth)`` -> ``(batch, heads, len, depth)``.

    Head ``h`` gets features ``h * depth`` to ``(h + 1) * depth - 1``.

    Example:
        >>> x = np.arange(12, dtype="float32").reshape(
        ...     1, 2, 6
        ... )  # (batch, len, 6)
        >>> heads = split_heads(x, 3)  # (1, 3, 2, 2)
        >>> ops.convert_to_numpy(heads)[
        ...     0, 1
        ... ].tolist()  # head 1: features 2 and 3
        [[2.0, 3.0], [8.0, 9.0]]
    """
    features = x.shape[-1]
    if features is not None and features % num_heads:
        raise ValueError(
            f"split_heads: the last axis ({features}) must be divisible by "
            f"num_heads={num_heads}."
        )
    shape = ops.shape(x)
    # (batch, len, heads, depth)
    x = ops.reshape(x, (shape[0], shape[1], num_heads, -1))
    return ops.transpose(x, (0, 2, 1, 3))  # (batch, heads, len, depth)


def merge_heads(x):
    """The inverse of :func:`split_heads`: ``(batch, heads, len, depth)`` ->
    ``(batch, len, heads * depth)``, head after head.

    Example:
        >>> x = np.arange(12, dtype="float32").reshape(1, 2, 6)
        >>> bool(
        ...     np.array_equal(
        ...         ops.convert_to_numpy(merge_heads(split_heads(x, 3))), x
        ...     )
        ... )
        True
    """
    if len(x.shape) != 4:
        raise ValueError(
            "merge_heads: expected (batch, heads, len, depth); got shape "
            f"{tuple(x.shape)}."
        )
    x = ops.transpose(x, (0, 2, 1, 3))  # (batch, len, heads, depth)
    shape = ops.shape(x)
    # (batch, len, heads * depth)
    return ops.reshape(x, (shape[0], shape[1], x.shape[2] * x.shape[3]))


def causal_mask(length):
    """``(length, length)`` boolean mask, ``True`` where query ``t`` may see
    key ``s``: ``s <= t``.

    With it, the output at position ``t`` depends on positions ``0..t`` only,
    so a decoder trained on the whole target at once cannot peek at the
    tokens it has to predict.

    Example:
        >>> ops.convert_to_numpy(causal_mask(3)).astype(int).tolist()
        [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
    """
    positions = ops.arange(length)
    # (len, len)
    return ops.greater_equal(
        ops.expand_dims(positions, 1), ops.expand_dims(positions, 0)
    )


def padding_mask(ids):
    """``(batch, len)`` boolean mask, ``True`` for real tokens (id not 0).

    Example:
        >>> ops.convert_to_numpy(padding_mask(np.array([[5, 6, 0]]))).tolist()
        [[True, True, False]]
    """
    return ops.not_equal(ids, PAD_ID)


def sinusoidal_encoding(length, depth):
    """The Transformer's positional encoding, ``(length, depth)`` float32:

    ``PE[p, 2i] = sin(p / 10000^(2i / depth))`` and
    ``PE[p, 2i + 1] = cos(p / 10000^(2i / depth))``.

    Each pair of features is a sine and a cosine of one frequency, from one
    cycle per ``2 pi`` positions (``i = 0``) down to one per ``2 pi * 10000``;
    the encoding of ``p + k`` is a fixed rotation of that of ``p``, the same
    for every ``p``. ``length`` may be a tensor (it is in a compiled model).

    Example:
        >>> pe = ops.convert_to_numpy(sinusoidal_encoding(50, 8))
        >>> pe.shape, np.round(pe[1, :4].astype(float), 4).tolist()
        ((50, 8), [0.8415, 0.5403, 0.0998, 0.995])
    """
    if not isinstance(depth, int) or depth <= 0 or depth % 2:
        raise ValueError(
            "sinusoidal_encoding: depth must be a positive even integer; "
            f"got {depth!r}."
        )
    positions = ops.cast(ops.arange(length), "float32")[:, None]  # (length, 1)
    # (depth / 2,)
    frequencies = 1.0 / (
        10000.0 ** (np.arange(0, depth, 2, dtype="float32") / depth)
    )
    angles = positions * frequencies[None, :]  # (length, depth / 2)
    # (length, depth / 2, 2)
    pairs = ops.stack([ops.sin(angles), ops.cos(angles)], axis=-1)
    # (length, depth): sin, cos, sin, cos, ...
    return ops.reshape(pairs, (-1, depth))


def _attention_mask(mask, query_len, key_len, causal):
    """Combine an optional ``(batch, src)`` or ``(batch, tgt, src)`` mask with
    a causal one; returns ``(batch or 1, tgt, src)`` booleans or None."""
    if mask is not None:
        mask = ops.cast(mask, "bool")
        if len(mask.shape) == 2:
            # (batch, 1, src): the same for every query
            mask = ops.expand_dims(mask, 1)
    if causal:
        # (1, tgt, tgt)
        causal_part = ops.expand_dims(causal_mask(query_len), 0)
        mask = (
            causal_part if mask is None else ops.logical_and(mask, causal_part)
        )
    if mask is not None:
        # (batch, tgt, src)
        mask = ops.logical_and(mask, ops.ones((1, query_len, key_len), "bool"))
    return mask


# -- Multi-head attention -----------------------------------------------------


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MultiHeadAttention(keras.layers.Layer):
    """Multi-head attention made of
    :class:`~seq2seq_attention.attention.ScaledDotProductAttention`.

    ``head_h = attention(Q W_q^h, K W_k^h, V W_v^h)`` for ``h = 1..heads``,
    then ``output = [head_1; ...; head_heads] W_o``. The heads are computed
    together: after the projections, :func:`split_heads` moves them next to the
    batch axis and one scaled dot-product attention runs on ``(batch * heads)``
    "sentences".

    The same computation as ``keras.layers.MultiHeadAttention`` (whose kernels
    keep the heads as a separate axis: ``(d_in, heads, key_dim)``; reshaped,
    they are this layer's ``(d_in, heads * key_dim)``); a test copies the
    weights across and compares.

    Call: ``output, weights = layer(query, value, key=None,
    attention_mask=None, use_causal_mask=False)`` with ``query``
    ``(batch, tgt_len, d_q)``, ``value`` ``(batch, src_len, d_v)``, ``key``
    (defaults to ``value``),
    ``attention_mask`` ``(batch, src_len)`` or ``(batch, tgt_len, src_len)``,
    ``True`` where a position may be attended to. Returns ``output``
    ``(batch, tgt_len, output_dim)`` and ``weights``
    ``(batch, heads, tgt_len, src_len)``.

    Args:
        num_heads: number of heads.
        key_dim: size of each head's queries and keys.
        value_dim: size of each head's values (default ``key_dim``).
        output_dim: size of the output (default: the query's size).
        dropout: dropout on the attention weights (training only).

    Example:
        >>> layer = MultiHeadAttention(num_heads=2, key_dim=4)
        >>> x = (
        ...     np.random.default_rng(0)
        ...     .normal(size=(3, 5, 8))
        ...     .astype("float32")
        ... )  # (batch, len, 8)
        >>> output, weights = layer(x, x)  # self-attention
        >>> (
        ...     tuple(output.shape),
        ...     tuple(weights.shape),
        ... )  # (batch, len, 8), (batch, heads, len, len)
        ((3, 5, 8), (3, 2, 5, 5))
    """

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        output_dim=None,
        dropout=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_positive(
            "MultiHeadAttention", num_heads=num_heads, key_dim=key_dim
        )
        if value_dim is not None:
            check_positive("MultiHeadAttention", value_dim=value_dim)
        if output_dim is not None:
            check_positive("MultiHeadAttention", output_dim=output_dim)
        self.num_heads, self.key_dim = num_heads, key_dim
        self.value_dim = value_dim or key_dim
        self.output_dim, self.dropout = output_dim, dropout
        # W_q, all heads side by side
        self.query_dense = keras.layers.Dense(
            num_heads * key_dim, name="query"
        )
        # W_k
        self.key_dense = keras.layers.Dense(num_heads * key_dim, name="key")
        # W_v
        self.value_dense = keras.layers.Dense(
            num_heads * self.value_dim, name="value"
        )
        # the attention chapter's layer
        self.attention = ScaledDotProductAttention(name="attention")
        self.weights_dropout = keras.layers.Dropout(
            dropout, name="weights_dropout"
        )
        self.output_dense = (
            None  # W_o: its size depends on the query, known in build()
        )

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = key_shape or value_shape
        for what, shape in (
            ("query", query_shape),
            ("value", value_shape),
            ("key", key_shape),
        ):
            if len(shape) != 3:
                raise ValueError(
                    f"MultiHeadAttention '{self.name}': {what} must have "
                    f"shape (batch, len, features); got {tuple(shape)}."
                )
        self.query_dense.build(query_shape)
        self.key_dense.build(key_shape)
        self.value_dense.build(value_shape)
        self.output_dense = keras.layers.Dense(
            self.output_dim or query_shape[-1], name="output"
        )
        self.output_dense.build((None, None, self.num_heads * self.value_dim))
        self.built = True

    def call(
        self,
        query,
        value,
        key=None,
        attention_mask=None,
        use_causal_mask=False,
        training=None,
    ):
        key = value if key is None else key
        if (
            len(query.shape) != 3
            or len(value.shape) != 3
            or len(key.shape) != 3
        ):
            raise ValueError(
                f"MultiHeadAttention '{self.name}': query, value and key "
                "must have shape (batch, len, features); got "
                f"{tuple(query.shape)}, {tuple(value.shape)}, "
                f"{tuple(key.shape)}."
            )
        if (
            use_causal_mask
            and query.shape[1] is not None
            and key.shape[1] is not None
            and query.shape[1] != key.shape[1]
        ):
            raise ValueError(
                f"MultiHeadAttention '{self.name}': a causal mask needs as "
                f"many queries as keys; got {query.shape[1]} and "
                f"{key.shape[1]}."
            )
        batch, tgt_len, src_len = (
            ops.shape(query)[0],
            ops.shape(query)[1],
            ops.shape(key)[1],
        )
        # (batch, heads, tgt_len, key_dim)
        q = split_heads(self.query_dense(query), self.num_heads)
        # (batch, heads, src_len, key_dim)
        k = split_heads(self.key_dense(key), self.num_heads)
        # (batch, heads, src_len, value_dim)
        v = split_heads(self.value_dense(value), self.num_heads)
        # Heads become extra "sentences": (batch * heads, len, depth), one
        # attention call for all. (batch * heads, tgt_len, key_dim)
        q = ops.reshape(q, (-1, tgt_len, self.key_dim))
        # (batch * heads, src_len, key_dim)
        k = ops.reshape(k, (-1, src_len, self.key_dim))
        # (batch * heads, src_len, value_dim)
        v = ops.reshape(v, (-1, src_len, self.value_dim))
        # (batch or 1, tgt_len, src_len)
        mask = _attention_mask(
            attention_mask, tgt_len, src_len, use_causal_mask
        )
        if mask is not None:
            # (batch, heads, tgt, src)
            mask = ops.broadcast_to(
                ops.expand_dims(mask, 1),
                (batch, self.num_heads, tgt_len, src_len),
            )
            # (batch * heads, tgt_len, src_len)
            mask = ops.reshape(mask, (-1, tgt_len, src_len))
        if self.dropout and training:
            # Dropout acts on the weights, so compute them here and mix the
            # values ourselves. (batch * heads, tgt_len, src_len)
            _, weights = self.attention(q, k, v, mask=mask)
            weights = self.weights_dropout(weights, training=training)
            # (batch * heads, tgt_len, value_dim)
            context = ops.matmul(ops.cast(weights, v.dtype), v)
        else:
            # (b * h, tgt, value_dim), (b * h, tgt, src)
            context, weights = self.attention(q, k, v, mask=mask)
        # (b, h, tgt, v_dim)
        context = ops.reshape(
            context, (batch, self.num_heads, tgt_len, self.value_dim)
        )
        # (batch, heads, tgt, src)
        weights = ops.reshape(
            weights, (batch, self.num_heads, tgt_len, src_len)
        )
        return self.output_dense(
            merge_heads(context)
        ), weights  # (batch, tgt_len, output_dim)

    def compute_output_shape(
        self, query_shape, value_shape, key_shape=None, *args, **kwargs
    ):
        key_shape = key_shape or value_shape
        return (
            tuple(query_shape[:-1]) + (self.output_dim or query_shape[-1],),
            (query_shape[0], self.num_heads, query_shape[1], key_shape[1]),
        )

    def get_config(self):
        return super().get_config() | dict(
            num_heads=self.num_heads,
            key_dim=self.key_dim,
            value_dim=self.value_dim,
            output_dim=self.output_dim,
            dropout=self.dropout,
        )


# -- The Transformer's other layers -------------------------------------------


@keras.saving.register_keras_serializable(package=_PACKAGE)
class PositionalEmbedding(keras.layers.Layer):
    """Token embedding times ``sqrt(d_model)`` plus
    :func:`sinusoidal_encoding`.

    No Keras mask is attached (``mask_zero`` is off): the Transformer passes
    its padding masks explicitly.

    Example:
        >>> layer = PositionalEmbedding(vocab_size=10, d_model=8)
        >>> tuple(
        ...     layer(np.array([[2, 5, 3, 0]])).shape
        ... )  # (batch, len, d_model)
        (1, 4, 8)
    """

    def __init__(self, vocab_size, d_model, **kwargs):
        super().__init__(**kwargs)
        check_positive(
            "PositionalEmbedding", vocab_size=vocab_size, d_model=d_model
        )
        if d_model % 2:
            raise ValueError(
                "PositionalEmbedding: d_model must be even (sine/cosine "
                f"pairs); got {d_model}."
            )
        self.vocab_size, self.d_model = vocab_size, d_model
        self.embedding = keras.layers.Embedding(
            vocab_size, d_model, name="embedding"
        )
        self.embedding.build()
        self.built = True

    def call(self, ids):
        length = ops.shape(ids)[1]
        # (batch, len, d_model)
        embedded = self.embedding(ids) * math.sqrt(self.d_model)
        return (
            embedded
            + ops.cast(
                sinusoidal_encoding(length, self.d_model), embedded.dtype
            )[None]
        )

    def get_config(self):
        return super().get_config() | dict(
            vocab_size=self.vocab_size, d_model=self.d_model
        )


@keras.saving.register_keras_serializable(package=_PACKAGE)
class FeedForward(keras.layers.Layer):
    """The position-wise feed-forward block: ``Dense(d_ff, relu)``,
    ``Dense(d_model)``, dropout.

    Example:
        >>> tuple(
        ...     FeedForward(d_model=8, d_ff=16)(
        ...         np.ones((2, 3, 8), "float32")
        ...     ).shape
        ... )
        (2, 3, 8)
    """

    def __init__(self, d_model, d_ff, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        check_positive("FeedForward", d_model=d_model, d_ff=d_ff)
        self.d_model, self.d_ff, self.dropout = d_model, d_ff, dropout
        self.hidden = keras.layers.Dense(
            d_ff, activation="relu", name="hidden"
        )
        self.projection = keras.layers.Dense(d_model, name="projection")
        self.dropout_layer = keras.layers.Dropout(dropout, name="dropout")
        self.hidden.build((None, None, d_model))
        self.projection.build((None, None, d_ff))
        self.built = True

    def call(self, x, training=None):
        # (batch, len, d_model)
        return self.dropout_layer(
            self.projection(self.hidden(x)), training=training
        )

    def get_config(self):
        return super().get_config() | dict(
            d_model=self.d_model, d_ff=self.d_ff, dropout=self.dropout
        )


def _built_attention(num_heads, d_model, dropout, name):
    if d_model % num_heads:
        raise ValueError(
            f"d_model ({d_model}) must be divisible by num_heads "
            f"({num_heads})."
        )
    layer = MultiHeadAttention(
        num_heads, d_model // num_heads, dropout=dropout, name=name
    )
    layer.build((None, None, d_model), (None, None, d_model))
    return layer


def _built_norm(d_model, name):
    layer = keras.layers.LayerNormalization(epsilon=1e-6, name=name)
    layer.build((None, None, d_model))
    return layer


@keras.saving.register_keras_serializable(package=_PACKAGE)
class EncoderLayer(keras.layers.Layer):
    """Self-attention over the source, then a feed-forward block; each is
    followed by dropout, a residual connection and layer normalisation
    ("post-norm", as in Vaswani et al., 2017).

    Call: ``layer(x, source_mask)`` with ``x`` ``(batch, src_len, d_model)``
    and ``source_mask`` ``(batch, src_len)`` (``True`` for real tokens);
    returns ``(batch, src_len, d_model)``.

    Example:
        >>> layer = EncoderLayer(d_model=8, num_heads=2, d_ff=16)
        >>> x, mask = (
        ...     np.ones((2, 5, 8), "float32"),
        ...     np.array([[1, 1, 1, 0, 0], [1] * 5], bool),
        ... )
        >>> tuple(layer(x, mask).shape)
        (2, 5, 8)
    """

    def __init__(self, d_model, num_heads, d_ff, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        check_positive(
            "EncoderLayer", d_model=d_model, num_heads=num_heads, d_ff=d_ff
        )
        self.d_model, self.num_heads, self.d_ff, self.dropout = (
            d_model,
            num_heads,
            d_ff,
            dropout,
        )
        self.self_attention = _built_attention(
            num_heads, d_model, dropout, "self_attention"
        )
        self.feed_forward = FeedForward(
            d_model, d_ff, dropout, name="feed_forward"
        )
        self.norm1, self.norm2 = (
            _built_norm(d_model, "norm1"),
            _built_norm(d_model, "norm2"),
        )
        self.dropout_layer = keras.layers.Dropout(dropout, name="dropout")
        self.built = True

    def call(self, x, source_mask, training=None):
        # (b, src_len, d_model)
        attended, _ = self.self_attention(
            x, x, attention_mask=source_mask, training=training
        )
        x = self.norm1(x + self.dropout_layer(attended, training=training))
        # (batch, src_len, d_model)
        return self.norm2(x + self.feed_forward(x, training=training))

    def get_config(self):
        return super().get_config() | dict(
            d_model=self.d_model,
            num_heads=self.num_heads,
            d_ff=self.d_ff,
            dropout=self.dropout,
        )


@keras.saving.register_keras_serializable(package=_PACKAGE)
class DecoderLayer(keras.layers.Layer):
    """Causal self-attention over the target, attention over the encoder's
    output ("cross-attention", the seq2seq attention of the earlier chapters),
    then a feed-forward block; each with dropout, residual and layer norm.

    Call: ``layer(y, memory, target_mask, source_mask)`` with ``y``
    ``(batch, tgt_len, d_model)``, ``memory`` ``(batch, src_len, d_model)`` and
    the masks ``(batch, tgt_len)``, ``(batch, src_len)``; returns
    ``(output, cross_weights)``, ``(batch, tgt_len, d_model)`` and
    ``(batch, heads, tgt_len, src_len)``.

    Example:
        >>> layer = DecoderLayer(d_model=8, num_heads=2, d_ff=16)
        >>> y, memory = (
        ...     np.ones((2, 3, 8), "float32"),
        ...     np.ones((2, 5, 8), "float32"),
        ... )
        >>> out, w = layer(
        ...     y, memory, np.ones((2, 3), bool), np.ones((2, 5), bool)
        ... )
        >>> tuple(out.shape), tuple(w.shape)
        ((2, 3, 8), (2, 2, 3, 5))
    """

    def __init__(self, d_model, num_heads, d_ff, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        check_positive(
            "DecoderLayer", d_model=d_model, num_heads=num_heads, d_ff=d_ff
        )
        self.d_model, self.num_heads, self.d_ff, self.dropout = (
            d_model,
            num_heads,
            d_ff,
            dropout,
        )
        self.self_attention = _built_attention(
            num_heads, d_model, dropout, "self_attention"
        )
        self.cross_attention = _built_attention(
            num_heads, d_model, dropout, "cross_attention"
        )
        self.feed_forward = FeedForward(
            d_model, d_ff, dropout, name="feed_forward"
        )
        self.norm1, self.norm2, self.norm3 = (
            _built_norm(d_model, f"norm{i}") for i in (1, 2, 3)
        )
        self.dropout_layer = keras.layers.Dropout(dropout, name="dropout")
        self.built = True

    def call(self, y, memory, target_mask, source_mask, training=None):
        # (batch, tgt_len, d_model)
        attended, _ = self.self_attention(
            y,
            y,
            attention_mask=target_mask,
            use_causal_mask=True,
            training=training,
        )
        y = self.norm1(y + self.dropout_layer(attended, training=training))
        # (b, tgt, d_model), (b, h, tgt, src)
        context, weights = self.cross_attention(
            y, memory, attention_mask=source_mask, training=training
        )
        y = self.norm2(y + self.dropout_layer(context, training=training))
        return self.norm3(y + self.feed_forward(y, training=training)), weights

    def get_config(self):
        return super().get_config() | dict(
            d_model=self.d_model,
            num_heads=self.num_heads,
            d_ff=self.d_ff,
            dropout=self.dropout,
        )


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Transformer(keras.Model):
    """A small Transformer encoder–decoder, a drop-in for
    :class:`~seq2seq_attention.models.Seq2SeqAttention` in training and
    decoding.

    ``model((source_ids, target_in_ids))`` returns logits
    ``(batch, tgt_len, target_vocab)`` (float32) for ``target_out_ids``;
    compile it with :func:`seq2seq_attention.metrics.masked_loss` and train it
    with :func:`seq2seq_attention.training.train`. Padding masks come from the
    ids (0 is padding) and are passed to every attention explicitly.
    :meth:`encode` and :meth:`decode_step` are the decoding protocol
    (:class:`~seq2seq_attention.protocol.DecodingModel`): decode it with
    :func:`seq2seq_attention.decoding.greedy_decode` (or ``beam_search``,
    ``sample_decode``), or wrap it in a
    :class:`~seq2seq_attention.translator.Translator`.

    Args:
        source_vocab_size, target_vocab_size: vocabulary sizes (id 0 is
            padding).
        d_model: width of every layer's input and output (even, divisible by
            ``num_heads``).
        num_heads: attention heads per attention layer.
        d_ff: hidden size of the feed-forward blocks.
        num_layers: encoder layers, and as many decoder layers.
        dropout: dropout rate (attention weights, sub-layer outputs,
            embeddings).

    Example:
        >>> model = Transformer(
        ...     30, 40, d_model=16, num_heads=2, d_ff=32, num_layers=1
        ... )
        >>> source, target_in = (
        ...     np.array([[2, 5, 6, 3, 0]]),
        ...     np.array([[2, 9, 10]]),
        ... )
        >>> tuple(
        ...     model((source, target_in)).shape
        ... )  # (batch, tgt_len, target_vocab)
        (1, 3, 40)
    """

    def __init__(
        self,
        source_vocab_size,
        target_vocab_size,
        d_model=64,
        num_heads=4,
        d_ff=256,
        num_layers=2,
        dropout=0.1,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_positive(
            "Transformer",
            source_vocab_size=source_vocab_size,
            target_vocab_size=target_vocab_size,
            d_model=d_model,
            num_heads=num_heads,
            d_ff=d_ff,
            num_layers=num_layers,
        )
        if d_model % num_heads:
            raise ValueError(
                f"Transformer: d_model ({d_model}) must be divisible by "
                f"num_heads ({num_heads})."
            )
        if not 0.0 <= dropout < 1.0:
            raise ValueError(
                f"Transformer: dropout must be in [0, 1); got {dropout!r}."
            )
        self.source_vocab_size, self.target_vocab_size = (
            source_vocab_size,
            target_vocab_size,
        )
        self.d_model, self.num_heads, self.d_ff = d_model, num_heads, d_ff
        self.num_layers, self.dropout = num_layers, dropout
        self.source_embedding = PositionalEmbedding(
            source_vocab_size, d_model, name="source_embedding"
        )
        self.target_embedding = PositionalEmbedding(
            target_vocab_size, d_model, name="target_embedding"
        )
        self.embedding_dropout = keras.layers.Dropout(
            dropout, name="embedding_dropout"
        )
        self.encoder_layers = [
            EncoderLayer(
                d_model, num_heads, d_ff, dropout, name=f"encoder_{i}"
            )
            for i in range(num_layers)
        ]
        self.decoder_layers = [
            DecoderLayer(
                d_model, num_heads, d_ff, dropout, name=f"decoder_{i}"
            )
            for i in range(num_layers)
        ]
        self.output_layer = keras.layers.Dense(
            target_vocab_size, name="logits", dtype="float32"
        )
        self.output_layer.build((None, None, d_model))
        self.build()  # every weight exists already

    def build(self, input_shape=None):
        self.built = True

    def encode_source(self, source_ids, training=None):
        """Run the encoder: ``(encoded, source_mask)``,
        ``(batch, src_len, d_model)`` and ``(batch, src_len)``."""
        source_mask = padding_mask(source_ids)  # (batch, src_len)
        # (b, src, d_model)
        x = self.embedding_dropout(
            self.source_embedding(source_ids), training=training
        )
        for layer in self.encoder_layers:
            x = layer(x, source_mask, training=training)
        return x, source_mask

    def decode(self, target_in_ids, encoded, source_mask, training=None):
        """``(logits, cross_weights)``: ``(batch, tgt_len, vocab)`` and the
        last decoder layer's weights ``(batch, heads, tgt_len, src_len)``."""
        y, weights = self._decoder_states(
            target_in_ids, encoded, source_mask, training=training
        )
        return self.output_layer(y), weights  # (batch, tgt_len, vocab)

    def _decoder_states(self, target_in_ids, encoded, source_mask, training):
        """The last decoder layer's outputs ``(batch, tgt_len, d_model)`` and
        cross-attention weights ``(batch, heads, tgt_len, src_len)``."""
        target_mask = padding_mask(target_in_ids)  # (batch, tgt_len)
        # (b, tgt, d)
        y = self.embedding_dropout(
            self.target_embedding(target_in_ids), training=training
        )
        weights = None
        for layer in self.decoder_layers:
            y, weights = layer(
                y, encoded, target_mask, source_mask, training=training
            )
        return y, weights

    def call(self, inputs, training=None):
        source_ids, target_in_ids = inputs
        encoded, source_mask = self.encode_source(
            source_ids, training=training
        )
        logits, _ = self.decode(
            target_in_ids, encoded, source_mask, training=training
        )
        return logits  # (batch, tgt_len, target_vocab)

    def forward(self, source_ids, target_in_ids, training=None):
        """Teacher forcing that also returns the last decoder layer's
        cross-attention weights: ``(logits, weights)``, ``(batch, tgt_len,
        vocab)`` and ``(batch, heads, tgt_len, src_len)``."""
        encoded, source_mask = self.encode_source(
            source_ids, training=training
        )
        return self.decode(
            target_in_ids, encoded, source_mask, training=training
        )

    # -- The decoding protocol (seq2seq_attention.protocol) ------------------

    def encode(self, source_ids, max_steps=None):
        """Encode once for step-by-step decoding
        (:class:`~seq2seq_attention.protocol.DecodingModel`).

        Returns a dict with the encoder's output ``encoded``
        ``(batch, src_len, d_model)``, the source ``mask`` and the initial
        ``state``: ``[prefix, position]``, a ``(batch, max_steps)`` int64
        buffer for the tokens read so far (zeros) and ``(batch,)`` int32, the
        next position to fill (0). ``max_steps`` (most steps to come) sizes
        the buffer; ``None``: the largest default
        :func:`~seq2seq_attention.decoding.length_limits` of the batch.
        """
        source_ids = tf.convert_to_tensor(source_ids)
        encoded, mask = self.encode_source(source_ids, training=False)
        if max_steps is None:
            max_steps = tf.reduce_max(length_limits(source_ids))
        batch = tf.shape(source_ids)[0]
        return {
            "encoded": encoded,
            "mask": mask,
            "state": [
                tf.zeros([batch, max_steps], tf.int64),  # (batch, max_steps)
                tf.zeros([batch], tf.int32),  # (batch,)
            ],
        }

    def decode_step(self, previous_ids, state, memory):
        """One step: write ``previous_ids`` ``(batch,)`` into the prefix
        buffer, run the decoder over the whole buffer and keep the new
        position's output. Returns ``(logits (batch, vocab), new_state,
        weights (batch, src_len))``; the weights are the last decoder
        layer's cross-attention, averaged over the heads.

        Deliberately simple: there is no key/value cache, so step ``t``
        recomputes every position of the buffer (the causal mask keeps the
        earlier ones as they were, and the positions after ``t``, still
        padding, are masked). A fixed-size buffer rather than a growing
        prefix keeps the state's shape constant, as ``tf.while_loop`` and
        beam search's gathers need.
        """
        prefix, position = state
        # (batch, max_steps): True at each row's position
        here = tf.equal(
            tf.range(tf.shape(prefix)[1])[None, :], position[:, None]
        )
        prefix = tf.where(
            here, tf.cast(previous_ids, prefix.dtype)[:, None], prefix
        )
        # (b, max_steps, d_model), (b, heads, max_steps, src_len)
        hidden, weights = self._decoder_states(
            prefix, memory["encoded"], memory["mask"], training=False
        )
        # (batch, d_model), (batch, heads, src_len): only this position
        hidden = tf.gather(hidden, position, axis=1, batch_dims=1)
        weights = tf.gather(weights, position, axis=2, batch_dims=1)
        return (
            self.output_layer(hidden),  # (batch, vocab)
            [prefix, position + 1],
            # (batch, src_len)
            tf.reduce_mean(tf.cast(weights, tf.float32), axis=1),
        )

    def get_config(self):
        return super().get_config() | dict(
            source_vocab_size=self.source_vocab_size,
            target_vocab_size=self.target_vocab_size,
            d_model=self.d_model,
            num_heads=self.num_heads,
            d_ff=self.d_ff,
            num_layers=self.num_layers,
            dropout=self.dropout,
        )


# -- Deprecated ---------------------------------------------------------------


def greedy_decode(model, source_ids, max_length=None, ratio=2.0, extra=5):
    """Deprecated: use :func:`seq2seq_attention.decoding.greedy_decode`,
    which decodes a :class:`Transformer` like every other model (this
    function calls it, after a ``DeprecationWarning``).

    Example:
        >>> import warnings
        >>> model = Transformer(
        ...     10, 12, d_model=8, num_heads=2, d_ff=16, num_layers=1
        ... )
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     out = greedy_decode(model, np.array([[2, 5, 6, 3]]))
        >>> caught[0].category.__name__, out.tokens.shape[0]
        ('DeprecationWarning', 1)
    """
    warnings.warn(
        "seq2seq_attention.transformer.greedy_decode is deprecated: use "
        "seq2seq_attention.decoding.greedy_decode(model, source_ids), which "
        "decodes a Transformer like every other model.",
        DeprecationWarning,
        stacklevel=2,
    )
    if not isinstance(model, Transformer):
        raise TypeError(
            f"greedy_decode needs a Transformer; got {type(model).__name__} "
            "(use seq2seq_attention.decoding.greedy_decode for any model)."
        )
    return decoding.greedy_decode(model, source_ids, max_length, ratio, extra)


def translate(
    model,
    texts,
    source_vectorizer,
    target_vectorizer,
    batch_size=64,
    max_length=None,
):
    """Deprecated: use a :class:`~seq2seq_attention.translator.Translator`,
    ``Translator(model, source_vectorizer, target_vectorizer)``, and its
    ``translate(texts)``: it takes a :class:`Transformer` like every other
    model. This function does that, after a ``DeprecationWarning``, and
    returns the texts.
    """
    warnings.warn(
        "seq2seq_attention.transformer.translate is deprecated: use "
        "Translator(model, source_vectorizer, target_vectorizer)"
        ".translate(texts) from seq2seq_attention.translator, which takes a "
        "Transformer like every other model.",
        DeprecationWarning,
        stacklevel=2,
    )
    if isinstance(texts, str):
        raise TypeError(
            "translate() takes a list of strings; for one text write "
            'translate(model, ["..."], ...).'
        )
    # Imported here: the model module does not otherwise depend on the
    # strings-in, strings-out layer above it.
    from .translator import Translator

    translator = Translator(model, source_vectorizer, target_vectorizer)
    return [
        result.text
        for result in translator.translate(
            texts, max_length=max_length, batch_size=batch_size
        )
    ]
