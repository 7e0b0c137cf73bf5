"""Strings in, strings out for a pointer-generator: the :class:`Summarizer`.

Like :class:`~seq2seq_attention.translator.Translator`, a ``Summarizer`` is
a ``keras.Model`` holding the trained
:class:`~seq2seq_attention.pointer.PointerGenerator` and its (word-level)
tokenizer, so one ``.keras`` file is the whole summarizer::

    summarizer = Summarizer(model, tokenizer)
    summarizer.save("summarizer.keras")
    summarizer = keras.saving.load_model("summarizer.keras")  # safe mode
    summarizer.summarize(["a storm hit dravonport on friday ..."])[0].text

What it adds to a translator: each input's unknown words get extended ids
(:func:`~seq2seq_attention.pointer.extend_ids`), and an extended id in the
output is turned back into the source word it copies, so a name the model
has never seen comes out as itself, not ``[UNK]``. Each
:class:`Summary` also carries the copy gate ``p_gen`` of every output
token.
"""

from __future__ import annotations

import dataclasses

import keras
import numpy as np

from . import data
from .data.tokenizers import as_tokenizer
from .decoding import beam_search, greedy_decode
from .pointer import PointerGenerator, extend_ids, vocabulary_index

__all__ = ["Summarizer", "Summary"]


@dataclasses.dataclass
class Summary:
    """One summarized text.

    Attributes:
        source: the input text as given.
        text: the summary.
        source_tokens: the words the model read, ``[START]``/``[END]``
            included; unknown words as they are (the model reads them as
            ``[UNK]`` but can copy them).
        target_tokens: the words written, ``[END]`` included.
        weights: ``(len(target_tokens), len(source_tokens))`` attention
            weights, the copy distribution of each step.
        gates: ``(len(target_tokens),)`` the copy gate ``p_gen`` of each
            step: near 1 generated from the vocabulary, near 0 copied.
        copied: for each target token, whether it is an unknown source word
            (an extended id), which only copying can write.
        log_prob: total log-probability of ``target_tokens``.
    """

    source: str
    text: str
    source_tokens: list
    target_tokens: list
    weights: np.ndarray
    gates: np.ndarray
    copied: list
    log_prob: float


