"""Checkers for the chapters' exercises.

Each ``check_*`` function runs the reader's function on several test cases,
compares the results with :mod:`seq2seq_attention.reference` and prints one
line that starts with ✔ or ✘ and says what was wrong. They print rather than
return a value, so a notebook cell shows nothing but that line. A function
that still raises ``NotImplementedError`` is reported as "not implemented
yet"; any other error is raised as it is, so that you see it.

Example:
    >>> import numpy as np
    >>> def my_softmax(scores):
    ...     e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    ...     return e / e.sum(axis=-1, keepdims=True)
    >>> check_stable_softmax(my_softmax)
    ✔ stable_softmax: matches the reference on 4 cases, including scores of ±1000.
"""

from __future__ import annotations

import numpy as np

from . import reference

__all__ = [
    "check_stable_softmax",
    "check_masked_softmax",
    "check_additive_score",
    "check_general_scores",
    "check_separate_punctuation",
    "check_ordinal",
    "check_split_by_source",
    "check_teacher_forcing",
    "check_encoder_output_shapes",
    "check_luong_output",
    "check_bahdanau_step",
    "check_masked_cross_entropy",
    "check_masked_accuracy",
    "check_exact_match",
    "check_length_penalty",
    "check_beam_step",
    "check_top_p_filter",
    "check_greedy_decode",
    "check_oov_rate",
    "check_grow_output_layer",
    "check_warmup_cosine",
    "check_soft_lookup",
    "check_sequence_log_prob",
    "check_best_sequence",
    "check_decoder_step_shapes",
    "check_luong_step",
    "check_next_token",
    "check_fixed_vector",
    "check_reverse_alignment",
    "check_exact_match_by_length",
    "check_quadratic_fit",
    "check_padding_mask",
    "check_local_mask",
    "check_sort_positions",
    "check_pointing_accuracy",
    "check_attention_entropy",
    "check_clipped_precision",
    "check_brevity_penalty",
    "check_signature_differences",
    "check_split_heads",
    "check_sinusoidal_encoding",
    "check_causal_attention",
]


def _call(name, fn, *args):
    """Call the reader's function; return (ok, result), printing the ✘ line when not ok."""
    try:
        result = fn(*args)
    except NotImplementedError:
        print(f"✘ {name}: not implemented yet. Complete the function, then run the cell again.")
        return False, None
    if result is None:
        print(f"✘ {name}: your function returned None. Did you forget `return`?")
        return False, None
    return True, result


def _run_cases(name, fn, cases, success, hint, atol=1e-6, outputs=None):
    """Run ``fn`` on each ``(description, args, expected)``; print one ✔/✘ line.

    With ``outputs`` (a tuple of names), ``fn`` returns that many arrays and
    ``expected`` is a tuple of as many; each is compared and named in the message.
    """
    for description, args, expected in cases:
        with np.errstate(all="ignore"):  # report overflow through the result, not warnings
            ok, got = _call(name, fn, *args)
        if not ok:
            return
        if outputs is None:
            parts = [("", got, expected)]
        else:
            if not isinstance(got, (tuple, list)) or len(got) != len(outputs):
                print(f"✘ {name}: wrong result for {description}: expected a tuple "
                      f"({', '.join(outputs)}), got {type(got).__name__}. {hint}")
                return
            parts = [(f"{what} ", g, e) for what, g, e in zip(outputs, got, expected)]
        for what, got_part, expected_part in parts:
            got_part = np.asarray(got_part, dtype=float)
            expected_part = np.asarray(expected_part, dtype=float)
            if got_part.shape != expected_part.shape:
                print(
                    f"✘ {name}: wrong {what}shape for {description}: expected {expected_part.shape}, "
                    f"got {got_part.shape}. {hint}"
                )
                return
            if not np.allclose(got_part, expected_part, atol=atol, rtol=1e-5):
                with np.printoptions(precision=4, suppress=True):
                    print(
                        f"✘ {name}: wrong {what}values for {description}:\n"
                        f"    expected {expected_part}\n    got      {got_part}\n  {hint}"
                    )
                return
    print(f"✔ {name}: {success}")


def check_stable_softmax(fn):
    """Check ``fn(scores) -> weights``, a softmax over the last axis that cannot overflow.

    Example:
        >>> check_stable_softmax(lambda e: np.exp(e) / np.exp(e).sum(-1, keepdims=True))
        ✘ stable_softmax: wrong values for scores [1000, 1001, 1002]:
            expected [0.09   0.2447 0.6652]
            got      [nan nan nan]
          Hint: exp(1000) overflows. Subtract each row's maximum before exp; the result does not change.
    """
    rng = np.random.default_rng(0)
    small = rng.normal(size=(3, 5))
    batch = 10 * rng.normal(size=(2, 3, 4))
    cases = [
        ("random scores of shape (3, 5)", (small,), reference.softmax(small)),
        ("scores [1000, 1001, 1002]", (np.array([1000.0, 1001.0, 1002.0]),), reference.softmax([1000.0, 1001.0, 1002.0])),
        ("scores [-1000, -1001, -1002]", (np.array([-1000.0, -1001.0, -1002.0]),), reference.softmax([-1000.0, -1001.0, -1002.0])),
        ("a batch of shape (2, 3, 4)", (batch,), reference.softmax(batch)),
    ]
    _run_cases(
        "stable_softmax",
        fn,
        cases,
        "matches the reference on 4 cases, including scores of ±1000.",
        "Hint: exp(1000) overflows. Subtract each row's maximum before exp; the result does not change.",
    )


def check_masked_softmax(fn):
    """Check ``fn(scores, mask) -> weights``: masked positions get exactly 0.

    Example:
        >>> check_masked_softmax(lambda e, m: reference.softmax(e, m))
        ✔ masked_softmax: padding gets weight 0 and real positions sum to 1, on 3 cases.
    """
    rng = np.random.default_rng(1)
    scores = rng.normal(size=(2, 4))
    mask = np.array([[True, True, True, False], [True, False, False, False]])
    big = np.array([500.0, 1000.0, 2.0])
    big_mask = np.array([True, False, True])
    cases = [
        ("scores (2, 4) with the last positions masked", (scores, mask), reference.softmax(scores, mask)),
        ("scores [500, 1000, 2] with the 1000 masked", (big, big_mask), reference.softmax(big, big_mask)),
        ("no position masked", (scores, np.ones_like(mask)), reference.softmax(scores)),
    ]
    _run_cases(
        "masked_softmax",
        fn,
        cases,
        "padding gets weight 0 and real positions sum to 1, on 3 cases.",
        "Hint: a masked position must not take part in the maximum nor in the sum; give it exp(...) = 0.",
    )


def check_additive_score(fn):
    """Check ``fn(query, keys, W1, W2, b, v) -> scores`` for **one** decoder step.

    ``query`` has shape ``(query_dim,)``, ``keys`` ``(src_len, key_dim)``, and the
    result ``(src_len,)``: ``e[s] = v . tanh(W1 h_s + W2 q + b)`` with the weights
    stored as in Keras, ``W1`` (key_dim, units) and ``W2`` (query_dim, units).

    Example:
        >>> check_additive_score(lambda q, h, W1, W2, b, v: np.tanh(h @ W1 + q @ W2 + b) @ v)
        ✔ additive_score: matches the reference on 3 cases.
    """
    rng = np.random.default_rng(2)
    cases = []
    for query_dim, key_dim, units, src_len in ((2, 2, 3, 4), (3, 5, 4, 6), (4, 4, 8, 1)):
        q = rng.normal(size=query_dim)
        h = rng.normal(size=(src_len, key_dim))
        W1 = rng.normal(size=(key_dim, units))
        W2 = rng.normal(size=(query_dim, units))
        b = rng.normal(size=units)
        v = rng.normal(size=units)
        expected = reference.additive_scores(q[None], h, W1, W2, b, v)[0]
        cases.append((f"query_dim={query_dim}, key_dim={key_dim}, units={units}, src_len={src_len}",
                      (q, h, W1, W2, b, v), expected))
    _run_cases(
        "additive_score",
        fn,
        cases,
        "matches the reference on 3 cases.",
        "Hint: h_s @ W1 has shape (src_len, units) and q @ W2 shape (units,); add them (broadcasting), "
        "add b, take tanh, then the dot product with v.",
    )


def check_general_scores(fn):
    """Check ``fn(query, keys, W) -> scores`` for Luong's general score, and that
    with ``W`` the identity it equals the dot score.

    Shapes: query ``(tgt_len, query_dim)``, keys ``(src_len, key_dim)``,
    ``W`` ``(query_dim, key_dim)``, result ``(tgt_len, src_len)``.

    Example:
        >>> check_general_scores(lambda q, h, W: q @ W @ h.T)
        ✔ general_scores: matches the reference, and equals the dot score when W = I.
    """
    rng = np.random.default_rng(3)
    q, h, W = rng.normal(size=(2, 3)), rng.normal(size=(4, 5)), rng.normal(size=(3, 5))
    q2, h2 = rng.normal(size=(3, 4)), rng.normal(size=(6, 4))
    cases = [
        ("query (2, 3), keys (4, 5), W (3, 5)", (q, h, W), reference.general_scores(q, h, W)),
        ("W = identity, compared with the dot score", (q2, h2, np.eye(4)), reference.dot_scores(q2, h2)),
    ]
    _run_cases(
        "general_scores",
        fn,
        cases,
        "matches the reference, and equals the dot score when W = I.",
        "Hint: e[t, s] = q_t^T W h_s, i.e. query @ W @ keys.T.",
    )


# -- The data chapter (05_1_data) ------------------------------------------------------


def check_separate_punctuation(fn):
    """Check ``fn(text) -> str``: lower case, a space around each punctuation mark, single spaces.

    Example:
        >>> from seq2seq_attention.data import normalize
        >>> check_separate_punctuation(normalize)
        ✔ separate_punctuation: 6 sentences in 3 scripts, including ¿ ¡ « » and 。.
        >>> check_separate_punctuation(lambda text: text.lower())
        ✘ separate_punctuation: for '¿Qué hora es?' expected '¿ qué hora es ?', got '¿qué hora es?'.
          Hint: a character is punctuation when unicodedata.category(ch) starts with "P"; put " " on both sides, then join text.split().
    """
    cases = [
        ("¿Qué hora es?", "¿ qué hora es ?"),
        ("¡Hola, Tom!", "¡ hola , tom !"),
        ("Él dijo: «ya».", "él dijo : « ya » ."),
        ("  Go   home.  ", "go home ."),
        ("Привет, мир!", "привет , мир !"),
        ("なるほど。", "なるほど 。"),
    ]
    hint = ('Hint: a character is punctuation when unicodedata.category(ch) starts with "P"; '
            'put " " on both sides, then join text.split().')
    for text, expected in cases:
        ok, got = _call("separate_punctuation", fn, text)
        if not ok:
            return
        if got != expected:
            print(f"✘ separate_punctuation: for {text!r} expected {expected!r}, got {got!r}.\n  {hint}")
            return
    print("✔ separate_punctuation: 6 sentences in 3 scripts, including ¿ ¡ « » and 。.")


