"""The Keras attention layers, checked against the numpy reference and for the
behaviour the course promises (masks, shapes, gradients, saving, precision)."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

from seq2seq_attention import (
    AdditiveAttention,
    DotAttention,
    GeneralAttention,
    ScaledDotProductAttention,
    masked_softmax,
    reference,
)

SCORES = ["additive", "dot", "general", "scaled_dot"]


def make_layer(score, dtype=None, units=6):
    kwargs = {} if dtype is None else {"dtype": dtype}
    return {
        "additive": lambda: AdditiveAttention(units=units, **kwargs),
        "dot": lambda: DotAttention(**kwargs),
        "general": lambda: GeneralAttention(**kwargs),
        "scaled_dot": lambda: ScaledDotProductAttention(**kwargs),
    }[score]()


def reference_params(layer):
    if isinstance(layer, AdditiveAttention):
        return dict(
            zip(
                ["W1", "W2", "b", "v"],
                [np.asarray(w, np.float64) for w in layer.get_weights()],
            )
        )
    if isinstance(layer, GeneralAttention):
        return {"W": np.asarray(layer.get_weights()[0], np.float64)}
    return {}


def random_inputs(
    batch, tgt_len, src_len, query_dim=4, key_dim=4, value_dim=None, seed=0
):
    rng = np.random.default_rng(seed)
    q_shape = (
        (batch, query_dim) if tgt_len is None else (batch, tgt_len, query_dim)
    )
    query = rng.normal(size=q_shape).astype("float32")
    keys = rng.normal(size=(batch, src_len, key_dim)).astype("float32")
    values = (
        None
        if value_dim is None
        else rng.normal(size=(batch, src_len, value_dim)).astype("float32")
    )
    return query, keys, values


def padding_mask(lengths, src_len):
    # (batch, src_len)
    return np.arange(src_len)[None, :] < np.asarray(lengths)[:, None]


def reference_attention(layer, score, query, keys, values=None, mask=None):
    q = query if query.ndim == 3 else query[:, None, :]
    ctx, w = reference.attention(
        q.astype(np.float64),
        keys.astype(np.float64),
        None if values is None else values.astype(np.float64),
        mask=mask,
        score=score,
        **reference_params(layer),
    )
    if query.ndim == 2:
        ctx, w = ctx[:, 0], w[:, 0]
    return ctx, w


@pytest.mark.parametrize("score", SCORES)
@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("tgt_len", [None, 4], ids=["one-step", "many-steps"])
@pytest.mark.parametrize("masked", [False, True], ids=["no-mask", "mask"])
def test_layer_matches_reference(score, batch, tgt_len, masked):
    query, keys, _ = random_inputs(batch, tgt_len, src_len=5)
    mask = padding_mask([5, 3, 1][:batch], 5) if masked else None
    layer = make_layer(score)
    context, weights = layer(query, keys, mask=mask)
    ref_context, ref_weights = reference_attention(
        layer, score, query, keys, mask=mask
    )
    np.testing.assert_allclose(weights, ref_weights, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(context, ref_context, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("score", ["additive", "general"])
def test_different_query_key_and_value_sizes(score):
    query, keys, values = random_inputs(
        2, 3, src_len=6, query_dim=3, key_dim=5, value_dim=7
    )
    layer = make_layer(score)
    context, weights = layer(query, keys, values)
    assert tuple(context.shape) == (2, 3, 7) and tuple(weights.shape) == (
        2,
        3,
        6,
    )
    ref_context, ref_weights = reference_attention(
        layer, score, query, keys, values
    )
    np.testing.assert_allclose(weights, ref_weights, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(context, ref_context, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("score", SCORES)
def test_per_step_mask_matches_reference(score):
    # A (batch, tgt_len, src_len) mask, e.g. causal self-attention.
    query, keys, _ = random_inputs(2, 4, src_len=4)
    mask = np.broadcast_to(np.tril(np.ones((4, 4), bool)), (2, 4, 4))
    layer = make_layer(score)
    context, weights = layer(query, keys, mask=mask)
    ref_context, ref_weights = reference_attention(
        layer, score, query, keys, mask=mask
    )
    np.testing.assert_allclose(weights, ref_weights, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(context, ref_context, rtol=1e-5, atol=1e-6)
    assert np.all(
        np.asarray(weights)[
            :, np.triu_indices(4, 1)[0], np.triu_indices(4, 1)[1]
        ]
        == 0.0
    )


@pytest.mark.parametrize("score", SCORES)
def test_weights_sum_to_one_and_padding_gets_exactly_zero(score):
    query, keys, _ = random_inputs(3, 2, src_len=6, seed=1)
    # large scores: a sloppy mask would leak weight onto padding
    keys = keys * 30.0
    mask = padding_mask([6, 4, 1], 6)
    _, weights = make_layer(score)(query, keys, mask=mask)
    weights = np.asarray(weights)
    np.testing.assert_allclose(weights.sum(-1), 1.0, rtol=1e-6)
    assert np.all(
        weights[~np.broadcast_to(mask[:, None, :], weights.shape)] == 0.0
    )


@pytest.mark.parametrize("score", SCORES)
def test_fully_masked_row_gives_zeros_not_nan(score):
    query, keys, _ = random_inputs(2, None, src_len=3)
    mask = np.array([[True, True, False], [False, False, False]])
    context, weights = make_layer(score)(query, keys, mask=mask)
    assert np.all(np.isfinite(context)) and np.all(np.isfinite(weights))
    np.testing.assert_array_equal(weights[1], 0.0)
    np.testing.assert_array_equal(context[1], 0.0)
    np.testing.assert_allclose(np.sum(weights[0]), 1.0, rtol=1e-6)


@pytest.mark.parametrize("score", SCORES)
def test_sentence_alone_equals_sentence_in_padded_batch(score):
    """The Keras 3 trap: padding must not change a sentence's attention."""
    rng = np.random.default_rng(3)
    layer = make_layer(score)
    short = rng.normal(size=(1, 3, 4)).astype("float32")  # a 3-word sentence
    longer = rng.normal(size=(1, 7, 4)).astype("float32")
    padded = np.concatenate(
        [np.pad(short, ((0, 0), (0, 4), (0, 0)), constant_values=9.0), longer]
    )
    mask = padding_mask([3, 7], 7)
    query = rng.normal(size=(2, 5, 4)).astype("float32")
    query[1] = query[0]
    alone_context, alone_weights = layer(query[:1], short)
    batch_context, batch_weights = layer(query, padded, mask=mask)
    np.testing.assert_allclose(
        batch_context[0], alone_context[0], rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(
        np.asarray(batch_weights)[0, :, :3],
        alone_weights[0],
        rtol=1e-5,
        atol=1e-6,
    )
    np.testing.assert_array_equal(np.asarray(batch_weights)[0, :, 3:], 0.0)


def test_mask_attached_to_keys_is_used_without_warning():
    """A padding mask from Embedding(mask_zero=True) reaches the softmax."""
    tokens = np.array([[5, 2, 7, 0, 0], [3, 0, 0, 0, 0]])
    # carries a Keras mask
    embedded = keras.layers.Embedding(10, 4, mask_zero=True)(tokens)
    query = np.ones((2, 4), "float32")
    with warnings.catch_warnings():
        # "this layer does not support masking" would fail here
        warnings.simplefilter("error")
        _, implicit = DotAttention()(query, embedded)
    _, explicit = DotAttention()(query, embedded, mask=tokens != 0)
    np.testing.assert_array_equal(implicit, explicit)
    np.testing.assert_array_equal(np.asarray(implicit)[tokens == 0], 0.0)


def test_mask_attached_to_keys_in_functional_model():
    tokens_in = keras.Input((None,), dtype="int32")
    query_in = keras.Input((4,))
    keys = keras.layers.Embedding(10, 4, mask_zero=True)(tokens_in)
    context, weights = AdditiveAttention(units=3)(query_in, keys)
    model = keras.Model([tokens_in, query_in], [context, weights])
    tokens = np.array([[5, 2, 7, 0], [3, 1, 0, 0]])
    _, w = model.predict([tokens, np.ones((2, 4), "float32")], verbose=0)
    np.testing.assert_array_equal(w[tokens == 0], 0.0)
    np.testing.assert_allclose(w.sum(-1), 1.0, rtol=1e-6)


def test_additive_agrees_with_keras_additive_attention_on_projected_inputs():
    """Keras' AdditiveAttention has no W1, W2, b; fed W2 q + b and W1 h it must
    agree."""
    query, keys, values = random_inputs(
        2, 3, src_len=5, query_dim=3, key_dim=4, value_dim=6
    )
    ours = AdditiveAttention(units=8)
    context, weights = ours(query, keys, values)
    theirs = keras.layers.AdditiveAttention(use_scale=True)
    projected_query = query @ ours.W2.numpy() + ours.b.numpy()  # W2 q_t + b
    projected_keys = keys @ ours.W1.numpy()  # W1 h_s
    theirs([projected_query, values, projected_keys])  # build
    theirs.scale.assign(ours.v.numpy())
    k_context, k_weights = theirs(
        [projected_query, values, projected_keys], return_attention_scores=True
    )
    np.testing.assert_allclose(weights, k_weights, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(context, k_context, rtol=1e-5, atol=1e-6)


def test_general_with_identity_equals_dot():
    query, keys, _ = random_inputs(2, 3, src_len=5)
    general = GeneralAttention()
    general(query, keys)
    general.W.assign(np.eye(4))
    np.testing.assert_allclose(
        general(query, keys)[1], DotAttention()(query, keys)[1], rtol=1e-6
    )


@pytest.mark.parametrize("score", SCORES)
def test_gradients_finite_and_match_finite_differences(score):
    """d(loss)/d(inputs and weights) from TensorFlow against central
    differences, in float64."""
    query, keys, _ = random_inputs(2, 3, src_len=4, seed=5)
    query, keys = query.astype("float64"), keys.astype("float64")
    mask = padding_mask([4, 2], 4)
    layer = make_layer(score, dtype="float64", units=3)
    layer(query, keys, mask=mask)  # build
    # a fixed random "loss direction"
    probe = np.random.default_rng(6).normal(size=(2, 3, 4))

    def loss(q, k):
        context, weights = layer(tf.identity(q), tf.identity(k), mask=mask)
        return tf.reduce_sum(context * probe) + tf.reduce_sum(
            weights * probe[..., :4]
        )

    q_var, k_var = tf.Variable(query), tf.Variable(keys)
    with tf.GradientTape() as tape:
        value = loss(q_var, k_var)
    variables = [q_var, k_var] + list(layer.trainable_variables)
    grads = tape.gradient(value, variables)
    for var, grad in zip(variables, grads):
        grad = np.asarray(grad)
        assert np.all(np.isfinite(grad)), var.name
        original = var.numpy().copy()
        flat = original.reshape(-1)
        for i in range(
            0, flat.size, max(1, flat.size // 7)
        ):  # a spread of entries
            eps = 1e-6
            bumped = flat.copy()
            bumped[i] += eps
            var.assign(bumped.reshape(original.shape))
            up = float(loss(q_var, k_var))
            bumped[i] -= 2 * eps
            var.assign(bumped.reshape(original.shape))
            down = float(loss(q_var, k_var))
            var.assign(original)
            numeric = (up - down) / (2 * eps)
            assert abs(numeric - grad.reshape(-1)[i]) < 1e-6 + 1e-5 * abs(
                numeric
            ), (var.name, i)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("score", SCORES)
def test_low_precision_inputs_do_not_overflow_the_softmax(score, dtype):
    # Scores of several hundred: exp() overflows float16 past ~11 without the
    # max trick.
    rng = np.random.default_rng(7)
    query = (rng.normal(size=(2, 3, 8)) * 4).astype("float32")
    keys = (rng.normal(size=(2, 5, 8)) * 4).astype("float32")
    mask = padding_mask([5, 2], 5)
    layer = make_layer(
        score, dtype=keras.DTypePolicy(f"mixed_{dtype}"), units=8
    )
    context, weights = layer(
        tf.cast(query, dtype), tf.cast(keys, dtype), mask=mask
    )
    assert context.dtype == dtype and weights.dtype == dtype
    weights32 = np.asarray(tf.cast(weights, "float32"))
    assert np.all(np.isfinite(weights32)) and np.all(
        np.isfinite(np.asarray(tf.cast(context, "float32")))
    )
    np.testing.assert_allclose(weights32.sum(-1), 1.0, atol=2e-2)
    np.testing.assert_array_equal(weights32[1, :, 2:], 0.0)
    ref_q = np.asarray(tf.cast(tf.cast(query, dtype), "float64"))
    ref_k = np.asarray(tf.cast(tf.cast(keys, dtype), "float64"))
    _, ref_weights = reference.attention(
        ref_q, ref_k, mask=mask, score=score, **reference_params(layer)
    )
    # The layer's weights come from seed 0 (tests/conftest.py). bfloat16 keeps
    # 8 significant bits, so scores of several hundred are rounded by up to
    # ~1: over seeds 0-29 the largest difference was 0.043 (general score).
    np.testing.assert_allclose(weights32, ref_weights, atol=0.05)


def test_masked_softmax_large_and_float16_scores():
    # exact in float16
    scores = tf.constant([[60000.0, 59968.0, -60000.0]], dtype="float16")
    weights = masked_softmax(scores)
    assert weights.dtype == "float32"
    np.testing.assert_allclose(weights, [[1.0, np.exp(-32.0), 0.0]], rtol=1e-6)


# -- shape errors say what was expected ---------------------------------------


@pytest.mark.parametrize(
    "query_shape, keys_shape, values_shape, mask_shape, message",
    [
        (
            (2, 3, 4, 5),
            (2, 5, 4),
            None,
            None,
            r"query must have shape \(batch, query_dim\).*\(batch, tgt_len, "
            r"query_dim\) for many; got shape \(2, 3, 4, 5\)",
        ),
        (
            (2, 4),
            (2, 4),
            None,
            None,
            r"keys must have shape \(batch, src_len, key_dim\); got shape "
            r"\(2, 4\)",
        ),
        (
            (3, 4),
            (2, 5, 4),
            None,
            None,
            r"query and keys must have the same batch size; got 3 and 2",
        ),
        (
            (2, 4),
            (2, 5, 4),
            (2, 6, 4),
            None,
            r"keys and values must have the same src_len; got 5 and 6",
        ),
        (
            (2, 4),
            (2, 5, 4),
            (2, 5),
            None,
            r"values must have shape \(batch, src_len, value_dim\)",
        ),
        (
            (2, 4),
            (2, 5, 4),
            None,
            (2, 4),
            r"mask must have shape \(2, 5\).*got shape \(2, 4\)",
        ),
        (
            (2, 3, 4),
            (2, 5, 4),
            None,
            (2, 4, 5),
            r"mask must have shape \(2, 5\) or \(2, 3, 5\).*got shape \(2, "
            r"4, 5\)",
        ),
    ],
)
@pytest.mark.parametrize("score", ["additive", "dot"])
def test_shape_errors_name_the_expected_shapes(
    score, query_shape, keys_shape, values_shape, mask_shape, message
):
    layer = make_layer(score)
    args = [np.zeros(query_shape, "float32"), np.zeros(keys_shape, "float32")]
    kwargs = {}
    if values_shape is not None:
        kwargs["values"] = np.zeros(values_shape, "float32")
    if mask_shape is not None:
        kwargs["mask"] = np.ones(mask_shape, bool)
    with pytest.raises(ValueError, match=message):
        layer(*args, **kwargs)


def test_dot_attention_size_mismatch_suggests_alternatives():
    with pytest.raises(
        ValueError,
        match=r"query_dim=3 and key_dim=4.*GeneralAttention or "
        r"AdditiveAttention",
    ):
        DotAttention()(
            np.zeros((2, 3), "float32"), np.zeros((2, 5, 4), "float32")
        )


@pytest.mark.parametrize("units", [0, -3, 2.5, "8"])
def test_additive_rejects_bad_units(units):
    with pytest.raises(ValueError, match="units must be a positive integer"):
        AdditiveAttention(units=units)


# -- Keras integration --------------------------------------------------------


@pytest.mark.parametrize("score", SCORES)
def test_functional_model_shapes(score):
    query_in, keys_in = keras.Input((None, 4)), keras.Input((None, 4))
    context, weights = make_layer(score)(query_in, keys_in)
    assert tuple(context.shape) == (None, None, 4) and tuple(
        weights.shape
    ) == (None, None, None)
    single_in = keras.Input((4,))
    context, weights = make_layer(score)(single_in, keys_in)
    assert tuple(context.shape) == (None, 4) and tuple(weights.shape) == (
        None,
        None,
    )


@pytest.mark.parametrize("score", SCORES)
def test_config_round_trip(score):
    layer = make_layer(score)
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(layer)
    )
    assert type(restored) is type(layer)


@pytest.mark.parametrize("score", SCORES)
def test_keras_file_round_trip(score, tmp_path):
    query_in = keras.Input((3, 4), name="query")
    keys_in = keras.Input((5, 4), name="keys")
    mask_in = keras.Input((5,), dtype="bool", name="mask")
    context, weights = make_layer(score)(query_in, keys_in, mask=mask_in)
    model = keras.Model([query_in, keys_in, mask_in], [context, weights])
    query, keys, _ = random_inputs(2, 3, src_len=5)
    mask = padding_mask([5, 2], 5)
    expected = model.predict([query, keys, mask], verbose=0)
    path = tmp_path / "attention.keras"
    model.save(path)
    # safe mode: no custom_objects needed, no lambdas
    loaded = keras.saving.load_model(path)
    for got, want in zip(
        loaded.predict([query, keys, mask], verbose=0), expected
    ):
        np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("score", SCORES)
def test_projected_keys_are_reusable_across_decoder_steps(score):
    query, keys, _ = random_inputs(2, 4, src_len=5)
    mask = padding_mask([5, 3], 5)
    layer = make_layer(score)
    full_context, full_weights = layer(query, keys, mask=mask)
    projected = layer.project_keys(keys)  # once per sentence
    for t in range(4):
        context, weights = layer(
            query[:, t], keys, mask=mask, projected_keys=projected
        )
        np.testing.assert_allclose(
            weights, np.asarray(full_weights)[:, t], rtol=1e-5, atol=1e-7
        )
        np.testing.assert_allclose(
            context, np.asarray(full_context)[:, t], rtol=1e-5, atol=1e-6
        )
