"""sacreBLEU after a fixed wall-clock budget of training on this machine.

The protocol (issue 11): Spanish -> English Tatoeba pairs; a fixed held-out
set of 2,000 distinct Spanish sources drawn with the seed, each scored
against **all** its English references; 2,000 more distinct sources for
validation (early stopping and the kept checkpoint); training on the rest
for at most ``--minutes`` of wall-clock time with
:func:`seq2seq_attention.recipes.train_translator`. Then greedy BLEU on the
validation sources (what an ablation chooses by), and greedy and beam-4
decoding of the held-out set, scored by sacreBLEU (cased BLEU with its
signature, chrF, lower-cased BLEU) on the detokenized output against the
raw references. The JSON also has the training steps, target tokens per
second, wall and CPU seconds, peak memory, and ten random translations.

    SEQ2SEQ_ATTENTION_DATA=../shared/data .venv/bin/python \\
        benchmarks/bleu_budget.py                 # the default recipe, 20 min
    .venv/bin/python benchmarks/bleu_budget.py --tag ls01-20min \\
        --set label_smoothing=0.1                 # one ablation row
    .venv/bin/python benchmarks/bleu_budget.py --set tokens=word \\
        vocab_size=5000 --tag word                # the word-level baseline

Each run appends its row to ``--out`` (default
benchmarks/results/bleu_budget.json), replacing a row with the same tag.
Needs the corpus (``$SEQ2SEQ_ATTENTION_DATA`` or ../shared/data); it never
downloads. Run nothing else on the machine meanwhile: the budget is wall
time. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
_SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
if "SEQ2SEQ_ATTENTION_DATA" not in os.environ and _SHARED.is_dir():
    os.environ["SEQ2SEQ_ATTENTION_DATA"] = str(_SHARED)

import numpy as np  # noqa: E402
from report import environment  # noqa: E402  (benchmarks/report.py)

from seq2seq_attention import data, recipes  # noqa: E402
from seq2seq_attention.evaluation import evaluate_translator  # noqa: E402


def held_out_split(seed):
    """Spanish -> English pairs: (train, validation, test), 2,000 distinct
    sources in each held-out part."""
    corpus = data.load_spa_eng(download=False, reverse=True)
    return data.translation_split(corpus.pairs, seed=seed)


def _value(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"none": None, "true": True, "false": False}.get(text.lower(), text)


def parse_changes(items):
    """``["dropout=0", "tokens=word"]`` -> ``{"dropout": 0, ...}``."""
    fields = {f.name for f in dataclasses.fields(recipes.Recipe)}
    changes = {}
    for item in items:
        key, _, value = item.partition("=")
        if key not in fields or not _:
            sys.exit(
                f"--set {item}: expected FIELD=VALUE with FIELD one of "
                f"{sorted(fields)}"
            )
        changes[key] = _value(value)
    return changes


def target_tokens_per_step(translator, pairs, recipe):
    """Average real target tokens per training batch (for tokens/s)."""
    lengths = [
        len(ids) + 1
        for ids in translator.target_tokenizer.encode([t for _, t in pairs])
    ]  # + [END]
    if recipe.max_tokens is None:
        return float(np.mean(lengths)) * recipe.batch_size
    source = map(
        len, translator.source_tokenizer.encode([s for s, _ in pairs])
    )
    longest = [max(n + 2, m + 1) for n, m in zip(source, lengths)]
    boundaries, sizes = data.token_buckets(longest, recipe.max_tokens)
    bucket = np.searchsorted(boundaries, longest, side="right")
    counts = np.bincount(bucket, minlength=len(sizes))
    batches = np.sum(-(-counts // np.array(sizes)))
    return float(np.sum(lengths)) / batches


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "bleu_budget.json",
    )
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument(
        "--set",
        nargs="*",
        default=[],
        metavar="FIELD=VALUE",
        help="change fields of the default Recipe",
    )
    parser.add_argument("--tag", default="default")
    parser.add_argument("--beam-size", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--run-dir",
        type=Path,
        help="keep the run folder here (default: temporary)",
    )
    args = parser.parse_args()
    recipe = dataclasses.replace(
        recipes.Recipe(seed=args.seed), **parse_changes(args.set)
    )
    try:
        split = held_out_split(args.seed)
    except data.CorpusNotFoundError as error:
        sys.exit(f"bleu_budget: needs the spa-eng corpus.\n{error}")
    print(
        f"{len(split.train):,} training pairs; {args.minutes} min; {recipe}",
        flush=True,
    )
    run_dir = args.run_dir or Path(tempfile.mkdtemp(prefix="bleu_budget-"))
    translator, history = recipes.train_translator(
        split.train,
        split.validation,
        recipe,
        run_dir=run_dir,
        time_budget=args.minutes,
        tensorboard=False,
    )
    budget = history.budget
    per_step = target_tokens_per_step(translator, split.train, recipe)
    row = {
        "tag": args.tag,
        "recipe": recipe.to_dict(),
        "minutes": args.minutes,
        "steps": budget.steps,
        "wall_seconds": round(budget.wall_seconds, 1),
        "cpu_seconds": round(budget.cpu_seconds, 1),
        "epochs_started": len(history.history["loss"]),
        "target_tokens_per_second": round(
            budget.steps * per_step / budget.wall_seconds
        ),
        "peak_memory_mib": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ),
        "training_pairs": history.training_pairs,
        "train_loss": history.history["loss"],
        "val_loss": history.history.get("val_loss"),
    }
    # Greedy BLEU on the validation sources: what the ablation chooses by
    # (validation loss is not comparable across label-smoothing settings).
    row["validation_greedy_bleu"] = evaluate_translator(
        translator, split.validation, method="greedy"
    )["bleu"]
    print(f"validation greedy BLEU {row['validation_greedy_bleu']:.1f}")
    for method in ("greedy", "beam"):
        start = time.perf_counter()
        scores = evaluate_translator(
            translator, split.test, method=method, beam_size=args.beam_size
        )
        seconds = time.perf_counter() - start
        key = method if method == "greedy" else f"beam{args.beam_size}"
        row[key] = {
            k: scores[k]
            for k in (
                "sentences",
                "bleu",
                "chrf",
                "bleu_lowercase",
                "signature",
            )
        }
        row[key]["decoding_seconds"] = round(seconds, 1)
        print(
            f"{args.tag} {key}: BLEU {scores['bleu']:.1f} (lower-cased "
            f"{scores['bleu_lowercase']:.1f}) chrF {scores['chrf']:.1f}  "
            f"{scores['signature']['bleu']}",
            flush=True,
        )
        if method == "greedy":
            pick = np.random.default_rng(args.seed).permutation(
                len(scores["translations"])
            )[:10]
            row["examples"] = [
                {
                    "source": scores["translations"][i].source,
                    "translation": scores["translations"][i].text,
                    "references": scores["references"][i],
                }
                for i in pick
            ]
    print(
        f"{args.tag}: {budget.steps} steps, {row['wall_seconds']} s wall, "
        f"{row['target_tokens_per_second']} target tokens/s",
        flush=True,
    )
    report = {
        "benchmark": "bleu_budget",
        "what": __doc__.split("\n")[0],
        "protocol": "Spanish->English; 2,000 held-out distinct sources "
        "(seeded), all references; cased sacreBLEU on "
        "detokenized output",
        "results": [],
    }
    if args.out.is_file():
        report = json.loads(args.out.read_text())
        report.setdefault("results", [])
        if (
            report.get("benchmark") != "bleu_budget"
            or "protocol" not in report
        ):
            report = {**report, "results": []}  # an old-protocol file
    report["environment"] = environment()
    report["results"] = [
        r for r in report["results"] if r.get("tag") != args.tag
    ] + [row]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
