"""Domain adaptation on real sentences: a general English->Spanish translator
learns questions.

The corpus is split by domain: **questions** (the English side ends with "?")
and **general** (everything else). A Luong translator is trained on general
pairs only for ``--pretrain-cpu-minutes`` of CPU time (so it has never seen a
question mark, nor "¿"), then fine-tuned on ``--questions`` question pairs:

- ``finetune``: keep the vocabulary ("?" and "¿" stay [UNK]);
- ``finetune + extend``: extend the vocabularies with the questions' new
  tokens;
- ``finetune + extend + 20% general``: the same, replaying general pairs.
- ``scratch``: the same architecture trained on the question pairs alone.

BLEU and chrF (sacreBLEU, greedy decoding) on held-out questions (the new
domain) and held-out general sentences (forgetting), before and after.

    SEQ2SEQ_ATTENTION_DATA=../shared/data \
        .venv/bin/python benchmarks/finetune_spa_eng.py
    # writes benchmarks/results/finetune_spa_eng.json; the pretrained
    # model is cached in --work

Needs the corpus (``$SEQ2SEQ_ATTENTION_DATA`` or ``../shared/data``); never
downloads.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
_SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
if "SEQ2SEQ_ATTENTION_DATA" not in os.environ and _SHARED.is_dir():
    os.environ["SEQ2SEQ_ATTENTION_DATA"] = str(_SHARED)

import keras
from report import write_report

from seq2seq_attention import data, training
from seq2seq_attention.finetune import finetune, oov_rate, train_from_scratch
from seq2seq_attention.metrics import (
    MaskedTokenAccuracy,
    evaluate_translator,
    masked_loss,
)
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.translator import Translator


def is_question(pair):
    return pair[0].rstrip().endswith("?")


def pretrain(general_train, args):
    path = args.work / "general.keras"
    if path.exists():
        return keras.saving.load_model(path)
    source = data.make_vectorizer(
        [s for s, _ in general_train], max_tokens=5000
    )
    target = data.make_vectorizer(
        [t for _, t in general_train], max_tokens=5000
    )
    dataset = data.make_dataset(
        general_train, source, target, batch_size=64, seed=0
    )
    keras.utils.set_random_seed(0)
    model = Seq2SeqAttention(
        source.vocabulary_size(),
        target.vocabulary_size(),
        embedding_dim=args.units,
        units=args.units,
        decoder="luong",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=masked_loss(),
        metrics=[MaskedTokenAccuracy()],
    )
    model.fit(
        dataset,
        epochs=1000,
        callbacks=[
            training.TimeBudget(args.pretrain_cpu_minutes, clock="cpu")
        ],
        verbose=2,
        shuffle=False,
    )
    translator = Translator(model, source, target)
    training.save_atomically(translator, path)
    return translator


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pretrain-cpu-minutes", type=float, default=10.0)
    parser.add_argument(
        "--questions",
        type=int,
        default=2000,
        help="question pairs to fine-tune on",
    )
    parser.add_argument(
        "--units",
        type=int,
        default=128,
        help="RNN, attention and embedding size",
    )
    parser.add_argument(
        "--epochs",
        type=int,
        default=8,
        help="fine-tuning epoch cap (scratch gets twice as many)",
    )
    parser.add_argument("--test-sentences", type=int, default=1000)
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/finetune_spa_eng")
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "finetune_spa_eng.json",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    try:
        corpus = data.load_spa_eng(download=False)
    except data.CorpusNotFoundError as error:
        sys.exit(
            "finetune_spa_eng: needs the spa-eng corpus and never "
            f"downloads.\n{error}"
        )
    pairs = data.prepare_pairs(corpus.pairs, max_length=20)
    questions = [p for p in pairs if is_question(p)]
    general = [p for p in pairs if not is_question(p)]
    general_split = data.split_by_source(general, seed=0)
    question_split = data.split_by_source(
        questions, fractions=(0.8, 0.05, 0.15), seed=0
    )
    q_train = question_split.train[: args.questions]
    q_val, q_test = question_split.validation, question_split.test
    g_test = general_split.test
    print(
        f"{len(general)} general pairs, {len(questions)} questions; "
        f"fine-tuning on {len(q_train)}",
        flush=True,
    )

    start = time.perf_counter()
    pretrained = pretrain(general_split.train, args)
    pretrain_seconds = time.perf_counter() - start

    def scores(translator):
        q = evaluate_translator(
            translator, q_test, metric="bleu", limit=args.test_sentences
        )
        g = evaluate_translator(
            translator, g_test, metric="bleu", limit=args.test_sentences
        )
        return {
            "questions_bleu": q["bleu"],
            "questions_chrf": q["chrf"],
            "general_bleu": g["bleu"],
            "general_chrf": g["chrf"],
            "example": {
                "source": q["translations"][0].source,
                "translation": q["translations"][0].text,
                "references": q["references"][0],
            },
        }

    results = [
        {
            "condition": "pretrained (general only)",
            "source_oov": oov_rate(pretrained, [s for s, _ in q_train]),
            "target_oov": oov_rate(
                pretrained, [t for _, t in q_train], side="target"
            ),
            **scores(pretrained),
        }
    ]
    print(results[-1], flush=True)
    conditions = {
        "finetune": {},
        "finetune + extend": {"extend": True},
        "finetune + extend + 20% general": {
            "extend": True,
            "mix_old": 0.2,
            "old_train_pairs": general_split.train,
        },
    }
    for name, options in conditions.items():
        result = finetune(
            pretrained,
            q_train,
            q_val,
            epochs=args.epochs,
            patience=3,
            metric="bleu",
            verbose=2,
            eval_limit=300,
            **options,
        )
        results.append(
            {
                "condition": name,
                "epochs": result.report["epochs_run"],
                "seconds": result.report["seconds"],
                "added_target_count": len(
                    result.report["added_target_tokens"]
                ),
                # the first 20
                "added_target_tokens": result.report["added_target_tokens"][
                    :20
                ],
                **scores(result.translator),
            }
        )
        print(results[-1], flush=True)
    start = time.perf_counter()
    scratch, history = train_from_scratch(
        pretrained,
        q_train,
        q_val,
        epochs=args.epochs * 2,
        patience=3,
        verbose=2,
    )
    results.append(
        {
            "condition": "scratch",
            "epochs": len(history.history["loss"]),
            "seconds": round(time.perf_counter() - start, 1),
            **scores(scratch),
        }
    )
    print(results[-1], flush=True)
    write_report(
        args.out,
        "finetune_spa_eng",
        "BLEU/chrF on held-out questions and general sentences: a "
        "general-domain translator before and after fine-tuning on questions",
        args,
        results,
        pretrain_seconds=round(pretrain_seconds, 1),
        general_pairs=len(general),
        question_pairs=len(questions),
    )


if __name__ == "__main__":
    main()
