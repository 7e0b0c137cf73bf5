"""The attention explorer: driven like a reader would (clicks, value changes),
on ipywidgets 7.7 and 8.x.

It must also run in a venv pinned to Colab's versions (ipywidgets 7.7); see
tests/test_site.py's docstring for the command.
"""

import base64
import re

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
import ipywidgets

from seq2seq_attention import data
from seq2seq_attention.explorer import (
    AttentionExplorer,
    heatmap_png,
    static_html,
)
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.translator import Translator

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def shown(widget):
    return widget.layout.display != "none"


def test_greedy_translation_is_the_translators(
    memorised_pairs, trained_translator
):
    source, target = memorised_pairs[3]
    target = data.detokenize_words(target.split())  # as the translator writes
    explorer = AttentionExplorer(trained_translator)
    assert explorer.result is None and not shown(explorer._step_box)
    explorer.text.value = source
    explorer.translate_button.click()
    expected = trained_translator.translate([source])[0]
    assert explorer.result.text == expected.text == target
    np.testing.assert_allclose(
        explorer.result.weights, expected.weights, rtol=1e-6
    )
    assert f"<code>{target}</code>" in explorer.translation.value
    assert explorer.message.value == "" and explorer.hypotheses.value == ""
    assert not shown(explorer.beam_size)  # greedy: no beam size to choose
    assert "<img" in explorer.heatmap.value


def test_step_control_reveals_the_output_token_by_token(
    memorised_pairs, trained_translator
):
    # "the black cat ." -> "el gato negro ."
    source, target = memorised_pairs[3]
    explorer = AttentionExplorer(trained_translator, source)
    tokens = explorer.result.target_tokens
    assert tokens == target.split() + ["[END]"]
    assert shown(explorer._step_box)
    assert (explorer.step.min, explorer.step.max, explorer.step.value) == (
        1,
        len(tokens),
        len(tokens),
    )
    assert explorer.prefix == target and explorer.next_button.disabled

    explorer.step.value = 2
    assert explorer.prefix == " ".join(tokens[:2])
    assert (
        "Step 2 of 5" in explorer.step_view.value
        and f"<code>{tokens[1]}</code>" in explorer.step_view.value
    )
    heatmap_at_2 = explorer.heatmap.value

    explorer.previous_button.click()
    assert explorer.step.value == 1 and explorer.prefix == tokens[0]
    assert (
        explorer.previous_button.disabled and not explorer.next_button.disabled
    )
    explorer.previous_button.click()  # already at the first step: stays there
    assert explorer.step.value == 1
    explorer.next_button.click()
    assert explorer.step.value == 2 and explorer.heatmap.value == heatmap_at_2
    # The step's most attended source token is named.
    top = explorer.result.source_tokens[
        int(np.argmax(explorer.result.weights[1]))
    ]
    assert f"attended most to <code>{top}</code>" in explorer.step_view.value


def test_beam_mode_lists_the_hypotheses(memorised_pairs, trained_translator):
    source, _ = memorised_pairs[2]
    explorer = AttentionExplorer(trained_translator, source)
    explorer.method.value = "beam"  # switching the method translates again
    assert shown(explorer.beam_size)
    explorer.beam_size.value = 3
    expected = trained_translator.translate(
        [source], method="beam", beam_size=3, alpha=0.6
    )[0]
    assert explorer.result.text == expected.text
    assert [a[0] for a in explorer.result.alternatives] == [
        a[0] for a in expected.alternatives
    ]
    assert len(expected.alternatives) == 3
    assert "The beam's 3 hypotheses" in explorer.hypotheses.value
    # header + one row per hypothesis
    assert explorer.hypotheses.value.count("<tr>") == 1 + 3
    for text, _, _ in expected.alternatives:
        assert f"<code>{text}</code>" in explorer.hypotheses.value
    explorer.method.value = "greedy"
    assert not shown(explorer.beam_size) and explorer.hypotheses.value == ""


