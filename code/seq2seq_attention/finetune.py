"""Fine-tuning: continue training a saved translator on a new domain.

A translator trained on plenty of general data knows a lot that a new domain
shares: the alphabet, the target format, how to align. Fine-tuning starts from
its weights and trains on the (small) new data with

- **freezing**: the parts in :data:`PARTS` that should not change;
- a **lower learning rate** with warm-up and cosine decay
  (:func:`learning_rate_schedule`), so the first updates do not wreck what the
  model knows;
- **early stopping on the new domain's validation set**, keeping the best
  weights;
- a **vocabulary check**: :func:`oov_rate` says how much of the new data the
  old tokenizer cannot read (its ``unknown_rate``: ``[UNK]`` words, or
  characters a subword model spells as bytes), and, for word- and
  character-level vocabularies, :func:`extend_vocabulary` adds the missing
  tokens, growing the embedding and output matrices without changing a
  single old translation (a subword tokenizer needs no extension: its bytes
  spell any text);
- a **guard against forgetting**: the score on the old domain before and after,
  and :func:`mix_old_data` to replay a fraction of old examples.

Everything is one call, its options in a :class:`FinetuneConfig` (or
given as keywords)::

    result = finetune(
        translator,
        new_train,
        new_validation,
        FinetuneConfig(freeze_parts=["encoder"]),
        old_pairs=old_test,
    )
    result.report["new_after"], result.report["old_after"]

The original translator is never modified: :func:`finetune` trains a copy.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

import keras
import numpy as np

from . import data, runs, training
from .data.tokenizers import VocabularyTokenizer, train_tokenizer
from .evaluation import evaluate_translator
from .models import Seq2SeqAttention
from .special_tokens import END, START, UNK, UNK_ID
from .translator import Translator

__all__ = [
    "PARTS",
    "FinetuneConfig",
    "FinetuneResult",
    "copy_translator",
    "extend_vocabulary",
    "finetune",
    "freeze",
    "learning_rate_schedule",
    "mix_old_data",
    "oov_rate",
    "parameter_counts",
    "parts_of",
    "train_from_scratch",
    "unknown_tokens",
]

PARTS = ("embeddings", "encoder", "attention", "decoder")
"""What :func:`freeze` can freeze:

- ``"embeddings"``: the source and target embedding tables;
- ``"encoder"``: the encoder's recurrent layers (its embedding is
  ``"embeddings"``);
- ``"attention"``: the attention layer's weights (W1, W2, b, v for the additive
  score);
- ``"decoder"``: the decoder's recurrent cell, the combine layer and the output
  layer.
