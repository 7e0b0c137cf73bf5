"""The pointer-generator, the Summarizer, the headlines task and ROUGE."""

import math
import random

import keras
import numpy as np
import pytest

from seq2seq_attention import data
from seq2seq_attention.decoding import beam_search, greedy_decode
from seq2seq_attention.metrics import masked_loss
from seq2seq_attention.pointer import (
    PointerGenerator,
    copy_distribution,
    extend_ids,
    pointer_dataset,
    vocabulary_index,
)
from seq2seq_attention.summarizer import Summarizer
from seq2seq_attention.summary_metrics import fact_copy_rates, rouge
from seq2seq_attention.tasks import headlines

V, OOVS = 12, 3
A = np.array([[2, 12, 5, 13, 7, 3]])  # two unknown words: ids 12 and 13
B = np.array([[2, 6, 12, 3, 0, 0]])  # shorter, padded


def _model(seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    return PointerGenerator(
        V, max_oovs=OOVS, embedding_dim=8, units=16, **kwargs
    )


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


# -- Extended ids and the copy distribution -----------------------------------


def test_extend_ids_numbers_unknown_words_by_first_appearance():
    index = vocabulary_index(["storm", "in"])  # 6 ids: 4 reserved + 2
    ids, oovs = extend_ids(
        ["zor", "storm", "kel", "zor", "in", "mup"], index, max_oovs=2
    )
    assert ids == [6, 4, 7, 6, 5, 1] and oovs == [
        "zor",
        "kel",
    ]  # a third unknown word: [UNK]
    target, same = extend_ids(["kel", "in", "zor", "mup"], index, 2, oovs)
    assert (
        target == [7, 5, 6, 1] and same == oovs
    )  # mup cannot be copied: [UNK]


def test_the_copy_distribution_sums_the_weights_of_each_id():
    weights = np.array(
        [[[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]]], "float32"
    )
    ids = np.array([[2, 9, 9, 3]])
    copy = _numpy(copy_distribution(weights, ids, size=11))
    assert copy.shape == (1, 2, 11)
    np.testing.assert_allclose(copy.sum(-1), 1.0, atol=1e-6)
    np.testing.assert_allclose(
        copy[0, 0, [2, 9, 3]], [0.1, 0.5, 0.4], atol=1e-6
    )
    one_step = _numpy(copy_distribution(weights[:, 0], ids, size=11))
    np.testing.assert_allclose(one_step, copy[:, 0], atol=1e-6)


def test_the_output_is_a_distribution_over_extended_ids():
    model = _model()
    source = np.concatenate([A, B])
    log_probs = _numpy(model((source, np.array([[2, 12, 4], [2, 6, 0]]))))
    assert log_probs.shape == (2, 3, V + OOVS)
    np.testing.assert_allclose(np.exp(log_probs).sum(-1), 1.0, atol=1e-5)
    memory = model.encode(source)
    state = memory.pop("state")
    step, _, weights = model.decode_step(np.array([2, 2]), state, memory)
    np.testing.assert_allclose(np.exp(_numpy(step)).sum(-1), 1.0, atol=1e-5)
    # Row B has no id 13 and no padding mass: its unused extended id gets ~0.
    assert np.exp(_numpy(step))[1, 13] < 1e-6 and np.all(
        _numpy(weights)[1, 4:] == 0
    )


def test_the_gate_mixes_copying_and_generating():
    model = _model()
    _, weights, gates = model.forward(A, np.array([[2, 12]]))
    gates = _numpy(gates)
    assert gates.shape == (1, 2) and np.all((gates > 0) & (gates < 1))
    # An unknown word's probability is all copy: (1 - p_gen) * its attention.
    log_probs = _numpy(model((A, np.array([[2, 12]]))))
    expected = (1 - gates[0, 0]) * _numpy(weights)[0, 0, 1]
    assert math.exp(log_probs[0, 0, 12]) == pytest.approx(expected, rel=1e-4)


def test_teacher_forcing_and_decode_steps_agree():
    model = _model()
    target_in = np.array([[2, 12, 4, 13]])
    forced = _numpy(model((A, target_in)))[0]
    memory = model.encode(A)
    state = memory.pop("state")
    for t in range(target_in.shape[1]):
        step, state, _ = model.decode_step(target_in[:, t], state, memory)
        np.testing.assert_allclose(_numpy(step)[0], forced[t], atol=1e-4)


def test_a_sentence_alone_and_in_a_padded_batch_decode_the_same():
    model = _model()
    batch = np.concatenate([A, B])
    alone = greedy_decode(model, B[:, :4], max_length=6)
    together = greedy_decode(model, batch, max_length=6)
    n = alone.tokens.shape[1]
    np.testing.assert_array_equal(alone.tokens[0], together.tokens[1, :n])
    np.testing.assert_allclose(
        alone.log_probs[0], together.log_probs[1, :n], atol=1e-5
    )
    beam_alone = beam_search(model, B[:, :4], beam_size=3, max_length=6)
    beam_together = beam_search(model, batch, beam_size=3, max_length=6)
    np.testing.assert_allclose(
        beam_alone.scores[0], beam_together.scores[1], atol=1e-5
    )


def test_beam_search_of_width_one_is_greedy_decoding():
    model = _model(seed=4)
    batch = np.concatenate([A, B])
    greedy = greedy_decode(model, batch, max_length=6)
    beam = beam_search(model, batch, beam_size=1, alpha=0.0, max_length=6)
    steps = beam.tokens.shape[2]
    np.testing.assert_array_equal(beam.tokens[:, 0], greedy.tokens[:, :steps])
    np.testing.assert_allclose(beam.scores[:, 0], greedy.scores, atol=1e-5)


def test_pointer_dataset_shifts_extended_ids_for_teacher_forcing():
    pairs = [("zor hits kel .", "kel hit"), ("storm .", "mup storm")]
    (source, target_in), target_out = next(
        iter(pointer_dataset(pairs, ["storm", "hits", "."], 4, shuffle=False))
    )
    # V = 7: zor -> 7, kel -> 8 in the first pair; mup is not in its source.
    assert source.numpy().tolist() == [[2, 7, 5, 8, 6, 3], [2, 4, 6, 3, 0, 0]]
    # "hit" is unknown and not in the source: [UNK] (1); so is "mup".
    assert target_in.numpy().tolist() == [[2, 8, 1], [2, 1, 4]]
    assert target_out.numpy().tolist() == [[8, 1, 3], [1, 4, 3]]


# -- Copying an unseen name, end to end ---------------------------------------


_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "tal",
    "vor",
    "zen",
    "bri",
    "dar",
    "fel",
    "gor",
    "hal",
]


