"""How unfamiliar a text is to a translator, and what to do about it.

A translator reads only what its vocabulary holds: a word vocabulary reads
everything else as ``[UNK]``, a subword one spells characters it never saw
byte by byte. Text in the wrong language, the columns of a file swapped, or
a file for another model shows up as a high share of unknown tokens long
before it shows up as a puzzling score (for subwords, only when the text
has characters the training text lacked: another script, other accents).
This module is the one place that measures it, through each tokenizer's
``unknown_rate``:

- :func:`unknown_rate`: the share of tokens a translator cannot read;
- :func:`check_texts`: that share, compared with an absolute limit and with
  the rate on the model's own test split, as a verdict (``ok``, ``warn``,
  ``refuse``) with a one-line message.

The command line calls :func:`check_texts` before it evaluates or fine-tunes
on a file; ``train`` records the rate of its own test split in the run's
manifest as the reference.
"""

from __future__ import annotations

import dataclasses

__all__ = ["Familiarity", "check_texts", "source_lengths", "unknown_rate"]

WARN_ABOVE = 0.10
"""Warn when more than this share of tokens is unknown (and well above the
model's own test split)."""

REFUSE_ABOVE = 0.5
"""Refuse when more than this share of tokens is unknown."""


def _tokenizer(translator, side):
    if side not in ("source", "target"):
        raise ValueError(f"side must be 'source' or 'target'; got {side!r}.")
    return (
        translator.source_tokenizer
        if side == "source"
        else translator.target_tokenizer
    )


def unknown_rate(translator, texts, side="source"):
    """The share of ``texts`` that ``translator`` cannot read (0 for no
    text), measured by its tokenizer's ``unknown_rate``: the share of words
    read as ``[UNK]`` for a word or character vocabulary, the share of
    characters spelled as bytes (never seen in training) for subwords.

    Example:
        >>> from seq2seq_attention import data
        >>> from seq2seq_attention.models import Seq2SeqAttention
        >>> from seq2seq_attention.translator import Translator
        >>> src = data.make_vectorizer(["go .", "run !"])
        >>> tgt = data.make_vectorizer(["ve .", "corre !"])
        >>> model = Seq2SeqAttention(8, 8, embedding_dim=4, units=4)
        >>> translator = Translator(model, src, tgt)
        >>> unknown_rate(translator, ["Go home.", "Run."])  # 'home': 1 of 5
        0.2
    """
    texts = [str(t) for t in texts]
    if not texts:
        return 0.0
    return float(_tokenizer(translator, side).unknown_rate(texts))


def source_lengths(translator, texts):
    """How many tokens ``translator`` reads in each text (markers not
    counted): compare with ``translator.max_source_tokens``.

    Example:
        >>> from seq2seq_attention import data
        >>> from seq2seq_attention.models import Seq2SeqAttention
        >>> from seq2seq_attention.translator import Translator
        >>> src = data.make_vectorizer(["go ."])
        >>> tgt = data.make_vectorizer(["ve ."])
        >>> model = Seq2SeqAttention(6, 6, embedding_dim=4, units=4)
        >>> source_lengths(Translator(model, src, tgt), ["Go home!", ""])
        [3, 0]
    """
    texts = [str(t) for t in texts]
    if not texts:
        return []
    return [len(ids) for ids in translator.source_tokenizer.encode(texts)]


@dataclasses.dataclass
class Familiarity:
    """What :func:`check_texts` found.

    Attributes:
        rate: the share of unknown source tokens.
        reference: the rate on the model's own test split, if known.
        swapped_rate: the rate of the other column read as sources (when
            given): much lower than ``rate`` means the columns are swapped.
        verdict: ``"ok"``, ``"warn"`` or ``"refuse"``.
        message: one line saying what was found and what to do (``""`` if ok).
    """

    rate: float
    reference: float | None
    swapped_rate: float | None
    verdict: str
    message: str


def check_texts(
    translator,
    sources,
    *,
    name,
    reference=None,
    other_column=None,
    refuse_above=REFUSE_ABOVE,
    warn_above=WARN_ABOVE,
    refuse_swapped=True,
    override="",
):
    """Is ``sources`` text that ``translator`` can read?

    Args:
        translator: the translator.
        sources: the source sentences about to be translated.
        name: how to name the data in messages (e.g. ``"--data test.tsv"``).
        reference: the unknown-token rate on the model's own test split.
        other_column: the targets of the same pairs; if they read much
            better as sources, the message says the columns look swapped.
        refuse_above: refuse above this rate.
        warn_above: warn above this rate, if also well above ``reference``
            (three times it, plus two points).
        refuse_swapped: refuse columns that look swapped even below
            ``refuse_above`` (a score of them would mean nothing).
        override: how the user can go on anyway, added to a refusal.

    Returns:
        a :class:`Familiarity`.

    Example:
        >>> from seq2seq_attention import data
        >>> from seq2seq_attention.models import Seq2SeqAttention
        >>> from seq2seq_attention.translator import Translator
        >>> src = data.make_vectorizer(["go .", "run !"])
        >>> tgt = data.make_vectorizer(["ve .", "corre !"])
        >>> model = Seq2SeqAttention(8, 8, embedding_dim=4, units=4)
        >>> translator = Translator(model, src, tgt)
        >>> found = check_texts(
        ...     translator,
        ...     ["ve .", "corre !"],
        ...     name="test.tsv",
        ...     other_column=["go .", "run !"],
        ... )
        >>> found.verdict, found.message  # doctest: +ELLIPSIS
        ('refuse', 'test.tsv: 50% of the source tokens are unknown ...
        try --reverse.')
    """
    rate = unknown_rate(translator, sources)
    swapped = None
    if other_column is not None:
        swapped = unknown_rate(translator, other_column)
    limit = warn_above
    if reference is not None:
        # a model that reads its own test split badly (tiny data) raises the
        # bar, but more than half of the tokens unknown always gets a word
        limit = min(max(warn_above, 3 * reference + 0.02), REFUSE_ABOVE)
    if rate <= limit and rate <= refuse_above:
        return Familiarity(rate, reference, swapped, "ok", "")
    own = ""
    if reference is not None:
        own = f" (its own test split: {reference:.1%})"
    message = (
        f"{name}: {rate:.0%} of the source tokens are unknown to the "
        f"model{own}"
    )
    looks_swapped = swapped is not None and swapped < rate / 2
    refuse = rate > refuse_above or (looks_swapped and refuse_swapped)
    if looks_swapped:
        message += (
            f"; the other column reads better ({swapped:.0%} unknown): "
            "the columns look swapped, try --reverse"
        )
    elif refuse:
        message += ": is it in the model's source language, for this model?"
    else:
        message += "; expect low scores"
    if refuse and override:
        message += f" ({override})"
    message += "."
    return Familiarity(
        rate, reference, swapped, "refuse" if refuse else "warn", message
    )
