"""The exercise checkers: right answers pass, wrong or missing ones fail with a
clear line."""

import itertools

import numpy as np
import pytest

from seq2seq_attention import alignment, exercises, reference


def not_done(*args):
    raise NotImplementedError


def position_table(J, d, first=1):
    j = np.arange(first, J + first)[:, None] / J
    k = np.arange(1, d + 1)[None, :] / d
    return (1 - j) - k * (1 - 2 * j)


def extended(source, target, vocabulary, copy_target=True):
    known = {w: i + 4 for i, w in enumerate(vocabulary)}
    extra = {}
    for w in source:
        if w not in known and w not in extra:
            extra[w] = len(known) + 4 + len(extra)
    copyable = extra if copy_target else {}
    return (
        [known.get(w, extra.get(w, 1)) for w in source],
        [known.get(w, copyable.get(w, 1)) for w in target],
    )


def final_distribution(p_vocab, attention, ids, p_gen, n_oovs, add_at=True):
    p = np.concatenate([p_gen * p_vocab, np.zeros(n_oovs)])
    if add_at:
        np.add.at(p, ids, (1 - p_gen) * attention)
    else:
        p[ids] += (1 - p_gen) * attention
    return p


CHECKERS = {
    "stable_softmax": (
        exercises.check_stable_softmax,
        lambda e: reference.softmax(e),
    ),
    "masked_softmax": (
        exercises.check_masked_softmax,
        lambda e, m: reference.softmax(e, m),
    ),
    "additive_score": (
        exercises.check_additive_score,
        lambda q, h, W1, W2, b, v: reference.additive_scores(
            q[None], h, W1, W2, b, v
        )[0],
    ),
    "general_scores": (
        exercises.check_general_scores,
        reference.general_scores,
    ),
    "encoder_output_shapes": (
        exercises.check_encoder_output_shapes,
        lambda batch, src_len, units, bi, merge: (
            (batch, src_len, 2 * units if bi and merge == "concat" else units),
            (batch, 2 * units if bi and merge == "concat" else units),
        ),
    ),
    "luong_output": (
        exercises.check_luong_output,
        lambda c, o, W_c, W_out, b_out: (
            np.tanh(np.concatenate([c, o], -1) @ W_c) @ W_out + b_out
        ),
    ),
    "bahdanau_step": (
        exercises.check_bahdanau_step,
        lambda *args: bahdanau_step(*args),
    ),
    "masked_cross_entropy": (
        exercises.check_masked_cross_entropy,
        lambda logits, t: float(
            -(
                np.take_along_axis(
                    logits - np.log(np.exp(logits).sum(-1, keepdims=True)),
                    t[..., None],
                    -1,
                )[..., 0]
                * (t != 0)
            ).sum()
            / (t != 0).sum()
        ),
    ),
    "masked_accuracy": (
        exercises.check_masked_accuracy,
        lambda logits, t: float(
            ((logits.argmax(-1) == t) & (t != 0)).sum() / (t != 0).sum()
        ),
    ),
    "exact_match": (
        exercises.check_exact_match,
        lambda h, r: __import__(
            "seq2seq_attention.metrics"
        ).metrics.exact_match(h, r),
    ),
    "length_penalty": (
        exercises.check_length_penalty,
        lambda n, a: ((5 + np.asarray(n)) / 6) ** a,
    ),
    "beam_step": (
        exercises.check_beam_step,
        lambda s, lp, k: beam_step(s, lp, k),
    ),
    "top_p_filter": (
        exercises.check_top_p_filter,
        lambda p, top_p: top_p_filter(p, top_p),
    ),
    "greedy_decode": (
        exercises.check_greedy_decode,
        lambda f, start, end, n: greedy(f, start, end, n),
    ),
    "oov_rate": (
        exercises.check_oov_rate,
        lambda tokens, vocab: (
            sum(t not in vocab for t in tokens) / len(tokens)
        ),
    ),
    "grow_output_layer": (
        exercises.check_grow_output_layer,
        lambda *args: exercises.finetuning._grow_output_layer(*args),
    ),
    "warmup_cosine": (
        exercises.check_warmup_cosine,
        lambda *args: warmup_cosine(*args),
    ),
    # The background chapter (01_background)
    "fixed_vector": (
        exercises.check_fixed_vector,
        lambda *args: rnn_final_state(*args),
    ),
    "reverse_alignment": (
        exercises.check_reverse_alignment,
        lambda n: np.eye(n)[::-1],
    ),
    "exact_match_by_length": (
        exercises.check_exact_match_by_length,
        lambda *args: exact_match_by_length(*args),
    ),
    # The FAQ chapter (09_faq)
    "quadratic_fit": (
        exercises.check_quadratic_fit,
        lambda n, t: tuple(np.polyfit(n, t, 2)),
    ),
    "padding_mask": (
        exercises.check_padding_mask,
        lambda lengths, n: np.arange(n)[None] < np.asarray(lengths)[:, None],
    ),
    "local_mask": (
        exercises.check_local_mask,
        lambda n, w: (
            np.abs(np.subtract.outer(np.arange(n), np.arange(n))) <= w
        ),
    ),
    "soft_lookup": (
        exercises.check_soft_lookup,
        lambda q, k, v, T: soft_lookup(q, k, v, T),
    ),
    "sequence_log_prob": (
        exercises.check_sequence_log_prob,
        lambda lp, y, s: sequence_log_prob(lp, y, s),
    ),
    "best_sequence": (
        exercises.check_best_sequence,
        lambda lp, s, e, n: best_sequence(lp, s, e, n),
    ),
    "decoder_step_shapes": (
        exercises.check_decoder_step_shapes,
        lambda *args: decoder_step_shapes(*args),
    ),
    "luong_step": (
        exercises.check_luong_step,
        lambda *args: luong_step(*args),
    ),
    "next_token": (
        exercises.check_next_token,
        lambda logits, t, n: next_token(logits, t, n),
    ),
    # The applications chapter (06_applications)
    "sort_positions": (
        exercises.check_sort_positions,
        lambda s: sorted(range(len(s)), key=lambda i: (s[i], i)),
    ),
    "pointing_accuracy": (
        exercises.check_pointing_accuracy,
        lambda *args: alignment.pointing_accuracy(*args),
    ),
    "attention_entropy": (
        exercises.check_attention_entropy,
        lambda w: alignment.attention_entropy(w),
    ),
    "position_encoding": (
        exercises.check_position_encoding,
        lambda J, d: position_table(J, d),
    ),
    "extend_ids": (
        exercises.check_extend_ids,
        lambda s, t, v: extended(s, t, v),
    ),
    "final_distribution": (
        exercises.check_final_distribution,
        lambda *args: final_distribution(*args),
    ),
    # The tools chapter (07_tools)
    "clipped_precision": (
        exercises.check_clipped_precision,
        lambda h, r, n: exercises.tools._clipped_precision(h, r, n),
    ),
    "brevity_penalty": (
        exercises.check_brevity_penalty,
        lambda c, r: sacrebleu_brevity_penalty(c, r),
    ),
    "signature_differences": (
        exercises.check_signature_differences,
        lambda a, b: exercises.tools._signature_differences(a, b),
    ),
    # The future directions chapter (08_future)
    "split_heads": (
        exercises.check_split_heads,
        lambda x, h: x.reshape(x.shape[0], x.shape[1], h, -1).transpose(
            0, 2, 1, 3
        ),
    ),
    "sinusoidal_encoding": (
        exercises.check_sinusoidal_encoding,
        lambda n, d: sinusoidal(n, d),
    ),
    "causal_attention": (
        exercises.check_causal_attention,
        lambda q, k, v: causal_attention(q, k, v),
    ),
}


