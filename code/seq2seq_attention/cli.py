"""The command line:
``seq2seq-attention train | finetune | translate | evaluate | export``.

Examples::

    seq2seq-attention train --data dates --out runs/dates
    seq2seq-attention train --data spa-eng --out runs/spa-eng \
        --profile full --decoder luong
    seq2seq-attention train --data my_corpus.tsv --out runs/mine --reverse
    seq2seq-attention train --data spa-eng --out runs/words --tokens word \
        --vocab-size 5000 --time-budget 20
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

(``python -m seq2seq_attention`` is the same program.) ``train`` and
``finetune`` keep the run-folder contract of :mod:`seq2seq_attention.runs`:
run the same command again and an interrupted run resumes, a finished one
is left alone; other settings in the same folder are refused unless
``--overwrite``.

Errors: the package's own (:mod:`seq2seq_attention.errors`: bad data, a bad
model file, a bad argument, a run folder that cannot be used) and the
machine's (no space, a read-only folder, no permission) are one line on
standard error with exit status 2. Anything else is a bug of ours and
shows its traceback. ``--debug`` shows the traceback of every error.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import faulthandler
import os
import sys
from pathlib import Path

from . import commands, runs
from .attention import ATTENTION_SCORES
from .errors import Seq2SeqAttentionError

__all__ = ["build_parser", "main"]

# Errors of the machine, not of the program: the user can fix them.
_ENVIRONMENT = {
    errno.ENOSPC,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EIO,
    getattr(errno, "EDQUOT", errno.ENOSPC),
}


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


def _minutes(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of minutes, got {text!r}"
        ) from None
    if not value > 0:
        raise argparse.ArgumentTypeError(
            f"expected a positive number of minutes, got {value}"
        )
    return value


def _share(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a share between 0 and 1, got {text!r}"
        ) from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(
            f"expected a share between 0 and 1, got {value}"
        )
    return value


def _add_data_options(parser, what):
    """Options shared by the commands that read sentence pairs."""
    parser.add_argument(
        "--max-length",
        type=_positive,
        default=20,
        help="sentences: drop pairs with more words than this (default 20)",
    )
    parser.add_argument(
        "--reverse",
        action="store_true",
        help=f"{what}translate the second column into the first (not for "
        "the split files that train writes: they are source first)",
    )
    parser.add_argument(
        "--skip-bad-lines",
        action="store_true",
        help="skip malformed lines of a TSV file (and report how many) "
        "instead of stopping",
    )


def _add_run_folder(parser, holds):
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        help=f"run folder: {holds}; running the same command again resumes "
        "an interrupted run and leaves a finished one alone",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace a run with other settings that is in --out (its "
        "files are removed first)",
    )


def _add_train(commands_):
    train = commands_.add_parser(
        "train", help="train a translator and save it as OUT/translator.keras"
    )
    train.add_argument(
        "--data",
        required=True,
        help="'dates' (synthetic dates -> ISO 8601), 'spa-eng' (Tatoeba "
        "English-Spanish), 'spa-eng-sample' (its 400-pair offline sample), "
        "or a tab-separated file of 'source<TAB>target[<TAB>attribution]' "
        "lines",
    )
    _add_run_folder(
        train, "translator.keras, best.keras, the data split, TensorBoard logs"
    )
    train.add_argument(
        "--profile",
        choices=["quick", "full"],
        help="sizes for a CPU (quick) or a GPU (full); default: "
        "$SEQ2SEQ_ATTENTION_PROFILE, else full if a GPU is visible",
    )
    train.add_argument(
        "--time-budget",
        type=_minutes,
        metavar="MINUTES",
        help="stop training after this many minutes (the epoch in progress "
        "is validated and kept if best)",
    )
    train.add_argument(
        "--examples",
        type=_positive,
        help="dates: how many to generate (default 20000); corpora: most "
        "training pairs to use",
    )
    train.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed for data generation, split, shuffling, weights",
    )
    _add_data_options(train, "")
    train.add_argument(
        "--cache-dir",
        type=Path,
        help="where spa-eng.zip is downloaded (default: Keras' cache)",
    )
    _add_recipe_options(train)
    train.set_defaults(run=commands.train)


def _add_recipe_options(train):
    """The recipe's choices (:class:`~seq2seq_attention.recipes.Recipe`);
    left out, the recipe's defaults (dates: characters and its own)."""
    recipe = train.add_argument_group(
        "recipe", "default: the recipe's (seq2seq_attention.recipes)"
    )
    recipe.add_argument(
        "--tokens",
        choices=["subword", "word"],
        default="subword",
        help="sentences: SentencePiece subwords (default; cased, never "
        "unknown) or words (lower case; the teaching baseline). Dates are "
        "always read character by character",
    )
    recipe.add_argument(
        "--vocab-size",
        type=_positive,
        help="sentences: tokens per language, reserved ones included "
        "(default 8000)",
    )
    recipe.add_argument(
        "--decoder",
        choices=["luong", "bahdanau"],
        help="attention after the RNN (luong; default) or before each RNN "
        "step (bahdanau; the default for dates)",
    )
    recipe.add_argument(
        "--attention",
        choices=sorted(ATTENTION_SCORES),
        help="score function (default general; dates: additive)",
    )
    recipe.add_argument("--cell", choices=["gru", "lstm"])
    recipe.add_argument("--epochs", type=_positive, help="the profile's")
    recipe.add_argument(
        "--units", type=_positive, help="RNN and attention size"
    )
    recipe.add_argument(
        "--embedding-dim", type=_positive, help="embedding size"
    )


