"""Checkers for the exercises of chapter 05_4_decoding (Decoding).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_length_penalty(unfinished)
    ✘ length_penalty: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from ._harness import call_solution, report, run_cases

__all__ = [
    "check_length_penalty",
    "check_beam_step",
    "check_top_p_filter",
    "check_greedy_decode",
]


def check_length_penalty(fn):
    """Check ``fn(length, alpha) -> penalty``, GNMT's
    ``((5 + length) / 6) ** alpha``, for numbers and for arrays of lengths.

    Example:
        >>> check_length_penalty(
        ...     lambda length, alpha: ((5 + np.asarray(length)) / 6) ** alpha
        ... )
        ✔ length_penalty: matches the package's length_penalty on 5 cases,
        arrays included.
    """
    from ..decoding import length_penalty

    lengths = np.arange(1, 21)
    cases = [
        (f"length={n}, alpha={a}", (n, a), float(length_penalty(n, a)))
        for n, a in ((1, 0.6), (7, 0.0), (11, 0.6), (30, 1.0))
    ]
    cases.append(
        (
            "lengths 1..20, alpha=0.6",
            (lengths, 0.6),
            np.asarray(length_penalty(lengths, 0.6)),
        )
    )
    run_cases(
        "length_penalty",
        fn,
        cases,
        "matches the package's length_penalty on 5 cases, arrays included.",
        "Hint: lp = ((5 + length) / 6) ** alpha; a hypothesis of length 1 "
        "gets exactly 1, and alpha = 0 gives 1 for every length.",
        atol=1e-5,
    )


def _beam_step(scores, log_probs, k):
    """The reference: the ``k`` best (parent, token, score) of every extension,
    best first."""
    candidates = (scores[:, None] + log_probs).ravel()  # (K * V,)
    order = np.argsort(-candidates, kind="stable")[:k]
    parents, tokens = np.divmod(order, log_probs.shape[1])
    return parents, tokens, candidates[order]


def check_beam_step(fn):
    """Check ``fn(scores, log_probs, k) -> (parents, tokens, new_scores)``, one
    step of beam search.

    ``scores`` ``(K,)`` are the alive hypotheses' total log-probabilities and
    ``log_probs`` ``(K, V)`` their next-token log-probabilities. Every
    hypothesis extended by every token scores ``scores[i] + log_probs[i, w]``;
    return the ``k`` best of these ``K * V`` candidates, best first: each one's
    parent hypothesis ``i``, token ``w`` and score, three arrays of shape
    ``(k,)``.

    Example:
        >>> def beam_step(scores, log_probs, k):
        ...     candidates = (scores[:, None] + log_probs).ravel()
        ...     best = np.argsort(-candidates)[:k]
        ...     return (
        ...         best // log_probs.shape[1],
        ...         best % log_probs.shape[1],
        ...         candidates[best],
        ...     )
        >>> check_beam_step(beam_step)
        ✔ beam_step: right parents, tokens and scores on 4 cases, including a
        first step with one real hypothesis.
    """
    rng = np.random.default_rng(9)

    def log_softmax(x):
        x = x - x.max(axis=-1, keepdims=True)
        return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))

    cases = []
    for beams, vocab, k in ((1, 5, 1), (3, 6, 3), (2, 4, 4), (4, 7, 8)):
        scores = np.sort(-rng.exponential(2.0, size=beams))[::-1]
        log_probs = log_softmax(rng.normal(size=(beams, vocab)) * 2)
        cases.append(
            (
                f"K={beams}, V={vocab}, k={k}",
                (scores, log_probs, k),
                _beam_step(scores, log_probs, k),
            )
        )
    # The first step: only hypothesis 0 is real, the others are "impossible"
    # copies.
    scores = np.array([0.0, -1e9, -1e9])
    log_probs = log_softmax(rng.normal(size=(3, 6)) * 2)
    cases[1] = (
        "the first step (scores [0, -1e9, -1e9]), V=6, k=3",
        (scores, log_probs, 3),
        _beam_step(scores, log_probs, 3),
    )
    run_cases(
        "beam_step",
        fn,
        cases,
        "right parents, tokens and scores on 4 cases, including a first "
        "step with one real hypothesis.",
        "Hint: add each hypothesis' score to its row of log_probs "
        "(broadcasting), flatten the (K, V) candidates, take the k "
        "largest, best first; index // V is the parent and index % V the "
        "token.",
        outputs=("parents", "tokens", "scores"),
    )


def _top_p(probs, p):
    """The reference nucleus: keep a token if the tokens ranked above it hold
    less than ``p``."""
    order = np.argsort(-probs, kind="stable")
    # mass of the tokens ranked above each one
    before = np.cumsum(probs[order]) - probs[order]
    kept = np.zeros_like(probs)
    kept[order] = np.where(before < p, probs[order], 0.0)
    return kept / kept.sum()


def check_top_p_filter(fn):
    """Check ``fn(probs, p) -> probs``, nucleus (top-p) filtering of one
    distribution ``(V,)``.

    Keep the smallest set of most likely tokens whose probabilities add up to
    at least ``p`` (a token is kept if the tokens ranked above it hold less
    than ``p``, so the most likely token is always kept); set the others to 0
    and renormalise so that the result sums to 1.

    Example:
        >>> def top_p_filter(probs, p):
        ...     order = np.argsort(-probs)
        ...     before = np.cumsum(probs[order]) - probs[order]
        ...     kept = np.zeros_like(probs)
        ...     kept[order[before < p]] = probs[order[before < p]]
        ...     return kept / kept.sum()
        >>> check_top_p_filter(top_p_filter)
        ✔ top_p_filter: right on 5 cases, unsorted probabilities and p = 1
        included.
    """
    rng = np.random.default_rng(10)
    spiky = np.array([0.5, 0.25, 0.125, 0.0625, 0.0625])
    random = rng.dirichlet(np.ones(8))
    cases = [
        (f"probs {spiky.tolist()}, p={p}", (spiky, p), _top_p(spiky, p))
        for p in (0.7, 0.5, 1.0)
    ]
    shuffled = spiky[[3, 1, 4, 0, 2]]
    cases.append(
        (
            f"probs {shuffled.tolist()} (not sorted), p=0.8",
            (shuffled, 0.8),
            _top_p(shuffled, 0.8),
        )
    )
    cases.append(
        ("8 random probabilities, p=0.9", (random, 0.9), _top_p(random, 0.9))
    )
    run_cases(
        "top_p_filter",
        fn,
        cases,
        "right on 5 cases, unsorted probabilities and p = 1 included.",
        "Hint: sort the tokens by probability (descending); keep a token "
        "while the mass of the tokens *before* it is below p (so the "
        "token that crosses p is kept); zero the rest, then divide by "
        "the kept total.",
    )


class _RunawayLoop(Exception):
    """The reader's greedy loop called the model far more often than max_length
    allows."""


def _toy_model(table):
    """A "model" whose next-token log-probabilities depend only on the previous
    token; it refuses to be called more than 100 times (a loop that never
    stops)."""
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
    """Check ``fn(next_log_probs, start_id, end_id, max_length) -> tokens``,
    greedy decoding.

    ``next_log_probs(previous_token)`` returns the ``(V,)`` log-probabilities
    of the next token (a toy model that only looks at the previous token).
    Start from ``start_id``, append the most likely token at each step, and
    stop after ``end_id`` (included in the result) or after ``max_length``
    tokens, whichever comes first. Return the tokens as an int array.

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
        ✔ greedy_decode: right on 3 toy models, including one that never
        produces [END].
    """
    name = "greedy_decode"
    hint = (
        "Hint: loop while fewer than max_length tokens were produced; take "
        "the argmax of next_log_probs(previous), append it, feed it "
        "back, and stop right after end_id."
    )
    rng = np.random.default_rng(11)
    start_id, end_id = 2, 3
    ends = np.log(np.full((6, 6), 0.01))
    for previous, following in {
        2: 4,
        4: 5,
        5: 3,
    }.items():  # [START] -> 4 -> 5 -> [END]
        ends[previous, following] = np.log(0.9)
    loops = np.log(np.full((6, 6), 0.01))
    for previous, following in {
        2: 4,
        4: 5,
        5: 4,
    }.items():  # 4 5 4 5 ... never [END]
        loops[previous, following] = np.log(0.9)
    random = rng.normal(size=(8, 8)) * 3
    random[:, end_id] -= 2  # ends after a few tokens, not at once
    cases = [
        ("a model that writes 4 5 [END]", ends, 10),
        ("a model that never writes [END]", loops, 7),
        ("a random model over 8 tokens", random, 12),
    ]
    for description, table, max_length in cases:
        expected = _greedy_from_table(table, start_id, end_id, max_length)
        try:
            ok, got = call_solution(
                name, fn, _toy_model(table), start_id, end_id, max_length
            )
        except _RunawayLoop:
            report(
                f"✘ {name}: for {description} (max_length={max_length}) "
                "your loop called the model more than 100 times: it "
                "does not stop. A model that never writes [END] must be "
                f"stopped by max_length.\n  {hint}"
            )
            return
        if not ok:
            return
        got = np.asarray(got)
        if got.shape != expected.shape or not np.array_equal(got, expected):
            report(
                f"✘ {name}: wrong tokens for {description} "
                f"(max_length={max_length}):\n    expected "
                f"{expected.tolist()}\n    got      {got.tolist()}\n  "
                f"{hint}"
            )
            return
    report(
        f"✔ {name}: right on 3 toy models, including one that never "
        "produces [END]."
    )
