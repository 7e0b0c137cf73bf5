"""Decoding: turning a trained model's next-token distributions into sentences.

Three methods, all batched and compiled (``tf.function`` around a
``tf.while_loop``, so they also run inside an exported SavedModel):

- **greedy**: the most likely token at every step;
- **sampling**: a token drawn from the distribution, sharpened or flattened
  by a ``temperature`` and optionally cut to the ``top_k`` tokens or the
  smallest set of tokens whose probability reaches ``top_p``; seeded;
- **beam search**: keeps the ``beam_size`` best partial translations of each
  sentence, with GNMT length normalisation.

Every sentence's output is bounded by its own source length
(:func:`length_limits`): a model that never produces ``[END]`` would otherwise
loop to a global cap. Padding and ``[START]`` are never produced. Ids follow
:mod:`seq2seq_attention.special_tokens`: 0 padding, 2 ``[START]``, 3 ``[END]``.
"""

from __future__ import annotations

import dataclasses
import weakref

import numpy as np
import tensorflow as tf

from .special_tokens import END_ID, PAD_ID, START_ID

__all__ = [
    "Decoded",
    "BeamResult",
    "length_limits",
    "length_penalty",
    "greedy_decode",
    "sample_decode",
    "beam_search",
]

# "impossible": finite, so that sums and comparisons never give NaN
_NEG = -1e9


@dataclasses.dataclass
class Decoded:
    """The result of greedy decoding or sampling for a batch.

    Attributes:
        tokens: ``(batch, steps)`` output ids, ``[END]`` included, 0 after it.
        log_probs: ``(batch, steps)`` log-probability of each output token (0
            at padding).
        weights: ``(batch, steps, src_len)`` attention weights of each step.
        lengths: ``(batch,)`` number of output tokens, ``[END]`` included.
    """

    tokens: np.ndarray
    log_probs: np.ndarray
    weights: np.ndarray
    lengths: np.ndarray

    @property
    def scores(self):
        """Sum of each sentence's token log-probabilities, ``(batch,)``."""
        return self.log_probs.sum(axis=1)


@dataclasses.dataclass
class BeamResult:
    """The n-best lists of beam search for a batch, best first.

    Attributes:
        tokens: ``(batch, beam, steps)`` ids, ``[END]`` included, 0 after it.
        scores: ``(batch, beam)`` total log-probability of each hypothesis.
        normalized_scores: ``(batch, beam)`` scores divided by
            :func:`length_penalty` (what the hypotheses are ranked by).
        lengths: ``(batch, beam)`` number of tokens, ``[END]`` included.
        weights: ``(batch, beam, steps, src_len)`` attention weights.
    """

    tokens: np.ndarray
    scores: np.ndarray
    normalized_scores: np.ndarray
    lengths: np.ndarray
    weights: np.ndarray


def length_limits(source_ids, max_length=None, ratio=2.0, extra=5):
    """Most output tokens each sentence may get:
    ``ratio * source_length + extra`` (``[END]`` included), and at most
    ``max_length``. ``source_length`` counts the source's tokens without
    ``[START]``, ``[END]`` and padding.

    Example:
        >>> length_limits(
        ...     np.array([[2, 7, 8, 3, 0], [2, 9, 3, 0, 0]]), max_length=8
        ... ).tolist()
        [8, 7]
    """
    source_ids = np.asarray(source_ids)
    source_lengths = np.sum(
        ~np.isin(source_ids, [PAD_ID, START_ID, END_ID]), axis=1
    )
    limits = np.ceil(ratio * source_lengths + extra).astype(np.int32)
    if max_length is not None:
        limits = np.minimum(limits, max_length)
    return np.maximum(limits, 1)


def length_penalty(length, alpha):
    """GNMT's length penalty ``((5 + length) / 6) ** alpha`` (Wu et al., 2016).

    Beam search ranks hypotheses by ``log P / length_penalty``: with
    ``alpha = 0`` that is the plain log-probability, which favours short
    outputs (every token adds a negative log-probability); larger ``alpha``
    favours longer ones.

    Example:
        >>> float(length_penalty(1, 0.6)), float(length_penalty(7, 0.0))
        (1.0, 1.0)
    """
    return ((5.0 + tf.cast(length, tf.float32)) / 6.0) ** alpha


