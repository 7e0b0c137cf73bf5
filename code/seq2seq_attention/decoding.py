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
loop to a global cap. Padding and ``[START]`` are never produced
(:func:`allowed_log_probs`, the rule every decoder and the export apply).
Ids follow :mod:`seq2seq_attention.special_tokens`: 0 padding, 2 ``[START]``,
3 ``[END]``.

The decoders work with any model that speaks
:class:`~seq2seq_attention.protocol.DecodingModel` (``encode`` and
``decode_step``): the RNN models, the Transformer and the toy model.
:func:`greedy_decode`, :func:`sample_decode` and :func:`beam_search` take and
return numpy arrays; :func:`step_loop` and :func:`beam_loop` are the
graph-mode loops inside them, which the SavedModel export calls too.
"""

from __future__ import annotations

import collections
import dataclasses
import weakref

import numpy as np
import tensorflow as tf

from .protocol import check_decoding_model
from .special_tokens import END_ID, PAD_ID, START_ID

__all__ = [
    "Decoded",
    "BeamResult",
    "length_limits",
    "length_penalty",
    "allowed_log_probs",
    "greedy_decode",
    "sample_decode",
    "beam_search",
    "step_loop",
    "beam_loop",
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

    A numpy array (or list) in gives a numpy array out; a tensor in (also
    inside ``tf.function``, as in the export) gives an int32 tensor out.

    Example:
        >>> length_limits(
        ...     np.array([[2, 7, 8, 3, 0], [2, 9, 3, 0, 0]]), max_length=8
        ... ).tolist()
        [8, 7]
    """
    ids = tf.convert_to_tensor(source_ids)
    real = tf.logical_not(
        tf.reduce_any(
            tf.equal(
                ids[..., None],
                tf.constant([PAD_ID, START_ID, END_ID], ids.dtype),
            ),
            axis=-1,
        )
    )
    # float64, as numpy would: the same ceil for any ratio
    lengths = tf.reduce_sum(tf.cast(real, tf.float64), axis=1)  # (batch,)
    limits = tf.cast(tf.math.ceil(ratio * lengths + extra), tf.int32)
    if max_length is not None:
        limits = tf.minimum(limits, max_length)
    limits = tf.maximum(limits, 1)
    return limits if isinstance(source_ids, tf.Tensor) else limits.numpy()


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


def allowed_log_probs(log_probs, step, limits):
    """The decoders' token rule: never padding or ``[START]``, and only
    ``[END]`` at a sentence's last allowed step (``step + 1 >= limit``).

    Forbidden tokens get a large negative log-probability (finite, so that
    sums never give NaN). Graph-mode: tensors in, a tensor out.

    Args:
        log_probs: ``(batch, vocab)``, or ``(batch, beam, vocab)`` in beam
            search.
        step: the step, counted from 0 (a scalar).
        limits: ``(batch,)`` most tokens per sentence
            (:func:`length_limits`).

    Example:
        >>> scores = allowed_log_probs(
        ...     tf.zeros([2, 5]), tf.constant(1), tf.constant([2, 5])
        ... )  # sentence 0 is at its last step
        >>> (scores.numpy() > -1).astype(int).tolist()
        [[0, 0, 0, 1, 0], [0, 1, 0, 1, 1]]
    """
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


def step_loop(
    model,
    source_ids,
    limits,
    greedy=True,
    temperature=None,
    top_k=None,
    top_p=None,
    seed=None,
):
    """Greedy or sampled decoding of a batch in one ``tf.while_loop``.

    The graph-mode core of :func:`greedy_decode` and :func:`sample_decode`
    (and of the export's ``greedy`` signature): tensors in, tensors out, to
    be called inside ``tf.function``.

    Args:
        model: a :class:`~seq2seq_attention.protocol.DecodingModel`.
        source_ids: ``(batch, src_len)`` int64 ids.
        limits: ``(batch,)`` int32, most tokens per sentence
            (:func:`length_limits`).
        greedy: the most likely token at every step; otherwise a draw with
            ``temperature``, ``top_k``, ``top_p`` (scalar tensors;
            ``top_k = vocab`` and ``top_p = 1`` keep every token) and
            ``seed`` (an int32 scalar).

    Returns:
        ``(tokens, log_probs, weights)``: ``(batch, steps)`` int64 ids
        (``[END]`` included, 0 after it), their ``(batch, steps)``
        log-probabilities and ``(batch, steps, src_len)`` attention weights.
    """
    batch = tf.shape(source_ids)[0]
    steps = tf.reduce_max(limits)
    memory = model.encode(source_ids, max_steps=steps)
    state = memory.pop("state")
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
        allowed = allowed_log_probs(log_probs, t, limits)
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


