"""``tf.data`` pipelines for teacher forcing: encoding, padding, length
bucketing.

:func:`encode` turns texts into ``[START] ... [END]`` id sequences;
:func:`make_dataset` gives ``((source_ids, target_in_ids), target_out_ids)``
batches, shuffled with a seed, padded with 0, optionally bucketed by length,
prefetched.

Example:
    >>> from seq2seq_attention.data import make_vectorizer
    >>> v = make_vectorizer(["go ."])
    >>> (s, t_in), t_out = next(
    ...     iter(make_dataset([("go .", "go")], v, v, shuffle=False))
    ... )
    >>> s.numpy().tolist(), t_in.numpy().tolist(), t_out.numpy().tolist()
    ([[2, 5, 4, 3]], [[2, 5]], [[5, 3]])
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from ..special_tokens import END_ID, PAD_ID, START_ID

__all__ = [
    "encode",
    "make_dataset",
    "token_buckets",
]


def encode(texts, tokenizer, *, markers=True):
    """Token ids of each text, ``[START] ... [END]`` around them, as a
    ``tf.RaggedTensor``.

    ``tokenizer`` is any tokenizer of :mod:`~seq2seq_attention.data.tokenizers`
    (it normalizes the texts itself) or a ``TextVectorization`` from
    :func:`~seq2seq_attention.data.make_vectorizer` (which expects normalized
    text).

    Example:
        >>> from seq2seq_attention.data import make_vectorizer
        >>> v = make_vectorizer(["go ."])
        >>> encode(["go .", "go go"], v).to_list()
        [[2, 5, 4, 3], [2, 5, 5, 3]]
    """
    texts = list(texts)
    if hasattr(tokenizer, "level"):  # a tokenizer: Python lists of ids
        rows = tokenizer.encode(texts)
        ids = tf.RaggedTensor.from_row_lengths(
            np.array([i for row in rows for i in row], np.int64),
            np.array([len(row) for row in rows], np.int64),
        )
    else:
        ids = tokenizer(tf.constant(texts, dtype=tf.string))  # (n, None)
        if not isinstance(ids, tf.RaggedTensor):
            ids = tf.RaggedTensor.from_tensor(ids, padding=PAD_ID)
    if not markers:
        return ids
    n = ids.nrows()
    starts = tf.RaggedTensor.from_tensor(
        tf.fill([n, 1], tf.constant(START_ID, ids.dtype))
    )
    ends = tf.RaggedTensor.from_tensor(
        tf.fill([n, 1], tf.constant(END_ID, ids.dtype))
    )
    return tf.concat([starts, ids, ends], axis=1)


def _bucket_boundaries(lengths, buckets):
    quantiles = np.quantile(lengths, np.linspace(0, 1, buckets + 1)[1:-1])
    return sorted({int(q) + 1 for q in quantiles})


def token_buckets(lengths, max_tokens):
    """Bucket boundaries and batch sizes for batches of about ``max_tokens``
    padded tokens: short sentences come many to a batch, long ones few.

    A batch of bucket ``i`` holds sentences shorter than ``boundaries[i]``
    (the last bucket: up to the longest), so it has at most
    ``batch_sizes[i] * longest <= max_tokens`` positions.

    Example:
        >>> token_buckets([3, 5, 9, 17], max_tokens=64)
        ([5, 7, 9, 11, 13, 15, 17], [16, 10, 8, 6, 5, 4, 4, 3])
    """
    longest = int(max(lengths))
    if max_tokens < longest:
        raise ValueError(
            f"max_tokens={max_tokens} cannot hold the longest sentence "
            f"({longest} tokens with [START]/[END]); raise it."
        )
    # Steps of 2 up to 13, then steps of about 1/8 of the length, so that
    # no bucket pads more than about 12% beyond its shortest sentence.
    edges, edge = [], 5
    while edge <= longest:
        edges.append(edge)
        edge += 2 if edge < 13 else max(2, edge // 8)
    uppers = [b - 1 for b in edges] + [longest]
    return edges, [max(1, max_tokens // u) for u in uppers]


def make_dataset(
    pairs,
    source_vectorizer,
    target_vectorizer,
    *,
    batch_size=64,
    shuffle=True,
    seed=None,
    buckets=None,
    max_tokens=None,
    drop_remainder=False,
):
    """A ``tf.data.Dataset`` of
    ``((source_ids, target_in_ids), target_out_ids)`` batches.

    Each sentence becomes ``[START] tokens [END]``. Batches are padded with 0
    to their longest sentence. For teacher forcing, the decoder's input is the
    target without its last id and the expected output is the target without
    its first: ``target_in = [START] y1 .. yn`` and ``target_out = y1 .. yn
    [END]`` (then padding), offset by one.

    Args:
        pairs: ``(source, target)`` pairs: raw text for a tokenizer of
            :mod:`~seq2seq_attention.data.tokenizers`, normalised text for a
            vectorizer.
        source_vectorizer, target_vectorizer: tokenizers, or vectorizers
            from :func:`make_vectorizer`.
        batch_size: pairs per batch (ignored with ``max_tokens``).
        shuffle: shuffle all pairs, again each epoch, with ``seed`` (required
            when shuffling, so that runs are reproducible); with buckets, the
            batches of each epoch are shuffled as well.
        seed: the shuffle seed.
        buckets: ``None`` for plain padded batches; an int ``k`` for ``k``
            length buckets at the length quantiles; or a list of bucket
            boundaries. Bucketing batches sentences of similar length
            together, so there is less padding to compute on.
        max_tokens: batches by size instead of count: each holds about
            ``max_tokens`` padded positions (:func:`token_buckets`), so a
            step costs about the same whatever the sentence lengths.
        drop_remainder: drop a last, smaller batch (of each bucket).

    Example:
        >>> from seq2seq_attention.data import make_vectorizer
        >>> pairs = [("a", "x y"), ("a b c", "x")]
        >>> src, tgt = make_vectorizer(["a b c"]), make_vectorizer(["x y"])
        >>> (s, t_in), t_out = next(
        ...     iter(
        ...         make_dataset(pairs, src, tgt, batch_size=2, shuffle=False)
        ...     )
        ... )
        >>> s.numpy().tolist()
        [[2, 4, 3, 0, 0], [2, 4, 5, 6, 3]]
        >>> t_in.numpy().tolist(), t_out.numpy().tolist()
        ([[2, 4, 5], [2, 4, 3]], [[4, 5, 3], [4, 3, 0]])
    """
    if shuffle and seed is None:
        raise ValueError(
            "shuffle=True needs a seed (any int) so that runs are "
            "reproducible; or pass shuffle=False."
        )
    if not pairs:
        raise ValueError("make_dataset got no pairs.")
    sources = encode([s for s, _ in pairs], source_vectorizer)
    targets = encode([t for _, t in pairs], target_vectorizer)
    # Shuffle indices (cheap), then look the ids up.
    dataset = tf.data.Dataset.range(len(pairs))
    if shuffle:
        dataset = dataset.shuffle(
            len(pairs), seed=seed, reshuffle_each_iteration=True
        )
    if buckets or max_tokens:
        lengths = np.maximum(
            sources.row_lengths().numpy(), targets.row_lengths().numpy()
        )
        if max_tokens:
            boundaries, batch_sizes = token_buckets(lengths, max_tokens)
        elif isinstance(buckets, int):
            boundaries = _bucket_boundaries(lengths, buckets)
        else:
            boundaries = sorted(int(b) for b in buckets)
        if not max_tokens:
            batch_sizes = [batch_size] * (len(boundaries) + 1)
        src_values, src_splits = sources.flat_values, sources.row_splits
        tgt_values, tgt_splits = targets.flat_values, targets.row_splits
        # one pair at a time: 1-D tensors of different lengths
        dataset = dataset.map(
            lambda i: (
                src_values[src_splits[i] : src_splits[i + 1]],
                tgt_values[tgt_splits[i] : tgt_splits[i + 1]],
            ),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
        # pads with 0 to the longest in each batch
        dataset = dataset.bucket_by_sequence_length(
            element_length_func=lambda s, t: tf.maximum(
                tf.shape(s)[0], tf.shape(t)[0]
            ),
            bucket_boundaries=boundaries,
            bucket_batch_sizes=batch_sizes,
            drop_remainder=drop_remainder,
        )
        # The number of batches is fixed (each bucket's size is), but tf.data
        # cannot know it; telling it lets fit() show progress and not warn
        # that the data "ran out" at the end of the first epoch.
        per_bucket = np.bincount(
            np.searchsorted(boundaries, lengths, side="right"),
            minlength=len(boundaries) + 1,
        )
        sizes = np.array(batch_sizes)
        batches = (
            per_bucket // sizes if drop_remainder else -(-per_bucket // sizes)
        )
        dataset = dataset.apply(
            tf.data.experimental.assert_cardinality(int(batches.sum()))
        )
        if shuffle:
            # Bucketing emits each bucket's last, smaller batch when the
            # pairs run out, so without this every epoch would end with a
            # burst of small batches; Adam moves as far on a batch of a few
            # pairs as on a full one, and these last steps cost the
            # checkpoint saved right after them 7 BLEU (bleu_budget.py,
            # Spanish -> English, 20 minutes: 42.9 against 49.5 for the
            # weights 18 steps earlier). Shuffling all the epoch's batches
            # spreads them out.
            dataset = dataset.shuffle(
                int(batches.sum()),
                seed=seed + 1,
                reshuffle_each_iteration=True,
            )
    else:
        dataset = dataset.batch(
            batch_size,
            drop_remainder=drop_remainder,
            # (batch, longest source), (batch, longest target): padded with 0
        ).map(  # a batch at a time
            lambda i: (
                tf.gather(sources, i).to_tensor(PAD_ID),
                tf.gather(targets, i).to_tensor(PAD_ID),
            ),
            num_parallel_calls=tf.data.AUTOTUNE,
        )

    def teacher_forcing(
        source, target
    ):  # source (batch, src_len), target (batch, tgt_len + 1)
        return (source, target[:, :-1]), target[:, 1:]

    return dataset.map(
        teacher_forcing, num_parallel_calls=tf.data.AUTOTUNE
    ).prefetch(tf.data.AUTOTUNE)