def _allowed(log_probs, step, limits):
    """Forbid padding and [START]; at a sentence's last allowed step, allow
    only [END]."""
    vocab = tf.shape(log_probs)[-1]
    ids = tf.range(vocab)
    # (vocab,)
    never = tf.logical_or(tf.equal(ids, PAD_ID), tf.equal(ids, START_ID))
    log_probs = tf.where(never, tf.constant(_NEG, log_probs.dtype), log_probs)
    # (batch, 1[, 1])
    last = tf.reshape(
        step + 1 >= limits, [-1] + [1] * (len(log_probs.shape) - 1)
    )
    only_end = tf.logical_and(last, tf.not_equal(ids, END_ID))
    return tf.where(only_end, tf.constant(_NEG, log_probs.dtype), log_probs)


def _filter_logits(logits, top_k, top_p):
    """Keep the ``top_k`` best logits and the smallest set reaching probability
    ``top_p`` (tensors; ``top_k = vocab`` and ``top_p = 1`` keep
    everything)."""
    top_k = tf.minimum(top_k, tf.shape(logits)[-1])
    kth = tf.math.top_k(logits, k=top_k).values[:, -1:]  # (batch, 1)
    logits = tf.where(logits < kth, tf.constant(_NEG, logits.dtype), logits)
    sorted_logits = tf.sort(logits, direction="DESCENDING")
    cumulative = tf.cumsum(
        tf.nn.softmax(sorted_logits), axis=-1, exclusive=True
    )
    # The smallest logit still needed to reach top_p (the most likely token is
    # always kept).
    cutoff = tf.reduce_min(
        tf.where(cumulative < top_p, sorted_logits, sorted_logits[:, :1]),
        -1,
        keepdims=True,
    )
    return tf.where(logits < cutoff, tf.constant(_NEG, logits.dtype), logits)


def _step_loop(
    model,
    source_ids,
    limits,
    greedy,
    temperature=None,
    top_k=None,
    top_p=None,
    seed=None,
):
    """Greedy or sampled decoding in one tf.while_loop."""
    memory = model.encode(source_ids)
    state = memory.pop("state")
    batch = tf.shape(source_ids)[0]
    steps = tf.reduce_max(limits)
    previous = tf.fill([batch], tf.constant(START_ID, tf.int64))
    finished = tf.zeros([batch], tf.bool)
    arrays = (
        tf.TensorArray(tf.int64, size=steps),
        tf.TensorArray(tf.float32, size=steps),
        tf.TensorArray(tf.float32, size=steps),
    )

    def keep_going(t, previous, state, finished, arrays):
        return tf.logical_and(
            t < steps, tf.logical_not(tf.reduce_all(finished))
        )

    def step(t, previous, state, finished, arrays):
        # (batch, vocab), (batch, src_len)
        logits, state, weights = model.decode_step(previous, state, memory)
        # the model's own probabilities
        log_probs = tf.nn.log_softmax(tf.cast(logits, tf.float32))
        allowed = _allowed(log_probs, t, limits)
        if greedy:
            chosen = tf.argmax(allowed, axis=-1)  # (batch,)
        else:
            scaled = _filter_logits(allowed / temperature, top_k, top_p)
            chosen = tf.random.stateless_categorical(
                scaled, 1, seed=tf.stack([seed, t])
            )[:, 0]
        chosen = tf.where(finished, tf.constant(PAD_ID, tf.int64), chosen)
        chosen_log_prob = tf.where(
            finished, 0.0, tf.gather(log_probs, chosen, batch_dims=1)
        )
        weights = tf.where(
            finished[:, None], 0.0, tf.cast(weights, tf.float32)
        )
        arrays = (
            arrays[0].write(t, chosen),
            arrays[1].write(t, chosen_log_prob),
            arrays[2].write(t, weights),
        )
        finished = tf.logical_or(finished, tf.equal(chosen, END_ID))
        return t + 1, chosen, state, finished, arrays

    _, _, _, _, arrays = tf.while_loop(
        keep_going, step, (tf.constant(0), previous, state, finished, arrays)
    )
    # (batch, steps)
    tokens, log_probs = (tf.transpose(a.stack(), [1, 0]) for a in arrays[:2])
    # (batch, steps, src_len)
    weights = tf.transpose(arrays[2].stack(), [1, 0, 2])
    return tokens, log_probs, weights


