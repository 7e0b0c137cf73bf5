"""Draw the book's diagrams into images/, all of them with one command:

    .venv/bin/python tools/make_diagrams.py

- images/seq2seq_attention.svg (chapters/05_2_model.md): the encoder and one
  decoder step, with attention after the RNN (Luong) and before it
  (Bahdanau);
- images/luong_decoder_step.svg (05_2): one step of the package's Luong
  decoder, with the shape of every tensor;
- images/beam_search.svg (05_4_decoding.md): a beam search tree, K = 2, as
  the package's beam search grows and prunes it;
- images/multi_head_attention.svg (08_future.md): multi-head attention as
  the package's MultiHeadAttention computes it.

Plain SVG written by hand with the helpers of tools/diagrams.py, so every
figure is sharp at any size, small, and reviewable as text;
tests/test_site.py checks that each checked-in file is what this script
draws and that its chapter shows it.
"""

from pathlib import Path

from diagrams import (
    ATTENTION,
    BEST,
    ENCODER,
    GREY,
    HEAD,
    INK,
    RNN,
    TOKEN,
    arrow,
    box,
    document,
    frame,
    text,
)

IMAGES = Path(__file__).resolve().parent.parent / "images"


# -- images/seq2seq_attention.svg ---------------------------------------------


def encoder():
    parts = [text(20, 30, "Encoder: once per sentence")]
    xs = [30, 90, 150, 210]
    for x, name in zip(xs, ["x_{1}", "x_{2}", "…", "x_{S}"]):
        parts.append(box(x, 430, 44, 32, name, TOKEN))
        parts.append(arrow([(x + 22, 430), (x + 22, 392)]))
    parts.append(box(20, 352, 244, 40, "embedding", ENCODER))
    parts.append(arrow([(142, 352), (142, 318)]))
    summed = "the two directions summed"
    parts.append(box(20, 268, 244, 50, "bidirectional GRU", ENCODER, summed))
    for x, name in zip(xs, ["h_{1}", "h_{2}", "…", "h_{S}"]):
        parts.append(arrow([(x + 22, 268), (x + 22, 232)]))
        parts.append(box(x, 200, 44, 32, name, ENCODER))
    keys = "H: keys and values, (S, units)"
    parts.append(text(142, 185, keys, "label", "middle"))
    starts = "its final state starts the decoder"
    parts.append(text(142, 165, starts, "small", "middle"))
    return "\n".join(parts)


def luong(y):
    """Attention after the RNN: the new output o_t is the query."""
    row = y + 60  # top of the row of boxes
    mid, below = row + 18, row + 60
    return "\n".join(
        [
            text(310, y, "Luong decoder step: attention after the RNN"),
            box(310, row, 70, 36, "y_{t-1}", TOKEN),
            arrow([(380, mid), (410, mid)]),
            box(410, row, 90, 36, "embedding", RNN),
            arrow([(500, mid), (530, mid)]),
            box(530, row, 70, 36, "GRU", RNN),
            arrow(
                [(565, below), (565, row + 36)], "o_{t-1}", (572, below - 4)
            ),
            arrow([(600, mid), (640, mid)], "o_{t}", (606, mid - 8)),
            box(640, row, 90, 36, "attention", ATTENTION),
            arrow([(730, mid), (760, mid)], "c_{t}", (734, mid - 8)),
            box(760, row - 8, 100, 52, "output head", HEAD, "[c_{t} ; o_{t}]"),
            arrow([(810, row + 44), (810, row + 70)]),
            text(810, row + 86, "logits_{t} → y_{t}", "label", "middle"),
            arrow(
                [(628, mid), (628, row - 22), (800, row - 22), (800, row - 8)],
                dashed=True,
            ),
        ]
    )


def bahdanau(y):
    """Attention before the RNN: the previous state s_{t-1} is the query and
    the context goes into the RNN."""
    state = [(345, y + 76), (345, y + 100), (565, y + 100), (565, y + 76)]
    return "\n".join(
        [
            text(310, y, "Bahdanau decoder step: attention before the RNN"),
            box(310, y + 40, 70, 36, "s_{t-1}", TOKEN),
            arrow([(380, y + 58), (410, y + 58)]),
            box(410, y + 40, 90, 36, "attention", ATTENTION),
            arrow([(500, y + 58), (530, y + 58)], "c_{t}", (505, y + 50)),
            box(530, y + 40, 70, 36, "GRU", RNN),
            arrow(state, dashed=True),
            text(455, y + 116, "previous state", "small", "middle"),
            box(530, y + 130, 70, 30, "emb(y_{t-1})", RNN),
            arrow([(565, y + 130), (565, y + 112)]),
            arrow([(600, y + 58), (640, y + 58)], "s_{t}", (606, y + 50)),
            box(640, y + 30, 110, 56, "output head", HEAD, "[s_{t} ; c_{t}]"),
            arrow([(750, y + 58), (780, y + 58)]),
            text(784, y + 63, "logits_{t} → y_{t}", "label"),
        ]
    )


