"""Scoring a translator honestly: a random sample, all references, cased
sacreBLEU with its signature.

:func:`evaluate_translator` is the one function the command line, the
chapters and the benchmarks call. It

- groups the pairs by source, so each source is translated once and scored
  against **all** its references (Tatoeba has several for many sentences);
- evaluates a **seeded random sample** of the sources when given a
  ``limit``, never the first rows: corpora such as Tatoeba's are sorted by
  length, and their first thousand sentences are ``Go.``, ``Hi.``, ``Run!``;
- scores the translations as a person would read them (detokenized,
  cased) against the references as they were written, with sacreBLEU's
  BLEU and chrF, and returns their **signatures** so a score is never quoted
  without its settings; a lower-cased BLEU is returned beside it for
  comparison with lower-cased word-level baselines;
- scores character-level tasks (dates) by exact match.

Example:
    >>> class Echo:  # a stand-in translator that copies its input
    ...     target_config = {"level": "word"}
    ...
    ...     def translate(self, texts, **options):
    ...         return [type("T", (), {"text": t})() for t in texts]
    >>> pair = ("The cat sat on the mat.", "The cat sat on the mat.")
    >>> scores = evaluate_translator(Echo(), [pair])
    >>> (
    ...     round(scores["bleu"]),
    ...     scores["sentences"],
    ...     scores["signature"]["bleu"][:9],
    ... )
    (100, 1, 'nrefs:1|c')
"""

from __future__ import annotations

import numpy as np

from .metrics import exact_match, group_references, sacrebleu_scores

__all__ = ["evaluate_translator", "format_scores", "sample_sources"]


def sample_sources(pairs, limit=None, seed=0):
    """``(sources, references)``: the distinct sources of ``pairs`` with all
    their references, a seeded random sample of ``limit`` of them (in random
    order) if ``limit`` is smaller than their number.

    Example:
        >>> pairs = [(f"s{i}", f"t{i}") for i in range(100)]
        >>> sample_sources(pairs, limit=3, seed=0)[0]
        ['s82', 's36', 's20']
    """
    sources, references = group_references(pairs)
    if limit is not None and limit < len(sources):
        chosen = np.random.default_rng(seed).permutation(len(sources))[:limit]
        sources = [sources[i] for i in chosen]
        references = [references[i] for i in chosen]
    return sources, references


def evaluate_translator(
    translator,
    pairs,
    metric="auto",
    limit=None,
    seed=0,
    method="greedy",
    batch_size=64,
    **decoding,
):
    """Translate the sources of ``pairs`` and score the translations.

    Args:
        translator: a :class:`~seq2seq_attention.translator.Translator`.
        pairs: ``(source, target)`` pairs as written (not normalized): the
            translator normalizes sources itself, and references are scored
            as they are. A source with several targets is translated once.
        metric: ``"bleu"`` (BLEU, chrF and lower-cased BLEU), ``"exact"``
            (exact match), or ``"auto"``: exact match for character-level
            targets (dates), BLEU otherwise.
        limit: evaluate a seeded random sample of this many distinct
            sources (:func:`sample_sources`); ``None``: all of them.
        seed: the sample's seed.
        method, decoding: how to decode (``"greedy"``, ``"beam"`` with
            ``beam_size``/``alpha``, ``"sample"``): passed to
            :meth:`~seq2seq_attention.translator.Translator.translate`.

    Returns:
        a dict with ``"sentences"``, the scores (``"bleu"``, ``"chrf"``,
        ``"bleu_lowercase"`` and their sacreBLEU ``"signature"``s, or
        ``"exact_match"``), ``"translations"`` (a list of
        :class:`~seq2seq_attention.translator.Translation`) and their
        ``"references"``.
    """
    if metric == "auto":
        level = translator.target_config["level"]
        metric = "exact" if level == "character" else "bleu"
    if metric not in ("bleu", "exact"):
        raise ValueError(
            f"metric must be 'auto', 'bleu' or 'exact'; got {metric!r}."
        )
    sources, references = sample_sources(pairs, limit, seed)
    if not sources:
        raise ValueError("evaluate_translator needs at least one pair.")
    translations = translator.translate(
        sources, method=method, batch_size=batch_size, **decoding
    )
    hypotheses = [t.text for t in translations]
    scores = {"sentences": len(sources), "method": method}
    if metric == "bleu":
        scores |= sacrebleu_scores(hypotheses, references)
    else:
        scores |= {"exact_match": exact_match(hypotheses, references)}
    return scores | {"translations": translations, "references": references}


def format_scores(scores):
    """One line of scores, then the sacreBLEU signatures.

    Example:
        >>> print(format_scores({"sentences": 2000, "exact_match": 0.993}))
        exact match 99.3% on 2,000 sentences
    """
    n = f"{scores['sentences']:,} sentences"
    if "exact_match" in scores:
        return f"exact match {scores['exact_match']:.1%} on {n}"
    line = (
        f"BLEU {scores['bleu']:.1f} (cased; lower-cased "
        f"{scores['bleu_lowercase']:.1f}), chrF {scores['chrf']:.1f} on {n}"
    )
    signature = scores["signature"]
    return f"{line}\n  BLEU  {signature['bleu']}\n  chrF  {signature['chrf']}"
