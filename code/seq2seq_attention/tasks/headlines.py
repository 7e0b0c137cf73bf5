"""Short news reports and their headlines: a summarization task that copies.

Each item is a report of one to four sentences about an event (an
election, a football match, a storm, a company's shares, ...) and the
headline a sub-editor would write for it::

    a storm hit dravonport on friday , leaving 4210 homes without power ,
    officials said . kelu brashin , a spokesperson , said more details
    would follow .
    -> storm leaves 4210 homes without power in dravonport

The headline must **copy** the report's names, places and figures (its
*facts*, recorded with each item) and **rephrase** the rest ("hit ...
leaving" becomes "leaves"). What makes it a test of copying:

- names, places, companies and teams are made from random syllables, so
  almost every one is rare; a vocabulary built from the training reports
  leaves them out, and a model that can only write vocabulary words writes
  ``[UNK]`` instead;
- names of the test split never occur in training: every generated word
  goes to the test split when its CRC-32 is divisible by 4 and to the
  training split otherwise (:func:`split_of`);
- figures are drawn from wide ranges (up to 9999), most too rare for the
  vocabulary;
- distractors: extra sentences (before or after the lead) name other
  people, places and figures that the headline must *not* copy, and some
  leads name a second person (the chief executive who is replaced).

Pure Python (no TensorFlow); seeded.

Example:
    >>> item = generate_news(1, seed=5)[0]
    >>> item.kind
    'storm'
    >>> item.headline
    'storm leaves 4849 homes without power in molbithburg'
    >>> item.facts
    ('4849', 'molbithburg')
    >>> all(fact in item.text.split() for fact in item.facts)
    True
"""

from __future__ import annotations

import dataclasses
import random
import zlib

__all__ = [
    "EVENTS",
    "NewsItem",
    "generate_news",
    "split_of",
]

_ONSETS = (
    "b",
    "d",
    "f",
    "g",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "br",
    "dr",
    "kr",
    "st",
    "tr",
    "sh",
    "ch",
)
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou")
_CODAS = ("", "", "n", "r", "l", "s", "th", "k")
_PLACE_ENDINGS = (
    "ton",
    "ville",
    "burg",
    "ford",
    "port",
    "field",
    "dale",
    "wick",
)
_COMPANY_ENDINGS = ("ex", "ix", "ora", "ica", "tec", "ium")
_TEAM_WORDS = ("united", "city", "rovers", "athletic")
_DAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_ROLES = ("mayor", "governor")
_THINGS = ("schools", "roads", "parks", "hospitals", "housing", "bridges")
_PRIZES = ("science", "music", "peace", "poetry", "film")
_WORKS = (
    "her work on clean water",
    "his work on new vaccines",
    "a novel about the sea",
    "a study of old bridges",
)


def split_of(word):
    """``"test"`` if a generated word belongs to the test split, else
    ``"train"``: the CRC-32 of the word, divisible by 4 or not.

    Example:
        >>> split_of("dravonport"), split_of("kelpaiton")
        ('test', 'train')
    """
    return "test" if zlib.crc32(word.encode()) % 4 == 0 else "train"


class _Names:
    """Draws made-up words of one split."""

    def __init__(self, rng, split):
        self.rng, self.split = rng, split

    def _word(self, syllables, ending=""):
        while True:
            word = (
                "".join(
                    self.rng.choice(_ONSETS)
                    + self.rng.choice(_VOWELS)
                    + self.rng.choice(_CODAS)
                    for _ in range(syllables)
                )
                + ending
            )
            if split_of(word) == self.split:
                return word

    def person(self):
        return f"{self._word(2)} {self._word(self.rng.choice((2, 3)))}"

    def place(self):
        return self._word(2, self.rng.choice(_PLACE_ENDINGS))

    def company(self):
        return self._word(2, self.rng.choice(_COMPANY_ENDINGS))


@dataclasses.dataclass(frozen=True)
class NewsItem:
    """One report and its headline.

    Attributes:
        text: the report, lower case, punctuation separated by spaces.
        headline: the headline, the same way.
        facts: the headline's words that must be copied from the report
            (names, places, figures), in headline order.
        kind: the kind of event, a key of :data:`EVENTS`.
    """

    text: str
    headline: str
    facts: tuple
    kind: str


