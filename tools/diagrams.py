"""Shared pieces of the book's diagrams: colours, boxes, arrows, text.

Each diagram is plain SVG written by hand from these helpers (see
tools/make_diagrams.py), so it is sharp at any size, small, and reviewable as
text. Coordinates are pixels of the SVG's own canvas; the book scales the
canvas to its column (about 750 px wide).

Text is written in a tiny markup that :func:`rich` turns into SVG:
``o_{t-1}`` is o with a subscript, ``W^{Q}`` a superscript, everything else is
literal (and escaped). Sub- and superscripts are placed with ``dy`` rather
than ``baseline-shift``, which Firefox ignores.
"""

import re
from html import escape as _escape

# Fills, shared by every diagram (a legend for the reader: blue is the
# encoder, orange attention, green the decoder's RNN, purple the output head).
ENCODER, ATTENTION, RNN, HEAD, TOKEN = (
    "#dbe9f6",
    "#fde2c4",
    "#d9f0d3",
    "#e8dff5",
    "#f2f2f2",
)
INK, GREY, BEST = "#333", "#999", "#c0392b"  # lines; pruned; the best path
FONT_SIZE = {"": 14, "title": 15, "label": 13, "small": 13}
STYLE = (
    "text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:14px;"
    "fill:#222}.title{font-weight:bold;font-size:15px}"
    ".label{font-size:13px;font-style:italic}.small{font-size:13px;"
    "fill:#555}.grey{fill:#888}.s{font-size:75%}"
)
_SCRIPT = re.compile(r"([_^])\{([^{}]*)\}")


def rich(markup, size=14):
    """Markup to SVG text content: ``x_{1}`` subscript, ``x^{T}``
    superscript, the rest escaped.

    >>> rich("o_{t} & c")
    'o<tspan class="s" dy="4">t</tspan><tspan dy="-4"> &amp; c</tspan>'
    """
    shift = {"_": round(size * 0.3), "^": -round(size * 0.4)}
    parts, offset, at = [], 0, 0
    for match in _SCRIPT.finditer(markup):
        before = markup[at : match.start()]
        if before:
            parts.append(_span(before, -offset) if offset else escape(before))
            offset = 0
        dy = shift[match[1]] - offset
        parts.append(f'<tspan class="s" dy="{dy}">{escape(match[2])}</tspan>')
        offset, at = shift[match[1]], match.end()
    rest = markup[at:]
    if rest:
        parts.append(_span(rest, -offset) if offset else escape(rest))
    return "".join(parts)


def escape(content):
    """Text content for SVG: &, < and > escaped (quotes need not be)."""
    return _escape(content, quote=False)


def _span(content, dy):
    return f'<tspan dy="{dy}">{escape(content)}</tspan>'


def text(x, y, markup, cls="title", anchor="start"):
    """A line of text whose baseline starts (or is centred) at (x, y)."""
    size = FONT_SIZE.get((cls.split() or [""])[0], 14)
    css = f' class="{cls}"' if cls else ""
    return (
        f'<text x="{x}" y="{y}"{css} text-anchor="{anchor}">'
        f"{rich(markup, size)}</text>"
    )


def box(x, y, w, h, label, fill, sub=None, stroke="#555", dashed=False):
    """A rounded box with a centred label and an optional smaller second
    line."""
    dash = ' stroke-dasharray="5,4"' if dashed else ""
    width = ' stroke-width="2.5"' if stroke == BEST else ""
    cy = y + h / 2 + (-3 if sub else 5)
    parts = [
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" '
        f'fill="{fill}" stroke="{stroke}"{width}{dash}/>',
        text(x + w / 2, cy, label, "grey" if dashed else "", "middle"),
    ]
    if sub:
        parts.append(text(x + w / 2, cy + 16, sub, "small", "middle"))
    return "\n".join(parts)


def arrow(
    points, label=None, at=None, dashed=False, colour=INK, width=1.6, head=True
):
    """A polyline through ``points``, with an arrowhead at the end unless
    ``head=False``; ``label`` is written in italics at ``at``."""
    path = " ".join(f"{x},{y}" for x, y in points)
    style = ' stroke-dasharray="5,4"' if dashed else ""
    marker = {INK: "head", BEST: "best", GREY: "grey"}[colour]
    end = f' marker-end="url(#{marker})"' if head else ""
    parts = [
        f'<polyline points="{path}" fill="none" stroke="{colour}" '
        f'stroke-width="{width}"{end}{style}/>'
    ]
    if label:
        parts.append(text(*at, label, "label"))
    return "\n".join(parts)


def frame(x, y, w, h, fill="none", dotted=True):
    """A plain rounded rectangle: a dotted frame around a group of boxes, or
    (``fill``, solid) a card behind a box."""
    dots = ' stroke-dasharray="2,3"' if dotted else ""
    return (
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" '
        f'fill="{fill}" stroke="#555"{dots}/>'
    )


def _marker(name, colour):
    return (
        f'<marker id="{name}" markerWidth="9" markerHeight="7" refX="8" '
        f'refY="3.5" orient="auto">'
        f'<polygon points="0 0, 9 3.5, 0 7" fill="{colour}"/></marker>'
    )


def document(width, height, title, desc, body):
    """The whole SVG file: a title and a description (what screen readers
    and a browser's tooltip show), the arrowheads ``body`` uses, the style
    and ``body`` (a list of elements)."""
    drawn = "\n".join(body)
    markers = "".join(
        _marker(name, colour)
        for name, colour in (("head", INK), ("best", BEST), ("grey", GREY))
        if f"url(#{name})" in drawn
    )
    defs = f"<defs>{markers}</defs>\n" if markers else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="title desc">\n'
        f'<title id="title">{escape(title)}</title>\n'
        f'<desc id="desc">{escape(desc)}</desc>\n'
        f"{defs}<style>{STYLE}</style>\n"
        f'<rect width="{width}" height="{height}" fill="white"/>\n'
        f"{drawn}\n</svg>\n"
    )