def check_ordinal(fn):
    """Check ``fn(day) -> str`` gives ``1st``, ``2nd``, ``3rd``, ``4th``, ..., ``11th``, ``21st``.

    Example:
        >>> from seq2seq_attention.dates import english_ordinal
        >>> check_ordinal(english_ordinal)
        ✔ ordinal: right for every day of the month, and for 101 to 113.
        >>> check_ordinal(lambda day: f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}")
        ✘ ordinal: for 11 expected '11th', got '11st'.
          Hint: 11, 12 and 13 take "th" (eleventh, twelfth, thirteenth) although they end in 1, 2, 3.
    """
    from .dates import english_ordinal

    for day in [1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 30, 31, 101, 102, 103, 111, 112, 113]:
        ok, got = _call("ordinal", fn, day)
        if not ok:
            return
        if got != english_ordinal(day):
            print(f"✘ ordinal: for {day} expected {english_ordinal(day)!r}, got {got!r}.\n"
                  '  Hint: 11, 12 and 13 take "th" (eleventh, twelfth, thirteenth) although they end in 1, 2, 3.')
            return
    print("✔ ordinal: right for every day of the month, and for 101 to 113.")


def check_split_by_source(fn):
    """Check ``fn(pairs, test_fraction, seed) -> (train, test)``, a split by distinct source.

    Example:
        >>> def split(pairs, test_fraction, seed):
        ...     sources = sorted({s for s, _ in pairs})
        ...     rng = np.random.default_rng(seed)
        ...     test = set(rng.permutation(sources)[: round(test_fraction * len(sources))])
        ...     return [p for p in pairs if p[0] not in test], [p for p in pairs if p[0] in test]
        >>> check_split_by_source(split)
        ✔ split_by_source: disjoint sources, every pair kept once, right size, same split for the same seed.
        >>> def by_pair(pairs, test_fraction, seed):
        ...     order = np.random.default_rng(seed).permutation(len(pairs))
        ...     n = round(test_fraction * len(pairs))
        ...     return [pairs[i] for i in order[n:]], [pairs[i] for i in order[:n]]
        >>> check_split_by_source(by_pair)
        ✘ split_by_source: these sources are in both train and test: ['s0', 's11', 's19']... A test source seen in training makes the test score too optimistic.
          Hint: choose test *sources* (from the set of distinct sources), then put every pair of a test source in test.
    """
    rng = np.random.default_rng(5)
    pairs = [(f"s{i}", f"t{i}.{k}") for i in range(40) for k in range(1 + int(rng.integers(0, 3)))]
    pairs = [pairs[i] for i in rng.permutation(len(pairs))]
    hint = "Hint: choose test *sources* (from the set of distinct sources), then put every pair of a test source in test."
    ok, got = _call("split_by_source", fn, list(pairs), 0.25, 0)
    if not ok:
        return
    train, test = [list(map(tuple, part)) for part in got]
    both = sorted({s for s, _ in train} & {s for s, _ in test})
    if both:
        print(f"✘ split_by_source: these sources are in both train and test: {both[:3]}"
              f"{'...' if len(both) > 3 else ''} A test source seen in training makes the test score "
              f"too optimistic.\n  {hint}")
        return
    if sorted(train + test) != sorted(pairs):
        print(f"✘ split_by_source: train and test together must hold every pair exactly once "
              f"({len(pairs)} pairs); they hold {len(train) + len(test)}.\n  {hint}")
        return
    n_test = len({s for s, _ in test})
    if n_test != 10:
        print(f"✘ split_by_source: 40 distinct sources and test_fraction=0.25 should give 10 test sources, "
              f"got {n_test}. The fraction counts distinct sources, not pairs.\n  {hint}")
        return
    ok, again = _call("split_by_source", fn, list(pairs), 0.25, 0)
    if not ok:
        return
    if sorted(map(tuple, again[1])) != sorted(test):
        print("✘ split_by_source: two calls with the same seed gave different test sets. "
              "Use np.random.default_rng(seed), and sort the distinct sources before shuffling (sets have no fixed order).")
        return
    print("✔ split_by_source: disjoint sources, every pair kept once, right size, same split for the same seed.")


def check_teacher_forcing(fn):
    """Check ``fn(sequences, start_id, end_id) -> (target_in, target_out)``.

    ``sequences`` is a list of token-id lists without markers. Both results are
    int arrays of shape ``(batch, longest + 1)`` padded with 0:
    ``target_in`` is ``[start, ids...]`` and ``target_out`` is ``[ids..., end]``.

    Example:
        >>> def teacher_forcing(sequences, start_id, end_id):
        ...     width = max(len(s) for s in sequences) + 1
        ...     target_in = np.zeros((len(sequences), width), dtype=int)
        ...     target_out = np.zeros((len(sequences), width), dtype=int)
        ...     for i, ids in enumerate(sequences):
        ...         target_in[i, : len(ids) + 1] = [start_id] + list(ids)
        ...         target_out[i, : len(ids) + 1] = list(ids) + [end_id]
        ...     return target_in, target_out
        >>> check_teacher_forcing(teacher_forcing)
        ✔ teacher_forcing: right inputs and outputs, offset by one and padded with 0, on 3 batches.
    """
    cases = [([[5, 6, 7]], 2, 3), ([[5, 6, 7], [8], [9, 10]], 2, 3), ([[11, 12], [13, 14, 15, 16]], 1, 4)]
    hint = ("Hint: target_in = [start] + ids and target_out = ids + [end], both padded with 0 to "
            "(batch, longest + 1); the decoder reads target_in[t] and must write target_out[t].")
    for sequences, start_id, end_id in cases:
        width = max(map(len, sequences)) + 1
        expected_in = np.array([[start_id, *s] + [0] * (width - len(s) - 1) for s in sequences])
        expected_out = np.array([[*s, end_id] + [0] * (width - len(s) - 1) for s in sequences])
        ok, got = _call("teacher_forcing", fn, [list(s) for s in sequences], start_id, end_id)
        if not ok:
            return
        got_in, got_out = (np.asarray(x) for x in got)
        for what, g, e in (("target_in", got_in, expected_in), ("target_out", got_out, expected_out)):
            if g.shape != e.shape or not np.array_equal(g, e):
                print(f"✘ teacher_forcing: wrong {what} for sequences {sequences} (start={start_id}, end={end_id}):\n"
                      f"    expected {e.tolist()}\n    got      {g.tolist()}\n  {hint}")
                return
    print("✔ teacher_forcing: right inputs and outputs, offset by one and padded with 0, on 3 batches.")


# -- The model chapter (05_2_model) ------------------------------------------------------


def _keras_encoder_shapes(batch, src_len, units, bidirectional, merge_mode):
    """Run a Keras GRU encoder (``return_sequences`` and ``return_state``) and return
    the shapes of its states and of its final state, the two directions' final states
    merged like the outputs."""
    import keras
    from keras import ops

    gru = keras.layers.GRU(units, return_sequences=True, return_state=True)
    rnn = keras.layers.Bidirectional(gru, merge_mode=merge_mode) if bidirectional else gru
    states, *final = rnn(np.zeros((batch, src_len, 3), "float32"))
    if bidirectional:
        forward, backward = final
        final = {"sum": forward + backward, "mul": forward * backward, "ave": (forward + backward) / 2,
                 "concat": ops.concatenate([forward, backward], axis=-1)}[merge_mode]
    else:
        final = final[0]
    return tuple(states.shape), tuple(final.shape)


def check_encoder_output_shapes(fn):
    """Check ``fn(batch, src_len, units, bidirectional, merge_mode) -> (states_shape, final_shape)``.

    The encoder is a GRU with ``return_sequences=True`` and ``return_state=True``;
    a bidirectional one is ``keras.layers.Bidirectional(..., merge_mode=merge_mode)``,
    and its two final states are merged the same way as its outputs. The
    expected shapes come from running those Keras layers.

    Example:
        >>> def shapes(batch, src_len, units, bidirectional, merge_mode):
        ...     size = 2 * units if bidirectional and merge_mode == "concat" else units
        ...     return (batch, src_len, size), (batch, size)
        >>> check_encoder_output_shapes(shapes)
        ✔ encoder_output_shapes: right for 5 encoders: one direction, and two merged by sum, ave, mul and concat.
        >>> check_encoder_output_shapes(lambda batch, src_len, units, bi, merge: ((batch, units), (batch, units)))
        ✘ encoder_output_shapes: wrong shapes for batch=2, src_len=7, units=16, bidirectional=False, merge_mode='sum':
            expected states (2, 7, 16), final state (2, 16)
            got      states (2, 16), final state (2, 16)
          Hint: return_sequences=True keeps the src_len axis; merge_mode="concat" puts the two directions side by side (2 * units features), the other modes combine them element by element (units).
    """
    name = "encoder_output_shapes"
    hint = ('Hint: return_sequences=True keeps the src_len axis; merge_mode="concat" puts the two '
            "directions side by side (2 * units features), the other modes combine them element by "
            "element (units).")
    cases = [(2, 7, 16, False, "sum"), (2, 7, 16, True, "sum"), (3, 5, 8, True, "ave"),
             (1, 4, 6, True, "mul"), (3, 5, 8, True, "concat")]
    for batch, src_len, units, bidirectional, merge_mode in cases:
        expected = _keras_encoder_shapes(batch, src_len, units, bidirectional, merge_mode)
        ok, got = _call(name, fn, batch, src_len, units, bidirectional, merge_mode)
        if not ok:
            return
        try:
            got = tuple(tuple(int(d) for d in shape) for shape in got)
        except (TypeError, ValueError):
            got = None
        if got is None or len(got) != 2 or got != expected:
            shown = (f"states {got[0]}, final state {got[1]}" if got is not None and len(got) == 2
                     else "something that is not two shapes")
            print(f"✘ {name}: wrong shapes for batch={batch}, src_len={src_len}, units={units}, "
                  f"bidirectional={bidirectional}, merge_mode={merge_mode!r}:\n"
                  f"    expected states {expected[0]}, final state {expected[1]}\n"
                  f"    got      {shown}\n  {hint}")
            return
    print(f"✔ {name}: right for 5 encoders: one direction, and two merged by sum, ave, mul and concat.")