"""


def parts_of(model):
    """The layers that make up each of :data:`PARTS` in a
    :class:`Seq2SeqAttention`.

    Example:
        >>> model = Seq2SeqAttention(10, 12, embedding_dim=4, units=6)
        >>> {
        ...     part: [layer.name for layer in layers]
        ...     for part, layers in parts_of(model).items()
        ... }
        {'embeddings': ['embedding', 'embedding'],
         'encoder': ['bidirectional'],
         'attention': ['attention'],
         'decoder': ['gru', 'combine', 'logits']}
    """
    if not isinstance(model, Seq2SeqAttention):
        raise TypeError(
            "fine-tuning works on a Seq2SeqAttention (or a Translator); "
            f"got {type(model).__name__}."
        )
    decoder = model.decoder
    return {
        "embeddings": [model.encoder.embedding, decoder.embedding],
        "encoder": [model.encoder.rnn],
        "attention": [decoder.attention_layer],
        "decoder": [
            decoder.recurrent_layer,
            decoder.combine,
            decoder.output_layer,
        ],
    }


def _check_parts(parts):
    if isinstance(parts, str):
        parts = [p for p in parts.split(",") if p]
    parts = list(parts)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise ValueError(
            f"cannot freeze {unknown}: choose among {list(PARTS)} "
            "(e.g. freeze=['embeddings', 'encoder'])."
        )
    return parts


def freeze(model, parts):
    """Make the layers of ``parts`` non-trainable and every other part
    trainable.

    Call it *before* ``compile``: Keras decides what the optimizer updates when
    it compiles.

    Args:
        model: a :class:`Seq2SeqAttention` or a :class:`Translator`.
        parts: names from :data:`PARTS`, or a comma-separated string.

    Returns:
        the model's :func:`parameter_counts` after freezing.

    Example:
        >>> model = Seq2SeqAttention(10, 12, embedding_dim=4, units=6)
        >>> counts = freeze(model, ["encoder", "embeddings"])
        >>> (
        ...     counts["encoder"],
        ...     counts["trainable"]
        ...     == counts["attention"][0] + counts["decoder"][0],
        ... )
        ((432, False), True)
    """
    model = model.seq2seq if isinstance(model, Translator) else model
    parts = _check_parts(parts)
    for part, layers in parts_of(model).items():
        for layer in layers:
            layer.trainable = part not in parts
    return parameter_counts(model)


def parameter_counts(model):
    """``{part: (parameters, trainable?)}`` plus the ``"trainable"`` and
    ``"total"`` counts.

    Example:
        >>> counts = parameter_counts(
        ...     Seq2SeqAttention(10, 12, embedding_dim=4, units=6)
        ... )
        >>> counts["embeddings"], counts["trainable"] == counts["total"]
        ((88, True), True)
    """
    model = model.seq2seq if isinstance(model, Translator) else model
    counts = {}
    for part, layers in parts_of(model).items():
        size = sum(
            int(np.prod(w.shape)) for layer in layers for w in layer.weights
        )
        counts[part] = (size, all(layer.trainable for layer in layers))
    counts["trainable"] = sum(
        int(np.prod(w.shape)) for w in model.trainable_weights
    )
    counts["total"] = sum(int(np.prod(w.shape)) for w in model.weights)
    return counts


# -- Vocabulary ---------------------------------------------------------------


def _tokenizer_of(translator, side):
    if side not in ("source", "target"):
        raise ValueError(f"side must be 'source' or 'target'; got {side!r}.")
    return (
        translator.source_tokenizer
        if side == "source"
        else translator.target_tokenizer
    )


def _refuse_subwords(translator, what):
    """A subword tokenizer has no missing tokens to add: its pieces and
    bytes spell any text."""
    for side in ("source", "target"):
        if _tokenizer_of(translator, side).level == "subword":
            raise ValueError(
                f"{what} works on word- and character-level vocabularies; "
                f"this translator's {side} tokenizer is subword, which "
                "spells any text with its pieces and bytes (nothing is out "
                "of vocabulary): fine-tune without extending it."
            )


def _token_counts(tokenizer, texts):
    """Counts of the tokens of ``texts`` as a word- or character-level
    ``tokenizer`` splits them."""
    texts = [tokenizer.normalize(t) for t in texts]
    if not texts:
        return Counter()
    config = tokenizer.get_config()
    # A throwaway vectorizer over the texts themselves splits and standardises
    # exactly as the translator's does; its ids, counted, give token counts.
    reader = data.make_vectorizer(
        texts, level=config["level"], standardize=config["standardize"]
    )
    vocabulary = [str(t) for t in reader.get_vocabulary()]
    ids = data.encode(texts, reader, markers=False).flat_values.numpy()
    return Counter(
        {
            vocabulary[i]: int(n)
            for i, n in enumerate(np.bincount(ids, minlength=len(vocabulary)))
            if n and i > 3
        }
    )


def oov_rate(translator, texts, side="source"):
    """The fraction of ``texts`` that ``translator``'s tokenizer cannot read:
    its ``unknown_rate`` (word and character level: the share of tokens read
    as ``[UNK]``; subword: the share of characters spelled as bytes).

    Example:
        >>> src = data.make_vectorizer(["go .", "run !"])
        >>> tgt = data.make_vectorizer(["ve .", "corre !"])
        >>> translator = Translator(
        ...     Seq2SeqAttention(8, 8, embedding_dim=4, units=4), src, tgt
        ... )
        >>> oov_rate(
        ...     translator, ["go home .", "run ."]
        ... )  # 'home' is the only unknown of 5 tokens
        0.2
    """
    return _tokenizer_of(translator, side).unknown_rate(list(texts))


def unknown_tokens(
    translator, texts, side="source", min_count=1, max_tokens=None
):
    """The tokens of ``texts`` missing from the vocabulary, most frequent first
    (ties alphabetical), that occur at least ``min_count`` times (word- and
    character-level vocabularies; a subword tokenizer is refused: it has no
    missing tokens).

    Example:
        >>> src = data.make_vectorizer(["3/4"], level="character")
        >>> tgt = data.make_vectorizer(["2015"], level="character")
        >>> translator = Translator(
        ...     Seq2SeqAttention(7, 8, embedding_dim=4, units=4), src, tgt
        ... )
        >>> unknown_tokens(
        ...     translator, ["sábado 3", "miércoles 4"], min_count=2
        ... )
        [' ', 'o', 's']
    """
    tokenizer = _tokenizer_of(translator, side)
    if tokenizer.level == "subword":
        _refuse_subwords(translator, "unknown_tokens")
    known = set(tokenizer.get_config()["vocabulary"])
    counts = _token_counts(tokenizer, texts)
    tokens = sorted(
        (t for t, n in counts.items() if n >= min_count and t not in known),
        key=lambda t: (-counts[t], t),
    )
    return tokens[:max_tokens] if max_tokens is not None else tokens


def copy_translator(translator):
    """A new translator with the same configuration and weights (training it
    leaves the original alone).

    Example:
        >>> src = data.make_vectorizer(["go ."])
        >>> tgt = data.make_vectorizer(["ve ."])
        >>> original = Translator(
        ...     Seq2SeqAttention(6, 6, embedding_dim=4, units=4), src, tgt
        ... )
        >>> twin = copy_translator(original)
        >>> twin is not original and all(
        ...     (a == b).all()
        ...     for a, b in zip(twin.get_weights(), original.get_weights())
        ... )
        True
    """
    twin = Translator.from_config(translator.get_config())
    twin.set_weights(translator.get_weights())
    return twin


def extend_vocabulary(translator, source_tokens=(), target_tokens=()):
    """A copy of ``translator`` whose vocabularies also have the given tokens.

    New ids are appended after the old ones, so every old id keeps its row.
    New rows are initialised from what the model already does with those
    tokens — it reads and writes them as ``[UNK]``:

    - a new source or target embedding row is a copy of the ``[UNK]`` row, so
      an input with a new word is read exactly as before;
    - a new output column is a copy of ``[UNK]``'s, and ``[UNK]`` and the ``k``
      new tokens share ``[UNK]``'s old probability equally (their biases are
      lowered by ``log(k + 1)``), so the probability of every **old** token is
      unchanged and old translations stay identical.

    Fine-tuning then teaches the new rows their own meaning.

    Word- and character-level vocabularies only: a subword tokenizer is
    refused with a one-line message (its bytes spell any text already).

    Args:
        translator: the :class:`Translator` to extend (it is not modified).
        source_tokens, target_tokens: tokens to add (ones already there are
            skipped).

    Returns:
        a new :class:`Translator`.

    Example:
        >>> src = data.make_vectorizer(["go ."])
        >>> tgt = data.make_vectorizer(["ve ."])
        >>> translator = Translator(
        ...     Seq2SeqAttention(6, 6, embedding_dim=4, units=4), src, tgt
        ... )
        >>> bigger = extend_vocabulary(
        ...     translator,
        ...     source_tokens=["home", "go"],
        ...     target_tokens=["casa"],
        ... )
        >>> (
        ...     bigger.source_vocabulary[-2:],
        ...     bigger.seq2seq.source_vocab_size,
        ...     bigger.seq2seq.target_vocab_size,
        ... )
        (['go', 'home'], 7, 7)
    """
    _refuse_subwords(translator, "extend_vocabulary")
    old = translator.seq2seq
    add_source = [
        t
        for t in dict.fromkeys(source_tokens)
        if t not in set(translator.source_config["vocabulary"])
        and t not in ("", UNK, START, END)
    ]
    add_target = [
        t
        for t in dict.fromkeys(target_tokens)
        if t not in set(translator.target_config["vocabulary"])
        and t not in ("", UNK, START, END)
    ]
    config = old.get_config()
    config["source_vocab_size"] = old.source_vocab_size + len(add_source)
    config["target_vocab_size"] = old.target_vocab_size + len(add_target)
    new = Seq2SeqAttention.from_config(config)

    unk = UNK_ID
    grown = {}  # id(old variable) -> its grown value
    # (source_vocab, embedding_dim)
    source_table = old.encoder.embedding.embeddings.numpy()
    grown[id(old.encoder.embedding.embeddings)] = np.concatenate(
        [
            source_table,
            np.repeat(source_table[unk : unk + 1], len(add_source), axis=0),
        ]
    )
    # (target_vocab, embedding_dim)
    target_table = old.decoder.embedding.embeddings.numpy()
    grown[id(old.decoder.embedding.embeddings)] = np.concatenate(
        [
            target_table,
            np.repeat(target_table[unk : unk + 1], len(add_target), axis=0),
        ]
    )
    kernel = old.decoder.output_layer.kernel.numpy()  # (units, target_vocab)
    bias = old.decoder.output_layer.bias.numpy()  # (target_vocab,)
    grown[id(old.decoder.output_layer.kernel)] = np.concatenate(
        [kernel, np.repeat(kernel[:, unk : unk + 1], len(add_target), axis=1)],
        axis=1,
    )
    # [UNK] and the new tokens split [UNK]'s probability
    share = np.log(len(add_target) + 1.0)
    new_bias = np.concatenate([bias, np.full(len(add_target), bias[unk])])
    new_bias[[unk, *range(len(bias), len(new_bias))]] -= share
    grown[id(old.decoder.output_layer.bias)] = new_bias

    for old_weight, new_weight in zip(old.weights, new.weights, strict=True):
        value = grown.get(id(old_weight), old_weight.numpy())
        if (
            tuple(new_weight.shape) != value.shape
        ):  # a new layer layout would be a bug here, not user error
            raise AssertionError(
                f"extend_vocabulary: {new_weight.path} has shape "
                f"{tuple(new_weight.shape)}, expected {value.shape}."
            )
        new_weight.assign(value)
    source_config = dict(
        translator.source_config,
        vocabulary=[*translator.source_config["vocabulary"], *add_source],
    )
    target_config = dict(
        translator.target_config,
        vocabulary=[*translator.target_config["vocabulary"], *add_target],
    )
    return Translator(
        new,
        source_config,
        target_config,
        max_source_tokens=translator.max_source_tokens,
    )


# -- Data ---------------------------------------------------------------------


def mix_old_data(new_pairs, old_pairs, fraction, seed):
    """Fine-tuning pairs where ``fraction`` of the examples come from the old
    domain.

    Replaying some old examples is the simplest guard against forgetting. The
    old examples are drawn without replacement (with replacement only if there
    are too few); the result is shuffled with ``seed``.

    Example:
        >>> mixed = mix_old_data(
        ...     [("a", "1")] * 8, [("b", "2")] * 10, fraction=0.2, seed=0
        ... )
        >>> len(mixed), sum(p == ("b", "2") for p in mixed)
        (10, 2)
    """
    if not 0.0 <= fraction < 1.0:
        raise ValueError(
            "fraction is the share of old examples in the mix, in [0, 1); "
            f"got {fraction}."
        )
    new_pairs = list(new_pairs)
    if fraction == 0.0:
        return new_pairs
    old_pairs = list(old_pairs)
    if not old_pairs:
        raise ValueError(
            "mix_old_data: fraction > 0 but no old pairs were given."
        )
    count = round(fraction / (1.0 - fraction) * len(new_pairs))
    rng = random.Random(seed)
    if count <= len(old_pairs):
        chosen = rng.sample(old_pairs, count)
    else:
        chosen = [rng.choice(old_pairs) for _ in range(count)]
    mixed = new_pairs + chosen
    rng.shuffle(mixed)
    return mixed


def learning_rate_schedule(
    learning_rate, total_steps, warmup_steps=0, kind="cosine"
):
    """The fine-tuning learning rate: linear warm-up, then cosine decay to 0
    (``kind="cosine"``) or constant (``kind="constant"``).

    Example:
        >>> schedule = learning_rate_schedule(
        ...     1e-3, total_steps=100, warmup_steps=10
        ... )
        >>> [round(float(schedule(step)), 6) for step in (0, 5, 10, 55, 110)]
        [0.0, 0.0005, 0.001, 0.0005, 0.0]
    """
    if learning_rate <= 0:
        raise ValueError(
            f"learning_rate must be positive; got {learning_rate}."
        )
    if kind == "constant":
        return learning_rate
    if kind != "cosine":
        raise ValueError(f"kind must be 'cosine' or 'constant'; got {kind!r}.")
    if warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError(
            f"need 0 <= warmup_steps < total_steps; got {warmup_steps} and "
            f"{total_steps}."
        )
    if warmup_steps == 0:
        return keras.optimizers.schedules.CosineDecay(
            learning_rate, decay_steps=total_steps
        )
    return keras.optimizers.schedules.CosineDecay(
        0.0,
        decay_steps=total_steps - warmup_steps,
        warmup_target=learning_rate,
        warmup_steps=warmup_steps,
    )


# -- Fine-tuning --------------------------------------------------------------


@dataclasses.dataclass
class FinetuneResult:
    """What :func:`finetune` returns.

    Attributes:
        translator: the fine-tuned translator (a new one; the input is
            unchanged), with the weights of the best epoch on the new
            validation set.
        history: the Keras ``History`` of the run.
        report: a JSON-able dict: scores before and after on the new domain
            (``new_before``, ``new_after``) and, if old pairs were given, on
            the old one (``old_before``, ``old_after``); OOV rates; added
            tokens; frozen parts; parameter counts; epochs; seconds.
    """

    translator: Translator
    history: keras.callbacks.History
    report: dict


def _score(translator, pairs, metric, limit):
    scores = evaluate_translator(translator, pairs, metric=metric, limit=limit)
    return {
        k: v
        for k, v in scores.items()
        if k not in ("translations", "references")
    }


def _fingerprint(translator):
    """A short hash of a translator's configuration and weights."""
    digest = hashlib.sha256(
        json.dumps(
            translator.get_config(), sort_keys=True, default=str
        ).encode()
    )
    for weight in translator.get_weights():
        digest.update(np.ascontiguousarray(weight).tobytes())
    return digest.hexdigest()[:16]


