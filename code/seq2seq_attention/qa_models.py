"""Question answering over a story: a memory network, a baseline, inputs.

The stories come from :mod:`seq2seq_attention.tasks.qa`. Here they become
arrays, and two models of the same size answer them:

- :class:`MemoryNetwork`, an end-to-end memory network (Sukhbaatar et al.,
  2015): each sentence becomes one vector (its words' embeddings weighted
  by a position encoding, plus an embedding of how recent it is); the
  question attends over the sentences with
  :class:`~seq2seq_attention.attention.DotAttention`, adds what it read to
  itself, and attends again (one *hop* per fact to find); the answer is a
  word of the vocabulary. The attention weights say which sentence each
  hop read: :func:`support_hits` compares them with the supporting facts.
- :class:`StoryReader`, the baseline without attention: a GRU reads the
  whole story and the question, word by word, and answers from its final
  state, a fixed-size summary of up to 300 words.

Inputs are ``(story_ids, question_ids)``: ``(batch, sentences, words)`` and
``(batch, question_words)``, 0-padded; the target is the answer's id.

Example:
    >>> from seq2seq_attention.tasks import qa
    >>> stories = qa.generate_stories("one_fact", 8, seed=0)
    >>> vectorizer = make_qa_vectorizer(stories)
    >>> arrays = encode_stories(stories, vectorizer)
    >>> arrays.story.shape[0], arrays.question.shape[0], arrays.answer.shape
    (8, 8, (8,))
    >>> model = MemoryNetwork(
    ...     vectorizer.vocabulary_size(),
    ...     max_sentences=30,
    ...     embedding_dim=8,
    ...     hops=2,
    ... )
    >>> logits, weights = model.attend(arrays.story, arrays.question)
    >>> tuple(logits.shape), tuple(weights.shape)[:2]
    ((8, 27), (8, 2))
"""

from __future__ import annotations

import dataclasses

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from . import data
from .attention import DotAttention
from .training import build_before_fit

__all__ = [
    "LinearStart",
    "MemoryNetwork",
    "QAArrays",
    "SwitchableDotAttention",
    "StoryReader",
    "encode_stories",
    "evaluate_qa",
    "make_qa_vectorizer",
    "position_encoding",
    "qa_dataset",
    "support_hits",
    "train_qa",
]

_PACKAGE = "seq2seq_attention"


# -- Inputs ------------------------------------------------------------------


def make_qa_vectorizer(stories):
    """A word vectorizer over the stories' sentences, questions and answers.

    Example:
        >>> from seq2seq_attention.tasks import qa
        >>> v = make_qa_vectorizer(qa.generate_stories("one_fact", 50, seed=0))
        >>> v.vocabulary_size()
        27
    """
    texts = [s for story in stories for s in story.sentences]
    texts += [story.question for story in stories]
    texts += [story.answer for story in stories]
    return data.make_vectorizer(texts)


@dataclasses.dataclass
class QAArrays:
    """Stories as arrays.

    Attributes:
        story: ``(n, sentences, words)`` ids, 0-padded.
        question: ``(n, question_words)`` ids, 0-padded.
        answer: ``(n,)`` id of each answer.
        supporting: ``(n, facts)`` indices of the supporting sentences, in
            the order of the reasoning, -1 where a story has fewer.
    """

    story: np.ndarray
    question: np.ndarray
    answer: np.ndarray
    supporting: np.ndarray

    def __len__(self):
        return len(self.answer)


def _ids(texts, vectorizer):
    ragged = data.encode(texts, vectorizer, markers=False)
    return ragged.to_tensor(default_value=data.PAD_ID).numpy()