def check_luong_output(fn):
    """Check ``fn(context, rnn_output, W_c, W_out, b_out) -> logits``, Luong's output layer
    ``logits_t = W_out tanh(W_c [c_t; o_t]) + b_out``.

    Shapes: ``context`` and ``rnn_output`` ``(T, units)``, ``W_c`` ``(2 * units, units)``,
    ``W_out`` ``(units, vocab)``, ``b_out`` ``(vocab,)``, the result ``(T, vocab)``. The
    weights are stored as in Keras (inputs, outputs). The expected logits come from the
    package's :class:`~seq2seq_attention.models.LuongDecoder` given the same weights.

    Example:
        >>> check_luong_output(lambda c, o, W_c, W_out, b_out:
        ...                    np.tanh(np.concatenate([c, o], -1) @ W_c) @ W_out + b_out)
        ✔ luong_output: matches the package's LuongDecoder on 3 cases.
    """
    from .models import LuongDecoder

    rng = np.random.default_rng(7)
    cases = []
    for tgt_len, units, vocab in ((1, 4, 6), (3, 8, 10), (5, 16, 7)):
        def draw(*shape):  # float32 values, so that the Keras layers see the same numbers
            return rng.normal(size=shape).astype("float32").astype(float)
        context, output = draw(tgt_len, units), draw(tgt_len, units)
        W_c, W_out, b_out = draw(2 * units, units), draw(units, vocab), draw(vocab)
        decoder = LuongDecoder(vocab_size=vocab, embedding_dim=2, units=units, attention="dot")
        decoder.combine.set_weights([W_c])
        decoder.output_layer.set_weights([W_out, b_out])
        expected = np.asarray(decoder._logits(context.astype("float32"), output.astype("float32")))
        cases.append((f"T={tgt_len}, units={units}, vocab={vocab}", (context, output, W_c, W_out, b_out),
                      expected))
    _run_cases(
        "luong_output",
        fn,
        cases,
        "matches the package's LuongDecoder on 3 cases.",
        "Hint: concatenate [context; rnn_output] on the last axis (context first), multiply by W_c, "
        "take tanh, then multiply by W_out and add b_out.",
        atol=1e-4,
    )


def check_bahdanau_step(fn):
    """Check ``fn(embedded, previous_state, keys, mask, attention, cell) -> (state, weights)``,
    one step of the Bahdanau decoder with a plain tanh RNN cell instead of a GRU.

    ``attention`` is a dict of the additive score's weights ``W1, W2, b, v`` (see
    :func:`seq2seq_attention.reference.additive_scores`); ``cell`` a dict with
    ``W_x, W_s, b_s``. The step: ``c = attention(previous_state, keys)``, masked;
    ``state = tanh([embedded; c] @ W_x + previous_state @ W_s + b_s)``. Shapes:
    ``embedded`` ``(E,)``, ``previous_state`` ``(U,)``, ``keys`` ``(S, U)``, ``mask`` ``(S,)``;
    returns ``state`` ``(U,)`` and ``weights`` ``(S,)``.

    Example:
        >>> def step(embedded, previous_state, keys, mask, attention, cell):
        ...     context, weights = reference.attention(previous_state[None], keys, mask=mask,
        ...                                            score="additive", **attention)
        ...     x = np.concatenate([embedded, context[0]])
        ...     return np.tanh(x @ cell["W_x"] + previous_state @ cell["W_s"] + cell["b_s"]), weights[0]
        >>> check_bahdanau_step(step)
        ✔ bahdanau_step: right state and weights on 3 cases, with padding in the source.
    """
    rng = np.random.default_rng(8)
    cases = []
    for emb, units, att, src_len, real in ((2, 3, 4, 4, 4), (4, 5, 6, 6, 3), (3, 4, 2, 5, 1)):
        embedded, previous = rng.normal(size=emb), rng.normal(size=units)
        keys = rng.normal(size=(src_len, units))
        mask = np.arange(src_len) < real
        attention = {"W1": rng.normal(size=(units, att)), "W2": rng.normal(size=(units, att)),
                     "b": rng.normal(size=att), "v": rng.normal(size=att)}
        cell = {"W_x": rng.normal(size=(emb + units, units)), "W_s": rng.normal(size=(units, units)),
                "b_s": rng.normal(size=units)}
        context, weights = reference.attention(previous[None], keys, mask=mask, score="additive", **attention)
        state = np.tanh(np.concatenate([embedded, context[0]]) @ cell["W_x"] + previous @ cell["W_s"]
                        + cell["b_s"])
        cases.append((f"E={emb}, U={units}, S={src_len} with {src_len - real} padded",
                      (embedded, previous, keys, mask, attention, cell), (state, weights[0])))
    _run_cases(
        "bahdanau_step",
        fn,
        cases,
        "right state and weights on 3 cases, with padding in the source.",
        "Hint: the query is the *previous* state; mask the scores before the softmax "
        "(reference.attention does both when given mask=); the RNN input is [embedded; context].",
        outputs=("state", "weights"),
    )


# -- The training chapter (05_3_training) -----------------------------------------------


def _training_cases(seed):
    rng = np.random.default_rng(seed)
    cases = []
    for batch, steps, vocab, padded in ((2, 4, 5, [1, 3]), (3, 6, 9, [0, 2, 5]), (1, 3, 4, [0])):
        logits = rng.normal(size=(batch, steps, vocab)) * 3
        targets = rng.integers(1, vocab, size=(batch, steps))
        for row, n in enumerate(padded):  # the last n positions of each row are padding
            if n:
                targets[row, steps - n:] = 0
        cases.append((f"logits {logits.shape} with padding", logits, targets))
    return cases


def check_masked_cross_entropy(fn):
    """Check ``fn(logits, targets) -> float``: mean cross-entropy over real (non-zero) targets.

    Example:
        >>> def mine(logits, targets):
        ...     log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        ...     real = targets != 0
        ...     return -(np.take_along_axis(log_p, targets[..., None], -1)[..., 0] * real).sum() / real.sum()
        >>> check_masked_cross_entropy(mine)
        ✔ masked_cross_entropy: matches Keras' SparseCategoricalCrossentropy(ignore_class=0) on 3 cases.
    """
    from .metrics import masked_loss

    loss = masked_loss()
    cases = [(d, (logits, targets), float(loss(targets, logits.astype("float32"))))
             for d, logits, targets in _training_cases(4)]
    _run_cases("masked_cross_entropy", fn, cases,
               "matches Keras' SparseCategoricalCrossentropy(ignore_class=0) on 3 cases.",
               "Hint: log-softmax over the vocabulary, pick each target's entry, average over targets != 0 only.",
               atol=1e-5)


def check_masked_accuracy(fn):
    """Check ``fn(logits, targets) -> float``: fraction of real targets predicted by the argmax.

    Example:
        >>> check_masked_accuracy(lambda l, t: ((l.argmax(-1) == t) & (t != 0)).sum() / (t != 0).sum())
        ✔ masked_accuracy: matches the package's MaskedTokenAccuracy on 3 cases.
    """
    from .metrics import MaskedTokenAccuracy

    cases = []
    for description, logits, targets in _training_cases(5):
        metric = MaskedTokenAccuracy()
        metric.update_state(targets, logits)
        cases.append((description, (logits, targets), float(metric.result())))
    _run_cases("masked_accuracy", fn, cases, "matches the package's MaskedTokenAccuracy on 3 cases.",
               "Hint: compare logits.argmax(axis=-1) with the targets, and count only positions where targets != 0.")


def check_exact_match(fn):
    """Check ``fn(hypotheses, references) -> float`` with several references per hypothesis.

    Example:
        >>> from seq2seq_attention.metrics import exact_match
        >>> check_exact_match(exact_match)
        ✔ exact_match: right on 3 cases, including several references and white space.
    """
    cases = [
        ("one reference each", (["2015-03-03", "2015-03-04"], [["2015-03-03"], ["2015-03-05"]]), 0.5),
        ("several references", (["ve .", "hola ."], [["vete .", "ve ."], ["adiós ."]]), 0.5),
        ("white space at the ends", ([" 1999-12-31 "], [["1999-12-31"]]), 1.0),
    ]
    _run_cases("exact_match", fn, cases, "right on 3 cases, including several references and white space.",
               "Hint: a hypothesis counts if its stripped text equals any of its stripped references.")


# -- The decoding chapter (05_4_decoding) ------------------------------------------------


def check_length_penalty(fn):
    """Check ``fn(length, alpha) -> penalty``, GNMT's ``((5 + length) / 6) ** alpha``,
    for numbers and for arrays of lengths.

    Example:
        >>> check_length_penalty(lambda length, alpha: ((5 + np.asarray(length)) / 6) ** alpha)
        ✔ length_penalty: matches the package's length_penalty on 5 cases, arrays included.
    """
    from .decoding import length_penalty

    lengths = np.arange(1, 21)
    cases = [(f"length={n}, alpha={a}", (n, a), float(length_penalty(n, a)))
             for n, a in ((1, 0.6), (7, 0.0), (11, 0.6), (30, 1.0))]
    cases.append(("lengths 1..20, alpha=0.6", (lengths, 0.6), np.asarray(length_penalty(lengths, 0.6))))
    _run_cases("length_penalty", fn, cases, "matches the package's length_penalty on 5 cases, arrays included.",
               "Hint: lp = ((5 + length) / 6) ** alpha; a hypothesis of length 1 gets exactly 1, "
               "and alpha = 0 gives 1 for every length.", atol=1e-5)


def _beam_step(scores, log_probs, k):
    """The reference: the ``k`` best (parent, token, score) of every extension, best first."""
    candidates = (scores[:, None] + log_probs).ravel()  # (K * V,)
    order = np.argsort(-candidates, kind="stable")[:k]
    parents, tokens = np.divmod(order, log_probs.shape[1])
    return parents, tokens, candidates[order]