def seq2seq_attention():
    return document(
        880,
        500,
        "Encoder-decoder with attention",
        "The encoder turns the source tokens into states H, the keys and "
        "values of the decoder's attention. In the Luong decoder the GRU "
        "runs first and its output o_t queries H; in the Bahdanau decoder "
        "the previous state s_t-1 queries H and the context c_t goes into "
        "the GRU. Both end in an output head that gives the logits.",
        [
            encoder(),
            luong(30),
            bahdanau(280),
            # the encoder states feed both attentions (keys and values)
            arrow(
                [(264, 216), (290, 216), (290, 165), (685, 165), (685, 126)]
            ),
            arrow([(290, 216), (290, 300), (455, 300), (455, 320)]),
            text(296, 158, "H", "label"),
            text(296, 294, "H", "label"),
        ],
    )


# -- images/luong_decoder_step.svg --------------------------------------------

# The main column holds the step, bottom (the previous token) to top.
LEFT, WIDTH = 200, 320
RIGHT, CX = LEFT + WIDTH, LEFT + WIDTH / 2


def step_box(y, h, label, fill, sub=None):
    """A box of the main column."""
    return box(LEFT, y, WIDTH, h, label, fill, sub)


def up(y_from, y_to, label, label_y=None):
    """An arrow up the main column, its tensor's name and shape beside it."""
    at = (CX + 8, label_y or y_from - 12)
    return arrow([(CX, y_from), (CX, y_to)], label, at)


def step_rnn():
    """y_{t-1} -> embedding -> GRU cell, the state coming in and going out
    on the left."""
    return "\n".join(
        [
            box(CX - 80, 668, 160, 40, "y_{t-1}", TOKEN),
            up(668, 636, "(batch,): one token id per sentence"),
            step_box(596, 40, "embedding lookup", RNN),
            up(596, 564, "(batch, embedding_dim)"),
            step_box(518, 46, "GRU cell", RNN, "its output is its new state"),
            arrow([(LEFT, 530), (24, 530)], dashed=True),
            text(24, 522, "o_{t}, to step t+1", "label"),
            arrow([(24, 552), (LEFT, 552)]),
            text(24, 572, "o_{t-1}, from step t-1", "label"),
            text(24, 590, "(batch, units)", "small"),
            up(518, 468, "o_{t} (batch, units): the query"),
        ]
    )


def step_attention():
    """Score, masked softmax and weighted sum; H and the source mask come in
    from the right."""
    score = "e_{t,s} = score(o_{t}, h_{s})"
    additive = "additive: v^{⊤} tanh(W_{1}h_{s} + W_{2}o_{t} + b)"
    zero = "padding gets a weight of exactly 0"
    shape = "(batch, src_len, units)"
    return "\n".join(
        [
            frame(LEFT - 14, 236, WIDTH + 28, 244),
            text(LEFT - 4, 254, "attention (additive by default)", "small"),
            step_box(422, 46, score, ATTENTION, additive),
            up(422, 388, "e_{t} (batch, src_len)"),
            step_box(342, 46, "masked softmax over s", ATTENTION, zero),
            up(342, 308, "α_{t} (batch, src_len), returned too"),
            step_box(268, 40, "c_{t} = Σ_{s} α_{t,s} h_{s}", ATTENTION),
            # H, from the encoder: the score's keys, the sum's values
            box(580, 176, 190, 46, "H: encoder states", ENCODER, shape),
            arrow([(740, 222), (740, 445), (RIGHT, 445)]),
            text(RIGHT + 40, 438, "keys", "label"),
            arrow([(740, 288), (RIGHT, 288)], "values", (RIGHT + 40, 281)),
            box(560, 342, 150, 46, "source mask", ENCODER, "(batch, src_len)"),
            arrow([(560, 365), (RIGHT, 365)]),
        ]
    )


