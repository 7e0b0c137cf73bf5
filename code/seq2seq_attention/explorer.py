"""An interactive attention explorer for notebooks (ipywidgets).

Type a sentence, choose greedy decoding or beam search (and the beam size),
and see the translation, its attention heatmap and, with beam search, the
beam's n-best list. A step control reveals the output one token at a time,
with that step's row of attention weights outlined on the heatmap::

    from seq2seq_attention.explorer import AttentionExplorer

    AttentionExplorer(translator, "tue 3 march 2015")  # last line of a cell

It uses only ipywidgets APIs common to ipywidgets 7.7 (Google Colab) and 8.x
(Jupyter). Its display bundle holds the live widget *and* a static
``text/html`` rendering (the translation, the n-best list and the heatmap as
an image), so that a page built without a running kernel (the course website)
can show the static one instead of a widget that cannot work there.
"""

from __future__ import annotations

import base64
import html
import io
import sys

import numpy as np

from .plots import plot_attention
from .special_tokens import END

__all__ = ["AttentionExplorer", "heatmap_png", "static_html"]

_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_METHODS = [("greedy", "greedy"), ("beam search", "beam")]


def _output_tokens(result):
    """The output tokens of a
    :class:`~seq2seq_attention.translator.Translation`, ``[END]`` included."""
    return list(result.target_tokens)


