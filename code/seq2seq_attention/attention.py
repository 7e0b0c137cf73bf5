"""Attention layers, exactly as the course teaches them.

Every layer here does the same three steps and differs only in the first:

1. **score** each source position ``s`` against the decoder query ``q_t``:
   ``e[t, s] = score(q_t, h_s)``;
2. **normalise** the scores over the source positions with a masked,
   numerically stable softmax:
   ``alpha[t, s] = exp(e[t, s]) / sum_s' exp(e[t, s'])``;
3. **mix** the values with those weights: ``c_t = sum_s alpha[t, s] * v_s``.

All layers share one interface::

    context, weights = layer(query, keys, values=None, mask=None)

========  =================================  ===========================
argument  shape                              meaning
========  =================================  ===========================
query     ``(batch, query_dim)`` or          decoder state(s) ``q_t``
          ``(batch, tgt_len, query_dim)``
keys      ``(batch, src_len, key_dim)``      encoder states ``h_s``
values    ``(batch, src_len, value_dim)``    what is mixed; defaults to
                                             keys
mask      ``(batch, src_len)`` or            ``True`` where a source
          ``(batch, tgt_len, src_len)``      position is real, ``False``
                                             for padding
context   ``(batch, value_dim)`` or          ``c_t``
          ``(batch, tgt_len, value_dim)``
weights   ``(batch, src_len)`` or            ``alpha[t, s]``
          ``(batch, tgt_len, src_len)``
========  =================================  ===========================

Masked positions get a weight of exactly 0. A row whose every position is
masked gets all-zero weights and a zero context (never NaN). If ``mask`` is
not given but ``keys`` carries a Keras mask (for example from
``Embedding(mask_zero=True)``), that mask is used.

The plain-numpy version of the same computation, written for reading, is
:mod:`seq2seq_attention.reference`; the tests check every layer against it.
"""

from __future__ import annotations

import math

import keras
from keras import ops

from .checks import check_positive

__all__ = [
    "BaseAttention",
    "AdditiveAttention",
    "DotAttention",
    "GeneralAttention",
    "ScaledDotProductAttention",
    "NoAttention",
    "masked_softmax",
    "get_attention",
    "ATTENTION_SCORES",
]

_PACKAGE = "seq2seq_attention"


def masked_softmax(scores, mask=None):
    """Softmax over the last axis that ignores masked positions.

    Computed in float32 for float16/bfloat16 scores (float64 stays float64),
    after subtracting the row maximum, so no score can overflow ``exp``. Masked
    positions get exactly 0; a fully masked row gets all zeros instead of NaN.

    Keras' own ``Softmax(mask=...)`` adds a large negative number to masked
    scores, which gives a fully masked row *uniform* weights over padding; the
    course wants exact zeros there, hence this small hand-written version.

    Args:
        scores: ``(..., src_len)`` tensor of scores ``e``.
        mask: optional boolean tensor broadcastable to ``scores``; ``True``
            marks positions that may be attended to.

    Returns:
        tensor of weights (float32, or float64 for float64 scores), same
        shape as ``scores``.

    Example:
        >>> import numpy as np
        >>> w = masked_softmax(
        ...     np.array([[1.0, 2.0, 3.0]]),
        ...     mask=np.array([[True, True, False]]),
        ... )
        >>> np.round(ops.convert_to_numpy(w), 4).tolist()
        [[0.2689, 0.7311, 0.0]]
    """
    dtype = (
        "float64"
        if keras.backend.standardize_dtype(scores.dtype) == "float64"
        else "float32"
    )
    scores = ops.cast(scores, dtype)
    if mask is not None:
        mask = ops.cast(mask, "bool")
        # Masked scores must not win the max below: replace them by a very
        # negative finite number (finite, so no inf - inf = NaN).
        scores = ops.where(mask, scores, ops.full_like(scores, -3.0e38))
    shifted = scores - ops.max(scores, axis=-1, keepdims=True)  # largest is 0
    exp = ops.exp(shifted)  # in (0, 1]: cannot overflow
    if mask is not None:
        exp = exp * ops.cast(mask, dtype)  # padding gets exactly 0
    total = ops.sum(exp, axis=-1, keepdims=True)
    # A fully masked row has total == 0: divide by 1 instead, giving zeros.
    return exp / ops.where(total > 0, total, ops.ones_like(total))