def step_head():
    """LayerNorm(o_t + c_t) (or tanh(W_c [c_t; o_t])), then W_out: the
    logits; o_t bypasses the attention on the left."""
    combine = "õ_{t} = LayerNorm(o_{t} + c_{t})"
    tanh = 'combine="tanh": tanh(W_{c} [c_{t} ; o_{t}])'
    softmax = "softmax → p(y_{t} | y_{<t}, x): the next-token distribution"
    return "\n".join(
        [
            up(268, 212, "c_{t} (batch, units)", 228),
            step_box(166, 46, combine, HEAD, tanh),
            arrow([(CX, 494), (150, 494), (150, 189), (LEFT, 189)]),
            text(144, 360, "o_{t}", "label", "end"),
            up(166, 130, "õ_{t} (batch, units)"),
            step_box(90, 40, "W_{out} õ_{t} + b_{out}", HEAD),
            up(90, 58, "logits_{t} (batch, vocab)"),
            text(CX, 50, softmax, "", "middle"),
        ]
    )


def luong_decoder_step():
    return document(
        780,
        724,
        "One step of the Luong decoder",
        "The previous token y_t-1 is embedded and, with the previous state "
        "o_t-1, goes through the GRU cell, whose output o_t is the new state "
        "and the query. The attention scores o_t against every encoder "
        "state h_s, a masked softmax over the source positions gives the "
        "weights alpha_t (padding gets 0), and the weighted sum of the "
        "encoder states is the context c_t. The output head computes "
        "LayerNorm(o_t + c_t) (or tanh(W_c [c_t; o_t])) and the logits over "
        "the target vocabulary, whose softmax is the next-token "
        "distribution.",
        [
            text(20, 24, "One Luong decoder step (LuongDecoder.step)"),
            step_rnn(),
            step_attention(),
            step_head(),
        ],
    )


# -- images/beam_search.svg ---------------------------------------------------

END, K, ALPHA, LIMIT = "[END]", 2, 0.6, 11  # LIMIT: 2 * 3 source tokens + 5
# A made-up model for "muchas gracias .": log p(next token | tokens so far)
# of the few tokens that matter (every other token is far less likely).
TOY_MODEL = {
    (): {"thanks": -0.69, "thank": -0.92, "many": -2.53, "cheers": -4.0},
    ("thanks",): {".": -0.36, "a": -1.61, "!": -2.53},
    ("thank",): {"you": -0.01},
    ("thanks", "."): {END: -0.05},
    ("thank", "you"): {".": -0.2, "so": -1.9, "!": -3.5},
    ("thank", "you", "."): {END: -0.01},
    ("thank", "you", "so"): {"much": -0.05, "very": -3.51, "kindly": -4.2},
}


def length_penalty(length, alpha=ALPHA):
    """seq2seq_attention.decoding.length_penalty, in plain Python."""
    return ((5 + length) / 6) ** alpha


def beam_steps():
    """The package's beam search (decoding.beam_loop) on TOY_MODEL: each
    step's 2K best candidates as (tokens, score, status), and the finished
    hypotheses, best first, as (tokens, score, normalised score)."""
    alive, finished, steps = [((), 0.0)], [], []
    for t in range(LIMIT):
        extensions = [
            (tokens + (token,), score + log_p)
            for tokens, score in alive
            for token, log_p in TOY_MODEL[tokens].items()
        ]
        candidates = sorted(extensions, key=lambda c: -c[1])[: 2 * K]
        ended = [c for c in candidates[:K] if c[0][-1] == END]
        finished += [(*c, c[1] / length_penalty(t + 1)) for c in ended]
        finished = sorted(finished, key=lambda f: -f[2])[:K]
        alive = [c for c in candidates if c[0][-1] != END][:K]
        status = {c: "finished" for c in ended} | {c: "alive" for c in alive}
        steps.append([(*c, status.get(c, "pruned")) for c in candidates])
        best = max(score for _, score in alive) / length_penalty(LIMIT)
        if len(finished) == K and finished[-1][2] >= best:
            break  # no alive hypothesis can win any more
    return steps, finished


def number(x):
    return f"{x:.2f}".replace("-", "−")


