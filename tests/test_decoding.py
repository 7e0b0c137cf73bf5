"""Decoding: greedy, sampling and beam search against exact references, for
every model of the package (the decoding protocol)."""

import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf

from seq2seq_attention.data import END_ID, PAD_ID, START_ID
from seq2seq_attention.decoding import (
    allowed_log_probs,
    beam_search,
    greedy_decode,
    length_limits,
    length_penalty,
    sample_decode,
)
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.protocol import DecodingModel
from seq2seq_attention.toy_models import BigramModel
from seq2seq_attention.transformer import Transformer

SOURCES = np.array(
    [[2, 5, 6, 7, 3, 0, 0], [2, 8, 3, 0, 0, 0, 0], [2, 9, 5, 6, 4, 7, 3]]
)
# Every model of the package: the RNN with either decoder, the Transformer and
# the toy model. The decoding oracles below run over all of them.
MODELS = ["luong", "bahdanau", "transformer", "bigram"]


def model_for(decoder, vocab=12, seed=0, sharp=3.0):
    """A random model whose output distributions are peaked enough to end
    sentences."""
    keras.utils.set_random_seed(seed)
    if decoder == "bigram":
        # a random table with the same peakedness and [END] bias
        rng = np.random.default_rng(seed)
        logits = sharp * rng.normal(size=(vocab, vocab))
        logits[:, END_ID] += 1.0
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        return BigramModel(probs / probs.sum(axis=1, keepdims=True))
    if decoder == "transformer":
        model = Transformer(
            12,
            vocab,
            d_model=16,
            num_heads=2,
            d_ff=32,
            num_layers=2,
            dropout=0.0,
        )
        output_layer = model.output_layer
    else:
        model = Seq2SeqAttention(
            12, vocab, embedding_dim=8, units=16, decoder=decoder
        )
        output_layer = model.decoder.output_layer
    kernel, bias = output_layer.get_weights()
    bias[END_ID] += (
        # make [END] reasonably likely, so hypotheses end at various lengths
        1.0
    )
    output_layer.set_weights([kernel * sharp, bias])
    return model


def teacher_forced_log_prob(model, source_row, tokens):
    """log P(tokens | source) from one teacher-forced pass."""
    tokens = [t for t in tokens if t != PAD_ID]
    target_in = np.array([[START_ID] + tokens[:-1]])
    logits = model((source_row[None], target_in))
    log_probs = tf.nn.log_softmax(logits[0]).numpy()
    return float(sum(log_probs[i, t] for i, t in enumerate(tokens)))


@pytest.mark.parametrize("decoder", MODELS)
def test_every_model_speaks_the_protocol(decoder):
    model = model_for(decoder)
    assert isinstance(model, DecodingModel) and isinstance(model, keras.Model)
    memory = model.encode(SOURCES, max_steps=5)
    state = memory.pop("state")
    logits, new_state, weights = model.decode_step(
        np.full(len(SOURCES), START_ID), state, memory
    )
    assert tuple(logits.shape) == (3, model.target_vocab_size)
    assert tuple(weights.shape) == SOURCES.shape
    assert [tuple(s.shape) for s in new_state] == [
        tuple(s.shape) for s in state
    ]
    np.testing.assert_allclose(
        np.asarray(weights).sum(-1), 1.0, rtol=1e-5
    )  # over the real positions only:
    assert np.all(np.asarray(weights)[SOURCES == PAD_ID] == 0.0)


def test_a_model_that_does_not_speak_the_protocol_is_explained():
    with pytest.raises(
        TypeError,
        match=r"greedy_decode needs a model that speaks the decoding "
        r"protocol .*; object lacks source_vocab_size",
    ):
        greedy_decode(object(), SOURCES)


def test_length_limits_are_the_rule_on_numpy_and_tensors():
    real = np.sum(~np.isin(SOURCES, [PAD_ID, START_ID, END_ID]), axis=1)
    for ratio, extra, max_length in [(2.0, 5, None), (1.1, 0, 9), (0.3, 1, 4)]:
        rule = np.maximum(np.ceil(ratio * real + extra), 1)
        if max_length is not None:
            rule = np.minimum(rule, max_length)
        limits = length_limits(SOURCES, max_length, ratio, extra)
        tensor = length_limits(tf.constant(SOURCES), max_length, ratio, extra)
        assert isinstance(limits, np.ndarray) and tensor.dtype == tf.int32
        np.testing.assert_array_equal(limits, rule)
        np.testing.assert_array_equal(tensor.numpy(), rule)


