"""Subword tokenization: a SentencePiece model, in Python and in TensorFlow.

A word-level vocabulary of a few thousand words turns every rarer word into
``[UNK]``: names, numbers, most verb forms of Spanish. A *subword* vocabulary
splits rare words into frequent pieces (``▁des``, ``cono``, ``cido``) and,
with **byte fallback**, spells any character it has never seen as its UTF-8
bytes, so no input ever becomes ``[UNK]`` and the output can be any text.

:class:`SubwordTokenizer` wraps a SentencePiece model (Kudo and Richardson,
2018) trained on the training split only (:meth:`SubwordTokenizer.train`):
cased, accents kept, text folded by
:func:`~seq2seq_attention.data.typography.normalize_text` and nothing else.
Its ids agree with the package's reserved ids (0 padding, 1 ``[UNK]``,
2 ``[START]``, 3 ``[END]``), so it plugs into the same pipelines, models and
decoders as the word-level vectorizers.

In Python it encodes and decodes with the ``sentencepiece`` library. The
exported SavedModel must work with TensorFlow alone, and core TensorFlow has
no SentencePiece op (the ``tensorflow-text`` one pins a single TensorFlow
minor version, which would reinstall TensorFlow in Colab), so
:meth:`SubwordTokenizer.encode_tf` and :meth:`SubwordTokenizer.decode_tf`
implement the same segmentation in TensorFlow ops: the Viterbi search over
the unigram model's pieces that SentencePiece itself runs. A test checks
that both give the same ids on every sentence of the corpus.

Example:
    >>> texts = ["Hola, ¿cómo estás?", "¿Cómo te llamas?", "Hola."] * 20
    >>> tokenizer = SubwordTokenizer.train(texts, vocab_size=300)
    >>> ids = tokenizer.encode(["¿Cómo estás?"])[0]
    >>> tokenizer.decode(ids)
    '¿Cómo estás?'
    >>> tokenizer.decode(tokenizer.encode(["Ωμέγα 🙂"])[0])  # unseen: bytes
    'Ωμέγα 🙂'
"""

from __future__ import annotations

import base64
import re

import numpy as np

from ..special_tokens import END_ID, PAD_ID, START_ID, UNK_ID
from .typography import normalize_text, normalize_text_tf

__all__ = ["SubwordTokenizer", "WORD_BOUNDARY"]

WORD_BOUNDARY = "\u2581"
"""SentencePiece's ``▁``: the space before a word, kept as part of a piece."""

_UNK_PENALTY = 10.0  # SentencePiece scores an unknown character min_score - 10


