"""The synthetic tasks (copy, reverse, sort) and the no-attention baseline
model."""

import keras
import numpy as np
import pytest

from seq2seq_attention import data, tasks
from seq2seq_attention.attention import NoAttention, get_attention
from seq2seq_attention.decoding import greedy_decode
from seq2seq_attention.metrics import masked_loss
from seq2seq_attention.models import Seq2SeqAttention

# -- tasks.py -----------------------------------------------------------------


@pytest.mark.parametrize("task", sorted(tasks.TASKS))
@pytest.mark.parametrize(
    "alphabet", ["digits", "letters", "alphanumeric", "xyz"]
)
def test_targets_follow_the_rule_and_lengths_the_range(task, alphabet):
    pairs = tasks.generate(
        task, 300, min_length=2, max_length=9, seed=1, alphabet=alphabet
    )
    assert len(pairs) == 300
    characters = set(tasks.ALPHABETS.get(alphabet, alphabet))
    rule = {
        "copy": lambda s: s,
        "reverse": lambda s: s[::-1],
        "sort": lambda s: "".join(sorted(s)),
    }[task]
    for source, target in pairs:
        assert 2 <= len(source) <= 9 and set(source) <= characters
        assert target == rule(source) == tasks.apply_task(task, source)
    assert {len(s) for s, _ in pairs} == set(range(2, 10)), (
        "every length in the range occurs"
    )


def test_same_seed_same_pairs_other_seed_other_pairs():
    assert tasks.generate("reverse", 50, seed=7) == tasks.generate(
        "reverse", 50, seed=7
    )
    assert tasks.generate("reverse", 50, seed=7) != tasks.generate(
        "reverse", 50, seed=8
    )
    # The sources do not depend on the task: the same strings, different
    # targets.
    assert [s for s, _ in tasks.generate("copy", 20, seed=3)] == [
        s for s, _ in tasks.generate("sort", 20, seed=3)
    ]


def test_lengths_are_spread_uniformly():
    pairs = tasks.generate("copy", 9000, min_length=4, max_length=12, seed=0)
    counts = np.bincount([len(s) for s, _ in pairs])[4:]
    assert counts.min() > 0.8 * 1000 and counts.max() < 1.2 * 1000


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (
            {"task": "rotate"},
            ValueError,
            r"unknown task 'rotate'; choose one of \['copy', 'reverse', "
            r"'sort'\]",
        ),
        ({"n": -1}, ValueError, r"n must be a non-negative integer; got -1"),
        ({"n": 2.5}, ValueError, r"n must be a non-negative integer"),
        (
            {"min_length": 0},
            ValueError,
            r"min_length must be a positive integer; got 0",
        ),
        (
            {"min_length": 9, "max_length": 3},
            ValueError,
            r"min_length \(9\) must not be more than max_length \(3\)",
        ),
        ({"seed": None}, ValueError, r"needs a seed"),
        ({"alphabet": ""}, ValueError, r"alphabet must be one of"),
        (
            {"alphabet": "aab"},
            ValueError,
            r"distinct characters without spaces",
        ),
        (
            {"alphabet": "a b"},
            ValueError,
            r"distinct characters without spaces",
        ),
    ],
)
def test_bad_arguments_are_explained(kwargs, error, message):
    arguments = {
        "task": "copy",
        "n": 3,
        "min_length": 1,
        "max_length": 5,
        "seed": 0,
    } | kwargs
    with pytest.raises(error, match=message):
        tasks.generate(**arguments)


def test_apply_task_checks_its_input():
    with pytest.raises(ValueError, match="unknown task"):
        tasks.apply_task("shuffle", "abc")
    with pytest.raises(TypeError, match="text must be a str"):
        tasks.apply_task("copy", 123)


def test_pairs_feed_the_character_level_pipeline():
    pairs = tasks.generate("reverse", 16, min_length=3, max_length=8, seed=0)
    source_vectorizer = data.make_vectorizer(
        [s for s, _ in pairs], level="character"
    )
    target_vectorizer = data.make_vectorizer(
        [t for _, t in pairs], level="character"
    )
    # characters
    assert set(source_vectorizer.get_vocabulary()[4:]) == set(
        "".join(s for s, _ in pairs)
    )
    (source_ids, target_in), target_out = next(
        iter(
            data.make_dataset(
                pairs,
                source_vectorizer,
                target_vectorizer,
                batch_size=16,
                shuffle=False,
            )
        )
    )
    vocabulary = np.array(source_vectorizer.get_vocabulary())
    first = source_ids.numpy()[0]
    # one id per character
    assert "".join(vocabulary[first[1 : 1 + len(pairs[0][0])]]) == pairs[0][0]
    assert (target_in.numpy()[:, 0] == data.START_ID).all()
    lengths = (target_out.numpy() != 0).sum(1)
    # characters + [END]
    assert lengths.tolist() == [len(t) + 1 for _, t in pairs]


def test_length_bins_and_score_by_length():
    assert tasks.length_bins(1, 6, 2) == [(1, 2), (3, 4), (5, 6)]
    assert tasks.length_bins(5, 5, 3) == [(5, 5)]
    rows = tasks.score_by_length(
        ["ab", "abcd", "abce"],
        ["ba", "dcb", "ecba"],
        ["ba", "dcba", "ecba"],
        [(1, 2), (3, 4), (5, 9)],
    )
    assert [r["count"] for r in rows] == [1, 2, 0]
    assert rows[0]["exact_match"] == 1.0 and rows[1]["exact_match"] == 0.5
    # a missing character is wrong
    assert rows[1]["char_accuracy"] == pytest.approx((3 / 4 + 1) / 2)
    assert rows[2]["exact_match"] is None and rows[2]["char_accuracy"] is None
    with pytest.raises(ValueError, match="must be as many"):
        tasks.score_by_length(["a"], [], ["a"], [(1, 1)])
    with pytest.raises(ValueError, match="width must be at least 1"):
        tasks.length_bins(1, 5, 0)


