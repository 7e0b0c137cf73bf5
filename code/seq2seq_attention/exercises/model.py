"""Checkers for the exercises of chapter 05_2_model (Practice: the Keras
model).

Each prints one line starting with ✔ or ✘ (see
:mod:`~seq2seq_attention.exercises`).

Example:
    >>> def unfinished(*args):
    ...     raise NotImplementedError
    >>> check_encoder_output_shapes(unfinished)
    ✘ encoder_output_shapes: not implemented yet; finish it and rerun the cell.
"""

from __future__ import annotations

import numpy as np

from .. import reference
from ._harness import call_solution, report, run_cases

__all__ = [
    "check_encoder_output_shapes",
    "check_luong_output",
    "check_bahdanau_step",
]


def _keras_encoder_shapes(batch, src_len, units, bidirectional, merge_mode):
    """Run a Keras GRU encoder (``return_sequences`` and ``return_state``) and
    return the shapes of its states and of its final state, the two directions'
    final states merged like the outputs."""
    import keras
    from keras import ops

    gru = keras.layers.GRU(units, return_sequences=True, return_state=True)
    rnn = (
        keras.layers.Bidirectional(gru, merge_mode=merge_mode)
        if bidirectional
        else gru
    )
    states, *final = rnn(np.zeros((batch, src_len, 3), "float32"))
    if bidirectional:
        forward, backward = final
        final = {
            "sum": forward + backward,
            "mul": forward * backward,
            "ave": (forward + backward) / 2,
            "concat": ops.concatenate([forward, backward], axis=-1),
        }[merge_mode]
    else:
        final = final[0]
    return tuple(states.shape), tuple(final.shape)


def check_encoder_output_shapes(fn):
    """Check ``fn(batch, src_len, units, bidirectional, merge_mode)``, which
    returns ``(states_shape, final_shape)``.

    The encoder is a GRU with ``return_sequences=True`` and
    ``return_state=True``; a bidirectional one is
    ``keras.layers.Bidirectional(..., merge_mode=merge_mode)``, and its two
    final states are merged the same way as its outputs. The expected shapes
    come from running those Keras layers.

    Example:
        >>> def shapes(batch, src_len, units, bidirectional, merge_mode):
        ...     size = (
        ...         2 * units
        ...         if bidirectional and merge_mode == "concat"
        ...         else units
        ...     )
        ...     return (batch, src_len, size), (batch, size)
        >>> check_encoder_output_shapes(shapes)
        ✔ encoder_output_shapes: right for 5 encoders: one direction, and two
        merged by sum, ave, mul and concat.
        >>> check_encoder_output_shapes(
        ...     lambda batch, src_len, units, bi, merge: (
        ...         (batch, units),
        ...         (batch, units),
        ...     )
        ... )
        ✘ encoder_output_shapes: wrong shapes for batch=2, src_len=7, units=16,
        bidirectional=False, merge_mode='sum':
            expected states (2, 7, 16), final state (2, 16)
            got      states (2, 16), final state (2, 16)
          Hint: return_sequences=True keeps the src_len axis;
          merge_mode="concat" puts the two directions side by side (2 * units
          features), the other modes combine them element by element (units).
    """
    name = "encoder_output_shapes"
    hint = (
        "Hint: return_sequences=True keeps the src_len axis; "
        'merge_mode="concat" puts the two directions side by side (2 * '
        "units features), the other modes combine them element by "
        "element (units)."
    )
    cases = [
        (2, 7, 16, False, "sum"),
        (2, 7, 16, True, "sum"),
        (3, 5, 8, True, "ave"),
        (1, 4, 6, True, "mul"),
        (3, 5, 8, True, "concat"),
    ]
    for batch, src_len, units, bidirectional, merge_mode in cases:
        expected = _keras_encoder_shapes(
            batch, src_len, units, bidirectional, merge_mode
        )
        ok, got = call_solution(
            name, fn, batch, src_len, units, bidirectional, merge_mode
        )
        if not ok:
            return
        try:
            got = tuple(tuple(int(d) for d in shape) for shape in got)
        except (TypeError, ValueError):
            got = None
        if got is None or len(got) != 2 or got != expected:
            shown = (
                f"states {got[0]}, final state {got[1]}"
                if got is not None and len(got) == 2
                else "something that is not two shapes"
            )
            report(
                f"✘ {name}: wrong shapes for batch={batch}, "
                f"src_len={src_len}, units={units}, "
                f"bidirectional={bidirectional}, "
                f"merge_mode={merge_mode!r}:\n    expected states "
                f"{expected[0]}, final state {expected[1]}\n    got      "
                f"{shown}\n  {hint}"
            )
            return
    report(
        f"✔ {name}: right for 5 encoders: one direction, and two merged by "
        "sum, ave, mul and concat."
    )


