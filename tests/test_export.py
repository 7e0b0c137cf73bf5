"""The SavedModel export: strings in, strings out, the same translations in a
fresh process."""

import json
import subprocess
import sys
import textwrap

import keras
import pytest
import tensorflow as tf

from seq2seq_attention.export import export_translator

# Typographic variants, blanks and unseen characters: every path must read
# them alike (curly vs straight quotes, U+00A0 and U+202F vs plain spaces).
EXTRA = [
    "The black cat!",
    "zebras see the cat",
    "go go go .",
    "the black\u00a0cat\u202f!",
    "",
    " \u00a0",
]
SUBWORD_EXTRA = [
    "Je t'aime.",
    "Merci !",
    "Merci\u00a0!",
    "  Le chat dort. ",
    "Où est le chat ?",
    "C\u2019est un chat\u202f?",
    "Ωμέγα 🙂",
    "",
    "\u202f",
]


def _texts(fixture, request):
    """The memorised sources of the translator ``fixture``, then the extras."""
    if fixture == "subword_translator":
        pairs = request.getfixturevalue("subword_pairs")
        return [s for s, _ in pairs] + SUBWORD_EXTRA
    pairs = request.getfixturevalue("memorised_pairs")
    return [s for s, _ in pairs] + EXTRA


def _reloaded_outputs(path, texts):
    """Greedy and beam outputs of the SavedModel at ``path``, computed in a
    fresh Python process that imports only TensorFlow."""
    script = textwrap.dedent(
        f"""
        import json, tensorflow as tf
        exported = tf.saved_model.load({str(path)!r})   # no course code needed
        texts = tf.constant({texts!r})
        greedy = exported.greedy(texts).numpy()
        beam = exported.beam(texts, tf.constant(0.6)).numpy()
        blank = exported.greedy(tf.constant(["", " \\u202f"])).numpy()
        print(json.dumps({{"greedy": [t.decode() for t in greedy],
                          "beam": [t.decode() for t in beam],
                          "blank": [t.decode() for t in blank]}}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


# the RNN (Bahdanau decoder, words), the Transformer (words) and the RNN
# (Luong decoder) with SentencePiece tokenizers
@pytest.mark.parametrize(
    "translator_fixture",
    ["trained_translator", "transformer_translator", "subword_translator"],
)
def test_reloaded_export_translates_like_the_python_translator(
    translator_fixture, tmp_path, request
):
    translator = request.getfixturevalue(translator_fixture)
    texts = _texts(translator_fixture, request)
    path = export_translator(translator, tmp_path / "exported", beam_size=3)
    reloaded = _reloaded_outputs(path, texts)
    assert reloaded["blank"] == ["", ""]  # a batch of blank texts only
    greedy = [t.text for t in translator.translate(texts)]
    assert reloaded["greedy"] == greedy
    assert reloaded["beam"] == [
        t.text for t in translator.translate(texts, method="beam", beam_size=3)
    ]
    if translator_fixture == "subword_translator":  # it has learnt them
        pairs = request.getfixturevalue("subword_pairs")
        assert greedy[: len(pairs)] == [t for _, t in pairs]


@pytest.mark.parametrize(
    "translator_fixture", ["trained_translator", "subword_translator"]
)
def test_typography_is_read_alike_on_every_path(translator_fixture, request):
    """The tokenizer's Python and TensorFlow encodings agree on typographic
    variants, and a variant translates as its plain spelling."""
    translator = request.getfixturevalue(translator_fixture)
    texts = _texts(translator_fixture, request)
    tokenizer = translator.source_tokenizer
    in_graph = tokenizer.encode_tf(tf.constant(texts)).to_list()
    assert in_graph == tokenizer.encode(texts)
    variants = (
        [
            ("Merci\u202f!", "Merci !"),
            ("C\u2019est un chat noir.", "C'est un chat noir."),
        ]
        if translator_fixture == "subword_translator"
        else [("the black\u00a0cat\u202f!", "the black cat !")]
    )
    for fancy, plain in variants:
        a, b = translator.translate([fancy, plain])
        assert (a.source_tokens, a.text) == (b.source_tokens, b.text)


def test_keras_file_loads_in_safe_mode(
    trained_translator, memorised_pairs, tmp_path
):
    TEXTS = [s for s, _ in memorised_pairs] + EXTRA
    """No pickled code or lambdas: loading works with safe_mode=True (Keras'
    default, made explicit)."""
    path = tmp_path / "translator.keras"
    trained_translator.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert [t.text for t in loaded.translate(TEXTS)] == [
        t.text for t in trained_translator.translate(TEXTS)
    ]
