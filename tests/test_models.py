"""The encoder-decoder: shapes, masks, step-by-step decoding, training,
saving."""

import subprocess
import sys
import textwrap
import warnings

import keras
import numpy as np
import pytest

from seq2seq_attention.metrics import MaskedTokenAccuracy, masked_loss
from seq2seq_attention.models import (
    BahdanauDecoder,
    Encoder,
    LuongDecoder,
    Seq2SeqAttention,
)

# (batch=2, src_len=6), 0 = padding
SOURCE = np.array([[5, 6, 7, 8, 0, 0], [9, 4, 0, 0, 0, 0]])
# starts with the start token (id 1 here)
TARGET_IN = np.array([[1, 9, 10, 11], [1, 12, 0, 0]])


def small_model(
    decoder="luong", attention="additive", cell="gru", seed=0, **kwargs
):
    keras.utils.set_random_seed(seed)
    return Seq2SeqAttention(
        30,
        40,
        embedding_dim=8,
        units=16,
        decoder=decoder,
        attention=attention,
        cell=cell,
        **kwargs,
    )


def step_by_step(model, source, target_in):
    memory = model.encode(source)
    state, logits, weights = memory.pop("state"), [], []
    for t in range(target_in.shape[1]):
        step_logits, state, step_weights = model.decode_step(
            target_in[:, t], state, memory
        )
        logits.append(step_logits)
        weights.append(step_weights)
    return np.stack(logits, 1), np.stack(weights, 1)


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
@pytest.mark.parametrize(
    "attention", ["additive", "dot", "general", "scaled_dot"]
)
@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_step_by_step_equals_teacher_forcing(decoder, attention, cell):
    model = small_model(decoder, attention, cell)
    logits, weights = model.forward(SOURCE, TARGET_IN)
    assert tuple(logits.shape) == (2, 4, 40) and tuple(weights.shape) == (
        2,
        4,
        6,
    )
    step_logits, step_weights = step_by_step(model, SOURCE, TARGET_IN)
    real = TARGET_IN != 0
    np.testing.assert_allclose(
        step_logits[real], np.asarray(logits)[real], rtol=1e-5, atol=1e-5
    )
    np.testing.assert_allclose(
        step_weights[real], np.asarray(weights)[real], rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
def test_padding_gets_no_attention_and_weights_sum_to_one(decoder):
    _, weights = small_model(decoder).forward(SOURCE, TARGET_IN)
    weights = np.asarray(weights)
    np.testing.assert_array_equal(weights[0, :, 4:], 0.0)
    np.testing.assert_array_equal(weights[1, :, 2:], 0.0)
    np.testing.assert_allclose(weights.sum(-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_sentence_alone_equals_sentence_in_padded_batch(decoder, cell):
    """The Keras 3 trap: padding (of source and target) must not change a
    sentence's output."""
    model = small_model(decoder, cell=cell)
    alone_source, alone_target = np.array([[9, 4]]), np.array([[1, 12]])
    batch_source = np.array([[9, 4, 0, 0, 0, 0, 0], [5, 6, 7, 8, 9, 10, 11]])
    batch_target = np.array([[1, 12, 0, 0, 0], [1, 9, 10, 11, 13]])
    alone_logits, alone_weights = model.forward(alone_source, alone_target)
    batch_logits, batch_weights = model.forward(batch_source, batch_target)
    np.testing.assert_allclose(
        np.asarray(batch_logits)[0, :2], alone_logits[0], rtol=1e-5, atol=1e-5
    )
    np.testing.assert_allclose(
        np.asarray(batch_weights)[0, :2, :2],
        alone_weights[0],
        rtol=1e-5,
        atol=1e-6,
    )
    # Step by step too: the decoder must use the explicit source mask.
    step_logits, _ = step_by_step(model, batch_source, batch_target)
    np.testing.assert_allclose(
        step_logits[0, :2], alone_logits[0], rtol=1e-5, atol=1e-5
    )


def test_encoder_returns_every_position_and_respects_padding():
    encoder = Encoder(vocab_size=20, embedding_dim=4, units=6)
    states, final, mask = encoder(np.array([[3, 4, 5, 0, 0]]))
    assert tuple(states.shape) == (1, 5, 6), (
        "return_sequences=True: one state per source position"
    )
    np.testing.assert_array_equal(mask, [[True, True, True, False, False]])
    alone, _, _ = encoder(np.array([[3, 4, 5]]))
    np.testing.assert_allclose(
        np.asarray(states)[:, :3], alone, rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
def test_overfits_a_tiny_batch(decoder):
    """Enough capacity and no bugs in masking: the loss on 4 pairs goes to
    ~0."""
    source = np.array(
        [[5, 6, 7, 0], [8, 9, 0, 0], [10, 11, 12, 13], [14, 0, 0, 0]]
    )
    target = np.array(
        [
            [1, 20, 21, 22, 2],
            [1, 23, 24, 2, 0],
            [1, 25, 26, 27, 2],
            [1, 28, 2, 0, 0],
        ]
    )
    target_in, target_out = target[:, :-1], target[:, 1:]
    model = small_model(decoder)
    model.compile(
        optimizer=keras.optimizers.Adam(0.02),
        loss=masked_loss(),
        metrics=[MaskedTokenAccuracy()],
    )
    history = model.fit(
        (source, target_in), target_out, epochs=120, batch_size=4, verbose=0
    )
    assert history.history["loss"][-1] < 0.05
    assert history.history["masked_accuracy"][-1] == 1.0


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
def test_keras_file_round_trip(decoder, tmp_path):
    model = small_model(decoder, attention="general", cell="lstm")
    model.compile(optimizer="adam", loss=masked_loss())
    # non-initial weights and optimizer state
    model.fit((SOURCE, TARGET_IN), TARGET_IN, epochs=1, verbose=0)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.get_config() == model.get_config()
    np.testing.assert_allclose(
        loaded((SOURCE, TARGET_IN)), model((SOURCE, TARGET_IN)), rtol=1e-6
    )
    np.testing.assert_allclose(
        step_by_step(loaded, SOURCE, TARGET_IN)[0],
        step_by_step(model, SOURCE, TARGET_IN)[0],
        rtol=1e-6,
    )


def test_no_mask_warnings_anywhere():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for decoder in ("luong", "bahdanau"):
            model = small_model(decoder)
            model.forward(SOURCE, TARGET_IN)
            step_by_step(model, SOURCE, TARGET_IN)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"decoder": "transformer"},
            r"decoder must be one of \['bahdanau', 'luong'\]; got "
            r"'transformer'",
        ),
        (
            {"attention": "cosine"},
            r"attention must be one of \['additive', 'dot', 'general', "
            r"'none', 'scaled_dot'\]",
        ),
        ({"cell": "rnn"}, r"cell must be one of \['gru', 'lstm'\]; got 'rnn'"),
        ({"units": 0}, r"units must be a positive integer; got 0"),
    ],
)
def test_bad_configuration_is_explained(kwargs, message):
    arguments = dict(source_vocab_size=30, target_vocab_size=40) | kwargs
    with pytest.raises(ValueError, match=message):
        Seq2SeqAttention(**arguments)


