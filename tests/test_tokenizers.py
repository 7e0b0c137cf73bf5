"""Tokenizers: the typography rule, SentencePiece subwords in Python and in
TensorFlow, the word and character baselines, configs that travel."""

import json
import random

import numpy as np
import pytest
import tensorflow as tf

from seq2seq_attention import data
from seq2seq_attention.data import typography
from seq2seq_attention.data.subwords import SubwordTokenizer
from seq2seq_attention.data.tokenizers import (
    VocabularyTokenizer,
    detokenize_words,
    tokenizer_from_config,
    train_tokenizer,
)
from seq2seq_attention.special_tokens import UNK_ID

TRICKY = [
    "",
    " ",
    "Merci\u202f!",
    "We\u2019ll see\u00a0: \u201cyes\u201d.",
    "¿Qué\u200bhora es?",
    "naïve café 1984 3,14 €",
    "Ωμέγα 你好 🙂 👍🏽",
    "a" * 40,
    "x",
    "Tom's  dog\tran\naway.",
]


@pytest.fixture(scope="module")
def sample():
    return data.load_spa_eng_sample().pairs  # (English, Spanish), raw


@pytest.fixture(scope="module")
def spanish(sample):
    return SubwordTokenizer.train([t for _, t in sample], vocab_size=600)


def test_typography_python_and_tensorflow_agree_on_every_bmp_character():
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    texts = [f"a{c}b" for c in chars]
    python = [typography.normalize_text(t) for t in texts]
    graph = typography.normalize_text_tf(tf.constant(texts)).numpy()
    assert python == [g.decode() for g in graph]


def test_typography_agrees_on_random_mixtures():
    rng = random.Random(0)
    pool = list(typography.SPACES) + list("".join(typography.FOLD.values()))
    pool += list("ab,.¿?é")
    texts = [
        "".join(rng.choice(pool) for _ in range(rng.randint(0, 20)))
        for _ in range(3000)
    ]
    graph = typography.normalize_text_tf(tf.constant(texts)).numpy()
    assert [typography.normalize_text(t) for t in texts] == [
        g.decode() for g in graph
    ]


def test_typography_folds_quotes_and_spaces():
    assert typography.normalize_text("Merci\u202f!") == "Merci !"
    assert typography.normalize_text("we\u2019ll") == "we'll"
    assert typography.normalize_text(" \u201ca\u201d\u200b ") == '"a"'


def test_subword_ids_use_the_reserved_ids(spanish):
    assert spanish.vocabulary[:4] == data.RESERVED
    assert spanish.level == "subword"


def test_subword_never_unknown_and_round_trips(spanish, sample):
    texts = [t for _, t in sample] + TRICKY
    for text, ids in zip(texts, spanish.encode(texts)):
        assert UNK_ID not in ids
        assert spanish.decode(ids) == typography.normalize_text(text)


def test_subword_tensorflow_encoding_equals_sentencepiece(spanish, sample):
    texts = [t for _, t in sample] + [s for s, _ in sample] + TRICKY
    graph = spanish.encode_tf(tf.constant(texts)).to_list()
    assert graph == spanish.encode(texts)


def test_subword_tensorflow_decoding_equals_python(spanish, sample):
    rows = spanish.encode([t for _, t in sample] + TRICKY)
    rng = np.random.default_rng(0)
    # Also random ids (ordinary pieces and reserved ids, no stray bytes).
    ordinary = [
        i
        for i in range(4, spanish.vocabulary_size())
        if not spanish.vocabulary[i].startswith("<0x")
    ]
    rows += [
        list(rng.choice(ordinary + [0, 2, 3], size=12)) for _ in range(50)
    ]
    width = max(map(len, rows))
    padded = np.array([r + [0] * (width - len(r)) for r in rows])
    graph = [t.decode() for t in spanish.decode_tf(padded).numpy()]
    assert graph == [spanish.decode(r) for r in rows]


def test_subword_config_travels_as_json(spanish, sample):
    config = json.loads(json.dumps(spanish.get_config()))
    again = tokenizer_from_config(config)
    texts = [t for _, t in sample]
    assert again.encode(texts) == spanish.encode(texts)


def test_subword_training_is_deterministic(sample):
    texts = [t for _, t in sample]
    a = SubwordTokenizer.train(texts, vocab_size=500)
    b = SubwordTokenizer.train(list(reversed(texts)), vocab_size=500)
    assert a.model_proto == b.model_proto


def test_subword_unknown_rate_counts_characters_spelled_in_bytes(spanish):
    assert spanish.unknown_rate(["hola"]) == 0.0
    assert spanish.unknown_rate(["你好"]) == 1.0


def test_subword_tokens_label_byte_runs_as_characters(spanish):
    ids = spanish.encode(["¡你!"])[0]
    assert "你" in spanish.tokens(ids)


def test_subword_refuses_models_without_the_package_ids():
    import sentencepiece

    writer = type(
        "W",
        (),
        {"data": b"", "write": lambda s, d: setattr(s, "data", s.data + d)},
    )()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(["hola amigo"] * 20),
        model_writer=writer,
        vocab_size=12,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    with pytest.raises(ValueError, match="ids"):
        SubwordTokenizer(writer.data)


def test_word_tokenizer_encodes_like_the_vectorizer(sample):
    english = [s for s, _ in sample]
    word = train_tokenizer(english, level="word", vocab_size=200)
    vectorizer = data.vectorizer_from_config(word.get_config())
    normalized = [data.normalize(t) for t in english]
    assert word.encode(english) == vectorizer(normalized).to_list()
    graph = word.encode_tf(tf.constant(normalized)).to_list()
    assert graph == word.encode(english)


def test_word_detokenizer_python_and_tensorflow_agree(sample):
    word = train_tokenizer([s for s, _ in sample], level="word")
    rows = word.encode([s for s, _ in sample])
    width = max(map(len, rows))
    padded = np.array([r + [0] * (width - len(r)) for r in rows])
    graph = [t.decode() for t in word.decode_tf(padded).numpy()]
    assert graph == [word.decode(r) for r in rows]
    assert (
        detokenize_words(["¿", "we", "'", "ll", "see", "?"]) == "¿we'll see?"
    )


def test_character_tokenizer_round_trips():
    chars = train_tokenizer(["2015-03-04", "1999-12-31"], level="character")
    assert isinstance(chars, VocabularyTokenizer)
    assert chars.decode(chars.encode(["2015-12-04"])[0]) == "2015-12-04"
    assert chars.unknown_rate(["20x5"]) == 0.25


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="level must be one of"):
        train_tokenizer(["a"], level="sentence")


def test_subword_vocabulary_too_small_says_how_large(sample):
    texts = [t for _, t in sample]
    with pytest.raises(ValueError, match=r"too small.*vocab_size=\d+ or more"):
        train_tokenizer(texts, level="subword", vocab_size=262)
