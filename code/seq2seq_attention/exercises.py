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