# -- The no-attention baseline (attention="none") -----------------------------

# (batch=2, src_len=6), 0 = padding
SOURCE = np.array([[5, 6, 7, 8, 9, 0], [9, 4, 11, 0, 0, 0]])
TARGET_IN = np.array([[2, 9, 10, 11], [2, 12, 0, 0]])


def small_model(decoder, attention="none", cell="gru", seed=0):
    keras.utils.set_random_seed(seed)
    return Seq2SeqAttention(
        30,
        40,
        embedding_dim=8,
        units=16,
        decoder=decoder,
        attention=attention,
        cell=cell,
    )


@pytest.mark.parametrize(
    "query_shape", [(3, 4), (3, 2, 4)], ids=["one-step", "many-steps"]
)
def test_no_attention_layer_gives_zero_context_and_weights(query_shape):
    rng = np.random.default_rng(0)
    query = rng.normal(size=query_shape).astype("float32")
    keys = rng.normal(size=(3, 5, 7)).astype("float32")
    mask = np.array([[1] * 5, [1] * 3 + [0] * 2, [0] * 5], bool)
    context, weights = get_attention("none", name="none")(
        query, keys, mask=mask
    )
    lead = query_shape[:-1]
    assert tuple(context.shape) == lead + (7,) and tuple(
        weights.shape
    ) == lead + (5,)
    assert not np.asarray(context).any() and not np.asarray(weights).any()
    assert NoAttention().weights == []


def test_no_attention_layer_checks_shapes():
    with pytest.raises(ValueError, match="keys must have shape"):
        NoAttention()(np.ones((2, 4), "float32"), np.ones((2, 5), "float32"))


def test_no_attention_layer_round_trips_through_config():
    layer = NoAttention(name="baseline")
    clone = keras.layers.deserialize(keras.layers.serialize(layer))
    assert type(clone) is NoAttention and clone.name == "baseline"


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_decoder_sees_the_source_only_through_the_final_state(decoder, cell):
    """Swap in the encoder states of *another* source while keeping the final
    state: the output must not change at all. With attention it does change."""
    changed = SOURCE.copy()
    changed[:, 1] = [20, 21]  # a middle source token of each sentence
    for attention, should_change in (("none", False), ("additive", True)):
        model = small_model(decoder, attention, cell)
        states, final, mask = model.encoder(SOURCE)
        other_states, other_final, _ = model.encoder(changed)
        assert not np.allclose(np.asarray(states), np.asarray(other_states)), (
            "the perturbation reaches the states"
        )
        logits, _, _ = model.decoder(TARGET_IN, states, mask, final)
        # other states, same final state
        swapped, _, _ = model.decoder(TARGET_IN, other_states, mask, final)
        random_states = (
            np.random.default_rng(1)
            .normal(size=states.shape)
            .astype("float32")
        )
        garbage, _, _ = model.decoder(TARGET_IN, random_states, mask, final)
        if should_change:
            assert not np.allclose(
                np.asarray(logits), np.asarray(swapped), atol=1e-6
            )
        else:
            np.testing.assert_array_equal(
                np.asarray(swapped), np.asarray(logits)
            )
            np.testing.assert_array_equal(
                np.asarray(garbage), np.asarray(logits)
            )
            # ... whereas changing the final state does change the output.
            moved, _, _ = model.decoder(TARGET_IN, states, mask, other_final)
            assert not np.allclose(
                np.asarray(moved), np.asarray(logits), atol=1e-6
            )


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
def test_no_attention_model_has_zero_weights_and_decodes(decoder):
    model = small_model(decoder)
    logits, weights = model.forward(SOURCE, TARGET_IN)
    assert tuple(weights.shape) == (2, 4, 6) and not np.asarray(weights).any()
    # Step by step equals teacher forcing, as for the attention models.
    memory = model.encode(SOURCE)
    state, steps = memory.pop("state"), []
    for t in range(TARGET_IN.shape[1]):
        step_logits, state, step_weights = model.decode_step(
            TARGET_IN[:, t], state, memory
        )
        assert not np.asarray(step_weights).any()
        steps.append(step_logits)
    real = TARGET_IN != 0
    np.testing.assert_allclose(
        np.stack(steps, 1)[real],
        np.asarray(logits)[real],
        rtol=1e-5,
        atol=1e-5,
    )
    decoded = greedy_decode(model, SOURCE, max_length=5)
    assert decoded.tokens.shape[0] == 2 and not decoded.weights.any()


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
def test_no_attention_model_keras_file_round_trip(decoder, tmp_path):
    model = small_model(decoder)
    model.compile(optimizer="adam", loss=masked_loss())
    model.fit((SOURCE, TARGET_IN), TARGET_IN, epochs=1, verbose=0)
    path = tmp_path / "baseline.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert (
        loaded.get_config() == model.get_config()
        and loaded.get_config()["attention"] == "none"
    )
    np.testing.assert_allclose(
        loaded((SOURCE, TARGET_IN)), model((SOURCE, TARGET_IN)), rtol=1e-6
    )


def test_no_attention_model_has_fewer_weights_than_the_attention_model():
    """Same sizes otherwise: the baseline lacks only the attention's
    parameters."""
    plain = small_model("luong").count_params()
    dot = small_model("luong", attention="dot").count_params()
    additive = small_model("luong", attention="additive").count_params()
    assert plain == dot  # the dot score has no weights either
    assert additive - plain == 16 * 16 + 16 * 16 + 16 + 16  # W1, W2, b, v
