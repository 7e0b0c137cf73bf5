"""The command line:
``seq2seq-attention train | finetune | translate | evaluate | export``.

Examples::

    seq2seq-attention train --data dates --out runs/dates
    seq2seq-attention train --data spa-eng --out runs/spa-eng \
        --profile full --decoder luong
    seq2seq-attention train --data my_corpus.tsv --out runs/mine --reverse
    seq2seq-attention translate --model runs/spa-eng/translator.keras \
        "How are you?" "I am cold."
    echo "tue 3 march 2015" | seq2seq-attention translate \
        --model runs/dates/translator.keras
    seq2seq-attention translate --model runs/spa-eng/translator.keras \
        --method beam --beam-size 5 "Hello."
    seq2seq-attention evaluate --model runs/spa-eng/translator.keras \
        --data runs/spa-eng/split
    seq2seq-attention export --model runs/spa-eng/translator.keras \
        --out exported/spa-eng
    seq2seq-attention finetune --from runs/dates/translator.keras \
        --data dates:es --examples 200 --old-data dates \
        --freeze embeddings,encoder --out runs/dates-es

(``python -m seq2seq_attention`` is the same program.) Wrong arguments,
missing files and a model that does not fit its data give a one-line error
and exit status 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .attention import ATTENTION_SCORES

__all__ = ["main", "build_parser"]

_DATES_TEST_SEED_OFFSET = 10_000  # held-out dates come from another seed


def build_parser():
    """The argument parser (see the module docstring).

    Example:
        >>> build_parser().parse_args(
        ...     ["translate", "--model", "m.keras", "hola"]
        ... ).texts
        ['hola']
    """
    parser = argparse.ArgumentParser(
        prog="seq2seq-attention",
        description="Train, use and evaluate encoder-decoder translators "
        "with attention.",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show tracebacks instead of one-line errors",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND"
    )

    train = commands.add_parser(
        "train", help="train a translator and save it as OUT/translator.keras"
    )
    train.add_argument(
        "--data",
        required=True,
        help="'dates' (synthetic dates -> ISO 8601), 'spa-eng' (Tatoeba "
        "English-Spanish), or a tab-separated file of "
        "'source<TAB>target[<TAB>attribution]' lines",
    )
    train.add_argument(
        "--out",
        required=True,
        type=Path,
        help="run folder: translator.keras, best.keras, the data split, "
        "TensorBoard logs; running again with the same folder resumes an "
        "interrupted run",
    )
    train.add_argument(
        "--profile",
        choices=["quick", "full"],
        help="sizes for a CPU (quick) or a GPU (full); default: "
        "$SEQ2SEQ_ATTENTION_PROFILE, else full if a GPU is visible",
    )
    train.add_argument(
        "--decoder",
        choices=["luong", "bahdanau"],
        default="bahdanau",
        help="attention after the RNN (luong) or before each RNN step "
        "(bahdanau; default)",
    )
    train.add_argument(
        "--attention", choices=sorted(ATTENTION_SCORES), default="additive"
    )
    train.add_argument("--cell", choices=["gru", "lstm"], default="gru")
    train.add_argument(
        "--epochs", type=_positive, help="default: the profile's"
    )
    train.add_argument(
        "--examples",
        type=_positive,
        help="dates: how many to generate (default 20000); corpora: most "
        "training pairs to use",
    )
    train.add_argument(
        "--max-length",
        type=_positive,
        default=20,
        help="sentences: drop pairs with more words than this (default 20)",
    )
    train.add_argument(
        "--vocab-size",
        type=_positive,
        default=5000,
        help="sentences: vocabulary size per language, reserved tokens "
        "included (default 5000)",
    )
    train.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed for data generation, split, shuffling, weights",
    )
    train.add_argument(
        "--reverse",
        action="store_true",
        help="translate the second column into the first",
    )
    train.add_argument(
        "--skip-bad-lines",
        action="store_true",
        help="skip malformed lines of a TSV file (and report how many) "
        "instead of stopping",
    )
    train.add_argument(
        "--cache-dir",
        type=Path,
        help="where spa-eng.zip is downloaded (default: Keras' cache)",
    )
    train.add_argument(
        "--units",
        type=_positive,
        help="RNN and attention size (default: the profile's)",
    )
    train.add_argument(
        "--embedding-dim",
        type=_positive,
        help="embedding size (default: the profile's)",
    )

    tune = commands.add_parser(
        "finetune",
        help="fine-tune a trained translator on new data; writes "
        "OUT/translator.keras and OUT/finetune_report.json",
    )
    tune.add_argument(
        "--from",
        dest="from_model",
        required=True,
        type=Path,
        help="the translator.keras to start from (it is not modified)",
    )
    tune.add_argument(
        "--data",
        required=True,
        help="the new domain: 'dates:DOMAIN' (e.g. dates:es, Spanish "
        "dates), or a TSV file",
    )
    tune.add_argument(
        "--out",
        required=True,
        type=Path,
        help="run folder: translator.keras, finetune_report.json, "
        "checkpoints; running again with the same folder and options "
        "resumes an interrupted run",
    )
    tune.add_argument(
        "--validation",
        help="new-domain validation pairs (a TSV file); default: 10%% of "
        "--data",
    )
    tune.add_argument(
        "--old-data",
        help="the old domain ('dates', 'dates:DOMAIN' or a TSV file): "
        "scored before and after to measure forgetting, and replayed "
        "with --mix-old",
    )
    tune.add_argument(
        "--mix-old",
        type=float,
        default=0.0,
        help="share of old-domain examples mixed into fine-tuning (needs "
        "--old-data; default 0)",
    )
    tune.add_argument(
        "--freeze",
        default="",
        help="comma-separated parts to keep fixed: embeddings, encoder, "
        "attention, decoder",
    )
    tune.add_argument(
        "--learning-rate",
        type=float,
        default=3e-4,
        help="peak learning rate (default 3e-4)",
    )
    tune.add_argument(
        "--schedule",
        choices=["cosine", "constant"],
        default="cosine",
        help="learning rate: warm-up then cosine decay (default), or constant",
    )
    tune.add_argument(
        "--warmup-epochs",
        type=int,
        default=1,
        help="linear warm-up length (default 1 epoch)",
    )
    tune.add_argument(
        "--epochs", type=_positive, default=20, help="most epochs (default 20)"
    )
    tune.add_argument(
        "--batch-size", type=_positive, default=32, help="default 32"
    )
    tune.add_argument(
        "--patience",
        type=_positive,
        default=4,
        help="stop after this many epochs without validation improvement "
        "(default 4)",
    )
    tune.add_argument(
        "--extend-vocabulary",
        action="store_true",
        help="add the new data's unknown tokens to the vocabularies (see "
        "--min-count)",
    )
    tune.add_argument(
        "--min-count",
        type=_positive,
        default=2,
        help="with --extend-vocabulary: add tokens seen at least this often "
        "(default 2)",
    )
    tune.add_argument(
        "--max-oov",
        type=float,
        default=0.5,
        help="refuse new data with more unknown source tokens than this "
        "share (default 0.5)",
    )
    tune.add_argument(
        "--examples",
        type=_positive,
        help="dates: how many new examples to generate (default 1000); TSV: "
        "most training pairs",
    )
    tune.add_argument(
        "--max-length",
        type=_positive,
        default=20,
        help="sentences: most words per sentence",
    )
    tune.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed for data, split, shuffling, mixing",
    )
    tune.add_argument(
        "--reverse",
        action="store_true",
        help="TSV: translate the second column into the first",
    )
    tune.add_argument(
        "--skip-bad-lines",
        action="store_true",
        help="TSV: skip malformed lines",
    )

    translate = commands.add_parser(
        "translate", help="translate sentences given as arguments or on stdin"
    )
    translate.add_argument(
        "--model", required=True, type=Path, help="a translator.keras file"
    )
    translate.add_argument(
        "texts",
        nargs="*",
        help="sentences to translate; none: one per line from stdin",
    )
    translate.add_argument(
        "--show-tokens",
        action="store_true",
        help="also print the tokens the model read",
    )
    translate.add_argument(
        "--method", choices=["greedy", "beam", "sample"], default="greedy"
    )
    translate.add_argument(
        "--beam-size",
        type=_positive,
        default=4,
        help="beam search width (default 4)",
    )
    translate.add_argument(
        "--alpha",
        type=float,
        default=0.6,
        help="beam search length normalisation (default 0.6)",
    )
    translate.add_argument(
        "--temperature",
        type=float,
        default=1.0,
        help="sampling temperature (default 1)",
    )
    translate.add_argument(
        "--seed", type=int, default=0, help="sampling seed (default 0)"
    )

    export = commands.add_parser(
        "export",
        help="write a translator as a TensorFlow SavedModel (strings in and "
        "out)",
    )
    export.add_argument(
        "--model", required=True, type=Path, help="a translator.keras file"
    )
    export.add_argument(
        "--out",
        required=True,
        type=Path,
        help="the SavedModel folder to write",
    )
    export.add_argument(
        "--beam-size",
        type=_positive,
        default=4,
        help="width of the 'beam' signature (default 4)",
    )

    evaluate = commands.add_parser(
        "evaluate", help="score a translator on held-out data"
    )
    evaluate.add_argument(
        "--model", required=True, type=Path, help="a translator.keras file"
    )
    evaluate.add_argument(
        "--data",
        required=True,
        help="a split folder written by train (OUT/split), 'dates', or a "
        "TSV file",
    )
    evaluate.add_argument(
        "--part",
        choices=["train", "validation", "test"],
        default="test",
        help="which part of a split folder (default test)",
    )
    evaluate.add_argument(
        "--limit", type=_positive, help="evaluate at most this many sentences"
    )
    evaluate.add_argument(
        "--examples",
        type=int,
        default=3,
        help="how many translations to show (default 3)",
    )
    evaluate.add_argument(
        "--json", type=Path, help="also write the scores to this JSON file"
    )
    return parser


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive whole number, got {text!r}"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(
            f"expected a positive whole number, got {value}"
        )
    return value


class CommandError(Exception):
    """A problem with the user's input: printed as one line, exit status 2."""


