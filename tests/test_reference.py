"""The numpy reference against a literal, loop-by-loop reading of the
formulas."""

import numpy as np
import pytest

from seq2seq_attention import reference


def additive_by_the_formula(q, h, W1_math, W2_math, b, v):
    """e[t, s] = v^T tanh(W1 h_s + W2 q_t + b), one (t, s) pair at a time."""
    T, S = q.shape[0], h.shape[0]
    e = np.zeros((T, S))
    for t in range(T):
        for s in range(S):
            e[t, s] = v @ np.tanh(W1_math @ h[s] + W2_math @ q[t] + b)
    return e


def test_additive_scores_match_the_formula():
    rng = np.random.default_rng(0)
    q, h = rng.normal(size=(3, 2)), rng.normal(size=(5, 4))
    # (units, d_h), (units, d_q)
    W1_math, W2_math = (
        rng.normal(size=(6, 4)),
        rng.normal(size=(6, 2)),
    )
    b, v = rng.normal(size=6), rng.normal(size=6)
    # The package stores weights as Keras does, (inputs, outputs): the
    # transposes.
    got = reference.additive_scores(q, h, W1_math.T, W2_math.T, b, v)
    np.testing.assert_allclose(
        got, additive_by_the_formula(q, h, W1_math, W2_math, b, v), rtol=1e-12
    )


def test_additive_scores_broadcast_over_batch_axes():
    rng = np.random.default_rng(1)
    q, h = rng.normal(size=(2, 3, 2)), rng.normal(size=(2, 5, 4))
    W1, W2, b, v = (
        rng.normal(size=(4, 6)),
        rng.normal(size=(2, 6)),
        rng.normal(size=6),
        rng.normal(size=6),
    )
    batched = reference.additive_scores(q, h, W1, W2, b, v)
    assert batched.shape == (2, 3, 5)
    for i in range(2):
        np.testing.assert_allclose(
            batched[i], reference.additive_scores(q[i], h[i], W1, W2, b, v)
        )


def test_softmax_by_the_formula_and_sums_to_one():
    e = np.array([[0.5, -1.0, 2.0], [3.0, 3.0, 3.0]])
    expected = np.exp(e) / np.exp(e).sum(-1, keepdims=True)
    np.testing.assert_allclose(reference.softmax(e), expected, rtol=1e-12)
    np.testing.assert_allclose(reference.softmax(e).sum(-1), 1.0)


@pytest.mark.parametrize("shift", [1000.0, -1000.0, 1e6])
def test_softmax_is_stable_and_shift_invariant(shift):
    e = np.array([0.0, 1.0, 2.0])
    with np.errstate(all="raise"):  # any overflow would raise here
        np.testing.assert_allclose(
            reference.softmax(e + shift), reference.softmax(e), rtol=1e-9
        )


def test_softmax_mask_gives_exact_zero_and_renormalises():
    e = np.array([1.0, 50.0, 2.0])
    w = reference.softmax(e, mask=np.array([True, False, True]))
    assert w[1] == 0.0
    np.testing.assert_allclose(
        w[[0, 2]], reference.softmax(np.array([1.0, 2.0]))
    )


def test_softmax_fully_masked_row_is_zero():
    w = reference.softmax(
        np.array([[1.0, 2.0], [3.0, 4.0]]),
        mask=np.array([[False, False], [True, True]]),
    )
    np.testing.assert_array_equal(w[0], [0.0, 0.0])
    np.testing.assert_allclose(w[1].sum(), 1.0)


def test_context_is_the_weighted_sum_over_source_positions():
    rng = np.random.default_rng(2)
    w = reference.softmax(rng.normal(size=(3, 4)))  # (T, S)
    h = rng.normal(size=(4, 5))  # (S, d)
    by_sum = np.array(
        [sum(w[t, s] * h[s] for s in range(4)) for t in range(3)]
    )
    np.testing.assert_allclose(reference.context(w, h), by_sum)


def test_dot_general_and_scaled_dot_relations():
    rng = np.random.default_rng(3)
    q, h = rng.normal(size=(3, 8)), rng.normal(size=(5, 8))
    np.testing.assert_allclose(
        reference.general_scores(q, h, np.eye(8)), reference.dot_scores(q, h)
    )
    np.testing.assert_allclose(
        reference.scaled_dot_scores(q, h),
        reference.dot_scores(q, h) / np.sqrt(8),
    )
    W = rng.normal(size=(8, 8))
    expected = np.array(
        [[q[t] @ W @ h[s] for s in range(5)] for t in range(3)]
    )
    np.testing.assert_allclose(reference.general_scores(q, h, W), expected)


def test_attention_defaults_values_to_keys_and_rejects_unknown_scores():
    rng = np.random.default_rng(4)
    q, h = rng.normal(size=(2, 4)), rng.normal(size=(3, 4))
    context, weights = reference.attention(q, h, score="dot")
    np.testing.assert_allclose(context, weights @ h)
    with pytest.raises(ValueError, match="score must be one of"):
        reference.attention(q, h, score="cosine")
