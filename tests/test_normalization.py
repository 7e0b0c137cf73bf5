"""Typography is read alike on every path (issue 11): training batches,
``translate``, ``evaluate_translator``, fine-tuning and the exported
SavedModel (the last in tests/test_export.py) all see a curly apostrophe as
``'`` and a no-break or narrow no-break space as a space."""

import numpy as np

from seq2seq_attention import data
from seq2seq_attention.evaluation import evaluate_translator
from seq2seq_attention.finetune import oov_rate

FANCY = ["Je t\u2019aime.", "Merci\u202f!", "Où est le chat\u00a0?"]
PLAIN = ["Je t'aime.", "Merci !", "Où est le chat ?"]


def test_training_batches_read_typography_as_translate_does(
    subword_translator,
):
    tokenizer = subword_translator.source_tokenizer
    fancy = data.encode(FANCY, tokenizer).to_list()
    assert fancy == data.encode(PLAIN, tokenizer).to_list()
    ids, _ = subword_translator.encode_sources(FANCY)
    for row, encoded in zip(ids, fancy):  # translate's ids, [START]/[END]
        assert list(row[: len(encoded)]) == encoded
        assert not np.any(row[len(encoded) :])  # then padding only


def test_evaluation_and_finetuning_read_typography_alike(
    subword_translator,
):
    targets = ["I love you.", "Thank you!", "Where is the cat?"]
    fancy = evaluate_translator(subword_translator, list(zip(FANCY, targets)))
    plain = evaluate_translator(subword_translator, list(zip(PLAIN, targets)))
    assert [t.text for t in fancy["translations"]] == [
        t.text for t in plain["translations"]
    ]
    assert fancy["bleu"] == plain["bleu"]
    assert oov_rate(subword_translator, FANCY, "source") == oov_rate(
        subword_translator, PLAIN, "source"
    )