def check_beam_step(fn):
    """Check ``fn(scores, log_probs, k) -> (parents, tokens, new_scores)``, one step of beam search.

    ``scores`` ``(K,)`` are the alive hypotheses' total log-probabilities and
    ``log_probs`` ``(K, V)`` their next-token log-probabilities. Every hypothesis
    extended by every token scores ``scores[i] + log_probs[i, w]``; return the ``k``
    best of these ``K * V`` candidates, best first: each one's parent hypothesis ``i``,
    token ``w`` and score, three arrays of shape ``(k,)``.

    Example:
        >>> def beam_step(scores, log_probs, k):
        ...     candidates = (scores[:, None] + log_probs).ravel()
        ...     best = np.argsort(-candidates)[:k]
        ...     return best // log_probs.shape[1], best % log_probs.shape[1], candidates[best]
        >>> check_beam_step(beam_step)
        ✔ beam_step: right parents, tokens and scores on 4 cases, including a first step with one real hypothesis.
    """
    rng = np.random.default_rng(9)

    def log_softmax(x):
        x = x - x.max(axis=-1, keepdims=True)
        return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))

    cases = []
    for beams, vocab, k in ((1, 5, 1), (3, 6, 3), (2, 4, 4), (4, 7, 8)):
        scores = np.sort(-rng.exponential(2.0, size=beams))[::-1]
        log_probs = log_softmax(rng.normal(size=(beams, vocab)) * 2)
        cases.append((f"K={beams}, V={vocab}, k={k}", (scores, log_probs, k), _beam_step(scores, log_probs, k)))
    # The first step: only hypothesis 0 is real, the others are "impossible" copies.
    scores = np.array([0.0, -1e9, -1e9])
    log_probs = log_softmax(rng.normal(size=(3, 6)) * 2)
    cases[1] = ("the first step (scores [0, -1e9, -1e9]), V=6, k=3", (scores, log_probs, 3),
                _beam_step(scores, log_probs, 3))
    _run_cases("beam_step", fn, cases,
               "right parents, tokens and scores on 4 cases, including a first step with one real hypothesis.",
               "Hint: add each hypothesis' score to its row of log_probs (broadcasting), flatten the (K, V) "
               "candidates, take the k largest, best first; index // V is the parent and index % V the token.",
               outputs=("parents", "tokens", "scores"))


def _top_p(probs, p):
    """The reference nucleus: keep a token if the tokens ranked above it hold less than ``p``."""
    order = np.argsort(-probs, kind="stable")
    before = np.cumsum(probs[order]) - probs[order]  # mass of the tokens ranked above each one
    kept = np.zeros_like(probs)
    kept[order] = np.where(before < p, probs[order], 0.0)
    return kept / kept.sum()


def check_top_p_filter(fn):
    """Check ``fn(probs, p) -> probs``, nucleus (top-p) filtering of one distribution ``(V,)``.

    Keep the smallest set of most likely tokens whose probabilities add up to at
    least ``p`` (a token is kept if the tokens ranked above it hold less than
    ``p``, so the most likely token is always kept); set the others to 0 and
    renormalise so that the result sums to 1.

    Example:
        >>> def top_p_filter(probs, p):
        ...     order = np.argsort(-probs)
        ...     before = np.cumsum(probs[order]) - probs[order]
        ...     kept = np.zeros_like(probs)
        ...     kept[order[before < p]] = probs[order[before < p]]
        ...     return kept / kept.sum()
        >>> check_top_p_filter(top_p_filter)
        ✔ top_p_filter: right on 5 cases, unsorted probabilities and p = 1 included.
    """
    rng = np.random.default_rng(10)
    spiky = np.array([0.5, 0.25, 0.125, 0.0625, 0.0625])
    random = rng.dirichlet(np.ones(8))
    cases = [(f"probs {spiky.tolist()}, p={p}", (spiky, p), _top_p(spiky, p)) for p in (0.7, 0.5, 1.0)]
    shuffled = spiky[[3, 1, 4, 0, 2]]
    cases.append((f"probs {shuffled.tolist()} (not sorted), p=0.8", (shuffled, 0.8), _top_p(shuffled, 0.8)))
    cases.append(("8 random probabilities, p=0.9", (random, 0.9), _top_p(random, 0.9)))
    _run_cases("top_p_filter", fn, cases, "right on 5 cases, unsorted probabilities and p = 1 included.",
               "Hint: sort the tokens by probability (descending); keep a token while the mass of the "
               "tokens *before* it is below p (so the token that crosses p is kept); zero the rest, "
               "then divide by the kept total.")


class _RunawayLoop(Exception):
    """The reader's greedy loop called the model far more often than max_length allows."""


def _toy_model(table):
    """A "model" whose next-token log-probabilities depend only on the previous token;
    it refuses to be called more than 100 times (a loop that never stops)."""
    calls = []

    def next_log_probs(previous):
        calls.append(previous)
        if len(calls) > 100:
            raise _RunawayLoop
        return table[int(previous)].copy()

    return next_log_probs


def _greedy_from_table(table, start_id, end_id, max_length):
    previous, output = start_id, []
    while len(output) < max_length:
        previous = int(np.argmax(table[previous]))
        output.append(previous)
        if previous == end_id:
            break
    return np.array(output)


def check_greedy_decode(fn):
    """Check ``fn(next_log_probs, start_id, end_id, max_length) -> tokens``, greedy decoding.

    ``next_log_probs(previous_token)`` returns the ``(V,)`` log-probabilities of the
    next token (a toy model that only looks at the previous token). Start from
    ``start_id``, append the most likely token at each step, and stop after
    ``end_id`` (included in the result) or after ``max_length`` tokens, whichever
    comes first. Return the tokens as an int array.

    Example:
        >>> def greedy(next_log_probs, start_id, end_id, max_length):
        ...     tokens, previous = [], start_id
        ...     while len(tokens) < max_length:
        ...         previous = int(np.argmax(next_log_probs(previous)))
        ...         tokens.append(previous)
        ...         if previous == end_id:
        ...             break
        ...     return np.array(tokens)
        >>> check_greedy_decode(greedy)
        ✔ greedy_decode: right on 3 toy models, including one that never produces [END].
    """
    name = "greedy_decode"
    hint = ("Hint: loop while fewer than max_length tokens were produced; take the argmax of "
            "next_log_probs(previous), append it, feed it back, and stop right after end_id.")
    rng = np.random.default_rng(11)
    start_id, end_id = 2, 3
    ends = np.log(np.full((6, 6), 0.01))
    for previous, following in {2: 4, 4: 5, 5: 3}.items():  # [START] -> 4 -> 5 -> [END]
        ends[previous, following] = np.log(0.9)
    loops = np.log(np.full((6, 6), 0.01))
    for previous, following in {2: 4, 4: 5, 5: 4}.items():  # 4 5 4 5 ... never [END]
        loops[previous, following] = np.log(0.9)
    random = rng.normal(size=(8, 8)) * 3
    random[:, end_id] -= 2  # ends after a few tokens, not at once
    cases = [("a model that writes 4 5 [END]", ends, 10), ("a model that never writes [END]", loops, 7),
             ("a random model over 8 tokens", random, 12)]
    for description, table, max_length in cases:
        expected = _greedy_from_table(table, start_id, end_id, max_length)
        try:
            ok, got = _call(name, fn, _toy_model(table), start_id, end_id, max_length)
        except _RunawayLoop:
            print(f"✘ {name}: for {description} (max_length={max_length}) your loop called the model more "
                  f"than 100 times: it does not stop. A model that never writes [END] must be stopped by "
                  f"max_length.\n  {hint}")
            return
        if not ok:
            return
        got = np.asarray(got)
        if got.shape != expected.shape or not np.array_equal(got, expected):
            print(f"✘ {name}: wrong tokens for {description} (max_length={max_length}):\n"
                  f"    expected {expected.tolist()}\n    got      {got.tolist()}\n  {hint}")
            return
    print(f"✔ {name}: right on 3 toy models, including one that never produces [END].")


# -- The core concepts chapter (02_core_concepts) ----------------------------------------


def check_soft_lookup(fn):
    """Check ``fn(query, keys, values, temperature) -> (result, weights)``, a soft dictionary lookup.

    ``query`` ``(d,)``, ``keys`` ``(S, d)``, ``values`` ``(S, d_v)``. The scores are the
    dot products ``keys @ query``; the weights their softmax after dividing by
    ``temperature`` (computed so that it cannot overflow); the result
    ``weights @ values``, shape ``(d_v,)``. A tiny temperature must give the value
    of the best-matching key: a hard lookup.

    Example:
        >>> def soft_lookup(query, keys, values, temperature):
        ...     weights = reference.softmax(keys @ query / temperature)
        ...     return weights @ values, weights
        >>> check_soft_lookup(soft_lookup)
        ✔ soft_lookup: right result and weights on 4 cases, including a temperature of 0.001 (a hard lookup).
    """
    rng = np.random.default_rng(12)
    cases = []
    for d, S, dv, temperature in ((2, 3, 1, 1.0), (4, 5, 3, 0.5), (3, 6, 2, 5.0), (4, 5, 2, 0.001)):
        query, keys, values = rng.normal(size=d), rng.normal(size=(S, d)), rng.normal(size=(S, dv))
        weights = reference.softmax(keys @ query / temperature)
        cases.append((f"d={d}, S={S}, d_v={dv}, temperature={temperature}", (query, keys, values, temperature),
                      (weights @ values, weights)))
    _run_cases(
        "soft_lookup",
        fn,
        cases,
        "right result and weights on 4 cases, including a temperature of 0.001 (a hard lookup).",
        "Hint: scores = keys @ query; weights = softmax(scores / temperature), subtracting the maximum "
        "first; result = weights @ values.",
        outputs=("result", "weights"),
    )


def _sequence_log_prob(log_probs, tokens, start_id):
    previous, total = start_id, 0.0
    for token in tokens:
        total += log_probs[previous, token]
        previous = token
    return float(total)


def _bigram_table(rng, vocab, sharp=2.0):
    """A random (vocab, vocab) table of next-token log-probabilities (each row a log-softmax)."""
    logits = rng.normal(size=(vocab, vocab)) * sharp
    logits -= logits.max(axis=1, keepdims=True)
    return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


