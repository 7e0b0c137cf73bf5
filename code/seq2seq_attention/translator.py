"""Strings in, strings out: a trained model together with its tokenizers.

A :class:`Translator` is a ``keras.Model`` that holds the model and the
configuration of both tokenizers (a SentencePiece model, or a word or
character vocabulary; see :mod:`seq2seq_attention.data.tokenizers`), so one
``.keras`` file is the whole translator::

    translator = Translator(model, source_tokenizer, target_tokenizer)
    translator.save("translator.keras")
    translator = keras.saving.load_model("translator.keras", safe_mode=True)
    translator.translate(["¿Cómo estás?"])[0].text

Reading and writing text is the tokenizers' job (their ``normalize``,
``encode`` and ``decode``): the translator only adds ``[START]``/``[END]``,
batches, and calls the decoders of :mod:`seq2seq_attention.decoding`.
"""

from __future__ import annotations

import dataclasses

import keras
import numpy as np

from .data.tokenizers import as_tokenizer, tokenizer_from_config
from .decoding import beam_search, greedy_decode, sample_decode
from .protocol import check_decoding_model
from .special_tokens import END_ID, PAD_ID, START_ID

__all__ = ["Translation", "Translator"]


@dataclasses.dataclass
class Translation:
    """One translated sentence.

    Attributes:
        source: the input text as given.
        text: the translation.
        source_tokens: the tokens the model read, ``[START]``/``[END]``
            included (subword pieces, or words with ``[UNK]`` for those
            outside a word vocabulary).
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
    """A trained model with its tokenizers: any model of the package
    (:class:`~seq2seq_attention.protocol.DecodingModel`), such as a
    :class:`~seq2seq_attention.models.Seq2SeqAttention` or a
    :class:`~seq2seq_attention.transformer.Transformer`.

    Args:
        model: the trained model, speaking the decoding protocol
            (:class:`~seq2seq_attention.protocol.DecodingModel`).
        source_tokenizer, target_tokenizer: tokenizers of
            :mod:`seq2seq_attention.data.tokenizers`, their ``get_config()``
            dicts, or ``TextVectorization`` layers made by
            :func:`seq2seq_attention.data.make_vectorizer`.
        max_source_tokens: longer inputs are refused with a clear error
            (split the text into sentences first).

    Example:
        >>> from seq2seq_attention import data
        >>> src = data.make_vectorizer(["go .", "run !"])
        >>> tgt = data.make_vectorizer(["ve .", "corre !"])
        >>> from seq2seq_attention.models import Seq2SeqAttention
        >>> model = Seq2SeqAttention(
        ...     src.vocabulary_size(),
        ...     tgt.vocabulary_size(),
        ...     embedding_dim=4,
        ...     units=8,
        ... )
        >>> translator = Translator(model, src, tgt)
        >>> result = translator.translate(["Go home!"])[0]  # untrained
        >>> result.source_tokens, result.target_tokens[-1]
        (['[START]', 'go', '[UNK]', '!', '[END]'], '[END]')
    """

    def __init__(
        self,
        model,
        source_tokenizer,
        target_tokenizer,
        max_source_tokens=200,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_decoding_model(model, "Translator")
        if not isinstance(model, keras.Model):
            raise TypeError(
                "Translator needs a keras.Model (to save it with its "
                f"tokenizers); got {type(model).__name__}."
            )
        self.seq2seq = model
        # Plain attributes (saved through get_config), not layers to track.
        object.__setattr__(
            self, "source_tokenizer", as_tokenizer(source_tokenizer)
        )
        object.__setattr__(
            self, "target_tokenizer", as_tokenizer(target_tokenizer)
        )
        self.max_source_tokens = max_source_tokens
        for side, tokenizer, size in (
            ("source", self.source_tokenizer, model.source_vocab_size),
            ("target", self.target_tokenizer, model.target_vocab_size),
        ):
            if tokenizer.vocabulary_size() != size:
                raise ValueError(
                    f"The {side} tokenizer has {tokenizer.vocabulary_size()} "
                    f"ids but the model expects {size} ({side}_vocab_size): "
                    "this tokenizer is not the one the model was built with."
                )
        self.built = True

    @property
    def source_config(self):
        """The source tokenizer's config (its ``level`` says which kind)."""
        return self.source_tokenizer.get_config()

    @property
    def target_config(self):
        """The target tokenizer's config."""
        return self.target_tokenizer.get_config()

    @property
    def source_vocabulary(self):
        """id -> source token."""
        return self.source_tokenizer.vocabulary

    @property
    def target_vocabulary(self):
        """id -> target token."""
        return self.target_tokenizer.vocabulary

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
        """Tokenize texts; returns ``(ids (batch, src_len), tokens per
        text)``, ``[START]``/``[END]`` included, padded with 0."""
        texts = self._check_texts(texts)
        rows = [
            [START_ID, *ids, END_ID]
            for ids in self.source_tokenizer.encode(texts)
        ]
        for i, row in enumerate(rows):
            if len(row) - 2 > self.max_source_tokens:
                raise ValueError(
                    f"Input {i} has {len(row) - 2} tokens, more than "
                    f"max_source_tokens={self.max_source_tokens}: split "
                    "long texts into sentences and translate them one "
                    "by one."
                )
        ids = np.full((len(rows), max(map(len, rows))), PAD_ID, np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
        return ids, [self.source_tokenizer.tokens(row) for row in rows]

    def detokenize(self, ids):
        """The text of target ids (reserved ids dropped)."""
        return self.target_tokenizer.decode(ids)

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
        model is not run for it).
        """
        if method not in ("greedy", "beam", "sample"):
            raise ValueError(
                f"Unknown decoding method {method!r}; choose 'greedy', "
                "'beam' or 'sample'."
            )
        options = dict(
            max_length=max_length,
            beam_size=beam_size,
            alpha=alpha,
            temperature=temperature,
            top_k=top_k,
            top_p=top_p,
            seed=seed,
        )
        texts = self._check_texts(texts)
        results = [
            Translation(t, "", [], [], np.zeros((0, 0)), 0.0) for t in texts
        ]
        todo = [i for i, t in enumerate(texts) if t.strip()]
        for start in range(0, len(todo), batch_size):
            chunk = todo[start : start + batch_size]
            ids, source_tokens = self.encode_sources([texts[i] for i in chunk])
            hypotheses = self._decode(ids, method, options)
            for i, tokens, best in zip(chunk, source_tokens, hypotheses):
                target, log_prob, weights, alternatives = best
                results[i] = Translation(
                    source=texts[i],
                    text=self.detokenize(target),
                    source_tokens=tokens,
                    target_tokens=self.target_tokenizer.tokens(target),
                    weights=weights[: len(target), : len(tokens)],
                    log_prob=log_prob,
                    alternatives=alternatives,
                )
        return results

    def _decode(self, ids, method, options):
        """Decode a batch; per sentence ``(ids, log_prob, weights,
        alternatives)``, the ids ending with ``[END]`` (unless cut off)."""
        limit = options["max_length"]
        if method == "beam":
            found = beam_search(
                self.seq2seq,
                ids,
                beam_size=options["beam_size"],
                alpha=options["alpha"],
                max_length=limit,
            )
            out = []
            for r in range(len(ids)):
                n = found.lengths[r]
                alternatives = [
                    (
                        self.detokenize(found.tokens[r, k, : n[k]]),
                        float(found.scores[r, k]),
                        float(found.normalized_scores[r, k]),
                    )
                    for k in range(found.tokens.shape[1])
                ]
                best = list(found.tokens[r, 0, : n[0]])
                weights = found.weights[r, 0]
                score = float(found.scores[r, 0])
                out.append((best, score, weights, alternatives))
            return out
        if method == "greedy":
            decoded = greedy_decode(self.seq2seq, ids, max_length=limit)
        else:
            decoded = sample_decode(
                self.seq2seq,
                ids,
                temperature=options["temperature"],
                top_k=options["top_k"],
                top_p=options["top_p"],
                seed=options["seed"],
                max_length=limit,
            )
        return [
            (
                list(decoded.tokens[r, : decoded.lengths[r]]),
                float(decoded.log_probs[r].sum()),
                decoded.weights[r],
                [],
            )
            for r in range(len(ids))
        ]

    def get_config(self):
        return {
            "model": keras.saving.serialize_keras_object(self.seq2seq),
            "source_tokenizer": self.source_config,
            "target_tokenizer": self.target_config,
            "max_source_tokens": self.max_source_tokens,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["model"] = keras.saving.deserialize_keras_object(
            config["model"]
        )
        for side in ("source", "target"):  # files written before subwords
            if f"{side}_vectorizer" in config:
                config[f"{side}_tokenizer"] = config.pop(f"{side}_vectorizer")
            config[f"{side}_tokenizer"] = tokenizer_from_config(
                config[f"{side}_tokenizer"]
            )
        return cls(**config)
