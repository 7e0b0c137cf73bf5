"""Checkers for the exercises of chapter 03_algorithm (The algorithm step by
step).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_decoder_step_shapes(unfinished)
    ✘ decoder_step_shapes: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from ._harness import call_solution, report, run_cases

__all__ = [
    "check_decoder_step_shapes",
    "check_luong_step",
    "check_next_token",
]


def _decoder_step_shapes(batch, src_len, embedding_dim, units, vocab, decoder):
    """The shapes of one decoder step of the package's decoders (see the
    algorithm chapter)."""
    rnn_input = (
        embedding_dim + units if decoder == "bahdanau" else embedding_dim
    )
    return {
        "rnn_input": (batch, rnn_input),
        "state": (batch, units),
        "weights": (batch, src_len),
        "context": (batch, units),
        "combine_input": (batch, 2 * units),
        "logits": (batch, vocab),
    }


def check_decoder_step_shapes(fn):
    """Check ``fn(batch, src_len, embedding_dim, units, vocab, decoder)``,
    which returns a dict of shapes.

    For one step of the package's ``"luong"`` or ``"bahdanau"`` decoder (GRU,
    encoder directions summed), return a dict with the shapes (tuples) of
    ``"rnn_input"`` (what the GRU reads), ``"state"`` (the new state),
    ``"weights"``, ``"context"``, ``"combine_input"`` (what ``W_c`` multiplies)
    and ``"logits"``.

    Example:
        >>> def shapes(batch, src_len, embedding_dim, units, vocab, decoder):
        ...     extra = units if decoder == "bahdanau" else 0
        ...     return {
        ...         "rnn_input": (batch, embedding_dim + extra),
        ...         "state": (batch, units),
        ...         "weights": (batch, src_len),
        ...         "context": (batch, units),
        ...         "combine_input": (batch, 2 * units),
        ...         "logits": (batch, vocab),
        ...     }
        >>> check_decoder_step_shapes(shapes)
        ✔ decoder_step_shapes: right for both decoders on 4 cases.
    """
    name = "decoder_step_shapes"
    hint = (
        "Hint: the Bahdanau GRU reads [emb(y_{t-1}); c_t], the Luong GRU "
        "only emb(y_{t-1}); both combine [context; state] (2 * units) "
        "and score every source position."
    )
    cases = [
        (2, 7, 8, 16, 30, "luong"),
        (2, 7, 8, 16, 30, "bahdanau"),
        (1, 12, 32, 64, 15, "bahdanau"),
        (3, 5, 4, 6, 9, "luong"),
    ]
    for case in cases:
        expected = _decoder_step_shapes(*case)
        ok, got = call_solution(name, fn, *case)
        if not ok:
            return
        described = (
            "batch={}, src_len={}, embedding_dim={}, units={}, "
            "vocab={}, decoder={!r}"
        ).format(*case)
        if not isinstance(got, dict) or set(got) != set(expected):
            what = sorted(got) if isinstance(got, dict) else type(got).__name__
            report(
                f"✘ {name}: wrong result for {described}: expected a "
                f"dict with the keys {sorted(expected)}, got {what}.\n"
                f"  {hint}"
            )
            return
        wrong = {
            k: tuple(got[k])
            for k in expected
            if tuple(int(d) for d in got[k]) != expected[k]
        }
        if wrong:
            report(
                f"✘ {name}: wrong shapes for {described}:\n    expected "
                f"{ ({k: expected[k] for k in wrong}) }\n    got      "
                f"{wrong}\n  {hint}"
            )
            return
    report(f"✔ {name}: right for both decoders on 4 cases.")


def _luong_case(seed, vocab, embedding_dim, units, src_len, real):
    """A random LuongDecoder (additive attention, GRU), its weights as numpy,
    inputs and its step's outputs."""
    import keras

    from ..models import LuongDecoder

    keras.utils.set_random_seed(seed)
    decoder = LuongDecoder(  # Luong's own output: tanh(W_c [c; o])
        vocab,
        embedding_dim=embedding_dim,
        units=units,
        attention="additive",
        combine="tanh",
    )
    rng = np.random.default_rng(seed)
    bias = decoder.rnn.cell.bias
    # non-zero biases, to be checked
    bias.assign(rng.normal(size=bias.shape).astype("float32") * 0.5)
    decoder.attention.b.assign(rng.normal(size=units).astype("float32") * 0.5)
    weights = {
        "embedding": decoder.embedding.embeddings.numpy(),
        "gru": {
            "kernel": decoder.rnn.cell.kernel.numpy(),
            "recurrent_kernel": decoder.rnn.cell.recurrent_kernel.numpy(),
            "bias": decoder.rnn.cell.bias.numpy(),
        },
        "attention": {
            k: getattr(decoder.attention, k).numpy()
            for k in ("W1", "W2", "b", "v")
        },
        "W_c": decoder.combine.kernel.numpy(),
        "W_out": decoder.output_layer.kernel.numpy(),
        "b_out": decoder.output_layer.bias.numpy(),
    }
    previous_id = int(rng.integers(2, vocab))
    state = rng.normal(size=units).astype("float32")
    keys = rng.normal(size=(src_len, units)).astype("float32")
    mask = np.arange(src_len) < real
    logits, new_state, attention = decoder.step(
        np.array([previous_id]), [state[None]], keys[None], mask[None]
    )
    expected = (
        np.asarray(logits)[0],
        np.asarray(new_state[0])[0],
        np.asarray(attention)[0],
    )
    return (
        previous_id,
        state.astype(float),
        keys.astype(float),
        mask,
        weights,
    ), expected


