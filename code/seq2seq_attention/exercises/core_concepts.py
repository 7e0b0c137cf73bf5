"""Checkers for the exercises of chapter 02_core_concepts (Core concepts:
attention, decoders, greedy and beam search).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_soft_lookup(unfinished)
    ✘ soft_lookup: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from .. import reference
from ._harness import call_solution, report, run_cases

__all__ = [
    "check_soft_lookup",
    "check_sequence_log_prob",
    "check_best_sequence",
]


def check_soft_lookup(fn):
    """Check ``fn(query, keys, values, temperature) -> (result, weights)``, a
    soft dictionary lookup.

    ``query`` ``(d,)``, ``keys`` ``(S, d)``, ``values`` ``(S, d_v)``. The
    scores are the dot products ``keys @ query``; the weights their softmax
    after dividing by ``temperature`` (computed so that it cannot overflow);
    the result ``weights @ values``, shape ``(d_v,)``. A tiny temperature must
    give the value of the best-matching key: a hard lookup.

    Example:
        >>> def soft_lookup(query, keys, values, temperature):
        ...     weights = reference.softmax(keys @ query / temperature)
        ...     return weights @ values, weights
        >>> check_soft_lookup(soft_lookup)
        ✔ soft_lookup: right result and weights on 4 cases, including a
        temperature of 0.001 (a hard lookup).
    """
    rng = np.random.default_rng(12)
    cases = []
    for d, S, dv, temperature in (
        (2, 3, 1, 1.0),
        (4, 5, 3, 0.5),
        (3, 6, 2, 5.0),
        (4, 5, 2, 0.001),
    ):
        query, keys, values = (
            rng.normal(size=d),
            rng.normal(size=(S, d)),
            rng.normal(size=(S, dv)),
        )
        weights = reference.softmax(keys @ query / temperature)
        cases.append(
            (
                f"d={d}, S={S}, d_v={dv}, temperature={temperature}",
                (query, keys, values, temperature),
                (weights @ values, weights),
            )
        )
    run_cases(
        "soft_lookup",
        fn,
        cases,
        "right result and weights on 4 cases, including a temperature of "
        "0.001 (a hard lookup).",
        "Hint: scores = keys @ query; weights = softmax(scores / "
        "temperature), subtracting the maximum first; result = weights @ "
        "values.",
        outputs=("result", "weights"),
    )


def _sequence_log_prob(log_probs, tokens, start_id):
    previous, total = start_id, 0.0
    for token in tokens:
        total += log_probs[previous, token]
        previous = token
    return float(total)


def _bigram_table(rng, vocab, sharp=2.0):
    """A random (vocab, vocab) table of next-token log-probabilities (each row
    a log-softmax)."""
    logits = rng.normal(size=(vocab, vocab)) * sharp
    logits -= logits.max(axis=1, keepdims=True)
    return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


def check_sequence_log_prob(fn):
    """Check ``fn(log_probs, tokens, start_id) -> float``, the log-probability
    of a sequence.

    ``log_probs[i, j]`` is ``log p(next = j | previous = i)`` (a toy model that
    sees only the previous token). The sequence's log-probability is
    ``log_probs[start_id, tokens[0]] + log_probs[tokens[0], tokens[1]] + ...``.

    Example:
        >>> def sequence_log_prob(log_probs, tokens, start_id):
        ...     previous = [start_id] + list(tokens[:-1])
        ...     return float(log_probs[previous, tokens].sum())
        >>> check_sequence_log_prob(sequence_log_prob)
        ✔ sequence_log_prob: right on 3 sequences, the first token scored after
        start_id.
    """
    rng = np.random.default_rng(13)
    table = _bigram_table(rng, 6)
    cases = []
    for tokens, start_id in (
        ([4, 5, 3], 2),
        ([3], 2),
        ([1, 1, 4, 0, 5, 3], 0),
    ):
        cases.append(
            (
                f"tokens {tokens} with start_id={start_id}",
                (table, list(tokens), start_id),
                _sequence_log_prob(table, tokens, start_id),
            )
        )
    run_cases(
        "sequence_log_prob",
        fn,
        cases,
        "right on 3 sequences, the first token scored after start_id.",
        "Hint: the first token follows start_id; add log_probs[previous, "
        "token] for every token, then make that token the previous one.",
    )


def _all_sequences(vocab, start_id, end_id, max_length):
    """Every sequence of at most ``max_length`` tokens that ends with
    ``end_id`` (and only there)."""
    import itertools

    words = [w for w in range(vocab) if w not in (start_id, end_id)]
    return [
        list(p) + [end_id]
        for n in range(max_length)
        for p in itertools.product(words, repeat=n)
    ]


def _best_sequence(log_probs, start_id, end_id, max_length):
    candidates = _all_sequences(
        log_probs.shape[0], start_id, end_id, max_length
    )
    return np.array(
        max(
            candidates,
            key=lambda y: _sequence_log_prob(log_probs, y, start_id),
        )
    )


def check_best_sequence(fn):
    """Check ``fn(log_probs, start_id, end_id, max_length) -> tokens``,
    exhaustive search.

    Among every sequence of at most ``max_length`` tokens that ends with
    ``end_id`` (and contains neither ``end_id`` before its end nor
    ``start_id``), return the most likely one under the bigram table
    ``log_probs`` (see :func:`check_sequence_log_prob`), ``end_id`` included,
    as an int array.

    Example:
        >>> import itertools
        >>> def best_sequence(log_probs, start_id, end_id, max_length):
        ...     words = [
        ...         w
        ...         for w in range(len(log_probs))
        ...         if w not in (start_id, end_id)
        ...     ]
        ...
        ...     def score(y):
        ...         return sum(
        ...             log_probs[a, b] for a, b in zip([start_id] + y[:-1], y)
        ...         )
        ...
        ...     candidates = [
        ...         list(p) + [end_id]
        ...         for n in range(max_length)
        ...         for p in itertools.product(words, repeat=n)
        ...     ]
        ...     return np.array(max(candidates, key=score))
        >>> check_best_sequence(best_sequence)
        ✔ best_sequence: finds the most likely sequence on 3 tables, including
        one that fools greedy decoding.
    """
    name = "best_sequence"
    hint = (
        "Hint: list every candidate with itertools.product(words, repeat=n) "
        "for n = 0 .. max_length - 1, append end_id, score each with the "
        "sum of log_probs[previous, token] from start_id, keep the best."
    )
    rng = np.random.default_rng(14)
    # A table where greedy decoding is wrong: 0 = [START], 1 = [END], words 2,
    # 3, 4, 5.
    trap = np.full((6, 6), 1e-6)
    trap[0, [2, 3]] = [0.5, 0.4]
    trap[2, [4, 1]] = [0.45, 0.3]
    trap[3, 5] = 0.9
    trap[4, 1] = trap[5, 1] = 0.9
    trap = np.log(trap / trap.sum(axis=1, keepdims=True))
    cases = [
        (
            "a table where greedy decoding picks a worse sequence",
            (trap, 0, 1, 4),
        ),
        ("a random table over 5 tokens", (_bigram_table(rng, 5), 0, 1, 4)),
        (
            "a random table over 6 tokens, max_length=3",
            (_bigram_table(rng, 6, sharp=1.0), 2, 3, 3),
        ),
    ]
    for description, args in cases:
        expected = _best_sequence(*args)
        ok, got = call_solution(name, fn, *args)
        if not ok:
            return
        got = np.asarray(got)
        if got.shape != expected.shape or not np.array_equal(got, expected):
            table, start_id = args[0], args[1]
            got_score = (
                f"{_sequence_log_prob(table, got.tolist(), start_id):.4f}"
                if got.ndim == 1
                and got.dtype.kind in "iu"
                and got.size
                and np.all(got < len(table))
                else "?"
            )
            expected_score = _sequence_log_prob(
                table, expected.tolist(), start_id
            )
            report(
                f"✘ {name}: wrong sequence for {description} "
                f"(max_length={args[3]}):\n    expected "
                f"{expected.tolist()} (log-probability "
                f"{expected_score:.4f})\n"
                f"    got      {got.tolist()} (log-probability "
                f"{got_score})\n  {hint}"
            )
            return
    report(
        f"✔ {name}: finds the most likely sequence on 3 tables, including "
        "one that fools greedy decoding."
    )
