"""The synthetic dates task (seq2seq_attention.dates): seeded, valid, well
defined, varied."""

import collections
import datetime
import re

import pytest

from seq2seq_attention.tasks import dates
from seq2seq_attention.tasks.dates import (
    DOMAINS,
    ENGLISH,
    DateDomain,
    generate_date_examples,
    generate_dates,
)

MONTH_FORMS = [(m, a) for m, a in zip(ENGLISH.months, ENGLISH.months_abbr)]


def test_deterministic_per_seed():
    assert generate_dates(500, seed=11) == generate_dates(500, seed=11)
    assert generate_dates(500, seed=11) != generate_dates(500, seed=12)
    assert (
        generate_dates(100, seed=11) == generate_dates(500, seed=11)[:100]
    ), "a prefix does not depend on n"


def test_every_target_is_a_valid_iso_date_equal_to_the_rendered_date():
    for e in generate_date_examples(5000, seed=0, noise=0.5):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", e.target)
        assert datetime.date.fromisoformat(e.target) == e.date
        assert e.date.isoformat() == e.target
        assert (
            datetime.date(1900, 1, 1) <= e.date <= datetime.date(2099, 12, 31)
        )


def test_clean_texts_show_their_date():
    """Each noise-free text contains the date's year, month and day in one of
    their written forms."""
    for e in generate_date_examples(3000, seed=1, noise=0.0):
        d, text = e.date, e.text
        year_forms = {
            str(d.year),
            f"{d.year % 100:02d}",
            dates.english_year_words(d.year),
            dates.english_year_words(d.year).replace(
                "twenty ", "two thousand ", 1
            ),
        }
        if 2000 <= d.year <= 2099:
            rest = d.year % 100
            spoken = dates._number_words(rest) if rest else ""
            year_forms |= {
                f"two thousand {spoken}".strip(),
                f"two thousand and {spoken}",
            }
        assert any(form in text for form in year_forms), (text, d)
        month, abbr = MONTH_FORMS[d.month - 1]
        numbers = re.findall(r"\d+", text)
        assert (
            abbr in text
            or str(d.month) in numbers
            or f"{d.month:02d}" in numbers
            or f"{d.year}{d.month:02d}{d.day:02d}" in text
        ), (text, d)
        assert (
            str(d.day) in numbers
            or f"{d.day:02d}" in numbers
            or dates.english_ordinal(d.day) in text
            or dates.english_day_words(d.day) in text
            or f"{d.year}{d.month:02d}{d.day:02d}" in text
        ), (text, d)


def test_numeric_templates_parse_with_strptime():
    """The numeric US and year-first formats mean exactly the target date
    (strptime agrees)."""
    formats = {
        "{mm}/{dd}/{year}": "%m/%d/%Y",
        "{m}/{day}/{year}": "%m/%d/%Y",
        "{m}/{day}/{yy}": "%m/%d/%y",
        "{year}-{mm}-{dd}": "%Y-%m-%d",
        "{year}{mm}{dd}": "%Y%m%d",
        "{m}.{day}.{year}": "%m.%d.%Y",
        "{month} {day}, {year}": "%B %d, %Y",
        "{day} {mon} {year}": "%d %b %Y",
    }
    examples = generate_date_examples(
        600,
        seed=2,
        noise=0.0,
        templates=list(formats),
        start=datetime.date(1969, 1, 1),
        end=datetime.date(2049, 12, 31),
    )
    for e in examples:
        assert (
            datetime.datetime.strptime(e.text, formats[e.template]).date()
            == e.date
        ), e


def test_the_task_is_well_defined_even_with_noise():
    """No input text maps to two different dates."""
    seen = {}
    for text, target in generate_dates(30000, seed=3, noise=0.5):
        assert seen.setdefault(text, target) == target, (
            f"{text!r} means both {seen[text]} and {target}"
        )


def test_many_formats_and_lengths_and_some_noise():
    examples = generate_date_examples(4000, seed=4)
    assert len({e.template for e in examples}) == len(ENGLISH.templates) >= 30
    lengths = [len(e.text) for e in examples]
    assert min(lengths) <= 8 and max(lengths) >= 55, "short and long inputs"
    noisy = [e for e in examples if e.noisy]
    assert 0.25 < len(noisy) / len(examples) < 0.35
    assert any(e.text != e.text.lower() for e in noisy), "case noise"
    assert any("  " in e.text for e in noisy), "space noise"
    assert not any(e.text != e.text.lower() for e in examples if not e.noisy)
    assert generate_date_examples(50, seed=4, noise=0.0)[0].noisy is False