def _beam_loop(model, source_ids, limits, beam_size, alpha):
    """Batched beam search in one tf.while_loop; see :func:`beam_search`."""
    K = beam_size
    memory = model.encode(source_ids)
    state = memory.pop("state")
    batch = tf.shape(source_ids)[0]
    src_len = tf.shape(source_ids)[1]
    L = tf.reduce_max(limits)

    def tile(x):  # (batch, ...) -> (batch * K, ...)
        return tf.repeat(x, K, axis=0)

    memory = {name: tile(value) for name, value in memory.items()}
    state = [tile(s) for s in state]
    # (batch,) the largest penalty any hypothesis can get
    max_penalty = length_penalty(limits, alpha)

    # Alive hypotheses: only beam 0 is real at the start, so the first step
    # does not pick K copies.
    alive_tokens = tf.zeros([batch, K, L], tf.int64)
    alive_weights = tf.zeros([batch, K, L, src_len])
    # (batch, K)
    alive_scores = tf.tile(
        tf.concat([[0.0], tf.fill([K - 1], _NEG)], 0)[None], [batch, 1]
    )
    # Finished hypotheses, ranked by normalised score.
    done_tokens, done_weights = (
        tf.zeros([batch, K, L], tf.int64),
        tf.zeros([batch, K, L, src_len]),
    )
    done_scores = tf.fill([batch, K], _NEG)
    done_normalized = tf.fill([batch, K], _NEG)
    done_lengths = tf.zeros([batch, K], tf.int32)

    def not_done(t, alive, done, state):
        alive_scores = alive[2]
        done_normalized = done[3]
        # Exact stopping: log-probabilities only fall, so an alive hypothesis
        # can at best reach its score divided by the largest length penalty;
        # stop when that cannot beat the K-th finished one. (batch,)
        best_possible = tf.reduce_max(alive_scores, axis=1) / max_penalty
        settled = tf.logical_or(
            done_normalized[:, -1] >= best_possible,
            tf.reduce_max(alive_scores, 1) <= _NEG / 2,
        )
        return tf.logical_and(t < L, tf.logical_not(tf.reduce_all(settled)))

    def step(t, alive, done, state):
        alive_in, done_in = alive, done
        alive_tokens, alive_weights, alive_scores = alive
        (
            done_tokens,
            done_weights,
            done_scores,
            done_normalized,
            done_lengths,
        ) = done
        # (batch * K,)
        previous = tf.reshape(
            tf.where(
                t == 0,
                tf.cast(START_ID, tf.int64),
                alive_tokens[:, :, tf.maximum(t - 1, 0)],
            ),
            [-1],
        )
        logits, state, weights = model.decode_step(previous, state, memory)
        log_probs = tf.nn.log_softmax(tf.cast(logits, tf.float32))
        vocab = tf.shape(log_probs)[-1]
        log_probs = tf.reshape(log_probs, [batch, K, vocab])
        allowed = _allowed(log_probs, t, limits)
        candidates = tf.reshape(
            alive_scores[:, :, None] + allowed, [batch, K * vocab]
        )
        # (batch, 2K): enough to find K that go on
        scores, flat = tf.math.top_k(candidates, k=2 * K)
        beam, token = flat // vocab, tf.cast(flat % vocab, tf.int64)
        # The candidates' histories: their parent's tokens and weights, plus
        # this step.
        step_weights = tf.reshape(
            tf.cast(weights, tf.float32), [batch, K, src_len]
        )
        at_t = tf.one_hot(t, L, dtype=tf.int64)  # (L,)
        cand_tokens = (
            tf.gather(alive_tokens, beam, batch_dims=1)
            + token[:, :, None] * at_t
        )
        cand_weights = (
            tf.gather(alive_weights, beam, batch_dims=1)
            + tf.cast(at_t, tf.float32)[None, None, :, None]
            * tf.gather(step_weights, beam, batch_dims=1)[:, :, None, :]
        )
        ended = tf.equal(token, END_ID)
        valid = scores > _NEG / 2
        # A candidate that ends joins the finished list only if it ranks among
        # the K best candidates (as in plain beam search, so that beam_size=1
        # is exactly greedy decoding).
        joins = ended & valid & (tf.range(2 * K) < K)[None]
        normalized = tf.where(
            joins, scores / length_penalty(t + 1, alpha), _NEG
        )
        # (batch, 3K)
        all_normalized = tf.concat([done_normalized, normalized], 1)
        best_normalized, keep = tf.math.top_k(all_normalized, k=K)
        done_tokens = tf.gather(
            tf.concat([done_tokens, cand_tokens], 1), keep, batch_dims=1
        )
        done_weights = tf.gather(
            tf.concat([done_weights, cand_weights], 1), keep, batch_dims=1
        )
        done_scores = tf.gather(
            tf.concat([done_scores, tf.where(joins, scores, _NEG)], 1),
            keep,
            batch_dims=1,
        )
        done_lengths = tf.gather(
            tf.concat([done_lengths, tf.fill([batch, 2 * K], t + 1)], 1),
            keep,
            batch_dims=1,
        )
        done = (
            done_tokens,
            done_weights,
            done_scores,
            best_normalized,
            done_lengths,
        )
        # The K best candidates that did not end go on.
        going_on = tf.where(ended, _NEG, scores)
        alive_scores, keep = tf.math.top_k(going_on, k=K)
        # which old beam each new one continues
        alive_beam = tf.gather(beam, keep, batch_dims=1)
        alive = (
            tf.gather(cand_tokens, keep, batch_dims=1),
            tf.gather(cand_weights, keep, batch_dims=1),
            alive_scores,
        )
        # into the (batch * K) states
        rows = tf.reshape(tf.range(batch)[:, None] * K + alive_beam, [-1])
        new_state = [tf.gather(s, rows) for s in state]
        # Gathers lose static sizes that tf.while_loop needs to stay the same.
        return (
            t + 1,
            _same_shapes(alive, alive_in),
            _same_shapes(done, done_in),
            _same_shapes(new_state, state),
        )

    alive = (alive_tokens, alive_weights, alive_scores)
    done = (
        done_tokens,
        done_weights,
        done_scores,
        done_normalized,
        done_lengths,
    )
    _, _, done, _ = tf.while_loop(
        not_done, step, (tf.constant(0), alive, done, state)
    )
    return done


