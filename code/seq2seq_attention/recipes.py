"""The training recipe: from sentence pairs to a saved translator, in one call.

:func:`train_translator` is the recipe the command line, the chapters and
the benchmarks all use, so that there is one way to train a translator:

1. **tokenizers** trained on the training pairs only
   (:func:`~seq2seq_attention.data.tokenizers.train_tokenizer`: SentencePiece
   subwords by default, words or characters on request);
2. **datasets**: training pairs longer than ``max_length`` tokens dropped;
   batches of about ``max_tokens`` tokens with length bucketing
   (:func:`~seq2seq_attention.data.make_dataset`), shuffled with the seed;
3. **model**: :class:`~seq2seq_attention.models.Seq2SeqAttention` with the
   recipe's sizes, dropout and output head;
4. **fit** (:func:`~seq2seq_attention.training.train`): masked
   cross-entropy (optionally label-smoothed), Adam (optionally with gradient
   clipping) with a warm-up then inverse-square-root learning rate
   (:class:`~seq2seq_attention.schedules.WarmupInverseSqrt`) and a moving
   average of the weights (:class:`~seq2seq_attention.averaging.AveragedAdam`),
   early stopping and an atomic best checkpoint on the validation loss of
   that average, resumable, and optionally a wall-clock **time budget**
   (:class:`~seq2seq_attention.training.TimeBudget`);
5. the best checkpoint (the averaged weights) wrapped with the tokenizers
   as a :class:`~seq2seq_attention.translator.Translator`.

:class:`Recipe` holds every choice, with the defaults measured on
Spanish -> English on a 2-core CPU (``benchmarks/bleu_budget.py``, whose
results are in ``benchmarks/results/bleu_budget.json``). :func:`recipe_for`
adapts it to a profile (``quick``/``full``).

Example (a smoke run on the shipped 400-pair sample; not run here)::

    from seq2seq_attention import data, recipes

    pairs = data.load_spa_eng_sample(reverse=True).pairs  # Spanish -> English
    split = data.split_by_source(pairs, seed=0)
    translator, history = recipes.train_translator(
        split.train, split.validation, run_dir="runs/sample", time_budget=2
    )
    translator.translate(["¿Dónde está el baño?"])[0].text
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import keras

from . import training
from .averaging import AveragedAdam
from .data.pipeline import make_dataset
from .data.tokenizers import LEVELS, tokenizer_from_config, train_tokenizer
from .metrics import masked_loss
from .models import Seq2SeqAttention
from .schedules import WarmupInverseSqrt
from .translator import Translator

__all__ = ["Recipe", "load_run", "recipe_for", "train_translator"]


@dataclasses.dataclass(frozen=True)
class Recipe:
    """Every choice that decides how a translator is trained.

    The defaults are the best recipe measured for Spanish -> English in
    10- and 20-minute budgets on a 2-core CPU (``benchmarks/bleu_budget.py``).
    """

    tokens: str = "subword"  # "subword", "word" or "character"
    vocab_size: int | None = 8000  # per language; None: every token
    decoder: str = "luong"
    attention: str = "general"
    cell: str = "gru"
    combine: str = "layer_norm"
    embedding_dim: int = 256
    units: int = 256
    # Off, as measured in 20-minute runs (bleu_budget.py, validation greedy
    # BLEU): label smoothing 0.1 gave 50.8 against 51.2 (its steps are 9 %
    # slower), with dropout 0.1 as well 49.4. In under three epochs the
    # model is not yet where they pay. Clipping the gradient norm at 1.0
    # was neutral: 55.6 against 55.1 validation with 5 % more steps, 53.6
    # against 53.7 on the test set (row clip1-20min, same day).
    dropout: float = 0.0
    label_smoothing: float = 0.0
    clipnorm: float | None = None
    # Translate with a moving average of the weights (AveragedAdam: its
    # momentum warms up as min(m, (1 + t) / (10 + t))); None: the last
    # weights. On snapshots of a 20-minute bleu_budget.py run: 51.3
    # validation BLEU against 49.5 for the weights it averaged.
    ema_momentum: float | None = 0.999
    learning_rate: float = 2e-3  # the peak, after the warm-up
    warmup_steps: int = 400
    max_tokens: int | None = 2000  # tokens per batch; None: batch_size
    batch_size: int = 64
    max_length: int = 64  # longest training sentence, in tokens
    epochs: int = 30
    patience: int = 3
    seed: int = 0

    def __post_init__(self):
        if self.tokens not in LEVELS:
            raise ValueError(
                f"tokens must be one of {LEVELS}; got {self.tokens!r}."
            )

    def to_dict(self):
        """The recipe as a JSON-able dict (for run manifests and reports)."""
        return dataclasses.asdict(self)


def recipe_for(profile, **changes):
    """The default :class:`Recipe` with a profile's sizes
    (:data:`~seq2seq_attention.training.PROFILES`), then ``changes``.

    Example:
        >>> from seq2seq_attention.training import PROFILES
        >>> recipe = recipe_for(PROFILES["quick"], tokens="character")
        >>> recipe.units, recipe.epochs, recipe.tokens
        (128, 8, 'character')
    """
    sizes = dict(
        embedding_dim=profile.embedding_dim,
        units=profile.units,
        batch_size=profile.batch_size,
        epochs=profile.epochs,
    )
    return dataclasses.replace(Recipe(), **(sizes | changes))


def _tokenizers(train_pairs, recipe, run_dir):
    """Train both tokenizers, or reload them from a run being resumed (a
    resumed run must read the data exactly as before)."""
    path = Path(run_dir) / "tokenizers.json"
    if path.is_file():
        configs = json.loads(path.read_text(encoding="utf-8"))
        return tuple(tokenizer_from_config(c) for c in configs)
    vocab_size = None if recipe.tokens == "character" else recipe.vocab_size
    tokenizers = tuple(
        train_tokenizer(texts, level=recipe.tokens, vocab_size=vocab_size)
        for texts in ([s for s, _ in train_pairs], [t for _, t in train_pairs])
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(
        json.dumps([t.get_config() for t in tokenizers]), encoding="utf-8"
    )
    temporary.replace(path)
    return tokenizers


def load_run(run_dir):
    """The translator that a finished :func:`train_translator` run left in
    ``run_dir``: its best checkpoint with its tokenizers.

    Example (``runs/sample`` from the module example; not run here)::

        translator = load_run("runs/sample")
        translator.translate(["Hola."])[0].text
    """
    run_dir = Path(run_dir)
    model_file, tokenizer_file = (
        run_dir / "best.keras",
        run_dir / "tokenizers.json",
    )
    for path in (model_file, tokenizer_file):
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} is missing: {run_dir} does not hold a finished "
                "train_translator run; train one first."
            )
    configs = json.loads(tokenizer_file.read_text(encoding="utf-8"))
    model = keras.saving.load_model(model_file, compile=False)
    return Translator(model, *(tokenizer_from_config(c) for c in configs))


def _within_length(pairs, tokenizers, max_length):
    """The pairs whose two sides have at most ``max_length`` tokens."""
    source, target = tokenizers
    lengths = zip(
        map(len, source.encode([s for s, _ in pairs])),
        map(len, target.encode([t for _, t in pairs])),
    )
    return [
        pair
        for pair, (n, m) in zip(pairs, lengths)
        if 0 < n <= max_length and 0 < m <= max_length
    ]


def _optimizer(recipe):
    def make():
        rate = recipe.learning_rate
        if recipe.warmup_steps:
            rate = WarmupInverseSqrt(rate, recipe.warmup_steps)
        if recipe.ema_momentum is not None:
            return AveragedAdam(
                rate,
                ema_momentum=recipe.ema_momentum,
                clipnorm=recipe.clipnorm,
            )
        return keras.optimizers.Adam(rate, clipnorm=recipe.clipnorm)

    return make


def train_translator(
    train_pairs,
    validation_pairs,
    recipe=None,
    *,
    run_dir,
    time_budget=None,
    verbose=2,
    callbacks=(),
    strategy=None,
    tensorboard=True,
    keep_backup=False,
):
    """Train a translator on ``(source, target)`` pairs with a :class:`Recipe`.

    Args:
        train_pairs, validation_pairs: pairs as written (each tokenizer
            normalizes text itself); the validation pairs decide early
            stopping and which checkpoint is kept.
        recipe: a :class:`Recipe` (default: ``Recipe()``).
        run_dir: the run folder (``best.keras``, the backup to resume from,
            ``tokenizers.json``, TensorBoard logs); a second call with the
            same folder resumes an interrupted run.
        time_budget: stop after this many minutes of wall-clock time (the
            epoch in progress is validated and checkpointed).
        verbose, callbacks, strategy, tensorboard, keep_backup: as
            :func:`~seq2seq_attention.training.train` (the command line
            keeps the backup until the translator is saved, so that a kill
            in between never trains again).

    Returns:
        ``(translator, history)``: the translator holds the weights with the
        best validation loss; ``history`` is Keras' history, with
        ``history.budget`` the :class:`~seq2seq_attention.training.TimeBudget`
        (or ``None``) and ``history.training_pairs`` the number of pairs
        trained on.
    """
    recipe = recipe or Recipe()
    keras.utils.set_random_seed(recipe.seed)
    tokenizers = _tokenizers(train_pairs, recipe, run_dir)
    kept = _within_length(train_pairs, tokenizers, recipe.max_length)
    if not kept:
        raise ValueError(
            f"no training pair has at most max_length={recipe.max_length} "
            "tokens on both sides; raise max_length."
        )
    batching = dict(max_tokens=recipe.max_tokens, batch_size=recipe.batch_size)
    train_data = make_dataset(kept, *tokenizers, seed=recipe.seed, **batching)
    validation_data = make_dataset(
        validation_pairs, *tokenizers, shuffle=False, **batching
    )

    def model_fn():
        return Seq2SeqAttention(
            tokenizers[0].vocabulary_size(),
            tokenizers[1].vocabulary_size(),
            embedding_dim=recipe.embedding_dim,
            units=recipe.units,
            decoder=recipe.decoder,
            attention=recipe.attention,
            cell=recipe.cell,
            dropout=recipe.dropout,
            combine=recipe.combine,
        )

    budget = training.TimeBudget(time_budget) if time_budget else None
    _, history = training.train(
        model_fn,
        train_data,
        validation_data,
        epochs=recipe.epochs,
        run_dir=run_dir,
        patience=recipe.patience,
        strategy=strategy,
        verbose=verbose,
        callbacks=[*callbacks, *([budget] if budget else [])],
        tensorboard=tensorboard,
        keep_backup=keep_backup,
        loss=masked_loss(recipe.label_smoothing),
        optimizer=_optimizer(recipe),
    )
    history.budget, history.training_pairs = budget, len(kept)
    return load_run(run_dir), history
