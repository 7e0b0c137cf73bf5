"""Word-level against subword tokenization on one Spanish -> English split.

For each tokenizer (trained on the training split only, as
:func:`seq2seq_attention.recipes.train_translator` does) and each language,
on the held-out test sources and their references: the share of the text the
vocabulary cannot spell (``unknown_rate``: [UNK] tokens for words, characters
spelled in bytes for subwords), tokens per sentence, the share of test
sentences with no unknown token at all, and the seconds to train it. The
split is :func:`bleu_budget.held_out_split`, the one the BLEU rows use, so the
data chapter can put these beside the BLEU each tokenizer reaches.

    SEQ2SEQ_ATTENTION_DATA=../shared/data .venv/bin/python \\
        benchmarks/tokenization.py

Writes benchmarks/results/tokenization.json. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from bleu_budget import held_out_split  # benchmarks/bleu_budget.py
from report import write_report

from seq2seq_attention.data.tokenizers import train_tokenizer
from seq2seq_attention.special_tokens import UNK_ID

#: (label, level, vocabulary size per language)
TOKENIZERS = (
    ("word 5,000", "word", 5000),
    ("word, every word", "word", None),
    ("subword 4,000", "subword", 4000),
    ("subword 8,000", "subword", 8000),
    ("subword 16,000", "subword", 16000),
)


def clean_share(tokenizer, texts):
    """Share of ``texts`` that encode with no unknown token (words) or no
    byte-spelled character (subwords)."""
    if tokenizer.level == "subword":
        return float(
            np.mean([tokenizer.unknown_rate([t]) == 0 for t in texts])
        )
    return float(
        np.mean([UNK_ID not in ids for ids in tokenizer.encode(texts)])
    )


def measure(level, vocab_size, train_texts, test_texts):
    start = time.perf_counter()
    tokenizer = train_tokenizer(
        train_texts, level=level, vocab_size=vocab_size
    )
    seconds = time.perf_counter() - start
    ids = tokenizer.encode(test_texts)
    return {
        "vocabulary_size": tokenizer.vocabulary_size(),
        "unknown_rate": tokenizer.unknown_rate(test_texts),
        "tokens_per_sentence": float(np.mean([len(i) for i in ids])),
        "sentences_without_unknown": clean_share(tokenizer, test_texts),
        "train_seconds": round(seconds, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "tokenization.json",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    split = held_out_split(args.seed)
    sides = {
        "spanish": (
            [s for s, _ in split.train],
            [s for s, _ in split.test],
        ),
        "english": (
            [t for _, t in split.train],
            [t for _, t in split.test],
        ),
    }
    results = []
    for label, level, size in TOKENIZERS:
        row = {"tokenizer": label, "level": level, "vocab_size": size}
        for side, (train_texts, test_texts) in sides.items():
            row[side] = measure(level, size, train_texts, test_texts)
        print(row, flush=True)
        results.append(row)
    write_report(
        args.out,
        "tokenization",
        __doc__.split("\n")[0],
        args,
        results,
        split={k: len(getattr(split, k)) for k in ("train", "test")},
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