def check_luong_output(fn):
    """Check ``fn(context, rnn_output, W_c, W_out, b_out) -> logits``, Luong's
    output layer ``logits_t = W_out tanh(W_c [c_t; o_t]) + b_out``.

    Shapes: ``context`` and ``rnn_output`` ``(T, units)``, ``W_c``
    ``(2 * units, units)``, ``W_out`` ``(units, vocab)``, ``b_out``
    ``(vocab,)``, the result ``(T, vocab)``. The weights are stored as in Keras
    (inputs, outputs). The expected logits come from the package's
    :class:`~seq2seq_attention.models.LuongDecoder` given the same weights.

    Example:
        >>> check_luong_output(
        ...     lambda c, o, W_c, W_out, b_out: (
        ...         np.tanh(np.concatenate([c, o], -1) @ W_c) @ W_out + b_out
        ...     )
        ... )
        ✔ luong_output: matches the package's LuongDecoder on 3 cases.
    """
    from ..models import LuongDecoder

    rng = np.random.default_rng(7)
    cases = []
    for tgt_len, units, vocab in ((1, 4, 6), (3, 8, 10), (5, 16, 7)):

        def draw(
            *shape,
        ):  # float32 values, so that the Keras layers see the same numbers
            return rng.normal(size=shape).astype("float32").astype(float)

        context, output = draw(tgt_len, units), draw(tgt_len, units)
        W_c, W_out, b_out = (
            draw(2 * units, units),
            draw(units, vocab),
            draw(vocab),
        )
        decoder = LuongDecoder(  # the textbook formula: tanh(W_c [c; o])
            vocab_size=vocab,
            embedding_dim=2,
            units=units,
            attention="dot",
            combine="tanh",
        )
        decoder.combine.set_weights([W_c])
        decoder.output_layer.set_weights([W_out, b_out])
        expected = np.asarray(
            decoder.head(output.astype("float32"), context.astype("float32"))
        )
        cases.append(
            (
                f"T={tgt_len}, units={units}, vocab={vocab}",
                (context, output, W_c, W_out, b_out),
                expected,
            )
        )
    run_cases(
        "luong_output",
        fn,
        cases,
        "matches the package's LuongDecoder on 3 cases.",
        "Hint: concatenate [context; rnn_output] on the last axis (context "
        "first), multiply by W_c, take tanh, then multiply by W_out and "
        "add b_out.",
        atol=1e-4,
    )


def check_bahdanau_step(fn):
    """Check ``fn(embedded, previous_state, keys, mask, attention, cell)``,
    which returns ``(state, weights)``: one step of the Bahdanau decoder with
    a plain tanh RNN cell instead of a GRU.

    ``attention`` is a dict of the additive score's weights ``W1, W2, b, v``
    (see :func:`seq2seq_attention.reference.additive_scores`); ``cell`` a dict
    with ``W_x, W_s, b_s``. The step: ``c = attention(previous_state, keys)``,
    masked; ``state = tanh([embedded; c] @ W_x + previous_state @ W_s + b_s)``.
    Shapes: ``embedded`` ``(E,)``, ``previous_state`` ``(U,)``, ``keys``
    ``(S, U)``, ``mask`` ``(S,)``; returns ``state`` ``(U,)`` and ``weights``
    ``(S,)``.

    Example:
        >>> def step(embedded, previous_state, keys, mask, attention, cell):
        ...     context, weights = reference.attention(
        ...         previous_state[None],
        ...         keys,
        ...         mask=mask,
        ...         score="additive",
        ...         **attention,
        ...     )
        ...     x = np.concatenate([embedded, context[0]])
        ...     return np.tanh(
        ...         x @ cell["W_x"]
        ...         + previous_state @ cell["W_s"]
        ...         + cell["b_s"]
        ...     ), weights[0]
        >>> check_bahdanau_step(step)
        ✔ bahdanau_step: right state and weights on 3 cases, with padding in
        the source.
    """
    rng = np.random.default_rng(8)
    cases = []
    for emb, units, att, src_len, real in (
        (2, 3, 4, 4, 4),
        (4, 5, 6, 6, 3),
        (3, 4, 2, 5, 1),
    ):
        embedded, previous = rng.normal(size=emb), rng.normal(size=units)
        keys = rng.normal(size=(src_len, units))
        mask = np.arange(src_len) < real
        attention = {
            "W1": rng.normal(size=(units, att)),
            "W2": rng.normal(size=(units, att)),
            "b": rng.normal(size=att),
            "v": rng.normal(size=att),
        }
        cell = {
            "W_x": rng.normal(size=(emb + units, units)),
            "W_s": rng.normal(size=(units, units)),
            "b_s": rng.normal(size=units),
        }
        context, weights = reference.attention(
            previous[None], keys, mask=mask, score="additive", **attention
        )
        state = np.tanh(
            np.concatenate([embedded, context[0]]) @ cell["W_x"]
            + previous @ cell["W_s"]
            + cell["b_s"]
        )
        cases.append(
            (
                f"E={emb}, U={units}, S={src_len} with {src_len - real} "
                "padded",
                (embedded, previous, keys, mask, attention, cell),
                (state, weights[0]),
            )
        )
    run_cases(
        "bahdanau_step",
        fn,
        cases,
        "right state and weights on 3 cases, with padding in the source.",
        "Hint: the query is the *previous* state; mask the scores before "
        "the softmax (reference.attention does both when given mask=); "
        "the RNN input is [embedded; context].",
        outputs=("state", "weights"),
    )