def _load_pairs(spec, args):
    """Normalised pairs and the tokenisation level for ``--data``."""
    from . import data
    from .tasks import dates

    if spec == "dates":
        return dates.generate_dates(
            args.examples or 20_000, seed=args.seed
        ), "character"
    if spec == "spa-eng":
        corpus, which = data.load_spa_eng_or_sample(
            args.cache_dir, download=True, reverse=args.reverse
        )
        if which == "sample":
            print(
                "note: using the small offline sample of spa-eng",
                file=sys.stderr,
            )
    else:
        path = Path(spec)
        if not path.is_file():
            raise CommandError(
                f"--data {spec}: no such file. Give 'dates', 'spa-eng' or a "
                "TSV file."
            )
        corpus = data.read_tsv(
            path,
            reverse=args.reverse,
            errors="skip" if args.skip_bad_lines else "raise",
        )
        if corpus.skipped:
            print(
                f"note: skipped {len(corpus.skipped)} malformed lines of "
                f"{path} (first: line {corpus.skipped[0][0]}: "
                f"{corpus.skipped[0][1]})",
                file=sys.stderr,
            )
    pairs = data.prepare_pairs(corpus.pairs, max_length=args.max_length)
    if not pairs:
        raise CommandError(
            f"--data {spec}: no pairs left after filtering to at most "
            f"{args.max_length} words."
        )
    return pairs, "word"