# Each event: lead sentences (one is drawn), the headline, and which of the
# fields are facts to be copied. Fields: p, p2 (people), place, org, team,
# team2, n, a, b (figures), day, role, thing, prize, work, rise, rose.
EVENTS = {
    "election": (
        (
            "{p} won the election for {role} of {place} on {day} with {pct} "
            "percent of the vote .",
            "voters in {place} elected {p} as {role} on {day} , with {pct} "
            "percent of the vote .",
        ),
        "{p} elected {role} of {place}",
        ("p", "place"),
    ),
    "budget": (
        (
            "the city of {place} will spend {n} million dollars on new "
            "{thing} "
            ", {role} {p2} said on {day} .",
            "on {day} , {role} {p2} announced that {place} will spend {n} "
            "million dollars on {thing} .",
        ),
        "{place} to spend {n} million on {thing}",
        ("place", "n"),
    ),
    "match": (
        (
            "{team} beat {team2} {a} - {b} on {day} , with {p2} scoring "
            "twice .",
            "{p2} scored twice as {team} beat {team2} {a} - {b} on {day} .",
        ),
        "{team} beat {team2} {a} - {b}",
        ("team", "team2", "a", "b"),
    ),
    "shares": (
        (
            "shares of {org} {rose} {pct} percent on {day} after the company "
            "reported its sales .",
            "{org} shares {rose} {pct} percent on {day} , the company said .",
        ),
        "{org} shares {rise} {pct} percent",
        ("org", "pct"),
    ),
    "storm": (
        (
            "a storm hit {place} on {day} , leaving {n} homes without power , "
            "officials said .",
            "{n} homes in {place} were left without power after a storm on "
            "{day} .",
        ),
        "storm leaves {n} homes without power in {place}",
        ("n", "place"),
    ),
    "chief": (
        (
            "{org} named {p} as its new chief executive on {day} , replacing "
            "{p2} .",
            "{p} will lead {org} as chief executive , the company said on "
            "{day} .",
        ),
        "{org} names {p} chief executive",
        ("org", "p"),
    ),
    "arrest": (
        (
            "police in {place} arrested {p} on {day} after a search of {a} "
            "days .",
            "{p} was arrested in {place} on {day} , police said .",
        ),
        "{p} arrested in {place}",
        ("p", "place"),
    ),
    "fire": (
        (
            "a fire destroyed {n} buildings in {place} on {day} ; no one was "
            "hurt , fire chief {p2} said .",
            "fire chief {p2} said {n} buildings in {place} were destroyed "
            "by a "
            "fire on {day} .",
        ),
        "fire destroys {n} buildings in {place}",
        ("n", "place"),
    ),
    "factory": (
        (
            "{org} will open a factory in {place} , creating {n} jobs , the "
            "company said on {day} .",
            "{org} said on {day} it would create {n} jobs with a new factory "
            "in {place} .",
        ),
        "{org} to create {n} jobs in {place}",
        ("org", "n", "place"),
    ),
    "prize": (
        (
            "{p} of {place} won the {prize} prize on {day} for {work} .",
            "the {prize} prize went to {p} of {place} on {day} , for {work} .",
        ),
        "{p} wins {prize} prize",
        ("p",),
    ),
}
"""The kinds of event: lead sentences, headline, and the copied fields."""

_FILLERS = (
    "{p3} , a spokesperson , said more details would follow .",
    "the news came {m} days after a similar report from {place3} .",
    "{p3} of {org3} called the news a surprise .",
    "local officials said {m} people attended the meeting .",
    "residents of {place3} reacted with caution .",
    "{p3} said the decision had been expected for weeks .",
)


def _fields(rng, names):
    team_words = rng.sample(_TEAM_WORDS, 2)
    a = rng.randint(1, 6)
    rose = rng.random() < 0.5
    return {
        "p": names.person(),
        "p2": names.person(),
        "p3": names.person(),
        "place": names.place(),
        "place3": names.place(),
        "org": names.company(),
        "org3": names.company(),
        "team": f"{names.place()} {team_words[0]}",
        "team2": f"{names.place()} {team_words[1]}",
        "n": str(rng.randint(2, 9999)),
        "m": str(rng.randint(2, 99)),
        "pct": str(rng.randint(2, 99)),
        "a": str(a),
        "b": str(rng.randint(0, a - 1)),
        "day": rng.choice(_DAYS),
        "role": rng.choice(_ROLES),
        "thing": rng.choice(_THINGS),
        "prize": rng.choice(_PRIZES),
        "work": rng.choice(_WORKS),
        "rose": "rose" if rose else "fell",
        "rise": "rise" if rose else "fall",
    }


def _facts(fields, names, headline):
    """The headline's words that come from the copied fields."""
    copied = {w for name in names for w in fields[name].split()}
    copied -= set(_TEAM_WORDS)  # "united" is a vocabulary word, not a fact
    return tuple(w for w in headline.split() if w in copied)


def _item(rng, names, kind):
    leads, headline, copied = EVENTS[kind]
    fields = _fields(rng, names)
    sentences = [rng.choice(leads).format(**fields)]
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        filler = rng.choice(_FILLERS).format(**fields)
        if rng.random() < 0.3:
            sentences.insert(0, filler)
        else:
            sentences.append(filler)
    headline = headline.format(**fields)
    return NewsItem(
        " ".join(sentences), headline, _facts(fields, copied, headline), kind
    )


def generate_news(n, *, seed, split="train", kinds=None):
    """``n`` random news items, the same ones for the same arguments.

    Args:
        n: number of items (0 or more).
        seed: seed of the generator (required).
        split: ``"train"`` or ``"test"``: which made-up words may occur
            (:func:`split_of`); test names never occur in training items.
        kinds: the kinds of event to draw from (default: all of
            :data:`EVENTS`), uniformly.

    Returns:
        a list of :class:`NewsItem`.

    Example:
        >>> items = generate_news(500, seed=1)
        >>> sorted({item.kind for item in items}) == sorted(EVENTS)
        True
        >>> test = generate_news(500, seed=1, split="test")
        >>> train_words = {w for item in items for w in item.text.split()}
        >>> sum(
        ...     fact in train_words
        ...     for item in test
        ...     for fact in item.facts
        ...     if not fact.isdigit()
        ... )
        0
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative integer; got {n!r}.")
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test'; got {split!r}.")
    if seed is None:
        raise ValueError(
            "generate_news needs a seed (any int) so that the "
            "items are reproducible."
        )
    kinds = sorted(EVENTS) if kinds is None else list(kinds)
    unknown = [k for k in kinds if k not in EVENTS]
    if unknown or not kinds:
        raise ValueError(
            f"kinds must be a non-empty list from "
            f"{sorted(EVENTS)}; got {kinds!r}."
        )
    rng = random.Random(seed)
    names = _Names(rng, split)
    return [_item(rng, names, rng.choice(kinds)) for _ in range(n)]
