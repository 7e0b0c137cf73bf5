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
    "encoder_output_shapes": (
        exercises.check_encoder_output_shapes,
        lambda batch, src_len, units, bi, merge: (
            (batch, src_len, 2 * units if bi and merge == "concat" else units),
            (batch, 2 * units if bi and merge == "concat" else units),
        ),
    ),
    "luong_output": (
        exercises.check_luong_output,
        lambda c, o, W_c, W_out, b_out: np.tanh(np.concatenate([c, o], -1) @ W_c) @ W_out + b_out,
    ),
    "bahdanau_step": (exercises.check_bahdanau_step, lambda *args: bahdanau_step(*args)),
    "masked_cross_entropy": (
        exercises.check_masked_cross_entropy,
        lambda l, t: float(-(np.take_along_axis(l - np.log(np.exp(l).sum(-1, keepdims=True)), t[..., None], -1)[..., 0]
                             * (t != 0)).sum() / (t != 0).sum()),
    ),
    "masked_accuracy": (
        exercises.check_masked_accuracy,
        lambda l, t: float(((l.argmax(-1) == t) & (t != 0)).sum() / (t != 0).sum()),
    ),
    "exact_match": (exercises.check_exact_match, lambda h, r: __import__("seq2seq_attention.metrics").metrics.exact_match(h, r)),
    "length_penalty": (exercises.check_length_penalty, lambda n, a: ((5 + np.asarray(n)) / 6) ** a),
    "beam_step": (exercises.check_beam_step, lambda s, lp, k: beam_step(s, lp, k)),
    "top_p_filter": (exercises.check_top_p_filter, lambda p, top_p: top_p_filter(p, top_p)),
    "greedy_decode": (exercises.check_greedy_decode, lambda f, start, end, n: greedy(f, start, end, n)),
}


def beam_step(scores, log_probs, k, add_scores=True):
    candidates = ((scores[:, None] if add_scores else 0) + log_probs).ravel()
    best = np.argsort(-candidates)[:k]
    return best // log_probs.shape[1], best % log_probs.shape[1], (scores[:, None] + log_probs).ravel()[best]


def top_p_filter(probs, p, inclusive=False):
    order = np.argsort(-probs)
    mass = np.cumsum(probs[order]) - (0 if inclusive else probs[order])
    keep = order[mass < p] if not inclusive else order[mass <= p]
    kept = np.zeros_like(probs)
    kept[keep] = probs[keep]
    return kept / kept.sum()


def greedy(next_log_probs, start_id, end_id, max_length, keep_end=True, bounded=True):
    tokens, previous = [], start_id
    while len(tokens) < max_length or not bounded:
        previous = int(np.argmax(next_log_probs(previous)))
        if previous == end_id:
            if keep_end:
                tokens.append(previous)
            break
        tokens.append(previous)
    return np.array(tokens)


def bahdanau_step(embedded, previous_state, keys, mask, attention, cell, query=None):
    query = previous_state if query is None else query
    context, weights = reference.attention(query[None], keys, mask=mask, score="additive", **attention)
    x = np.concatenate([embedded, context[0]])
    return np.tanh(x @ cell["W_x"] + previous_state @ cell["W_s"] + cell["b_s"]), weights[0]

