"""Stories with a question, in the style of the bAbI tasks (Weston et al.).

A story is a list of short sentences about people moving between places
and carrying objects, followed by one question whose answer is one word::

    mary went to the kitchen .
    john moved to the garden .
    mary travelled to the office .
    where is mary ?                         -> office

Two tasks, of increasing difficulty:

==============  ==========================================  ================
task            question                                    supporting facts
==============  ==========================================  ================
``one_fact``    ``where is mary ?``: her last move          1
``two_facts``   ``where is the milk ?``: who has it (or         2
                who dropped it), then where that person
                was (bAbI task 2: an object carried by a
                person)
==============  ==========================================  ================

Every story has 10 to 30 sentences by default; most are distractors (other
people moving, other objects changing hands), so a reader must find the one
or two sentences that matter. Each :class:`Story` records the indices of
its supporting sentences, in the order of the reasoning (for ``two_facts``:
first the sentence about the object, then the move of the person), so that
a model's attention can be checked against them.

The answer is determined by the supporting sentences alone:
:func:`answer_question` (a rule-based reader of this little language) gives
the same answer from the supporting sentences as from the whole story.

Pure Python (no TensorFlow); seeded: the same arguments give the same
stories.

Example:
    >>> story = generate_stories("one_fact", 1, seed=0, max_sentences=10)[0]
    >>> len(story.sentences), story.question, story.answer
    (10, 'where is julie ?', 'office')
    >>> [story.sentences[i] for i in story.supporting]
    ['julie journeyed to the office .']
    >>> answer_question(story.sentences, story.question) == story.answer
    True
"""

from __future__ import annotations

import dataclasses
import random

__all__ = [
    "OBJECTS",
    "PEOPLE",
    "PLACES",
    "QA_TASKS",
    "Story",
    "answer_question",
    "generate_stories",
]

PEOPLE = ("mary", "john", "sandra", "daniel", "fred", "julie")
"""The people of the stories."""

PLACES = ("kitchen", "garden", "office", "bathroom", "bedroom", "hallway")
"""The places they move between: every answer is one of these."""

OBJECTS = ("apple", "football", "milk", "book")
"""The objects they pick up and drop (``two_facts`` only)."""

QA_TASKS = ("one_fact", "two_facts")
"""The task names, easiest first."""

_MOVES = (
    "went to",
    "moved to",
    "travelled to",
    "journeyed to",
    "went back to",
)
_GETS = ("picked up", "got", "grabbed", "took")
_DROPS = ("dropped", "put down", "discarded", "left")


@dataclasses.dataclass(frozen=True)
class Story:
    """One story, its question and its answer.

    Attributes:
        sentences: the story, one sentence per item, oldest first.
        question: e.g. ``"where is mary ?"``.
        answer: one word, a place.
        supporting: indices into ``sentences`` of the facts the answer
            needs, in the order of the reasoning.
        task: ``"one_fact"`` or ``"two_facts"``.
    """

    sentences: tuple
    question: str
    answer: str
    supporting: tuple
    task: str

    def text(self):
        """The story and question as one string, a sentence per line."""
        return "\n".join([*self.sentences, self.question])


@dataclasses.dataclass
class _World:
    """What has happened so far, and which sentence said it."""

    location: dict = dataclasses.field(default_factory=dict)  # person -> place
    moves: dict = dataclasses.field(default_factory=dict)  # person -> [idx]
    # object -> (index of the sentence that gave it, person)
    held: dict = dataclasses.field(default_factory=dict)
    # object -> (index of the drop, person, where that person was or None)
    dropped: dict = dataclasses.field(default_factory=dict)


def _apply(world, index, sentence):
    """Update ``world`` with one sentence of the stories' language."""
    words = sentence.rstrip(" .").split()
    if len(words) < 4:
        raise ValueError(
            f"answer_question: cannot read the sentence "
            f"{sentence!r} (not a move, get or drop)."
        )
    person, verb, thing = words[0], " ".join(words[1:-2]), words[-1]
    if verb in _MOVES:
        world.location[person] = thing
        world.moves.setdefault(person, []).append(index)
    elif verb in _GETS:
        world.held[thing] = (index, person)
        world.dropped.pop(thing, None)
    elif verb in _DROPS:
        world.held.pop(thing, None)
        world.dropped[thing] = (index, person, world.location.get(person))
    else:
        raise ValueError(
            f"answer_question: cannot read the sentence "
            f"{sentence!r} (not a move, get or drop)."
        )


def _object_location(world, thing):
    """``(place, supporting indices)`` of an object, or None if unknown.

    Held: where its holder is now (the get, then the holder's last move).
    Dropped: where the person who dropped it was then (the drop, then that
    person's last move before it).
    """
    if thing in world.held:
        index, person = world.held[thing]
        if person not in world.location:
            return None
        return world.location[person], (index, world.moves[person][-1])
    if thing in world.dropped:
        index, person, place = world.dropped[thing]
        if place is None:
            return None
        before = [i for i in world.moves[person] if i < index]
        return place, (index, before[-1])
    return None


def _read(sentences):
    world = _World()
    for index, sentence in enumerate(sentences):
        _apply(world, index, sentence)
    return world