def _names(rng, n):
    return [
        "".join(rng.choice(_SYLLABLES) for _ in range(3)) for _ in range(n)
    ]


def _copy_pairs(names):
    templates = [
        "the winner is {} .",
        "{} is the winner .",
        "today the prize went to {} .",
    ]
    return [
        (templates[i % 3].format(name), f"{name} wins")
        for i, name in enumerate(names)
    ]


@pytest.fixture(scope="module")
def copier():
    """A small summarizer trained to write "NAME wins" for made-up names."""
    rng = random.Random(0)
    pairs = _copy_pairs(_names(rng, 600))
    vectorizer = data.make_vectorizer(
        vocabulary=[
            "the",
            "winner",
            "is",
            ".",
            "wins",
            "today",
            "prize",
            "went",
            "to",
        ]
    )
    vocabulary = data.vectorizer_config(vectorizer)["vocabulary"]
    keras.utils.set_random_seed(0)
    model = PointerGenerator(
        vectorizer.vocabulary_size(), max_oovs=4, embedding_dim=16, units=32
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=masked_loss())
    model.fit(
        pointer_dataset(pairs, vocabulary, 4, batch_size=32, seed=0),
        epochs=6,
        verbose=0,
        shuffle=False,
    )
    return Summarizer(model, vectorizer)


def test_a_name_never_seen_is_copied_end_to_end(copier):
    rng = random.Random(1)
    names = [n for n in _names(rng, 40) if n not in copier.index][:12]
    texts = [s for s, _ in _copy_pairs(names)]
    for method in ("greedy", "beam"):
        summaries = copier.summarize(texts, method=method)
        assert [s.text for s in summaries] == [f"{n} wins" for n in names], (
            method
        )
    first = summaries[0]
    assert first.copied == [True, False, False]  # the name is an extended id
    assert first.gates[0] < 0.5 < first.gates[1]  # copied, then generated
    assert int(np.argmax(first.weights[0])) == first.source_tokens.index(
        names[0]
    )


def test_a_blank_text_summarizes_to_nothing_beside_others(copier):
    blank, text = copier.summarize(["  ", "the winner is zabulon ."])
    assert blank.text == "" and blank.target_tokens == []
    assert text.text == copier.summarize(["the winner is zabulon ."])[0].text


def test_summarizer_round_trip_in_safe_mode(copier, tmp_path):
    path = tmp_path / "summarizer.keras"
    copier.save(path)
    loaded = keras.saving.load_model(path)  # safe_mode=True is the default
    texts = ["the winner is zabulon ."]
    assert [s.text for s in loaded.summarize(texts)] == [
        s.text for s in copier.summarize(texts)
    ]
    np.testing.assert_allclose(
        loaded.summarize(texts)[0].gates,
        copier.summarize(texts)[0].gates,
        atol=1e-6,
    )