WRONG = {
    "stable_softmax": lambda e: np.exp(e) / np.exp(e).sum(-1, keepdims=True),  # overflows
    "masked_softmax": lambda e, m: reference.softmax(np.where(m, e, -1e9)) * 0.999,  # does not sum to 1
    "additive_score": lambda q, h, W1, W2, b, v: np.tanh(h @ W1 + q @ W2) @ v,  # forgets b
    "general_scores": lambda q, h, W: -(q @ W @ h.T),  # sign error
    "encoder_output_shapes": lambda batch, src_len, units, bi, merge: (  # forgets concat
        (batch, src_len, units), (batch, units)),
    "luong_output": lambda c, o, W_c, W_out, b_out:  # [o; c] instead of [c; o]
        np.tanh(np.concatenate([o, c], -1) @ W_c) @ W_out + b_out,
    "bahdanau_step": lambda e, s, h, m, a, cell: bahdanau_step(e, s, h, np.ones_like(m), a, cell),  # no mask
    "masked_cross_entropy": lambda l, t: float(-(l - np.log(np.exp(l).sum(-1, keepdims=True))).max(-1).mean()),  # padding counted
    "masked_accuracy": lambda l, t: float((l.argmax(-1) == t).mean()),  # padding counted
    "exact_match": lambda h, r: sum(x in refs for x, refs in zip(h, r)) / len(h),  # no strip
    "length_penalty": lambda n, a: (np.asarray(n) / 6) ** a,  # forgets the 5
    "beam_step": lambda s, lp, k: beam_step(s, lp, k, add_scores=False),  # ranks by the last token only
    "top_p_filter": lambda p, top_p: top_p_filter(p, top_p, inclusive=True),  # drops the token crossing p
    "greedy_decode": lambda f, start, end, n: greedy(f, start, end, n, keep_end=False),  # drops [END]
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


def test_bahdanau_step_must_query_with_the_previous_state(capsys):
    def wrong(embedded, previous_state, keys, mask, attention, cell):
        new_state, _ = bahdanau_step(embedded, previous_state, keys, mask, attention, cell)
        return bahdanau_step(embedded, previous_state, keys, mask, attention, cell, query=new_state)

    exercises.check_bahdanau_step(wrong)
    assert capsys.readouterr().out.startswith("✘ bahdanau_step: wrong state values")


def test_luong_output_reference_is_the_package_decoder():
    """The checker's expected logits come from LuongDecoder; they agree with the formula."""
    from seq2seq_attention.models import LuongDecoder

    rng = np.random.default_rng(0)
    c, o = rng.normal(size=(2, 3, 4)).astype("float32"), rng.normal(size=(2, 3, 4)).astype("float32")
    decoder = LuongDecoder(vocab_size=5, embedding_dim=2, units=4, attention="dot")
    W_c, (W_out, b_out) = decoder.combine.get_weights()[0], decoder.output_layer.get_weights()
    expected = CHECKERS["luong_output"][1](c, o, W_c, W_out, b_out)
    np.testing.assert_allclose(np.asarray(decoder._logits(c, o)), expected, atol=1e-5)


def test_encoder_output_shapes_agree_with_the_package_encoder():
    from seq2seq_attention.models import Encoder

    states, final, _ = Encoder(vocab_size=9, embedding_dim=3, units=5)(np.array([[4, 5, 0], [6, 0, 0]]))
    assert (tuple(states.shape), tuple(final[0].shape)) == CHECKERS["encoder_output_shapes"][1](2, 3, 5, True, "sum")


def test_wrong_number_of_outputs_is_reported(capsys):
    exercises.check_bahdanau_step(lambda *args: bahdanau_step(*args)[0])
    assert capsys.readouterr().out.startswith("✘ bahdanau_step: wrong result")
    exercises.check_encoder_output_shapes(lambda *args: (1, 2, 3))
    assert capsys.readouterr().out.startswith("✘ encoder_output_shapes: wrong shapes")


def test_greedy_decode_that_never_stops_is_reported(capsys):
    exercises.check_greedy_decode(lambda f, start, end, n: greedy(f, start, end, n, bounded=False))
    out = capsys.readouterr().out
    assert out.startswith("✘ greedy_decode:") and "does not stop" in out and "max_length" in out


def test_decoding_references_agree_with_the_package():
    """The beam step's reference matches beam_search's candidates; the nucleus matches sample_decode's filter."""
    import tensorflow as tf

    from seq2seq_attention.decoding import _filter_logits

    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(9), size=4)
    for p in (0.3, 0.8, 0.95):
        kept = _filter_logits(tf.constant(np.log(probs), tf.float32), tf.constant(9), tf.constant(p)).numpy()
        package = tf.nn.softmax(kept).numpy()
        np.testing.assert_allclose(np.stack([exercises._top_p(row, p) for row in probs]), package, atol=1e-5)
    scores, log_probs = np.array([-0.5, -1.0]), np.log(rng.dirichlet(np.ones(5), size=2))
    parents, tokens, best = exercises._beam_step(scores, log_probs, 4)
    np.testing.assert_allclose(best, scores[parents] + log_probs[parents, tokens])
    assert np.all(np.diff(best) <= 0)
