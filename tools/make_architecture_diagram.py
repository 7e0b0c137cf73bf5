"""Draw images/seq2seq_attention.svg: the encoder and one decoder step, with
attention after the RNN (Luong) and before it (Bahdanau).

    .venv/bin/python tools/make_architecture_diagram.py

Plain SVG written by hand (boxes, arrows, text), so the figure is sharp at any
size, small, and reviewable as text; tests/test_site.py checks the checked-in
file is what this script writes.
"""

from html import escape
from pathlib import Path

OUT = (
    Path(__file__).resolve().parent.parent / "images" / "seq2seq_attention.svg"
)
WIDTH, HEIGHT = 880, 500
ENCODER, ATTENTION, RNN, HEAD, TOKEN = (
    "#dbe9f6",
    "#fde2c4",
    "#d9f0d3",
    "#e8dff5",
    "#f2f2f2",
)


def box(x, y, w, h, text, fill, sub=None):
    parts = [
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" '
        f'fill="{fill}" stroke="#555"/>',
    ]
    cy = y + h / 2 + (-3 if sub else 5)
    parts.append(
        f'<text x="{x + w / 2}" y="{cy}" text-anchor="middle">{text}</text>'
    )
    if sub:
        parts.append(
            f'<text x="{x + w / 2}" y="{cy + 16}" text-anchor="middle" '
            f'class="small">{escape(sub)}</text>'
        )
    return "\n".join(parts)


def arrow(points, label=None, at=None, dashed=False):
    path = " ".join(f"{x},{y}" for x, y in points)
    style = ' stroke-dasharray="5,4"' if dashed else ""
    parts = [
        f'<polyline points="{path}" fill="none" stroke="#333" '
        f'stroke-width="1.6" marker-end="url(#head)"{style}/>'
    ]
    if label:
        x, y = at
        parts.append(f'<text x="{x}" y="{y}" class="label">{label}</text>')
    return "\n".join(parts)


def text(x, y, content, cls="title", anchor="start"):
    return (
        f'<text x="{x}" y="{y}" class="{cls}" text-anchor="{anchor}">'
        f"{content}</text>"
    )


def encoder():
    parts = [text(20, 30, "Encoder: once per sentence")]
    xs = [30, 90, 150, 210]
    names = ["x<tspan class='sub'>1</tspan>", "x<tspan class='sub'>2</tspan>",
             "…", "x<tspan class='sub'>S</tspan>"]  # fmt: skip
    for x, name in zip(xs, names):
        parts.append(box(x, 430, 44, 32, name, TOKEN))
        parts.append(arrow([(x + 22, 430), (x + 22, 392)]))
    parts.append(box(20, 352, 244, 40, "embedding", ENCODER))
    parts.append(arrow([(142, 352), (142, 318)]))
    parts.append(
        box(
            20,
            268,
            244,
            50,
            "bidirectional GRU",
            ENCODER,
            "the two directions summed",
        )  # fmt: skip
    )
    hs = ["h<tspan class='sub'>1</tspan>", "h<tspan class='sub'>2</tspan>",
          "…", "h<tspan class='sub'>S</tspan>"]  # fmt: skip
    for x, name in zip(xs, hs):
        parts.append(arrow([(x + 22, 268), (x + 22, 232)]))
        parts.append(box(x, 200, 44, 32, name, ENCODER))
    parts.append(
        text(142, 185, "H: keys and values, (S, units)", "label", "middle")
    )
    parts.append(
        text(
            142, 165, "its final state starts the decoder", "small", "middle"
        )  # fmt: skip
    )
    return "\n".join(parts)