def test_allowed_log_probs_is_the_decoders_token_rule():
    scores = allowed_log_probs(
        tf.zeros([2, 3, 6]), tf.constant(3), tf.constant([4, 9])
    ).numpy()
    assert np.all(scores[:, :, [PAD_ID, START_ID]] < -1e8)
    # sentence 0 is at its last allowed step: only [END]
    assert np.all((scores[0] > -1) == (np.arange(6) == END_ID))
    assert np.all(scores[1][:, [1, 3, 4, 5]] == 0.0)


@pytest.mark.parametrize("decoder", MODELS)
def test_beam_size_one_is_greedy(decoder):
    model = model_for(decoder)
    greedy = greedy_decode(model, SOURCES)
    beam = beam_search(model, SOURCES, beam_size=1, alpha=0.0)
    for i in range(len(SOURCES)):
        n = greedy.lengths[i]
        assert beam.lengths[i, 0] == n
        np.testing.assert_array_equal(
            beam.tokens[i, 0, :n], greedy.tokens[i, :n]
        )
        assert beam.scores[i, 0] == pytest.approx(greedy.scores[i], abs=1e-4)
        np.testing.assert_allclose(
            beam.weights[i, 0, :n], greedy.weights[i, :n], rtol=1e-5, atol=1e-6
        )


@pytest.mark.parametrize("alpha", [0.0, 0.6])
@pytest.mark.parametrize("decoder", MODELS)
def test_wide_beam_finds_the_brute_force_optimum(decoder, alpha):
    """Vocabulary of 6 (4 producible tokens), at most 3 output tokens: 13
    possible outputs.

    A beam as wide as the number of candidates at any step (3 alive x 4 tokens
    = 12) never drops one, so beam search must return exactly the best of all
    13."""
    model = model_for(decoder, vocab=6, sharp=1.0)
    source = SOURCES[:2, :5] % 6
    source[source == 0] = 4
    source[:, 0], source[0, 4], source[1, 2:] = (
        START_ID,
        END_ID,
        [END_ID, 0, 0],
    )
    producible = [1, 4, 5]  # [UNK] and two words; [END] closes every sequence
    for row in range(2):
        limit = 3
        outputs = [
            list(p) + [END_ID]
            for n in range(limit)
            for p in itertools.product(producible, repeat=n)
        ]
        assert len(outputs) == 13
        ranked = sorted(
            outputs,
            key=lambda y: (
                -teacher_forced_log_prob(model, source[row], y)
                / float(length_penalty(len(y), alpha))
            ),
        )
        result = beam_search(
            model,
            source[row : row + 1],
            beam_size=16,
            alpha=alpha,
            max_length=limit,
        )
        best = [t for t in result.tokens[0, 0] if t != PAD_ID]
        assert best == ranked[0]
        # The whole n-best list is the true ranking's top.
        found = [
            [t for t in result.tokens[0, k] if t != PAD_ID] for k in range(13)
        ]
        assert found == ranked


@pytest.mark.parametrize("beam_size", [1, 3, 5])
@pytest.mark.parametrize("decoder", MODELS)
def test_scores_equal_teacher_forced_log_probabilities(decoder, beam_size):
    model = model_for(decoder)
    result = beam_search(model, SOURCES, beam_size=beam_size, alpha=0.6)
    for i in range(len(SOURCES)):
        for k in range(beam_size):
            tokens = result.tokens[i, k, : result.lengths[i, k]]
            assert tokens[-1] == END_ID and END_ID not in tokens[:-1]
            assert result.scores[i, k] == pytest.approx(
                teacher_forced_log_prob(model, SOURCES[i], tokens), abs=1e-4
            )
            assert result.normalized_scores[i, k] == pytest.approx(
                result.scores[i, k] / float(length_penalty(len(tokens), 0.6)),
                rel=1e-5,
            )
        assert np.all(np.diff(result.normalized_scores[i]) <= 1e-6), (
            "n-best list is sorted"
        )
        assert (
            len({tuple(result.tokens[i, k]) for k in range(beam_size)})
            == beam_size
        ), "no duplicates"


