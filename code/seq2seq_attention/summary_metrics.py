"""Scores for summaries: ROUGE, and how many of the facts were copied.

- :func:`rouge`: ROUGE-1, ROUGE-2 and ROUGE-L F-measures (Lin, 2004) from
  Google's ``rouge-score`` package, the implementation most papers report
  (including See et al., 2017), rather than a hand-written one. Its
  tokenizer lower-cases and keeps letters and digits, so ``[UNK]`` counts
  as the word ``unk``, which matches no reference word.
- :func:`fact_copy_rates`: of the names and figures a reference headline
  copies from its report (the ``facts`` of a
  :class:`~seq2seq_attention.tasks.headlines.NewsItem`),
  the fraction that the summary contains, names and figures apart.

Example:
    >>> scores = rouge(["storm hits palmar"], ["storm leaves palmar dark"])
    >>> round(scores["rouge1"], 3), round(scores["rouge2"], 3)
    (0.571, 0.0)
    >>> fact_copy_rates(["storm hits palmar"], [("palmar", "4200")])
    {'names': 1.0, 'figures': 0.0, 'all': 0.5}
"""

from __future__ import annotations

import numpy as np

__all__ = ["evaluate_summaries", "fact_copy_rates", "rouge"]

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")


def _check_lengths(what, hypotheses, others):
    if len(hypotheses) != len(others):
        raise ValueError(
            f"{what}: got {len(hypotheses)} summaries and "
            f"{len(others)} references; they must be as many."
        )


def rouge(hypotheses, references, types=ROUGE_TYPES):
    """Mean ROUGE F-measures of summaries against one reference each.

    Args:
        hypotheses: the summaries (strings).
        references: the reference summaries, one per hypothesis.
        types: which ROUGE scores (``rouge-score`` names).

    Returns:
        ``{type: mean F-measure in [0, 1]}``.

    Example:
        >>> rouge(["a b c"], ["a b c"])
        {'rouge1': 1.0, 'rouge2': 1.0, 'rougeL': 1.0}
    """
    from rouge_score import rouge_scorer  # imported here: needed only here

    hypotheses, references = list(hypotheses), list(references)
    _check_lengths("rouge", hypotheses, references)
    if not hypotheses:
        raise ValueError("rouge: got no summaries to score.")
    scorer = rouge_scorer.RougeScorer(list(types))
    totals = {t: 0.0 for t in types}
    for hypothesis, reference in zip(hypotheses, references):
        # score(target, prediction): the reference comes first.
        for t, score in scorer.score(reference, hypothesis).items():
            totals[t] += score.fmeasure
    return {t: totals[t] / len(hypotheses) for t in types}


def fact_copy_rates(hypotheses, facts):
    """The fraction of facts (names, figures) found in each summary.

    A fact counts as copied when it is one of the summary's words.
    Figures are the facts made of digits; names are the others.

    Args:
        hypotheses: the summaries (strings of space-separated words).
        facts: for each summary, the words it should contain.

    Returns:
        ``{"names": ..., "figures": ..., "all": ...}``, each a fraction
        (NaN when there were no facts of that kind).

    Example:
        >>> fact_copy_rates(
        ...     ["kelo wins prize", "[UNK] wins prize"], [("kelo",), ("dora",)]
        ... )
        {'names': 0.5, 'figures': nan, 'all': 0.5}
    """
    hypotheses, facts = list(hypotheses), list(facts)
    _check_lengths("fact_copy_rates", hypotheses, facts)
    found = {"names": [], "figures": []}
    for hypothesis, wanted in zip(hypotheses, facts):
        words = set(hypothesis.split())
        for fact in wanted:
            kind = "figures" if fact.isdigit() else "names"
            found[kind].append(fact in words)
    rates = {
        k: float(np.mean(v)) if v else float("nan") for k, v in found.items()
    }
    every = found["names"] + found["figures"]
    rates["all"] = float(np.mean(every)) if every else float("nan")
    return rates


def evaluate_summaries(hypotheses, references, facts):
    """ROUGE, fact copy rates and exact match in one flat dict.

    Args:
        hypotheses: the summaries.
        references: the reference summaries.
        facts: for each, the names and figures it should copy.

    Example:
        >>> scores = evaluate_summaries(
        ...     ["kelo wins"], ["kelo wins"], [("kelo",)]
        ... )
        >>> scores["rougeL"], scores["names"], scores["exact_match"]
        (1.0, 1.0, 1.0)
    """
    hypotheses, references = list(hypotheses), list(references)
    _check_lengths("evaluate_summaries", hypotheses, references)
    scores = rouge(hypotheses, references)
    scores.update(fact_copy_rates(hypotheses, facts))
    exact = [h.split() == r.split() for h, r in zip(hypotheses, references)]
    scores["exact_match"] = float(np.mean(exact))
    return scores
