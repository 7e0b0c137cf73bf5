"""The command line's commands: what ``seq2seq-attention COMMAND`` does.

:mod:`seq2seq_attention.cli` parses the arguments and turns the package's
own errors into one-line messages; each function here takes the parsed
arguments and returns the exit status. ``train`` and ``finetune`` keep the
run-folder contract of :mod:`seq2seq_attention.runs`; ``evaluate`` and
``finetune`` check that the data fits the model
(:mod:`seq2seq_attention.familiarity`); ``translate`` streams standard
input line by line.
"""

from __future__ import annotations

import os
import select
import sys
import zipfile
from pathlib import Path

import keras
import tensorflow as tf

from . import data, familiarity, progress, recipes, runs, training
from .errors import ArgumentError, DataError, ModelFileError, RunFolderError
from .evaluation import evaluate_translator, format_scores
from .export import export_translator
from .finetune import PARTS, finetune
from .tasks import dates
from .translator import Translator

__all__ = ["evaluate", "export", "finetune_command", "train", "translate"]

DATES_TEST_SEED = 10_000
"""Held-out dates come from this seed (training uses ``--seed``)."""

SPLIT_RECORD = "split.json"


# -- Data ---------------------------------------------------------------------


def _is_split_file(path):
    """A file of a split folder written by ``train`` (source first)."""
    return (Path(path).parent / SPLIT_RECORD).is_file()