def sinusoidal(length, depth, two_i=True):
    i = np.arange(0, depth, 2) if two_i else np.arange(depth // 2)
    angles = np.arange(length)[:, None] / 10000 ** (i / depth)
    return np.stack([np.sin(angles), np.cos(angles)], axis=-1).reshape(
        length, depth
    )


def causal_attention(q, k, v, mask_first=True):
    scores = q @ k.T / np.sqrt(k.shape[-1])
    future = ~np.tril(np.ones(scores.shape, bool))
    if mask_first:
        scores = np.where(future, -np.inf, scores)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights = weights / weights.sum(-1, keepdims=True)
    if not mask_first:
        weights = np.where(future, 0.0, weights)
    return weights @ v, weights


def sacrebleu_brevity_penalty(c, r):
    """sacreBLEU's own brevity penalty: the checker must agree with the tool
    the course uses."""
    from sacrebleu.metrics.bleu import BLEU

    return BLEU.compute_bleu([1] * 4, [1] * 4, c, r).bp


def soft_lookup(query, keys, values, temperature, stable=True):
    scaled = keys @ query / temperature
    exp = np.exp(scaled - (scaled.max() if stable else 0))
    weights = exp / exp.sum()
    return weights @ values, weights


def sequence_log_prob(log_probs, tokens, start_id, with_start=True):
    pairs = (
        zip([start_id] + list(tokens[:-1]), tokens)
        if with_start
        else zip(tokens[:-1], tokens[1:])
    )
    return float(sum(log_probs[a, b] for a, b in pairs))


def best_sequence(log_probs, start_id, end_id, max_length, exhaustive=True):
    if not exhaustive:  # greedy decoding
        tokens, previous = [], start_id
        while len(tokens) < max_length:
            allowed = log_probs[previous].copy()
            allowed[start_id] = -np.inf
            if len(tokens) + 1 == max_length:
                return np.array(tokens + [end_id])
            previous = int(np.argmax(allowed))
            tokens.append(previous)
            if previous == end_id:
                break
        return np.array(tokens)
    words = [w for w in range(len(log_probs)) if w not in (start_id, end_id)]
    candidates = [
        list(p) + [end_id]
        for n in range(max_length)
        for p in itertools.product(words, repeat=n)
    ]
    return np.array(
        max(
            candidates, key=lambda y: sequence_log_prob(log_probs, y, start_id)
        )
    )


def decoder_step_shapes(
    batch, src_len, embedding_dim, units, vocab, decoder, with_context=True
):
    extra = units if decoder == "bahdanau" and with_context else 0
    return {
        "rnn_input": (batch, embedding_dim + extra),
        "state": (batch, units),
        "weights": (batch, src_len),
        "context": (batch, units),
        "combine_input": (batch, 2 * units),
        "logits": (batch, vocab),
    }


def luong_step(
    previous_id, state, keys, mask, weights, query_with_new_state=True
):
    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    gru, att = weights["gru"], weights["attention"]
    x_z, x_r, x_h = np.split(
        weights["embedding"][previous_id] @ gru["kernel"] + gru["bias"][0], 3
    )
    h_z, h_r, h_h = np.split(
        state @ gru["recurrent_kernel"] + gru["bias"][1], 3
    )
    z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
    new_state = z * state + (1 - z) * np.tanh(x_h + r * h_h)
    query = new_state if query_with_new_state else state
    attention = reference.softmax(
        reference.additive_scores(query[None], keys, **att)[0], mask
    )
    combined = np.tanh(
        np.concatenate([attention @ keys, new_state]) @ weights["W_c"]
    )
    return combined @ weights["W_out"] + weights["b_out"], new_state, attention


def next_token(logits, step, limit, rules=True):
    allowed = np.array(logits, dtype=float)
    if rules:
        allowed[[0, 2]] = -np.inf
        if step + 1 >= limit:
            return 3
    return int(np.argmax(allowed))


def rnn_final_state(embedded, W_x, W_h, b, last=True):
    states = [np.zeros(W_h.shape[0])]
    for x in embedded:
        states.append(np.tanh(x @ W_x + states[-1] @ W_h + b))
    return states[-1] if last else states[1]


def exact_match_by_length(
    sources, hypotheses, references, edges, empty=np.nan
):
    lengths = np.array([len(s) for s in sources])
    right = np.array([h == r for h, r in zip(hypotheses, references)], float)
    return np.array(
        [
            right[(lengths >= lo) & (lengths < hi)].mean()
            if ((lengths >= lo) & (lengths < hi)).any()
            else empty
            for lo, hi in zip(edges[:-1], edges[1:])
        ]
    )


def beam_step(scores, log_probs, k, add_scores=True):
    candidates = ((scores[:, None] if add_scores else 0) + log_probs).ravel()
    best = np.argsort(-candidates)[:k]
    return (
        best // log_probs.shape[1],
        best % log_probs.shape[1],
        (scores[:, None] + log_probs).ravel()[best],
    )


def top_p_filter(probs, p, inclusive=False):
    order = np.argsort(-probs)
    mass = np.cumsum(probs[order]) - (0 if inclusive else probs[order])
    keep = order[mass < p] if not inclusive else order[mass <= p]
    kept = np.zeros_like(probs)
    kept[keep] = probs[keep]
    return kept / kept.sum()


def greedy(
    next_log_probs, start_id, end_id, max_length, keep_end=True, bounded=True
):
    tokens, previous = [], start_id
    while len(tokens) < max_length or not bounded:
        previous = int(np.argmax(next_log_probs(previous)))
        if previous == end_id:
            if keep_end:
                tokens.append(previous)
            break
        tokens.append(previous)
    return np.array(tokens)


def warmup_cosine(step, peak, total, warmup):
    if step < warmup:
        return peak * step / warmup
    progress = min((step - warmup) / (total - warmup), 1.0)
    return peak * 0.5 * (1 + np.cos(np.pi * progress))


def bahdanau_step(
    embedded, previous_state, keys, mask, attention, cell, query=None
):
    query = previous_state if query is None else query
    context, weights = reference.attention(
        query[None], keys, mask=mask, score="additive", **attention
    )
    x = np.concatenate([embedded, context[0]])
    return np.tanh(
        x @ cell["W_x"] + previous_state @ cell["W_s"] + cell["b_s"]
    ), weights[0]


WRONG = {
    # overflows
    "stable_softmax": lambda e: np.exp(e) / np.exp(e).sum(-1, keepdims=True),
    # does not sum to 1
    "masked_softmax": lambda e, m: (
        reference.softmax(np.where(m, e, -1e9)) * 0.999
    ),
    # forgets b
    "additive_score": lambda q, h, W1, W2, b, v: np.tanh(h @ W1 + q @ W2) @ v,
    "general_scores": lambda q, h, W: -(q @ W @ h.T),  # sign error
    # forgets concat
    "encoder_output_shapes": lambda batch, src_len, units, bi, merge: (
        (batch, src_len, units),
        (batch, units),
    ),
    # [o; c] instead of [c; o]
    "luong_output": lambda c, o, W_c, W_out, b_out: (
        np.tanh(np.concatenate([o, c], -1) @ W_c) @ W_out + b_out
    ),
    # no mask
    "bahdanau_step": lambda e, s, h, m, a, cell: bahdanau_step(
        e, s, h, np.ones_like(m), a, cell
    ),
    # padding counted
    "masked_cross_entropy": lambda logits, t: float(
        -(logits - np.log(np.exp(logits).sum(-1, keepdims=True)))
        .max(-1)
        .mean()
    ),
    # padding counted
    "masked_accuracy": lambda logits, t: float(
        (logits.argmax(-1) == t).mean()
    ),
    # no strip
    "exact_match": lambda h, r: (
        sum(x in refs for x, refs in zip(h, r)) / len(h)
    ),
    "length_penalty": lambda n, a: (np.asarray(n) / 6) ** a,  # forgets the 5
    # ranks by the last token only
    "beam_step": lambda s, lp, k: beam_step(s, lp, k, add_scores=False),
    # drops the token crossing p
    "top_p_filter": lambda p, top_p: top_p_filter(p, top_p, inclusive=True),
    # drops [END]
    "greedy_decode": lambda f, start, end, n: greedy(
        f, start, end, n, keep_end=False
    ),
    # distinct tokens
    "oov_rate": lambda tokens, vocab: (
        len(set(tokens) - set(vocab)) / len(set(tokens))
    ),
    # copies [UNK] but does not share its probability
    "grow_output_layer": lambda kernel, bias, unk, k: (
        np.concatenate([kernel, np.repeat(kernel[:, unk : unk + 1], k, 1)], 1),
        np.concatenate([bias, np.full(k, bias[unk])]),
    ),
    # no warm-up
    "warmup_cosine": lambda step, peak, total, warmup: warmup_cosine(
        step, peak, total, 0
    ),
    # returns the first state
    "fixed_vector": lambda *args: rnn_final_state(*args, last=False),
    "reverse_alignment": lambda n: np.eye(n),  # copies instead of reversing
    # 0 for an empty range
    "exact_match_by_length": lambda *args: exact_match_by_length(
        *args, empty=0.0
    ),
    # (c, b, a)
    "quadratic_fit": lambda n, t: tuple(np.polyfit(n, t, 2))[::-1],
    # one too many
    "padding_mask": lambda lengths, n: (
        np.arange(n)[None] <= np.asarray(lengths)[:, None]
    ),
    # excludes the edge
    "local_mask": lambda n, w: (
        np.abs(np.subtract.outer(np.arange(n), np.arange(n))) < w
    ),
    # overflows at a low temperature
    "soft_lookup": lambda q, k, v, T: soft_lookup(q, k, v, T, stable=False),
    # skips the first token
    "sequence_log_prob": lambda lp, y, s: sequence_log_prob(
        lp, y, s, with_start=False
    ),
    # greedy
    "best_sequence": lambda lp, s, e, n: best_sequence(
        lp, s, e, n, exhaustive=False
    ),
    # Bahdanau reads no context
    "decoder_step_shapes": lambda *args: decoder_step_shapes(
        *args, with_context=False
    ),
    # attends with the old state
    "luong_step": lambda *args: luong_step(*args, query_with_new_state=False),
    # may choose padding
    "next_token": lambda logits, t, n: next_token(logits, t, n, rules=False),
    # not stable
    "sort_positions": lambda s: sorted(
        range(len(s)), key=lambda i: (s[i], -i)
    ),
    # counts [END]
    "pointing_accuracy": lambda w, src, tgt: float(
        np.mean([src[int(np.argmax(r))] == t for r, t in zip(w, tgt)])
    ),
    # nan for zero weights
    "attention_entropy": lambda w: -(w * np.log(w)).sum(-1),
    # counts words from 0
    "position_encoding": lambda J, d: position_table(J, d, first=0),
    # never copies into the target
    "extend_ids": lambda s, t, v: extended(s, t, v, copy_target=False),
    # p[ids] += ...: a repeated word gets one weight, not both
    "final_distribution": lambda *args: final_distribution(
        *args, add_at=False
    ),
    "clipped_precision": lambda h, r, n: (  # not clipped
        sum(
            tuple(h[i : i + n])
            in {tuple(r[j : j + n]) for j in range(len(r) - n + 1)}
            for i in range(len(h) - n + 1)
        ),
        max(len(h) - n + 1, 0),
    ),
    # c / r instead of r / c
    "brevity_penalty": lambda c, r: 1.0 if c > r else float(np.exp(1 - c / r)),
    # does not read the fields
    "signature_differences": lambda a, b: [] if a == b else ["all"],
    # no transpose: mixes positions
    "split_heads": lambda x, h: x.reshape(x.shape[0], h, x.shape[1], -1),
    # exponent i / depth, not 2i / depth
    "sinusoidal_encoding": lambda n, d: sinusoidal(n, d, two_i=False),
    # masks after the softmax
    "causal_attention": lambda q, k, v: causal_attention(
        q, k, v, mask_first=False
    ),
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
    assert (
        out.startswith(f"✘ {name}: wrong")
        and "expected" in out
        and "Hint:" in out
    )


def test_missing_return_and_wrong_shape(capsys):
    exercises.check_stable_softmax(lambda e: None)
    assert capsys.readouterr().out.startswith(
        "✘ stable_softmax: your function returned None"
    )
    exercises.check_stable_softmax(lambda e: reference.softmax(e).ravel())
    assert capsys.readouterr().out.startswith("✘ stable_softmax: wrong shape")


def test_other_errors_are_not_hidden():
    with pytest.raises(ZeroDivisionError):
        exercises.check_stable_softmax(lambda e: 1 / 0)


def test_bahdanau_step_must_query_with_the_previous_state(capsys):
    def wrong(embedded, previous_state, keys, mask, attention, cell):
        new_state, _ = bahdanau_step(
            embedded, previous_state, keys, mask, attention, cell
        )
        return bahdanau_step(
            embedded,
            previous_state,
            keys,
            mask,
            attention,
            cell,
            query=new_state,
        )

    exercises.check_bahdanau_step(wrong)
    assert capsys.readouterr().out.startswith(
        "✘ bahdanau_step: wrong state values"
    )


def test_luong_output_reference_is_the_package_decoder():
    """The checker's expected logits come from LuongDecoder; they agree with
    the formula."""
    from seq2seq_attention.models import LuongDecoder

    rng = np.random.default_rng(0)
    c, o = (
        rng.normal(size=(2, 3, 4)).astype("float32"),
        rng.normal(size=(2, 3, 4)).astype("float32"),
    )
    decoder = LuongDecoder(  # the textbook head: tanh(W_c [c; o])
        vocab_size=5,
        embedding_dim=2,
        units=4,
        attention="dot",
        combine="tanh",
    )
    W_c, (W_out, b_out) = (
        decoder.combine.get_weights()[0],
        decoder.output_layer.get_weights(),
    )
    expected = CHECKERS["luong_output"][1](c, o, W_c, W_out, b_out)
    np.testing.assert_allclose(
        np.asarray(decoder.head(o, c)), expected, atol=1e-5
    )


def test_encoder_output_shapes_agree_with_the_package_encoder():
    from seq2seq_attention.models import Encoder

    states, final, _ = Encoder(vocab_size=9, embedding_dim=3, units=5)(
        np.array([[4, 5, 0], [6, 0, 0]])
    )
    assert (tuple(states.shape), tuple(final[0].shape)) == CHECKERS[
        "encoder_output_shapes"
    ][1](2, 3, 5, True, "sum")


def test_wrong_number_of_outputs_is_reported(capsys):
    exercises.check_bahdanau_step(lambda *args: bahdanau_step(*args)[0])
    assert capsys.readouterr().out.startswith("✘ bahdanau_step: wrong result")
    exercises.check_encoder_output_shapes(lambda *args: (1, 2, 3))
    assert capsys.readouterr().out.startswith(
        "✘ encoder_output_shapes: wrong shapes"
    )


def test_greedy_decode_that_never_stops_is_reported(capsys):
    exercises.check_greedy_decode(
        lambda f, start, end, n: greedy(f, start, end, n, bounded=False)
    )
    out = capsys.readouterr().out
    assert (
        out.startswith("✘ greedy_decode:")
        and "does not stop" in out
        and "max_length" in out
    )


def test_decoding_references_agree_with_the_package():
    """The beam step's reference matches beam_search's candidates; the nucleus
    matches sample_decode's filter."""
    import tensorflow as tf

    from seq2seq_attention.decoding import _filter_logits

    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(9), size=4)
    for p in (0.3, 0.8, 0.95):
        kept = _filter_logits(
            tf.constant(np.log(probs), tf.float32),
            tf.constant(9),
            tf.constant(p),
        ).numpy()
        package = tf.nn.softmax(kept).numpy()
        np.testing.assert_allclose(
            np.stack([exercises.decoding._top_p(row, p) for row in probs]),
            package,
            atol=1e-5,
        )
    scores, log_probs = (
        np.array([-0.5, -1.0]),
        np.log(rng.dirichlet(np.ones(5), size=2)),
    )
    parents, tokens, best = exercises.decoding._beam_step(scores, log_probs, 4)
    np.testing.assert_allclose(
        best, scores[parents] + log_probs[parents, tokens]
    )
    assert np.all(np.diff(best) <= 0)


def test_decoder_step_shapes_agree_with_the_package_decoders():
    from seq2seq_attention.models import BahdanauDecoder, LuongDecoder

    batch, src_len, emb, units, vocab = 2, 7, 8, 16, 30
    keys, mask = (
        np.ones((batch, src_len, units), "float32"),
        np.ones((batch, src_len), bool),
    )
    for name, decoder in (
        ("luong", LuongDecoder(vocab, emb, units, combine="tanh")),
        ("bahdanau", BahdanauDecoder(vocab, emb, units, combine="tanh")),
    ):
        cell = (
            decoder.rnn.cell
            if name == "luong"
            else decoder.decoder_cell.rnn_cell
        )
        logits, state, weights = decoder.step(
            np.array([2, 2]), [np.zeros((batch, units), "float32")], keys, mask
        )
        expected = CHECKERS["decoder_step_shapes"][1](
            batch, src_len, emb, units, vocab, name
        )
        assert (batch, cell.kernel.shape[0]) == expected["rnn_input"]
        assert (batch, decoder.combine.kernel.shape[0]) == expected[
            "combine_input"
        ]
        assert (
            tuple(logits.shape) == expected["logits"]
            and tuple(state[0].shape) == expected["state"]
        )
        assert tuple(weights.shape) == expected["weights"]


def test_tools_references_agree_with_sacrebleu():
    """The clipped counts and signature fields of the tools chapter are
    sacreBLEU's own."""
    import sacrebleu

    hypothesis, reference_ = (
        "the cat the cat on the mat",
        "the cat is on the mat",
    )
    stats = sacrebleu.metrics.BLEU(tokenize="none").corpus_score(
        [hypothesis], [[reference_]]
    )
    for n in range(1, 5):
        assert exercises.tools._clipped_precision(
            hypothesis.split(), reference_.split(), n
        ) == (stats.counts[n - 1], stats.totals[n - 1])
    bleu = sacrebleu.metrics.BLEU()
    bleu.corpus_score([hypothesis], [[reference_]])
    lowercase = sacrebleu.metrics.BLEU(lowercase=True, tokenize="intl")
    lowercase.corpus_score([hypothesis], [[reference_]])
    fields = exercises.tools._signature_fields(str(bleu.get_signature()))
    assert {"nrefs", "case", "tok", "version"} <= set(fields)
    assert exercises.tools._signature_differences(
        str(bleu.get_signature()), str(lowercase.get_signature())
    ) == ["case", "tok"]