def test_summarizer_explains_bad_input(copier):
    with pytest.raises(TypeError, match=r"takes a list of strings"):
        copier.summarize("the winner is zabulon .")
    with pytest.raises(TypeError, match="item 1 is int"):
        copier.summarize(["a", 3])
    with pytest.raises(ValueError, match="Unknown decoding method 'sample'"):
        copier.summarize(["a"], method="sample")
    small = Summarizer(
        copier.pointer, copier.tokenizer.get_config(), max_source_tokens=3
    )
    with pytest.raises(
        ValueError, match="Input 0 has 5 tokens, more than max_source_tokens=3"
    ):
        small.summarize(["the winner is zabulon ."])
    with pytest.raises(
        ValueError, match="was not the one the model was built with"
    ):
        Summarizer(copier.pointer, data.make_vectorizer(["other words"]))
    with pytest.raises(TypeError, match="needs a PointerGenerator"):
        Summarizer(keras.Sequential(), copier.tokenizer)
    characters = data.train_tokenizer(["ab"], level="character")
    with pytest.raises(ValueError, match="not a character-level one"):
        Summarizer(copier.pointer, characters)


def test_a_seeded_training_run_repeats():
    pairs = _copy_pairs(_names(random.Random(2), 64))
    vocabulary = [
        "the",
        "winner",
        "is",
        ".",
        "wins",
        "today",
        "prize",
        "went",
        "to",
    ]

    def run():
        keras.utils.set_random_seed(5)
        model = PointerGenerator(
            len(vocabulary) + 4, max_oovs=4, embedding_dim=8, units=8
        )
        model.compile(
            optimizer=keras.optimizers.Adam(0.01), loss=masked_loss()
        )
        model.fit(
            pointer_dataset(pairs, vocabulary, 4, batch_size=16, seed=5),
            epochs=1,
            verbose=0,
            shuffle=False,
        )
        return model.get_weights()

    for a, b in zip(run(), run()):
        np.testing.assert_array_equal(a, b)


# -- The headlines task -------------------------------------------------------


def test_headlines_are_seeded_and_copy_their_facts_from_the_report():
    items = headlines.generate_news(300, seed=4)
    assert (
        items
        == headlines.generate_news(300, seed=4)
        != headlines.generate_news(300, seed=5)
    )
    assert {item.kind for item in items} == set(headlines.EVENTS)
    for item in items:
        report, headline = item.text.split(), item.headline.split()
        assert item.facts and all(fact in report for fact in item.facts)
        assert [w for w in headline if w in item.facts] == list(item.facts)


def test_test_names_never_occur_in_training_reports():
    train = headlines.generate_news(2000, seed=0)
    test = headlines.generate_news(300, seed=1, split="test")
    seen = {
        w for item in train for w in (item.text + " " + item.headline).split()
    }
    names = [f for item in test for f in item.facts if not f.isdigit()]
    assert names and not any(name in seen for name in names)
    assert all(headlines.split_of(name) == "test" for name in names)


def test_most_facts_are_outside_a_training_vocabulary():
    train = headlines.generate_news(3000, seed=0)
    vectorizer = data.make_vectorizer(
        [t for item in train for t in (item.text, item.headline)],
        max_tokens=300,
    )
    vocabulary = set(data.vectorizer_config(vectorizer)["vocabulary"])
    test = headlines.generate_news(300, seed=1, split="test")
    facts = [f for item in test for f in item.facts]
    assert np.mean([f not in vocabulary for f in facts]) > 0.7
    # Everything else in a headline is a vocabulary word (it can be generated).
    rest = [
        w
        for item in test
        for w in item.headline.split()
        if w not in item.facts
    ]
    assert all(w in vocabulary for w in rest)


def test_bad_headline_arguments_are_explained():
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        headlines.generate_news(3, seed=0, split="dev")
    with pytest.raises(ValueError, match="kinds must be a non-empty list"):
        headlines.generate_news(3, seed=0, kinds=["weather"])
    with pytest.raises(ValueError, match="needs a seed"):
        headlines.generate_news(3, seed=None)


# -- Scores -------------------------------------------------------------------


def test_rouge_against_hand_computed_values():
    scores = rouge(
        ["storm leaves 40 homes dark", "[UNK] wins"],
        ["storm leaves 40 homes without power", "kelo wins"],
    )
    # Pair 1: 4 of 5 words match, 4 of 6 reference words: F1 = 8/11;
    # bigrams 3/4 and 3/5: F1 = 2/3.
    # Pair 2: "unk wins" vs "kelo wins": F1 = 1/2 for unigrams, 0 for bigrams.
    assert scores["rouge1"] == pytest.approx((8 / 11 + 1 / 2) / 2)
    assert scores["rouge2"] == pytest.approx((2 / 3 + 0) / 2)
    with pytest.raises(ValueError, match="got 1 summaries and 2 references"):
        rouge(["a"], ["a", "b"])


def test_fact_copy_rates_separate_names_and_figures():
    rates = fact_copy_rates(
        ["kelo wins 3 - 1", "[UNK] wins 3 - 1"],
        [("kelo", "3", "1"), ("dora", "3", "2")],
    )
    assert rates == {"names": 0.5, "figures": 0.75, "all": 4 / 6}