def heatmap_png(result, step=None, dpi=80):
    """The attention heatmap of one translation as PNG bytes.

    Args:
        result: a :class:`~seq2seq_attention.translator.Translation`.
        step: if given (1 to ``len(result.target_tokens)``), only the first
            ``step`` rows are shown in full, the later ones are faded, and row
            ``step`` is outlined in red: the attention of the token written at
            that step.
        dpi: resolution of the image.

    Returns:
        the PNG file's bytes (drawn with
        :func:`~seq2seq_attention.plots.plot_attention`).

    Example:
        >>> import numpy as np
        >>> from seq2seq_attention.translator import Translation
        >>> result = Translation(
        ...     "go .",
        ...     "ve .",
        ...     ["[START]", "go", ".", "[END]"],
        ...     ["ve", ".", "[END]"],
        ...     np.full((3, 4), 0.25),
        ...     -0.5,
        ... )
        >>> heatmap_png(result, step=2)[:4]
        b'\\x89PNG'
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    weights = np.asarray(result.weights, dtype=float)  # (tgt_len, src_len)
    tgt_len, src_len = weights.shape
    if tgt_len == 0:
        raise ValueError(
            "heatmap_png: this translation has no output tokens to show."
        )
    if step is not None and not 1 <= step <= tgt_len:
        raise ValueError(
            f"heatmap_png: step must be between 1 and {tgt_len}; got {step}."
        )
    # A Figure not attached to pyplot: nothing is shown twice, nothing leaks.
    # Sized so that the page's column (about 730 pixels) shows the labels at
    # a readable size: a narrow cell per token, large tick labels.
    figure = Figure(
        figsize=(2.2 + 0.32 * src_len, 1.4 + 0.3 * tgt_len),
        layout="constrained",
    )
    ax = figure.add_subplot()
    plot_attention(
        weights,
        _visible(result.source_tokens),
        _visible(_output_tokens(result)),
        ax=ax,
    )
    ax.tick_params(labelsize=12)
    for label in ax.get_xticklabels():  # one character upright, words down
        label.set_rotation(90 if len(label.get_text()) > 1 else 0)
    if step is not None:
        if step < tgt_len:  # fade the rows not written yet
            ax.add_patch(
                Rectangle(
                    (-0.5, step - 0.5),
                    src_len,
                    tgt_len - step,
                    color="white",
                    alpha=0.85,
                )
            )
        ax.add_patch(
            Rectangle(
                (-0.5, step - 1.5),
                src_len,
                1,
                fill=False,
                edgecolor="red",
                linewidth=2.5,
            )
        )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _visible(tokens):
    """Tokens as tick labels: a space token shown as "␣"."""
    return ["\u2423" if str(t) == " " else str(t) for t in tokens]


def _img(png, alt):
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<img src="data:image/png;base64,{data}" '
        f'alt="{html.escape(alt)}" style="max-width:100%">'
    )


def _alternatives_html(result):
    if not result.alternatives:
        return ""
    # Inline styles: the page has no stylesheet for this table, and without
    # padding its columns run together ("-0.034-0.019").
    cell = 'style="padding:0.15em 0.9em;text-align:{}"'
    left, right = cell.format("left"), cell.format("right")
    rows = "".join(
        f"<tr><td {right}>{i}</td>"
        f"<td {left}><code>{html.escape(text)}</code></td>"
        f"<td {right}>{log_prob:.3f}</td>"
        f"<td {right}>{normalized:.3f}</td></tr>"
        for i, (text, log_prob, normalized) in enumerate(
            result.alternatives, start=1
        )
    )
    head = "".join(
        f"<th {align}>{name}</th>"
        for name, align in (
            ("#", right),
            ("hypothesis", left),
            ("log P", right),
            ("normalised score", right),
        )
    )
    return (
        '<table style="border-collapse:collapse;margin:0.5em 0">'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def static_html(result, note=None):
    """A static HTML rendering of one translation: text, n-best list, heatmap
    image.

    This is what a page without a running kernel shows in place of the
    explorer.

    Example:
        >>> import numpy as np
        >>> from seq2seq_attention.translator import Translation
        >>> result = Translation(
        ...     "go .",
        ...     "ve .",
        ...     ["[START]", "go", ".", "[END]"],
        ...     ["ve", ".", "[END]"],
        ...     np.full((3, 4), 0.25),
        ...     -0.5,
        ... )
        >>> page = static_html(result)
        >>> "<img src=\\"data:image/png;base64," in page, "ve ." in page
        (True, True)
    """
    parts = [
        f"<p><b>Input:</b> <code>{html.escape(result.source)}</code><br>"
        f"<b>Translation:</b> <code>{html.escape(result.text)}</code> "
        f"(log P = {result.log_prob:.3f})</p>"
    ]
    if result.alternatives:
        parts.append(
            "<p><b>The beam's hypotheses</b>, best first:</p>"
            + _alternatives_html(result)
        )
    if len(result.target_tokens):
        parts.append(
            _img(heatmap_png(result), f"attention weights for {result.text!r}")
        )
    if note:
        parts.append(f"<p><i>{html.escape(note)}</i></p>")
    return (
        '<div class="attention-explorer-static">' + "".join(parts) + "</div>"
    )


class AttentionExplorer:
    """Explore a translator's attention interactively in Jupyter or Colab.

    Args:
        translator: a :class:`~seq2seq_attention.translator.Translator`.
        text: the sentence shown first (translated at once if not blank).
        method: ``"greedy"`` or ``"beam"``.
        beam_size: the beam size for beam search (1 to ``max_beam_size``).
        alpha: the length normalisation of beam search.
        max_beam_size: the largest beam the slider offers.

    The controls are attributes, so code (and tests) can drive them like a
    reader does: ``text``, ``method``, ``beam_size`` (an ``IntSlider``),
    ``translate_button``, and the step control ``step`` (an ``IntSlider``)
    with ``previous_button`` / ``next_button``. What is shown is in
    ``message``, ``translation``, ``step_view``, ``heatmap`` and
    ``hypotheses`` (``HTML`` widgets); ``result`` is the last
    :class:`~seq2seq_attention.translator.Translation`.

    Example:
        >>> from seq2seq_attention import data
        >>> from seq2seq_attention.models import Seq2SeqAttention
        >>> from seq2seq_attention.translator import Translator
        >>> src = data.make_vectorizer(["go .", "run !"])
        >>> tgt = data.make_vectorizer(["ve .", "corre !"])
        >>> model = Seq2SeqAttention(
        ...     src.vocabulary_size(),
        ...     tgt.vocabulary_size(),
        ...     embedding_dim=4,
        ...     units=8,
        ... )
        >>> explorer = AttentionExplorer(Translator(model, src, tgt), "go .")
        >>> explorer.result.text == explorer.translator.translate(["go ."])[
        ...     0
        ... ].text
        True
        >>> explorer.text.value = "   "
        >>> explorer.translate_button.click()
        >>> explorer.message.value
        '<b>Type a sentence to translate.</b>'
    """

    def __init__(
        self,
        translator,
        text="",
        method="greedy",
        beam_size=4,
        alpha=0.6,
        max_beam_size=8,
    ):
        try:
            import ipywidgets as widgets
        except (
            ImportError
        ) as error:  # pragma: no cover - Colab and Jupyter have it
            raise ImportError(
                "The explorer needs ipywidgets: pip install ipywidgets"
            ) from error
        if method not in ("greedy", "beam"):
            raise ValueError(
                f"Unknown decoding method {method!r}; the explorer offers "
                "'greedy' or 'beam'."
            )
        if not 1 <= beam_size <= max_beam_size:
            raise ValueError(
                "beam_size must be between 1 and "
                f"max_beam_size={max_beam_size}; got {beam_size}."
            )
        self.translator = translator
        self.alpha = alpha
        self.result = None
        self._updating = False

        wide = widgets.Layout(width="32em")
        self.text = widgets.Text(
            value=text,
            placeholder="Type a sentence and press Enter",
            description="Input:",
            continuous_update=False,
            layout=wide,
        )
        self.method = widgets.ToggleButtons(
            options=_METHODS, value=method, description="Decoding:"
        )
        self.beam_size = widgets.IntSlider(
            value=beam_size,
            min=1,
            max=max_beam_size,
            step=1,
            description="Beam size:",
            continuous_update=False,
        )
        self.translate_button = widgets.Button(
            description="Translate", button_style="primary"
        )
        self.message = widgets.HTML(value="")
        self.translation = widgets.HTML(value="")
        self.step = widgets.IntSlider(
            value=1,
            min=1,
            max=1,
            step=1,
            description="Step:",
            continuous_update=True,
        )
        self.previous_button = widgets.Button(
            description="◀ previous", layout=widgets.Layout(width="8em")
        )
        self.next_button = widgets.Button(
            description="next ▶", layout=widgets.Layout(width="8em")
        )
        self.step_view = widgets.HTML(value="")
        self.heatmap = widgets.HTML(value="")
        self.hypotheses = widgets.HTML(value="")

        self.translate_button.on_click(lambda _: self.run())
        # Enter, or leaving the box
        self.text.observe(lambda _: self.run(), names="value")
        self.method.observe(self._on_method, names="value")
        self.beam_size.observe(lambda _: self.run(), names="value")
        self.step.observe(lambda _: self._show_step(), names="value")
        self.previous_button.on_click(lambda _: self._move(-1))
        self.next_button.on_click(lambda _: self._move(+1))

        self._step_box = widgets.HBox(
            [self.previous_button, self.step, self.next_button]
        )
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.text, self.translate_button]),
                self.method,
                self.beam_size,
                self.message,
                self.translation,
                self._step_box,
                self.step_view,
                self.heatmap,
                self.hypotheses,
            ]
        )
        self._sync_beam_visibility()
        self._set_visible(self._step_box, False)
        if text.strip():
            self.run()

    # -- actions --------------------------------------------------------------

    def run(self):
        """Translate the input with the chosen decoding and show everything
        (what "Translate" does)."""
        if self._updating:
            return
        text = self.text.value
        self.message.value = ""
        if not text.strip():
            self._clear()
            self.message.value = "<b>Type a sentence to translate.</b>"
            return
        options = {"method": self.method.value}
        if self.method.value == "beam":
            options.update(beam_size=self.beam_size.value, alpha=self.alpha)
        try:
            result = self.translator.translate([text], **options)[0]
        except ValueError as error:  # e.g. an over-long input
            self._clear()
            self.message.value = (
                "<b>Cannot translate this input:</b> "
                f"{html.escape(str(error))}"
            )
            return
        self.result = result
        n = len(result.target_tokens)
        self.translation.value = (
            f"<b>Translation:</b> <code>{html.escape(result.text)}</code> "
            f"({n} tokens, [END] included; log P = {result.log_prob:.3f})"
        )
        self.hypotheses.value = (
            (
                f"<b>The beam's {len(result.alternatives)} hypotheses</b>, "
                "best first:" + _alternatives_html(result)
            )
            if result.alternatives
            else ""
        )
        self._updating = True
        try:
            self.step.max = n
            self.step.value = n  # show the whole output first
        finally:
            self._updating = False
        self._set_visible(self._step_box, True)
        self._show_step()

    def _on_method(self, _change):
        self._sync_beam_visibility()
        self.run()

    def _move(self, delta):
        self.step.value = min(
            max(self.step.value + delta, self.step.min), self.step.max
        )

    def _show_step(self):
        if self._updating or self.result is None:
            return
        result, t = self.result, self.step.value
        tokens = _output_tokens(result)
        written = [tok for tok in tokens[:t] if tok != END]
        separator = (
            ""
            if self.translator.target_config["level"] == "character"
            else " "
        )
        # (src_len,): the attention of step t
        weights = np.asarray(result.weights)[t - 1]
        top = int(np.argmax(weights))
        self.step_view.value = (
            f"Step {t} of {len(tokens)}: wrote "
            f"<code>{html.escape(tokens[t - 1])}</code>; output so far "
            f"<code>{html.escape(separator.join(written))}</code>. It "
            "attended most to "
            f"<code>{html.escape(result.source_tokens[top])}</code> "
            f"(weight {weights[top]:.2f})."
        )
        self.heatmap.value = _img(
            heatmap_png(result, step=t), f"attention weights, step {t}"
        )
        self.previous_button.disabled = t <= self.step.min
        self.next_button.disabled = t >= self.step.max

    # -- display helpers ------------------------------------------------------

    def _clear(self):
        self.result = None
        for view in (
            self.translation,
            self.step_view,
            self.heatmap,
            self.hypotheses,
        ):
            view.value = ""
        self._set_visible(self._step_box, False)

    @staticmethod
    def _set_visible(widget, visible):
        widget.layout.display = None if visible else "none"

    def _sync_beam_visibility(self):
        self._set_visible(self.beam_size, self.method.value == "beam")

    @property
    def prefix(self):
        """The output revealed by the step control, as text (``[END]`` left
        out)."""
        if self.result is None:
            return ""
        separator = (
            ""
            if self.translator.target_config["level"] == "character"
            else " "
        )
        return separator.join(
            tok
            for tok in self.result.target_tokens[: self.step.value]
            if tok != END
        )

    def static_html(self):
        """The static rendering shown where no kernel runs (see
        :func:`static_html`)."""
        if self.result is None:
            message = self.message.value or "Type a sentence to translate."
            return f"<p>{message}</p>"
        return static_html(
            self.result,
            note="A static rendering: run this notebook (in Colab or Jupyter) "
            "to type your own sentences and step through the decoding.",
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The live widget for Jupyter and Colab, with a static rendering beside
        # it for the website (its builder is told to prefer text/html; see
        # _config.yml). Jupyter's front ends prefer the widget view; in Colab,
        # whose choice is less documented, only the widget is sent.
        bundle = {
            "text/plain": f"AttentionExplorer({self.text.value!r}, "
            f"method={self.method.value!r})",
            _WIDGET_VIEW: {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
        }
        if "google.colab" not in sys.modules:
            bundle["text/html"] = self.static_html()
        return bundle
