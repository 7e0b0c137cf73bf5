"""Translator: strings in and out, one .keras file, defined behaviour on bad
input."""

import keras
import numpy as np
import pytest

from seq2seq_attention import data
from seq2seq_attention.decoding import greedy_decode, length_limits
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.translator import Translator


def written(pairs):
    """The targets as the translator writes them: word tokens detokenized
    (``"ve ."`` -> ``"ve."``)."""
    return [data.detokenize_words(t.split()) for _, t in pairs]


def test_translates_what_it_memorised(memorised_pairs, trained_translator):
    results = trained_translator.translate([s for s, _ in memorised_pairs])
    assert [r.text for r in results] == written(memorised_pairs)
    for r in results:
        assert r.weights.shape == (len(r.target_tokens), len(r.source_tokens))
        np.testing.assert_allclose(r.weights.sum(-1), 1.0, rtol=1e-5)
        assert r.target_tokens[-1] == "[END]" and r.log_prob <= 0


def test_input_is_normalised_like_the_training_data(trained_translator):
    assert (
        trained_translator.translate(["The  BLACK cat."])[0].text
        == "el gato negro."  # detokenized: as a person writes it
    )


def test_save_and_load_give_identical_translations(
    memorised_pairs, trained_translator, tmp_path
):
    path = tmp_path / "translator.keras"
    trained_translator.save(path)
    # one file: model, vocabularies, configuration
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, Translator)
    texts = [s for s, _ in memorised_pairs] + ["the cat !", "go go go"]
    for a, b in zip(
        trained_translator.translate(texts), loaded.translate(texts)
    ):
        assert a.text == b.text and a.target_tokens == b.target_tokens
        np.testing.assert_allclose(a.weights, b.weights, rtol=1e-6)


def test_a_transformer_translator_saves_loads_and_translates_the_same(
    memorised_pairs, transformer_translator, tmp_path
):
    path = tmp_path / "transformer.keras"
    transformer_translator.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert isinstance(loaded, Translator)
    assert type(loaded.seq2seq).__name__ == "Transformer"
    texts = [s for s, _ in memorised_pairs] + ["the cat !", "go go go"]
    for method in ("greedy", "beam", "sample"):
        before = transformer_translator.translate(texts, method=method)
        after = loaded.translate(texts, method=method)
        for a, b in zip(before, after):
            assert a.text == b.text and a.target_tokens == b.target_tokens
            np.testing.assert_allclose(a.weights, b.weights, atol=1e-6)
    assert [r.text for r in before[:6]] != [""] * 6


def test_a_toy_model_translator_saves_and_loads(tmp_path):
    from seq2seq_attention.toy_models import BigramModel

    source = data.make_vectorizer(["go away"])  # 2 words: 6 ids
    target = data.make_vectorizer(["ve ya"])
    words = target.get_vocabulary()
    table = np.zeros((6, 6))
    table[2, words.index("ve")] = 1.0  # [START] -> ve -> ya -> [END]
    table[words.index("ve"), words.index("ya")] = 1.0
    table[words.index("ya"), 3] = 1.0
    translator = Translator(BigramModel(table), source, target)
    path = tmp_path / "toy.keras"
    translator.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert [r.text for r in loaded.translate(["go", "away go"])] == [
        "ve ya",
        "ve ya",
    ]


def test_a_model_without_the_protocol_is_refused():
    source, target = data.make_vectorizer(["go"]), data.make_vectorizer(["ve"])
    with pytest.raises(
        TypeError, match="Translator needs a model that speaks"
    ):
        Translator(keras.Sequential(), source, target)


def test_blank_unknown_and_emoji_inputs(trained_translator):
    empty, blank, unknown, emoji = trained_translator.translate(
        ["", "   \t", "zebras dance", "🐈 go"]
    )
    assert empty.text == "" and empty.target_tokens == [] and blank.text == ""
    assert (
        unknown.source_tokens == ["[START]", "[UNK]", "[UNK]", "[END]"]
        and unknown.target_tokens[-1] == "[END]"
    )
    assert emoji.source_tokens[1] == "[UNK]" and "go" in emoji.source_tokens


def test_output_length_is_bounded_by_the_source(trained_translator):
    result = trained_translator.translate(["go"])[0]
    assert len(result.target_tokens) <= length_limits(np.array([[2, 5, 3]]))[0]


