"""The Transformer: multi-head attention against Keras', masks, positions,
saving, training, decoding."""

import keras
import numpy as np
import pytest

from seq2seq_attention import data, transformer
from seq2seq_attention.data import END_ID, PAD_ID, START_ID
from seq2seq_attention.decoding import (
    beam_search,
    greedy_decode,
    length_limits,
)
from seq2seq_attention.transformer import (
    DecoderLayer,
    EncoderLayer,
    MultiHeadAttention,
    Transformer,
    causal_mask,
    merge_heads,
    sinusoidal_encoding,
    split_heads,
)

# (batch=2, src_len=6), 0 = padding
SOURCE = np.array([[2, 5, 6, 7, 8, 3], [2, 9, 4, 3, 0, 0]])
TARGET_IN = np.array([[2, 9, 10, 11], [2, 12, 0, 0]])  # [START] first


def small_model(seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    settings = (
        dict(d_model=16, num_heads=4, d_ff=32, num_layers=2, dropout=0.0)
        | kwargs
    )
    return Transformer(30, 40, **settings)


def copy_into(ours, reference, d_q, d_k, d_v):
    """Copy a keras.layers.MultiHeadAttention's weights into ours (same math,
    other kernel shapes)."""
    heads, key_dim, value_dim = ours.num_heads, ours.key_dim, ours.value_dim
    # (d_q, heads, key_dim), (heads, key_dim)
    q_kernel, q_bias = reference._query_dense.get_weights()
    k_kernel, k_bias = reference._key_dense.get_weights()
    v_kernel, v_bias = reference._value_dense.get_weights()
    # (heads, value_dim, d_out), (d_out,)
    o_kernel, o_bias = reference._output_dense.get_weights()
    ours.query_dense.set_weights(
        [q_kernel.reshape(d_q, heads * key_dim), q_bias.reshape(-1)]
    )
    ours.key_dense.set_weights(
        [k_kernel.reshape(d_k, heads * key_dim), k_bias.reshape(-1)]
    )
    ours.value_dense.set_weights(
        [v_kernel.reshape(d_v, heads * value_dim), v_bias.reshape(-1)]
    )
    ours.output_dense.set_weights(
        [o_kernel.reshape(heads * value_dim, -1), o_bias]
    )


# -- Heads and positions ------------------------------------------------------


def test_split_heads_cuts_features_in_order_and_merge_undoes_it():
    x = np.random.default_rng(0).normal(size=(2, 5, 12)).astype("float32")
    heads = np.asarray(split_heads(x, 3))
    assert heads.shape == (2, 3, 5, 4)
    # head 1 = features 4..7
    np.testing.assert_array_equal(heads[:, 1], x[:, :, 4:8])
    np.testing.assert_array_equal(np.asarray(merge_heads(heads)), x)


def test_split_heads_needs_a_divisible_width():
    with pytest.raises(ValueError, match="divisible by num_heads=5"):
        split_heads(np.zeros((1, 2, 12), "float32"), 5)
    with pytest.raises(ValueError, match="batch, heads, len, depth"):
        merge_heads(np.zeros((1, 2, 12), "float32"))


def test_sinusoidal_encoding_is_the_formula():
    pe = np.asarray(sinusoidal_encoding(30, 10))
    p, i = np.arange(30)[:, None], np.arange(5)[None, :]
    angle = p / 10000 ** (2 * i / 10)
    np.testing.assert_allclose(pe[:, 0::2], np.sin(angle), atol=1e-5)
    np.testing.assert_allclose(pe[:, 1::2], np.cos(angle), atol=1e-5)
    with pytest.raises(ValueError, match="positive even integer"):
        sinusoidal_encoding(5, 7)


def test_causal_mask_is_lower_triangular():
    np.testing.assert_array_equal(
        np.asarray(causal_mask(4)), np.tril(np.ones((4, 4), bool))
    )


# -- Multi-head attention -----------------------------------------------------


@pytest.mark.parametrize("value_dim", [None, 5])
def test_multi_head_attention_equals_keras_with_the_same_weights(value_dim):
    rng = np.random.default_rng(1)
    # (batch, tgt_len, d_q)
    query = rng.normal(size=(2, 4, 7)).astype("float32")
    # (batch, src_len, d_v)
    value = rng.normal(size=(2, 6, 9)).astype("float32")
    key = rng.normal(size=(2, 6, 8)).astype("float32")  # (batch, src_len, d_k)
    mask = rng.random((2, 4, 6)) < 0.7
    mask[:, :, 0] = True  # every query sees at least one key
    reference = keras.layers.MultiHeadAttention(
        num_heads=3, key_dim=4, value_dim=value_dim
    )
    expected, expected_weights = reference(
        query, value, key, attention_mask=mask, return_attention_scores=True
    )
    ours = MultiHeadAttention(num_heads=3, key_dim=4, value_dim=value_dim)
    ours(query, value, key)  # build
    copy_into(ours, reference, 7, 8, 9)
    output, weights = ours(query, value, key, attention_mask=mask)
    assert tuple(output.shape) == (2, 4, 7) and tuple(weights.shape) == (
        2,
        3,
        4,
        6,
    )
    np.testing.assert_allclose(
        np.asarray(output), np.asarray(expected), atol=1e-5
    )
    np.testing.assert_allclose(
        np.asarray(weights), np.asarray(expected_weights), atol=1e-6
    )
    assert np.all(
        np.asarray(weights)[np.broadcast_to(~mask[:, None], weights.shape)]
        == 0.0
    )


def test_causal_self_attention_equals_keras():
    x = np.random.default_rng(2).normal(size=(2, 5, 8)).astype("float32")
    reference = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    expected = reference(x, x, use_causal_mask=True)
    ours = MultiHeadAttention(num_heads=2, key_dim=4)
    ours(x, x)
    copy_into(ours, reference, 8, 8, 8)
    output, weights = ours(x, x, use_causal_mask=True)
    np.testing.assert_allclose(
        np.asarray(output), np.asarray(expected), atol=1e-5
    )
    # nothing from the future
    assert np.all(np.triu(np.asarray(weights)[0, 0], k=1) == 0.0)


def test_multi_head_attention_errors_say_what_was_expected():
    layer = MultiHeadAttention(num_heads=2, key_dim=4)
    with pytest.raises(ValueError, match=r"\(batch, len, features\)"):
        layer(np.zeros((2, 8), "float32"), np.zeros((2, 3, 8), "float32"))
    x, y = np.zeros((1, 3, 8), "float32"), np.zeros((1, 4, 8), "float32")
    with pytest.raises(
        ValueError, match="causal mask needs as many queries as keys"
    ):
        MultiHeadAttention(num_heads=2, key_dim=4)(x, y, use_causal_mask=True)
    with pytest.raises(
        ValueError, match="num_heads must be a positive integer"
    ):
        MultiHeadAttention(num_heads=0, key_dim=4)
    with pytest.raises(ValueError, match="divisible by num_heads"):
        Transformer(10, 10, d_model=10, num_heads=4)
    with pytest.raises(ValueError, match="even"):
        Transformer(10, 10, d_model=9, num_heads=3)
    with pytest.raises(ValueError, match="dropout"):
        Transformer(10, 10, dropout=1.0)


def test_multi_head_attention_config_round_trip():
    layer = MultiHeadAttention(
        num_heads=2,
        key_dim=3,
        value_dim=5,
        output_dim=7,
        dropout=0.1,
        name="mha",
    )
    clone = MultiHeadAttention.from_config(layer.get_config())
    assert (
        clone.num_heads,
        clone.key_dim,
        clone.value_dim,
        clone.output_dim,
        clone.dropout,
    ) == (2, 3, 5, 7, 0.1)
    output, _ = clone(
        np.zeros((1, 2, 4), "float32"), np.zeros((1, 3, 6), "float32")
    )
    assert tuple(output.shape) == (1, 2, 7)


# -- Masks inside the model ---------------------------------------------------


def test_decoder_output_at_t_ignores_later_tokens():
    """Causal mask: changing tokens after position t leaves logits 0..t
    unchanged."""
    model = small_model()
    target = np.array([[2, 9, 10, 11, 12, 13]])
    changed = target.copy()
    changed[0, 3:] = [20, 21, 22]
    logits, _ = model.forward(SOURCE[:1], target)
    logits_changed, _ = model.forward(SOURCE[:1], changed)
    np.testing.assert_allclose(
        np.asarray(logits)[0, :3], np.asarray(logits_changed)[0, :3], atol=1e-5
    )
    assert not np.allclose(
        np.asarray(logits)[0, 3:], np.asarray(logits_changed)[0, 3:], atol=1e-3
    )


def test_sentence_alone_equals_sentence_in_padded_batch():
    """Padding masks: extra padding (source and target) must not change a
    sentence's outputs."""
    model = small_model()
    alone_logits, alone_weights = model.forward(
        np.array([[2, 9, 4, 3]]), np.array([[2, 12]])
    )
    padded = np.array([[2, 9, 4, 3, 0, 0, 0], [2, 5, 6, 7, 8, 9, 3]])
    target = np.array([[2, 12, 0, 0, 0], [2, 9, 10, 11, 12]])
    batch_logits, batch_weights = model.forward(padded, target)
    np.testing.assert_allclose(
        np.asarray(batch_logits)[0, :2], np.asarray(alone_logits)[0], atol=1e-5
    )
    np.testing.assert_allclose(
        np.asarray(batch_weights)[0, :, :2, :4],
        np.asarray(alone_weights)[0],
        atol=1e-6,
    )
    # no attention to source padding
    assert np.all(np.asarray(batch_weights)[0, :, :, 4:] == 0.0)


def test_layers_shapes():
    x, mask = np.ones((2, 6, 16), "float32"), SOURCE != 0
    memory = EncoderLayer(16, 4, 32)(x, mask)
    y, cross = DecoderLayer(16, 4, 32)(
        np.ones((2, 4, 16), "float32"), memory, TARGET_IN != 0, mask
    )
    assert tuple(memory.shape) == (2, 6, 16) and tuple(y.shape) == (2, 4, 16)
    assert tuple(cross.shape) == (2, 4, 4, 6)
    logits, weights = small_model().forward(SOURCE, TARGET_IN)
    assert (
        tuple(logits.shape) == (2, 4, 40)
        and logits.dtype == "float32"
        and tuple(weights.shape) == (2, 4, 4, 6)
    )


# -- Saving -------------------------------------------------------------------


def test_keras_file_round_trip(tmp_path):
    model = small_model(dropout=0.1)
    expected = np.asarray(model((SOURCE, TARGET_IN)))
    model.save(tmp_path / "transformer.keras")
    loaded = keras.saving.load_model(tmp_path / "transformer.keras")
    assert (
        isinstance(loaded, Transformer)
        and loaded.get_config() == model.get_config()
    )
    np.testing.assert_allclose(
        np.asarray(loaded((SOURCE, TARGET_IN))), expected, atol=1e-6
    )


# -- Decoding -----------------------------------------------------------------


def test_greedy_decode_is_bounded_by_the_source_and_stops_at_end():
    model = small_model()
    out = greedy_decode(model, SOURCE)
    limits = length_limits(SOURCE)
    assert (
        np.all(out.lengths <= limits)
        and out.weights.shape[2] == SOURCE.shape[1]
    )
    for row, n in zip(out.tokens, out.lengths):
        assert not np.isin(row[:n], [PAD_ID, START_ID]).any()
        assert np.all(row[n:] == PAD_ID)
        assert (
            row[n - 1] == END_ID
            or n == limits.max()
            or n == limits[list(out.lengths).index(n)]
        )
        assert np.sum(row[:n] == END_ID) <= 1 and (END_ID not in row[: n - 1])
    np.testing.assert_allclose(
        out.weights[0, : out.lengths[0]].sum(-1), 1.0, rtol=1e-5
    )


def test_greedy_decode_agrees_with_teacher_forcing():
    """Feeding the greedy output back in one pass gives the same argmax at
    every step."""
    model = small_model(seed=3)
    out = greedy_decode(model, SOURCE[:1], max_length=6)
    n = int(out.lengths[0])
    target_in = np.concatenate([[START_ID], out.tokens[0, : n - 1]])[None]
    logits, _ = model.forward(SOURCE[:1], target_in)
    log_probs = np.asarray(keras.ops.log_softmax(logits))[0]
    np.testing.assert_allclose(
        out.log_probs[0, :n],
        log_probs[np.arange(n), out.tokens[0, :n]],
        atol=1e-5,
    )


def test_greedy_decode_refuses_bad_input():
    with (
        pytest.warns(DeprecationWarning, match="decoding.greedy_decode"),
        pytest.raises(TypeError, match="needs a Transformer"),
    ):
        transformer.greedy_decode(object(), SOURCE)
    with pytest.raises(ValueError, match=r"\(batch, src_len\)"):
        greedy_decode(small_model(), np.array([2, 5, 3]))
    with (
        pytest.warns(DeprecationWarning, match="Translator"),
        pytest.raises(TypeError, match="list of strings"),
    ):
        transformer.translate(small_model(), "one string", None, None)


def test_decoding_state_keeps_its_shape_and_counts_the_steps():
    model = small_model()
    memory = model.encode(SOURCE, max_steps=7)
    prefix, position = memory.pop("state")
    assert tuple(prefix.shape) == (2, 7) and position.numpy().tolist() == [
        0,
        0,
    ]
    state = [prefix, position]
    for token in (START_ID, 9, 10):
        _, state, _ = model.decode_step(
            np.array([token, token]), state, memory
        )
    assert tuple(state[0].shape) == (2, 7)
    assert state[0].numpy()[0].tolist() == [START_ID, 9, 10, 0, 0, 0, 0]
    assert state[1].numpy().tolist() == [3, 3]
    # without max_steps: the default length limit of the batch
    assert (
        model.encode(SOURCE)["state"][0].shape[1]
        == length_limits(SOURCE).max()
    )


def test_beam_search_and_teacher_forcing_agree_with_the_heads_weights():
    """The step weights are the last layer's cross-attention, averaged over
    the heads, as teacher forcing computes them."""
    model = small_model(seed=2)
    found = beam_search(model, SOURCE[:1], beam_size=2, max_length=5)
    n = int(found.lengths[0, 0])
    tokens = found.tokens[0, 0, :n]
    target_in = np.concatenate([[START_ID], tokens[:-1]])[None]
    _, weights = model.forward(SOURCE[:1], target_in)
    np.testing.assert_allclose(
        found.weights[0, 0, :n],
        np.asarray(weights)[0].mean(axis=0),
        atol=1e-5,
    )


def test_tiny_model_memorises_pairs_and_decodes_them(
    memorised_pairs, transformer_translator
):
    outputs = transformer_translator.translate([s for s, _ in memorised_pairs])
    # detokenized, as the translator writes text: "ve ." -> "ve."
    assert [o.text for o in outputs] == [
        data.detokenize_words(t.split()) for _, t in memorised_pairs
    ]


def test_deprecated_shims_call_the_shared_decoders(
    memorised_pairs, transformer_translator
):
    model = transformer_translator.seq2seq
    sources = [s for s, _ in memorised_pairs]
    ids, _ = transformer_translator.encode_sources(sources)
    with pytest.warns(DeprecationWarning, match="is deprecated: use"):
        old = transformer.greedy_decode(model, ids)
    new = greedy_decode(model, ids)
    np.testing.assert_array_equal(old.tokens, new.tokens)
    np.testing.assert_array_equal(old.weights, new.weights)
    with pytest.warns(DeprecationWarning, match="is deprecated: use"):
        texts = transformer.translate(
            model,
            sources,
            transformer_translator.source_config,
            transformer_translator.target_config,
        )
    assert texts == [
        data.detokenize_words(t.split()) for _, t in memorised_pairs
    ]


def test_exercise_references_agree_with_the_package():
    """The chapter's exercise checkers expect what the package computes."""
    from seq2seq_attention import exercises, reference

    x = np.random.default_rng(5).normal(size=(2, 3, 8)).astype("float32")
    np.testing.assert_array_equal(
        exercises.future._split_heads(x, 4), np.asarray(split_heads(x, 4))
    )
    np.testing.assert_allclose(
        exercises.future._sinusoidal(40, 12),
        np.asarray(sinusoidal_encoding(40, 12)),
        atol=1e-5,
    )
    q = np.random.default_rng(6).normal(size=(1, 5, 4)).astype("float32")
    layer = MultiHeadAttention(num_heads=1, key_dim=4)
    layer(q, q)
    for dense in (
        layer.query_dense,
        layer.key_dense,
        layer.value_dense,
        layer.output_dense,
    ):
        # plain attention
        dense.set_weights([np.eye(4, dtype="float32"), np.zeros(4, "float32")])
    output, weights = layer(q, q, use_causal_mask=True)
    expected, expected_weights = reference.attention(
        q[0], q[0], mask=np.tril(np.ones((5, 5), bool)), score="scaled_dot"
    )
    np.testing.assert_allclose(np.asarray(output)[0], expected, atol=1e-5)
    np.testing.assert_allclose(
        np.asarray(weights)[0, 0], expected_weights, atol=1e-6
    )
