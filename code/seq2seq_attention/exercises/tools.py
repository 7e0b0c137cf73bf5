"""Checkers for the exercises of chapter 07_tools (Tools and resources).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_clipped_precision(unfinished)
    ✘ clipped_precision: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from ._harness import call_solution, report, run_cases

__all__ = [
    "check_clipped_precision",
    "check_brevity_penalty",
    "check_signature_differences",
]


def _clipped_precision(hypothesis, reference_tokens, n):
    def counts(tokens):
        grams = {}
        for i in range(len(tokens) - n + 1):
            gram = tuple(tokens[i : i + n])
            grams[gram] = grams.get(gram, 0) + 1
        return grams

    hyp, ref = counts(hypothesis), counts(reference_tokens)
    return sum(min(c, ref.get(g, 0)) for g, c in hyp.items()), sum(
        hyp.values()
    )


def check_clipped_precision(fn):
    """Check ``fn(hypothesis, reference, n) -> (matches, total)``, BLEU's
    clipped n-gram counts.

    ``hypothesis`` and ``reference`` are lists of tokens. ``total`` is the
    number of n-grams of the hypothesis; ``matches`` counts each of them at
    most as many times as it occurs in the reference.

    Example:
        >>> check_clipped_precision(_clipped_precision)
        ✔ clipped_precision: right on 5 cases, from unigrams to 4-grams.
    """
    cat = ["the", "cat", "is", "on", "the", "mat"]
    cases = [
        (
            "'the the the the the the the' against 'the cat is on the mat', "
            "n=1",
            (["the", "the", "the", "the", "the", "the", "the"], cat, 1),
            (2, 7),
        ),
        (
            "'the cat the cat on the mat' against 'the cat is on the mat', "
            "n=2",
            (["the", "cat", "the", "cat", "on", "the", "mat"], cat, 2),
            _clipped_precision(
                ["the", "cat", "the", "cat", "on", "the", "mat"], cat, 2
            ),
        ),
        ("an exact copy, n=4", (cat, cat, 4), (3, 3)),
        ("a hypothesis shorter than n", (["the", "cat"], cat, 3), (0, 0)),
        (
            "'a a b a' against 'a b a b', n=1",
            (list("aaba"), list("abab"), 1),
            (3, 4),
        ),
    ]
    run_cases(
        "clipped_precision",
        fn,
        cases,
        "right on 5 cases, from unigrams to 4-grams.",
        "Hint: count each n-gram (a tuple of n tokens) in the hypothesis "
        "and in the reference; matches = sum over hypothesis n-grams of "
        "min(its count, its count in the reference).",
        outputs=("matches", "total"),
    )


def check_brevity_penalty(fn):
    """Check ``fn(hypothesis_length, reference_length) -> float``, BLEU's
    brevity penalty: 1 when the hypothesis is longer than the reference,
    ``exp(1 - r / c)`` otherwise (0 for an empty hypothesis).

    Example:
        >>> check_brevity_penalty(
        ...     lambda c, r: (
        ...         1.0
        ...         if c > r
        ...         else (0.0 if c == 0 else float(np.exp(1 - r / c)))
        ...     )
        ... )
        ✔ brevity_penalty: right on 5 cases, empty hypothesis included.
    """
    cases = [
        (
            f"c={c}, r={r}",
            (c, r),
            1.0 if c > r else (0.0 if c == 0 else np.exp(1 - r / c)),
        )
        for c, r in ((12, 10), (10, 10), (10, 12), (1, 5), (0, 7))
    ]
    run_cases(
        "brevity_penalty",
        fn,
        cases,
        "right on 5 cases, empty hypothesis included.",
        "Hint: only a hypothesis shorter than the reference is penalised: "
        "bp = exp(1 - r / c) for c < r (note r / c, not c / r), 1 "
        "otherwise, and 0 when c = 0.",
    )


def _signature_fields(signature):
    return dict(part.split(":", 1) for part in signature.split("|") if part)


def _signature_differences(a, b):
    fa, fb = _signature_fields(a), _signature_fields(b)
    return sorted(k for k in fa.keys() | fb.keys() if fa.get(k) != fb.get(k))


def check_signature_differences(fn):
    """Check ``fn(signature_a, signature_b) -> names``: the sorted names of the
    fields of two sacreBLEU signatures
    (``"nrefs:1|case:mixed|...|version:2.4.0"``) whose values differ, a field
    present in only one counting as different.

    Example:
        >>> check_signature_differences(_signature_differences)
        ✔ signature_differences: right on 4 pairs of signatures.
    """
    base = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0"
    cases = [
        (base, base, []),
        (
            base,
            base.replace("tok:13a", "tok:intl").replace(
                "case:mixed", "case:lc"
            ),
            ["case", "tok"],
        ),
        (base, base.replace("nrefs:1", "nrefs:2"), ["nrefs"]),
        (
            "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0",
            "nrefs:1|case:mixed|eff:no|tok:flores200|smooth:exp|version:2.3.1|extra:yes",
            ["extra", "tok", "version"],
        ),
    ]
    hint = (
        'Hint: split each signature on "|", each part on the first ":" '
        "into name and value (a dict); compare the values of every name "
        "in either dict, and sort the names that differ."
    )
    for a, b, expected in cases:
        ok, got = call_solution("signature_differences", fn, a, b)
        if not ok:
            return
        if list(got) != expected:
            report(
                f"✘ signature_differences: wrong names for\n    {a}\n    {b}\n"
                f"    expected {expected}\n    got      {list(got)}\n  {hint}"
            )
            return
    report("✔ signature_differences: right on 4 pairs of signatures.")