def luong(y):
    """Attention after the RNN: the new output o_t is the query."""
    s = "<tspan class='sub'>t</tspan>"
    p = "<tspan class='sub'>t-1</tspan>"
    row = y + 60  # top of the row of boxes
    mid = row + 18
    return "\n".join(
        [
            text(310, y, "Luong decoder step: attention after the RNN"),
            box(310, row, 70, 36, f"y{p}", TOKEN),
            arrow([(380, mid), (410, mid)]),
            box(410, row, 90, 36, "embedding", RNN),
            arrow([(500, mid), (530, mid)]),
            box(530, row, 70, 36, "GRU", RNN),
            arrow(
                [(565, row + 60), (565, row + 36)], f"o{p}", (572, row + 56)
            ),
            arrow([(600, mid), (640, mid)], f"o{s}", (606, mid - 8)),
            box(640, row, 90, 36, "attention", ATTENTION),
            arrow([(730, mid), (760, mid)], f"c{s}", (734, mid - 8)),
            box(760, row - 8, 100, 52, "output head", HEAD, "[c_t ; o_t]"),
            arrow([(810, row + 44), (810, row + 70)]),
            text(810, row + 86, f"logits{s} → y{s}", "label", "middle"),
            arrow(
                [(628, mid), (628, row - 22), (800, row - 22), (800, row - 8)],
                dashed=True,
            ),  # fmt: skip
        ]
    )


def bahdanau(y):
    """Attention before the RNN: the previous state s_{t-1} is the query and
    the context goes into the RNN."""
    s = "<tspan class='sub'>t</tspan>"
    p = "<tspan class='sub'>t-1</tspan>"
    return "\n".join(
        [
            text(310, y, "Bahdanau decoder step: attention before the RNN"),
            box(310, y + 40, 70, 36, f"s{p}", TOKEN),
            arrow([(380, y + 58), (410, y + 58)]),
            box(410, y + 40, 90, 36, "attention", ATTENTION),
            arrow([(500, y + 58), (530, y + 58)], f"c{s}", (505, y + 50)),
            box(530, y + 40, 70, 36, "GRU", RNN),
            arrow(
                [(345, y + 76), (345, y + 100), (565, y + 100), (565, y + 76)],
                dashed=True,
            ),  # fmt: skip
            text(455, y + 116, "previous state", "small", "middle"),
            box(530, y + 130, 70, 30, f"emb(y{p})", RNN),
            arrow([(565, y + 130), (565, y + 112)]),
            arrow([(600, y + 58), (640, y + 58)], f"s{s}", (606, y + 50)),
            box(640, y + 30, 110, 56, "output head", HEAD, "[s_t ; c_t]"),
            arrow([(750, y + 58), (780, y + 58)]),
            text(784, y + 63, f"logits{s} → y{s}", "label"),
        ]
    )


def svg():
    style = (
        "text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:14px;"
        "fill:#222}.title{font-weight:bold;font-size:15px}"
        ".label{font-size:13px;font-style:italic}.small{font-size:11px;"
        "fill:#555}.sub{font-size:10px;baseline-shift:sub}"
    )
    body = [
        encoder(),
        luong(30),
        bahdanau(280),
        # the encoder states feed both attentions (keys and values)
        arrow(
            [(264, 216), (290, 216), (290, 165), (685, 165), (685, 126)]
        ),  # fmt: skip
        arrow([(290, 216), (290, 300), (455, 300), (455, 320)]),
        text(296, 158, "H", "label"),
        text(296, 294, "H", "label"),
    ]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-label="Encoder-decoder with attention: the encoder states H '
        "feed the attention of the decoder, which comes after the GRU in "
        'the Luong decoder and before it in the Bahdanau decoder">\n'
        '<defs><marker id="head" markerWidth="9" markerHeight="7" refX="8" '
        'refY="3.5" orient="auto"><polygon points="0 0, 9 3.5, 0 7" '
        'fill="#333"/></marker></defs>\n'
        f"<style>{style}</style>\n"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>\n'
        + "\n".join(body)
        + "\n</svg>\n"
    )


if __name__ == "__main__":
    OUT.write_text(svg())
    print(f"wrote {OUT}")