class SubwordTokenizer:
    """A trained SentencePiece model with the package's reserved ids.

    Args:
        model_proto: the serialized SentencePiece model (``bytes``), as
            :meth:`train` makes it; it is all a tokenizer needs, and
            :meth:`get_config` stores it (base64) so that it travels inside a
            translator's ``.keras`` file.
    """

    level = "subword"

    def __init__(self, model_proto):
        import sentencepiece

        self.model_proto = bytes(model_proto)
        self.processor = sentencepiece.SentencePieceProcessor(
            model_proto=self.model_proto
        )
        p = self.processor
        ids = (p.pad_id(), p.unk_id(), p.bos_id(), p.eos_id())
        if ids != (PAD_ID, UNK_ID, START_ID, END_ID):
            raise ValueError(
                "this SentencePiece model's pad/unk/bos/eos ids are "
                f"{ids}, not the package's (0, 1, 2, 3); train it with "
                "SubwordTokenizer.train."
            )
        self.vocabulary = [p.id_to_piece(i) for i in range(p.get_piece_size())]
        self.vocabulary[PAD_ID] = ""  # as in every vocabulary of the package
        self._is_byte = np.array(
            [p.is_byte(i) for i in range(len(self.vocabulary))]
        )
        if not self._is_byte.any():
            raise ValueError(
                "this SentencePiece model has no byte fallback, so unseen "
                "characters would become [UNK]; train it with "
                "SubwordTokenizer.train (byte_fallback=True)."
            )
        self._graph = None

    # -- training ------------------------------------------------------------

    @classmethod
    def train(cls, texts, *, vocab_size=8000, model_type="unigram"):
        """Train a SentencePiece model on ``texts`` (the training split only).

        Args:
            texts: sentences (raw; they are passed through
                :func:`~seq2seq_attention.data.typography.normalize_text`).
            vocab_size: pieces, including the 4 reserved ids and the 256
                byte pieces. A small corpus cannot fill a large vocabulary;
                SentencePiece then stops with fewer pieces.
            model_type: ``"unigram"`` (the TensorFlow segmentation
                implements this one) or ``"bpe"`` (Python only: refused by
                :meth:`encode_tf`).

        Training is deterministic: one thread, the texts in sorted order.

        Example:
            >>> t = SubwordTokenizer.train(
            ...     ["a b c", "a b"] * 10, vocab_size=270
            ... )
            >>> t.vocabulary[:5], t.vocabulary_size() <= 270
            (['', '[UNK]', '[START]', '[END]', '<0x00>'], True)
        """

        if model_type not in ("unigram", "bpe"):
            raise ValueError(
                f'model_type must be "unigram" or "bpe"; got {model_type!r}.'
            )
        texts = sorted({normalize_text(t) for t in texts} - {""})
        if not texts:
            raise ValueError("SubwordTokenizer.train got no non-empty text.")
        model = _BytesWriter()
        try:
            _train_sentencepiece(texts, model, vocab_size, model_type)
        except RuntimeError as error:
            found = re.search(r"required_chars\. (\d+) vs (\d+)", str(error))
            if not found:
                raise
            raise ValueError(
                f"vocab_size={vocab_size} is too small for this text: the "
                "reserved ids, the 256 byte pieces and its characters need "
                f"{found.group(2)}; pass vocab_size={found.group(2)} or more."
            ) from None
        return cls(model.data)

    # -- Python --------------------------------------------------------------

    def vocabulary_size(self):
        """Number of ids (reserved, byte and ordinary pieces)."""
        return len(self.vocabulary)

    def normalize(self, text):
        """The only change made to text before it is split (see
        :func:`~seq2seq_attention.data.typography.normalize_text`)."""
        return normalize_text(text)

    def encode(self, texts):
        """Ids of each text (lists), without ``[START]``/``[END]``."""
        return self.processor.encode([normalize_text(t) for t in texts])

    def decode(self, ids):
        """The text of ``ids``; reserved ids (padding, ``[START]``,
        ``[END]``, ``[UNK]``) are dropped."""
        ids = [int(i) for i in ids if int(i) > END_ID]
        return self.processor.decode(ids)

    def tokens(self, ids):
        """The pieces of ``ids`` as readable labels (for attention heatmaps):
        ``▁`` marks the start of a word, and a run of byte pieces is shown
        as the character it spells."""
        labels, pending = [], []
        for i in map(int, ids):
            if self._is_byte[i]:
                pending.append(int(self.vocabulary[i][3:5], 16))
                continue
            if pending:
                labels.append(bytes(pending).decode("utf-8", "replace"))
                pending = []
            labels.append(self.vocabulary[i])
        if pending:
            labels.append(bytes(pending).decode("utf-8", "replace"))
        return labels

    def unknown_rate(self, texts):
        """Share of the characters of ``texts`` (spaces aside) that this
        vocabulary has never seen and spells as bytes: the subword analogue
        of a word vocabulary's out-of-vocabulary rate.

        Example:
            >>> t = SubwordTokenizer.train(["hola"] * 10, vocab_size=270)
            >>> t.unknown_rate(["hola"]), t.unknown_rate(["hola zz"])
            (0.0, 0.3333333333333333)
        """
        spelled = total = 0
        for text, ids in zip(texts, self.encode(texts)):
            total += sum(not c.isspace() for c in normalize_text(text))
            run = []
            for i in [*ids, PAD_ID]:  # PAD_ID ends a final run of bytes
                if self._is_byte[i]:
                    run.append(int(self.vocabulary[i][3:5], 16))
                elif run:
                    spelled += len(bytes(run).decode("utf-8", "replace"))
                    run = []
        return spelled / total if total else 0.0

    def get_config(self):
        """A JSON-able dict; :meth:`from_config` rebuilds the tokenizer."""
        return {
            "level": self.level,
            "model": base64.b64encode(self.model_proto).decode("ascii"),
        }

    @classmethod
    def from_config(cls, config):
        return cls(base64.b64decode(config["model"]))

    # -- TensorFlow (the SavedModel export) ---------------------------------

    def encode_tf(self, texts):
        """:meth:`encode` in TensorFlow ops: ``(batch,)`` strings ->
        ``(batch, None)`` int64 ragged ids.

        Example:
            >>> import tensorflow as tf
            >>> t = SubwordTokenizer.train(["hola amigo"] * 10, vocab_size=270)
            >>> t.encode_tf(tf.constant(["hola amigo"])).to_list()[0] == (
            ...     t.encode(["hola amigo"])[0]
            ... )
            True
        """
        return self._graph_tables().encode(normalize_text_tf(texts))

    def decode_tf(self, ids):
        """:meth:`decode` in TensorFlow ops: ``(batch, steps)`` ids ->
        ``(batch,)`` strings."""
        return self._graph_tables().decode(ids)

    def tf_resources(self):
        """The lookup tables :meth:`encode_tf` and :meth:`decode_tf` use
        (made on first use), for a SavedModel export to track."""
        graph = self._graph_tables()
        return [graph.score, graph.piece_id, graph.byte_id]

    def _graph_tables(self):
        if self._graph is None:
            if (
                self.processor.serialized_model_proto()
                and not self._is_unigram()
            ):
                raise ValueError(
                    "encode_tf implements the unigram model only; this "
                    "tokenizer was trained with model_type='bpe'."
                )
            self._graph = _GraphSegmenter(self)
        return self._graph

    def _is_unigram(self):
        from sentencepiece import sentencepiece_model_pb2

        proto = sentencepiece_model_pb2.ModelProto()
        proto.ParseFromString(self.model_proto)
        return proto.trainer_spec.model_type == proto.trainer_spec.UNIGRAM


