"""Domain adaptation on real sentences: a general English->Spanish translator
learns questions.

The corpus is split by domain: **questions** (the English side ends with "?")
and **general** (everything else); each domain has its own held-out sources
(:func:`seq2seq_attention.data.translation_split`, seeded). A subword
translator (the default :class:`~seq2seq_attention.recipes.Recipe`) is trained
on general pairs only for ``--pretrain-minutes`` of wall-clock time, so it has
never seen a question (nor "¿", which its tokenizer can only spell in bytes),
then fine-tuned on a seeded random sample of ``--questions`` question pairs:

- ``finetune``: every weight trains;
- ``finetune, encoder frozen``: the encoder's recurrent layers stay fixed;
- ``finetune + 20% general``: every weight trains, replaying general pairs;
- ``scratch``: the same architecture trained on the question pairs alone
  (its own tokenizers).

sacreBLEU (cased, detokenized, all references) and chrF with greedy decoding
on held-out questions (the new domain) and held-out general sentences
(forgetting), before and after.

    SEQ2SEQ_ATTENTION_DATA=../shared/data \
        .venv/bin/python benchmarks/finetune_spa_eng.py
    # writes benchmarks/results/finetune_spa_eng.json; the pretrained
    # run folder is kept in --work and reused by the next run

Needs the corpus (``$SEQ2SEQ_ATTENTION_DATA`` or ``../shared/data``); never
downloads. Run nothing else meanwhile: the pretraining budget is wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
_SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
if "SEQ2SEQ_ATTENTION_DATA" not in os.environ and _SHARED.is_dir():
    os.environ["SEQ2SEQ_ATTENTION_DATA"] = str(_SHARED)

from report import write_report  # noqa: E402  (benchmarks/report.py)

from seq2seq_attention import data, recipes  # noqa: E402
from seq2seq_attention.evaluation import evaluate_translator  # noqa: E402
from seq2seq_attention.finetune import (  # noqa: E402
    FinetuneConfig,
    finetune,
    oov_rate,
    train_from_scratch,
)


def is_question(pair):
    return pair[0].rstrip().endswith("?")


def domains(seed):
    """``(general, questions)`` splits of the English -> Spanish corpus."""
    corpus = data.load_spa_eng(download=False)
    questions = [p for p in corpus.pairs if is_question(p)]
    general = [p for p in corpus.pairs if not is_question(p)]
    return (
        data.translation_split(general, seed=seed, counts=(2000, 1000)),
        data.translation_split(questions, seed=seed, counts=(500, 1000)),
    )


def pretrain(general, args):
    """The general translator: trained once, then reloaded from --work."""
    run_dir = args.work / "general"
    finished = run_dir / "finished.json"
    if finished.is_file():
        print(f"reusing the pretrained run in {run_dir}", flush=True)
        return recipes.load_run(run_dir), json.loads(finished.read_text())
    recipe = recipes.Recipe(seed=args.seed)
    translator, history = recipes.train_translator(
        general.train,
        general.validation,
        recipe,
        run_dir=run_dir,
        time_budget=args.pretrain_minutes,
        tensorboard=False,
    )
    info = {
        "recipe": recipe.to_dict(),
        "steps": history.budget.steps,
        "wall_seconds": round(history.budget.wall_seconds, 1),
        "best_val_loss": min(history.history["val_loss"]),
        "training_pairs": history.training_pairs,
    }
    finished.write_text(json.dumps(info))
    return translator, info


def scores(translator, general, questions, limit):
    """Greedy sacreBLEU and chrF on both held-out domains, and one example."""
    q = evaluate_translator(translator, questions.test, limit=limit)
    g = evaluate_translator(translator, general.test, limit=limit)
    return {
        "questions_bleu": q["bleu"],
        "questions_chrf": q["chrf"],
        "general_bleu": g["bleu"],
        "general_chrf": g["chrf"],
        "signature": q["signature"]["bleu"],
        "examples": [
            {
                "source": q["translations"][i].source,
                "translation": q["translations"][i].text,
                "references": q["references"][i],
            }
            for i in range(3)
        ],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pretrain-minutes", type=float, default=10.0)
    parser.add_argument(
        "--questions",
        type=int,
        default=2000,
        help="question pairs to fine-tune on (a seeded random sample)",
    )
    parser.add_argument(
        "--epochs",
        type=int,
        default=8,
        help="fine-tuning epoch cap (scratch gets twice as many)",
    )
    parser.add_argument("--test-sentences", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
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
        general, questions = domains(args.seed)
    except data.CorpusNotFoundError as error:
        sys.exit(
            "finetune_spa_eng: needs the spa-eng corpus and never "
            f"downloads.\n{error}"
        )
    q_train = data.sample_pairs(
        questions.train, args.questions, seed=args.seed
    )
    print(
        f"{len(general.train):,} general training pairs, "
        f"{len(questions.train):,} question pairs; fine-tuning on "
        f"{len(q_train):,}",
        flush=True,
    )
    pretrained, pretraining = pretrain(general, args)

    def evaluate(translator):
        return scores(translator, general, questions, args.test_sentences)

    results = [
        {
            "condition": "pretrained (general only)",
            "source_oov": oov_rate(pretrained, [s for s, _ in q_train]),
            "target_oov": oov_rate(
                pretrained, [t for _, t in q_train], side="target"
            ),
            **evaluate(pretrained),
        }
    ]
    print(results[-1], flush=True)
    config = FinetuneConfig(
        epochs=args.epochs,
        patience=3,
        metric="bleu",
        eval_limit=300,
        seed=args.seed,
        verbose=2,
    )
    conditions = {
        "finetune": {},
        "finetune, encoder frozen": {"freeze_parts": ("encoder",)},
        "finetune + 20% general": {"mix_old": 0.2},
    }
    for name, options in conditions.items():
        result = finetune(
            pretrained,
            q_train,
            questions.validation,
            config,
            old_train_pairs=general.train,
            **options,
        )
        results.append(
            {
                "condition": name,
                "epochs": result.report["epochs_run"],
                "seconds": result.report["seconds"],
                **evaluate(result.translator),
            }
        )
        print(results[-1], flush=True)
    start = time.perf_counter()
    scratch, history = train_from_scratch(
        pretrained,
        q_train,
        questions.validation,
        epochs=args.epochs * 2,
        patience=3,
        seed=args.seed,
        verbose=2,
    )
    results.append(
        {
            "condition": "scratch",
            "epochs": len(history.history["loss"]),
            "seconds": round(time.perf_counter() - start, 1),
            **evaluate(scratch),
        }
    )
    print(results[-1], flush=True)
    write_report(
        args.out,
        "finetune_spa_eng",
        "sacreBLEU/chrF on held-out questions and general sentences: a "
        "general-domain subword translator before and after fine-tuning on "
        "questions",
        args,
        results,
        pretraining=pretraining,
        general_pairs=len(general.train),
        question_pairs=len(questions.train),
    )


if __name__ == "__main__":
    main()