def _claim_run_dir(run_dir, settings):
    """Record ``settings`` in ``run_dir/finetune.json``, or refuse a folder
    that holds a run with different settings (resuming it would mix two
    runs)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    record = run_dir / "finetune.json"
    if not record.exists():
        runs.atomic_write_json(record, settings, "fine-tuning settings")
        return
    previous = json.loads(record.read_text())
    changed = runs.settings_differences(previous, settings)
    if changed:
        raise ValueError(
            f"{run_dir} holds a fine-tuning run with other settings "
            f"({'; '.join(changed)}). Resuming it would mix two runs: use a "
            "new run folder, or the same model, data and options as before."
        )


@dataclasses.dataclass(frozen=True)
class FinetuneConfig:
    """How :func:`finetune` trains: every option but the data and the folder.

    Attributes:
        freeze_parts: parts of :data:`PARTS` to keep fixed (a list, or a
            comma-separated string).
        learning_rate, schedule, warmup_epochs: Adam's peak rate,
            ``"cosine"`` or ``"constant"``, and the warm-up length (see
            :func:`learning_rate_schedule`).
        epochs, batch_size, patience: the most epochs; batch size; epochs
            without validation improvement before stopping.
        extend: add the new data's unknown tokens (seen ``min_count`` times
            or more in the training pairs) to the vocabularies first
            (:func:`extend_vocabulary`; word and character level only).
        mix_old: the share of old examples replayed in the fine-tuning set
            (:func:`mix_old_data`; needs ``old_train_pairs``).
        metric: ``"exact"`` (exact match) or ``"bleu"`` for the before/after
            scores; ``eval_limit``: most sentences scored per evaluation.
        seed: seeds shuffling, mixing and dropout.
        verbose: Keras verbosity (2: one line per epoch; 0: silent).
        max_oov: refuse data whose source OOV rate (:func:`oov_rate`) is
            above this: it is probably in the wrong direction or another
            tokenization level.

    Example:
        >>> FinetuneConfig(freeze_parts="encoder,embeddings").freeze_parts
        ('encoder', 'embeddings')
        >>> FinetuneConfig(metric="rouge")
        Traceback (most recent call last):
            ...
        ValueError: metric must be 'exact' or 'bleu'; got 'rouge'.
    """

    freeze_parts: tuple = ()
    learning_rate: float = 3e-4
    schedule: str = "cosine"
    warmup_epochs: int = 1
    epochs: int = 20
    batch_size: int = 32
    patience: int = 4
    extend: bool = False
    min_count: int = 2
    mix_old: float = 0.0
    metric: str = "exact"
    eval_limit: int = 1000
    seed: int = 0
    verbose: int = 2
    max_oov: float = 0.5

    def __post_init__(self):
        parts = tuple(_check_parts(self.freeze_parts))
        object.__setattr__(self, "freeze_parts", parts)
        if self.metric not in ("exact", "bleu"):
            raise ValueError(
                f"metric must be 'exact' or 'bleu'; got {self.metric!r}."
            )
        if self.extend:
            clash = [p for p in ("embeddings", "decoder") if p in parts]
            if clash:
                raise ValueError(
                    "extend=True adds embedding rows and output columns "
                    f"that must learn, but {clash} would be frozen: freeze "
                    "fewer parts, or do not extend the vocabulary."
                )


_FIELDS = tuple(f.name for f in dataclasses.fields(FinetuneConfig))


def _config_from(config, options):
    """``config`` (a :class:`FinetuneConfig` or ``None``) with the keyword
    ``options`` of the older ``finetune(..., epochs=3)`` calls applied."""
    unknown = sorted(set(options) - set(_FIELDS))
    if unknown:
        raise TypeError(
            f"finetune() got unknown options {unknown}; the options are "
            f"the fields of FinetuneConfig: {list(_FIELDS)}."
        )
    if config is None:
        return FinetuneConfig(**options)
    if not isinstance(config, FinetuneConfig):
        raise TypeError(
            "finetune()'s fourth argument is a FinetuneConfig; got "
            f"{type(config).__name__}."
        )
    return dataclasses.replace(config, **options)


def finetune(
    translator,
    train_pairs,
    validation_pairs,
    config=None,
    *,
    old_pairs=None,
    old_train_pairs=None,
    run_dir=None,
    keep_backup=False,
    **options,
):
    """Fine-tune a copy of ``translator`` on new pairs.

    Args:
        translator: the pretrained :class:`Translator` (left unchanged), of
            any tokenizer level.
        train_pairs, validation_pairs: the new domain's ``(source, target)``
            pairs, as written (the translator's tokenizers normalize them);
            early stopping and the kept weights follow the validation loss.
        config: a :class:`FinetuneConfig`; ``None``: its defaults.
        old_pairs: held-out pairs of the old domain, scored before and after
            to measure forgetting (optional).
        old_train_pairs: old examples to replay (``config.mix_old``).
        run_dir: run folder (checkpoints, resumable backup, TensorBoard
            logs); a temporary folder if None. A folder used by a run with
            other settings is refused.
        keep_backup: keep the run folder's backup when training ends (see
            :func:`seq2seq_attention.training.train`).
        options: fields of :class:`FinetuneConfig` as keywords
            (``finetune(t, train, val, epochs=3)``, as before the config
            existed); they override ``config``.

    Returns:
        a :class:`FinetuneResult`.
    """
    config = _config_from(config, options)
    if not isinstance(translator, Translator):
        raise TypeError(
            "finetune needs a Translator (a translator.keras file loaded "
            "with keras.saving.load_model); got "
            f"{type(translator).__name__}."
        )
    train_pairs, validation_pairs = list(train_pairs), list(validation_pairs)
    if not train_pairs or not validation_pairs:
        raise ValueError(
            "finetune needs training and validation pairs; got "
            f"{len(train_pairs)} and {len(validation_pairs)}."
        )
    if config.extend:
        _refuse_subwords(translator, "extend=True")
    start = time.perf_counter()
    keras.utils.set_random_seed(config.seed)
    report = _oov_report(translator, train_pairs, validation_pairs)
    _check_oov(translator, report, config.max_oov)
    report |= _scores(
        translator, validation_pairs, old_pairs, config, "before"
    )
    model_translator = _starting_point(translator, train_pairs, config, report)
    fit_pairs = mix_old_data(
        train_pairs, old_train_pairs or [], config.mix_old, config.seed
    )
    report["frozen"] = list(config.freeze_parts)
    report["parameters"] = freeze(model_translator, config.freeze_parts)
    run_dir = (
        Path(run_dir)
        if run_dir is not None
        else Path(tempfile.mkdtemp(prefix="finetune-"))
    )
    _claim_run_dir(run_dir, _settings(translator, fit_pairs, config))
    history = _fit(
        model_translator,
        fit_pairs,
        validation_pairs,
        config,
        run_dir,
        keep_backup,
    )
    # A fresh, uncompiled copy: an ordinary, fully trainable translator whose
    # .keras file carries no optimizer state from the fine-tuning run.
    model_translator = copy_translator(model_translator)
    report["epochs_run"] = len(history.history["loss"])
    report["best_epoch"] = int(np.argmin(history.history["val_loss"])) + 1
    report |= _scores(
        model_translator, validation_pairs, old_pairs, config, "after"
    )
    report["seconds"] = round(time.perf_counter() - start, 1)
    return FinetuneResult(model_translator, history, report)


def _oov_report(translator, train_pairs, validation_pairs):
    """The report's first entries: sizes and OOV rates."""
    report = {
        "train_pairs": len(train_pairs),
        "validation_pairs": len(validation_pairs),
    }
    for side, index in (("source", 0), ("target", 1)):
        report[f"{side}_oov"] = oov_rate(
            translator, [p[index] for p in train_pairs], side
        )
    return report


