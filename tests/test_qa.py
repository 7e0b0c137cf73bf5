"""Question answering: the story generator, the memory network, the
baseline."""

import keras
import numpy as np
import pytest

from seq2seq_attention import data
from seq2seq_attention.qa_models import (
    LinearStart,
    MemoryNetwork,
    StoryReader,
    encode_stories,
    make_qa_vectorizer,
    position_encoding,
    support_hits,
    train_qa,
)
from seq2seq_attention.tasks import qa

# -- The generator ------------------------------------------------------------


@pytest.fixture(scope="module")
def stories():
    return {
        task: qa.generate_stories(task, 400, seed=5) for task in qa.QA_TASKS
    }


@pytest.mark.parametrize("task", qa.QA_TASKS)
def test_same_seed_same_stories_and_lengths_in_range(task):
    a = qa.generate_stories(
        task, 30, seed=3, min_sentences=12, max_sentences=20
    )
    assert a == qa.generate_stories(
        task, 30, seed=3, min_sentences=12, max_sentences=20
    )
    assert a != qa.generate_stories(
        task, 30, seed=4, min_sentences=12, max_sentences=20
    )
    assert {len(s.sentences) for s in a} <= set(range(12, 21))
    assert all(s.task == task and s.answer in qa.PLACES for s in a)


@pytest.mark.parametrize("task", qa.QA_TASKS)
def test_the_answer_is_determined_by_the_supporting_facts(stories, task):
    for story in stories[task]:
        assert (
            qa.answer_question(story.sentences, story.question) == story.answer
        )
        only = [story.sentences[i] for i in sorted(story.supporting)]
        assert qa.answer_question(only, story.question) == story.answer


@pytest.mark.parametrize("task", qa.QA_TASKS)
def test_dropping_the_supporting_facts_usually_loses_the_answer(stories, task):
    lost = 0
    for story in stories[task]:
        rest = [
            s
            for i, s in enumerate(story.sentences)
            if i not in story.supporting
        ]
        lost += qa.answer_question(rest, story.question) != story.answer
    assert lost / len(stories[task]) > 0.6


def test_one_fact_support_is_the_persons_last_move(stories):
    for story in stories["one_fact"]:
        person = story.question.split()[2]
        (index,) = story.supporting
        assert story.sentences[index].split()[0] == person
        assert story.sentences[index].split()[-2] == story.answer
        later = story.sentences[index + 1 :]
        assert not any(s.split()[0] == person for s in later)


def test_two_facts_support_is_the_object_then_its_carriers_move(stories):
    kinds = set()
    for story in stories["two_facts"]:
        thing = story.question.split()[3]
        object_index, move_index = story.supporting
        object_sentence = story.sentences[object_index]
        person = object_sentence.split()[0]
        assert object_sentence.split()[-2] == thing
        # The object's last mention ...
        assert not any(
            s.split()[-2] == thing for s in story.sentences[object_index + 1 :]
        )
        # ... and a move of the same person to the answer.
        move = story.sentences[move_index].split()
        assert move[0] == person and move[-2] == story.answer
        dropped = any(
            v in object_sentence
            for v in ("dropped", "put down", "discarded", "left")
        )
        kinds.add(dropped)
        # Held: the person's last move; dropped: the last move before the drop.
        horizon = object_index if dropped else len(story.sentences)
        moves = [
            i
            for i, s in enumerate(story.sentences[:horizon])
            if s.split()[0] == person and s.split()[-2] in qa.PLACES
        ]
        assert moves[-1] == move_index
    assert kinds == {True, False}, (
        "both held and dropped objects are asked about"
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"task": "three_facts"}, r"unknown QA task 'three_facts'"),
        ({"n": -1}, r"n must be a non-negative integer"),
        (
            {"min_sentences": 1},
            r"min_sentences must be an integer of at least 2",
        ),
        (
            {"max_sentences": 5},
            r"max_sentences \(5\) must be an integer no smaller than "
            r"min_sentences \(10\)",
        ),
        ({"seed": None}, r"needs a seed"),
    ],
)
def test_bad_arguments_are_explained(kwargs, message):
    with pytest.raises(ValueError, match=message):
        qa.generate_stories(
            **({"task": "one_fact", "n": 2, "seed": 0} | kwargs)
        )


