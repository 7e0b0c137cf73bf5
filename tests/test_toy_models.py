"""BigramModel: a hand-written table drives the package's decoders exactly."""

import itertools

import numpy as np
import pytest

from seq2seq_attention.data import END_ID, START_ID
from seq2seq_attention.decoding import beam_search, greedy_decode
from seq2seq_attention.toy_models import BigramModel

# ids 0 pad, 1 unk, 2 [START], 3 [END], then four words: 4 "the", 5 "a", 6
# "cat", 7 "kitten"
TABLE = np.zeros((8, 8))
TABLE[START_ID, [4, 5, END_ID]] = [0.5, 0.4, 0.1]
TABLE[4, [6, 7, END_ID]] = [0.45, 0.35, 0.2]
TABLE[5, [7, 6]] = [0.9, 0.1]
TABLE[6, END_ID] = TABLE[7, END_ID] = 1.0
SOURCE = np.array([[START_ID, 4, END_ID]])


def log_prob(tokens):
    previous, total = START_ID, 0.0
    for token in tokens:
        # the model's floor for impossible tokens
        total += np.log(max(TABLE[previous, token], 1e-9))
        previous = token
    return total


def test_logits_are_the_log_table_and_weights_uniform_over_real_positions():
    model = BigramModel(TABLE)
    memory = model.encode(np.array([[2, 4, 3, 0], [2, 3, 0, 0]]))
    state = memory.pop("state")
    logits, new_state, weights = model.decode_step(
        np.array([START_ID, 5]), state, memory
    )
    np.testing.assert_allclose(
        np.exp(logits.numpy()), TABLE[[START_ID, 5]], atol=1e-8
    )
    np.testing.assert_allclose(
        weights.numpy(), [[1 / 3] * 3 + [0], [0.5, 0.5, 0, 0]]
    )
    assert new_state is state


def test_greedy_takes_the_best_token_each_step_beam_the_best_sentence():
    model = BigramModel(TABLE)
    greedy = greedy_decode(model, SOURCE)
    # greedy: "the" (0.5), "cat" (0.45), [END]: 0.225
    assert greedy.tokens[0, : greedy.lengths[0]].tolist() == [4, 6, END_ID]
    assert greedy.scores[0] == pytest.approx(np.log(0.5 * 0.45), abs=1e-5)
    # a beam of 2 keeps "a" (0.4) and finds "a kitten" (0.4 * 0.9 = 0.36)
    beam = beam_search(model, SOURCE, beam_size=2, alpha=0.0)
    assert beam.tokens[0, 0, : beam.lengths[0, 0]].tolist() == [5, 7, END_ID]
    assert beam.scores[0, 0] == pytest.approx(np.log(0.4 * 0.9), abs=1e-5)


def test_beam_search_equals_brute_force_on_the_table():
    model = BigramModel(TABLE)
    words = [4, 5, 6, 7]
    outputs = [
        list(p) + [END_ID]
        for n in range(4)
        for p in itertools.product(words, repeat=n)
    ]
    best = max(outputs, key=log_prob)
    beam = beam_search(model, SOURCE, beam_size=4, alpha=0.0, max_length=4)
    assert beam.tokens[0, 0, : beam.lengths[0, 0]].tolist() == best
    assert beam.scores[0, 0] == pytest.approx(log_prob(best), abs=1e-5)


def test_beam_of_one_is_greedy():
    model = BigramModel(TABLE)
    greedy = greedy_decode(model, SOURCE)
    beam = beam_search(model, SOURCE, beam_size=1, alpha=0.0)
    n = greedy.lengths[0]
    assert beam.tokens[0, 0, :n].tolist() == greedy.tokens[0, :n].tolist()


@pytest.mark.parametrize(
    "probs, message",
    [
        (np.ones((3, 4)) / 4, "square"),
        (-np.eye(3), "non-negative"),
        (np.full((3, 3), 0.5), "sum to 1"),
    ],
)
def test_bad_tables_are_explained(probs, message):
    with pytest.raises(ValueError, match=message):
        BigramModel(probs)