# Beam search's loop variables. Alive hypotheses: tokens (batch, K, L),
# weights (batch, K, L, src_len), scores (batch, K). Finished ones, best
# normalised score first: the same plus normalized (batch, K) and lengths
# (batch, K). Candidates of one step: the same for (batch, 2K), plus the
# alive hypothesis (beam) each extends and the token it adds.
_Alive = collections.namedtuple("_Alive", "tokens weights scores")
_Done = collections.namedtuple(
    "_Done", "tokens weights scores normalized lengths"
)
_Candidates = collections.namedtuple(
    "_Candidates", "tokens weights scores beam token"
)


def beam_loop(model, source_ids, limits, beam_size, alpha):
    """Batched beam search in one ``tf.while_loop``; the graph-mode core of
    :func:`beam_search` (and of the export's ``beam`` signature).

    Arguments as :func:`step_loop`, plus ``beam_size`` (a Python int) and
    ``alpha`` (a float or scalar tensor; :func:`length_penalty`).

    Returns:
        each sentence's ``beam_size`` finished hypotheses, best first:
        ``(tokens, weights, scores, normalized_scores, lengths)``, shaped
        ``(batch, beam, L)``, ``(batch, beam, L, src_len)`` and
        ``(batch, beam)`` three times, where ``L`` is the largest limit.
    """
    K = beam_size
    batch, src_len = tf.shape(source_ids)[0], tf.shape(source_ids)[1]
    L = tf.reduce_max(limits)
    memory = model.encode(source_ids, max_steps=L)
    state = memory.pop("state")
    # (batch, ...) -> (batch * K, ...): each sentence's K rows side by side
    memory = {name: tf.repeat(v, K, axis=0) for name, v in memory.items()}
    state = [tf.repeat(s, K, axis=0) for s in state]
    # (batch,) the largest penalty any hypothesis can get
    max_penalty = length_penalty(limits, alpha)

    def not_done(t, alive, done, state):
        # Exact stopping: log-probabilities only fall, so an alive hypothesis
        # can at best reach its score divided by the largest length penalty;
        # stop when that cannot beat the K-th finished one. (batch,)
        best = tf.reduce_max(alive.scores, axis=1)
        settled = tf.logical_or(
            done.normalized[:, -1] >= best / max_penalty, best <= _NEG / 2
        )
        return tf.logical_and(t < L, tf.logical_not(tf.reduce_all(settled)))

    def step(t, alive, done, state):
        # (batch * K,) each hypothesis' last token
        previous = tf.reshape(
            tf.where(
                t == 0,
                tf.cast(START_ID, tf.int64),
                alive.tokens[:, :, tf.maximum(t - 1, 0)],
            ),
            [-1],
        )
        logits, new_state, weights = model.decode_step(previous, state, memory)
        log_probs = tf.nn.log_softmax(tf.cast(logits, tf.float32))
        # (batch, K, vocab)
        log_probs = tf.reshape(log_probs, [batch, K, -1])
        candidates = _beam_candidates(
            alive,
            allowed_log_probs(log_probs, t, limits),
            tf.reshape(tf.cast(weights, tf.float32), [batch, K, src_len]),
            t,
            L,
            K,
        )
        new_done = _beam_finish(done, candidates, t, alpha, K)
        new_alive, parents = _beam_go_on(candidates, K)
        # into the (batch * K) states: the rows of each new hypothesis' parent
        rows = tf.reshape(tf.range(batch)[:, None] * K + parents, [-1])
        new_state = [tf.gather(s, rows) for s in new_state]
        # Gathers lose static sizes that tf.while_loop needs to stay the same.
        return (
            t + 1,
            _same_shapes(new_alive, alive),
            _same_shapes(new_done, done),
            _same_shapes(new_state, state),
        )

    alive, done = _beam_start(batch, K, L, src_len)
    _, _, done, _ = tf.while_loop(
        not_done, step, (tf.constant(0), alive, done, state)
    )
    return tuple(done)


def _beam_start(batch, K, L, src_len):
    """The loop's first alive and finished hypotheses: only beam 0 is real,
    so that the first step does not pick K copies; nothing has finished."""
    alive = _Alive(
        tokens=tf.zeros([batch, K, L], tf.int64),
        weights=tf.zeros([batch, K, L, src_len]),
        # (batch, K)
        scores=tf.tile(
            tf.concat([[0.0], tf.fill([K - 1], _NEG)], 0)[None], [batch, 1]
        ),
    )
    done = _Done(
        tokens=tf.zeros([batch, K, L], tf.int64),
        weights=tf.zeros([batch, K, L, src_len]),
        scores=tf.fill([batch, K], _NEG),
        normalized=tf.fill([batch, K], _NEG),
        lengths=tf.zeros([batch, K], tf.int32),
    )
    return alive, done