def test_two_digit_years_only_where_unambiguous():
    for e in generate_date_examples(
        5000, seed=5, start=datetime.date(1900, 1, 1)
    ):
        if "{yy}" in e.template:
            assert 1950 <= e.date.year <= 2049, e
    with pytest.raises(ValueError, match="1950-2049"):
        dates.render_date(datetime.date(1920, 1, 1), "{m}/{day}/{yy}")
    with pytest.raises(
        ValueError, match="every template writes a two-digit year"
    ):
        generate_date_examples(
            5,
            seed=0,
            templates=["{m}/{day}/{yy}"],
            start=datetime.date(1900, 1, 1),
            end=datetime.date(1901, 1, 1),
        )


def test_words_for_numbers():
    assert [
        dates.english_day_words(d) for d in (1, 2, 5, 8, 9, 11, 19, 21, 30, 31)
    ] == [
        "first",
        "second",
        "fifth",
        "eighth",
        "ninth",
        "eleventh",
        "nineteenth",
        "twenty-first",
        "thirtieth",
        "thirty-first",
    ]
    assert dates.english_year_words(2009) == "two thousand nine"
    assert dates.english_year_words(1999) == "nineteen ninety-nine"
    with pytest.raises(ValueError, match="four digits"):
        dates.english_year_words(99)


def test_a_domain_can_be_added_with_the_same_target():
    """A new DateDomain in DOMAINS is all a new domain needs; the target never
    changes."""
    toy = DateDomain(
        name="xx",
        months=dates.SPANISH.months,
        months_abbr=dates.SPANISH.months_abbr,
        weekdays=dates.SPANISH.weekdays,
        weekdays_abbr=dates.SPANISH.weekdays_abbr,
        templates=("{weekday}, {day} de {month} de {year}", "{dd}/{mm}/{yy}"),
        ordinal=str,
        day_words=str,
        year_words=lambda year, rng=None: str(year),
    )
    DOMAINS["xx"] = toy
    try:
        pairs = generate_dates(20, seed=0, domain="xx")
    finally:
        del DOMAINS["xx"]
    assert all(datetime.date.fromisoformat(t) for _, t in pairs)
    assert any(" de " in s for s, _ in pairs)
    with pytest.raises(ValueError, match="unknown date domain 'xx'"):
        generate_dates(1, seed=0, domain="xx")


def test_spanish_reads_numbers_day_first():
    """The same input means a different date in Spanish: the fine-tuning
    chapter's lesson."""
    day = datetime.date(2015, 3, 4)
    assert dates.render_date(day, "{dd}/{mm}/{yy}", "es") == "04/03/15"
    assert dates.render_date(day, "{mm}/{dd}/{yy}") == "03/04/15"
    assert (
        dates.render_date(day, "{weekday}, {day} de {month} de {year}", "es")
        == "miércoles, 4 de marzo de 2015"
    )
    assert dates.render_date(
        datetime.date(1999, 5, 1),
        "el {day_words} de {month} de {year_words}",
        "es",
    ) == ("el primero de mayo de mil novecientos noventa y nueve")


def test_spanish_examples_are_well_defined():
    """Every Spanish template puts day before month in numeric forms, and every
    example maps back to its date: the generated day, month and year appear in
    the text."""
    for e in generate_date_examples(400, seed=5, domain="es", noise=0.0):
        fields = dates._fields(e.date, dates.SPANISH, None)
        assert (
            fields["month"] in e.text
            or fields["mon"] in e.text
            or fields["m"] in e.text
        ), e
    numeric = [
        t
        for t in dates.SPANISH.templates
        if "{month}" not in t
        and "{mon}" not in t
        and "{year}-" not in t
        and "{year}/" not in t
    ]
    assert numeric and all(t.index("{d") < t.index("{m") for t in numeric), (
        numeric
    )
    assert [dates.spanish_number_words(n) for n in (0, 15, 29, 30, 45)] == [
        "cero",
        "quince",
        "veintinueve",
        "treinta",
        "cuarenta y cinco",
    ]
    with pytest.raises(ValueError, match="0..99"):
        dates.spanish_number_words(100)
    with pytest.raises(ValueError, match="1900..2099"):
        dates.spanish_year_words(1850)


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="noise is a probability"):
        generate_dates(1, seed=0, noise=2)
    with pytest.raises(ValueError, match="must not be after"):
        generate_dates(
            1,
            seed=0,
            start=datetime.date(2000, 1, 2),
            end=datetime.date(2000, 1, 1),
        )
    counts = collections.Counter(
        e.date.year // 100 for e in generate_date_examples(2000, seed=6)
    )
    assert counts[19] > 800 and counts[20] > 800, "both centuries"
