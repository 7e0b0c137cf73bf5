"""The exercise checkers: right answers pass, wrong or missing ones fail with a clear line."""

import numpy as np
import pytest

from seq2seq_attention import exercises, reference


def not_done(*args):
    raise NotImplementedError


CHECKERS = {
    "stable_softmax": (exercises.check_stable_softmax, lambda e: reference.softmax(e)),
    "masked_softmax": (exercises.check_masked_softmax, lambda e, m: reference.softmax(e, m)),
    "additive_score": (
        exercises.check_additive_score,
        lambda q, h, W1, W2, b, v: reference.additive_scores(q[None], h, W1, W2, b, v)[0],
    ),
    "general_scores": (exercises.check_general_scores, reference.general_scores),
}

WRONG = {
    "stable_softmax": lambda e: np.exp(e) / np.exp(e).sum(-1, keepdims=True),  # overflows
    "masked_softmax": lambda e, m: reference.softmax(np.where(m, e, -1e9)) * 0.999,  # does not sum to 1
    "additive_score": lambda q, h, W1, W2, b, v: np.tanh(h @ W1 + q @ W2) @ v,  # forgets b
    "general_scores": lambda q, h, W: -(q @ W @ h.T),  # sign error
}


@pytest.mark.parametrize("name", CHECKERS)
def test_correct_answer_passes(name, capsys):
    check, good = CHECKERS[name]
    check(good)
    assert capsys.readouterr().out.startswith(f"✔ {name}:")


@pytest.mark.parametrize("name", CHECKERS)
def test_not_implemented_is_reported(name, capsys):
    check, _ = CHECKERS[name]
    check(not_done)
    assert capsys.readouterr().out.startswith(f"✘ {name}: not implemented yet")


@pytest.mark.parametrize("name", CHECKERS)
def test_wrong_answer_fails_with_expected_and_got(name, capsys):
    check, _ = CHECKERS[name]
    check(WRONG[name])
    out = capsys.readouterr().out
    assert out.startswith(f"✘ {name}: wrong") and "expected" in out and "Hint:" in out


def test_missing_return_and_wrong_shape(capsys):
    exercises.check_stable_softmax(lambda e: None)
    assert capsys.readouterr().out.startswith("✘ stable_softmax: your function returned None")
    exercises.check_stable_softmax(lambda e: reference.softmax(e).ravel())
    assert capsys.readouterr().out.startswith("✘ stable_softmax: wrong shape")


def test_other_errors_are_not_hidden():
    with pytest.raises(ZeroDivisionError):
        exercises.check_stable_softmax(lambda e: 1 / 0)