def check_sequence_log_prob(fn):
    """Check ``fn(log_probs, tokens, start_id) -> float``, the log-probability of a sequence.

    ``log_probs[i, j]`` is ``log p(next = j | previous = i)`` (a toy model that sees only
    the previous token). The sequence's log-probability is
    ``log_probs[start_id, tokens[0]] + log_probs[tokens[0], tokens[1]] + ...``.

    Example:
        >>> def sequence_log_prob(log_probs, tokens, start_id):
        ...     previous = [start_id] + list(tokens[:-1])
        ...     return float(log_probs[previous, tokens].sum())
        >>> check_sequence_log_prob(sequence_log_prob)
        ✔ sequence_log_prob: right on 3 sequences, the first token scored after start_id.
    """
    rng = np.random.default_rng(13)
    table = _bigram_table(rng, 6)
    cases = []
    for tokens, start_id in (([4, 5, 3], 2), ([3], 2), ([1, 1, 4, 0, 5, 3], 0)):
        cases.append((f"tokens {tokens} with start_id={start_id}", (table, list(tokens), start_id),
                      _sequence_log_prob(table, tokens, start_id)))
    _run_cases("sequence_log_prob", fn, cases, "right on 3 sequences, the first token scored after start_id.",
               "Hint: the first token follows start_id; add log_probs[previous, token] for every token, "
               "then make that token the previous one.")


def _all_sequences(vocab, start_id, end_id, max_length):
    """Every sequence of at most ``max_length`` tokens that ends with ``end_id`` (and only there)."""
    import itertools

    words = [w for w in range(vocab) if w not in (start_id, end_id)]
    return [list(p) + [end_id] for n in range(max_length) for p in itertools.product(words, repeat=n)]


def _best_sequence(log_probs, start_id, end_id, max_length):
    candidates = _all_sequences(log_probs.shape[0], start_id, end_id, max_length)
    return np.array(max(candidates, key=lambda y: _sequence_log_prob(log_probs, y, start_id)))


def check_best_sequence(fn):
    """Check ``fn(log_probs, start_id, end_id, max_length) -> tokens``, exhaustive search.

    Among every sequence of at most ``max_length`` tokens that ends with ``end_id``
    (and contains neither ``end_id`` before its end nor ``start_id``), return the most
    likely one under the bigram table ``log_probs`` (see :func:`check_sequence_log_prob`),
    ``end_id`` included, as an int array.

    Example:
        >>> import itertools
        >>> def best_sequence(log_probs, start_id, end_id, max_length):
        ...     words = [w for w in range(len(log_probs)) if w not in (start_id, end_id)]
        ...     def score(y):
        ...         return sum(log_probs[a, b] for a, b in zip([start_id] + y[:-1], y))
        ...     candidates = [list(p) + [end_id] for n in range(max_length)
        ...                   for p in itertools.product(words, repeat=n)]
        ...     return np.array(max(candidates, key=score))
        >>> check_best_sequence(best_sequence)
        ✔ best_sequence: finds the most likely sequence on 3 tables, including one that fools greedy decoding.
    """
    name = "best_sequence"
    hint = ("Hint: list every candidate with itertools.product(words, repeat=n) for n = 0 .. max_length - 1, "
            "append end_id, score each with the sum of log_probs[previous, token] from start_id, keep the best.")
    rng = np.random.default_rng(14)
    # A table where greedy decoding is wrong: 0 = [START], 1 = [END], words 2, 3, 4, 5.
    trap = np.full((6, 6), 1e-6)
    trap[0, [2, 3]] = [0.5, 0.4]
    trap[2, [4, 1]] = [0.45, 0.3]
    trap[3, 5] = 0.9
    trap[4, 1] = trap[5, 1] = 0.9
    trap = np.log(trap / trap.sum(axis=1, keepdims=True))
    cases = [("a table where greedy decoding picks a worse sequence", (trap, 0, 1, 4)),
             ("a random table over 5 tokens", (_bigram_table(rng, 5), 0, 1, 4)),
             ("a random table over 6 tokens, max_length=3", (_bigram_table(rng, 6, sharp=1.0), 2, 3, 3))]
    for description, args in cases:
        expected = _best_sequence(*args)
        ok, got = _call(name, fn, *args)
        if not ok:
            return
        got = np.asarray(got)
        if got.shape != expected.shape or not np.array_equal(got, expected):
            table, start_id = args[0], args[1]
            got_score = (f"{_sequence_log_prob(table, got.tolist(), start_id):.4f}"
                         if got.ndim == 1 and got.dtype.kind in "iu" and got.size and np.all(got < len(table))
                         else "?")
            print(f"✘ {name}: wrong sequence for {description} (max_length={args[3]}):\n"
                  f"    expected {expected.tolist()} (log-probability "
                  f"{_sequence_log_prob(table, expected.tolist(), start_id):.4f})\n"
                  f"    got      {got.tolist()} (log-probability {got_score})\n  {hint}")
            return
    print(f"✔ {name}: finds the most likely sequence on 3 tables, including one that fools greedy decoding.")


# -- The fine-tuning chapter (05_5_finetuning) ---------------------------------------------


def check_oov_rate(fn):
    """Check ``fn(tokens, vocabulary) -> float``: the share of ``tokens`` not in ``vocabulary``.

    Example:
        >>> check_oov_rate(lambda tokens, vocabulary: sum(t not in set(vocabulary) for t in tokens) / len(tokens))
        ✔ oov_rate: right on 4 cases, repeated tokens included.
    """
    vocabulary = ["a", "b", "c", "d", "e", " ", "1", "2"]
    cases = [
        ("all known", (list("abc 12"), vocabulary), 0.0),
        ("one unknown of four", (list("abcé"), vocabulary), 0.25),
        ("a repeated unknown counts each time", (list("ñañaa"), vocabulary), 0.4),
        ("nothing known", (list("xyz"), vocabulary), 1.0),
    ]
    _run_cases("oov_rate", fn, cases, "right on 4 cases, repeated tokens included.",
               "Hint: count every token occurrence (not distinct tokens) that is missing from the vocabulary, "
               "then divide by the number of tokens.")


def _grow_output_layer(kernel, bias, unk_id, k):
    kernel2 = np.concatenate([kernel, np.repeat(kernel[:, unk_id : unk_id + 1], k, axis=1)], axis=1)
    bias2 = np.concatenate([bias, np.full(k, bias[unk_id])])
    bias2[[unk_id, *range(len(bias), len(bias) + k)]] -= np.log(k + 1.0)
    return kernel2, bias2


def check_grow_output_layer(fn):
    """Check ``fn(kernel, bias, unk_id, k) -> (new_kernel, new_bias)``: ``k`` new output columns that
    copy ``[UNK]``'s, with ``[UNK]`` and the new tokens sharing ``[UNK]``'s old probability equally,
    so that every old token keeps its probability (what :func:`~seq2seq_attention.finetune.extend_vocabulary` does).

    Example:
        >>> from seq2seq_attention.exercises import _grow_output_layer
        >>> check_grow_output_layer(_grow_output_layer)
        ✔ grow_output_layer: old tokens keep their probabilities; [UNK] and the new tokens share [UNK]'s.
    """
    rng = np.random.default_rng(5)
    cases = []
    for units, vocab, k in ((3, 6, 1), (4, 9, 3), (2, 5, 0)):
        kernel, bias = rng.normal(size=(units, vocab)), rng.normal(size=vocab)
        cases.append((f"units={units}, vocabulary={vocab}, k={k}", (kernel, bias, 1, k),
                      _grow_output_layer(kernel, bias, 1, k)))
    _run_cases("grow_output_layer", fn, cases,
               "old tokens keep their probabilities; [UNK] and the new tokens share [UNK]'s.",
               "Hint: append k copies of the [UNK] column (and bias); then lower the biases of [UNK] and of the "
               "k new tokens by log(k + 1), so that their k + 1 equal probabilities add up to [UNK]'s old one.",
               outputs=("kernel", "bias"))


def check_warmup_cosine(fn):
    """Check ``fn(step, peak, total_steps, warmup_steps) -> learning rate``: linear warm-up from 0 to
    ``peak``, then cosine decay to 0 at ``total_steps`` (and 0 after), as
    :func:`~seq2seq_attention.finetune.learning_rate_schedule`.

    Example:
        >>> import math
        >>> def warmup_cosine(step, peak, total, warmup):
        ...     if step < warmup:
        ...         return peak * step / warmup
        ...     progress = min((step - warmup) / (total - warmup), 1.0)
        ...     return peak * 0.5 * (1 + math.cos(math.pi * progress))
        >>> check_warmup_cosine(warmup_cosine)
        ✔ warmup_cosine: agrees with learning_rate_schedule on 9 steps of 2 schedules.
    """
    from .finetune import learning_rate_schedule

    cases = []
    for peak, total, warmup in ((1e-3, 100, 10), (3e-4, 50, 0)):
        schedule = learning_rate_schedule(peak, total, warmup)
        for step in ((0, 5, 10, 55, 120) if warmup else (0, 25, 49, 60)):
            cases.append((f"step {step} (peak={peak}, total={total}, warmup={warmup})", (step, peak, total, warmup),
                          float(schedule(step))))
    _run_cases("warmup_cosine", fn, cases, "agrees with learning_rate_schedule on 9 steps of 2 schedules.",
               "Hint: during warm-up the rate grows linearly from 0 (step 0) to peak (step = warmup); then it is "
               "peak * (1 + cos(pi * progress)) / 2 with progress = (step - warmup) / (total - warmup), capped at 1.",
               atol=1e-9)


# -- The background chapter (01_background) -------------------------------------------------


def _rnn_final_state(embedded, W_x, W_h, b):
    state = np.zeros(W_h.shape[0])
    for x in embedded:
        state = np.tanh(x @ W_x + state @ W_h + b)
    return state


def check_fixed_vector(fn):
    """Check ``fn(embedded, W_x, W_h, b) -> state``, the one vector a plain encoder keeps.

    A simple RNN reads the source ``embedded`` ``(src_len, embedding_dim)`` one
    position at a time, ``h_s = tanh(x_s W_x + h_{s-1} W_h + b)`` from
    ``h_0 = 0``, and returns only its last state ``h_S`` ``(units,)``.

    Example:
        >>> def fixed_vector(embedded, W_x, W_h, b):
        ...     state = np.zeros(W_h.shape[0])
        ...     for x in embedded:
        ...         state = np.tanh(x @ W_x + state @ W_h + b)
        ...     return state
        >>> check_fixed_vector(fixed_vector)
        ✔ fixed_vector: matches a step-by-step RNN on 3 sources, from 1 to 40 positions long.
    """
    rng = np.random.default_rng(21)
    cases = []
    for length, dim, units in ((1, 3, 4), (5, 3, 4), (40, 6, 8)):
        embedded = rng.normal(size=(length, dim))
        W_x, W_h, b = rng.normal(size=(dim, units)), 0.5 * rng.normal(size=(units, units)), rng.normal(size=units)
        cases.append((f"a source of {length} position{'s' * (length > 1)}", (embedded, W_x, W_h, b),
                      _rnn_final_state(embedded, W_x, W_h, b)))
    _run_cases("fixed_vector", fn, cases,
               "matches a step-by-step RNN on 3 sources, from 1 to 40 positions long.",
               "Hint: start from h = np.zeros(units); for each row x of embedded, "
               "h = np.tanh(x @ W_x + h @ W_h + b); return the last h only.")