def _same_shapes(new, old):
    """Give each tensor of ``new`` the static shape of its counterpart in
    ``old``."""

    def fix(n, o):
        n = tf.identity(n)
        n.set_shape(o.shape)
        return n

    return tf.nest.map_structure(fix, new, old)


# model -> its compiled decoding functions
_COMPILED = weakref.WeakKeyDictionary()


def _compiled(model, name, builder, *extra_signature):
    """One compiled function per model and name, with a fixed input signature
    (any batch size and length) so that it is traced once."""
    functions = _COMPILED.setdefault(model, {})
    if name not in functions:
        signature = [
            tf.TensorSpec([None, None], tf.int64),
            tf.TensorSpec([None], tf.int32),
            *extra_signature,
        ]
        functions[name] = tf.function(builder, input_signature=signature)
    return functions[name]


def _prepare(source_ids, max_length, ratio, extra):
    source_ids = np.asarray(source_ids)
    if source_ids.ndim != 2 or source_ids.shape[0] == 0:
        raise ValueError(
            "source_ids must have shape (batch, src_len) with batch >= 1; "
            f"got {source_ids.shape}."
        )
    limits = length_limits(source_ids, max_length, ratio, extra)
    return tf.constant(source_ids, tf.int64), tf.constant(limits, tf.int32)


def greedy_decode(model, source_ids, max_length=None, ratio=2.0, extra=5):
    """Batched greedy decoding with a
    :class:`~seq2seq_attention.models.Seq2SeqAttention`.

    Args:
        model: the model (``encode`` and ``decode_step`` are used).
        source_ids: ``(batch, src_len)`` ids, ``[START] ... [END]``, 0-padded.
        max_length, ratio, extra: see :func:`length_limits`.

    Returns:
        a :class:`Decoded`.

    Example:
        >>> from seq2seq_attention.models import Seq2SeqAttention
        >>> model = Seq2SeqAttention(10, 12, embedding_dim=4, units=8)
        >>> out = greedy_decode(
        ...     model, np.array([[2, 5, 6, 3], [2, 7, 3, 0]]), max_length=6
        ... )
        >>> (
        ...     out.tokens.shape[0],
        ...     out.weights.shape[2],
        ...     bool(np.all(out.lengths <= 6)),
        ... )
        (2, 4, True)
    """
    source, limits = _prepare(source_ids, max_length, ratio, extra)
    run = _compiled(
        model,
        "greedy",
        lambda s, limits: _step_loop(model, s, limits, greedy=True),
    )
    return _decoded(run(source, limits))


def _decoded(outputs):
    tokens, log_probs, weights = (t.numpy() for t in outputs)
    return Decoded(
        tokens=tokens,
        log_probs=log_probs,
        weights=weights,
        lengths=np.sum(tokens != PAD_ID, axis=1),
    )


