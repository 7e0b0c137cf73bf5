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


def _run_cases(name, fn, cases, success, hint, atol=1e-6):
    """Run ``fn`` on each ``(description, args, expected)``; print one ✔/✘ line."""
    for description, args, expected in cases:
        with np.errstate(all="ignore"):  # report overflow through the result, not warnings
            ok, got = _call(name, fn, *args)
        if not ok:
            return
        got = np.asarray(got, dtype=float)
        expected = np.asarray(expected, dtype=float)
        if got.shape != expected.shape:
            print(
                f"✘ {name}: wrong shape for {description}: expected {expected.shape}, got {got.shape}. {hint}"
            )
            return
        if not np.allclose(got, expected, atol=atol, rtol=1e-5):
            with np.printoptions(precision=4, suppress=True):
                print(
                    f"✘ {name}: wrong values for {description}:\n"
                    f"    expected {expected}\n    got      {got}\n  {hint}"
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