def check_reverse_alignment(fn):
    """Check ``fn(length) -> weights``, the ideal attention for reversing a string.

    ``weights`` is ``(length, length)``: row ``t`` (output position) is one-hot
    at the source position whose character output ``t`` copies.

    Example:
        >>> check_reverse_alignment(lambda n: np.eye(n)[::-1])
        ✔ reverse_alignment: the anti-diagonal, for lengths 1, 4 and 9.
    """
    cases = [(f"length {n}", (n,), np.fliplr(np.eye(n))) for n in (1, 4, 9)]
    _run_cases("reverse_alignment", fn, cases, "the anti-diagonal, for lengths 1, 4 and 9.",
               "Hint: output t of the reversal is source character length - 1 - t, so row t has its 1 "
               "in column length - 1 - t.")


def _exact_match_by_length(sources, hypotheses, references, edges):
    lengths = np.array([len(s) for s in sources])
    right = np.array([h == r for h, r in zip(hypotheses, references)], float)
    out = []
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (lengths >= low) & (lengths < high)
        out.append(right[inside].mean() if inside.any() else np.nan)
    return np.array(out)


def check_exact_match_by_length(fn):
    """Check ``fn(sources, hypotheses, references, edges) -> scores``, exact match per length range.

    ``edges`` are increasing lengths; range ``i`` holds the sources with
    ``edges[i] <= len(source) < edges[i + 1]``. ``scores[i]`` is the fraction
    of those whose hypothesis equals its reference, ``nan`` for an empty range.

    Example:
        >>> def by_length(sources, hypotheses, references, edges):
        ...     lengths = np.array([len(s) for s in sources])
        ...     right = np.array([h == r for h, r in zip(hypotheses, references)], float)
        ...     out = []
        ...     for low, high in zip(edges[:-1], edges[1:]):
        ...         inside = (lengths >= low) & (lengths < high)
        ...         out.append(right[inside].mean() if inside.any() else np.nan)
        ...     return np.array(out)
        >>> check_exact_match_by_length(by_length)
        ✔ exact_match_by_length: right on 3 cases, including an empty range (nan).
    """
    sources = ["12", "123", "1234", "12345", "123456", "1234567"]
    references = [s[::-1] for s in sources]
    hypotheses = ["21", "321", "4321", "54320", "654321", "7654300"]
    cases = [
        ("ranges [2, 4) and [4, 8)", (sources, hypotheses, references, [2, 4, 8]),
         _exact_match_by_length(sources, hypotheses, references, [2, 4, 8])),
        ("one range per length", (sources, hypotheses, references, [2, 3, 4, 5, 6, 7, 8]),
         _exact_match_by_length(sources, hypotheses, references, [2, 3, 4, 5, 6, 7, 8])),
        ("an empty range [8, 10)", (sources, hypotheses, references, [1, 5, 8, 10]),
         _exact_match_by_length(sources, hypotheses, references, [1, 5, 8, 10])),
    ]
    for description, args, expected in cases:
        ok, got = _call("exact_match_by_length", fn, *args)
        if not ok:
            return
        got = np.asarray(got, float)
        if got.shape != expected.shape or not np.allclose(got, expected, equal_nan=True):
            print(f"✘ exact_match_by_length: wrong values for {description}:\n"
                  f"    expected {expected}\n    got      {got}\n"
                  "  Hint: for each pair of neighbouring edges keep the sources with low <= len < high; "
                  "average (hypothesis == reference) over them; use np.nan when there are none.")
            return
    print("✔ exact_match_by_length: right on 3 cases, including an empty range (nan).")


# -- The FAQ chapter (09_faq) --------------------------------------------------------------


def check_quadratic_fit(fn):
    """Check ``fn(n, seconds) -> (a, b, c)``, the least-squares ``a n^2 + b n + c``.

    Example:
        >>> check_quadratic_fit(lambda n, t: tuple(np.polyfit(n, t, 2)))
        ✔ quadratic_fit: the least-squares coefficients on 3 data sets.
    """
    rng = np.random.default_rng(9)
    n1 = np.array([32, 64, 128, 256, 512, 1024], float)
    t1 = 2e-6 * n1**2 + 1e-3 * n1 + 0.05
    n2 = np.array([10, 20, 30, 40, 50], float)
    t2 = 3 * n2 + 1 + rng.normal(scale=0.5, size=5)
    n3 = np.arange(1, 9, dtype=float)
    t3 = n3**2 * (1 + 0.1 * rng.normal(size=8))
    cases = [(desc, (n, t), tuple(np.polyfit(n, t, 2)))
             for desc, n, t in (("an exact quadratic", n1, t1), ("a noisy straight line", n2, t2),
                                ("a noisy parabola", n3, t3))]
    _run_cases("quadratic_fit", fn, cases, "the least-squares coefficients on 3 data sets.",
               "Hint: build X = [n**2, n, 1] column by column and solve np.linalg.lstsq(X, seconds), "
               "or call np.polyfit(n, seconds, 2); return (a, b, c), highest power first.",
               atol=1e-6, outputs=("a", "b", "c"))


def check_padding_mask(fn):
    """Check ``fn(lengths, src_len) -> mask``, the boolean mask of a padded batch.

    ``mask[b, s]`` is ``True`` when position ``s`` of sentence ``b`` is a real
    token (``s < lengths[b]``) and ``False`` for padding.

    Example:
        >>> check_padding_mask(lambda lengths, n: np.arange(n)[None, :] < np.asarray(lengths)[:, None])
        ✔ padding_mask: right for 3 batches, including a sentence of length 0.
    """
    cases = [(f"lengths {list(lengths)} padded to {n}", (np.array(lengths), n),
              (np.arange(n)[None, :] < np.array(lengths)[:, None]).astype(float))
             for lengths, n in (([3, 1], 4), ([5, 5, 2], 5), ([0, 2], 3))]
    _run_cases("padding_mask", _as_float(fn), cases,
               "right for 3 batches, including a sentence of length 0.",
               "Hint: compare the positions np.arange(src_len) (one row) with the lengths (one column): "
               "np.arange(src_len)[None, :] < lengths[:, None].")


def _as_float(fn):
    """``fn`` whose result (a boolean mask, say) is compared as floats; ``None`` stays ``None``."""
    def wrapped(*args):
        result = fn(*args)
        return None if result is None else np.asarray(result, float)
    return wrapped


def check_local_mask(fn):
    """Check ``fn(n, window) -> mask``, local attention: each position sees its neighbours only.

    ``mask[t, s]`` is ``True`` when ``|t - s| <= window``: the ``(n, n)`` band
    that local attention scores, ``O(n * window)`` pairs instead of ``n^2``.

    Example:
        >>> check_local_mask(lambda n, w: np.abs(np.arange(n)[:, None] - np.arange(n)[None, :]) <= w)
        ✔ local_mask: the band |t - s| <= window for 3 cases.
    """
    cases = [(f"n={n}, window={w}", (n, w),
              (np.abs(np.arange(n)[:, None] - np.arange(n)[None, :]) <= w).astype(float))
             for n, w in ((5, 1), (6, 0), (4, 10))]
    _run_cases("local_mask", _as_float(fn), cases,
               "the band |t - s| <= window for 3 cases.",
               "Hint: the distance between query t and key s is abs(t - s); "
               "np.arange(n)[:, None] - np.arange(n)[None, :] gives all of them at once.")


# -- The algorithm chapter (03_algorithm) ------------------------------------------------


def _decoder_step_shapes(batch, src_len, embedding_dim, units, vocab, decoder):
    """The shapes of one decoder step of the package's decoders (see the algorithm chapter)."""
    rnn_input = embedding_dim + units if decoder == "bahdanau" else embedding_dim
    return {"rnn_input": (batch, rnn_input), "state": (batch, units), "weights": (batch, src_len),
            "context": (batch, units), "combine_input": (batch, 2 * units), "logits": (batch, vocab)}


def check_decoder_step_shapes(fn):
    """Check ``fn(batch, src_len, embedding_dim, units, vocab, decoder) -> dict of shapes``.

    For one step of the package's ``"luong"`` or ``"bahdanau"`` decoder (GRU, encoder
    directions summed), return a dict with the shapes (tuples) of ``"rnn_input"`` (what
    the GRU reads), ``"state"`` (the new state), ``"weights"``, ``"context"``,
    ``"combine_input"`` (what ``W_c`` multiplies) and ``"logits"``.

    Example:
        >>> def shapes(batch, src_len, embedding_dim, units, vocab, decoder):
        ...     extra = units if decoder == "bahdanau" else 0
        ...     return {"rnn_input": (batch, embedding_dim + extra), "state": (batch, units),
        ...             "weights": (batch, src_len), "context": (batch, units),
        ...             "combine_input": (batch, 2 * units), "logits": (batch, vocab)}
        >>> check_decoder_step_shapes(shapes)
        ✔ decoder_step_shapes: right for both decoders on 4 cases.
    """
    name = "decoder_step_shapes"
    hint = ("Hint: the Bahdanau GRU reads [emb(y_{t-1}); c_t], the Luong GRU only emb(y_{t-1}); "
            "both combine [context; state] (2 * units) and score every source position.")
    cases = [(2, 7, 8, 16, 30, "luong"), (2, 7, 8, 16, 30, "bahdanau"), (1, 12, 32, 64, 15, "bahdanau"),
             (3, 5, 4, 6, 9, "luong")]
    for case in cases:
        expected = _decoder_step_shapes(*case)
        ok, got = _call(name, fn, *case)
        if not ok:
            return
        described = "batch={}, src_len={}, embedding_dim={}, units={}, vocab={}, decoder={!r}".format(*case)
        if not isinstance(got, dict) or set(got) != set(expected):
            print(f"✘ {name}: wrong result for {described}: expected a dict with the keys "
                  f"{sorted(expected)}, got {sorted(got) if isinstance(got, dict) else type(got).__name__}.\n  {hint}")
            return
        wrong = {k: tuple(got[k]) for k in expected if tuple(int(d) for d in got[k]) != expected[k]}
        if wrong:
            print(f"✘ {name}: wrong shapes for {described}:\n"
                  f"    expected {({k: expected[k] for k in wrong})}\n    got      {wrong}\n  {hint}")
            return
    print(f"✔ {name}: right for both decoders on 4 cases.")


