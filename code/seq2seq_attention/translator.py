"""Strings in, strings out: a trained model together with its vocabularies.

A :class:`Translator` is a ``keras.Model`` that holds the
:class:`~seq2seq_attention.models.Seq2SeqAttention` and the configuration of
both vectorizers (their vocabularies included), so one ``.keras`` file is the
whole translator::

    translator = Translator(model, source_vectorizer, target_vectorizer)
    translator.save("translator.keras")
    translator = keras.saving.load_model("translator.keras")
    translator.translate(["How are you?"])[0].text
"""

from __future__ import annotations

import dataclasses

import keras
import numpy as np

from . import data
from .decoding import beam_search, greedy_decode, sample_decode
from .models import Seq2SeqAttention

__all__ = ["Translation", "Translator"]


@dataclasses.dataclass
class Translation:
    """One translated sentence.

    Attributes:
        source: the input text as given.
        text: the translation.
        source_tokens: the tokens the model read, ``[START]``/``[END]``
            included, with ``[UNK]`` for words outside the vocabulary.
        target_tokens: the tokens the model wrote, ``[END]`` included.
        weights: ``(len(target_tokens), len(source_tokens))`` attention
            weights.
        log_prob: total log-probability of ``target_tokens``.
        alternatives: with beam search, the n-best list as ``(text, log_prob,
            normalized_score)`` tuples, best first (the first is ``text``).
    """

    source: str
    text: str
    source_tokens: list
    target_tokens: list
    weights: np.ndarray
    log_prob: float
    alternatives: list = dataclasses.field(default_factory=list)


