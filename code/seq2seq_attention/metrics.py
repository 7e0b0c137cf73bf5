"""Losses and metrics: masked ones for training, BLEU/chrF/exact match for
evaluation.

Padding (token id 0) must not count: a model that predicts padding well is
not translating well. Training uses :func:`masked_loss` and
:class:`MaskedTokenAccuracy`; evaluation scores decoded strings with
sacreBLEU (the standard implementation, so our BLEU is comparable with
published numbers) and exact match for the dates task.
"""

from __future__ import annotations

import keras
from keras import ops

__all__ = [
    "masked_loss",
    "MaskedTokenAccuracy",
    "corpus_bleu",
    "corpus_chrf",
    "exact_match",
]

_PACKAGE = "seq2seq_attention"


def masked_loss():
    """Cross-entropy over the target vocabulary that ignores padding (id 0).

    Keras' ``SparseCategoricalCrossentropy(ignore_class=0)`` averages over the
    real tokens only, which is what we want.

    Example:
        >>> import numpy as np
        >>> loss = masked_loss()
        >>> logits = np.log(
        ...     np.array([[[0.1, 0.9], [0.5, 0.5]]], "float32")
        ... )  # (1, 2, vocab=2)
        >>> round(
        ...     float(loss(np.array([[1, 0]]), logits)), 4
        ... )  # only the first token counts
        0.1054
    """
    return keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=0, name="masked_loss"
    )


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MaskedTokenAccuracy(keras.metrics.Metric):
    """Fraction of real (non-padding) target tokens predicted correctly.

    Example:
        >>> import numpy as np
        >>> metric = MaskedTokenAccuracy()
        >>> logits = np.array(
        ...     [[[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]]
        ... )
        >>> metric.update_state(
        ...     np.array([[1, 1, 0]]), logits
        ... )  # 1 right, 1 wrong, 1 padding
        >>> float(metric.result())
        0.5
    """

    def __init__(self, name="masked_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.correct = self.add_variable(
            shape=(), initializer="zeros", name="correct"
        )
        self.total = self.add_variable(
            shape=(), initializer="zeros", name="total"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(y_true, "int32")  # (batch, tgt_len)
        # (batch, tgt_len)
        predicted = ops.cast(ops.argmax(y_pred, axis=-1), "int32")
        real = ops.cast(ops.not_equal(y_true, 0), "float32")
        if sample_weight is not None:
            real = real * ops.cast(sample_weight, "float32")
        self.correct.assign_add(
            ops.sum(ops.cast(ops.equal(predicted, y_true), "float32") * real)
        )
        self.total.assign_add(ops.sum(real))

    def result(self):
        return ops.divide_no_nan(self.correct, self.total)

    def reset_state(self):
        self.correct.assign(0.0)
        self.total.assign(0.0)


def _references_by_stream(references):
    """sacreBLEU wants one list per reference *stream*; we take one list of
    references per sentence (any number each) and transpose, padding with
    None where a sentence has fewer references."""
    references = [[r] if isinstance(r, str) else list(r) for r in references]
    if any(not r for r in references):
        raise ValueError(
            "every hypothesis needs at least one reference; got an empty "
            "reference list."
        )
    width = max(len(r) for r in references)
    return [
        [r[i] if i < len(r) else None for r in references]
        for i in range(width)
    ]


def _check_lengths(hypotheses, references):
    if isinstance(hypotheses, str):
        raise TypeError(
            "hypotheses must be a list of strings, not one string."
        )
    if len(hypotheses) != len(references):
        raise ValueError(
            f"got {len(hypotheses)} hypotheses but {len(references)} "
            "references; there must be one reference (or list of "
            "references) per hypothesis."
        )


def corpus_bleu(hypotheses, references, tokenize="13a"):
    """Corpus BLEU (0–100) with sacreBLEU.

    Args:
        hypotheses: list of decoded sentences.
        references: for each hypothesis, a reference string or a list of them
            (Tatoeba often has several Spanish translations of one sentence).
        tokenize: sacreBLEU tokenizer; ``"13a"`` is its default.

    Example:
        >>> round(
        ...     corpus_bleu(
        ...         ["the cat sat on the mat"],
        ...         [["the cat sat on the mat", "a cat sat"]],
        ...     ),
        ...     1,
        ... )
        100.0
    """
    import sacrebleu

    _check_lengths(hypotheses, references)
    # force=True: the course scores normalised text (punctuation already split
    # off, on both sides alike), which sacreBLEU would otherwise warn about as
    # "tokenized".
    return float(
        sacrebleu.corpus_bleu(
            list(hypotheses),
            _references_by_stream(references),
            tokenize=tokenize,
            force=True,
        ).score
    )


def corpus_chrf(hypotheses, references):
    """Corpus chrF (0–100) with sacreBLEU: character n-gram F-score, kinder
    than BLEU to morphology and to short sentences.

    Example:
        >>> round(corpus_chrf(["el gato negro"], ["el gato negro"]), 1)
        100.0
    """
    import sacrebleu

    _check_lengths(hypotheses, references)
    return float(
        sacrebleu.corpus_chrf(
            list(hypotheses), _references_by_stream(references)
        ).score
    )


def exact_match(hypotheses, references):
    """Fraction of hypotheses equal to (one of) their references, after
    stripping surrounding white space. Used for the dates task.

    Example:
        >>> exact_match(
        ...     ["2015-03-03", "2015-03-04"], ["2015-03-03", "2015-03-05"]
        ... )
        0.5
    """
    _check_lengths(hypotheses, references)
    if not hypotheses:
        raise ValueError("exact_match needs at least one hypothesis.")
    hits = 0
    for hypothesis, refs in zip(hypotheses, references):
        refs = [refs] if isinstance(refs, str) else refs
        hits += hypothesis.strip() in {r.strip() for r in refs}
    return hits / len(hypotheses)


def group_references(pairs):
    """Group ``(source, target)`` pairs by source:
    ``(sources, [targets of each])``.

    Tatoeba has several translations of many sentences; BLEU should count a
    hypothesis as right if it matches any of them.

    Example:
        >>> group_references(
        ...     [("go .", "ve ."), ("hi .", "hola ."), ("go .", "vete .")]
        ... )
        (['go .', 'hi .'], [['ve .', 'vete .'], ['hola .']])
    """
    grouped = {}
    for source, target in pairs:
        grouped.setdefault(source, []).append(target)
    return list(grouped), list(grouped.values())


def evaluate_translator(
    translator, pairs, metric="bleu", limit=None, batch_size=64
):
    """Translate the sources of ``pairs`` and score the results.

    Args:
        translator: a :class:`~seq2seq_attention.translator.Translator`.
        pairs: ``(source, target)`` pairs (normalised text); a source with
            several targets is translated once and scored against all of them.
        metric: ``"bleu"`` (reports BLEU and chrF) or ``"exact"`` (exact
            match).
        limit: evaluate at most this many distinct sources.

    Returns:
        a dict with the scores, ``"sentences"``, and the translations
        (``"translations"``, a list of
        :class:`~seq2seq_attention.translator.Translation`) with their
        ``"references"``.
    """
    if metric not in ("bleu", "exact"):
        raise ValueError(f"metric must be 'bleu' or 'exact'; got {metric!r}.")
    sources, references = group_references(pairs)
    if limit is not None:
        sources, references = sources[:limit], references[:limit]
    if not sources:
        raise ValueError("evaluate_translator needs at least one pair.")
    translations = translator.translate(sources, batch_size=batch_size)
    hypotheses = [t.text for t in translations]
    scores = {"sentences": len(sources)}
    if metric == "bleu":
        scores |= {
            "bleu": corpus_bleu(hypotheses, references),
            "chrf": corpus_chrf(hypotheses, references),
        }
    else:
        scores |= {"exact_match": exact_match(hypotheses, references)}
    return scores | {"translations": translations, "references": references}