def _check_oov(translator, report, max_oov):
    """Refuse new data the translator mostly cannot read."""
    if report["source_oov"] > max_oov:
        raise ValueError(
            f"{report['source_oov']:.0%} of the new sources are not in the "
            "model's vocabulary (more than "
            f"max_oov={max_oov:.0%}). Is the data in the other direction "
            "(swap the columns), or tokenised at another level than the "
            f"model's ({translator.source_config['level']})? Raise "
            "max_oov to go on anyway."
        )


def _scores(translator, validation_pairs, old_pairs, config, when):
    """``new_<when>`` (and ``old_<when>``) scores of ``translator``."""
    scores = {
        f"new_{when}": _score(
            translator, validation_pairs, config.metric, config.eval_limit
        )
    }
    if old_pairs is not None:
        scores[f"old_{when}"] = _score(
            translator, old_pairs, config.metric, config.eval_limit
        )
    return scores


def _starting_point(translator, train_pairs, config, report):
    """The copy of ``translator`` to train (its vocabularies extended if
    ``config.extend``), noting in ``report`` what was added."""
    report["added_source_tokens"], report["added_target_tokens"] = [], []
    if not config.extend:
        return copy_translator(translator)
    report["added_source_tokens"] = unknown_tokens(
        translator, [p[0] for p in train_pairs], "source", config.min_count
    )
    report["added_target_tokens"] = unknown_tokens(
        translator, [p[1] for p in train_pairs], "target", config.min_count
    )
    return extend_vocabulary(
        translator,
        report["added_source_tokens"],
        report["added_target_tokens"],
    )


