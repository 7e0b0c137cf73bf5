"""alignment: expected source positions, pointing accuracy and attention
entropy."""

import numpy as np
import pytest

from seq2seq_attention import alignment, tasks


@pytest.mark.parametrize("task", ["copy", "reverse", "sort"])
def test_source_positions_rebuild_the_target(task):
    for source, target in tasks.generate(
        task, 50, min_length=1, max_length=12, seed=0, alphabet="abc"
    ):
        positions = alignment.source_positions(task, source)
        assert sorted(positions) == list(range(len(source)))  # a permutation
        assert "".join(source[i] for i in positions) == target


def test_sort_positions_are_stable():
    assert alignment.source_positions("sort", "bab") == [1, 0, 2]
    assert alignment.source_positions("sort", "") == []


def test_unknown_task_is_refused():
    with pytest.raises(ValueError, match="shuffle"):
        alignment.source_positions("shuffle", "ab")


def test_pointing_accuracy_of_a_perfect_reversal_map():
    source = ["[START]", "a", "b", "c", "[END]"]
    target = ["c", "b", "a", "[END]"]
    weights = np.zeros((4, 5))
    weights[[0, 1, 2, 3], [3, 2, 1, 4]] = 1.0
    # the [END] row is not counted
    assert alignment.pointing_accuracy(weights, source, target) == 1.0
    assert alignment.pointing_accuracy(
        weights[:, ::-1], source, target
    ) == pytest.approx(1 / 3)  # only "b" hits


def test_pointing_accuracy_accepts_either_copy_of_a_repeated_token():
    weights = np.array([[0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    assert (
        alignment.pointing_accuracy(weights, ["x", "a", "a"], ["a", "a"])
        == 1.0
    )


def test_pointing_accuracy_checks_shapes_and_handles_no_tokens():
    with pytest.raises(ValueError, match="source tokens"):
        alignment.pointing_accuracy(np.ones((1, 3)) / 3, ["a", "b"], ["a"])
    with pytest.raises(ValueError, match="shape"):
        alignment.pointing_accuracy(np.ones(3), ["a", "b", "c"], ["a"])
    assert np.isnan(
        alignment.pointing_accuracy(np.ones((1, 2)) / 2, ["a", "b"], ["[END]"])
    )


def test_attention_entropy_bounds():
    rng = np.random.default_rng(0)
    weights = rng.dirichlet(np.ones(6), size=4)
    entropy = alignment.attention_entropy(weights)
    assert entropy.shape == (4,)
    assert np.all(entropy >= 0) and np.all(entropy <= np.log(6) + 1e-12)
    assert alignment.attention_entropy(np.full(6, 1 / 6)) == pytest.approx(
        np.log(6)
    )
    assert alignment.attention_entropy(np.eye(3)).tolist() == [0.0, 0.0, 0.0]


def test_attention_entropy_refuses_bad_input():
    with pytest.raises(ValueError, match="non-negative"):
        alignment.attention_entropy(np.array([1.5, -0.5]))
    with pytest.raises(ValueError, match="1-D or 2-D"):
        alignment.attention_entropy(np.ones((2, 2, 2)))