def check_luong_step(fn):
    """Check ``fn(previous_id, state, keys, mask, weights)``, which returns
    ``(logits, new_state, attention)``: one step of the package's Luong
    decoder (GRU, additive attention) in numpy, for one sentence.

    ``previous_id`` is an int, ``state`` ``(U,)``, ``keys`` the encoder states
    ``(S, U)``, ``mask`` ``(S,)`` booleans. ``weights`` is a dict:
    ``"embedding"`` ``(V, E)``; ``"gru"`` a dict with Keras' ``"kernel"``
    ``(E, 3U)``, ``"recurrent_kernel"`` ``(U, 3U)`` and ``"bias"`` ``(2, 3U)``
    (gates in the order z, r, candidate; ``reset_after=True``); ``"attention"``
    a dict with ``W1, W2, b, v``; ``"W_c"`` ``(2U, U)``, ``"W_out"``
    ``(U, V)``, ``"b_out"`` ``(V,)``. The expected results come from the
    package's :meth:`~seq2seq_attention.models.LuongDecoder.step` with the same
    weights.

    Example:
        >>> from seq2seq_attention import reference
        >>> def luong_step(previous_id, state, keys, mask, weights):
        ...     sigmoid = lambda a: 1 / (1 + np.exp(-a))
        ...     g, att = weights["gru"], weights["attention"]
        ...     x_z, x_r, x_h = np.split(
        ...         weights["embedding"][previous_id] @ g["kernel"]
        ...         + g["bias"][0],
        ...         3,
        ...     )
        ...     h_z, h_r, h_h = np.split(
        ...         state @ g["recurrent_kernel"] + g["bias"][1], 3
        ...     )
        ...     z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
        ...     new_state = z * state + (1 - z) * np.tanh(x_h + r * h_h)
        ...     scores = (
        ...         np.tanh(
        ...             keys @ att["W1"] + new_state @ att["W2"] + att["b"]
        ...         )
        ...         @ att["v"]
        ...     )
        ...     attention = reference.softmax(scores, mask)
        ...     context = attention @ keys
        ...     combined = np.tanh(
        ...         np.concatenate([context, new_state]) @ weights["W_c"]
        ...     )
        ...     return (
        ...         combined @ weights["W_out"] + weights["b_out"],
        ...         new_state,
        ...         attention,
        ...     )
        >>> check_luong_step(luong_step)
        ✔ luong_step: same logits, state and attention weights as the package's
        LuongDecoder on 3 cases.
    """
    cases = []
    for seed, sizes in enumerate(
        ((9, 3, 4, 5, 5), (12, 4, 6, 7, 4), (20, 8, 16, 10, 1))
    ):
        args, expected = _luong_case(seed, *sizes)
        cases.append(
            (
                "V={}, E={}, U={}, S={} with {} real".format(*sizes),
                args,
                expected,
            )
        )
    run_cases(
        "luong_step",
        fn,
        cases,
        "same logits, state and attention weights as the package's "
        "LuongDecoder on 3 cases.",
        "Hint: Luong updates the GRU first, from the embedding alone; then "
        "the *new* state is the query; mask before the softmax; the "
        "output layer reads [context; new_state] in that order.",
        atol=1e-4,
        outputs=("logits", "new_state", "attention"),
    )