def test_bad_input_gives_a_clear_message(trained_translator):
    explorer = AttentionExplorer(trained_translator, "go .")
    explorer.text.value = ""
    explorer.translate_button.click()
    assert explorer.message.value == "<b>Type a sentence to translate.</b>"
    assert (
        explorer.result is None
        and explorer.translation.value == ""
        and explorer.heatmap.value == ""
    )
    assert not shown(explorer._step_box)
    explorer.text.value = "go " * 201
    assert "Cannot translate this input" in explorer.message.value
    assert "split long texts into sentences" in explorer.message.value
    explorer.text.value = "go ."
    assert explorer.message.value == "" and explorer.result.text


def test_bad_arguments_are_refused(trained_translator):
    with pytest.raises(ValueError, match="Unknown decoding method 'sample'"):
        AttentionExplorer(trained_translator, method="sample")
    with pytest.raises(
        ValueError,
        match="beam_size must be between 1 and max_beam_size=8; got 9",
    ):
        AttentionExplorer(trained_translator, beam_size=9)


def test_display_bundle_has_the_widget_and_a_static_fallback(
    memorised_pairs, trained_translator
):
    from IPython.core.formatters import DisplayFormatter

    explorer = AttentionExplorer(
        trained_translator, memorised_pairs[3][0], method="beam", beam_size=2
    )
    # what IPython sends to the notebook
    bundle, _ = DisplayFormatter().format(explorer)
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    assert bundle[WIDGET_VIEW]["version_major"] == 2
    page = bundle["text/html"]
    assert '<img src="data:image/png;base64,' in page
    assert (
        f"<code>{explorer.result.text}</code>" in page and "hypotheses" in page
    )
    png = base64.b64decode(re.search(r"base64,([^\"]+)\"", page).group(1))
    assert png.startswith(b"\x89PNG")
    assert "AttentionExplorer" in bundle["text/plain"]


def test_every_control_is_in_the_widget(trained_translator):
    explorer = AttentionExplorer(trained_translator, "go .")

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    inside = list(walk(explorer.widget))
    for control in (
        explorer.text,
        explorer.method,
        explorer.beam_size,
        explorer.translate_button,
        explorer.step,
        explorer.previous_button,
        explorer.next_button,
        explorer.heatmap,
        explorer.hypotheses,
    ):
        assert any(control is w for w in inside)
    assert isinstance(explorer.widget, ipywidgets.VBox)


def test_character_level_output_is_joined_without_spaces():
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(0)
    src = data.make_vectorizer(["3/4/05", "1 may 2001"], level="character")
    tgt = data.make_vectorizer(["2005-04-03", "2001-05-01"], level="character")
    model = Seq2SeqAttention(
        src.vocabulary_size(), tgt.vocabulary_size(), embedding_dim=4, units=8
    )
    explorer = AttentionExplorer(Translator(model, src, tgt), "3/4/05")
    tokens = [t for t in explorer.result.target_tokens if t != "[END]"]
    assert explorer.prefix == "".join(tokens) == explorer.result.text


def test_heatmap_png_and_static_html_check_their_input(trained_translator):
    result = trained_translator.translate(["go ."])[0]
    with pytest.raises(ValueError, match="step must be between 1 and"):
        heatmap_png(result, step=0)
    empty = trained_translator.translate([""])[0]
    with pytest.raises(ValueError, match="no output tokens"):
        heatmap_png(empty)
    assert "<img" not in static_html(empty)  # nothing to draw, and no error
    # input is escaped
    assert "&lt;b&gt;" in static_html(trained_translator.translate(["<b>"])[0])


def test_in_colab_only_the_widget_is_sent(monkeypatch, trained_translator):
    import sys
    import types

    explorer = AttentionExplorer(trained_translator, "go .")
    monkeypatch.setitem(
        sys.modules, "google.colab", types.ModuleType("google.colab")
    )
    bundle = explorer._repr_mimebundle_()
    assert WIDGET_VIEW in bundle and "text/html" not in bundle