def test_decoders_alone_have_documented_shapes():
    states, mask = np.ones((2, 5, 16), "float32"), np.ones((2, 5), bool)
    for decoder_class in (LuongDecoder, BahdanauDecoder):
        decoder = decoder_class(vocab_size=12, embedding_dim=8, units=16)
        logits, _, state = decoder(
            np.array([[1, 4], [1, 0]]),
            states,
            mask,
            [np.zeros((2, 16), "float32")],
        )
        assert tuple(logits.shape) == (2, 2, 12) and tuple(state[0].shape) == (
            2,
            16,
        )


def test_same_seed_same_losses():
    """Two runs with one seed give identical losses (op determinism on)."""
    script = textwrap.dedent(
        """
        import keras, numpy as np, tensorflow as tf
        tf.config.experimental.enable_op_determinism()
        from seq2seq_attention.metrics import masked_loss
        from seq2seq_attention.models import Seq2SeqAttention
        rng = np.random.default_rng(0)
        source = rng.integers(1, 30, (32, 7))
        target = rng.integers(1, 40, (32, 6))
        def run():
            keras.utils.set_random_seed(42)
            model = Seq2SeqAttention(30, 40, embedding_dim=8, units=16,
                                     decoder="bahdanau", dropout=0.1)
            model.compile(optimizer="adam", loss=masked_loss())
            history = model.fit((source, target[:, :-1]), target[:, 1:],
                                epochs=3, batch_size=8, shuffle=True,
                                verbose=0)
            return history.history["loss"]
        print(repr(run())); print(repr(run()))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    first, second = out.strip().splitlines()[-2:]
    assert first == second, (first, second)