def test_answer_question_refuses_what_it_cannot_read():
    with pytest.raises(ValueError, match="expected 'where is PERSON"):
        qa.answer_question([], "who is mary ?")
    with pytest.raises(
        ValueError, match="cannot read the sentence 'mary sang .'"
    ):
        qa.answer_question(["mary sang ."], "where is mary ?")


# -- Arrays -------------------------------------------------------------------


def test_encode_stories_pads_and_keeps_the_supporting_indices(stories):
    vectorizer = make_qa_vectorizer(stories["two_facts"])
    arrays = encode_stories(
        stories["two_facts"][:5], vectorizer, max_sentences=32, max_words=9
    )
    assert arrays.story.shape == (5, 32, 9) and arrays.question.shape[0] == 5
    vocabulary = vectorizer.get_vocabulary()
    for i, story in enumerate(stories["two_facts"][:5]):
        n = len(story.sentences)
        assert np.all(arrays.story[i, n:] == 0) and np.all(
            arrays.story[i, :n, 0] > 3
        )
        words = [vocabulary[j] for j in arrays.story[i, n - 1] if j]
        assert " ".join(words) == story.sentences[-1]
        assert vocabulary[arrays.answer[i]] == story.answer
        assert arrays.supporting[i].tolist() == list(story.supporting)


def test_encode_stories_refuses_answers_outside_the_vocabulary(stories):
    vectorizer = data.make_vectorizer(["where is mary ?"])  # no places
    with pytest.raises(
        ValueError,
        match="every answer must be one word of the vectorizer's vocabulary",
    ):
        encode_stories(stories["one_fact"], vectorizer)


def test_position_encoding_matches_the_papers_formula():
    mask = np.array([[True, True, True, False]])
    got = keras.ops.convert_to_numpy(position_encoding(mask, 5))[0]
    J, d = 3, 5
    for j in range(1, J + 1):
        for k in range(1, d + 1):
            assert got[j - 1, k - 1] == pytest.approx(
                (1 - j / J) - (k / d) * (1 - 2 * j / J), abs=1e-6
            )
    assert np.all(got[3] == 0)


# -- Models -------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(stories):
    vectorizer = make_qa_vectorizer(stories["two_facts"])
    arrays = encode_stories(
        stories["two_facts"][:6], vectorizer, max_sentences=30
    )
    return vectorizer.vocabulary_size(), arrays


def _padded(arrays, extra_sentences, extra_words):
    story = np.pad(
        arrays.story, ((0, 0), (0, extra_sentences), (0, extra_words))
    )
    return story, np.pad(arrays.question, ((0, 0), (0, 2)))


def test_memory_network_weights_are_a_distribution_over_real_sentences(small):
    vocab, arrays = small
    model = MemoryNetwork(vocab, max_sentences=40, embedding_dim=8, hops=3)
    logits, weights = (
        keras.ops.convert_to_numpy(x)
        for x in model.attend(arrays.story, arrays.question)
    )
    assert logits.shape == (6, vocab) and weights.shape == (
        6,
        3,
        arrays.story.shape[1],
    )
    real = np.any(arrays.story != 0, axis=-1)  # (6, sentences)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-5)
    assert np.all(weights[np.broadcast_to(~real[:, None], weights.shape)] == 0)


@pytest.mark.parametrize(
    "make",
    [
        lambda vocab: MemoryNetwork(
            vocab, max_sentences=40, embedding_dim=8, hops=2
        ),
        lambda vocab: StoryReader(vocab, embedding_dim=8, units=12),
    ],
    ids=["memory network", "story reader"],
)
def test_a_story_alone_and_in_a_padded_batch_give_the_same_answer(small, make):
    vocab, arrays = small
    model = make(vocab)
    alone = [
        keras.ops.convert_to_numpy(
            model((arrays.story[i : i + 1], arrays.question[i : i + 1]))
        )
        for i in range(len(arrays))
    ]
    padded = keras.ops.convert_to_numpy(model(_padded(arrays, 5, 3)))
    np.testing.assert_allclose(np.concatenate(alone), padded, atol=1e-5)


