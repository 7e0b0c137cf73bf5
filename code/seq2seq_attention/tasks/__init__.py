"""Synthetic tasks: data made by a rule, so that what a model must learn is
known.

- :mod:`~seq2seq_attention.tasks.sequences`: copy, reverse and sort strings
  of controlled length (re-exported here: ``tasks.generate(...)``);
- :mod:`~seq2seq_attention.tasks.dates`: human-readable dates -> ISO 8601, in
  English and Spanish (also importable as ``seq2seq_attention.dates``);
- :mod:`~seq2seq_attention.tasks.qa`: bAbI-style stories with a question
  (one or two supporting facts) and the indices of their supporting
  sentences;
- :mod:`~seq2seq_attention.tasks.headlines`: generated news reports and the
  headlines that copy their names, places and figures.

Example:
    >>> from seq2seq_attention import tasks
    >>> tasks.generate("reverse", 2, min_length=3, max_length=3, seed=0)
    [('604', '406'), ('647', '746')]
"""

from . import headlines, qa
from .sequences import (
    ALPHABETS,
    TASKS,
    apply_task,
    generate,
    length_bins,
    score_by_length,
)

__all__ = [
    "ALPHABETS",
    "TASKS",
    "apply_task",
    "generate",
    "headlines",
    "length_bins",
    "qa",
    "score_by_length",
]
