"""The reserved token ids and strings that start every vocabulary of the
package.

Every vocabulary made by :func:`seq2seq_attention.data.make_vectorizer` begins
with these four entries, so the ids are the same for every model: decoders,
the export and the chapters import them from here. This module imports no
TensorFlow.

Example:
    >>> [RESERVED[i] for i in (PAD_ID, UNK_ID, START_ID, END_ID)]
    ['', '[UNK]', '[START]', '[END]']
"""

__all__ = [
    "END",
    "END_ID",
    "PAD_ID",
    "RESERVED",
    "START",
    "START_ID",
    "UNK",
    "UNK_ID",
]

PAD_ID, UNK_ID, START_ID, END_ID = 0, 1, 2, 3
UNK, START, END = "[UNK]", "[START]", "[END]"
RESERVED = ["", UNK, START, END]
"""The first four tokens of every vocabulary, in id order (a list, as Keras
returns vocabularies; do not modify it)."""