def _next_token(logits, step, limit, pad_id=0, start_id=2, end_id=3):
    allowed = np.array(logits, dtype=float)
    allowed[[pad_id, start_id]] = -np.inf
    if step + 1 >= limit:
        allowed[np.arange(len(allowed)) != end_id] = -np.inf
    return int(np.argmax(allowed))


def check_next_token(fn):
    """Check ``fn(logits, step, limit) -> int``, the package's greedy choice of
    the next token.

    ``logits`` ``(V,)`` are one step's scores; ``step`` counts from 0 and
    ``limit`` is the most tokens the output may have. Never choose padding (id
    0) or ``[START]`` (id 2); at the last allowed step (``step + 1 == limit``)
    choose ``[END]`` (id 3); otherwise the best remaining token. Compared with
    what :func:`~seq2seq_attention.decoding.greedy_decode` does inside its
    loop.

    Example:
        >>> def next_token(logits, step, limit):
        ...     allowed = np.array(logits, dtype=float)
        ...     allowed[[0, 2]] = -np.inf
        ...     if step + 1 >= limit:
        ...         return 3
        ...     return int(np.argmax(allowed))
        >>> check_next_token(next_token)
        ✔ next_token: right on 4 cases: a plain step, padding or [START] the
        best, and the last step.
    """
    import tensorflow as tf

    from ..decoding import allowed_log_probs

    name = "next_token"
    hint = (
        "Hint: set the logits of ids 0 and 2 to -inf, and at step + 1 == "
        "limit every logit but id 3's; then take the argmax."
    )
    rng = np.random.default_rng(15)
    plain = rng.normal(size=8)
    pad_best = plain.copy()
    pad_best[0] = 9.0
    start_best = plain.copy()
    start_best[2] = 9.0
    cases = [
        ("a plain step", plain, 0, 10),
        ("padding has the largest logit", pad_best, 2, 10),
        ("[START] has the largest logit", start_best, 4, 10),
        ("the last allowed step", plain, 9, 10),
    ]
    for description, logits, step, limit in cases:
        package = allowed_log_probs(
            tf.constant(logits[None], tf.float32),
            tf.constant(step),
            tf.constant([limit]),
        )
        expected = int(np.argmax(package.numpy()[0]))
        assert expected == _next_token(logits, step, limit)
        ok, got = call_solution(name, fn, logits.copy(), step, limit)
        if not ok:
            return
        if not isinstance(got, (int, np.integer)) or int(got) != expected:
            report(
                f"✘ {name}: wrong token for {description} (step={step}, "
                f"limit={limit}):\n    expected {expected}\n    got      "
                f"{got!r}\n  {hint}"
            )
            return
    report(
        f"✔ {name}: right on 4 cases: a plain step, padding or [START] the "
        "best, and the last step."
    )