@keras.saving.register_keras_serializable(package="seq2seq_attention")
class Translator(keras.Model):
    """A trained :class:`Seq2SeqAttention` with its vocabularies.

    Args:
        model: the trained model.
        source_vectorizer, target_vectorizer: the ``TextVectorization``
            layers made by :func:`seq2seq_attention.data.make_vectorizer`
            (or their :func:`~seq2seq_attention.data.vectorizer_config` dicts).
        max_source_tokens: longer inputs are refused with a clear error
            (split the text into sentences first).

    Example:
        >>> src = data.make_vectorizer(["go .", "run !"])
        >>> tgt = data.make_vectorizer(["ve .", "corre !"])
        >>> model = Seq2SeqAttention(
        ...     src.vocabulary_size(),
        ...     tgt.vocabulary_size(),
        ...     embedding_dim=4,
        ...     units=8,
        ... )
        >>> translator = Translator(model, src, tgt)
        >>> result = translator.translate(["Go home!"])[
        ...     0
        ... ]  # untrained: some tokens, then [END]
        >>> result.source_tokens, result.target_tokens[-1]
        (['[START]', 'go', '[UNK]', '!', '[END]'], '[END]')
    """

    def __init__(
        self,
        model,
        source_vectorizer,
        target_vectorizer,
        max_source_tokens=200,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(model, Seq2SeqAttention):
            raise TypeError(
                "Translator needs a Seq2SeqAttention model; got "
                f"{type(model).__name__}."
            )
        self.seq2seq = model
        self.source_config = _as_config(source_vectorizer)
        self.target_config = _as_config(target_vectorizer)
        self.max_source_tokens = max_source_tokens
        for side, config, size in (
            ("source", self.source_config, model.source_vocab_size),
            ("target", self.target_config, model.target_vocab_size),
        ):
            # + padding, [UNK], [START], [END]
            vocabulary_size = len(config["vocabulary"]) + 4
            if vocabulary_size != size:
                raise ValueError(
                    f"The {side} vocabulary has {vocabulary_size} tokens "
                    f"but the model expects {size} ({side}_vocab_size): "
                    "this vocabulary was not the one the model was "
                    "built with."
                )
        # Plain attributes, rebuilt from the configs: not layers to be saved.
        object.__setattr__(
            self,
            "_source_vectorizer",
            data.vectorizer_from_config(self.source_config),
        )
        self.target_vocabulary = [
            "",
            data.UNK,
            data.START,
            data.END,
            *self.target_config["vocabulary"],
        ]
        self.source_vocabulary = [
            "",
            data.UNK,
            data.START,
            data.END,
            *self.source_config["vocabulary"],
        ]
        self.built = True

    def call(self, inputs, training=None):
        return self.seq2seq(inputs, training=training)

    def _check_texts(self, texts):
        if isinstance(texts, str):
            raise TypeError(
                "translate() takes a list of strings; for one sentence "
                'write translate(["..."]).'
            )
        texts = list(texts)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(
                    f"translate() takes strings; item {i} is "
                    f"{type(text).__name__}: {text!r}."
                )
        return texts

    def encode_sources(self, texts):
        """Normalise and encode texts; returns
        ``(ids (batch, src_len), tokens per text)``."""
        texts = self._check_texts(texts)
        level = self.source_config["level"]
        normalized = [
            data.normalize(t) if level == "word" else t for t in texts
        ]
        ragged = data.encode(normalized, self._source_vectorizer)
        lengths = ragged.row_lengths().numpy()
        for i, n in enumerate(lengths):
            if n - 2 > self.max_source_tokens:
                raise ValueError(
                    f"Input {i} has {n - 2} tokens, more than "
                    f"max_source_tokens={self.max_source_tokens}: split "
                    "long texts into sentences and translate them one "
                    "by one."
                )
        ids = ragged.to_tensor(default_value=data.PAD_ID).numpy()
        tokens = [
            [self.source_vocabulary[j] for j in row[:n]]
            for row, n in zip(ids, lengths)
        ]
        return ids, tokens

    def _detokenize(self, ids):
        tokens = [
            self.target_vocabulary[i]
            for i in ids
            if i not in (data.PAD_ID, data.START_ID, data.END_ID)
        ]
        return (
            "" if self.target_config["level"] == "character" else " "
        ).join(tokens)

    def translate(
        self,
        texts,
        method="greedy",
        max_length=None,
        batch_size=64,
        beam_size=4,
        alpha=0.6,
        temperature=1.0,
        top_k=None,
        top_p=None,
        seed=0,
    ):
        """Translate a list of strings; returns a list of :class:`Translation`.

        Args:
            texts: the sentences.
            method: ``"greedy"``, ``"beam"`` (with ``beam_size`` and length
                normalisation ``alpha``) or ``"sample"`` (with ``temperature``,
                ``top_k``, ``top_p`` and ``seed``); see
                :mod:`seq2seq_attention.decoding`.
            max_length: most output tokens; each sentence is also bounded by
                its source length
                (:func:`~seq2seq_attention.decoding.length_limits`).
            batch_size: sentences decoded together.

        An empty or blank string translates to ``""`` with no tokens (the
        model is not run for it). Unknown words become ``[UNK]``.
        """
        if method not in ("greedy", "beam", "sample"):
            raise ValueError(
                f"Unknown decoding method {method!r}; choose 'greedy', "
                "'beam' or 'sample'."
            )
        texts = self._check_texts(texts)
        results = [
            Translation(t, "", [], [], np.zeros((0, 0)), 0.0) for t in texts
        ]
        todo = [i for i, t in enumerate(texts) if t.strip()]
        for start in range(0, len(todo), batch_size):
            chunk = todo[start : start + batch_size]
            ids, source_tokens = self.encode_sources([texts[i] for i in chunk])
            if method == "beam":
                found = beam_search(
                    self.seq2seq,
                    ids,
                    beam_size=beam_size,
                    alpha=alpha,
                    max_length=max_length,
                )
                best = [
                    (
                        found.tokens[r, 0],
                        found.scores[r, 0],
                        found.weights[r, 0],
                        found.lengths[r, 0],
                    )
                    for r in range(len(chunk))
                ]
            else:
                if method == "greedy":
                    decoded = greedy_decode(
                        self.seq2seq, ids, max_length=max_length
                    )
                else:
                    decoded = sample_decode(
                        self.seq2seq,
                        ids,
                        temperature=temperature,
                        top_k=top_k,
                        top_p=top_p,
                        seed=seed,
                        max_length=max_length,
                    )
                best = [
                    (
                        decoded.tokens[r],
                        decoded.log_probs[r].sum(),
                        decoded.weights[r],
                        decoded.lengths[r],
                    )
                    for r in range(len(chunk))
                ]
            for row, i in enumerate(chunk):
                tokens, log_prob, weights, n = best[row]
                n = int(n)
                alternatives = []
                if method == "beam":
                    alternatives = [
                        (
                            self._detokenize(
                                found.tokens[row, k, : found.lengths[row, k]]
                            ),
                            float(found.scores[row, k]),
                            float(found.normalized_scores[row, k]),
                        )
                        for k in range(found.tokens.shape[1])
                    ]
                results[i] = Translation(
                    source=texts[i],
                    text=self._detokenize(tokens[:n]),
                    source_tokens=source_tokens[row],
                    target_tokens=[
                        self.target_vocabulary[j] for j in tokens[:n]
                    ],
                    weights=weights[:n, : len(source_tokens[row])],
                    log_prob=float(log_prob),
                    alternatives=alternatives,
                )
        return results

    def get_config(self):
        return {
            "model": keras.saving.serialize_keras_object(self.seq2seq),
            "source_vectorizer": self.source_config,
            "target_vectorizer": self.target_config,
            "max_source_tokens": self.max_source_tokens,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["model"] = keras.saving.deserialize_keras_object(
            config["model"]
        )
        return cls(**config)


def _as_config(vectorizer):
    if isinstance(vectorizer, dict):
        missing = {"level", "standardize", "vocabulary"} - set(vectorizer)
        if missing:
            raise ValueError(
                "A vectorizer config needs the keys level, standardize, "
                f"vocabulary; missing {missing}."
            )
        return vectorizer
    return data.vectorizer_config(vectorizer)
