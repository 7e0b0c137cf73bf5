"""The SavedModel export: strings in, strings out, the same translations in a
fresh process."""

import json
import subprocess
import sys
import textwrap

import keras
import pytest

from seq2seq_attention.export import export_translator

EXTRA = ["The black cat!", "zebras see the cat", "go go go ."]


# the RNN (Bahdanau decoder) and the Transformer
@pytest.mark.parametrize(
    "translator_fixture", ["trained_translator", "transformer_translator"]
)
def test_reloaded_export_translates_like_the_python_translator(
    translator_fixture, memorised_pairs, tmp_path, request
):
    trained_translator = request.getfixturevalue(translator_fixture)
    TEXTS = [s for s, _ in memorised_pairs] + EXTRA
    path = export_translator(
        trained_translator, tmp_path / "exported", beam_size=3
    )
    script = textwrap.dedent(
        f"""
        import json, tensorflow as tf
        exported = tf.saved_model.load({str(path)!r})   # no course code needed
        texts = tf.constant({TEXTS!r})
        greedy = exported.greedy(texts).numpy()
        beam = exported.beam(texts, tf.constant(0.6)).numpy()
        print(json.dumps({{"greedy": [t.decode() for t in greedy],
                          "beam": [t.decode() for t in beam]}}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    reloaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert reloaded["greedy"] == [
        t.text for t in trained_translator.translate(TEXTS)
    ]
    assert reloaded["beam"] == [
        t.text
        for t in trained_translator.translate(
            TEXTS, method="beam", beam_size=3
        )
    ]


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