def test_over_long_and_non_string_inputs_are_refused(trained_translator):
    with pytest.raises(
        ValueError,
        match="more than max_source_tokens=200: split long texts into "
        "sentences",
    ):
        trained_translator.translate(["go " * 201])
    with pytest.raises(TypeError, match=r"item 1 is int: 42"):
        trained_translator.translate(["go", 42])
    with pytest.raises(
        TypeError,
        match=r"takes a list of strings; for one sentence write translate",
    ):
        trained_translator.translate("go")
    with pytest.raises(ValueError, match="Unknown decoding method 'nucleus'"):
        trained_translator.translate(["go"], method="nucleus")


def test_vocabulary_that_does_not_fit_the_model_is_refused(
    memorised_pairs, trained_translator
):
    other = data.make_vectorizer(["a b c d e f g h i j k l m n o p"])
    with pytest.raises(
        ValueError,
        match=r"source tokenizer has \d+ ids but the model expects \d+",
    ):
        Translator(
            trained_translator.seq2seq,
            other,
            data.vectorizer_config(
                data.make_vectorizer([t for _, t in memorised_pairs])
            ),
        )


def test_greedy_sentence_alone_equals_sentence_in_padded_batch(
    trained_translator,
):
    ids, _ = trained_translator.encode_sources(["go .", "i see the cat ."])
    alone, _ = trained_translator.encode_sources(["go ."])
    batch = greedy_decode(trained_translator.seq2seq, ids)
    single = greedy_decode(trained_translator.seq2seq, alone)
    n = int(single.lengths[0])
    np.testing.assert_array_equal(batch.tokens[0, :n], single.tokens[0, :n])
    np.testing.assert_allclose(
        batch.weights[0, :n, : alone.shape[1]],
        single.weights[0, :n],
        rtol=1e-5,
        atol=1e-6,
    )
    np.testing.assert_allclose(
        batch.log_probs[0, :n], single.log_probs[0, :n], rtol=1e-5, atol=1e-6
    )


def test_greedy_stops_every_sentence_and_pads_after_end():
    keras.utils.set_random_seed(1)
    # untrained: rarely says [END]
    model = Seq2SeqAttention(10, 12, embedding_dim=4, units=8)
    decoded = greedy_decode(
        model, np.array([[2, 5, 6, 7, 3], [2, 8, 3, 0, 0]]), max_length=50
    )
    limits = length_limits(np.array([[2, 5, 6, 7, 3], [2, 8, 3, 0, 0]]))
    for row, limit in zip(range(2), limits):
        n = decoded.lengths[row]
        assert n <= limit and decoded.tokens[row, n - 1] == data.END_ID
        assert np.all(decoded.tokens[row, n:] == data.PAD_ID) and np.all(
            decoded.log_probs[row, n:] == 0
        )


def test_beam_and_sampling_behind_the_same_interface(
    memorised_pairs, trained_translator
):
    texts = [s for s, _ in memorised_pairs]
    greedy = trained_translator.translate(texts)
    beam = trained_translator.translate(texts, method="beam", beam_size=3)
    assert [b.text for b in beam] == written(memorised_pairs), (
        "a memorised pair is also the beam's best"
    )
    for b in beam:
        assert len(b.alternatives) == 3 and b.alternatives[0][0] == b.text
        assert [a[2] for a in b.alternatives] == sorted(
            (a[2] for a in b.alternatives), reverse=True
        )
        assert b.log_prob == pytest.approx(b.alternatives[0][1])
    cold = trained_translator.translate(
        texts, method="sample", temperature=1e-4, seed=1
    )
    assert [c.text for c in cold] == [g.text for g in greedy]
    hot = [
        t.text
        for t in trained_translator.translate(
            texts * 3, method="sample", temperature=3.0, seed=2
        )
    ]
    assert hot == [
        t.text
        for t in trained_translator.translate(
            texts * 3, method="sample", temperature=3.0, seed=2
        )
    ]


def test_a_saved_translator_loads_after_importing_the_package_only(
    trained_translator, tmp_path
):
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "translator.keras"
    trained_translator.save(path)
    script = textwrap.dedent(f"""
        import keras, seq2seq_attention
        translator = keras.saving.load_model({str(path)!r})
        print(translator.translate(["go ."])[0].text)
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        result.stdout.strip().splitlines()[-1]
        == trained_translator.translate(["go ."])[0].text
    )
