"""The synthetic dates task under its old name; its home is now
:mod:`seq2seq_attention.tasks.dates`.

``from seq2seq_attention import dates`` keeps working and gives the same
functions and classes (the very same objects); new code should write
``from seq2seq_attention.tasks import dates``.
"""

from .tasks.dates import (
    DOMAINS,
    ENGLISH,
    SPANISH,
    DateDomain,
    DateExample,
    english_day_words,
    english_ordinal,
    english_year_words,
    generate_date_examples,
    generate_dates,
    render_date,
    spanish_day_words,
    spanish_number_words,
    spanish_ordinal,
    spanish_year_words,
)

__all__ = [
    "DOMAINS",
    "DateDomain",
    "DateExample",
    "ENGLISH",
    "SPANISH",
    "english_day_words",
    "english_ordinal",
    "english_year_words",
    "generate_date_examples",
    "generate_dates",
    "render_date",
    "spanish_day_words",
    "spanish_number_words",
    "spanish_ordinal",
    "spanish_year_words",
]
