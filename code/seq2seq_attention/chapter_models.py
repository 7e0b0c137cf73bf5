"""The trained models that several chapters share: trained once, then loaded.

The training chapter (5.3) trains an English-dates translator with the
Luong decoder; the decoding (5.4) and fine-tuning (5.5) chapters work with
the same one. :func:`train_dates_translator` trains it and keeps a copy in
the cache folder; :func:`dates_translator` loads that copy when a chapter has
already trained it on this machine (same profile, same package version) and
otherwise trains it the same way. All three chapters build the task with
:func:`dates_data`. The Spanish -> English translator of the training and
decoding chapters comes from :func:`spanish_translator` the same way, or
from the finished run folder that ``$SEQ2SEQ_ATTENTION_BOOK_RUN`` names (the
website's pages).

The cache folder is ``$SEQ2SEQ_ATTENTION_CACHE``, else
``~/.cache/seq2seq_attention``; delete it to train again. (The tests give
each run of the suite its own folder.) A model is kept there only once it
is trained (an atomic rename), so an interrupted chapter leaves nothing
half-written.
"""

import os
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import keras

from . import __version__, data, recipes, training
from .models import Seq2SeqAttention
from .tasks import dates
from .translator import Translator

CACHE_VARIABLE = "SEQ2SEQ_ATTENTION_CACHE"
DATES = 10_000
"""How many dates the chapters generate (seed 0)."""


class DatesData(NamedTuple):
    """The dates task as the chapters use it."""

    split: data.Split
    source_vectorizer: keras.layers.TextVectorization
    target_vectorizer: keras.layers.TextVectorization
    train: object  # tf.data.Dataset of ((source, target_in), target_out)
    validation: object
    count: int  # the dates generated


def dates_data(profile, count=DATES):
    """``count`` English dates (seed 0), split by source (seed 0), character
    vectorizers learnt from the training split, and bucketed ``tf.data``
    pipelines at the profile's batch size.

    Example:
        >>> task = dates_data(training.PROFILES["quick"], count=100)
        >>> len(task.split.train), task.split.train[0][1][4]
        (80, '-')
    """
    split = data.split_by_source(dates.generate_dates(count, seed=0), seed=0)
    source = data.make_vectorizer(
        [s for s, _ in split.train], level="character"
    )
    target = data.make_vectorizer(
        [t for _, t in split.train], level="character"
    )
    train = data.make_dataset(
        split.train,
        source,
        target,
        batch_size=profile.batch_size,
        seed=0,
        buckets=4,
    )
    validation = data.make_dataset(
        split.validation,
        source,
        target,
        batch_size=profile.batch_size,
        shuffle=False,
    )
    return DatesData(split, source, target, train, validation, count)


def cache_folder():
    """``$SEQ2SEQ_ATTENTION_CACHE``, else ``~/.cache/seq2seq_attention``."""
    folder = os.environ.get(CACHE_VARIABLE)
    return (
        Path(folder)
        if folder
        else Path.home() / ".cache" / "seq2seq_attention"
    )


def cache_path(profile, decoder="luong", count=DATES):
    """Where the dates translator of these settings is kept.

    Example:
        >>> cache_path(training.PROFILES["quick"]).name
        'dates-luong-quick-10000-0.1.0.keras'
    """
    name = f"dates-{decoder}-{profile.name}-{count}-{__version__}.keras"
    return cache_folder() / name


def _load(path):
    print(f"loaded the translator the training chapter left:\n  {path.name}")
    return keras.saving.load_model(path)


def _keep(translator, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    training.save_atomically(translator, path)


def train_dates_translator(task, profile, decoder="luong", verbose=2):
    """Train a dates translator on ``task`` (:func:`dates_data`) with the
    profile's sizes and epochs, seeded, and keep a copy in the cache folder.
    Returns ``(translator, history, seconds)``.

    Example (a minute or two on a CPU; not run here)::

        profile = training.choose_profile()
        translator, history, seconds = train_dates_translator(
            dates_data(profile), profile
        )
    """
    keras.utils.set_random_seed(0)
    start = time.perf_counter()
    model, history = training.train(
        lambda: Seq2SeqAttention(
            task.source_vectorizer.vocabulary_size(),
            task.target_vectorizer.vocabulary_size(),
            embedding_dim=profile.embedding_dim,
            units=profile.units,
            decoder=decoder,
        ),
        task.train,
        task.validation,
        epochs=profile.epochs,
        run_dir=tempfile.mkdtemp(),
        verbose=verbose,
    )
    seconds = time.perf_counter() - start
    translator = Translator(
        model, task.source_vectorizer, task.target_vectorizer
    )
    _keep(translator, cache_path(profile, decoder, task.count))
    return translator, history, seconds


def dates_translator(profile, decoder="luong", count=DATES):
    """The dates translator that :func:`train_dates_translator` left in the
    cache folder, else one trained now the same way (and cached). Prints
    which.

    Example (trains for a minute or two the first time; not run here)::

        translator = dates_translator(training.choose_profile())
        translator.translate(["3 march 2001"])[0].text  # '2001-03-03'
    """
    path = cache_path(profile, decoder, count)
    if path.is_file():
        return _load(path)
    translator, _, seconds = train_dates_translator(
        dates_data(profile, count), profile, decoder, verbose=0
    )
    print(f"trained in {seconds:.0f} s and kept as\n  {path.name}")
    return translator


BOOK_RUN_VARIABLE = "SEQ2SEQ_ATTENTION_BOOK_RUN"
"""Names a finished :func:`~seq2seq_attention.recipes.train_translator` run
folder for the chapters to load instead of training (the site's pages load
the 20-minute run of ``benchmarks/bleu_budget.py --run-dir``)."""

CHAPTER_MINUTES = {"quick": 1.0, "full": 20}
"""The chapters' training budget per profile, in minutes of wall clock."""


def spanish_translator(split, profile, corpus, *, reuse=True):
    """The Spanish -> English translator that the chapters decode and score:
    the run folder named by ``$SEQ2SEQ_ATTENTION_BOOK_RUN`` if set; else
    (with ``reuse``) the one a chapter trained and kept in the cache folder
    (same corpus, profile and package version); else one trained now on
    ``split`` for the profile's :data:`CHAPTER_MINUTES` (1,000 pieces per
    language on the ``"sample"`` corpus, else the default 8,000) and kept.
    Prints which. The training chapter passes ``reuse=False``: it trains.

    Example (trains for minutes the first time; not run here)::

        corpus, which = data.load_spa_eng_or_sample(reverse=True)
        split = data.translation_split(corpus.pairs, seed=0)
        translator = spanish_translator(
            split, training.choose_profile(), which
        )
    """
    book_run = os.environ.get(BOOK_RUN_VARIABLE)
    if book_run:
        print(f"loaded the run in {Path(book_run).name}")
        return recipes.load_run(book_run)
    path = (
        cache_folder() / f"spanish-{corpus}-{profile.name}-{__version__}.keras"
    )
    if reuse and path.is_file():
        return _load(path)
    recipe = recipes.recipe_for(
        profile, vocab_size=1000 if corpus == "sample" else 8000
    )
    translator, history = recipes.train_translator(
        split.train,
        split.validation,
        recipe,
        run_dir=tempfile.mkdtemp(),
        time_budget=CHAPTER_MINUTES[profile.name],
        verbose=0,
        tensorboard=False,
    )
    _keep(translator, path)
    print(
        f"{history.budget.steps:,} steps in "
        f"{history.budget.wall_seconds / 60:.1f} minutes, best validation "
        f"loss {min(history.history['val_loss']):.2f}"
    )
    return translator
