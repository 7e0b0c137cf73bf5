"""Translator: strings in and out, one .keras file, defined behaviour on bad input."""

import keras
import numpy as np
import pytest

from seq2seq_attention import data
from seq2seq_attention.decoding import greedy_decode, length_limits
from seq2seq_attention.metrics import masked_loss
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.translator import Translator

PAIRS = [("go .", "ve ."), ("run !", "corre !"), ("i am cold .", "tengo frío ."),
         ("the black cat .", "el gato negro ."), ("help me !", "¡ ayúdame !"), ("i see the cat .", "veo al gato .")]


@pytest.fixture(scope="module")
def trained():
    """A translator that has memorised six pairs (a smoke test of the whole path)."""
    keras.utils.set_random_seed(0)
    source_vectorizer = data.make_vectorizer([s for s, _ in PAIRS])
    target_vectorizer = data.make_vectorizer([t for _, t in PAIRS])
    dataset = data.make_dataset(PAIRS, source_vectorizer, target_vectorizer, batch_size=6, shuffle=False)
    model = Seq2SeqAttention(source_vectorizer.vocabulary_size(), target_vectorizer.vocabulary_size(),
                             embedding_dim=16, units=32, decoder="bahdanau")
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss=masked_loss())
    model.fit(dataset, epochs=80, verbose=0, shuffle=False)
    return Translator(model, source_vectorizer, target_vectorizer)


def test_translates_what_it_memorised(trained):
    results = trained.translate([s for s, _ in PAIRS])
    assert [r.text for r in results] == [t for _, t in PAIRS]
    for r in results:
        assert r.weights.shape == (len(r.target_tokens), len(r.source_tokens))
        np.testing.assert_allclose(r.weights.sum(-1), 1.0, rtol=1e-5)
        assert r.target_tokens[-1] == "[END]" and r.log_prob <= 0


def test_input_is_normalised_like_the_training_data(trained):
    assert trained.translate(["The  BLACK cat."])[0].text == "el gato negro ."


def test_save_and_load_give_identical_translations(trained, tmp_path):
    path = tmp_path / "translator.keras"
    trained.save(path)
    loaded = keras.saving.load_model(path)  # one file: model, vocabularies, configuration
    assert isinstance(loaded, Translator)
    texts = [s for s, _ in PAIRS] + ["the cat !", "go go go"]
    for a, b in zip(trained.translate(texts), loaded.translate(texts)):
        assert a.text == b.text and a.target_tokens == b.target_tokens
        np.testing.assert_allclose(a.weights, b.weights, rtol=1e-6)


def test_blank_unknown_and_emoji_inputs(trained):
    empty, blank, unknown, emoji = trained.translate(["", "   \t", "zebras dance", "🐈 go"])
    assert empty.text == "" and empty.target_tokens == [] and blank.text == ""
    assert unknown.source_tokens == ["[START]", "[UNK]", "[UNK]", "[END]"] and unknown.target_tokens[-1] == "[END]"
    assert emoji.source_tokens[1] == "[UNK]" and "go" in emoji.source_tokens


def test_output_length_is_bounded_by_the_source(trained):
    result = trained.translate(["go"])[0]
    assert len(result.target_tokens) <= length_limits(np.array([[2, 5, 3]]))[0]


def test_over_long_and_non_string_inputs_are_refused(trained):
    with pytest.raises(ValueError, match="more than max_source_tokens=200: split long texts into sentences"):
        trained.translate(["go " * 201])
    with pytest.raises(TypeError, match=r"item 1 is int: 42"):
        trained.translate(["go", 42])
    with pytest.raises(TypeError, match=r"takes a list of strings; for one sentence write translate"):
        trained.translate("go")
    with pytest.raises(ValueError, match="Unknown decoding method 'beam'"):
        trained.translate(["go"], method="beam")


def test_vocabulary_that_does_not_fit_the_model_is_refused(trained):
    other = data.make_vectorizer(["a b c d e f g h i j k l m n o p"])
    with pytest.raises(ValueError, match=r"source vocabulary has \d+ tokens but the model expects \d+"):
        Translator(trained.seq2seq, other, data.vectorizer_config(data.make_vectorizer([t for _, t in PAIRS])))


def test_greedy_sentence_alone_equals_sentence_in_padded_batch(trained):
    ids, _ = trained.encode_sources(["go .", "i see the cat ."])
    alone, _ = trained.encode_sources(["go ."])
    batch = greedy_decode(trained.seq2seq, ids)
    single = greedy_decode(trained.seq2seq, alone)
    n = int(single.lengths[0])
    np.testing.assert_array_equal(batch.tokens[0, :n], single.tokens[0, :n])
    np.testing.assert_allclose(batch.weights[0, :n, : alone.shape[1]], single.weights[0, :n], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(batch.log_probs[0, :n], single.log_probs[0, :n], rtol=1e-5, atol=1e-6)


def test_greedy_stops_every_sentence_and_pads_after_end():
    keras.utils.set_random_seed(1)
    model = Seq2SeqAttention(10, 12, embedding_dim=4, units=8)  # untrained: rarely says [END]
    decoded = greedy_decode(model, np.array([[2, 5, 6, 7, 3], [2, 8, 3, 0, 0]]), max_length=50)
    limits = length_limits(np.array([[2, 5, 6, 7, 3], [2, 8, 3, 0, 0]]))
    for row, limit in zip(range(2), limits):
        n = decoded.lengths[row]
        assert n <= limit and decoded.tokens[row, n - 1] == data.END_ID
        assert np.all(decoded.tokens[row, n:] == data.PAD_ID) and np.all(decoded.log_probs[row, n:] == 0)