def _luong_case(seed, vocab, embedding_dim, units, src_len, real):
    """A random LuongDecoder (additive attention, GRU), its weights as numpy, inputs and its step's outputs."""
    import keras

    from .models import LuongDecoder

    keras.utils.set_random_seed(seed)
    decoder = LuongDecoder(vocab, embedding_dim=embedding_dim, units=units, attention="additive")
    rng = np.random.default_rng(seed)
    bias = decoder.rnn.cell.bias
    bias.assign(rng.normal(size=bias.shape).astype("float32") * 0.5)  # non-zero biases, to be checked
    decoder.attention.b.assign(rng.normal(size=units).astype("float32") * 0.5)
    weights = {
        "embedding": decoder.embedding.embeddings.numpy(),
        "gru": {"kernel": decoder.rnn.cell.kernel.numpy(), "recurrent_kernel": decoder.rnn.cell.recurrent_kernel.numpy(),
                "bias": decoder.rnn.cell.bias.numpy()},
        "attention": {k: getattr(decoder.attention, k).numpy() for k in ("W1", "W2", "b", "v")},
        "W_c": decoder.combine.kernel.numpy(),
        "W_out": decoder.output_layer.kernel.numpy(),
        "b_out": decoder.output_layer.bias.numpy(),
    }
    previous_id = int(rng.integers(2, vocab))
    state = rng.normal(size=units).astype("float32")
    keys = rng.normal(size=(src_len, units)).astype("float32")
    mask = np.arange(src_len) < real
    logits, new_state, attention = decoder.step(np.array([previous_id]), [state[None]], keys[None], mask[None])
    expected = (np.asarray(logits)[0], np.asarray(new_state[0])[0], np.asarray(attention)[0])
    return (previous_id, state.astype(float), keys.astype(float), mask, weights), expected


def check_luong_step(fn):
    """Check ``fn(previous_id, state, keys, mask, weights) -> (logits, new_state, attention)``,
    one step of the package's Luong decoder (GRU, additive attention) in numpy, for one sentence.

    ``previous_id`` is an int, ``state`` ``(U,)``, ``keys`` the encoder states ``(S, U)``,
    ``mask`` ``(S,)`` booleans. ``weights`` is a dict: ``"embedding"`` ``(V, E)``;
    ``"gru"`` a dict with Keras' ``"kernel"`` ``(E, 3U)``, ``"recurrent_kernel"`` ``(U, 3U)``
    and ``"bias"`` ``(2, 3U)`` (gates in the order z, r, candidate; ``reset_after=True``);
    ``"attention"`` a dict with ``W1, W2, b, v``; ``"W_c"`` ``(2U, U)``, ``"W_out"`` ``(U, V)``,
    ``"b_out"`` ``(V,)``. The expected results come from the package's
    :meth:`~seq2seq_attention.models.LuongDecoder.step` with the same weights.

    Example:
        >>> def luong_step(previous_id, state, keys, mask, weights):
        ...     sigmoid = lambda a: 1 / (1 + np.exp(-a))
        ...     g, att = weights["gru"], weights["attention"]
        ...     x_z, x_r, x_h = np.split(weights["embedding"][previous_id] @ g["kernel"] + g["bias"][0], 3)
        ...     h_z, h_r, h_h = np.split(state @ g["recurrent_kernel"] + g["bias"][1], 3)
        ...     z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
        ...     new_state = z * state + (1 - z) * np.tanh(x_h + r * h_h)
        ...     scores = np.tanh(keys @ att["W1"] + new_state @ att["W2"] + att["b"]) @ att["v"]
        ...     attention = reference.softmax(scores, mask)
        ...     context = attention @ keys
        ...     combined = np.tanh(np.concatenate([context, new_state]) @ weights["W_c"])
        ...     return combined @ weights["W_out"] + weights["b_out"], new_state, attention
        >>> check_luong_step(luong_step)
        ✔ luong_step: same logits, state and attention weights as the package's LuongDecoder on 3 cases.
    """
    cases = []
    for seed, sizes in enumerate(((9, 3, 4, 5, 5), (12, 4, 6, 7, 4), (20, 8, 16, 10, 1))):
        args, expected = _luong_case(seed, *sizes)
        cases.append(("V={}, E={}, U={}, S={} with {} real".format(*sizes), args, expected))
    _run_cases(
        "luong_step",
        fn,
        cases,
        "same logits, state and attention weights as the package's LuongDecoder on 3 cases.",
        "Hint: Luong updates the GRU first, from the embedding alone; then the *new* state is the query; "
        "mask before the softmax; the output layer reads [context; new_state] in that order.",
        atol=1e-4,
        outputs=("logits", "new_state", "attention"),
    )


def _next_token(logits, step, limit, pad_id=0, start_id=2, end_id=3):
    allowed = np.array(logits, dtype=float)
    allowed[[pad_id, start_id]] = -np.inf
    if step + 1 >= limit:
        allowed[np.arange(len(allowed)) != end_id] = -np.inf
    return int(np.argmax(allowed))


def check_next_token(fn):
    """Check ``fn(logits, step, limit) -> int``, the package's greedy choice of the next token.

    ``logits`` ``(V,)`` are one step's scores; ``step`` counts from 0 and ``limit`` is the
    most tokens the output may have. Never choose padding (id 0) or ``[START]`` (id 2); at
    the last allowed step (``step + 1 == limit``) choose ``[END]`` (id 3); otherwise the
    best remaining token. Compared with what :func:`~seq2seq_attention.decoding.greedy_decode`
    does inside its loop.

    Example:
        >>> def next_token(logits, step, limit):
        ...     allowed = np.array(logits, dtype=float)
        ...     allowed[[0, 2]] = -np.inf
        ...     if step + 1 >= limit:
        ...         return 3
        ...     return int(np.argmax(allowed))
        >>> check_next_token(next_token)
        ✔ next_token: right on 4 cases: a plain step, padding or [START] the best, and the last step.
    """
    import tensorflow as tf

    from .decoding import _allowed

    name = "next_token"
    hint = ("Hint: set the logits of ids 0 and 2 to -inf, and at step + 1 == limit every logit but id 3's; "
            "then take the argmax.")
    rng = np.random.default_rng(15)
    plain = rng.normal(size=8)
    pad_best = plain.copy()
    pad_best[0] = 9.0
    start_best = plain.copy()
    start_best[2] = 9.0
    cases = [("a plain step", plain, 0, 10), ("padding has the largest logit", pad_best, 2, 10),
             ("[START] has the largest logit", start_best, 4, 10), ("the last allowed step", plain, 9, 10)]
    for description, logits, step, limit in cases:
        package = _allowed(tf.constant(logits[None], tf.float32), tf.constant(step), tf.constant([limit]))
        expected = int(np.argmax(package.numpy()[0]))
        assert expected == _next_token(logits, step, limit)
        ok, got = _call(name, fn, logits.copy(), step, limit)
        if not ok:
            return
        if not isinstance(got, (int, np.integer)) or int(got) != expected:
            print(f"✘ {name}: wrong token for {description} (step={step}, limit={limit}):\n"
                  f"    expected {expected}\n    got      {got!r}\n  {hint}")
            return
    print(f"✔ {name}: right on 4 cases: a plain step, padding or [START] the best, and the last step.")


# -- The applications chapter (06_applications) ---------------------------------------------


def check_sort_positions(fn):
    """Check ``fn(source) -> positions``: for each character of ``sorted(source)``, the
    index in ``source`` it comes from, with equal characters in source order (a stable sort).

    Example:
        >>> check_sort_positions(lambda s: sorted(range(len(s)), key=lambda i: (s[i], i)))
        ✔ sort_positions: right on 5 strings, repeated characters included.
    """
    from .alignment import source_positions

    cases = [(f"source {s!r}", (s,), np.array(source_positions("sort", s), dtype=float).reshape(-1))
             for s in ("cab", "dcba", "baa", "3141", "zz")]
    _run_cases("sort_positions", fn, cases, "right on 5 strings, repeated characters included.",
               "Hint: sort the indices 0..n-1 by (character, index); the index breaks ties, so of two "
               "equal characters the earlier one comes first (np.argsort(list(source), kind='stable') "
               "does the same).")


def _pointing_cases():
    rng = np.random.default_rng(60)
    source = ["[START]", "q", "w", "e", "r", "[END]"]
    reverse = np.full((5, 6), 0.02)
    reverse[[0, 1, 2, 3, 4], [4, 3, 2, 1, 5]] = 0.9  # writes r e w q [END]
    half = reverse.copy()
    half[[1, 3]] = half[[1, 3], ::-1]  # two steps look elsewhere
    repeated = np.array([[0.1, 0.45, 0.45, 0.0], [0.1, 0.2, 0.7, 0.0], [0.9, 0.05, 0.05, 0.0]])
    random_weights = rng.dirichlet(np.ones(6), size=5)
    return [
        ("a perfect reversal map of 'qwer' (the [END] row is not counted)",
         (reverse, source, ["r", "e", "w", "q", "[END]"]), 1.0),
        ("a reversal map with two steps looking elsewhere", (half, source, ["r", "e", "w", "q", "[END]"]), 0.5),
        ("a repeated 'a' in the source: either copy counts",
         (repeated, ["[START]", "a", "a", "[END]"], ["a", "a", "[END]"]), 1.0),
        ("random weights", (random_weights, source, ["q", "w", "e", "r", "[END]"]), None),
    ]


def check_pointing_accuracy(fn):
    """Check ``fn(weights, source_tokens, target_tokens) -> float``, the fraction of output
    steps (markers such as ``[END]`` excluded) whose most-attended source token is the token written.

    Example:
        >>> from seq2seq_attention.alignment import pointing_accuracy
        >>> check_pointing_accuracy(pointing_accuracy)
        ✔ pointing_accuracy: right on 4 maps, with repeated tokens and the [END] row.
    """
    from .alignment import pointing_accuracy

    cases = [(d, args, pointing_accuracy(*args) if expected is None else expected)
             for d, args, expected in _pointing_cases()]
    _run_cases("pointing_accuracy", fn, cases, "right on 4 maps, with repeated tokens and the [END] row.",
               "Hint: for each row t with a real token (not [START], [END], [UNK] or padding), take "
               "s = np.argmax(weights[t]) and count a hit when source_tokens[s] == target_tokens[t]; "
               "divide by the number of such rows.")