def _domain_pairs(spec, translator, args, count, seed):
    """Pairs for finetune's --data/--old-data/--validation, prepared for
    ``translator``'s level."""
    from . import data
    from .tasks import dates

    if spec == "dates" or spec.startswith("dates:"):
        domain = spec.partition(":")[2] or "en"
        if domain not in dates.DOMAINS:
            raise CommandError(
                f"{spec}: unknown date domain {domain!r}; known: "
                f"{', '.join(sorted(dates.DOMAINS))}."
            )
        if translator.source_config["level"] != "character":
            raise CommandError(
                f"{spec}: the dates task is character-level but this "
                "translator reads words; fine-tune it on sentence pairs "
                "(a TSV file)."
            )
        return dates.generate_dates(count, seed=seed, domain=domain)
    path = Path(spec)
    if not path.is_file():
        raise CommandError(
            f"{spec}: no such file. Give 'dates:DOMAIN' (e.g. dates:es) or "
            "a TSV file."
        )
    corpus = data.read_tsv(
        path,
        reverse=args.reverse,
        errors="skip" if args.skip_bad_lines else "raise",
    )
    if translator.source_config["level"] == "character":
        return list(corpus.pairs)
    pairs = data.prepare_pairs(corpus.pairs, max_length=args.max_length)
    if not pairs:
        raise CommandError(
            f"{spec}: no pairs left after filtering to at most "
            f"{args.max_length} words."
        )
    return pairs


