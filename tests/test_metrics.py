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


# -- Honest evaluation --------------------------------------------------------


class _Echo:
    """A stand-in translator that copies its input (no model needed)."""

    target_config = {"level": "word"}

    def __init__(self):
        self.seen = []

    def translate(self, texts, **options):
        self.seen.extend(texts)
        return [type("T", (), {"text": t})() for t in texts]


def _sorted_by_length(n=2000):
    # Like Tatoeba: the file is sorted by length, so its first rows are the
    # shortest sentences.
    words = [f"w{i}" for i in range(n)]
    return sorted(
        (
            (" ".join(words[: 1 + i % 12]) + f" {i}.", f"t{i}")
            for i in range(n)
        ),
        key=lambda pair: len(pair[0]),
    )


def test_a_limited_evaluation_is_a_random_sample_not_the_shortest():
    from seq2seq_attention.evaluation import evaluate_translator

    pairs = _sorted_by_length()
    echo = _Echo()
    evaluate_translator(echo, pairs, limit=200, seed=0)
    lengths = [len(s.split()) for s, _ in pairs]
    seen = [len(s.split()) for s in echo.seen]
    assert len(seen) == 200
    # The shortest 200 would average about 1.5 words; a random sample is
    # close to the whole corpus' mean.
    assert abs(np.mean(seen) - np.mean(lengths)) < 1.0
    assert echo.seen != [s for s, _ in pairs[:200]]


def test_evaluation_sample_is_seeded():
    from seq2seq_attention.evaluation import sample_sources

    pairs = _sorted_by_length(500)
    assert sample_sources(pairs, 50, seed=1) == sample_sources(pairs, 50, 1)
    assert sample_sources(pairs, 50, seed=1) != sample_sources(pairs, 50, 2)


def test_evaluation_uses_all_references_and_prints_signatures():
    from seq2seq_attention.evaluation import (
        evaluate_translator,
        format_scores,
    )

    pairs = [("Hola.", "Hello."), ("Hola.", "Hola."), ("Adiós.", "Bye.")]
    scores = evaluate_translator(_Echo(), pairs)
    assert scores["sentences"] == 2
    assert scores["references"][0] == ["Hello.", "Hola."]
    assert scores["signature"]["bleu"].startswith("nrefs:var|case:mixed")
    text = format_scores(scores)
    assert "nrefs:var|case:mixed|eff:no|tok:13a" in text
    assert "chrF" in text


def test_bleu_is_cased_and_the_lowercased_score_is_separate():
    from seq2seq_attention.metrics import corpus_bleu

    hypothesis, reference = (
        ["the cat sat on the mat ."],
        ["The cat sat on the mat."],
    )
    assert corpus_bleu(hypothesis, reference) < 100
    assert corpus_bleu(hypothesis, reference, lowercase=True) == pytest.approx(
        100
    )


@pytest.mark.parametrize("smoothing", [0.0, 0.1, 0.3])
def test_label_smoothed_loss_matches_its_formula_on_real_tokens(smoothing):
    """-(1 - e) log p_y - e mean_v log p_v, averaged over non-padding tokens;
    its gradient is the same as the formula's (autodiff of the reference)."""
    import keras
    import tensorflow as tf

    from seq2seq_attention.metrics import MaskedCrossEntropy

    rng = np.random.default_rng(0)
    logits = tf.constant(rng.normal(size=(3, 5, 11)).astype("float32"))
    ids = rng.integers(1, 11, size=(3, 5))
    ids[0, 3:] = 0  # padding
    ids[2, 1:] = 0
    ids = tf.constant(ids)

    def reference(z):
        log_p = tf.nn.log_softmax(z, axis=-1)
        picked = tf.gather(log_p, ids, batch_dims=2)
        token = -(1 - smoothing) * picked - smoothing * tf.reduce_mean(
            log_p, axis=-1
        )
        real = tf.cast(ids != 0, "float32")
        return tf.reduce_sum(token * real) / tf.reduce_sum(real)

    loss = MaskedCrossEntropy(smoothing)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(logits)
        ours, expected = loss(ids, logits), reference(logits)
    np.testing.assert_allclose(float(ours), float(expected), rtol=1e-5)
    np.testing.assert_allclose(
        tape.gradient(ours, logits),
        tape.gradient(expected, logits),
        atol=1e-6,
    )
    if not smoothing:
        keras_loss = keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, ignore_class=0
        )
        assert float(ours) == pytest.approx(float(keras_loss(ids, logits)))