def encode_stories(stories, vectorizer, max_sentences=None, max_words=None):
    """Turn :class:`~seq2seq_attention.tasks.qa.Story` objects into arrays.

    Args:
        stories: the stories.
        vectorizer: from :func:`make_qa_vectorizer` (on training stories).
        max_sentences, max_words: pad to at least these sizes (so that
            training and test arrays have the same shape); by default the
            longest story and sentence.

    Returns:
        a :class:`QAArrays`.

    Example:
        >>> from seq2seq_attention.tasks import qa
        >>> stories = qa.generate_stories("two_facts", 3, seed=0)
        >>> arrays = encode_stories(
        ...     stories,
        ...     make_qa_vectorizer(stories),
        ...     max_sentences=30,
        ...     max_words=8,
        ... )
        >>> arrays.story.shape, arrays.supporting.tolist()
        ((3, 30, 8), [[20, 19], [11, 10], [4, 2]])
    """
    stories = list(stories)
    if not stories:
        raise ValueError("encode_stories got no stories.")
    sentences = [s for story in stories for s in story.sentences]
    words = _ids(sentences, vectorizer)  # (all sentences, longest)
    longest_story = max(len(story.sentences) for story in stories)
    n_sentences = max(longest_story, max_sentences or 0)
    n_words = max(words.shape[1], max_words or 0)
    story = np.zeros((len(stories), n_sentences, n_words), np.int32)
    row = 0
    for i, s in enumerate(stories):
        k = len(s.sentences)
        story[i, :k, : words.shape[1]] = words[row : row + k]
        row += k
    question = _ids([s.question for s in stories], vectorizer)
    answer = _ids([s.answer for s in stories], vectorizer)
    if answer.shape[1] != 1 or np.any(answer[:, 0] == data.UNK_ID):
        raise ValueError(
            "encode_stories: every answer must be one word of "
            "the vectorizer's vocabulary; build the vectorizer "
            "with make_qa_vectorizer on stories of this task."
        )
    facts = max(len(s.supporting) for s in stories)
    supporting = np.full((len(stories), facts), -1, np.int32)
    for i, s in enumerate(stories):
        supporting[i, : len(s.supporting)] = s.supporting
    return QAArrays(
        story,
        question.astype(np.int32),
        answer[:, 0].astype(np.int32),
        supporting,
    )


def qa_dataset(arrays, batch_size=32, shuffle=True, seed=None):
    """A ``tf.data.Dataset`` of ``((story, question), answer)`` batches.

    Example:
        >>> from seq2seq_attention.tasks import qa
        >>> stories = qa.generate_stories("one_fact", 10, seed=0)
        >>> arrays = encode_stories(stories, make_qa_vectorizer(stories))
        >>> (story, question), answer = next(
        ...     iter(qa_dataset(arrays, batch_size=4, shuffle=False))
        ... )
        >>> tuple(story.shape)[0], tuple(answer.shape)
        (4, (4,))
    """
    if shuffle and seed is None:
        raise ValueError(
            "shuffle=True needs a seed (any int) so that runs "
            "are reproducible; or pass shuffle=False."
        )
    dataset = tf.data.Dataset.from_tensor_slices(
        ((arrays.story, arrays.question), arrays.answer)
    )
    if shuffle:
        dataset = dataset.shuffle(
            len(arrays), seed=seed, reshuffle_each_iteration=True
        )
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


# -- The memory network -------------------------------------------------------