def _shape_str(shape):
    return (
        "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"
    )


class BaseAttention(keras.layers.Layer):
    """Shared plumbing: shape checks, masking, softmax and context.

    Subclasses implement :meth:`score` (and create their weights in
    :meth:`build`). See the module docstring for the call interface.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    # -- the part that differs between attention variants ------------------
    def score(self, query, keys):
        """Scores ``e[b, t, s]`` for query ``(batch, tgt_len, query_dim)`` and
        keys ``(batch, src_len, key_dim)``; returns
        ``(batch, tgt_len, src_len)``."""
        return self.score_projected(query, self.project_keys(keys))

    def project_keys(self, keys):
        """The part of the score that depends on the keys alone.

        It is the same at every decoder step, so a step-by-step decoder
        computes it once per sentence and passes it back as
        ``projected_keys``. The identity here; layers with weights on the
        keys override it.
        """
        return keys

    def score_projected(self, query, projected_keys):
        """Scores from a query ``(batch, tgt_len, query_dim)`` and the output
        of :meth:`project_keys`; returns ``(batch, tgt_len, src_len)``."""
        raise NotImplementedError

    # -- shape checks with messages that say what was expected ----------------
    def _check_shapes(
        self, query_shape, keys_shape, values_shape=None, mask_shape=None
    ):
        name = f"{type(self).__name__} '{self.name}'"
        if len(query_shape) not in (2, 3):
            raise ValueError(
                f"{name}: query must have shape (batch, query_dim) for one "
                "decoder step or (batch, tgt_len, query_dim) for many; "
                f"got shape {_shape_str(query_shape)}."
            )
        if len(keys_shape) != 3:
            raise ValueError(
                f"{name}: keys must have shape (batch, src_len, key_dim); "
                f"got shape {_shape_str(keys_shape)}."
            )
        _check_same(
            name, "batch size", "query", query_shape[0], "keys", keys_shape[0]
        )
        if values_shape is not None:
            if len(values_shape) != 3:
                raise ValueError(
                    f"{name}: values must have shape (batch, src_len, "
                    f"value_dim); got shape {_shape_str(values_shape)}."
                )
            _check_same(
                name,
                "batch size",
                "keys",
                keys_shape[0],
                "values",
                values_shape[0],
            )
            _check_same(
                name,
                "src_len",
                "keys",
                keys_shape[1],
                "values",
                values_shape[1],
            )
        if mask_shape is not None:
            tgt = (query_shape[1],) if len(query_shape) == 3 else ()
            allowed = [(query_shape[0], keys_shape[1])]
            if tgt:
                allowed.append((query_shape[0],) + tgt + (keys_shape[1],))
            if not any(_shapes_compatible(mask_shape, a) for a in allowed):
                raise ValueError(
                    f"{name}: mask must have shape "
                    + " or ".join(_shape_str(a) for a in allowed)
                    + " (batch, [tgt_len,] src_len), True where a source "
                    "position is real; "
                    + f"got shape {_shape_str(mask_shape)}."
                )

    def call(
        self,
        query,
        keys,
        values=None,
        mask=None,
        keys_mask=None,
        projected_keys=None,
    ):
        """Attend from ``query`` over ``keys``; returns ``(context, weights)``.

        ``keys_mask`` is filled in by Keras from a mask attached to ``keys``;
        an explicit ``mask`` takes precedence over it. ``projected_keys``, if
        given, is :meth:`project_keys` of ``keys`` computed earlier.
        """
        if values is None:
            values = keys
        if mask is None:
            mask = keys_mask
        self._check_shapes(
            tuple(query.shape),
            tuple(keys.shape),
            tuple(values.shape),
            None if mask is None else tuple(mask.shape),
        )
        single_step = len(query.shape) == 2
        if single_step:
            query = ops.expand_dims(query, 1)  # (batch, 1, query_dim)
        if mask is not None and len(mask.shape) == 2:
            # (batch, 1, src_len): same for every t
            mask = ops.expand_dims(mask, 1)

        if projected_keys is None:
            projected_keys = self.project_keys(keys)
        # (batch, tgt_len, src_len)
        scores = self.score_projected(query, projected_keys)
        # (batch, tgt_len, src_len), float32 or wider
        weights = self.weights_from_scores(scores, mask)
        weights = ops.cast(weights, values.dtype)
        context = ops.matmul(weights, values)  # (batch, tgt_len, value_dim)

        if single_step:
            context = ops.squeeze(context, 1)  # (batch, value_dim)
            weights = ops.squeeze(weights, 1)  # (batch, src_len)
        return context, weights

    def weights_from_scores(self, scores, mask):
        """Scores to attention weights: the masked softmax over source
        positions."""
        return masked_softmax(scores, mask)

    def compute_mask(self, *args, **kwargs):
        # The outputs carry no Keras mask: the source mask has been used up by
        # the softmax, and downstream code (losses, metrics) masks target
        # padding explicitly. Defining this method tells Keras that masked
        # inputs are handled on purpose, so it does not warn about them.
        return None

    def compute_output_shape(
        self, query_shape, keys_shape, values_shape=None, *args, **kwargs
    ):
        values_shape = values_shape or keys_shape
        lead = tuple(query_shape[:-1])  # (batch,) or (batch, tgt_len)
        return lead + (values_shape[-1],), lead + (keys_shape[1],)


def _check_same(name, what, a_name, a, b_name, b):
    if a is not None and b is not None and a != b:
        raise ValueError(
            f"{name}: {a_name} and {b_name} must have the same {what}; got "
            f"{a} and {b}."
        )


def _shapes_compatible(actual, expected):
    return len(actual) == len(expected) and all(
        x is None or y is None or x == y for x, y in zip(actual, expected)
    )


@keras.saving.register_keras_serializable(package=_PACKAGE)
class AdditiveAttention(BaseAttention):
    """Bahdanau's additive attention:
    ``e[t, s] = v^T tanh(W1 h_s + W2 q_t + b)``.

    ``W1`` (key_dim x units) projects the encoder states, ``W2`` (query_dim x
    units) projects the decoder state, ``b`` (units) is a bias and ``v``
    (units) turns each ``units``-vector into one number. Keras stores weight
    matrices as (inputs, outputs), so the code computes ``h_s @ W1``, which is
    the math's ``W1 h_s`` with ``W1`` transposed.

    Unlike ``keras.layers.AdditiveAttention`` (which adds query and key as
    given and has only ``v``), this layer learns the projections, so query and
    keys may have different sizes.

    Args:
        units: size of the hidden layer inside the score (``W1``/``W2``
            outputs).
        kernel_initializer: initializer for ``W1``, ``W2`` and ``v``.

    Example:
        >>> import numpy as np
        >>> layer = AdditiveAttention(units=8)
        >>> query = np.zeros((2, 4), "float32")  # (batch, query_dim)
        >>> keys = np.ones((2, 5, 6), "float32")  # (batch, src_len, key_dim)
        >>> context, weights = layer(query, keys)
        >>> tuple(context.shape), tuple(weights.shape)
        ((2, 6), (2, 5))
    """

    def __init__(self, units, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        check_positive("AdditiveAttention", units=units)
        self.units = units
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def build(self, query_shape, keys_shape, values_shape=None):
        self._check_shapes(tuple(query_shape), tuple(keys_shape))
        self.W1 = self.add_weight(
            name="W1",
            shape=(keys_shape[-1], self.units),
            initializer=self.kernel_initializer,
        )
        self.W2 = self.add_weight(
            name="W2",
            shape=(query_shape[-1], self.units),
            initializer=self.kernel_initializer,
        )
        self.b = self.add_weight(
            name="b", shape=(self.units,), initializer="zeros"
        )
        self.v = self.add_weight(
            name="v", shape=(self.units,), initializer=self.kernel_initializer
        )

    def project_keys(self, keys):
        """``W1 h_s`` for every source position: ``(batch, src_len, units)``.

        It does not depend on the decoder step, so a step-by-step decoder can
        compute it once per sentence and pass it back as ``projected_keys``.
        """
        return ops.matmul(keys, self.W1)

    def score_projected(self, query, projected_keys):
        """Scores from a query ``(batch, tgt_len, query_dim)`` and
        :meth:`project_keys` output; returns ``(batch, tgt_len, src_len)``."""
        # (batch, tgt_len, units)
        projected_query = ops.matmul(query, self.W2) + self.b
        # (batch, tgt_len, src_len, units)
        hidden = ops.tanh(
            ops.expand_dims(projected_query, 2)  # (batch, tgt_len, 1, units)
            + ops.expand_dims(projected_keys, 1)  # (batch, 1, src_len, units)
        )
        return ops.sum(hidden * self.v, axis=-1)  # (batch, tgt_len, src_len)

    def get_config(self):
        config = super().get_config()
        config.update(
            units=self.units,
            kernel_initializer=keras.initializers.serialize(
                self.kernel_initializer
            ),
        )
        return config


@keras.saving.register_keras_serializable(package=_PACKAGE)
class DotAttention(BaseAttention):
    """Luong's dot score: ``e[t, s] = q_t . h_s``. No weights.

    Query and keys must have the same size.

    Example:
        >>> import numpy as np
        >>> query = np.array([[1.0, 0.0]], "float32")  # (1, 2)
        >>> keys = np.array([[[1.0, 0.0], [0.0, 1.0]]], "float32")  # (1, 2, 2)
        >>> _, weights = DotAttention()(query, keys)
        >>> np.round(ops.convert_to_numpy(weights).astype(float), 4).tolist()
        [[0.7311, 0.2689]]
    """

    def build(self, query_shape, keys_shape, values_shape=None):
        self._check_shapes(tuple(query_shape), tuple(keys_shape))
        q, k = query_shape[-1], keys_shape[-1]
        if q is not None and k is not None and q != k:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': query and keys must "
                "have the same size for a dot product; got "
                f"query_dim={q} and key_dim={k}. Use GeneralAttention or "
                "AdditiveAttention for different sizes."
            )

    def score_projected(self, query, projected_keys):
        # (batch, tgt_len, src_len)
        return ops.matmul(query, ops.swapaxes(projected_keys, -1, -2))


@keras.saving.register_keras_serializable(package=_PACKAGE)
class ScaledDotProductAttention(DotAttention):
    """The Transformer's score: ``e[t, s] = q_t . h_s / sqrt(d)``, ``d`` =
    key_dim.

    Dividing by ``sqrt(d)`` keeps the scores' spread near 1 when the vectors'
    entries have unit variance, so the softmax does not saturate as ``d``
    grows.

    Example:
        >>> import numpy as np
        >>> query = np.ones((1, 3, 4), "float32")  # (batch, tgt_len, d)
        >>> keys = np.ones((1, 5, 4), "float32")  # (batch, src_len, d)
        >>> context, weights = ScaledDotProductAttention()(query, keys)
        >>> tuple(weights.shape)
        (1, 3, 5)
    """

    def score_projected(self, query, projected_keys):
        # Scale the query before the product: the same result, smaller
        # intermediate numbers in float16.
        scale = 1.0 / math.sqrt(projected_keys.shape[-1])
        return ops.matmul(query * scale, ops.swapaxes(projected_keys, -1, -2))


@keras.saving.register_keras_serializable(package=_PACKAGE)
class GeneralAttention(BaseAttention):
    """Luong's general score: ``e[t, s] = q_t^T W h_s`` with a learned ``W``.

    ``W`` has shape (query_dim, key_dim), so query and keys may differ in size.
    With ``W`` the identity this is exactly :class:`DotAttention`.

    Args:
        kernel_initializer: initializer for ``W``.

    Example:
        >>> import numpy as np
        >>> layer = GeneralAttention()
        >>> context, weights = layer(
        ...     np.ones((2, 3), "float32"), np.ones((2, 4, 5), "float32")
        ... )
        >>> tuple(layer.W.shape), tuple(weights.shape)
        ((3, 5), (2, 4))
    """

    def __init__(self, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def build(self, query_shape, keys_shape, values_shape=None):
        self._check_shapes(tuple(query_shape), tuple(keys_shape))
        self.W = self.add_weight(
            name="W",
            shape=(query_shape[-1], keys_shape[-1]),
            initializer=self.kernel_initializer,
        )

    def project_keys(self, keys):
        """``W h_s`` for every source position:
        ``(batch, src_len, query_dim)``."""
        return ops.matmul(keys, ops.transpose(self.W))

    def score_projected(self, query, projected_keys):
        # projected_keys: (batch, src_len, query_dim)
        # (batch, tgt_len, src_len)
        return ops.matmul(query, ops.swapaxes(projected_keys, -1, -2))

    def get_config(self):
        config = super().get_config()
        config.update(
            kernel_initializer=keras.initializers.serialize(
                self.kernel_initializer
            )
        )
        return config


@keras.saving.register_keras_serializable(package=_PACKAGE)
class NoAttention(BaseAttention):
    """No attention at all: a zero context and all-zero weights. No weights.

    With ``attention="none"`` a
    :class:`~seq2seq_attention.models.Seq2SeqAttention` becomes the classic
    fixed-vector encoder-decoder (Sutskever et al., 2014; Cho et al., 2014):
    the decoder learns about the source only through the encoder's final state,
    its initial state. The layer keeps the interface of the others, so
    training, decoding and saving work unchanged; it is the baseline that shows
    what attention adds.

    Example:
        >>> import numpy as np
        >>> context, weights = NoAttention()(
        ...     np.ones((2, 4), "float32"), np.ones((2, 5, 6), "float32")
        ... )
        >>> tuple(context.shape), tuple(weights.shape)
        ((2, 6), (2, 5))
        >>> float(np.abs(context).sum()), float(np.abs(weights).sum())
        (0.0, 0.0)
    """

    def build(self, query_shape, keys_shape, values_shape=None):
        self._check_shapes(tuple(query_shape), tuple(keys_shape))

    def score_projected(self, query, projected_keys):
        # Zeros of shape (batch, tgt_len, src_len), built from the inputs'
        # shapes.
        return ops.zeros_like(query[..., :1]) * ops.expand_dims(
            ops.zeros_like(projected_keys[..., 0]), 1
        )

    def weights_from_scores(self, scores, mask):
        # All-zero weights (not a softmax, which would be uniform): the context
        # is then zero too.
        return ops.zeros_like(scores)


ATTENTION_SCORES = {
    "additive": AdditiveAttention,
    "dot": DotAttention,
    "general": GeneralAttention,
    "scaled_dot": ScaledDotProductAttention,
    "none": NoAttention,
}


def get_attention(score, units=None, **kwargs):
    """Make an attention layer from its score's name.

    Args:
        score: ``"additive"``, ``"dot"``, ``"general"``, ``"scaled_dot"``, or
            ``"none"`` for the no-attention baseline (:class:`NoAttention`).
        units: hidden size of the additive score (required for ``"additive"``).
        **kwargs: passed to the layer (e.g. ``name``).

    Example:
        >>> type(get_attention("dot")).__name__
        'DotAttention'
        >>> get_attention("additive", units=16).units
        16
        >>> type(get_attention("none")).__name__
        'NoAttention'
    """
    if score not in ATTENTION_SCORES:
        raise ValueError(
            f"Unknown attention score {score!r}; choose one of "
            f"{sorted(ATTENTION_SCORES)}."
        )
    if score == "additive":
        if units is None:
            raise ValueError(
                "The additive score needs `units`, the size of its hidden "
                "layer."
            )
        return AdditiveAttention(units=units, **kwargs)
    return ATTENTION_SCORES[score](**kwargs)
