"""A synthetic teaching task: human-readable dates -> ISO 8601.

``"tue 3 march 2015"``, ``"03/03/15"`` and ``"the third of March, two thousand
fifteen"`` all become ``"2015-03-03"``. The task is small enough to train on a
CPU, and attention on it shows an alignment that is easy to explain (the
output's month digits look at the input's month word, and so on).

A plain version with a handful of formats is learned almost perfectly in one
epoch, which shows nothing. This generator is harder on purpose:

- about 30 surface formats per domain: month names and abbreviations, weekdays,
  ordinals (``3rd``), day and year written in words (``twenty-third``,
  ``nineteen eighty-four``), two-digit years, numeric dates with several
  separators, and the compact ``20150303``;
- a wide date range (1900-2099 by default), so that the century is not free;
- optional noise: upper/title/random case, doubled spaces, typos in month and
  weekday names, a prefix such as ``"on "`` or ``"date: "``;
- inputs from 8 to about 70 characters, so that a model without attention,
  which must squeeze the whole input into one vector, has long inputs to fail
  on.

The task stays *well defined*: every input denotes exactly one date. Noise
never touches digits or number words; two-digit years are used only for
1950-2049 (``yy < 50`` means ``20yy``); and each domain has one numeric
convention. The English domain ``"en"`` reads ``03/04/15`` month first (US
style), so a domain added later with day-first numbers (Spanish, French) maps
the *same* input to a *different* target: a good fine-tuning lesson.

Adding a domain: build a :class:`DateDomain` with its month and weekday names,
number words and templates, and put it in :data:`DOMAINS`. Domain ``"es"`` is
Spanish (day-first numbers, "3 de marzo de 2015"), the new domain of the
fine-tuning chapter. The target format never changes.

Example:
    >>> pairs = generate_dates(3, seed=0)
    >>> [target for _, target in pairs]
    ['2038-04-01', '1978-05-23', '1952-09-27']
    >>> generate_dates(3, seed=0) == pairs  # same seed, same examples
    True
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

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

TARGET_LENGTH = 10  # "YYYY-MM-DD"

# -- English number words ----------------------------------------------------

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = [
    "",
    "",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
]
_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def _number_words(n):
    """0 <= n < 100 in English words, e.g. 42 -> 'forty-two'."""
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + ("" if ones == 0 else "-" + _ONES[ones])


def english_ordinal(day):
    """A day of the month with its English ordinal suffix.

    Example:
        >>> [
        ...     english_ordinal(d)
        ...     for d in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)
        ... ]
        ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th',
         '21st', '22nd', '23rd', '31st']
    """
    if 10 <= day % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def english_day_words(day):
    """A day of the month as English ordinal words.

    Example:
        >>> (
        ...     english_day_words(3),
        ...     english_day_words(12),
        ...     english_day_words(20),
        ...     english_day_words(23),
        ... )
        ('third', 'twelfth', 'twentieth', 'twenty-third')
    """
    words = _number_words(day)
    head, _, last = words.rpartition("-")
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last = last + "th"
    return f"{head}-{last}" if head else last


def english_year_words(year, rng=None):
    """A year (1900-2099) as English words, the way people say it.

    Years 2000-2009 are said "two thousand (and) five"; from 2010 on both
    "twenty fifteen" and "two thousand fifteen" occur: ``rng`` picks one
    (without it, the first).

    Example:
        >>> (
        ...     english_year_words(1984),
        ...     english_year_words(1905),
        ...     english_year_words(1900),
        ... )
        ('nineteen eighty-four', 'nineteen oh five', 'nineteen hundred')
        >>> english_year_words(2000), english_year_words(2015)
        ('two thousand', 'twenty fifteen')
    """
    if not 1000 <= year <= 9999:
        raise ValueError(
            f"english_year_words: year must have four digits, got {year}."
        )
    century, rest = divmod(year, 100)
    choice = 0 if rng is None else rng.randrange(2)
    if century == 20 and (rest < 10 or choice == 1):
        if rest == 0:
            return "two thousand"
        return (
            "two thousand "
            + ("and " if rng is not None and rng.randrange(2) else "")
            + _number_words(rest)
        )
    if rest == 0:
        return _number_words(century) + " hundred"
    if rest < 10:
        return f"{_number_words(century)} oh {_ONES[rest]}"
    return f"{_number_words(century)} {_number_words(rest)}"


# -- Domains ------------------------------------------------------------------


@dataclass(frozen=True)
class DateDomain:
    """How one language (or house style) writes dates.

    Templates are ``str.format`` strings over these fields:

    =============  ==================================  ===================
    field          meaning                             2015-03-03
    =============  ==================================  ===================
    ``day``        day, no padding                     ``3``
    ``dd``         day, two digits                     ``03``
    ``day_ord``    day with ordinal suffix             ``3rd``
    ``day_words``  day in ordinal words                ``third``
    ``month``      month name                          ``march``
    ``mon``        month abbreviation                  ``mar``
    ``m``          month number, no padding            ``3``
    ``mm``         month number, two digits            ``03``
    ``year``       four-digit year                     ``2015``
    ``yy``         two-digit year (1950-2049 only)     ``15``
    ``year_words`` year in words                       ``twenty fifteen``
    ``weekday``    weekday name                        ``tuesday``
    ``wkd``        weekday abbreviation                ``tue``
    =============  ==================================  ===================

    Names are lower case: the generator's noise chooses the case.
    """

    name: str
    months: tuple  # 12 names, January first
    months_abbr: tuple
    weekdays: tuple  # 7 names, Monday first (as datetime.date.weekday())
    weekdays_abbr: tuple
    templates: tuple
    ordinal: Callable[[int], str]
    day_words: Callable[[int], str]
    year_words: Callable[[int, random.Random | None], str]
    prefixes: tuple = field(default=())  # noise: words that may precede a date


ENGLISH = DateDomain(
    name="en",
    months=(
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    months_abbr=(
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
    ),
    weekdays=(
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ),
    weekdays_abbr=("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    templates=(
        # month name first
        "{month} {day}, {year}",
        "{month} {day_ord}, {year}",
        "{month} {day} {year}",
        "{mon} {day}, {year}",
        "{mon}. {day}, {year}",
        "{mon} {day_ord} {yy}",
        "{mon} {day} '{yy}",
        "{weekday}, {month} {day_ord}, {year}",
        "{wkd}, {mon} {day}, {year}",
        "{month} the {day_words}, {year_words}",
        "{month} {day_words}, {year}",
        # day first
        "{day} {month} {year}",
        "{day} {mon} {year}",
        "{dd} {mon} {yy}",
        "{wkd} {day} {month} {year}",
        "{day_ord} {month} {year}",
        "{day_ord} of {month}, {year}",
        "the {day_ord} of {month} {year}",
        "{weekday} the {day_ord} of {month}, {year}",
        "the {day_words} of {month}, {year_words}",
        "{weekday}, the {day_words} of {month} {year}",
        "{day}-{mon}-{year}",
        "{dd}-{mon}-{yy}",
        # numeric, month first (US)
        "{m}/{day}/{yy}",
        "{mm}/{dd}/{year}",
        "{m}/{day}/{year}",
        "{mm}-{dd}-{yy}",
        "{m}.{day}.{year}",
        # numeric, year first
        "{year}-{mm}-{dd}",
        "{year}/{m}/{day}",
        "{year}.{mm}.{dd}",
        "{year}{mm}{dd}",
    ),
    ordinal=english_ordinal,
    day_words=english_day_words,
    year_words=english_year_words,
    prefixes=("on ", "date: ", "due ", "born ", "the date is "),
)

# -- Spanish ------------------------------------------------------------------

_ES_ONES = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
]
_ES_TENS = [
    "",
    "",
    "",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
]


def spanish_number_words(n):
    """0 <= n < 100 in Spanish words.

    Example:
        >>> (
        ...     spanish_number_words(16),
        ...     spanish_number_words(22),
        ...     spanish_number_words(31),
        ...     spanish_number_words(90),
        ... )
        ('dieciséis', 'veintidós', 'treinta y uno', 'noventa')
    """
    if not 0 <= n < 100:
        raise ValueError(f"spanish_number_words: n must be in 0..99, got {n}.")
    if n < 30:
        return _ES_ONES[n]
    tens, ones = divmod(n, 10)
    return _ES_TENS[tens] + ("" if ones == 0 else " y " + _ES_ONES[ones])


def spanish_ordinal(day):
    """A day as Spanish writes it with the ordinal sign: ``1º``, ``2``...

    Spanish uses the ordinal only for the first of the month ("1º de mayo").

    Example:
        >>> spanish_ordinal(1), spanish_ordinal(23)
        ('1º', '23')
    """
    return "1º" if day == 1 else str(day)


def spanish_day_words(day):
    """A day of the month in Spanish words: ``primero`` for the 1st, then
    cardinals.

    Example:
        >>> spanish_day_words(1), spanish_day_words(3), spanish_day_words(21)
        ('primero', 'tres', 'veintiuno')
    """
    return "primero" if day == 1 else spanish_number_words(day)


def spanish_year_words(year, rng=None):
    """A year (1900-2099) in Spanish words (``rng`` is unused: one way to say
    it).

    Example:
        >>> (
        ...     spanish_year_words(1984),
        ...     spanish_year_words(1900),
        ...     spanish_year_words(2015),
        ... )
        ('mil novecientos ochenta y cuatro', 'mil novecientos',
         'dos mil quince')
    """
    if not 1900 <= year <= 2099:
        raise ValueError(
            f"spanish_year_words: year must be in 1900..2099, got {year}."
        )
    head, rest = (
        ("mil novecientos", year - 1900)
        if year < 2000
        else ("dos mil", year - 2000)
    )
    return head if rest == 0 else f"{head} {spanish_number_words(rest)}"


SPANISH = DateDomain(
    name="es",
    months=(
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    months_abbr=(
        "ene",
        "feb",
        "mar",
        "abr",
        "may",
        "jun",
        "jul",
        "ago",
        "sep",
        "oct",
        "nov",
        "dic",
    ),
    weekdays=(
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ),
    weekdays_abbr=("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
    templates=(
        # day first, with words: the Spanish order
        "{day} de {month} de {year}",
        "{day_ord} de {month} de {year}",
        "{weekday}, {day} de {month} de {year}",
        "{weekday} {day} de {month} del {year}",
        "{wkd} {day} {mon} {year}",
        "{day} {mon} {year}",
        "{dd} {mon} {yy}",
        "{day}-{mon}-{year}",
        "el {day} de {month} de {year}",
        "el {day_words} de {month} de {year_words}",
        "{day_words} de {month} de {year}",
        "{weekday}, {day_words} de {month} de {year_words}",
        "{month} {day}, {year}",
        # numeric, day first (European): 03/04/15 is the 3rd of April
        "{day}/{m}/{yy}",
        "{dd}/{mm}/{year}",
        "{day}/{m}/{year}",
        "{dd}-{mm}-{yy}",
        "{day}.{m}.{year}",
        # numeric, year first
        "{year}-{mm}-{dd}",
        "{year}/{m}/{day}",
    ),
    ordinal=spanish_ordinal,
    day_words=spanish_day_words,
    year_words=spanish_year_words,
    prefixes=("el ", "fecha: ", "vence el ", "nacido el ", "hoy es "),
)

DOMAINS = {"en": ENGLISH, "es": SPANISH}
"""Registered domains by name. Add one with
``DOMAINS["fr"] = DateDomain(...)``."""


def _domain(domain):
    if isinstance(domain, DateDomain):
        return domain
    try:
        return DOMAINS[domain]
    except KeyError:
        raise ValueError(
            f"unknown date domain {domain!r}; known domains: "
            f"{sorted(DOMAINS)}. Add one with DOMAINS[name] = "
            "DateDomain(...) or pass a DateDomain."
        ) from None


def _fields(date, domain, rng):
    return {
        "day": str(date.day),
        "dd": f"{date.day:02d}",
        "day_ord": domain.ordinal(date.day),
        "day_words": domain.day_words(date.day),
        "month": domain.months[date.month - 1],
        "mon": domain.months_abbr[date.month - 1],
        "m": str(date.month),
        "mm": f"{date.month:02d}",
        "year": f"{date.year:04d}",
        "yy": f"{date.year % 100:02d}",
        "year_words": domain.year_words(date.year, rng),
        "weekday": domain.weekdays[date.weekday()],
        "wkd": domain.weekdays_abbr[date.weekday()],
    }


def _two_digit_year_ok(date):
    return 1950 <= date.year <= 2049


def render_date(date, template, domain="en", rng=None):
    """Write ``date`` with one template of a domain, without noise.

    Example:
        >>> d = datetime.date(2015, 3, 3)
        >>> render_date(d, "{wkd} {day} {month} {year}")
        'tue 3 march 2015'
        >>> (
        ...     render_date(d, "{month} {day_ord}, {year}"),
        ...     render_date(d, "{mm}/{dd}/{yy}"),
        ... )
        ('march 3rd, 2015', '03/03/15')
        >>> render_date(d, "the {day_words} of {month}, {year_words}")
        'the third of march, twenty fifteen'
    """
    domain = _domain(domain)
    if "{yy}" in template and not _two_digit_year_ok(date):
        raise ValueError(
            f"template {template!r} writes a two-digit year, which is only "
            f"unambiguous for 1950-2049; got {date.isoformat()}. Use a "
            "four-digit template for this date."
        )
    return template.format(**_fields(date, domain, rng))


# -- Noise --------------------------------------------------------------------


def _typo(word, rng):
    """One letter dropped, doubled, or swapped with its neighbour (words of 4+
    letters)."""
    if len(word) < 4:
        return word
    # keep the first letter: still readable
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _recase(text, rng):
    kind = rng.randrange(3)
    if kind == 0:
        return text.upper()
    if kind == 1:
        return text.title()
    return "".join(c.upper() if rng.random() < 0.5 else c for c in text)


def _respace(text, rng):
    spaces = [i for i, c in enumerate(text) if c == " "]
    if spaces and rng.random() < 0.7:
        i = rng.choice(spaces)
        return text[:i] + " " * rng.randrange(2, 4) + text[i + 1 :]
    return text.replace(",", " ,") if "," in text else text + " "


# -- The generator ------------------------------------------------------------


@dataclass(frozen=True)
class DateExample:
    """One example: the input ``text``, its ISO ``target``, the ``date``
    itself, the ``template`` used and whether noise was added."""

    text: str
    target: str
    date: datetime.date
    template: str
    noisy: bool


def generate_date_examples(
    n,
    *,
    seed,
    domain="en",
    noise=0.3,
    start=datetime.date(1900, 1, 1),
    end=datetime.date(2099, 12, 31),
    templates=None,
):
    """Generate ``n`` examples, the same ones for the same arguments.

    Args:
        n: number of examples.
        seed: seed of the generator (required: the course never hides a seed).
        domain: a name in :data:`DOMAINS` or a :class:`DateDomain`.
        noise: probability that an example gets noise (case, spaces, a typo in
            a month or weekday name, a prefix); 0 for clean examples.
        start, end: the range of dates, both included, drawn uniformly.
        templates: restrict to these templates (default: all of the domain's).

    Returns:
        list of :class:`DateExample`.

    Example:
        >>> ex = generate_date_examples(2, seed=1, noise=0.0)
        >>> [(e.text, e.target) for e in ex]
        [('21-mar-1948', '1948-03-21'), ('2077.10.16', '2077-10-16')]
        >>> ex[0].date.isoformat() == ex[0].target
        True
    """
    domain = _domain(domain)
    if not 0.0 <= noise <= 1.0:
        raise ValueError(
            f"noise is a probability and must be in [0, 1]; got {noise}."
        )
    if start > end:
        raise ValueError(f"start ({start}) must not be after end ({end}).")
    templates = tuple(templates or domain.templates)
    four_digit = [t for t in templates if "{yy}" not in t]
    rng = random.Random(seed)
    span = (end - start).days
    examples = []
    for _ in range(n):
        date = start + datetime.timedelta(days=rng.randint(0, span))
        choices = templates if _two_digit_year_ok(date) else four_digit
        if not choices:
            raise ValueError(
                f"every template writes a two-digit year, which {date} "
                "cannot use."
            )
        template = rng.choice(choices)
        fields = _fields(date, domain, rng)
        noisy = rng.random() < noise
        if noisy:
            for key in (
                "month",
                "weekday",
            ):  # typos only in names: digits and numbers stay exact
                if rng.random() < 0.3:
                    fields[key] = _typo(fields[key], rng)
        text = template.format(**fields)
        if noisy:
            if rng.random() < 0.5:
                text = _recase(text, rng)
            if rng.random() < 0.5:
                text = _respace(text, rng)
            if domain.prefixes and rng.random() < 0.3:
                text = rng.choice(domain.prefixes) + text
        examples.append(
            DateExample(text, date.isoformat(), date, template, noisy)
        )
    return examples


def generate_dates(n, *, seed, domain="en", noise=0.3, **kwargs):
    """``(text, iso_date)`` pairs: :func:`generate_date_examples` without the
    details.

    Example:
        >>> generate_dates(2, seed=3, noise=0.0)
        [('sat, may 25, 1985', '1985-05-25'), ('2/13/2070', '2070-02-13')]
    """
    return [
        (e.text, e.target)
        for e in generate_date_examples(
            n, seed=seed, domain=domain, noise=noise, **kwargs
        )
    ]