@pytest.mark.parametrize("method", ["greedy", "beam"])
@pytest.mark.parametrize("decoder", MODELS)
def test_sentence_alone_equals_sentence_in_padded_batch(decoder, method):
    model = model_for(decoder)
    run = {
        "greedy": lambda s: greedy_decode(model, s).tokens[:, None],
        "beam": lambda s: beam_search(model, s, beam_size=3).tokens,
    }[method]
    alone = run(SOURCES[1:2, :3])
    batch = run(SOURCES)
    n = alone.shape[-1]
    np.testing.assert_array_equal(batch[1, :, :n], alone[0])
    assert np.all(batch[1, :, n:] == PAD_ID)


@pytest.mark.parametrize("decoder", MODELS)
def test_samples_do_not_depend_on_padding(decoder):
    """Random draws are per row and step, so extra padding columns change
    nothing."""
    model = model_for(decoder)
    more_padding = np.pad(SOURCES, ((0, 0), (0, 5)))
    np.testing.assert_array_equal(
        sample_decode(model, SOURCES, seed=3).tokens,
        sample_decode(model, more_padding, seed=3).tokens,
    )


@pytest.mark.parametrize("decoder", MODELS)
def test_outputs_are_bounded_by_the_source_length_and_never_pad_or_start(
    decoder,
):
    # nearly uniform: rarely ends by itself
    model = model_for(decoder, sharp=0.3)
    limits = length_limits(SOURCES)
    for tokens, _ in [
        (greedy_decode(model, SOURCES).tokens[:, None], None),
        (beam_search(model, SOURCES, beam_size=4).tokens, None),
        (sample_decode(model, SOURCES, temperature=2.0).tokens[:, None], None),
    ]:
        for i, limit in enumerate(limits):
            for row in tokens[i]:
                real = row[row != PAD_ID]
                assert 1 <= len(real) <= limit and real[-1] == END_ID
                assert START_ID not in real and np.all(
                    row[len(real) :] == PAD_ID
                )


@pytest.mark.parametrize("decoder", MODELS)
def test_sampling_tends_to_greedy_as_temperature_falls_and_repeats_with_a_seed(
    decoder,
):
    model = model_for(decoder)
    greedy = greedy_decode(model, SOURCES).tokens
    cold = sample_decode(model, SOURCES, temperature=1e-4, seed=1).tokens
    np.testing.assert_array_equal(cold, greedy)
    a = sample_decode(model, SOURCES, temperature=1.5, seed=5).tokens
    b = sample_decode(model, SOURCES, temperature=1.5, seed=5).tokens
    np.testing.assert_array_equal(a, b)
    others = [
        sample_decode(model, SOURCES, temperature=1.5, seed=s).tokens
        for s in range(6, 10)
    ]
    assert any(o.shape != a.shape or np.any(o != a) for o in others), (
        "different seeds, different samples"
    )


def test_top_k_one_and_tiny_top_p_are_greedy():
    model = model_for("luong")
    greedy = greedy_decode(model, SOURCES).tokens
    np.testing.assert_array_equal(
        sample_decode(model, SOURCES, top_k=1, seed=2).tokens, greedy
    )
    np.testing.assert_array_equal(
        sample_decode(model, SOURCES, top_p=1e-6, seed=2).tokens, greedy
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda m: beam_search(m, SOURCES, beam_size=0),
            "beam_size must be a positive int",
        ),
        (lambda m: beam_search(m, SOURCES, alpha=-1), "alpha .* must be >= 0"),
        (
            lambda m: sample_decode(m, SOURCES, temperature=-1),
            "temperature must be >= 0",
        ),
        (
            lambda m: sample_decode(m, SOURCES, top_k=0),
            "top_k must be a positive int",
        ),
        (
            lambda m: sample_decode(m, SOURCES, top_p=1.5),
            r"top_p must be in \(0, 1\]",
        ),
        (
            lambda m: greedy_decode(m, SOURCES[0]),
            r"source_ids must have shape \(batch, src_len\)",
        ),
    ],
)
def test_bad_arguments_are_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call(model_for("luong"))