class _BytesWriter:
    """Receives the trained model from SentencePieceTrainer (no temp file)."""

    def __init__(self):
        self.data = b""

    def write(self, data):
        self.data += data


class _GraphSegmenter:
    """The lookup tables and ops behind ``encode_tf`` / ``decode_tf``."""

    def __init__(self, tokenizer):
        import tensorflow as tf

        p = tokenizer.processor
        size = tokenizer.vocabulary_size()
        normal = [
            i
            for i in range(size)
            if not (p.is_byte(i) or p.is_control(i) or p.is_unknown(i))
            and not p.is_unused(i)
        ]
        pieces = [tokenizer.vocabulary[i] for i in normal]
        scores = [p.get_score(i) for i in normal]
        self.max_piece = max(len(piece) for piece in pieces)
        self.unk_score = min(scores) - _UNK_PENALTY

        def table(keys, values, default):
            init = tf.lookup.KeyValueTensorInitializer(keys, values)
            return tf.lookup.StaticHashTable(init, default)

        keys = tf.constant(pieces)
        self.score = table(keys, tf.constant(scores, tf.float32), -np.inf)
        self.piece_id = table(keys, tf.constant(normal, tf.int64), -1)
        byte_id = {
            int(tokenizer.vocabulary[i][3:5], 16): i
            for i in range(size)
            if tokenizer._is_byte[i]
        }
        self.byte_id = table(
            tf.constant([bytes([b]) for b in range(256)]),
            tf.constant([byte_id[b] for b in range(256)], tf.int64),
            UNK_ID,
        )
        # What each id writes when decoding: a piece's text with ▁ as a
        # space, a byte piece's raw byte, nothing for the reserved ids.
        surface = []
        for i, piece in enumerate(tokenizer.vocabulary):
            if tokenizer._is_byte[i]:
                surface.append(bytes([int(piece[3:5], 16)]))
            elif i in (PAD_ID, UNK_ID, START_ID, END_ID) or p.is_control(i):
                surface.append(b"")
            else:
                surface.append(piece.replace(WORD_BOUNDARY, " ").encode())
        self.surface = tf.constant(surface)

    def encode(self, texts):  # (batch,) normalized strings
        import tensorflow as tf

        # SentencePiece's view of a sentence: ▁ before every word (and an
        # empty sentence stays empty).
        marked = tf.strings.join(
            [
                WORD_BOUNDARY,
                tf.strings.regex_replace(texts, " ", WORD_BOUNDARY),
            ]
        )
        texts = tf.where(tf.equal(texts, ""), texts, marked)
        chars = tf.strings.unicode_split(texts, "UTF-8")  # (batch, n) ragged
        lengths = tf.cast(chars.row_lengths(), tf.int32)  # (batch,)
        dense = chars.to_tensor("")  # (batch, n)
        # at least one column, so that a batch of empty texts has pieces to
        # gather from (none is kept: their lengths are 0)
        dense = tf.pad(
            dense,
            [[0, 0], [0, tf.maximum(1 - tf.shape(dense)[1], 0)]],
            constant_values="",
        )
        candidates, scores = self._candidates(dense, lengths)
        last = self._viterbi(scores, lengths)  # (batch, n + 1)
        starts, sizes = self._backtrack(last, lengths)  # (batch, pieces)
        index = tf.stack([starts, tf.maximum(sizes - 1, 0)], axis=-1)
        piece = tf.gather_nd(candidates, index, batch_dims=1)  # strings
        return self._ids(tf.ragged.boolean_mask(piece, sizes > 0))

    def _candidates(self, chars, lengths):
        """Every substring of up to ``max_piece`` characters and its score:
        ``(batch, n, max_piece)``, substring ``[i, i + l)`` at ``[:, i, l-1]``.
        """
        import tensorflow as tf

        batch, n = tf.shape(chars)[0], tf.shape(chars)[1]
        tail = tf.concat([chars, tf.fill([batch, self.max_piece], "")], 1)
        fits = tf.range(n)[None, :] + 1  # (1, n): i + l <= length for l = 1
        substrings, scores, current = [], [], chars
        for size in range(1, self.max_piece + 1):
            if size > 1:
                current = tf.strings.join(
                    [current, tail[:, size - 1 :][:, :n]]
                )
            score = self.score.lookup(current)  # (batch, n)
            if size == 1:  # an unknown character is still one (costly) node
                score = tf.where(tf.math.is_inf(score), self.unk_score, score)
            valid = fits + (size - 1) <= lengths[:, None]
            scores.append(tf.where(valid, score, -np.inf))
            substrings.append(current)
        return tf.stack(substrings, 2), tf.stack(scores, 2)

    def _viterbi(self, scores, lengths):
        """``last[:, e]``: the length of the last piece of the best
        segmentation of the first ``e`` characters."""
        import tensorflow as tf

        batch, n = tf.shape(scores)[0], tf.shape(scores)[1]
        sizes = tf.range(1, self.max_piece + 1)  # (L,)

        def step(end, best, last):
            starts = end - sizes  # (L,) where each candidate piece starts
            clipped = tf.maximum(starts, 0)
            before = tf.gather(best, clipped, axis=1)  # (batch, L)
            piece = tf.linalg.diag_part(tf.gather(scores, clipped, axis=1))
            total = tf.where(starts[None] >= 0, before + piece, -np.inf)
            # Ties go to the longest piece, as in SentencePiece's search.
            longest_first = tf.reverse(total, axis=[1])
            choice = self.max_piece - tf.argmax(
                longest_first, axis=1, output_type=tf.int32
            )
            best = tf.concat(
                [
                    best[:, :end],
                    tf.reduce_max(total, 1)[:, None],
                    best[:, end + 1 :],
                ],
                axis=1,
            )
            return end + 1, best, last.write(end, choice)

        best = tf.concat(
            [tf.zeros([batch, 1]), tf.fill([batch, n], -np.inf)], axis=1
        )  # (batch, n + 1): the best score of each prefix
        last = tf.TensorArray(tf.int32, size=n + 1, element_shape=[None])
        last = last.write(0, tf.zeros([batch], tf.int32))
        _, _, last = tf.while_loop(
            lambda end, *_: end <= n, step, (tf.constant(1), best, last)
        )
        return tf.transpose(last.stack())  # (batch, n + 1)

    def _backtrack(self, last, lengths):
        """Follow ``last`` back from each sentence's end: the pieces'
        ``(starts, sizes)``, ``(batch, pieces)``, size 0 where a sentence has
        fewer pieces than the longest."""
        import tensorflow as tf

        def step(end, starts, sizes):
            size = tf.where(end > 0, tf.gather(last, end, batch_dims=1), 0)
            return (
                end - size,
                starts.write(starts.size(), end - size),
                (sizes.write(sizes.size(), size)),
            )

        starts, sizes = (
            tf.TensorArray(tf.int32, size=0, dynamic_size=True)
            for _ in range(2)
        )
        _, starts, sizes = tf.while_loop(
            # at least once: a batch of empty texts still gets (empty) rows
            lambda end, starts, _: tf.logical_or(
                tf.reduce_any(end > 0), tf.equal(starts.size(), 0)
            ),
            step,
            (lengths, starts, sizes),
        )
        # Collected from the end: reverse into reading order.
        starts = tf.reverse(tf.transpose(starts.stack()), axis=[1])
        sizes = tf.reverse(tf.transpose(sizes.stack()), axis=[1])
        return tf.maximum(starts, 0), sizes

    def _ids(self, pieces):
        """Ragged piece strings -> ragged ids, unknown characters spelled as
        their UTF-8 bytes (byte fallback)."""
        import tensorflow as tf

        ids = tf.ragged.map_flat_values(self.piece_id.lookup, pieces)
        flat_ids = ids.flat_values  # (P,)
        as_bytes = tf.strings.bytes_split(pieces.flat_values)  # (P, bytes)
        byte_ids = tf.ragged.map_flat_values(self.byte_id.lookup, as_bytes)
        byte_ids = byte_ids.to_tensor(-1)  # (P, up to 4): -1 is padding
        # at least one column (no pieces at all: a batch of empty texts)
        byte_ids = tf.pad(
            byte_ids,
            [[0, 0], [0, tf.maximum(1 - tf.shape(byte_ids)[1], 0)]],
            constant_values=-1,
        )
        own = tf.pad(
            flat_ids[:, None],
            [[0, 0], [0, tf.shape(byte_ids)[1] - 1]],
            constant_values=-1,
        )
        chosen = tf.where((flat_ids >= 0)[:, None], own, byte_ids)
        per_piece = tf.RaggedTensor.from_tensor(chosen, padding=-1)
        return ids.with_flat_values(per_piece).merge_dims(1, 2)

    def decode(self, ids):  # (batch, steps) int
        import tensorflow as tf

        text = tf.strings.reduce_join(
            tf.gather(self.surface, tf.cast(ids, tf.int64)), axis=-1
        )
        text = tf.strings.unicode_transcode(
            text, "UTF-8", "UTF-8", errors="replace", replacement_char=0xFFFD
        )
        return tf.strings.regex_replace(text, "^ ", "")  # the first ▁


def _train_sentencepiece(texts, writer, vocab_size, model_type):
    """SentencePiece's trainer with the package's settings."""
    import sentencepiece

    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(texts),
        model_writer=writer,
        vocab_size=vocab_size,
        model_type=model_type,
        # normalize_text has folded the text already: no other change.
        normalization_rule_name="identity",
        byte_fallback=True,  # never [UNK]
        character_coverage=0.9995,  # rarer characters are spelled in bytes
        split_digits=True,  # numbers digit by digit: any number works
        pad_id=PAD_ID,
        unk_id=UNK_ID,
        bos_id=START_ID,
        eos_id=END_ID,
        pad_piece="[PAD]",  # shown as "" in .vocabulary, like RESERVED
        unk_piece="[UNK]",
        bos_piece="[START]",
        eos_piece="[END]",
        hard_vocab_limit=False,  # a small corpus gives fewer pieces
        num_threads=1,  # deterministic
        input_sentence_size=0,
        minloglevel=2,
    )