def _settings(translator, fit_pairs, config):
    """What :func:`_claim_run_dir` records (the keys of earlier runs)."""
    return {
        "pretrained": _fingerprint(translator),
        "data": hashlib.sha256(repr(fit_pairs).encode()).hexdigest()[:16],
        "freeze": sorted(config.freeze_parts),
        "learning_rate": config.learning_rate,
        "schedule": config.schedule,
        "epochs": config.epochs,
        "batch_size": config.batch_size,
        "extend": config.extend,
        "min_count": config.min_count,
        "mix_old": config.mix_old,
        "seed": config.seed,
    }


def _datasets(translator, train_pairs, validation_pairs, batch_size, seed):
    """Training (shuffled) and validation datasets through ``translator``'s
    own tokenizers (which normalize the raw text themselves)."""
    source, target = translator.source_tokenizer, translator.target_tokenizer
    return (
        data.make_dataset(
            train_pairs, source, target, batch_size=batch_size, seed=seed
        ),
        data.make_dataset(
            validation_pairs,
            source,
            target,
            batch_size=batch_size,
            shuffle=False,
        ),
    )


def _fit(
    translator, fit_pairs, validation_pairs, config, run_dir, keep_backup
):
    """Train ``translator``'s model in place; keep the best epoch's weights
    (new-domain validation loss) and unfreeze it."""
    train_data, validation_data = _datasets(
        translator,
        fit_pairs,
        validation_pairs,
        config.batch_size,
        config.seed,
    )
    steps = math.ceil(len(fit_pairs) / config.batch_size)
    total = config.epochs * steps
    warmup = min(config.warmup_epochs * steps, max(total - 1, 0))
    rate = learning_rate_schedule(
        config.learning_rate, total, warmup, config.schedule
    )
    model = translator.seq2seq
    _, history = training.train(
        lambda: model,
        train_data,
        validation_data,
        epochs=config.epochs,
        run_dir=run_dir,
        learning_rate=rate,
        patience=config.patience,
        verbose=config.verbose,
        keep_backup=keep_backup,
    )
    best = keras.saving.load_model(run_dir / "best.keras", compile=False)
    model.set_weights(best.get_weights())
    freeze(model, [])
    return history


