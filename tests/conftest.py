"""Fixtures shared by several test files."""

import keras
import pytest

from seq2seq_attention import data
from seq2seq_attention.metrics import masked_loss
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.training import build_before_fit
from seq2seq_attention.translator import Translator

PAIRS = [
    ("go .", "ve ."),
    ("run !", "corre !"),
    ("i am cold .", "tengo frío ."),
    ("the black cat .", "el gato negro ."),
    ("help me !", "¡ ayúdame !"),
    ("i see the cat .", "veo al gato ."),
]


@pytest.fixture(autouse=True)
def _same_random_state_for_every_test():
    """Each test starts from seed 0 (Python, numpy, TensorFlow): a test's
    random weights never depend on which tests ran before it in the same
    process, which differs between one process and pytest-xdist workers."""
    keras.utils.set_random_seed(0)


@pytest.fixture(scope="session")
def memorised_pairs():
    """The six pairs that ``trained_translator`` has learnt by heart."""
    return list(PAIRS)


@pytest.fixture(scope="session")
def trained_translator():
    """A translator that has memorised six pairs (a smoke test of the whole
    path)."""
    keras.utils.set_random_seed(0)
    source_vectorizer = data.make_vectorizer([s for s, _ in PAIRS])
    target_vectorizer = data.make_vectorizer([t for _, t in PAIRS])
    dataset = data.make_dataset(
        PAIRS,
        source_vectorizer,
        target_vectorizer,
        batch_size=6,
        shuffle=False,
    )
    model = Seq2SeqAttention(
        source_vectorizer.vocabulary_size(),
        target_vectorizer.vocabulary_size(),
        embedding_dim=16,
        units=32,
        decoder="bahdanau",
    )
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss=masked_loss())
    build_before_fit(model, dataset)  # one trace of the train step
    model.fit(dataset, epochs=80, verbose=0, shuffle=False)
    return Translator(model, source_vectorizer, target_vectorizer)


@pytest.fixture(scope="session")
def transformer_translator():
    """A Translator around a small Transformer that has memorised the same six
    pairs: the decoding protocol through the whole strings-in, strings-out
    path."""
    from seq2seq_attention.transformer import Transformer

    keras.utils.set_random_seed(0)
    source_vectorizer = data.make_vectorizer([s for s, _ in PAIRS])
    target_vectorizer = data.make_vectorizer([t for _, t in PAIRS])
    dataset = data.make_dataset(
        PAIRS,
        source_vectorizer,
        target_vectorizer,
        batch_size=6,
        shuffle=False,
    )
    model = Transformer(
        source_vectorizer.vocabulary_size(),
        target_vectorizer.vocabulary_size(),
        d_model=32,
        num_heads=4,
        d_ff=64,
        num_layers=1,
        dropout=0.0,
    )
    model.compile(optimizer=keras.optimizers.Adam(0.005), loss=masked_loss())
    build_before_fit(model, dataset)  # one trace of the train step
    model.fit(dataset, epochs=60, verbose=0, shuffle=False)
    return Translator(model, source_vectorizer, target_vectorizer)


# A tiny made-up corpus with typographic quotes and no-break spaces, for the
# subword translator (cased, detokenized output).
SUBWORD_PAIRS = [
    ("Je t\u2019aime.", "I love you."),
    ("Merci\u202f!", "Thank you!"),
    ("Où est le chat\u00a0?", "Where is the cat?"),
    ("C\u2019est un chat noir.", "It's a black cat."),
    ("Bonjour, Marie.", "Hello, Marie."),
    ("Le chat dort.", "The cat sleeps."),
]


@pytest.fixture(scope="session")
def subword_pairs():
    """The six pairs that ``subword_translator`` has learnt by heart."""
    return list(SUBWORD_PAIRS)


@pytest.fixture(scope="session")
def subword_translator():
    """A Translator with SentencePiece tokenizers (byte fallback) whose small
    RNN has memorised ``SUBWORD_PAIRS``."""
    from seq2seq_attention.data.tokenizers import train_tokenizer

    keras.utils.set_random_seed(0)
    source = train_tokenizer(
        [s for s, _ in SUBWORD_PAIRS] * 5, level="subword", vocab_size=300
    )
    target = train_tokenizer(
        [t for _, t in SUBWORD_PAIRS] * 5, level="subword", vocab_size=300
    )
    dataset = data.make_dataset(
        SUBWORD_PAIRS, source, target, batch_size=6, shuffle=False
    )
    model = Seq2SeqAttention(
        source.vocabulary_size(),
        target.vocabulary_size(),
        embedding_dim=16,
        units=32,
    )
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss=masked_loss())
    build_before_fit(model, dataset)  # one trace of the train step
    model.fit(dataset, epochs=60, verbose=0, shuffle=False)
    return Translator(model, source, target)
