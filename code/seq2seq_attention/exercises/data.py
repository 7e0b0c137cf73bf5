"""Checkers for the exercises of chapter 05_1_data (Practice: data with
tf.data).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_separate_punctuation(unfinished)
    ✘ separate_punctuation: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from ._harness import call_solution, report

__all__ = [
    "check_separate_punctuation",
    "check_ordinal",
    "check_split_by_source",
    "check_teacher_forcing",
]


def check_separate_punctuation(fn):
    """Check ``fn(text) -> str``: lower case, a space around each punctuation
    mark, single spaces.

    Example:
        >>> from seq2seq_attention.data import normalize
        >>> check_separate_punctuation(normalize)
        ✔ separate_punctuation: 6 sentences in 3 scripts, including ¿ ¡ « » and
        。.
        >>> check_separate_punctuation(lambda text: text.lower())
        ✘ separate_punctuation: for '¿Qué hora es?' expected '¿ qué hora es ?',
        got '¿qué hora es?'.
          Hint: a character is punctuation when unicodedata.category(ch) starts
          with "P"; put " " on both sides, then join text.split().
    """
    cases = [
        ("¿Qué hora es?", "¿ qué hora es ?"),
        ("¡Hola, Tom!", "¡ hola , tom !"),
        ("Él dijo: «ya».", "él dijo : « ya » ."),
        ("  Go   home.  ", "go home ."),
        ("Привет, мир!", "привет , мир !"),
        ("なるほど。", "なるほど 。"),
    ]
    hint = (
        "Hint: a character is punctuation when unicodedata.category(ch) "
        'starts with "P"; put " " on both sides, then join text.split().'
    )
    for text, expected in cases:
        ok, got = call_solution("separate_punctuation", fn, text)
        if not ok:
            return
        if got != expected:
            report(
                f"✘ separate_punctuation: for {text!r} expected "
                f"{expected!r}, got {got!r}.\n  {hint}"
            )
            return
    report(
        "✔ separate_punctuation: 6 sentences in 3 scripts, including ¿ ¡ « "
        "» and 。."
    )


def check_ordinal(fn):
    """Check ``fn(day) -> str`` gives ``1st``, ``2nd``, ``3rd``, ``4th``, ...,
    ``11th``, ``21st``.

    Example:
        >>> from seq2seq_attention.tasks.dates import english_ordinal
        >>> check_ordinal(english_ordinal)
        ✔ ordinal: right for every day of the month, and for 101 to 113.
        >>> check_ordinal(
        ...     lambda day: (
        ...         f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"
        ...     )
        ... )
        ✘ ordinal: for 11 expected '11th', got '11st'.
          Hint: 11, 12 and 13 take "th" (eleventh, twelfth, thirteenth)
          although they end in 1, 2, 3.
    """
    from ..tasks.dates import english_ordinal

    for day in [
        1,
        2,
        3,
        4,
        10,
        11,
        12,
        13,
        14,
        20,
        21,
        22,
        23,
        24,
        30,
        31,
        101,
        102,
        103,
        111,
        112,
        113,
    ]:
        ok, got = call_solution("ordinal", fn, day)
        if not ok:
            return
        if got != english_ordinal(day):
            report(
                f"✘ ordinal: for {day} expected {english_ordinal(day)!r}, "
                f'got {got!r}.\n  Hint: 11, 12 and 13 take "th" '
                "(eleventh, twelfth, thirteenth) although they end in "
                "1, 2, 3."
            )
            return
    report("✔ ordinal: right for every day of the month, and for 101 to 113.")


def check_split_by_source(fn):
    """Check ``fn(pairs, test_fraction, seed) -> (train, test)``, a split by
    distinct source.

    Example:
        >>> def split(pairs, test_fraction, seed):
        ...     sources = sorted({s for s, _ in pairs})
        ...     rng = np.random.default_rng(seed)
        ...     test = set(
        ...         rng.permutation(sources)[
        ...             : round(test_fraction * len(sources))
        ...         ]
        ...     )
        ...     return [p for p in pairs if p[0] not in test], [
        ...         p for p in pairs if p[0] in test
        ...     ]
        >>> check_split_by_source(split)
        ✔ split_by_source: disjoint sources, every pair kept once, right size,
        same split for the same seed.
        >>> def by_pair(pairs, test_fraction, seed):
        ...     order = np.random.default_rng(seed).permutation(len(pairs))
        ...     n = round(test_fraction * len(pairs))
        ...     return [pairs[i] for i in order[n:]], [
        ...         pairs[i] for i in order[:n]
        ...     ]
        >>> check_split_by_source(by_pair)
        ✘ split_by_source: these sources are in both train and test: ['s0',
        's11', 's19']... A test source seen in training makes the test score
        too optimistic.
          Hint: choose test *sources* (from the set of distinct sources), then
          put every pair of a test source in test.
    """
    rng = np.random.default_rng(5)
    pairs = [
        (f"s{i}", f"t{i}.{k}")
        for i in range(40)
        for k in range(1 + int(rng.integers(0, 3)))
    ]
    pairs = [pairs[i] for i in rng.permutation(len(pairs))]
    hint = (
        "Hint: choose test *sources* (from the set of distinct sources), "
        "then put every pair of a test source in test."
    )
    ok, got = call_solution("split_by_source", fn, list(pairs), 0.25, 0)
    if not ok:
        return
    train, test = [list(map(tuple, part)) for part in got]
    both = sorted({s for s, _ in train} & {s for s, _ in test})
    if both:
        report(
            "✘ split_by_source: these sources are in both train and test: "
            f"{both[:3]}{'...' if len(both) > 3 else ''} A test source "
            "seen in training makes the test score too optimistic.\n  "
            f"{hint}"
        )
        return
    if sorted(train + test) != sorted(pairs):
        report(
            "✘ split_by_source: train and test together must hold every "
            f"pair exactly once ({len(pairs)} pairs); they hold "
            f"{len(train) + len(test)}.\n  {hint}"
        )
        return
    n_test = len({s for s, _ in test})
    if n_test != 10:
        report(
            "✘ split_by_source: 40 distinct sources and test_fraction=0.25 "
            f"should give 10 test sources, got {n_test}. The fraction "
            f"counts distinct sources, not pairs.\n  {hint}"
        )
        return
    ok, again = call_solution("split_by_source", fn, list(pairs), 0.25, 0)
    if not ok:
        return
    if sorted(map(tuple, again[1])) != sorted(test):
        report(
            "✘ split_by_source: two calls with the same seed gave different "
            "test sets. Use np.random.default_rng(seed), and sort the "
            "distinct sources before shuffling (sets have no fixed "
            "order)."
        )
        return
    report(
        "✔ split_by_source: disjoint sources, every pair kept once, right "
        "size, same split for the same seed."
    )


def check_teacher_forcing(fn):
    """Check ``fn(sequences, start_id, end_id) -> (target_in, target_out)``.

    ``sequences`` is a list of token-id lists without markers. Both results are
    int arrays of shape ``(batch, longest + 1)`` padded with 0: ``target_in``
    is ``[start, ids...]`` and ``target_out`` is ``[ids..., end]``.

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
        ✔ teacher_forcing: right inputs and outputs, offset by one and padded
        with 0, on 3 batches.
    """
    cases = [
        ([[5, 6, 7]], 2, 3),
        ([[5, 6, 7], [8], [9, 10]], 2, 3),
        ([[11, 12], [13, 14, 15, 16]], 1, 4),
    ]
    hint = (
        "Hint: target_in = [start] + ids and target_out = ids + [end], both "
        "padded with 0 to (batch, longest + 1); the decoder reads "
        "target_in[t] and must write target_out[t]."
    )
    for sequences, start_id, end_id in cases:
        width = max(map(len, sequences)) + 1
        expected_in = np.array(
            [[start_id, *s] + [0] * (width - len(s) - 1) for s in sequences]
        )
        expected_out = np.array(
            [[*s, end_id] + [0] * (width - len(s) - 1) for s in sequences]
        )
        ok, got = call_solution(
            "teacher_forcing",
            fn,
            [list(s) for s in sequences],
            start_id,
            end_id,
        )
        if not ok:
            return
        got_in, got_out = (np.asarray(x) for x in got)
        for what, g, e in (
            ("target_in", got_in, expected_in),
            ("target_out", got_out, expected_out),
        ):
            if g.shape != e.shape or not np.array_equal(g, e):
                report(
                    f"✘ teacher_forcing: wrong {what} for sequences "
                    f"{sequences} (start={start_id}, end={end_id}):\n    "
                    f"expected {e.tolist()}\n    got      {g.tolist()}\n"
                    f"  {hint}"
                )
                return
    report(
        "✔ teacher_forcing: right inputs and outputs, offset by one and "
        "padded with 0, on 3 batches."
    )