@pytest.mark.parametrize(
    "make",
    [
        lambda vocab: MemoryNetwork(
            vocab, max_sentences=30, embedding_dim=8, hops=2
        ),
        lambda vocab: StoryReader(vocab, embedding_dim=8, units=12),
    ],
    ids=["memory network", "story reader"],
)
def test_keras_file_round_trip(small, make, tmp_path):
    vocab, arrays = small
    model = make(vocab)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)  # safe mode
    assert type(loaded) is type(model)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(loaded((arrays.story, arrays.question))),
        keras.ops.convert_to_numpy(model((arrays.story, arrays.question))),
        atol=1e-6,
    )


def test_reader_units_give_the_memory_networks_parameter_count():
    memory = MemoryNetwork(40, max_sentences=30, embedding_dim=32, hops=2)
    units = StoryReader.units_for(memory.count_params(), 40, 32)
    reader = StoryReader(40, embedding_dim=32, units=units)
    assert (
        abs(reader.count_params() - memory.count_params())
        / memory.count_params()
        < 0.03
    )


def test_bad_sizes_are_explained():
    with pytest.raises(
        ValueError,
        match="MemoryNetwork: hops must be a positive integer; got 0",
    ):
        MemoryNetwork(10, 5, hops=0)


def test_linear_start_switches_the_softmax_off_then_on(small):
    vocab, arrays = small
    model = MemoryNetwork(vocab, max_sentences=30, embedding_dim=8, hops=1)
    callback = LinearStart(epochs=1)
    callback.set_model(model)
    callback.on_train_begin()
    callback.on_epoch_begin(0)
    _, linear = model.attend(arrays.story, arrays.question)
    callback.on_epoch_begin(1)
    _, softmax = model.attend(arrays.story, arrays.question)
    assert not np.allclose(keras.ops.convert_to_numpy(linear).sum(-1), 1.0)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(softmax).sum(-1), 1.0, atol=1e-5
    )


def _train_one_fact(seed, epochs):
    stories = qa.generate_stories("one_fact", 1500, seed=11)
    vectorizer = make_qa_vectorizer(stories)
    arrays = encode_stories(stories, vectorizer, max_sentences=30)
    keras.utils.set_random_seed(seed)
    model = MemoryNetwork(
        vectorizer.vocabulary_size(),
        max_sentences=30,
        embedding_dim=24,
        hops=1,
    )
    train_qa(model, arrays, epochs=epochs, learning_rate=1e-2, seed=seed)
    return model, vectorizer


def test_a_seeded_run_repeats():
    a, _ = _train_one_fact(seed=3, epochs=1)
    b, _ = _train_one_fact(seed=3, epochs=1)
    for x, y in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(x, y)


def test_the_memory_network_learns_one_fact_and_points_at_it():
    model, vectorizer = _train_one_fact(seed=0, epochs=6)
    test = encode_stories(
        qa.generate_stories("one_fact", 300, seed=12),
        vectorizer,
        max_sentences=30,
    )
    logits, weights = model.attend(test.story, test.question)
    accuracy = np.mean(
        np.argmax(keras.ops.convert_to_numpy(logits), -1) == test.answer
    )
    hits = support_hits(keras.ops.convert_to_numpy(weights), test.supporting)
    assert accuracy > 0.85 and hits[0, 0] > 0.85, (accuracy, hits)


def test_support_hits_counts_each_hop_against_each_fact():
    weights = np.zeros((3, 2, 4))
    weights[[0, 1, 2], 0, [1, 1, 3]] = 1.0  # hop 0 points at 1, 1, 3
    weights[[0, 1, 2], 1, [0, 2, 2]] = 1.0  # hop 1 points at 0, 2, 2
    supporting = np.array([[1, 0], [1, 2], [3, -1]])
    np.testing.assert_allclose(
        support_hits(weights, supporting), [[1.0, 0.0], [0.0, 1.0]]
    )
    with pytest.raises(
        ValueError,
        match=r"support_hits: weights must be \(n, hops, sentences\)",
    ):
        support_hits(weights[0], supporting)
