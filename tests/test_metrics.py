"""Training metrics ignore padding; evaluation metrics agree with sacreBLEU."""

import numpy as np
import pytest
import sacrebleu

from seq2seq_attention.metrics import (
    MaskedTokenAccuracy,
    corpus_bleu,
    corpus_chrf,
    exact_match,
    masked_loss,
)


def test_masked_loss_ignores_padding_whatever_its_logits():
    y = np.array([[3, 2, 0, 0]])
    logits = np.random.default_rng(0).normal(size=(1, 4, 5)).astype("float32")
    changed = logits.copy()
    # garbage at padding
    changed[0, 2:] = 100.0 * np.random.default_rng(1).normal(size=(2, 5))
    assert float(masked_loss()(y, logits)) == pytest.approx(
        float(masked_loss()(y, changed)), rel=1e-6
    )
    log_probs = logits[0] - np.log(np.exp(logits[0]).sum(-1, keepdims=True))
    # mean over the two real tokens
    expected = -(log_probs[0, 3] + log_probs[1, 2]) / 2
    assert float(masked_loss()(y, logits)) == pytest.approx(expected, rel=1e-5)


def test_masked_accuracy_counts_real_tokens_only_and_resets():
    metric = MaskedTokenAccuracy()
    logits = np.eye(4)[None, [1, 2, 3, 3]]  # predicts 1, 2, 3, 3
    metric.update_state(np.array([[1, 2, 0, 0]]), logits)
    assert float(metric.result()) == 1.0
    metric.update_state(np.array([[1, 1, 1, 0]]), logits)
    assert float(metric.result()) == pytest.approx(3 / 5)
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_bleu_and_chrf_agree_with_sacrebleu():
    hypotheses = [
        "el gato está en la mesa",
        "tengo hambre",
        "¿dónde está el baño?",
    ]
    references = [
        "el gato está sobre la mesa",
        "tengo mucha hambre",
        "¿dónde está el baño?",
    ]
    assert corpus_bleu(hypotheses, references) == pytest.approx(
        sacrebleu.corpus_bleu(hypotheses, [references]).score
    )
    assert corpus_chrf(hypotheses, references) == pytest.approx(
        sacrebleu.corpus_chrf(hypotheses, [references]).score
    )


def test_several_references_per_sentence():
    hypotheses = [
        "el gato negro duerme en la cama grande",
        "tengo mucha hambre esta noche",
    ]
    one = corpus_bleu(
        hypotheses,
        [
            ["el gato negro duerme sobre la cama"],
            ["tengo mucha hambre esta noche"],
        ],
    )
    two = corpus_bleu(
        hypotheses,
        [
            [
                "el gato negro duerme sobre la cama",
                "el gato negro duerme en la cama grande",
            ],
            ["tengo mucha hambre esta noche"],
        ],
    )
    assert 0 < one < two == pytest.approx(100.0)


@pytest.mark.parametrize("metric", [corpus_bleu, corpus_chrf, exact_match])
def test_mismatched_lengths_are_refused(metric):
    with pytest.raises(ValueError, match="got 2 hypotheses but 1 references"):
        metric(["a", "b"], ["a"])
    with pytest.raises(TypeError, match="list of strings, not one string"):
        metric("a b", ["a b"])


def test_exact_match():
    assert (
        exact_match(
            [" 2015-03-03", "2015-03-04"],
            ["2015-03-03 ", ["2015-03-05", "2015-03-04"]],
        )
        == 1.0
    )
    with pytest.raises(ValueError, match="at least one"):
        exact_match([], [])
