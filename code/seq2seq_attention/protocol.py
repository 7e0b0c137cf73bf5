"""The decoding protocol: what a model offers so that every decoder can use it.

:func:`~seq2seq_attention.decoding.greedy_decode`,
:func:`~seq2seq_attention.decoding.sample_decode`,
:func:`~seq2seq_attention.decoding.beam_search`, the
:class:`~seq2seq_attention.translator.Translator` and
:func:`~seq2seq_attention.export.export_translator` see a model only through
:class:`DecodingModel`, written down here once. Every model of the package
speaks it: :class:`~seq2seq_attention.models.Seq2SeqAttention` (either
decoder), :class:`~seq2seq_attention.transformer.Transformer` and
:class:`~seq2seq_attention.toy_models.BigramModel`. This module imports no
TensorFlow.

Example:
    >>> class NotAModel:
    ...     source_vocab_size = 10
    >>> try:
    ...     check_decoding_model(NotAModel(), "greedy_decode")
    ... except TypeError as error:
    ...     print(str(error).split("; ")[-1])
    NotAModel lacks target_vocab_size, encode, decode_step.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["DecodingModel", "check_decoding_model"]


@runtime_checkable
class DecodingModel(Protocol):
    """A model that decoders can run one step at a time.

    Ids follow :mod:`seq2seq_attention.special_tokens`: 0 is padding, 2
    ``[START]``, 3 ``[END]``. Every tensor has the batch as its first axis.

    **encode(source_ids, max_steps=None) -> memory**, once per batch:

    - ``source_ids``: ``(batch, src_len)`` int64, ``[START] ... [END]`` and
      0-padded;
    - ``max_steps``: the most :meth:`decode_step` calls that will follow (a
      scalar int or int32 tensor; the decoders pass the largest of the
      batch's :func:`~seq2seq_attention.decoding.length_limits`). A model
      whose state has a fixed-size buffer sizes it with this; others ignore
      it; ``None`` means the default limits;
    - returns a dict of tensors. Its ``"state"`` entry is the decoder's
      initial state: a list of tensors ``(batch, ...)``. The other entries
      are whatever :meth:`decode_step` reads (encoder states, masks, ...);
      decoding never changes them.

    **decode_step(previous_ids, state, memory) -> (logits, new_state,
    weights)**, once per output token:

    - ``previous_ids``: ``(batch,)`` int64, the token before the one to
      predict (``[START]`` at the first step; padding once a sentence has
      ended: its outputs are then ignored);
    - ``state``: the list returned by :meth:`encode` or by the previous
      step; ``memory``: the dict of :meth:`encode` without ``"state"``;
    - ``logits``: ``(batch, target_vocab_size)`` unnormalised next-token
      scores (the decoders take their float32 ``log_softmax``);
    - ``new_state``: a list with the same structure, shapes and dtypes as
      ``state``;
    - ``weights``: ``(batch, src_len)`` this step's attention over the source
      positions (0 at padding); a model without attention returns some (the
      toy model: uniform).

    What the decoders rely on: both methods run inside ``tf.function`` (the
    steps inside one ``tf.while_loop``), so the state keeps its shapes from
    step to step; beam search repeats every entry of ``memory`` and
    ``state`` ``beam_size`` times along the batch axis (``tf.repeat``) and
    reorders the state's rows with ``tf.gather``, so each row must depend on
    its own sentence only; a row's outputs must not depend on the other
    rows or on extra padding (a sentence alone decodes as in a padded
    batch).

    **source_vocab_size**, **target_vocab_size**: the vocabulary sizes (ids
    the model reads; the size of the logits' last axis), which the
    :class:`~seq2seq_attention.translator.Translator` checks against its
    vocabularies. To be saved in a ``.keras`` file, as the ``Translator``
    and the export need, the model must also be a registered
    ``keras.Model`` whose ``model((source_ids, target_in_ids))`` gives the
    teacher-forced logits ``(batch, tgt_len, target_vocab_size)``.
    """

    source_vocab_size: int
    target_vocab_size: int

    def encode(self, source_ids, max_steps=None):
        """See the class docstring."""

    def decode_step(self, previous_ids, state, memory):
        """See the class docstring."""


_MEMBERS = ("source_vocab_size", "target_vocab_size", "encode", "decode_step")


def check_decoding_model(model, who):
    """Raise a one-line ``TypeError`` saying what ``model`` lacks if it does
    not speak :class:`DecodingModel`; ``who`` names the caller.

    Example:
        >>> from seq2seq_attention.toy_models import BigramModel
        >>> check_decoding_model(BigramModel([[1.0]]), "beam_search")
    """
    missing = [name for name in _MEMBERS if not hasattr(model, name)]
    if missing:
        raise TypeError(
            f"{who} needs a model that speaks the decoding protocol "
            "(seq2seq_attention.protocol.DecodingModel); "
            f"{type(model).__name__} lacks {', '.join(missing)}."
        )
