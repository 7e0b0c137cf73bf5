"""Checkers for the exercises of chapter 06_applications (Applications).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_sort_positions(unfinished)
    ✘ sort_positions: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from ._harness import run_cases

__all__ = [
    "check_sort_positions",
    "check_pointing_accuracy",
    "check_attention_entropy",
    "check_position_encoding",
    "check_extend_ids",
    "check_final_distribution",
]


def check_sort_positions(fn):
    """Check ``fn(source) -> positions``: for each character of
    ``sorted(source)``, the index in ``source`` it comes from, with equal
    characters in source order (a stable sort).

    Example:
        >>> check_sort_positions(
        ...     lambda s: sorted(range(len(s)), key=lambda i: (s[i], i))
        ... )
        ✔ sort_positions: right on 5 strings, repeated characters included.
    """
    from ..alignment import source_positions

    cases = [
        (
            f"source {s!r}",
            (s,),
            np.array(source_positions("sort", s), dtype=float).reshape(-1),
        )
        for s in ("cab", "dcba", "baa", "3141", "zz")
    ]
    run_cases(
        "sort_positions",
        fn,
        cases,
        "right on 5 strings, repeated characters included.",
        "Hint: sort the indices 0..n-1 by (character, index); the index "
        "breaks ties, so of two equal characters the earlier one comes "
        "first (np.argsort(list(source), kind='stable') does the same).",
    )


def _pointing_cases():
    rng = np.random.default_rng(60)
    source = ["[START]", "q", "w", "e", "r", "[END]"]
    reverse = np.full((5, 6), 0.02)
    reverse[[0, 1, 2, 3, 4], [4, 3, 2, 1, 5]] = 0.9  # writes r e w q [END]
    half = reverse.copy()
    half[[1, 3]] = half[[1, 3], ::-1]  # two steps look elsewhere
    repeated = np.array(
        [[0.1, 0.45, 0.45, 0.0], [0.1, 0.2, 0.7, 0.0], [0.9, 0.05, 0.05, 0.0]]
    )
    random_weights = rng.dirichlet(np.ones(6), size=5)
    return [
        (
            "a perfect reversal map of 'qwer' (the [END] row is not counted)",
            (reverse, source, ["r", "e", "w", "q", "[END]"]),
            1.0,
        ),
        (
            "a reversal map with two steps looking elsewhere",
            (half, source, ["r", "e", "w", "q", "[END]"]),
            0.5,
        ),
        (
            "a repeated 'a' in the source: either copy counts",
            (repeated, ["[START]", "a", "a", "[END]"], ["a", "a", "[END]"]),
            1.0,
        ),
        (
            "random weights",
            (random_weights, source, ["q", "w", "e", "r", "[END]"]),
            None,
        ),
    ]


def check_pointing_accuracy(fn):
    """Check ``fn(weights, source_tokens, target_tokens) -> float``, the
    fraction of output steps (markers such as ``[END]`` excluded) whose
    most-attended source token is the token written.

    Example:
        >>> from seq2seq_attention.alignment import pointing_accuracy
        >>> check_pointing_accuracy(pointing_accuracy)
        ✔ pointing_accuracy: right on 4 maps, with repeated tokens and the
        [END] row.
    """
    from ..alignment import pointing_accuracy

    cases = [
        (d, args, pointing_accuracy(*args) if expected is None else expected)
        for d, args, expected in _pointing_cases()
    ]
    run_cases(
        "pointing_accuracy",
        fn,
        cases,
        "right on 4 maps, with repeated tokens and the [END] row.",
        "Hint: for each row t with a real token (not [START], [END], [UNK] "
        "or padding), take s = np.argmax(weights[t]) and count a hit "
        "when source_tokens[s] == target_tokens[t]; divide by the number "
        "of such rows.",
    )


def check_attention_entropy(fn):
    """Check ``fn(weights) -> entropies``, one entropy (in nats) per row, with
    ``0 log 0 = 0``.

    Example:
        >>> from seq2seq_attention.alignment import attention_entropy
        >>> check_attention_entropy(attention_entropy)
        ✔ attention_entropy: right on 3 maps, one-hot rows (entropy 0)
        included.
    """
    from ..alignment import attention_entropy

    rng = np.random.default_rng(61)
    one_hot = np.eye(4)[[3, 0, 2]]
    mixed = np.array(
        [[0.5, 0.5, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25], [1.0, 0.0, 0.0, 0.0]]
    )
    dense = rng.dirichlet(np.ones(7), size=5)
    cases = [
        (d, (w,), attention_entropy(w))
        for d, w in (
            ("one-hot rows", one_hot),
            ("rows with zeros", mixed),
            ("random rows of 7 weights", dense),
        )
    ]
    run_cases(
        "attention_entropy",
        fn,
        cases,
        "right on 3 maps, one-hot rows (entropy 0) included.",
        "Hint: -sum(a * log a) over each row, where a weight of 0 adds 0 "
        "(log 0 is -inf, and 0 * -inf is nan): e.g. np.where(w > 0, w * "
        "np.log(np.where(w > 0, w, 1)), 0).",
    )


def check_position_encoding(fn):
    """Check ``fn(J, d) -> l``, the memory network's position encoding of a
    sentence of ``J`` words: ``l[j - 1, k - 1] = (1 - j/J) - (k/d)(1 -
    2j/J)`` for word ``j`` and feature ``k``, both counted from 1.

    Example:
        >>> import numpy as np
        >>> def l(J, d):
        ...     j = np.arange(1, J + 1)[:, None] / J
        ...     k = np.arange(1, d + 1)[None, :] / d
        ...     return (1 - j) - k * (1 - 2 * j)
        >>> check_position_encoding(l)
        ✔ position_encoding: matches the package on 3 sentence lengths.
    """
    from keras import ops

    from ..qa_models import position_encoding

    def expected(J, d):
        mask = np.ones((1, J), bool)
        return ops.convert_to_numpy(position_encoding(mask, d))[0]

    cases = [
        (f"J={J}, d={d}", (J, d), expected(J, d))
        for J, d in ((3, 5), (1, 4), (6, 2))
    ]
    run_cases(
        "position_encoding",
        fn,
        cases,
        "matches the package on 3 sentence lengths.",
        "Hint: j and k start at 1; with numpy, make j a column "
        "(np.arange(1, J + 1)[:, None] / J) and k a row, and let "
        "broadcasting build the (J, d) table.",
    )


def _extended(source, target, vocabulary):
    from ..pointer import extend_ids, vocabulary_index

    index = vocabulary_index(vocabulary)
    source_ids, oovs = extend_ids(source, index, max_oovs=len(source) + 1)
    target_ids, _ = extend_ids(target, index, len(source) + 1, oovs)
    return np.array(source_ids), np.array(target_ids)


def check_extend_ids(fn):
    """Check ``fn(source, target, vocabulary) -> (source_ids,
    target_ids)``: ids of the vocabulary (after the four reserved ones)
    for known words; unknown source words numbered ``V, V + 1, ...`` in
    order of first appearance (``V = len(vocabulary) + 4``); an unknown
    target word gets its source id if the source has it, else ``[UNK]``
    (1).

    Example:
        >>> def extend(source, target, vocabulary):
        ...     known = {w: i + 4 for i, w in enumerate(vocabulary)}
        ...     extra = {}
        ...     for w in source:
        ...         if w not in known and w not in extra:
        ...             extra[w] = len(known) + 4 + len(extra)
        ...
        ...     def ids(words):
        ...         return [known.get(w, extra.get(w, 1)) for w in words]
        ...
        ...     return ids(source), ids(target)
        >>> check_extend_ids(extend)
        ✔ extend_ids: right on 3 pairs, repeated and uncopyable words
        included.
    """
    vocabulary = ["storm", "hits", "in", "the", "."]
    pairs = [
        (
            "a source with one unknown word",
            ["storm", "hits", "kelo", "."],
            ["storm", "in", "kelo"],
        ),
        (
            "an unknown word repeated, and two of them",
            ["zor", "hits", "mup", "in", "zor", "."],
            ["mup", "hits", "zor"],
        ),
        (
            "a target word that is in neither",
            ["the", "storm", "hits", "dax"],
            ["storm", "hits", "vell"],
        ),
    ]
    cases = [
        (d, (s, t, vocabulary), _extended(s, t, vocabulary))
        for d, s, t in pairs
    ]
    run_cases(
        "extend_ids",
        fn,
        cases,
        "right on 3 pairs, repeated and uncopyable words included.",
        "Hint: number the unknown source words once each, in the order "
        "they first appear, from len(vocabulary) + 4; a target word that "
        "is neither known nor in the source cannot be copied: [UNK] = 1.",
        outputs=("source_ids", "target_ids"),
    )


def _final_cases():
    rng = np.random.default_rng(61)
    cases = []
    for p_gen, ids in (
        (0.7, [2, 9, 5, 10, 3]),
        (0.2, [2, 9, 9, 3]),
        (1.0, [2, 4, 3]),
    ):
        V, n_oovs = 9, 2
        p_vocab = rng.dirichlet(np.ones(V))
        attention = rng.dirichlet(np.ones(len(ids)))
        expected = np.concatenate([p_gen * p_vocab, np.zeros(n_oovs)])
        np.add.at(expected, ids, (1 - p_gen) * attention)
        cases.append(
            (
                f"p_gen={p_gen}, source ids {ids}",
                (p_vocab, attention, np.array(ids), p_gen, n_oovs),
                expected,
            )
        )
    return cases


def check_final_distribution(fn):
    """Check ``fn(p_vocab, attention, source_ids, p_gen, n_oovs) -> p``:
    the pointer-generator's distribution over ``V + n_oovs`` ids,
    ``p_gen * p_vocab`` (0 for the extended ids) plus ``(1 - p_gen)`` times
    the attention weights added onto the ids they attend to.

    Example:
        >>> import numpy as np
        >>> def final(p_vocab, attention, source_ids, p_gen, n_oovs):
        ...     p = np.concatenate([p_gen * p_vocab, np.zeros(n_oovs)])
        ...     np.add.at(p, source_ids, (1 - p_gen) * attention)
        ...     return p
        >>> check_final_distribution(final)
        ✔ final_distribution: right on 3 steps, a repeated source word
        included; each sums to 1.
    """
    run_cases(
        "final_distribution",
        fn,
        _final_cases(),
        "right on 3 steps, a repeated source word included; each sums to 1.",
        "Hint: pad p_vocab with n_oovs zeros, scale it by p_gen, then add "
        "(1 - p_gen) * attention[s] at index source_ids[s] for every s "
        "(np.add.at adds twice for a word that occurs twice; p[ids] += ... "
        "would not).",
    )