def beam_tree(steps, winner):
    """Column t: step t's candidates, each joined to the hypothesis it
    extends; the winner's path in red."""
    W, H, X0, DX, Y0, DY = 100, 42, 150, 170, 150, 68
    at = {(): (104, Y0 + 1.5 * DY)}  # where each hypothesis' edges start
    parts = [box(20, at[()][1] - H / 2, 84, H, "[START]", TOKEN)]
    fills = {"alive": ENCODER, "finished": RNN, "pruned": "white"}
    for t, candidates in enumerate(steps):
        x = X0 + t * DX
        parts.append(
            text(x + W / 2, Y0 - 32, f"t = {t + 1}", "label", "middle")
        )
        # under their parents, each parent's best first
        rows = sorted(candidates, key=lambda c: (at[c[0][:-1]][1], -c[1]))
        for row, (tokens, score, status) in enumerate(rows):
            y = Y0 + row * DY
            best, pruned = winner[: len(tokens)] == tokens, status == "pruned"
            colour = BEST if best else GREY if pruned else INK
            edge = [at[tokens[:-1]], (x, y)]
            style = dict(dashed=pruned, colour=colour, head=False)
            parts.append(arrow(edge, width=3 if best else 1.4, **style))
            stroke = {INK: "#555"}.get(colour, colour)
            label, fill, sub = tokens[-1], fills[status], number(score)
            parts.append(
                box(x, y - H / 2, W, H, label, fill, sub, stroke, pruned)
            )
            at[tokens] = (x + W, y)
    return "\n".join(parts)


def beam_legend(y):
    parts = []
    for x, fill, label in [
        (20, ENCODER, "alive: kept for the next step"),
        (290, RNN, "finished"),
        (410, "white", "pruned"),
    ]:
        pruned = fill == "white"
        stroke = GREY if pruned else "#555"
        parts.append(box(x, y - 12, 26, 16, "", fill, None, stroke, pruned))
        parts.append(text(x + 34, y + 1, label, "small"))
    red = arrow([(520, y - 4), (550, y - 4)], colour=BEST, width=3, head=False)
    parts.append(red)
    parts.append(text(558, y + 1, "the best finished hypothesis", "small"))
    return "\n".join(parts)


def beam_finished(finished, y):
    """The finished list, best first, with the length normalisation."""
    rule = f"lp(n) = ((5 + n) / 6)^{{{ALPHA}}}"
    title = f"Finished, best first by log P / lp(|Y|), {rule}:"
    parts = [text(20, y, title, "label")]
    for i, (tokens, score, normalized) in enumerate(finished):
        n, row = len(tokens), y + 24 * (i + 1)
        division = f"{number(score)} / {length_penalty(n):.3f}"
        parts += [
            text(20, row, f"{i + 1}. " + " ".join(tokens), "small"),
            text(220, row, f"log P = {number(score)}", "small"),
            text(340, row, f"|Y| = {n}: {division}", "small"),
            text(512, row, f"= {number(normalized)}", "small"),
        ]
    parts.append(text(590, y + 24, "← the output", "label"))
    return "\n".join(parts)


def beam_search():
    steps, finished = beam_steps()
    alive = max(c[1] for c in steps[-1] if c[2] == "alive")
    lp = length_penalty(LIMIT)
    stop = (
        f"Stop after step {len(steps)}: the best alive hypothesis, "
        f"{number(alive)}, can at best end with {number(alive)} / "
        f"lp({LIMIT}) = {number(alive)} / {lp:.3f} = {number(alive / lp)},",
        f"below the worst finished one, {number(finished[-1][2])} "
        f"({LIMIT} tokens: the length bound, 2 × 3 source tokens + 5).",
    )
    columns = (
        f"Each column: the 2K = {2 * K} best candidates of step t, each with "
        "log P of its whole hypothesis."
    )
    return document(
        800,
        520,
        "Beam search with beam size 2",
        "A beam search tree for the Spanish 'muchas gracias .', with a "
        "made-up model. At every step the two alive hypotheses are extended "
        "and the four best candidates kept: 'thanks . [END]' finishes at "
        "step 3, 'thank you . [END]' at step 4. Ranked by log P divided by "
        "the length penalty, 'thank you .' wins, although 'thanks .' has "
        "the higher log-probability.",
        [
            text(20, 24, "Beam search, K = 2: “muchas gracias .” → English"),
            beam_legend(54),
            text(20, 84, columns, "small"),
            beam_tree(steps, finished[0][0]),
            beam_finished(finished, 418),
            text(20, 494, stop[0], "small"),
            text(20, 512, stop[1], "small"),
        ],
    )