def sample_decode(
    model,
    source_ids,
    temperature=1.0,
    top_k=None,
    top_p=None,
    seed=0,
    max_length=None,
    ratio=2.0,
    extra=5,
):
    """Batched sampling: each token is drawn from
    ``softmax(logits / temperature)``.

    Args:
        temperature: below 1 sharpens the distribution (towards greedy, which
            is ``temperature=0``), above 1 flattens it (more diverse, more
            errors).
        top_k: draw only among the ``top_k`` most likely tokens.
        top_p: draw only among the most likely tokens whose probabilities
            add up to ``top_p`` (nucleus sampling).
        seed: an int; the same seed gives the same samples.
        other arguments: as :func:`greedy_decode`.

    Example:
        >>> from seq2seq_attention.models import Seq2SeqAttention
        >>> model = Seq2SeqAttention(10, 12, embedding_dim=4, units=8)
        >>> source = np.array([[2, 5, 6, 3]])
        >>> a, b = (
        ...     sample_decode(model, source, seed=7).tokens for _ in range(2)
        ... )
        >>> bool(np.array_equal(a, b))
        True
    """
    if temperature < 0:
        raise ValueError(
            f"temperature must be >= 0 (0 means greedy); got {temperature}."
        )
    if top_k is not None and (not isinstance(top_k, int) or top_k < 1):
        raise ValueError(
            f"top_k must be a positive int or None; got {top_k!r}."
        )
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1] or None; got {top_p!r}.")
    if temperature == 0:
        return greedy_decode(model, source_ids, max_length, ratio, extra)
    source, limits = _prepare(source_ids, max_length, ratio, extra)

    def scalar(dtype):
        return tf.TensorSpec([], dtype)

    run = _compiled(
        model,
        "sample",
        lambda s, limits, temperature, top_k, top_p, seed: _step_loop(
            model, s, limits, False, temperature, top_k, top_p, seed
        ),
        scalar(tf.float32),
        scalar(tf.int32),
        scalar(tf.float32),
        scalar(tf.int32),
    )
    return _decoded(
        run(
            source,
            limits,
            tf.constant(float(temperature)),
            tf.constant(top_k or 2**31 - 1),
            tf.constant(1.0 if top_p is None else float(top_p)),
            tf.constant(int(seed)),
        )
    )


def beam_search(
    model,
    source_ids,
    beam_size=4,
    alpha=0.6,
    max_length=None,
    ratio=2.0,
    extra=5,
):
    """Batched beam search (sentences x beams) with GNMT length normalisation.

    At every step each of the ``beam_size`` alive hypotheses of a sentence is
    extended by every token; the ``beam_size`` best extensions that did not
    end stay alive, and those that ended (among the ``beam_size`` best) join
    the sentence's finished list, ranked by ``score / length_penalty``. A
    sentence is done when no alive hypothesis can still beat its worst
    finished one, so the search stops early without changing its result.

    Args:
        model: a :class:`~seq2seq_attention.models.Seq2SeqAttention`.
        source_ids: ``(batch, src_len)`` ids, ``[START] ... [END]``, 0-padded.
        beam_size: hypotheses kept per sentence; 1 is greedy decoding (with
            ``alpha=0``).
        alpha: length normalisation (:func:`length_penalty`); 0 ranks by
            log-probability.
        max_length, ratio, extra: see :func:`length_limits`.

    Returns:
        a :class:`BeamResult` with each sentence's ``beam_size`` best
        hypotheses.

    Example:
        >>> from seq2seq_attention.models import Seq2SeqAttention
        >>> model = Seq2SeqAttention(10, 12, embedding_dim=4, units=8)
        >>> result = beam_search(
        ...     model, np.array([[2, 5, 6, 3], [2, 7, 3, 0]]), beam_size=3
        ... )
        >>> (
        ...     result.tokens.shape[:2],
        ...     bool(np.all(np.diff(result.normalized_scores, axis=1) <= 0)),
        ... )
        ((2, 3), True)
    """
    if not isinstance(beam_size, (int, np.integer)) or beam_size < 1:
        raise ValueError(
            f"beam_size must be a positive int; got {beam_size!r}."
        )
    if alpha < 0:
        raise ValueError(
            f"alpha (length normalisation) must be >= 0; got {alpha}."
        )
    source, limits = _prepare(source_ids, max_length, ratio, extra)
    run = _compiled(
        model,
        ("beam", int(beam_size)),
        lambda s, limits, alpha: _beam_loop(
            model, s, limits, int(beam_size), alpha
        ),
        tf.TensorSpec([], tf.float32),
    )
    tokens, weights, scores, normalized, lengths = (
        t.numpy() for t in run(source, limits, tf.constant(float(alpha)))
    )
    steps = max(int(lengths.max()), 1)
    return BeamResult(
        tokens=tokens[:, :, :steps],
        scores=scores,
        normalized_scores=normalized,
        lengths=lengths,
        weights=weights[:, :, :steps],
    )