def _fresh_tokenizer(like, texts):
    """A tokenizer of ``like``'s level built from ``texts`` alone (subword:
    ``like``'s vocabulary size; words and characters: every token, with
    ``like``'s standardization)."""
    if like.level == "subword":
        return train_tokenizer(
            texts, level="subword", vocab_size=like.vocabulary_size()
        )
    config = like.get_config()
    vectorizer = data.make_vectorizer(
        [like.normalize(t) for t in texts],
        level=config["level"],
        standardize=config["standardize"],
    )
    return VocabularyTokenizer(data.vectorizer_config(vectorizer))


def train_from_scratch(
    like,
    train_pairs,
    validation_pairs,
    *,
    learning_rate=1e-3,
    epochs=20,
    batch_size=32,
    patience=4,
    run_dir=None,
    seed=0,
    verbose=2,
):
    """The baseline fine-tuning must beat: a new model with ``like``'s
    architecture (sizes, decoder, attention, cell) and tokenizers of the same
    level built from ``train_pairs`` alone, trained on them from random
    weights.

    Returns:
        ``(translator, history)``, with the weights of the best validation
        epoch.

    Example:
        >>> pairs = [("3/4", "2015"), ("4/3", "2051")] * 4
        >>> src = data.make_vectorizer(["3/4"], level="character")
        >>> tgt = data.make_vectorizer(["2015"], level="character")
        >>> like = Translator(
        ...     Seq2SeqAttention(7, 8, embedding_dim=4, units=4), src, tgt
        ... )
        >>> fresh, history = train_from_scratch(
        ...     like, pairs, pairs, epochs=1, verbose=0
        ... )
        >>> fresh.target_vocabulary[4:]
        ['0', '1', '2', '5']
    """
    train_pairs, validation_pairs = list(train_pairs), list(validation_pairs)
    if not train_pairs or not validation_pairs:
        raise ValueError(
            "train_from_scratch needs training and validation pairs."
        )
    keras.utils.set_random_seed(seed)
    source = _fresh_tokenizer(
        like.source_tokenizer, [s for s, _ in train_pairs]
    )
    target = _fresh_tokenizer(
        like.target_tokenizer, [t for _, t in train_pairs]
    )
    config = like.seq2seq.get_config() | {
        "source_vocab_size": source.vocabulary_size(),
        "target_vocab_size": target.vocabulary_size(),
    }
    config.pop("name", None)
    shell = Translator(Seq2SeqAttention.from_config(config), source, target)
    train_data, validation_data = _datasets(
        shell, train_pairs, validation_pairs, batch_size, seed
    )
    run_dir = (
        Path(run_dir)
        if run_dir is not None
        else Path(tempfile.mkdtemp(prefix="scratch-"))
    )
    _, history = training.train(
        lambda: Seq2SeqAttention.from_config(config),
        train_data,
        validation_data,
        epochs=epochs,
        run_dir=run_dir,
        learning_rate=learning_rate,
        patience=patience,
        verbose=verbose,
        tensorboard=False,
    )
    # uncompiled: no optimizer state
    best = keras.saving.load_model(run_dir / "best.keras", compile=False)
    return Translator(best, source, target), history