def check_attention_entropy(fn):
    """Check ``fn(weights) -> entropies``, one entropy (in nats) per row, with ``0 log 0 = 0``.

    Example:
        >>> from seq2seq_attention.alignment import attention_entropy
        >>> check_attention_entropy(attention_entropy)
        ✔ attention_entropy: right on 3 maps, one-hot rows (entropy 0) included.
    """
    from .alignment import attention_entropy

    rng = np.random.default_rng(61)
    one_hot = np.eye(4)[[3, 0, 2]]
    mixed = np.array([[0.5, 0.5, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25], [1.0, 0.0, 0.0, 0.0]])
    dense = rng.dirichlet(np.ones(7), size=5)
    cases = [(d, (w,), attention_entropy(w)) for d, w in
             (("one-hot rows", one_hot), ("rows with zeros", mixed), ("random rows of 7 weights", dense))]
    _run_cases("attention_entropy", fn, cases, "right on 3 maps, one-hot rows (entropy 0) included.",
               "Hint: -sum(a * log a) over each row, where a weight of 0 adds 0 (log 0 is -inf, and "
               "0 * -inf is nan): e.g. np.where(w > 0, w * np.log(np.where(w > 0, w, 1)), 0).")


# -- The tools chapter (07_tools) -------------------------------------------------------------


def _clipped_precision(hypothesis, reference_tokens, n):
    def counts(tokens):
        grams = {}
        for i in range(len(tokens) - n + 1):
            gram = tuple(tokens[i:i + n])
            grams[gram] = grams.get(gram, 0) + 1
        return grams

    hyp, ref = counts(hypothesis), counts(reference_tokens)
    return sum(min(c, ref.get(g, 0)) for g, c in hyp.items()), sum(hyp.values())


def check_clipped_precision(fn):
    """Check ``fn(hypothesis, reference, n) -> (matches, total)``, BLEU's clipped n-gram counts.

    ``hypothesis`` and ``reference`` are lists of tokens. ``total`` is the number of
    n-grams of the hypothesis; ``matches`` counts each of them at most as many times as
    it occurs in the reference.

    Example:
        >>> check_clipped_precision(_clipped_precision)
        ✔ clipped_precision: right on 5 cases, from unigrams to 4-grams.
    """
    cat = "the cat is on the mat".split()
    cases = [
        ("'the the the the the the the' against 'the cat is on the mat', n=1",
         ("the the the the the the the".split(), cat, 1), (2, 7)),
        ("'the cat the cat on the mat' against 'the cat is on the mat', n=2",
         ("the cat the cat on the mat".split(), cat, 2), _clipped_precision("the cat the cat on the mat".split(), cat, 2)),
        ("an exact copy, n=4", (cat, cat, 4), (3, 3)),
        ("a hypothesis shorter than n", (["the", "cat"], cat, 3), (0, 0)),
        ("'a a b a' against 'a b a b', n=1", (list("aaba"), list("abab"), 1), (3, 4)),
    ]
    _run_cases("clipped_precision", fn, cases, "right on 5 cases, from unigrams to 4-grams.",
               "Hint: count each n-gram (a tuple of n tokens) in the hypothesis and in the reference; "
               "matches = sum over hypothesis n-grams of min(its count, its count in the reference).",
               outputs=("matches", "total"))


def check_brevity_penalty(fn):
    """Check ``fn(hypothesis_length, reference_length) -> float``, BLEU's brevity penalty:
    1 when the hypothesis is longer than the reference, ``exp(1 - r / c)`` otherwise
    (0 for an empty hypothesis).

    Example:
        >>> check_brevity_penalty(lambda c, r: 1.0 if c > r else (0.0 if c == 0 else float(np.exp(1 - r / c))))
        ✔ brevity_penalty: right on 5 cases, empty hypothesis included.
    """
    cases = [(f"c={c}, r={r}", (c, r), 1.0 if c > r else (0.0 if c == 0 else np.exp(1 - r / c)))
             for c, r in ((12, 10), (10, 10), (10, 12), (1, 5), (0, 7))]
    _run_cases("brevity_penalty", fn, cases, "right on 5 cases, empty hypothesis included.",
               "Hint: only a hypothesis shorter than the reference is penalised: bp = exp(1 - r / c) "
               "for c < r (note r / c, not c / r), 1 otherwise, and 0 when c = 0.")


def _signature_fields(signature):
    return dict(part.split(":", 1) for part in signature.split("|") if part)


def _signature_differences(a, b):
    fa, fb = _signature_fields(a), _signature_fields(b)
    return sorted(k for k in fa.keys() | fb.keys() if fa.get(k) != fb.get(k))


def check_signature_differences(fn):
    """Check ``fn(signature_a, signature_b) -> names``: the sorted names of the fields of two
    sacreBLEU signatures (``"nrefs:1|case:mixed|...|version:2.4.0"``) whose values differ,
    a field present in only one counting as different.

    Example:
        >>> check_signature_differences(_signature_differences)
        ✔ signature_differences: right on 4 pairs of signatures.
    """
    base = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0"
    cases = [
        (base, base, []),
        (base, base.replace("tok:13a", "tok:intl").replace("case:mixed", "case:lc"), ["case", "tok"]),
        (base, base.replace("nrefs:1", "nrefs:2"), ["nrefs"]),
        ("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0",
         "nrefs:1|case:mixed|eff:no|tok:flores200|smooth:exp|version:2.3.1|extra:yes", ["extra", "tok", "version"]),
    ]
    hint = ('Hint: split each signature on "|", each part on the first ":" into name and value '
            "(a dict); compare the values of every name in either dict, and sort the names that differ.")
    for a, b, expected in cases:
        ok, got = _call("signature_differences", fn, a, b)
        if not ok:
            return
        if list(got) != expected:
            print(f"✘ signature_differences: wrong names for\n    {a}\n    {b}\n"
                  f"    expected {expected}\n    got      {list(got)}\n  {hint}")
            return
    print("✔ signature_differences: right on 4 pairs of signatures.")


# -- The future directions chapter (08_future) ---------------------------------------------


def _split_heads(x, num_heads):
    """``(batch, len, heads * depth) -> (batch, heads, len, depth)``, head ``h`` = features ``h*depth..``."""
    batch, length, features = x.shape
    return x.reshape(batch, length, num_heads, features // num_heads).transpose(0, 2, 1, 3)


def _sinusoidal(length, depth):
    angles = np.arange(length)[:, None] / 10000 ** (np.arange(0, depth, 2)[None, :] / depth)  # (length, depth/2)
    encoding = np.zeros((length, depth))
    encoding[:, 0::2], encoding[:, 1::2] = np.sin(angles), np.cos(angles)
    return encoding


def check_split_heads(fn):
    """Check ``fn(x, num_heads) -> heads``: ``(batch, len, d_model)`` -> ``(batch, heads, len, d_model / heads)``.

    Example:
        >>> check_split_heads(lambda x, h: x.reshape(x.shape[0], x.shape[1], h, -1).transpose(0, 2, 1, 3))
        ✔ split_heads: right on 3 cases; head h holds features h * depth to (h + 1) * depth - 1.
    """
    rng = np.random.default_rng(12)
    cases = []
    for batch, length, heads, depth in [(1, 2, 2, 3), (2, 5, 4, 2), (3, 4, 1, 6)]:
        x = rng.normal(size=(batch, length, heads * depth))
        cases.append((f"x of shape {x.shape} with num_heads={heads}", (x, heads), _split_heads(x, heads)))
    _run_cases("split_heads", fn, cases, "right on 3 cases; head h holds features h * depth to (h + 1) * depth - 1.",
               "Hint: reshape to (batch, len, heads, depth) first (each position's features, cut into heads), "
               "then swap the len and heads axes with transpose(0, 2, 1, 3). Reshaping straight to "
               "(batch, heads, len, depth) mixes positions.")


def check_sinusoidal_encoding(fn):
    """Check ``fn(length, depth) -> (length, depth)`` sinusoidal positional encodings.

    Example:
        >>> def encoding(length, depth):
        ...     angles = np.arange(length)[:, None] / 10000 ** (np.arange(0, depth, 2) / depth)
        ...     return np.stack([np.sin(angles), np.cos(angles)], axis=-1).reshape(length, depth)
        >>> check_sinusoidal_encoding(encoding)
        ✔ sinusoidal_encoding: right for 3 sizes: sines on even features, cosines on odd ones.
    """
    cases = [(f"length={n}, depth={d}", (n, d), _sinusoidal(n, d)) for n, d in [(4, 2), (10, 8), (50, 16)]]
    _run_cases("sinusoidal_encoding", fn, cases, "right for 3 sizes: sines on even features, cosines on odd ones.",
               "Hint: PE[p, 2i] = sin(p / 10000^(2i / depth)) and PE[p, 2i + 1] = cos(p / 10000^(2i / depth)); "
               "the exponent uses 2i, the even feature index, divided by depth.", atol=1e-6)


def check_causal_attention(fn):
    """Check ``fn(q, k, v) -> (output, weights)``: scaled dot-product self-attention where
    position ``t`` sees positions ``0..t`` only. ``q``, ``k`` are ``(T, d)``, ``v`` ``(T, d_v)``.

    Example:
        >>> def causal(q, k, v):
        ...     scores = q @ k.T / np.sqrt(k.shape[-1])
        ...     scores = np.where(np.tril(np.ones(scores.shape, bool)), scores, -np.inf)
        ...     w = np.exp(scores - scores.max(-1, keepdims=True))
        ...     w = w / w.sum(-1, keepdims=True)
        ...     return w @ v, w
        >>> check_causal_attention(causal)
        ✔ causal_attention: right output and weights on 3 cases; nothing comes from the future.
    """
    rng = np.random.default_rng(13)
    cases = []
    for length, d, d_v in [(3, 2, 2), (5, 4, 3), (6, 8, 8)]:
        q, k, v = rng.normal(size=(length, d)), rng.normal(size=(length, d)), rng.normal(size=(length, d_v))
        context, weights = reference.attention(q, k, v, mask=np.tril(np.ones((length, length), bool)),
                                               score="scaled_dot")
        cases.append((f"T={length}, d={d}, d_v={d_v}", (q, k, v), (context, weights)))
    _run_cases("causal_attention", fn, cases,
               "right output and weights on 3 cases; nothing comes from the future.",
               "Hint: scores = q @ k.T / sqrt(d); set the scores above the diagonal (s > t) to -inf, or mask "
               "them, BEFORE the softmax; then output = weights @ v.", outputs=("output", "weights"))