@keras.saving.register_keras_serializable(package="seq2seq_attention")
class Summarizer(keras.Model):
    """A trained :class:`~seq2seq_attention.pointer.PointerGenerator` with
    its tokenizer.

    Args:
        model: the trained model.
        tokenizer: the word-level tokenizer of both sides, as
            :class:`~seq2seq_attention.translator.Translator` takes it: a
            :class:`~seq2seq_attention.data.VocabularyTokenizer`, its
            ``get_config()`` dict, or a ``TextVectorization`` layer from
            :func:`seq2seq_attention.data.make_vectorizer`. Copying works
            on whole words, so subword or character tokenizers are refused.
        max_source_tokens: longer inputs are refused with a clear error.

    Example:
        >>> tokenizer = data.train_tokenizer(
        ...     ["storm hits the city ."], level="word"
        ... )
        >>> model = PointerGenerator(
        ...     tokenizer.vocabulary_size(),
        ...     max_oovs=4,
        ...     embedding_dim=4,
        ...     units=8,
        ... )
        >>> summarizer = Summarizer(model, tokenizer)
        >>> result = summarizer.summarize(["Storm hits Zorbuton."])[0]
        >>> result.source_tokens
        ['[START]', 'storm', 'hits', 'zorbuton', '.', '[END]']
        >>> (
        ...     result.target_tokens[-1],
        ...     result.gates.shape == (len(result.target_tokens),),
        ... )
        ('[END]', True)
    """

    def __init__(self, model, tokenizer, max_source_tokens=400, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(model, PointerGenerator):
            raise TypeError(
                f"Summarizer needs a PointerGenerator model; got "
                f"{type(model).__name__}."
            )
        tokenizer = as_tokenizer(tokenizer)
        if tokenizer.level != "word":
            raise ValueError(
                "Summarizer copies words: it needs a word-level tokenizer "
                f"(level='word'), not a {tokenizer.level}-level one."
            )
        self.pointer = model
        # A plain attribute (saved through get_config), not a layer to track.
        object.__setattr__(self, "tokenizer", tokenizer)
        self.max_source_tokens = max_source_tokens
        self.index = vocabulary_index(tokenizer.get_config()["vocabulary"])
        if len(self.index) != model.vocab_size:
            raise ValueError(
                f"The vocabulary has {len(self.index)} tokens but the model "
                f"expects {model.vocab_size} (vocab_size): this vocabulary "
                "was not the one the model was built with."
            )
        self.vocabulary = list(self.index)
        self.built = True

    def call(self, inputs, training=None):
        return self.pointer(inputs, training=training)

    def encode_sources(self, texts):
        """Normalise and encode texts in extended ids.

        Returns ``(ids (batch, src_len), tokens per text, oovs per
        text)``; the tokens include ``[START]`` and ``[END]``.
        """
        texts = _check_texts(texts)
        rows, tokens, oovs = [], [], []
        for i, text in enumerate(texts):
            words = data.tokenize(self.tokenizer.normalize(text))
            if len(words) > self.max_source_tokens:
                raise ValueError(
                    f"Input {i} has {len(words)} tokens, more than "
                    f"max_source_tokens={self.max_source_tokens}: shorten "
                    "it, or make a Summarizer with a larger limit."
                )
            ids, unknown = extend_ids(words, self.index, self.pointer.max_oovs)
            rows.append([data.START_ID, *ids, data.END_ID])
            tokens.append([data.START, *words, data.END])
            oovs.append(unknown)
        ids = np.zeros((len(rows), max(map(len, rows))), np.int64)
        for row, values in zip(ids, rows):
            row[: len(values)] = values
        return ids, tokens, oovs

    def word(self, token_id, oovs):
        """The word of an (extended) id, given its source's unknown words."""
        token_id = int(token_id)
        if token_id < len(self.vocabulary):
            return self.vocabulary[token_id]
        k = token_id - len(self.vocabulary)
        return oovs[k] if k < len(oovs) else data.UNK

    def _gates(self, ids, outputs, lengths):
        """The copy gate of every output step, by teacher forcing the model
        on its own output (the same inputs, so the same states)."""
        target_in = np.zeros((len(ids), max(int(lengths.max()), 1)), np.int64)
        target_in[:, 0] = data.START_ID
        for row, (tokens, n) in enumerate(zip(outputs, lengths)):
            target_in[row, 1:n] = tokens[: n - 1]
        _, _, gates = self.pointer.forward(ids, target_in)
        return keras.ops.convert_to_numpy(gates)

    def summarize(
        self,
        texts,
        method="greedy",
        beam_size=4,
        alpha=0.6,
        max_length=30,
        batch_size=64,
    ):
        """Summarize a list of strings; returns a list of :class:`Summary`.

        Args:
            texts: the texts.
            method: ``"greedy"`` or ``"beam"`` (with ``beam_size`` and
                length normalisation ``alpha``).
            max_length: most output tokens (``[END]`` included).
            batch_size: texts decoded together.
        """
        if method not in ("greedy", "beam"):
            raise ValueError(
                f"Unknown decoding method {method!r}; choose "
                "'greedy' or 'beam'."
            )
        texts = _check_texts(texts)
        # A blank text summarizes to "" without running the model.
        results = [
            Summary(t, "", [], [], np.zeros((0, 0)), np.zeros(0), [], 0.0)
            for t in texts
        ]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        for start in range(0, len(todo), batch_size):
            chunk = todo[start : start + batch_size]
            done = self._summarize_batch(
                [texts[i] for i in chunk], method, beam_size, alpha, max_length
            )
            for i, summary in zip(chunk, done):
                results[i] = summary
        return results

    def _summarize_batch(self, texts, method, beam_size, alpha, max_length):
        ids, tokens, oovs = self.encode_sources(texts)
        if method == "beam":
            found = beam_search(
                self.pointer,
                ids,
                beam_size=beam_size,
                alpha=alpha,
                max_length=max_length,
            )
            outputs, lengths = found.tokens[:, 0], found.lengths[:, 0]
            weights, scores = found.weights[:, 0], found.scores[:, 0]
        else:
            found = greedy_decode(self.pointer, ids, max_length=max_length)
            outputs, lengths = found.tokens, found.lengths
            weights, scores = found.weights, found.scores
        gates = self._gates(ids, outputs, lengths)
        size = len(self.vocabulary)
        results = []
        for row, text in enumerate(texts):
            n = int(lengths[row])
            written = [self.word(i, oovs[row]) for i in outputs[row, :n]]
            words = [w for w in written if w != data.END]
            results.append(
                Summary(
                    source=text,
                    text=" ".join(words),
                    source_tokens=tokens[row],
                    target_tokens=written,
                    weights=weights[row, :n, : len(tokens[row])],
                    gates=gates[row, :n],
                    copied=[int(i) >= size for i in outputs[row, :n]],
                    log_prob=float(scores[row]),
                )
            )
        return results

    def get_config(self):
        return {
            "model": keras.saving.serialize_keras_object(self.pointer),
            "tokenizer": self.tokenizer.get_config(),
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


def _check_texts(texts):
    """A list of strings, or a clear error."""
    if isinstance(texts, str):
        raise TypeError(
            "summarize() takes a list of strings; for one "
            'text write summarize(["..."]).'
        )
    texts = list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(
                f"summarize() takes strings; item {i} is "
                f"{type(text).__name__}: {text!r}."
            )
    return texts