# -- images/multi_head_attention.svg ------------------------------------------


def mha_inputs():
    """Q, K and V, each projected (all heads in one Dense layer) and split
    into heads: three columns, bottom to top."""
    parts = []
    for cx, name, what, length in [
        (140, "Q", "queries", "tgt_len"),
        (400, "K", "keys", "src_len"),
        (660, "V", "values", "src_len"),
    ]:
        x = cx - 110
        dense = f"Dense W^{{{name}}}: h·d_{{k}} outputs"
        head = f"{name}_{{i}} = {name}W_{{i}}^{{{name}}}"
        model = f"(batch, {length}, d_{{model}})"
        heads = f"(batch, {length}, h·d_{{k}})"
        split = f"(batch, h, {length}, d_{{k}})"
        parts += [
            box(x, 560, 220, 42, f"{name}: {what}", ENCODER, model),
            arrow([(cx, 560), (cx, 530)]),
            box(x, 488, 220, 42, dense, HEAD, heads),
            arrow([(cx, 488), (cx, 458)]),
            box(x, 416, 220, 42, "split_heads", TOKEN, split),
            arrow([(cx, 416), (cx, 372)], head, (cx + 8, 398)),
        ]
    return "\n".join(parts)


def mha_attention():
    """One scaled dot-product attention per head, drawn as a stack."""
    x, y, w, h, cx = 30, 248, 740, 124, 400
    own = "every head i = 1, …, h attends on its own: scaled dot-product "
    mask = "masked softmax: padding, and the future under a causal mask, "
    call = "all heads in one call, as (batch·h, len, d_{k}); weights: "
    lines = [
        (28, "", own + "attention"),
        (60, "title", "head_{i} = softmax(Q_{i}K_{i}^{⊤} / √d_{k}) V_{i}"),
        (86, "small", mask + "get a weight of 0"),
        (106, "small", call + "(batch, h, tgt_len, src_len)"),
    ]
    parts = [frame(x + d, y - d, w, h, ATTENTION, False) for d in (12, 6)]
    parts.append(box(x, y, w, h, "", ATTENTION))
    parts += [text(cx, y + dy, line, cls, "middle") for dy, cls, line in lines]
    return "\n".join(parts)


def multi_head_attention():
    sizes = "h heads of d_{k} = d_{model} / h features"
    heads = "head_{1}, …, head_{h}"
    merge = "merge_heads: [head_{1}; …; head_{h}]"
    output = "Dense W^{O}: d_{model} outputs"
    return document(
        800,
        620,
        "Multi-head attention",
        "Queries Q, keys K and values V, each of shape (batch, length, "
        "d_model), are projected by one dense layer each into h heads of "
        "d_k = d_model / h features and split into (batch, h, length, d_k). "
        "Every head runs scaled dot-product attention, softmax(Q_i K_i^T / "
        "sqrt(d_k)) V_i; the heads are merged back into (batch, tgt_len, "
        "h d_k), head after head, and the dense layer W^O gives the output, "
        "(batch, tgt_len, d_model).",
        [
            text(20, 24, "Multi-head attention (MultiHeadAttention)"),
            text(780, 24, sizes, "small", "end"),
            mha_inputs(),
            mha_attention(),
            arrow([(400, 236), (400, 200)], heads, (408, 222)),
            box(250, 158, 300, 42, merge, TOKEN, "(batch, tgt_len, h·d_{k})"),
            arrow([(400, 158), (400, 128)]),
            box(250, 86, 300, 42, output, HEAD, "(batch, tgt_len, d_{model})"),
            arrow([(400, 86), (400, 60)]),
            text(400, 50, "MultiHead(Q, K, V)", "", "middle"),
        ],
    )


FIGURES = {
    "seq2seq_attention.svg": (seq2seq_attention, "05_2_model.md"),
    "luong_decoder_step.svg": (luong_decoder_step, "05_2_model.md"),
    "beam_search.svg": (beam_search, "05_4_decoding.md"),
    "multi_head_attention.svg": (multi_head_attention, "08_future.md"),
}
"""Every diagram: its file in images/, the function that draws it, the
chapter that shows it."""


def main():
    for name, (draw, _) in FIGURES.items():
        (IMAGES / name).write_text(draw())
        print(f"wrote images/{name}")


if __name__ == "__main__":
    main()
