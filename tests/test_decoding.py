"""Decoding: greedy, sampling and beam search against exact references."""

import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf

from seq2seq_attention.data import END_ID, PAD_ID, START_ID
from seq2seq_attention.decoding import (
    beam_search,
    greedy_decode,
    length_limits,
    length_penalty,
    sample_decode,
)
from seq2seq_attention.models import Seq2SeqAttention

SOURCES = np.array(
    [[2, 5, 6, 7, 3, 0, 0], [2, 8, 3, 0, 0, 0, 0], [2, 9, 5, 6, 4, 7, 3]]
)


def model_for(decoder, vocab=12, seed=0, sharp=3.0):
    """A random model whose output distributions are peaked enough to end
    sentences."""
    keras.utils.set_random_seed(seed)
    model = Seq2SeqAttention(
        12, vocab, embedding_dim=8, units=16, decoder=decoder
    )
    kernel, bias = model.decoder.output_layer.get_weights()
    bias[END_ID] += (
        # make [END] reasonably likely, so hypotheses end at various lengths
        1.0
    )
    model.decoder.output_layer.set_weights([kernel * sharp, bias])
    return model


def teacher_forced_log_prob(model, source_row, tokens):
    """log P(tokens | source) from one teacher-forced pass."""
    tokens = [t for t in tokens if t != PAD_ID]
    target_in = np.array([[START_ID] + tokens[:-1]])
    logits, _ = model.forward(source_row[None], target_in)
    log_probs = tf.nn.log_softmax(logits[0]).numpy()
    return float(sum(log_probs[i, t] for i, t in enumerate(tokens)))


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
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
@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
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
@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
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
@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
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


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
def test_samples_do_not_depend_on_padding(decoder):
    """Random draws are per row and step, so extra padding columns change
    nothing."""
    model = model_for(decoder)
    more_padding = np.pad(SOURCES, ((0, 0), (0, 5)))
    np.testing.assert_array_equal(
        sample_decode(model, SOURCES, seed=3).tokens,
        sample_decode(model, more_padding, seed=3).tokens,
    )


def test_outputs_are_bounded_by_the_source_length_and_never_pad_or_start():
    # nearly uniform: rarely ends by itself
    model = model_for("luong", sharp=0.3)
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


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
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