def _add_finetune_data(tune):
    tune.add_argument(
        "--data",
        required=True,
        help="the new domain: 'dates:DOMAIN' (e.g. dates:es, Spanish "
        "dates), or a TSV file",
    )
    tune.add_argument(
        "--validation",
        help="new-domain validation pairs (a TSV file); default: 10%% of "
        "--data",
    )
    tune.add_argument(
        "--old-data",
        help="the old domain ('dates', 'dates:DOMAIN', a TSV file, or the "
        "split folder train wrote): scored before and after to measure "
        "forgetting, and replayed with --mix-old",
    )
    tune.add_argument(
        "--mix-old",
        type=float,
        default=0.0,
        help="share of old-domain examples mixed into fine-tuning (needs "
        "--old-data; default 0)",
    )
    tune.add_argument(
        "--examples",
        type=_positive,
        help="dates: how many new examples to generate (default 1000); TSV: "
        "most training pairs",
    )
    tune.add_argument(
        "--max-oov",
        type=_share,
        help="refuse data with a larger share of unknown source tokens "
        "(default 0.5; columns that look swapped are refused too)",
    )
    _add_data_options(tune, "TSV: ")


def _add_finetune_training(tune):
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
        "--seed",
        type=int,
        default=0,
        help="seed for data, split, shuffling, mixing",
    )


def _add_finetune(commands_):
    tune = commands_.add_parser(
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
    _add_run_folder(
        tune, "translator.keras, finetune_report.json, checkpoints"
    )
    _add_finetune_data(tune)
    _add_finetune_training(tune)
    tune.set_defaults(run=commands.finetune_command)


def _add_translate(commands_):
    translate = commands_.add_parser(
        "translate",
        help="translate sentences given as arguments or on stdin (one per "
        "line, streamed; a line that fails gets its own error and an "
        "empty output line)",
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
    translate.set_defaults(run=commands.translate)


def _add_export(commands_):
    export = commands_.add_parser(
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
    export.set_defaults(run=commands.export)


def _add_evaluate(commands_):
    evaluate = commands_.add_parser(
        "evaluate", help="score a translator on held-out data"
    )
    evaluate.add_argument(
        "--model", required=True, type=Path, help="a translator.keras file"
    )
    evaluate.add_argument(
        "--data",
        required=True,
        help="a split folder written by train (OUT/split), 'dates', or a "
        "TSV file (read at the model's level: words or characters)",
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
    evaluate.add_argument(
        "--reverse",
        action="store_true",
        help="TSV: the model's source is the second column",
    )
    evaluate.add_argument(
        "--skip-bad-lines",
        action="store_true",
        help="TSV: skip malformed lines instead of stopping",
    )
    evaluate.add_argument(
        "--max-unknown",
        type=_share,
        help="refuse data with a larger share of unknown source tokens "
        "(default 0.5; columns that look swapped are refused too)",
    )
    evaluate.set_defaults(run=commands.evaluate)


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
    commands_ = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND"
    )
    for add in (_add_train, _add_finetune, _add_translate, _add_export):
        add(commands_)
    _add_evaluate(commands_)
    return parser


def _environmental(error):
    """An ``OSError`` that the machine caused (no space, read-only, no
    permission, an HDF5 lock), not a bug of ours."""
    return error.errno in _ENVIRONMENT or "unable to lock file" in str(error)


def _fail(command, message):
    print(f"seq2seq-attention {command}: error: {message}", file=sys.stderr)
    return 2


def main(argv=None):
    """Run the command line; returns the exit status."""
    if not faulthandler.is_enabled():
        # A crash in C code (HDF5, TensorFlow) then says where it happened.
        with contextlib.suppress(AttributeError, ValueError, OSError):
            faulthandler.enable()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    try:
        return args.run(args)
    except Seq2SeqAttentionError as error:
        if args.debug:
            raise
        return _fail(args.command, str(error).splitlines()[0])
    except BrokenPipeError:  # the reader stopped reading: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as error:
        if args.debug or not _environmental(error):
            raise
        # the file if the error names it, else the folder being written
        where = error.filename or getattr(args, "out", None)
        return _fail(args.command, runs.describe_os_error(error, where))
    except KeyboardInterrupt:
        if args.debug:
            raise
        message = "interrupted"
        if args.command in ("train", "finetune"):
            message += "; run the same command again to resume"
        print(f"seq2seq-attention {args.command}: {message}.", file=sys.stderr)
        return 130
