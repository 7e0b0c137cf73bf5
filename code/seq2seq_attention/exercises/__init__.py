"""Checkers for the chapters' exercises, one module per chapter.

Each ``check_*`` function runs the reader's function on several test cases,
compares the results with :mod:`seq2seq_attention.reference` and prints one
line that starts with ✔ or ✘ and says what was wrong. They print rather than
return a value, so a notebook cell shows nothing but that line. A function
that still raises ``NotImplementedError`` is reported as "not implemented
yet"; any other error is raised as it is, so that you see it.

Every checker is re-exported here (``from seq2seq_attention.exercises import
check_stable_softmax``). They live in one module per chapter, and share
the harness in :mod:`~seq2seq_attention.exercises._harness`:

- :mod:`~seq2seq_attention.exercises.background`: chapter 01_background;
- :mod:`~seq2seq_attention.exercises.core_concepts`: chapter 02_core_concepts;
- :mod:`~seq2seq_attention.exercises.algorithm`: chapter 03_algorithm;
- :mod:`~seq2seq_attention.exercises.math`: chapter 04_math;
- :mod:`~seq2seq_attention.exercises.data`: chapter 05_1_data;
- :mod:`~seq2seq_attention.exercises.model`: chapter 05_2_model;
- :mod:`~seq2seq_attention.exercises.training`: chapter 05_3_training;
- :mod:`~seq2seq_attention.exercises.decoding`: chapter 05_4_decoding;
- :mod:`~seq2seq_attention.exercises.finetuning`: chapter 05_5_finetuning;
- :mod:`~seq2seq_attention.exercises.applications`: chapter 06_applications;
- :mod:`~seq2seq_attention.exercises.tools`: chapter 07_tools;
- :mod:`~seq2seq_attention.exercises.future`: chapter 08_future;
- :mod:`~seq2seq_attention.exercises.faq`: chapter 09_faq.

Example:
    >>> import numpy as np
    >>> def my_softmax(scores):
    ...     e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    ...     return e / e.sum(axis=-1, keepdims=True)
    >>> check_stable_softmax(my_softmax)
    ✔ stable_softmax: matches the reference on 4 cases, including scores of
    ±1000.
"""

from .algorithm import (
    check_decoder_step_shapes,
    check_luong_step,
    check_next_token,
)
from .applications import (
    check_attention_entropy,
    check_extend_ids,
    check_final_distribution,
    check_pointing_accuracy,
    check_position_encoding,
    check_sort_positions,
)
from .background import (
    check_exact_match_by_length,
    check_fixed_vector,
    check_reverse_alignment,
)
from .core_concepts import (
    check_best_sequence,
    check_sequence_log_prob,
    check_soft_lookup,
)
from .data import (
    check_ordinal,
    check_separate_punctuation,
    check_split_by_source,
    check_teacher_forcing,
)
from .decoding import (
    check_beam_step,
    check_greedy_decode,
    check_length_penalty,
    check_top_p_filter,
)
from .faq import (
    check_local_mask,
    check_padding_mask,
    check_quadratic_fit,
)
from .finetuning import (
    check_grow_output_layer,
    check_oov_rate,
    check_warmup_cosine,
)
from .future import (
    check_causal_attention,
    check_sinusoidal_encoding,
    check_split_heads,
)
from .math import (
    check_additive_score,
    check_general_scores,
    check_masked_softmax,
    check_stable_softmax,
)
from .model import (
    check_bahdanau_step,
    check_encoder_output_shapes,
    check_luong_output,
)
from .tools import (
    check_brevity_penalty,
    check_clipped_precision,
    check_signature_differences,
)
from .training import (
    check_exact_match,
    check_masked_accuracy,
    check_masked_cross_entropy,
)

__all__ = [
    "check_stable_softmax",
    "check_masked_softmax",
    "check_additive_score",
    "check_general_scores",
    "check_separate_punctuation",
    "check_ordinal",
    "check_split_by_source",
    "check_teacher_forcing",
    "check_encoder_output_shapes",
    "check_luong_output",
    "check_bahdanau_step",
    "check_masked_cross_entropy",
    "check_masked_accuracy",
    "check_exact_match",
    "check_length_penalty",
    "check_beam_step",
    "check_top_p_filter",
    "check_greedy_decode",
    "check_oov_rate",
    "check_grow_output_layer",
    "check_warmup_cosine",
    "check_soft_lookup",
    "check_sequence_log_prob",
    "check_best_sequence",
    "check_decoder_step_shapes",
    "check_luong_step",
    "check_next_token",
    "check_fixed_vector",
    "check_reverse_alignment",
    "check_exact_match_by_length",
    "check_quadratic_fit",
    "check_padding_mask",
    "check_local_mask",
    "check_sort_positions",
    "check_pointing_accuracy",
    "check_attention_entropy",
    "check_position_encoding",
    "check_extend_ids",
    "check_final_distribution",
    "check_clipped_precision",
    "check_brevity_penalty",
    "check_signature_differences",
    "check_split_heads",
    "check_sinusoidal_encoding",
    "check_causal_attention",
]