def position_encoding(word_mask, dim):
    """Sukhbaatar et al.'s position encoding of the words of each sentence.

    ``l[j, k] = (1 - j/J) - (k/d) (1 - 2 j/J)`` for word ``j`` (from 1) of
    a sentence of ``J`` words and feature ``k`` (from 1) of ``d``: a
    sentence's vector ``sum_j l[j] * embedding(word_j)`` then depends on
    the order of its words ("mary went to the kitchen" differs from "the
    kitchen went to mary"), which a plain sum of embeddings would not.
    Padding gets 0.

    Args:
        word_mask: ``(..., words)``, True for real words.
        dim: the embedding size ``d``.

    Returns:
        ``(..., words, dim)`` float32 weights.

    Example:
        >>> import numpy as np
        >>> l = position_encoding(np.array([[True, True, False]]), 4)
        >>> np.round(ops.convert_to_numpy(l)[0, :, 0], 3).tolist()
        [0.5, 0.25, 0.0]
    """
    mask = ops.cast(word_mask, "float32")  # (..., words)
    j = ops.cumsum(mask, axis=-1)  # 1, 2, ... at the real words
    J = ops.maximum(ops.sum(mask, axis=-1, keepdims=True), 1.0)
    position = ops.expand_dims(j / J, -1)  # (..., words, 1)
    k = ops.arange(1, dim + 1, dtype="float32") / dim  # (dim,)
    encoding = (1.0 - position) - k * (1.0 - 2.0 * position)
    return encoding * ops.expand_dims(mask, -1)  # (..., words, dim)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class SwitchableDotAttention(DotAttention):
    """:class:`~seq2seq_attention.attention.DotAttention` whose softmax can
    be switched off, for the memory network's *linear start*.

    With ``linear`` set to 1 the weights are the raw scores (masked), not
    their softmax. Sukhbaatar et al. train the two-fact task this way at
    first: a softmax that starts nearly uniform gives each hop almost no
    gradient towards the one sentence it should find, and the hops, which
    need each other, never start. Only the weights step differs (the
    layer overrides ``weights_from_scores``, the hook that
    :class:`~seq2seq_attention.attention.NoAttention` overrides too).

    Example:
        >>> import numpy as np
        >>> layer = SwitchableDotAttention()
        >>> query, keys = (
        ...     np.ones((1, 2), "float32"),
        ...     np.ones((1, 3, 2), "float32"),
        ... )
        >>> _, w = layer(query, keys, mask=np.array([[True, True, False]]))
        >>> ops.convert_to_numpy(w).round(3).tolist()
        [[0.5, 0.5, 0.0]]
        >>> _ = layer.linear.assign(1.0)
        >>> _, w = layer(query, keys, mask=np.array([[True, True, False]]))
        >>> ops.convert_to_numpy(w).tolist()
        [[2.0, 2.0, 0.0]]
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.linear = self.add_weight(
            name="linear", shape=(), initializer="zeros", trainable=False
        )

    def weights_from_scores(self, scores, mask):
        softmax = super().weights_from_scores(scores, mask)
        linear = ops.cast(scores, softmax.dtype)
        if mask is not None:
            linear = linear * ops.cast(mask, linear.dtype)
        on = ops.cast(self.linear, softmax.dtype)
        return on * linear + (1.0 - on) * softmax


class LinearStart(keras.callbacks.Callback):
    """Train a :class:`MemoryNetwork` without its softmax for the first
    ``epochs`` epochs, then with it (Sukhbaatar et al., 2015, section 4.2).

    Example:
        >>> model = MemoryNetwork(10, 5, embedding_dim=4, hops=2)
        >>> callback = LinearStart(epochs=3)
        >>> callback.set_model(model)
        >>> callback.on_train_begin()
        >>> float(model.attention.linear.numpy())
        1.0
        >>> callback.on_epoch_begin(3)
        >>> float(model.attention.linear.numpy())
        0.0
    """

    def __init__(self, epochs):
        super().__init__()
        self.epochs = epochs

    def on_train_begin(self, logs=None):
        self.model.attention.linear.assign(1.0 if self.epochs > 0 else 0.0)

    def on_epoch_begin(self, epoch, logs=None):
        self.model.attention.linear.assign(1.0 if epoch < self.epochs else 0.0)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MemoryNetwork(keras.Model):
    """An end-to-end memory network (Sukhbaatar et al., 2015).

    With ``u`` the question's vector, each hop ``k`` does::

        m_i = sum_j l_j * A_k[x_ij] + T_A_k[i]     keys: sentence i
        c_i = sum_j l_j * C_k[x_ij] + T_C_k[i]     values: sentence i
        o, p = DotAttention()(u, m, c, mask)       p: weights over sentences
        u = u + o

    and the answer is ``softmax(W u)`` over the vocabulary. ``l`` is
    :func:`position_encoding`; ``T[i]`` embeds how long ago sentence ``i``
    was said (0 for the last one), which tells the model which of two moves
    of a person came later. Embeddings are tied between adjacent hops
    (``C_k = A_{k+1}``, and the question's embedding is ``A_1``), as in
    the paper.

    Args:
        vocab_size: the vectorizer's vocabulary size.
        max_sentences: the longest story it can read (the temporal
            embeddings' size).
        embedding_dim: size of every embedding, ``d``.
        hops: attention steps over the story (1 per fact to find is
            enough; the paper uses 3).

    Example:
        >>> import numpy as np
        >>> model = MemoryNetwork(
        ...     vocab_size=20, max_sentences=5, embedding_dim=8, hops=2
        ... )
        >>> story = np.array([[[4, 5, 6], [7, 8, 0], [0, 0, 0]]])
        >>> logits, weights = model.attend(story, np.array([[9, 4]]))
        >>> tuple(logits.shape), tuple(weights.shape)
        ((1, 20), (1, 2, 3))
        >>> np.round(ops.convert_to_numpy(weights).sum(-1), 5).tolist()
        [[1.0, 1.0]]
        >>> float(ops.convert_to_numpy(weights)[0, :, 2].max())  # padding
        0.0
    """

    def __init__(
        self, vocab_size, max_sentences, embedding_dim=32, hops=3, **kwargs
    ):
        super().__init__(**kwargs)
        for name, value in (
            ("vocab_size", vocab_size),
            ("max_sentences", max_sentences),
            ("embedding_dim", embedding_dim),
            ("hops", hops),
        ):
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or value <= 0
            ):
                raise ValueError(
                    f"MemoryNetwork: {name} must be a positive "
                    f"integer; got {value!r}."
                )
        self.vocab_size, self.max_sentences = vocab_size, max_sentences
        self.embedding_dim, self.hops = embedding_dim, hops
        init = keras.initializers.RandomNormal(stddev=0.1, seed=None)
        # hops + 1 embeddings: A_k = embeddings[k - 1], C_k = embeddings[k].
        self.embeddings = [
            keras.layers.Embedding(
                vocab_size,
                embedding_dim,
                embeddings_initializer=init,
                name=f"embedding_{k}",
            )
            for k in range(hops + 1)
        ]
        self.temporal = [
            keras.layers.Embedding(
                max_sentences,
                embedding_dim,
                embeddings_initializer=init,
                name=f"temporal_{k}",
            )
            for k in range(hops + 1)
        ]
        self.attention = SwitchableDotAttention(name="attention")
        self.answer_layer = keras.layers.Dense(vocab_size, name="answer")
        for layer in self.embeddings + self.temporal:
            layer.build()
        self.answer_layer.build((None, embedding_dim))
        self.built = True

    def _sentences(self, k, story_ids, encoding, recency):
        """Sentence vectors with embedding ``k``: ``(batch, sentences, d)``."""
        words = self.embeddings[k](story_ids)  # (batch, sents, words, d)
        bag = ops.sum(words * encoding, axis=2)  # (batch, sentences, d)
        return bag + self.temporal[k](recency)

    def attend(self, story_ids, question_ids, training=None):
        """Answer logits ``(batch, vocab)`` and the attention weights of every
        hop ``(batch, hops, sentences)``."""
        story_ids = ops.convert_to_tensor(story_ids, "int32")
        question_ids = ops.convert_to_tensor(question_ids, "int32")
        word_mask = ops.not_equal(story_ids, 0)  # (batch, sents, words)
        encoding = position_encoding(word_mask, self.embedding_dim)
        sentence_mask = ops.any(word_mask, axis=-1)  # (batch, sentences)
        # How recent each sentence is: 0 for a story's last sentence.
        count = ops.sum(ops.cast(sentence_mask, "int32"), -1, keepdims=True)
        index = ops.arange(ops.shape(story_ids)[1], dtype="int32")
        recency = ops.clip(count - 1 - index, 0, self.max_sentences - 1)
        question = self.embeddings[0](question_ids)  # (batch, q_words, d)
        q_encoding = position_encoding(
            ops.not_equal(question_ids, 0), self.embedding_dim
        )
        u = ops.sum(question * q_encoding, axis=1)  # (batch, d)
        weights = []
        keys = self._sentences(0, story_ids, encoding, recency)
        for k in range(self.hops):
            values = self._sentences(k + 1, story_ids, encoding, recency)
            read, p = self.attention(u, keys, values, mask=sentence_mask)
            u = u + read  # (batch, d)
            weights.append(p)  # (batch, sentences)
            keys = values  # adjacent tying: A_{k+1} = C_k
        return self.answer_layer(u), ops.stack(weights, axis=1)

    def call(self, inputs, training=None):
        story_ids, question_ids = inputs
        logits, _ = self.attend(story_ids, question_ids, training=training)
        return logits  # (batch, vocab)

    def get_config(self):
        return super().get_config() | dict(
            vocab_size=self.vocab_size,
            max_sentences=self.max_sentences,
            embedding_dim=self.embedding_dim,
            hops=self.hops,
        )


# -- The baseline -------------------------------------------------------------


@keras.saving.register_keras_serializable(package=_PACKAGE)
class StoryReader(keras.Model):
    """The baseline without attention: a GRU reads the story, sentence by
    sentence, then the question, and answers from its final state.

    Each sentence (and the question) becomes one vector exactly as in
    :class:`MemoryNetwork` (embeddings weighted by
    :func:`position_encoding`), so the only difference is how the story is
    used: here everything it says must pass through one vector of
    ``units`` numbers before the question is read, instead of the question
    looking the sentences up. :meth:`units_for` picks ``units`` so that
    the reader has as many parameters as a given memory network.

    Example:
        >>> import numpy as np
        >>> reader = StoryReader(vocab_size=20, embedding_dim=8, units=12)
        >>> story = np.array([[[4, 5, 6], [7, 8, 0], [0, 0, 0]]])
        >>> tuple(reader((story, np.array([[9, 4]]))).shape)
        (1, 20)
    """

    def __init__(self, vocab_size, embedding_dim=32, units=64, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size, self.embedding_dim = vocab_size, embedding_dim
        self.units = units
        self.embedding = keras.layers.Embedding(
            vocab_size, embedding_dim, name="embedding"
        )
        self.rnn = keras.layers.GRU(units, name="gru")
        self.answer_layer = keras.layers.Dense(vocab_size, name="answer")
        self.embedding.build()
        self.rnn.build((None, None, embedding_dim))
        self.answer_layer.build((None, units))
        self.built = True

    @staticmethod
    def units_for(parameters, vocab_size, embedding_dim):
        """The ``units`` whose reader has closest to ``parameters`` weights.

        Example:
            >>> StoryReader.units_for(10_000, vocab_size=30, embedding_dim=32)
            37
        """

        def size(units):  # embedding + GRU (reset_after) + answer layer
            gru = 3 * units * (embedding_dim + units + 2)
            return vocab_size * embedding_dim + gru + (units + 1) * vocab_size

        return min(range(1, 2048), key=lambda u: abs(size(u) - parameters))

    def _vectors(self, ids):
        """One vector per sentence: ``(..., words) -> (..., d)``."""
        encoding = position_encoding(ops.not_equal(ids, 0), self.embedding_dim)
        return ops.sum(self.embedding(ids) * encoding, axis=-2)

    def call(self, inputs, training=None):
        story_ids, question_ids = inputs
        story_ids = ops.convert_to_tensor(story_ids, "int32")
        question_ids = ops.convert_to_tensor(question_ids, "int32")
        sentences = self._vectors(story_ids)  # (batch, sentences, d)
        question = self._vectors(question_ids)  # (batch, d)
        steps = ops.concatenate([sentences, question[:, None]], axis=1)
        real = ops.any(ops.not_equal(story_ids, 0), axis=-1)
        mask = ops.concatenate([real, ops.ones_like(real[:, :1])], axis=1)
        # The explicit mask skips padding sentences; the question comes last.
        final = self.rnn(steps, mask=mask, training=training)  # (batch, units)
        return self.answer_layer(final)

    def get_config(self):
        return super().get_config() | dict(
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            units=self.units,
        )


# -- Where attention points ---------------------------------------------------


def support_hits(weights, supporting):
    """How often each hop's most-attended sentence is each supporting fact.

    Args:
        weights: ``(n, hops, sentences)`` attention weights.
        supporting: ``(n, facts)`` indices of the supporting sentences
            (-1 where a story has fewer).

    Returns:
        ``(hops, facts)`` array: entry ``[h, f]`` is the fraction of
        stories whose hop ``h`` puts its largest weight on fact ``f``.

    Example:
        >>> import numpy as np
        >>> weights = np.array(
        ...     [
        ...         [[0.1, 0.8, 0.1], [0.7, 0.2, 0.1]],
        ...         [[0.1, 0.1, 0.8], [0.2, 0.7, 0.1]],
        ...     ]
        ... )
        >>> support_hits(weights, np.array([[1, 0], [2, 0]])).tolist()
        [[1.0, 0.0], [0.0, 0.5]]
    """
    weights = np.asarray(weights)
    supporting = np.asarray(supporting)
    if (
        weights.ndim != 3
        or supporting.ndim != 2
        or len(weights) != len(supporting)
    ):
        raise ValueError(
            f"support_hits: weights must be (n, hops, "
            f"sentences) and supporting (n, facts) for the same "
            f"n; got {weights.shape} and {supporting.shape}."
        )
    pointed = weights.argmax(axis=-1)  # (n, hops)
    hits = pointed[:, :, None] == supporting[:, None, :]  # (n, hops, facts)
    real = supporting[:, None, :] >= 0
    return (hits & real).sum(0) / np.maximum(real.sum(0), 1)


# -- Training and measuring ---------------------------------------------------


def train_qa(
    model,
    train,
    validation=None,
    epochs=20,
    linear_start=0,
    learning_rate=5e-3,
    batch_size=32,
    seed=0,
    verbose=0,
    jit_compile=True,
):
    """Compile and fit a QA model on :class:`QAArrays`; returns the history.

    Cross-entropy over the vocabulary, Adam with gradients clipped to norm
    40 (as Sukhbaatar et al.), and for a :class:`MemoryNetwork` the
    :class:`LinearStart` callback for the first ``linear_start`` epochs.
    ``seed`` seeds the shuffling; seed the weights when making the model
    (``keras.utils.set_random_seed``). ``jit_compile`` compiles each
    training step with XLA: these models are so small that the step's
    overhead dominates, and XLA makes a two-fact run about a third faster
    on a CPU (measured: 38 s instead of 57 s).

    Example:
        >>> from seq2seq_attention.tasks import qa
        >>> stories = qa.generate_stories("one_fact", 64, seed=0)
        >>> v = make_qa_vectorizer(stories)
        >>> arrays = encode_stories(stories, v)
        >>> model = MemoryNetwork(
        ...     v.vocabulary_size(), 30, embedding_dim=8, hops=1
        ... )
        >>> history = train_qa(model, arrays, epochs=2)
        >>> sorted(history.history)
        ['accuracy', 'loss']
    """
    callbacks = []
    if linear_start:
        if not isinstance(model, MemoryNetwork):
            raise ValueError("linear_start applies to a MemoryNetwork only.")
        callbacks.append(LinearStart(linear_start))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate, clipnorm=40.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        jit_compile=jit_compile,
    )
    data = qa_dataset(train, batch_size=batch_size, seed=seed)
    build_before_fit(model, data)
    return model.fit(
        data,
        validation_data=None
        if validation is None
        else qa_dataset(validation, batch_size=256, shuffle=False),
        epochs=epochs,
        callbacks=callbacks,
        verbose=verbose,
        shuffle=False,  # the tf.data pipeline shuffles itself, with a seed
    )


def evaluate_qa(model, arrays):
    """Accuracy, and for a :class:`MemoryNetwork` :func:`support_hits` and
    the weights, on :class:`QAArrays`.

    Returns:
        ``{"accuracy": float, "hits": (hops, facts) array or None,
        "weights": (n, hops, sentences) array or None}``.

    Example:
        >>> from seq2seq_attention.tasks import qa
        >>> stories = qa.generate_stories("one_fact", 16, seed=0)
        >>> v = make_qa_vectorizer(stories)
        >>> arrays = encode_stories(stories, v)
        >>> model = MemoryNetwork(
        ...     v.vocabulary_size(), 30, embedding_dim=8, hops=2
        ... )
        >>> result = evaluate_qa(model, arrays)
        >>> result["hits"].shape, result["weights"].shape[:2]
        ((2, 1), (16, 2))
    """
    if isinstance(model, MemoryNetwork):
        logits, weights = model.attend(arrays.story, arrays.question)
        weights = ops.convert_to_numpy(weights)
        hits = support_hits(weights, arrays.supporting)
    else:
        logits = model.predict(
            (arrays.story, arrays.question), verbose=0, batch_size=256
        )
        weights = hits = None
    predicted = np.argmax(ops.convert_to_numpy(logits), axis=-1)
    return {
        "accuracy": float(np.mean(predicted == arrays.answer)),
        "hits": hits,
        "weights": weights,
    }