def read_pairs(path, option, *, reverse=False, skip_bad_lines=False):
    """The raw ``(source, target)`` pairs of a TSV file given as ``option``.

    ``reverse`` swaps the columns, except for the files of a split folder
    written by ``train``: those are already source first. Problems are
    one-line :class:`~seq2seq_attention.errors.DataError` messages that
    name the option and the fix.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(
            f"{option} {path}: no such file. Give 'dates', 'spa-eng' or a "
            "TSV file of 'source<TAB>target' lines."
        )
    if reverse and _is_split_file(path):
        print(
            f"note: {path} is a split file written by train (source first): "
            "--reverse does not apply to it",
            file=sys.stderr,
        )
        reverse = False
    errors = "skip" if skip_bad_lines else "raise"
    try:
        corpus = data.read_tsv(path, reverse=reverse, errors=errors)
    except data.MalformedLineError as error:
        problem = str(error).split(". Fix or delete the line")[0]
        raise DataError(
            f"{option} {problem}. Fix or delete the line, or pass "
            "--skip-bad-lines to skip malformed lines."
        ) from error
    if corpus.skipped:
        number, reason = corpus.skipped[0]
        print(
            f"note: skipped {len(corpus.skipped)} malformed lines of {path} "
            f"(first: line {number}: {reason})",
            file=sys.stderr,
        )
    if not corpus.pairs:
        what = "every line is malformed" if corpus.skipped else "it is empty"
        raise DataError(
            f"{option} {path} has no 'source<TAB>target' pairs: {what}."
        )
    return corpus.pairs


def _spa_eng(args):
    try:
        corpus = data.load_spa_eng(
            args.cache_dir, download=True, reverse=args.reverse
        )
    except data.CorpusNotFoundError as error:
        reason = str(error).splitlines()[0]
        raise DataError(
            f"--data spa-eng: {reason} Give --cache-dir a folder that holds "
            "spa-eng.zip, or use --data spa-eng-sample (the "
            f"{len(data.load_spa_eng_sample())}-pair sample in the package)."
        ) from error
    return corpus.pairs


def sentence_pairs(raw, max_length, spec, option="--data"):
    """Sentence pairs as the tokenizers read them: typography normalized
    (:func:`~seq2seq_attention.data.normalize_text`; each tokenizer does the
    rest itself), 1 to ``max_length`` words on both sides, no duplicates."""
    pairs = [(data.normalize_text(s), data.normalize_text(t)) for s, t in raw]
    pairs = data.deduplicate(data.filter_by_length(pairs, max_length))
    if not pairs:
        raise DataError(
            f"{option} {spec}: no pair has 1 to {max_length} words on both "
            "sides; raise --max-length."
        )
    return pairs


def training_pairs(args):
    """``--data`` of ``train`` as pairs, and their token level."""
    spec = args.data
    if spec == "dates":
        count = args.examples or 20_000
        return dates.generate_dates(count, seed=args.seed), "character"
    if spec == "spa-eng":
        raw = _spa_eng(args)
    elif spec == "spa-eng-sample":
        raw = data.load_spa_eng_sample(reverse=args.reverse).pairs
    else:
        raw = read_pairs(
            spec,
            "--data",
            reverse=args.reverse,
            skip_bad_lines=args.skip_bad_lines,
        )
    return sentence_pairs(raw, args.max_length, spec), args.tokens


def split_for_training(pairs, args):
    """The seeded train/validation/test split, refused if a part that
    training needs is empty (before anything is written)."""
    split = data.split_by_source(pairs, seed=args.seed)
    if not split.train or not split.validation:
        distinct = len({s for s, _ in pairs})
        plural = "" if distinct == 1 else "s"
        raise DataError(
            f"--data {args.data}: {distinct} distinct pair{plural} after "
            "removing duplicates and long sentences; training needs at "
            "least 3 (train, validation and test)."
        )
    return split


def _save_split(split, folder):
    """Write the split folder completely or not at all (an equal one that
    is already there is kept)."""
    folder = Path(folder)
    if (folder / SPLIT_RECORD).is_file():
        try:
            if data.Split.load(folder) == split:
                return
        except (ValueError, OSError):
            pass  # damaged or different: replaced below
    temporary = runs.temporary_path(folder)
    try:
        split.save(temporary)
        for path in temporary.iterdir():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
        runs.replace_folder(temporary, folder)
    except OSError as error:
        raise runs.WriteError(
            runs.describe_os_error(error, folder, "write the split")
        ) from error
    finally:
        runs.remove_folder(temporary)


# -- Models -------------------------------------------------------------------


def _check_archive(path, option):
    size = path.stat().st_size
    broken = (
        f"{option} {path}: cannot load it as a Keras model: it is not a "
        f"complete .keras file (damaged or truncated? {size} bytes)"
    )
    if not zipfile.is_zipfile(path):
        raise ModelFileError(
            f"{broken}; use the translator.keras that train writes, or "
            "copy it again."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            damaged = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ModelFileError(f"{broken}: {error}.") from error
    if damaged is not None:
        raise ModelFileError(f"{broken}: {damaged} is damaged.")
    if "config.json" not in names:
        raise ModelFileError(
            f"{option} {path}: a zip file, but not a Keras model (no "
            "config.json inside)."
        )


def load_translator(path, option="--model"):
    """The :class:`Translator` in ``path``, or a one-line
    :class:`~seq2seq_attention.errors.ModelFileError` saying what is wrong
    with the file (missing, damaged, not a translator)."""
    path = Path(path)
    if path.is_dir() and (path / "translator.keras").is_file():
        raise ModelFileError(
            f"{option} {path} is a run folder: give the model file, "
            f"{path / 'translator.keras'}."
        )
    if not path.is_file():
        raise ModelFileError(
            f"{option} {path}: no such file. Train one with: "
            "seq2seq-attention train ... --out DIR (it writes "
            "DIR/translator.keras)."
        )
    _check_archive(path, option)
    try:
        translator = keras.saving.load_model(path, compile=False)
    except (ValueError, TypeError, KeyError, OSError) as error:
        # A file from another program or version; the cause stays for --debug.
        first = str(error).splitlines()[0][:200] if str(error) else ""
        raise ModelFileError(
            f"{option} {path}: cannot load it as a Keras model "
            f"({type(error).__name__}: {first})"
        ) from error
    if not isinstance(translator, Translator):
        raise ModelFileError(
            f"{option} {path} holds a {type(translator).__name__}, not a "
            "Translator; use the translator.keras file that train writes, "
            "not best.keras."
        )
    return translator


def _reference_rate(model_path):
    """The unknown-token rate of the model's own test split, if its run
    folder recorded it."""
    try:
        manifest = runs.read_manifest(Path(model_path).parent)
    except RunFolderError:
        return None
    return (manifest or {}).get("test_unknown_rate")


def check_familiar(translator, pairs, name, *, model_path, max_unknown):
    """Refuse or warn about data the model cannot read (see
    :func:`seq2seq_attention.familiarity.check_texts`)."""
    found = familiarity.check_texts(
        translator,
        [s for s, _ in pairs],
        name=name,
        reference=_reference_rate(model_path),
        other_column=[t for _, t in pairs],
        refuse_above=familiarity.REFUSE_ABOVE
        if max_unknown is None
        else max_unknown,
        refuse_swapped=max_unknown is None,
        override="pass --max-unknown 1 to go on anyway",
    )
    if found.verdict == "refuse":
        raise DataError(found.message)
    if found.verdict == "warn":
        print(f"warning: {found.message}", file=sys.stderr)
    return found.rate


def score(translator, pairs, metric="auto", limit=None):
    """:func:`~seq2seq_attention.evaluation.evaluate_translator` (a seeded
    random sample of ``limit`` sources) with a progress bar on a terminal
    for long inputs."""
    total = len({s for s, _ in pairs})
    if limit is not None:
        total = min(total, limit)
    with progress.bar(total, "translating") as bar:
        return evaluate_translator(
            progress.with_progress(translator, bar),
            pairs,
            metric=metric,
            limit=limit,
        )


# -- train --------------------------------------------------------------------


DATES_RECIPE = dict(
    tokens="character",
    vocab_size=None,
    decoder="bahdanau",
    attention="additive",
    dropout=0.0,
    label_smoothing=0.0,
    clipnorm=None,
    learning_rate=1e-3,
    warmup_steps=0,
    max_tokens=None,
    epochs=5,
)
"""How ``train --data dates`` changes the recipe: the course's first task,
measured at 99% exact match in the quick profile
(``tests/test_dates_quick_run.py``). Five epochs: on 1,000 held-out dates
the quick profile's translator reached 92.5, 98.8, 99.6, 99.7 and 99.8 %
exact match after epochs 3, 4, 5, 6 and 8; the last three epochs of eight
bought 0.2 points for 3/8 of the time."""


def training_recipe(args, profile, level):
    """The :class:`~seq2seq_attention.recipes.Recipe` that ``args`` ask for:
    the profile's sizes, the dates changes for dates, then the options
    given on the command line."""
    changes = dict(DATES_RECIPE) if level == "character" else {"tokens": level}
    for name in ("decoder", "attention", "cell", "epochs", "units"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if args.embedding_dim is not None:
        changes["embedding_dim"] = args.embedding_dim
    if args.vocab_size is not None and level != "character":
        changes["vocab_size"] = args.vocab_size
    return recipes.recipe_for(profile, seed=args.seed, **changes)


def _train_settings(args, profile, recipe):
    """What decides a train run's result: the recipe's fields and the
    data options (the data itself is fingerprinted)."""
    return recipe.to_dict() | {
        "profile": profile.name,
        "examples": args.examples,
        "max_words": args.max_length,  # --max-length (the recipe's: tokens)
        "reverse": args.reverse,
        "time_budget": args.time_budget,
    }


def _train_in(run, args, split, train_pairs, recipe):
    """Train in the locked run folder ``run``; returns the translator."""
    _save_split(split, args.out / "split")
    translator, _ = recipes.train_translator(
        train_pairs,
        split.validation,
        recipe,
        run_dir=args.out,
        time_budget=args.time_budget,
        verbose=1,
        keep_backup=True,
    )
    runs.save_model(translator, args.out / "translator.keras", "model")
    rate = None
    if split.test:
        sources = [s for s, _ in split.test]
        rate = familiarity.unknown_rate(translator, sources)
    run.finish(test_unknown_rate=rate)
    return translator


def _random_subset(pairs, limit, seed, what, asked=True):
    """A seeded random sample of ``limit`` pairs (corpus files are sorted by
    length: their first rows are the shortest), saying how many were used
    when that is not all of them or not what was asked."""
    if limit is None or limit == len(pairs):
        return pairs
    if limit > len(pairs) and not asked:  # a profile's cap: nothing to say
        return pairs
    chosen = data.sample_pairs(pairs, limit, seed=seed)
    note = "" if limit < len(pairs) else f" (asked for {limit:,})"
    print(f"{what}: a random {len(chosen):,} of {len(pairs):,} pairs{note}")
    return chosen


def train(args):
    """``seq2seq-attention train``: see :mod:`seq2seq_attention.cli`."""
    profile = training.choose_profile(args.profile)
    if profile.mixed_precision and tf.config.list_physical_devices("GPU"):
        keras.mixed_precision.set_global_policy("mixed_float16")
    pairs, level = training_pairs(args)
    split = split_for_training(pairs, args)
    limit = profile.max_train_examples
    if args.data != "dates" and args.examples:
        limit = args.examples
    train_pairs = _random_subset(
        split.train, limit, args.seed, "training", asked=limit == args.examples
    )
    recipe = training_recipe(args, profile, level)
    with runs.RunFolder(args.out, "train") as run:
        state = run.start(
            _train_settings(args, profile, recipe),
            data=runs.fingerprint(pairs),
            command=args.argv,
            overwrite=args.overwrite,
        )
        if state == "finished":
            print(
                f"{args.out}: this run is finished "
                f"({args.out / 'translator.keras'}); nothing to do. Pass "
                "--overwrite to train it again."
            )
            return 0
        print(  # two short lines: they fit a terminal and the book
            f"{Path(args.data).name}: {len(train_pairs)} training pairs, "
            f"{len(split.validation)} validation, {len(split.test)} test\n"
            f"profile {profile.name}; {recipe.tokens} tokens, "
            f"{recipe.decoder} decoder, {recipe.attention} attention"
            + ("; resuming the interrupted run" if state == "resume" else "")
        )
        translator = _train_in(run, args, split, train_pairs, recipe)
    scores = score(translator, split.validation, "auto", limit=1000)
    print(f"saved {args.out / 'translator.keras'}")  # a path: any length
    print("validation:")
    print(format_scores(scores))
    return 0


# -- finetune -----------------------------------------------------------------


def _domain_pairs(spec, translator, args, count, seed, option):
    """Pairs for --data/--old-data/--validation, prepared for the model."""
    character = translator.source_config["level"] == "character"
    if spec == "dates" or spec.startswith("dates:"):
        domain = spec.partition(":")[2] or "en"
        if domain not in dates.DOMAINS:
            known = ", ".join(sorted(dates.DOMAINS))
            raise ArgumentError(
                f"{option} {spec}: unknown date domain {domain!r}; known: "
                f"{known}."
            )
        if not character:
            level = translator.source_config["level"]
            raise ArgumentError(
                f"{option} {spec}: the dates task is character-level but "
                f"this model reads {level}s; use sentence pairs (a TSV file)."
            )
        return dates.generate_dates(count, seed=seed, domain=domain)
    path = Path(spec)
    if path.is_dir() and (path / SPLIT_RECORD).is_file():
        path = path / "test.tsv"  # a split folder: its held-out part
    raw = read_pairs(
        path, option, reverse=args.reverse, skip_bad_lines=args.skip_bad_lines
    )
    if character:
        return list(raw)
    return sentence_pairs(raw, args.max_length, spec, option)


def _check_finetune_arguments(args):
    """The combinations argparse cannot check, before any work is done."""
    parts = [p for p in args.freeze.split(",") if p]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise ArgumentError(
            f"--freeze: cannot freeze {unknown}: choose among {list(PARTS)} "
            "(comma-separated)."
        )
    clash = [p for p in ("embeddings", "decoder") if p in parts]
    if args.extend_vocabulary and clash:
        raise ArgumentError(
            "--extend-vocabulary adds embedding rows and output columns that "
            f"must learn, but --freeze holds {', '.join(clash)}: freeze "
            "fewer parts, or do not extend the vocabulary."
        )
    if not 0.0 <= args.mix_old < 1.0:
        raise ArgumentError(
            f"--mix-old is the share of old examples, in [0, 1); got "
            f"{args.mix_old}."
        )
    if args.mix_old and not args.old_data:
        raise ArgumentError(
            "--mix-old replays old-domain examples: give them with --old-data."
        )
    if args.learning_rate <= 0 or args.warmup_epochs < 0:
        raise ArgumentError(
            "--learning-rate must be positive and --warmup-epochs at least 0."
        )


def _check_finetune_out(args):
    """--out must not hold the --from model (fine-tuning writes there)."""
    source = args.from_model.resolve()
    out = args.out.resolve()
    if source.is_relative_to(out):
        raise ArgumentError(
            f"--out {args.out} holds the --from model ({args.from_model}), "
            "which must stay as it is: give another --out folder."
        )


def _finetune_data(args, translator):
    """(train, validation, old test, old train) pairs for fine-tuning."""
    is_dates = args.data.startswith("dates")
    count = args.examples or 1000
    pairs = _domain_pairs(
        args.data, translator, args, count, args.seed + 101, "--data"
    )
    if args.validation:
        validation = _domain_pairs(
            args.validation, translator, args, 0, 0, "--validation"
        )
        train_pairs = pairs
    elif is_dates:  # fresh dates from another seed: never seen in training
        train_pairs = pairs
        validation = _domain_pairs(
            args.data, translator, args, 200, args.seed + 102, "--data"
        )
    else:
        split = data.split_by_source(
            pairs, fractions=(0.9, 0.1, 0.0), seed=args.seed
        )
        train_pairs, validation = split.train, split.validation
        if args.examples:
            train_pairs = _random_subset(
                train_pairs, args.examples, args.seed, "fine-tuning"
            )
    if not validation:
        raise DataError(
            f"--data {args.data}: too few pairs to hold out a validation "
            "set; give --validation."
        )
    old_pairs = old_train = None
    if args.old_data:
        old_pairs, old_train = _old_domain(args, translator)
    return train_pairs, validation, old_pairs, old_train


def _old_domain(args, translator):
    spec = args.old_data
    old = _domain_pairs(
        spec, translator, args, 2000, DATES_TEST_SEED, "--old-data"
    )
    if spec.startswith("dates"):
        return old[:1000], old[1000:]
    path = Path(spec)
    folder = path if path.is_dir() else path.parent
    if (folder / SPLIT_RECORD).is_file():
        # Held out by train already: score all of it, replay its train part.
        replay = folder / "train.tsv"
        old_train = None
        if args.mix_old and replay.is_file():
            old_train = _domain_pairs(
                str(replay), translator, args, 0, 0, "--old-data"
            )
        return old, old_train
    old_split = data.split_by_source(
        old, fractions=(0.8, 0.0, 0.2), seed=args.seed
    )
    return old_split.test[:1000], old_split.train


def _finetune_settings(args):
    settings = {
        key: value
        for key, value in vars(args).items()
        if key not in ("out", "debug", "overwrite", "argv", "command", "run")
    }
    settings["from_model"] = runs.file_digest(args.from_model)
    return settings


def finetune_command(args):
    """``seq2seq-attention finetune``: see :mod:`seq2seq_attention.cli`."""
    _check_finetune_arguments(args)
    translator = load_translator(args.from_model, "--from")
    _check_finetune_out(args)
    train_pairs, validation, old_pairs, old_train = _finetune_data(
        args, translator
    )
    check_familiar(
        translator,
        train_pairs,
        f"--data {args.data}",
        model_path=args.from_model,
        max_unknown=args.max_oov,
    )
    if old_pairs:
        check_familiar(
            translator,
            old_pairs,
            f"--old-data {args.old_data}",
            model_path=args.from_model,
            max_unknown=args.max_oov,
        )
    outputs = ("translator.keras", "finetune_report.json")
    with runs.RunFolder(args.out, "finetune", outputs=outputs) as run:
        state = run.start(
            _finetune_settings(args),
            data=runs.fingerprint(train_pairs + validation),
            command=args.argv,
            overwrite=args.overwrite,
        )
        if state == "finished":
            print(
                f"{args.out}: this fine-tuning run is finished; nothing to "
                "do. Pass --overwrite to run it again."
            )
            return 0
        report = _run_finetune(
            args, translator, train_pairs, validation, old_pairs, old_train
        )
        run.finish()
    _print_report(args, report)
    return 0


def _run_finetune(args, translator, train_pairs, validation, old, old_train):
    metric = "exact"
    if translator.source_config["level"] != "character":
        metric = "bleu"
    print(
        f"fine-tuning {args.from_model} on {len(train_pairs)} pairs of "
        f"{args.data} ({len(validation)} for validation); frozen: "
        f"{args.freeze or 'nothing'}"
    )
    result = finetune(
        translator,
        train_pairs,
        validation,
        old_pairs=old,
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
        max_oov=1.0,  # checked with the others: check_familiar
        verbose=1,
        keep_backup=True,
    )
    runs.save_model(result.translator, args.out / "translator.keras")
    runs.atomic_write_json(
        args.out / "finetune_report.json", result.report, "report"
    )
    return result.report


def _headline(scores):
    """The first line of :func:`~seq2seq_attention.evaluation.format_scores`
    (the scores, without the signatures)."""
    return format_scores(scores).splitlines()[0]


def _print_report(args, report):
    print(
        f"new data: source OOV {report['source_oov']:.1%}, target OOV "
        f"{report['target_oov']:.1%}; added "
        f"{len(report['added_source_tokens'])} source and "
        f"{len(report['added_target_tokens'])} target tokens"
    )
    print(
        f"new domain: {_headline(report['new_before'])} -> "
        f"{_headline(report['new_after'])}"
    )
    if "old_after" in report:
        print(
            f"old domain: {_headline(report['old_before'])} -> "
            f"{_headline(report['old_after'])}"
        )
    print(
        f"saved {args.out / 'translator.keras'} and "
        f"{args.out / 'finetune_report.json'}"
    )


# -- evaluate -----------------------------------------------------------------


def _evaluation_pairs(args, translator):
    """The pairs to score and the metric, read as the model reads text."""
    character = translator.source_config["level"] == "character"
    path = Path(args.data)
    if args.data == "dates":
        if not character:
            level = translator.source_config["level"]
            raise ArgumentError(
                "--data dates: the dates task is character-level but this "
                f"model reads {level}s; evaluate it on sentence pairs (a TSV "
                "file, or the split folder its train run wrote)."
            )
        return dates.generate_dates(args.limit or 2000, seed=DATES_TEST_SEED)
    if path.is_dir():
        if not (path / SPLIT_RECORD).is_file():
            raise DataError(
                f"--data {path}: a folder, but not a split folder written "
                f"by train (no {SPLIT_RECORD})."
            )
        if args.reverse:
            raise ArgumentError(
                f"--reverse: {path} is a split folder written by train, "
                "already source first; drop --reverse."
            )
        try:
            return getattr(data.Split.load(path), args.part)
        except data.HashMismatchError as error:
            raise DataError(f"--data {path}: {error}") from error
    if not path.is_file():
        raise DataError(
            f"--data {args.data}: not 'dates', a split folder or a TSV file."
        )
    raw = read_pairs(
        path,
        "--data",
        reverse=args.reverse,
        skip_bad_lines=args.skip_bad_lines,
    )
    if character:  # as the split folder holds them: raw text
        return list(raw)
    # As train reads text: each tokenizer normalizes the sources itself, and
    # the references are scored as written (cased BLEU).
    return [(data.normalize_text(s), data.normalize_text(t)) for s, t in raw]


def _drop_too_long(translator, pairs):
    lengths = familiarity.source_lengths(translator, [s for s, _ in pairs])
    limit = translator.max_source_tokens
    kept = [p for p, n in zip(pairs, lengths, strict=True) if n <= limit]
    if len(kept) < len(pairs):
        print(
            f"note: left out {len(pairs) - len(kept)} pairs whose source has "
            f"more than the model's {limit} tokens",
            file=sys.stderr,
        )
    return kept


def evaluate(args):
    """``seq2seq-attention evaluate``: see :mod:`seq2seq_attention.cli`."""
    translator = load_translator(args.model)
    pairs = _drop_too_long(translator, _evaluation_pairs(args, translator))
    if not pairs:
        raise DataError(f"--data {args.data}: no pairs to evaluate.")
    check_familiar(
        translator,
        pairs,
        f"--data {args.data}",
        model_path=args.model,
        max_unknown=args.max_unknown,
    )
    scores = score(translator, pairs, "auto", args.limit)
    print(format_scores(scores))
    shown = list(zip(scores["translations"], scores["references"]))
    for translation, references in shown[: args.examples]:
        print(
            f"  {translation.source}\n    -> {translation.text}\n"
            f"    reference: {' | '.join(references)}"
        )
    if args.json:
        numbers = {
            k: v
            for k, v in scores.items()
            if k not in ("translations", "references")
        }
        runs.atomic_write_json(args.json, numbers, "scores")
    return 0


# -- translate ----------------------------------------------------------------


def _stdin_lines():
    """``(number, text, problem)`` for each line of standard input, read
    as it comes; bad UTF-8 is a problem of its line, not of the input."""
    stream = sys.stdin
    if stream is None or getattr(stream, "closed", False):
        raise ArgumentError(
            "no sentences: give them as arguments, or one per line on "
            "standard input (standard input is closed)."
        )
    if stream.isatty():
        print(
            "reading sentences from standard input, one per line "
            "(Ctrl-D to end)",
            file=sys.stderr,
        )
    binary = getattr(stream, "buffer", None)
    reader = binary if binary is not None else stream
    number = 0
    for line in iter(reader.readline, b"" if binary is not None else ""):
        number += 1
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as error:
                byte = line[error.start : error.start + 1]
                yield (
                    number,
                    "",
                    (
                        f"not valid UTF-8 (byte {byte!r} at column "
                        f"{error.start + 1}); save the input as UTF-8"
                    ),
                )
                continue
        if number == 1:
            line = line.removeprefix("\ufeff")
        yield number, line.rstrip("\r\n"), None


def _more_ready(stream):
    """Is more standard input available right now? (Then it is worth
    waiting for, to translate a whole batch at once.)"""
    try:
        ready, _, _ = select.select([stream], [], [], 0)
    except (OSError, ValueError, TypeError):
        return True  # not a file descriptor (e.g. a test's StringIO)
    return bool(ready)


def _batches(lines, size, stream):
    """Group ``lines`` into batches of at most ``size``, ending a batch
    early when no more input is ready (so output follows input)."""
    batch = []
    for item in lines:
        batch.append(item)
        if len(batch) >= size or (
            stream is not None and not _more_ready(stream)
        ):
            yield batch
            batch = []
    if batch:
        yield batch


def _line_problems(translator, batch):
    """The batch with a problem for each line the model cannot take."""
    texts = [text for _, text, problem in batch if problem is None]
    lengths = iter(familiarity.source_lengths(translator, texts))
    limit = translator.max_source_tokens
    checked = []
    for number, text, problem in batch:
        if problem is None:
            tokens = next(lengths)
            if tokens > limit:
                problem = (
                    f"{tokens} tokens, more than the model's limit of "
                    f"{limit}; split it into sentences"
                )
        checked.append((number, text, problem))
    return checked


def translate(args):
    """``seq2seq-attention translate``: see :mod:`seq2seq_attention.cli`."""
    translator = load_translator(args.model)
    if args.texts:
        what = "argument"
        lines = ((i, t, None) for i, t in enumerate(args.texts, start=1))
        stream = None
    else:
        what = "line"
        lines = _stdin_lines()
        stream = sys.stdin
    options = dict(
        method=args.method,
        beam_size=args.beam_size,
        alpha=args.alpha,
        temperature=args.temperature,
        seed=args.seed,
    )
    failed = 0
    with progress.bar(_input_size(args), "translating") as bar:
        for batch in _batches(lines, 64, stream):
            batch = _line_problems(translator, batch)
            good = [text for _, text, problem in batch if problem is None]
            results = iter(translator.translate(good, **options))
            for number, _, problem in batch:
                if problem is not None:
                    failed += 1
                    print(f"{what} {number}: {problem}", file=sys.stderr)
                    print()
                    continue
                result = next(results)
                print(result.text)
                if args.show_tokens:
                    print("  read: " + " ".join(result.source_tokens))
            sys.stdout.flush()
            bar.advance(len(batch))
    return 2 if failed else 0


def _input_size(args):
    """How many sentences there are, when it is known in advance."""
    if args.texts:
        return len(args.texts)
    return 0  # a stream: no bar


# -- export -------------------------------------------------------------------


def export(args):
    """``seq2seq-attention export``: see :mod:`seq2seq_attention.cli`."""
    translator = load_translator(args.model)
    export_translator(translator, args.out, beam_size=args.beam_size)
    print(
        f"wrote {args.out}: load it with tf.saved_model.load and call "
        ".greedy(texts) or .beam(texts, alpha)"
    )
    return 0