def _finetune(args):
    from . import data, training
    from .finetune import finetune

    translator = _load_translator(args.from_model)
    if args.mix_old and not args.old_data:
        raise CommandError(
            "--mix-old replays old-domain examples: give them with --old-data."
        )
    is_dates = args.data.startswith("dates")
    pairs = _domain_pairs(
        args.data, translator, args, args.examples or 1000, args.seed + 101
    )
    if args.validation:
        train_pairs, validation_pairs = (
            pairs,
            _domain_pairs(args.validation, translator, args, 0, 0),
        )
    elif is_dates:  # fresh dates from another seed: never seen in training
        train_pairs = pairs
        validation_pairs = _domain_pairs(
            args.data, translator, args, 200, args.seed + 102
        )
    else:
        split = data.split_by_source(
            pairs, fractions=(0.9, 0.1, 0.0), seed=args.seed
        )
        train_pairs, validation_pairs = split.train, split.validation
        if args.examples:
            train_pairs = train_pairs[: args.examples]
    if not validation_pairs:
        raise CommandError(
            f"--data {args.data}: too few pairs to hold out a validation "
            "set; give --validation."
        )
    old_pairs = old_train = None
    if args.old_data:
        old = _domain_pairs(
            args.old_data, translator, args, 2000, _DATES_TEST_SEED_OFFSET
        )
        if args.old_data.startswith("dates"):
            old_pairs, old_train = old[:1000], old[1000:]
        else:
            old_split = data.split_by_source(
                old, fractions=(0.8, 0.0, 0.2), seed=args.seed
            )
            old_pairs, old_train = old_split.test[:1000], old_split.train
    metric = (
        "exact" if translator.source_config["level"] == "character" else "bleu"
    )
    print(
        f"fine-tuning {args.from_model} on {len(train_pairs)} pairs of "
        f"{args.data} ({len(validation_pairs)} for validation); frozen: "
        f"{args.freeze or 'nothing'}"
    )
    result = finetune(
        translator,
        train_pairs,
        validation_pairs,
        old_pairs=old_pairs,
        old_train_pairs=old_train,
        freeze_parts=args.freeze,
        learning_rate=args.learning_rate,
        schedule=args.schedule,
        warmup_epochs=args.warmup_epochs,
        epochs=args.epochs,
        batch_size=args.batch_size,
        patience=args.patience,
        extend=args.extend_vocabulary,
        min_count=args.min_count,
        mix_old=args.mix_old,
        metric=metric,
        run_dir=args.out,
        seed=args.seed,
        max_oov=args.max_oov,
    )
    training.save_atomically(result.translator, args.out / "translator.keras")
    report = result.report
    (args.out / "finetune_report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    )
    print(
        f"new data: source OOV {report['source_oov']:.1%}, target OOV "
        f"{report['target_oov']:.1%}; added "
        f"{len(report['added_source_tokens'])} source and "
        f"{len(report['added_target_tokens'])} target tokens"
    )
    print(
        f"new domain: {_format_scores(report['new_before'])} -> "
        f"{_format_scores(report['new_after'])}"
    )
    if "old_after" in report:
        print(
            f"old domain: {_format_scores(report['old_before'])} -> "
            f"{_format_scores(report['old_after'])}"
        )
    print(
        f"saved {args.out / 'translator.keras'} and "
        f"{args.out / 'finetune_report.json'}"
    )
    return 0


def _train(args):
    import keras
    import tensorflow as tf

    from . import data, training
    from .metrics import evaluate_translator
    from .models import Seq2SeqAttention
    from .translator import Translator

    profile = training.choose_profile(args.profile)
    keras.utils.set_random_seed(args.seed)
    if profile.mixed_precision and tf.config.list_physical_devices("GPU"):
        keras.mixed_precision.set_global_policy("mixed_float16")
    pairs, level = _load_pairs(args.data, args)
    split = data.split_by_source(pairs, seed=args.seed)
    train_pairs = split.train
    limit = (
        args.examples
        if args.data != "dates" and args.examples
        else profile.max_train_examples
    )
    if limit is not None:
        train_pairs = train_pairs[:limit]
    split.save(args.out / "split")
    max_tokens = None if level == "character" else args.vocab_size
    source_vectorizer = data.make_vectorizer(
        [s for s, _ in train_pairs], level=level, max_tokens=max_tokens
    )
    target_vectorizer = data.make_vectorizer(
        [t for _, t in train_pairs], level=level, max_tokens=max_tokens
    )
    train_data = data.make_dataset(
        train_pairs,
        source_vectorizer,
        target_vectorizer,
        batch_size=profile.batch_size,
        seed=args.seed,
        buckets=4,
    )
    validation_data = data.make_dataset(
        split.validation,
        source_vectorizer,
        target_vectorizer,
        batch_size=profile.batch_size,
        shuffle=False,
    )
    print(
        f"{args.data}: {len(train_pairs)} training pairs, "
        f"{len(split.validation)} validation, {len(split.test)} test; "
        f"profile {profile.name}; {args.decoder} decoder, "
        f"{args.attention} attention"
    )

    def model_fn():
        return Seq2SeqAttention(
            source_vectorizer.vocabulary_size(),
            target_vectorizer.vocabulary_size(),
            embedding_dim=args.embedding_dim or profile.embedding_dim,
            units=args.units or profile.units,
            decoder=args.decoder,
            attention=args.attention,
            cell=args.cell,
        )

    training.train(
        model_fn,
        train_data,
        validation_data,
        epochs=args.epochs or profile.epochs,
        run_dir=args.out,
    )
    # the best validation loss
    best = keras.saving.load_model(args.out / "best.keras")
    translator = Translator(best, source_vectorizer, target_vectorizer)
    training.save_atomically(translator, args.out / "translator.keras")
    scores = evaluate_translator(
        translator,
        split.validation,
        metric="exact" if args.data == "dates" else "bleu",
        limit=1000,
    )
    print(
        f"saved {args.out / 'translator.keras'}; validation: "
        f"{_format_scores(scores)}"
    )
    return 0


def _format_scores(scores):
    names = {"bleu": "BLEU", "chrf": "chrF", "exact_match": "exact match"}
    parts = [
        f"{names[k]} "
        f"{scores[k] * 100 if k == 'exact_match' else scores[k]:.1f}"
        + ("%" if k == "exact_match" else "")
        for k in names
        if k in scores
    ]
    return ", ".join(parts) + f" on {scores['sentences']} sentences"


def _load_translator(path):
    import keras

    from .translator import Translator

    if not path.is_file():
        raise CommandError(
            f"--model {path}: no such file. Train one with: "
            "seq2seq-attention train ... --out DIR (it writes "
            "DIR/translator.keras)."
        )
    try:
        translator = keras.saving.load_model(path)
    except Exception as error:
        # a wrong or damaged file: say which, keep the cause for --debug
        raise CommandError(
            f"--model {path}: cannot load it as a Keras model "
            f"({type(error).__name__}: "
            f"{str(error).splitlines()[0][:200]})"
        ) from error
    if not isinstance(translator, Translator):
        raise CommandError(
            f"--model {path} holds a {type(translator).__name__}, not a "
            "Translator; use the translator.keras file that train "
            "writes, not best.keras."
        )
    return translator


def _translate(args):
    translator = _load_translator(args.model)
    texts = args.texts or [line.rstrip("\n") for line in sys.stdin]
    for result in translator.translate(
        texts,
        method=args.method,
        beam_size=args.beam_size,
        alpha=args.alpha,
        temperature=args.temperature,
        seed=args.seed,
    ):
        print(result.text)
        if args.show_tokens:
            print("  read: " + " ".join(result.source_tokens))
    return 0


def _export(args):
    from .export import export_translator

    translator = _load_translator(args.model)
    export_translator(translator, args.out, beam_size=args.beam_size)
    print(
        f"wrote {args.out}: load it with tf.saved_model.load and call "
        ".greedy(texts) or .beam(texts, alpha)"
    )
    return 0


def _evaluate(args):
    from . import data
    from .tasks import dates

    translator = _load_translator(args.model)
    path = Path(args.data)
    if args.data == "dates":
        pairs = dates.generate_dates(
            args.limit or 2000, seed=_DATES_TEST_SEED_OFFSET
        )
        metric = "exact"
    elif path.is_dir():
        pairs = getattr(data.Split.load(path), args.part)
        metric = (
            "exact"
            if translator.source_config["level"] == "character"
            else "bleu"
        )
    elif path.is_file():
        corpus = data.read_tsv(path)
        pairs = [
            (data.normalize(s), data.normalize(t)) for s, t in corpus.pairs
        ]
        metric = "bleu"
    else:
        raise CommandError(
            f"--data {args.data}: not 'dates', a split folder or a TSV file."
        )
    from .metrics import evaluate_translator

    scores = evaluate_translator(
        translator, pairs, metric=metric, limit=args.limit
    )
    print(_format_scores(scores))
    for translation, references in list(
        zip(scores["translations"], scores["references"])
    )[: args.examples]:
        print(
            f"  {translation.source}\n    -> {translation.text}\n    "
            f"reference: {' | '.join(references)}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    k: v
                    for k, v in scores.items()
                    if k not in ("translations", "references")
                },
                indent=2,
            )
            + "\n"
        )
    return 0


def main(argv=None):
    """Run the command line; returns the exit status."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    args = build_parser().parse_args(argv)
    command = {
        "train": _train,
        "finetune": _finetune,
        "translate": _translate,
        "evaluate": _evaluate,
        "export": _export,
    }[args.command]
    try:
        return command(args)
    except (
        CommandError,
        FileNotFoundError,
        ValueError,
        TypeError,
        UnicodeDecodeError,
    ) as error:
        if args.debug:
            raise
        print(
            f"seq2seq-attention {args.command}: error: {error}",
            file=sys.stderr,
        )
        return 2