def answer_question(sentences, question):
    """Answer a question about a story by reading it with rules.

    A reader of this small language that is always right: it tracks where
    each person is and who holds each object. It gives the answer from the
    supporting sentences alone as well as from the whole story, which is
    how the tests check that a story's answer is determined by its
    supporting facts.

    Args:
        sentences: the story's sentences, oldest first.
        question: ``"where is PERSON ?"`` or ``"where is the OBJECT ?"``.

    Returns:
        the place, or ``None`` when the story does not say.

    Example:
        >>> answer_question(
        ...     [
        ...         "mary went to the kitchen .",
        ...         "mary picked up the milk .",
        ...         "mary moved to the garden .",
        ...     ],
        ...     "where is the milk ?",
        ... )
        'garden'
        >>> answer_question(["john went to the office ."], "where is mary ?")
    """
    words = question.rstrip(" ?").split()
    if words[:2] != ["where", "is"] or len(words) not in (3, 4):
        raise ValueError(
            f"answer_question: expected 'where is PERSON ?' or "
            f"'where is the OBJECT ?'; got {question!r}."
        )
    world = _read(sentences)
    if len(words) == 3:
        return world.location.get(words[2])
    found = _object_location(world, words[3])
    return None if found is None else found[0]


def _check_arguments(task, n, min_sentences, max_sentences, seed):
    if task not in QA_TASKS:
        raise ValueError(
            f"unknown QA task {task!r}; choose one of {list(QA_TASKS)}."
        )
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative integer; got {n!r}.")
    if not isinstance(min_sentences, int) or min_sentences < 2:
        raise ValueError(
            f"min_sentences must be an integer of at least 2; "
            f"got {min_sentences!r}."
        )
    if not isinstance(max_sentences, int) or max_sentences < min_sentences:
        raise ValueError(
            f"max_sentences ({max_sentences!r}) must be an "
            f"integer no smaller than min_sentences "
            f"({min_sentences})."
        )
    if seed is None:
        raise ValueError(
            "generate_stories needs a seed (any int) so that "
            "the stories are reproducible."
        )


def _move(rng, world, people):
    """A sentence moving someone to a place other than where they are."""
    person = rng.choice(people)
    place = rng.choice([p for p in PLACES if p != world.location.get(person)])
    return f"{person} {rng.choice(_MOVES)} the {place} ."


def _object_event(rng, world, people):
    """A sentence where someone gets a free object or drops one they hold;
    None when neither is possible."""
    free = [o for o in OBJECTS if o not in world.held]
    held = [o for o in OBJECTS if o in world.held]
    if held and (not free or rng.random() < 0.4):
        thing = rng.choice(held)
        person = world.held[thing][1]
        return f"{person} {rng.choice(_DROPS)} the {thing} ."
    if free:
        thing = rng.choice(free)
        return f"{rng.choice(people)} {rng.choice(_GETS)} the {thing} ."
    return None


def _one_story(rng, task, length):
    world = _World()
    sentences = []
    for index in range(length):
        sentence = None
        if task == "two_facts" and rng.random() < 0.35:
            sentence = _object_event(rng, world, PEOPLE)
        if sentence is None:
            sentence = _move(rng, world, PEOPLE)
        _apply(world, index, sentence)
        sentences.append(sentence)
    if task == "one_fact":
        person = rng.choice(sorted(world.location))
        return Story(
            tuple(sentences),
            f"where is {person} ?",
            world.location[person],
            (world.moves[person][-1],),
            task,
        )
    touched = sorted(set(world.held) | set(world.dropped))
    askable = {o: _object_location(world, o) for o in touched}
    askable = {o: found for o, found in askable.items() if found is not None}
    if not askable:
        return None  # nothing to ask about: draw another story
    thing = rng.choice(sorted(askable))
    place, supporting = askable[thing]
    return Story(
        tuple(sentences),
        f"where is the {thing} ?",
        place,
        tuple(supporting),
        task,
    )


def generate_stories(task, n, *, seed, min_sentences=10, max_sentences=30):
    """``n`` random stories of a task, the same ones for the same arguments.

    Args:
        task: ``"one_fact"`` or ``"two_facts"`` (see :data:`QA_TASKS`).
        n: number of stories (0 or more).
        seed: seed of the generator (required).
        min_sentences, max_sentences: each story's length is drawn
            uniformly from this range (both included).

    Returns:
        a list of :class:`Story`.

    Example:
        >>> stories = generate_stories("two_facts", 200, seed=1)
        >>> (
        ...     min(len(s.sentences) for s in stories),
        ...     max(len(s.sentences) for s in stories),
        ... )
        (10, 30)
        >>> story = stories[0]
        >>> story.question, story.answer
        ('where is the book ?', 'bedroom')
        >>> for i in story.supporting:
        ...     print(i, story.sentences[i])
        9 daniel got the book .
        3 daniel went back to the bedroom .
    """
    _check_arguments(task, n, min_sentences, max_sentences, seed)
    rng = random.Random(seed)
    stories = []
    while len(stories) < n:
        story = _one_story(
            rng, task, rng.randint(min_sentences, max_sentences)
        )
        if story is not None:
            stories.append(story)
    return stories