def _beam_candidates(alive, allowed, step_weights, t, L, K):
    """The 2K best one-token extensions of the alive hypotheses: enough to
    find K that go on. ``allowed`` ``(batch, K, vocab)``, ``step_weights``
    ``(batch, K, src_len)``."""
    batch, vocab = tf.shape(allowed)[0], tf.shape(allowed)[2]
    flat_scores = tf.reshape(
        alive.scores[:, :, None] + allowed, [batch, K * vocab]
    )
    # (batch, 2K)
    scores, flat = tf.math.top_k(flat_scores, k=2 * K)
    beam, token = flat // vocab, tf.cast(flat % vocab, tf.int64)
    # The candidates' histories: their parent's tokens and weights, plus this
    # step.
    at_t = tf.one_hot(t, L, dtype=tf.int64)  # (L,)
    tokens = (
        tf.gather(alive.tokens, beam, batch_dims=1) + token[:, :, None] * at_t
    )
    weights = (
        tf.gather(alive.weights, beam, batch_dims=1)
        + tf.cast(at_t, tf.float32)[None, None, :, None]
        * tf.gather(step_weights, beam, batch_dims=1)[:, :, None, :]
    )
    return _Candidates(tokens, weights, scores, beam, token)


def _beam_finish(done, candidates, t, alpha, K):
    """The K best finished hypotheses after this step.

    A candidate that ends joins the finished list only if it ranks among the
    K best candidates (as in plain beam search, so that beam_size=1 is
    exactly greedy decoding)."""
    batch = tf.shape(candidates.scores)[0]
    valid = candidates.scores > _NEG / 2
    joins = (
        tf.equal(candidates.token, END_ID)
        & valid
        & (tf.range(2 * K) < K)[None]
    )
    normalized = tf.where(
        joins, candidates.scores / length_penalty(t + 1, alpha), _NEG
    )
    # (batch, 3K) -> the K best
    best_normalized, keep = tf.math.top_k(
        tf.concat([done.normalized, normalized], 1), k=K
    )

    def pick(old, new):
        return tf.gather(tf.concat([old, new], 1), keep, batch_dims=1)

    return _Done(
        tokens=pick(done.tokens, candidates.tokens),
        weights=pick(done.weights, candidates.weights),
        scores=pick(done.scores, tf.where(joins, candidates.scores, _NEG)),
        normalized=best_normalized,
        lengths=pick(done.lengths, tf.fill([batch, 2 * K], t + 1)),
    )


def _beam_go_on(candidates, K):
    """The K best candidates that did not end, and the alive hypothesis
    (``(batch, K)`` beam index) each continues."""
    going_on = tf.where(
        tf.equal(candidates.token, END_ID), _NEG, candidates.scores
    )
    scores, keep = tf.math.top_k(going_on, k=K)
    alive = _Alive(
        tokens=tf.gather(candidates.tokens, keep, batch_dims=1),
        weights=tf.gather(candidates.weights, keep, batch_dims=1),
        scores=scores,
    )
    return alive, tf.gather(candidates.beam, keep, batch_dims=1)


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


def _prepare(model, who, source_ids, max_length, ratio, extra):
    """Check the arguments every decoder takes; returns the source ids and
    their limits as tensors."""
    check_decoding_model(model, who)
    source_ids = np.asarray(source_ids)
    if source_ids.ndim != 2 or source_ids.shape[0] == 0:
        raise ValueError(
            "source_ids must have shape (batch, src_len) with batch >= 1; "
            f"got {source_ids.shape}."
        )
    limits = length_limits(source_ids, max_length, ratio, extra)
    return tf.constant(source_ids, tf.int64), tf.constant(limits, tf.int32)


def greedy_decode(model, source_ids, max_length=None, ratio=2.0, extra=5):
    """Batched greedy decoding: the most likely token at every step.

    Args:
        model: any model of the package
            (:class:`~seq2seq_attention.protocol.DecodingModel`).
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
    source, limits = _prepare(
        model, "greedy_decode", source_ids, max_length, ratio, extra
    )
    run = _compiled(
        model,
        "greedy",
        lambda s, limits: step_loop(model, s, limits, greedy=True),
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
    source, limits = _prepare(
        model, "sample_decode", source_ids, max_length, ratio, extra
    )

    def scalar(dtype):
        return tf.TensorSpec([], dtype)

    run = _compiled(
        model,
        "sample",
        lambda s, limits, temperature, top_k, top_p, seed: step_loop(
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
        model: any model of the package
            (:class:`~seq2seq_attention.protocol.DecodingModel`).
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
    source, limits = _prepare(
        model, "beam_search", source_ids, max_length, ratio, extra
    )
    run = _compiled(
        model,
        ("beam", int(beam_size)),
        lambda s, limits, alpha: beam_loop(
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
