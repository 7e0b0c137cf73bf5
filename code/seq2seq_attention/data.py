"""Parallel corpora as ``tf.data`` pipelines for teacher forcing.

From a file of sentence pairs to batches that ``model.fit`` takes, in the
order the course teaches it:

1. **get the corpus**: :func:`fetch_spa_eng` downloads the Tatoeba
   English-Spanish archive (the one the TensorFlow tutorial uses) with
   ``keras.utils.get_file`` and checks its sha256; :func:`read_tsv` reads any
   corpus of the manythings.org kind (``source<TAB>target[<TAB>attribution]``)
   in any language pair and either direction; :func:`load_spa_eng_sample` is a
   small sample shipped with the package for working offline;
2. **clean it**: :func:`normalize` (Unicode form, lower case, punctuation as
   separate tokens), :func:`filter_by_length`, :func:`deduplicate`;
3. **split it** by distinct *source* sentence, so that no test source is seen in
   training: :func:`split_by_source`, saved and reloaded with :class:`Split`;
4. **tokenise**: :func:`make_vectorizer` builds a Keras ``TextVectorization``
   with the ids ``0 = padding``, ``1 = [UNK]``, ``2 = [START]``, ``3 = [END]``;
   :func:`vectorizer_config` / :func:`vectorizer_from_config` store it as plain
   JSON (for example inside a model's config);
5. **batch**: :func:`make_dataset` gives ``((source_ids, target_in_ids),
   target_out_ids)`` batches, shuffled with a seed, padded with 0, optionally
   bucketed by length, prefetched;
6. **look at it**: :func:`describe` reports counts, length percentiles,
   vocabulary coverage and the OOV rate, as text and as a plot.

The English-Spanish data is from the Tatoeba Project via manythings.org,
licensed CC-BY 2.0 (France): see :data:`ATTRIBUTION`.

Example:
    >>> pairs = [("Go.", "¡Ve!"), ("Hi.", "Hola."), ("Run!", "¡Corre!")]
    >>> pairs = [(normalize(s), normalize(t)) for s, t in pairs]
    >>> pairs[0]
    ('go .', '¡ ve !')
    >>> src = make_vectorizer([s for s, _ in pairs])
    >>> tgt = make_vectorizer([t for _, t in pairs])
    >>> (src_ids, tgt_in), tgt_out = next(iter(make_dataset(pairs, src, tgt, batch_size=3, seed=0)))
    >>> tuple(src_ids.shape), tuple(tgt_in.shape), tuple(tgt_out.shape)
    ((3, 4), (3, 4), (3, 4))
"""

from __future__ import annotations

import collections
import hashlib
import importlib.resources
import json
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

__all__ = [
    "ATTRIBUTION",
    "DATA_ENV",
    "END",
    "END_ID",
    "PAD_ID",
    "SPA_ENG_SHA256",
    "SPA_ENG_TEXT_SHA256",
    "SPA_ENG_URL",
    "START",
    "START_ID",
    "UNK",
    "UNK_ID",
    "CorpusNotFoundError",
    "Description",
    "HashMismatchError",
    "MalformedLineError",
    "ParallelCorpus",
    "Split",
    "deduplicate",
    "describe",
    "encode",
    "fetch_spa_eng",
    "filter_by_length",
    "load_spa_eng",
    "load_spa_eng_or_sample",
    "load_spa_eng_sample",
    "make_dataset",
    "make_vectorizer",
    "normalize",
    "parse_tsv",
    "read_tsv",
    "sha256_of",
    "split_by_source",
    "standardize_sentence",
    "tokenize",
    "vectorizer_config",
    "vectorizer_from_config",
]

# -- The English-Spanish corpus ------------------------------------------------------

SPA_ENG_URL = "http://storage.googleapis.com/download.tensorflow.org/data/spa-eng.zip"
SPA_ENG_SHA256 = "0c4fd7825d3d872488d38c157f784e035edab4f2ff0df25a2a208790ecb5b58f"
SPA_ENG_MEMBER = "spa-eng/spa.txt"
SPA_ENG_TEXT_SHA256 = "6ec60e212f812ee3430f7568ea6f33b6fb080e32193c5952e8da0ee8ba45574c"
ATTRIBUTION = (
    "English-Spanish sentence pairs from the Tatoeba Project, via www.manythings.org/anki. "
    "Licence CC-BY 2.0 (France). Attribution: www.manythings.org/anki and tatoeba.org"
)
DATA_ENV = "SEQ2SEQ_ATTENTION_DATA"
"""Environment variable naming a folder that holds ``spa-eng/spa-eng.zip`` (or
``spa-eng.zip``); when set, that archive is used instead of the download cache."""

_SAMPLE = "spa_eng_sample.tsv"


class HashMismatchError(ValueError):
    """A file's sha256 is not the expected one (a partial download, or another file)."""


class CorpusNotFoundError(FileNotFoundError):
    """The corpus is not on disk and could not be downloaded."""


class MalformedLineError(ValueError):
    """A line of a tab-separated corpus is not ``source<TAB>target[<TAB>attribution]``."""

    def __init__(self, message, line_number):
        super().__init__(message)
        self.line_number = line_number


def sha256_of(path_or_bytes):
    """The sha256 of a file (read in chunks) or of ``bytes``, as hex.

    Example:
        >>> sha256_of(b"hello")[:16]
        '2cf24dba5fb0a30e'
    """
    digest = hashlib.sha256()
    if isinstance(path_or_bytes, (bytes, bytearray)):
        digest.update(path_or_bytes)
    else:
        with open(path_or_bytes, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _check_hash(what, actual, expected, fix):
    if actual != expected:
        raise HashMismatchError(
            f"{what} has the wrong sha256:\n  expected {expected}\n  actual   {actual}\n{fix}"
        )


def fetch_spa_eng(cache_dir=None, *, download=True, origin=SPA_ENG_URL, sha256=SPA_ENG_SHA256):
    """Path to the verified English-Spanish archive, downloading it if needed.

    Looks, in order, in the folder named by the environment variable
    ``SEQ2SEQ_ATTENTION_DATA`` (``spa-eng/spa-eng.zip`` or ``spa-eng.zip``), then
    in Keras' download cache ``<cache_dir>/datasets/spa-eng.zip`` (``cache_dir``
    defaults to ``$KERAS_HOME`` or ``~/.keras``, as for Keras). If the archive is in neither and ``download`` is
    true, ``keras.utils.get_file`` downloads it from ``origin`` into the cache
    (2.6 MB). ``get_file`` never downloads a file that is already in the
    cache, so copying the archive there by hand works offline.

    Raises:
        HashMismatchError: the archive's sha256 is not ``sha256``; the message
            says which file and what to do.
        CorpusNotFoundError: not found, and ``download`` is false or the
            download failed; the message says where to put the file by hand.

    Example:
        >>> import tempfile
        >>> try:
        ...     fetch_spa_eng(tempfile.mkdtemp(), download=False)
        ... except CorpusNotFoundError as e:
        ...     print(str(e).splitlines()[0])
        spa-eng.zip is not in the download cache and download=False.
    """
    env = os.environ.get(DATA_ENV)
    if env:
        for candidate in (Path(env) / "spa-eng" / "spa-eng.zip", Path(env) / "spa-eng.zip"):
            if candidate.is_file():
                _check_hash(str(candidate), sha256_of(candidate), sha256,
                            f"This file was found through ${DATA_ENV}={env}. Replace it with the archive "
                            f"from {origin}, or unset {DATA_ENV} to use the download cache.")
                return candidate
    if cache_dir is None:  # where keras.utils.get_file puts it by default
        cache_dir = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    cache = Path(os.path.expanduser(cache_dir))
    target = cache / "datasets" / "spa-eng.zip"
    by_hand = (
        f"Download it by hand from {origin} (in a browser, or `curl -O {origin}`) and save it as\n"
        f"  {target}\n"
        f"(its sha256 must be {sha256}), or set {DATA_ENV} to a folder that holds spa-eng/spa-eng.zip."
    )
    if not target.is_file() and not download:
        raise CorpusNotFoundError(f"spa-eng.zip is not in the download cache and download=False.\n{by_hand}")
    try:
        # Downloads only if the file is missing; we check the hash ourselves, so
        # that a wrong file is an error with a message rather than a silent re-download.
        path = Path(keras.utils.get_file("spa-eng.zip", origin=origin, cache_dir=str(cache),
                                         cache_subdir="datasets"))
    except Exception as error:  # get_file raises a bare Exception on network failure
        raise CorpusNotFoundError(f"Could not download spa-eng.zip ({error}).\n{by_hand}") from error
    _check_hash(str(path), sha256_of(path), sha256,
                f"The download was incomplete or the file was replaced. Delete {path} and run again "
                f"to download it afresh, or download it by hand from {origin} and save it there.")
    return path


def load_spa_eng(cache_dir=None, *, download=True, origin=SPA_ENG_URL, sha256=SPA_ENG_SHA256,
                 text_sha256=SPA_ENG_TEXT_SHA256, member=SPA_ENG_MEMBER, reverse=False, errors="raise"):
    """Read the English-Spanish pairs from the verified archive (see :func:`fetch_spa_eng`).

    The text file is read straight from the zip (no extraction) and its sha256
    is checked too. ``reverse=True`` gives Spanish -> English.

    Returns:
        a :class:`ParallelCorpus`.

    Example (needs the archive, so it is not run here)::

        corpus = load_spa_eng()
        len(corpus)          # 118964
        corpus.pairs[0]      # ('Go.', 'Ve.')
    """
    path = fetch_spa_eng(cache_dir, download=download, origin=origin, sha256=sha256)
    with zipfile.ZipFile(path) as archive:
        try:
            data = archive.read(member)
        except KeyError:
            raise CorpusNotFoundError(
                f"{path} has no member {member!r} (it has {archive.namelist()}). "
                f"Delete it and download it again from {origin}."
            ) from None
    _check_hash(f"{member} inside {path}", sha256_of(data), text_sha256,
                f"The archive passed its own check but holds another text. Delete {path} and download it again.")
    return parse_tsv(data.splitlines(keepends=True), name=f"{path}:{member}", reverse=reverse, errors=errors)


def load_spa_eng_sample(*, reverse=False):
    """The small English-Spanish sample shipped with the package (for working offline).

    A few hundred pairs drawn with a fixed seed from ``spa.txt``; same licence
    and attribution (:data:`ATTRIBUTION`).

    Example:
        >>> sample = load_spa_eng_sample()
        >>> len(sample) > 300, sample.skipped
        (True, [])
    """
    path = importlib.resources.files("seq2seq_attention") / "data_files" / _SAMPLE
    return parse_tsv(path.read_bytes().splitlines(keepends=True), name=f"seq2seq_attention/data_files/{_SAMPLE}",
                     reverse=reverse)


def load_spa_eng_or_sample(cache_dir=None, *, download=False, reverse=False):
    """The full corpus if it is available (see :func:`fetch_spa_eng`), else the shipped sample.

    Returns ``(corpus, which)`` with ``which`` ``"full"`` or ``"sample"``. A
    wrong hash is still an error: only a *missing* corpus falls back.

    Example:
        >>> import tempfile
        >>> corpus, which = load_spa_eng_or_sample(tempfile.mkdtemp())
        >>> which if os.environ.get(DATA_ENV) is None else "sample"
        'sample'
    """
    try:
        return load_spa_eng(cache_dir, download=download, reverse=reverse), "full"
    except CorpusNotFoundError:
        return load_spa_eng_sample(reverse=reverse), "sample"


# -- Any tab-separated corpus ----------------------------------------------------------


@dataclass
class ParallelCorpus:
    """Sentence pairs read from a file, and the lines that were skipped.

    ``pairs`` is a list of ``(source, target)``; ``attributions`` holds the
    third column where there was one (else ``""``), aligned with ``pairs``;
    ``skipped`` lists ``(line_number, reason)`` for malformed lines skipped with
    ``errors="skip"``.
    """

    pairs: list
    name: str = ""
    skipped: list = field(default_factory=list)
    attributions: list = field(default_factory=list, repr=False)

    def __len__(self):
        return len(self.pairs)

    @property
    def sources(self):
        return [s for s, _ in self.pairs]

    @property
    def targets(self):
        return [t for _, t in self.pairs]


def parse_tsv(lines, *, name="<lines>", reverse=False, errors="raise"):
    """Parse ``source<TAB>target[<TAB>attribution]`` lines (bytes or str).

    Byte lines are decoded as UTF-8 one by one, so a bad byte is reported with
    its line number. A UTF-8 byte-order mark and Windows line ends are
    accepted. Blank lines are skipped silently.

    Args:
        lines: iterable of lines (``bytes`` or ``str``).
        name: how to name the input in messages.
        reverse: swap the columns (target -> source).
        errors: ``"raise"`` (stop at the first malformed line) or ``"skip"``
            (skip it and record it in ``skipped``).

    Example:
        >>> corpus = parse_tsv(["Hi.\\tHola.\\n", "oops\\n", "Thanks.\\tGracias.\\tCC-BY #1\\n"],
        ...                    errors="skip", reverse=True)
        >>> corpus.pairs, corpus.skipped
        ([('Hola.', 'Hi.'), ('Gracias.', 'Thanks.')], [(2, 'expected 2 or 3 tab-separated columns, found 1')])
        >>> parse_tsv(["Hi.\\t\\n"])
        Traceback (most recent call last):
        ...
        seq2seq_attention.data.MalformedLineError: <lines>, line 1: empty target (column 2): 'Hi.\\t'. Fix or delete the line, or pass errors="skip" to skip malformed lines (they are counted in .skipped).
    """
    if errors not in ("raise", "skip"):
        raise ValueError(f'errors must be "raise" or "skip"; got {errors!r}.')
    pairs, attributions, skipped = [], [], []
    for number, line in enumerate(lines, start=1):
        problem = None
        if isinstance(line, (bytes, bytearray)):
            try:
                line = bytes(line).decode("utf-8")
            except UnicodeDecodeError as e:
                problem = (f"not valid UTF-8 (byte {bytes(line)[e.start:e.start + 1]!r} at column {e.start + 1}); "
                           "save the file as UTF-8")
                line = bytes(line).decode("utf-8", errors="replace")
        if number == 1:
            line = line.removeprefix("\ufeff")
        line = line.rstrip("\r\n")
        if not problem:
            if not line.strip():
                continue
            columns = line.split("\t")
            if len(columns) not in (2, 3):
                problem = f"expected 2 or 3 tab-separated columns, found {len(columns)}"
            elif not columns[0].strip():
                problem = "empty source (column 1)"
            elif not columns[1].strip():
                problem = "empty target (column 2)"
        if problem:
            if errors == "skip":
                skipped.append((number, problem))
                continue
            raise MalformedLineError(
                f"{name}, line {number}: {problem}: {line[:80]!r}. Fix or delete the line, or pass "
                'errors="skip" to skip malformed lines (they are counted in .skipped).',
                number,
            )
        source, target = columns[0].strip(), columns[1].strip()
        pairs.append((target, source) if reverse else (source, target))
        attributions.append(columns[2].strip() if len(columns) == 3 else "")
    return ParallelCorpus(pairs, name=name, skipped=skipped, attributions=attributions)


def read_tsv(path, *, reverse=False, errors="raise"):
    """Read a tab-separated corpus file: see :func:`parse_tsv` for the format.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "rus.txt"
        >>> _ = path.write_text("Hello!\\tПривет!\\nThank you.\\tСпасибо.\\n", encoding="utf-8")
        >>> read_tsv(path).pairs
        [('Hello!', 'Привет!'), ('Thank you.', 'Спасибо.')]
    """
    with open(path, "rb") as f:
        return parse_tsv(f, name=str(path), reverse=reverse, errors=errors)


# -- Cleaning ---------------------------------------------------------------------------


# Candidates are rare (punctuation, symbols, combining marks, "_"), so a cheap regex
# finds them and the Unicode category decides: P* (punctuation) and S* (symbols) get
# spaces, the same classes as TensorFlow's \p{P}\p{S} in standardize_sentence.
_CANDIDATE = re.compile(r"[^\w\s]|_")


def _space_punctuation(match):
    char = match.group()
    return f" {char} " if unicodedata.category(char)[0] in "PS" else char


def normalize(text, *, form="NFKC", lower=True, strip_accents=False, separate_punctuation=True):
    """Normalise one sentence for word-level tokenising.

    - ``form``: the Unicode normal form. ``"NFKC"`` (default) composes accented
      letters into one character (``é`` stays ``é``, readable when shown back)
      and folds compatibility characters (full-width ``Ａ`` -> ``A``, ``ﬁ`` ->
      ``fi``). ``"NFKD"`` decomposes (``é`` -> ``e`` + combining accent).
    - ``lower``: lower-case (every script that has case).
    - ``strip_accents``: drop combining marks (``canción`` -> ``cancion``). Off
      by default: accents distinguish Spanish words (``si``/``sí``).
    - ``separate_punctuation``: put spaces around every punctuation mark and
      symbol (Unicode categories P and S, so ``¿ ¡ « »`` and ``。`` too), which
      makes each one a token.

    Whitespace is collapsed to single spaces and stripped.

    Example:
        >>> normalize("¿Qué   hora es?")
        '¿ qué hora es ?'
        >>> normalize("Él dijo: «¡Hola!»"), normalize("ＡＢＣ, ﬁne")
        ('él dijo : « ¡ hola ! »', 'abc , fine')
        >>> normalize("Canción", strip_accents=True), len(normalize("é", form="NFKD"))
        ('cancion', 2)
    """
    if form not in ("NFC", "NFKC", "NFD", "NFKD"):
        raise ValueError(f'form must be one of "NFC", "NFKC", "NFD", "NFKD"; got {form!r}.')
    text = unicodedata.normalize(form, text)
    if strip_accents:
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = unicodedata.normalize(form, text)
    if lower:
        text = text.lower()
    if separate_punctuation:
        text = _CANDIDATE.sub(_space_punctuation, text)
    return " ".join(text.split())


def tokenize(text, level="word"):
    """Split normalised text into tokens the way :func:`make_vectorizer` does.

    Example:
        >>> tokenize("¿ qué hora es ?"), tokenize("3/3", level="character")
        (['¿', 'qué', 'hora', 'es', '?'], ['3', '/', '3'])
    """
    if level == "word":
        return text.split()
    if level == "character":
        return list(text)
    raise ValueError(f'level must be "word" or "character"; got {level!r}.')


def filter_by_length(pairs, max_length, *, min_length=1, level="word"):
    """Keep pairs whose source and target both have ``min_length..max_length`` tokens.

    Example:
        >>> filter_by_length([("a b", "c"), ("a b c d", "e"), ("a", "")], max_length=3)
        [('a b', 'c')]
    """
    return [(s, t) for s, t in pairs
            if min_length <= len(tokenize(s, level)) <= max_length
            and min_length <= len(tokenize(t, level)) <= max_length]


def deduplicate(pairs):
    """Drop repeated ``(source, target)`` pairs, keeping the first of each, in order.

    A source with several *different* targets keeps them all: they are
    different correct translations.

    Example:
        >>> deduplicate([("go .", "ve ."), ("go .", "vete ."), ("go .", "ve .")])
        [('go .', 've .'), ('go .', 'vete .')]
    """
    return list(dict.fromkeys(map(tuple, pairs)))


def prepare_pairs(pairs, *, max_length=20):
    """The course's standard cleaning of sentence pairs: :func:`normalize` both
    sides, keep pairs of 1 to ``max_length`` words (:func:`filter_by_length`),
    then :func:`deduplicate`.

    Example:
        >>> prepare_pairs([("Go!", "¡Ve!"), ("Go!", "¡Ve!"), ("Run, now!", "")], max_length=5)
        [('go !', '¡ ve !')]
    """
    normalized = [(normalize(s), normalize(t)) for s, t in pairs]
    return deduplicate(filter_by_length(normalized, max_length))


# -- Splitting -------------------------------------------------------------------------


@dataclass
class Split:
    """A train/validation/test split of sentence pairs, and how it was made."""

    train: list
    validation: list
    test: list
    seed: int
    fractions: tuple

    PARTS = ("train", "validation", "test")

    def save(self, directory):
        """Write ``train.tsv``, ``validation.tsv``, ``test.tsv`` and ``split.json``
        (seed, fractions, counts and each file's sha256) into ``directory``.

        Example:
            >>> import tempfile
            >>> split = split_by_source([("a", "x"), ("b", "y"), ("c", "z")], fractions=(1/3, 1/3, 1/3), seed=0)
            >>> directory = split.save(tempfile.mkdtemp())
            >>> Split.load(directory) == split
            True
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        manifest = {"seed": self.seed, "fractions": list(self.fractions), "counts": {}, "sha256": {}}
        for part in self.PARTS:
            lines = []
            for source, target in getattr(self, part):
                if any(c in s for s in (source, target) for c in "\t\n\r"):
                    raise ValueError(f"cannot save {(source, target)!r}: a sentence contains a tab or a line break.")
                lines.append(f"{source}\t{target}\n")
            data = "".join(lines).encode("utf-8")
            (directory / f"{part}.tsv").write_bytes(data)
            manifest["counts"][part] = len(lines)
            manifest["sha256"][part] = sha256_of(data)
        (directory / "split.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        return directory

    @classmethod
    def load(cls, directory):
        """Read a split written by :meth:`save`, checking the files' sha256."""
        directory = Path(directory)
        manifest = json.loads((directory / "split.json").read_text(encoding="utf-8"))
        parts = {}
        for part in cls.PARTS:
            path = directory / f"{part}.tsv"
            _check_hash(str(path), sha256_of(path), manifest["sha256"][part],
                        "The file changed since the split was saved. Save the split again.")
            parts[part] = read_tsv(path).pairs
        return cls(**parts, seed=manifest["seed"], fractions=tuple(manifest["fractions"]))


def split_by_source(pairs, *, fractions=(0.8, 0.1, 0.1), seed):
    """Split pairs into train/validation/test by distinct **source** sentence.

    All the pairs of one source (its several translations) go to the same
    part, so no test source is ever seen in training. The distinct sources
    are sorted, then shuffled with ``seed``: the split depends only on the set
    of sources and the seed, not on the order of ``pairs``. Within each part,
    pairs keep their order.

    Example:
        >>> pairs = [("go .", "ve ."), ("go .", "vete ."), ("hi .", "hola ."), ("run !", "¡ corre !")]
        >>> split = split_by_source(pairs, fractions=(0.5, 0.25, 0.25), seed=0)
        >>> split.train, split.validation, split.test      # "go ." and its 2 translations stay together
        ([('hi .', 'hola .')], [('go .', 've .'), ('go .', 'vete .')], [('run !', '¡ corre !')])
    """
    fractions = tuple(float(f) for f in fractions)
    if len(fractions) != 3 or min(fractions) < 0 or not np.isclose(sum(fractions), 1.0):
        raise ValueError(f"fractions must be three non-negative numbers (train, validation, test) "
                         f"that sum to 1; got {fractions}.")
    sources = sorted({s for s, _ in pairs})
    order = np.random.default_rng(seed).permutation(len(sources))
    n_test = int(round(fractions[2] * len(sources)))
    n_validation = int(round(fractions[1] * len(sources)))
    part_of = {}
    for rank, index in enumerate(order):
        part_of[sources[index]] = 2 if rank < n_test else 1 if rank < n_test + n_validation else 0
    parts = ([], [], [])
    for pair in pairs:
        parts[part_of[pair[0]]].append(tuple(pair))
    return Split(*parts, seed=seed, fractions=fractions)


# -- Tokenising ------------------------------------------------------------------------

PAD_ID, UNK_ID, START_ID, END_ID = 0, 1, 2, 3
UNK, START, END = "[UNK]", "[START]", "[END]"
_RESERVED = ["", UNK, START, END]


@keras.saving.register_keras_serializable(package="seq2seq_attention")
def standardize_sentence(text):
    """The ``TextVectorization`` standardisation for sentences, in TensorFlow ops.

    Lower-cases (UTF-8) and puts spaces around punctuation and symbols, so that
    each one becomes a token; on text already passed through :func:`normalize`
    it changes nothing. (Unicode normal forms are not available as TensorFlow
    ops: apply :func:`normalize` first.)

    Example:
        >>> standardize_sentence(tf.constant(["¿Qué HORA es?"])).numpy()[0].decode()
        '¿ qué hora es ?'
    """
    text = tf.strings.lower(text, encoding="utf-8")
    text = tf.strings.regex_replace(text, r"([\p{P}\p{S}])", r" \1 ")
    text = tf.strings.regex_replace(text, r"\s+", " ")
    return tf.strings.strip(text)


def _vocabulary(texts, level, max_tokens):
    counts = collections.Counter(tok for text in texts for tok in tokenize(text, level))
    for token in _RESERVED:
        counts.pop(token, None)
    words = sorted(counts, key=lambda w: (-counts[w], w))  # most frequent first; ties alphabetical
    if max_tokens is not None:
        if max_tokens <= len(_RESERVED):
            raise ValueError(f"max_tokens counts the 4 reserved tokens ('', [UNK], [START], [END]) "
                             f"and must be more than 4; got {max_tokens}.")
        words = words[: max_tokens - len(_RESERVED)]
    return words


def make_vectorizer(texts=None, *, level="word", max_tokens=None, vocabulary=None, standardize="auto"):
    """A ``TextVectorization`` layer with the course's fixed special ids.

    ``0`` is padding, ``1`` is ``[UNK]``, ``2`` is ``[START]`` and ``3`` is
    ``[END]``; then come the tokens of ``texts``, most frequent first (ties in
    alphabetical order, so the vocabulary is reproducible). ``max_tokens``
    caps the vocabulary *including* the four reserved ids.

    Args:
        texts: the (normalised) texts to build the vocabulary from, usually
            the training part only; or give ``vocabulary`` instead.
        level: ``"word"`` (split on spaces) or ``"character"``.
        max_tokens: vocabulary size, or ``None`` for every token.
        vocabulary: a ready list of tokens (without the reserved ones).
        standardize: ``"auto"`` (:func:`standardize_sentence` for words, none for
            characters, where case and spacing are part of the input),
            ``"sentence"`` or ``None``.

    Example:
        >>> v = make_vectorizer(["go .", "go home ."], max_tokens=6)
        >>> [str(token) for token in v.get_vocabulary()]
        ['', '[UNK]', '[START]', '[END]', '.', 'go']
        >>> v(["Go away!"]).numpy().tolist()
        [[5, 1, 1]]
        >>> make_vectorizer(["3/4"], level="character")(["4/5"]).numpy().tolist()
        [[6, 4, 1]]
    """
    if level not in ("word", "character"):
        raise ValueError(f'level must be "word" or "character"; got {level!r}.')
    if (texts is None) == (vocabulary is None):
        raise ValueError("give exactly one of texts (to build the vocabulary) and vocabulary (a ready one).")
    if standardize == "auto":
        standardize = "sentence" if level == "word" else None
    if standardize not in ("sentence", None):
        raise ValueError(f'standardize must be "auto", "sentence" or None; got {standardize!r}.')
    if vocabulary is None:
        vocabulary = _vocabulary(texts, level, max_tokens)
    else:
        vocabulary = [str(t) for t in vocabulary if t not in ("", UNK)]
        vocabulary = [t for t in vocabulary if t not in (START, END)]
    layer = keras.layers.TextVectorization(
        standardize=standardize_sentence if standardize == "sentence" else None,
        split="whitespace" if level == "word" else "character",
        vocabulary=[START, END, *vocabulary],
        ragged=True,
    )
    layer._seq2seq_level = level  # for describe() and vectorizer_config()
    layer._seq2seq_standardize = standardize
    return layer


def vectorizer_config(vectorizer):
    """A JSON-able dict that rebuilds ``vectorizer`` with :func:`vectorizer_from_config`.

    Store it in a model's ``get_config()`` (or in a JSON file beside the
    weights) so that the vocabulary travels with the model.

    Example:
        >>> config = vectorizer_config(make_vectorizer(["go ."]))
        >>> config
        {'level': 'word', 'standardize': 'sentence', 'vocabulary': ['.', 'go']}
        >>> vectorizer_from_config(json.loads(json.dumps(config)))(["go ."]).numpy().tolist()
        [[5, 4]]
    """
    level = getattr(vectorizer, "_seq2seq_level", None)
    if level is None:  # a TextVectorization not made here: read its settings
        config = vectorizer.get_config()
        level = "character" if config["split"] == "character" else "word"
        standardize = "sentence" if config["standardize"] is standardize_sentence else None
    else:
        standardize = vectorizer._seq2seq_standardize
    vocabulary = [str(t) for t in vectorizer.get_vocabulary()]
    if vocabulary[: len(_RESERVED)] != _RESERVED:
        raise ValueError(f"this vectorizer's vocabulary does not start with {_RESERVED} "
                         f"(it starts with {vocabulary[:4]}); make it with make_vectorizer.")
    return {"level": level, "standardize": standardize, "vocabulary": vocabulary[len(_RESERVED):]}


def vectorizer_from_config(config):
    """Rebuild a vectorizer from :func:`vectorizer_config`'s dict: same tokens, same ids."""
    return make_vectorizer(vocabulary=config["vocabulary"], level=config["level"],
                           standardize=config["standardize"])


# -- Pipelines -------------------------------------------------------------------------


def encode(texts, vectorizer, *, markers=True):
    """Token ids of each text, ``[START] ... [END]`` around them, as a ``tf.RaggedTensor``.

    Example:
        >>> v = make_vectorizer(["go ."])
        >>> encode(["go .", "go go"], v).to_list()
        [[2, 5, 4, 3], [2, 5, 5, 3]]
    """
    ids = vectorizer(tf.constant(list(texts), dtype=tf.string))  # (n, None) ragged
    if not isinstance(ids, tf.RaggedTensor):
        ids = tf.RaggedTensor.from_tensor(ids, padding=PAD_ID)
    if not markers:
        return ids
    n = ids.nrows()
    starts = tf.RaggedTensor.from_tensor(tf.fill([n, 1], tf.constant(START_ID, ids.dtype)))
    ends = tf.RaggedTensor.from_tensor(tf.fill([n, 1], tf.constant(END_ID, ids.dtype)))
    return tf.concat([starts, ids, ends], axis=1)


def _bucket_boundaries(lengths, buckets):
    quantiles = np.quantile(lengths, np.linspace(0, 1, buckets + 1)[1:-1])
    return sorted({int(q) + 1 for q in quantiles})


def make_dataset(pairs, source_vectorizer, target_vectorizer, *, batch_size=64, shuffle=True, seed=None,
                 buckets=None, drop_remainder=False):
    """A ``tf.data.Dataset`` of ``((source_ids, target_in_ids), target_out_ids)`` batches.

    Each sentence becomes ``[START] tokens [END]``. Batches are padded with 0
    to their longest sentence. For teacher forcing, the decoder's input is the
    target without its last id and the expected output is the target without
    its first: ``target_in = [START] y1 .. yn`` and ``target_out = y1 .. yn
    [END]`` (then padding), offset by one.

    Args:
        pairs: ``(source, target)`` pairs of normalised text.
        source_vectorizer, target_vectorizer: from :func:`make_vectorizer`.
        batch_size: pairs per batch.
        shuffle: shuffle all pairs, again each epoch, with ``seed`` (required
            when shuffling, so that runs are reproducible).
        seed: the shuffle seed.
        buckets: ``None`` for plain padded batches; an int ``k`` for ``k``
            length buckets at the length quantiles; or a list of bucket
            boundaries. Bucketing batches sentences of similar length
            together, so there is less padding to compute on.
        drop_remainder: drop a last, smaller batch (of each bucket).

    Example:
        >>> pairs = [("a", "x y"), ("a b c", "x")]
        >>> src, tgt = make_vectorizer(["a b c"]), make_vectorizer(["x y"])
        >>> (s, t_in), t_out = next(iter(make_dataset(pairs, src, tgt, batch_size=2, shuffle=False)))
        >>> s.numpy().tolist()
        [[2, 4, 3, 0, 0], [2, 4, 5, 6, 3]]
        >>> t_in.numpy().tolist(), t_out.numpy().tolist()
        ([[2, 4, 5], [2, 4, 3]], [[4, 5, 3], [4, 3, 0]])
    """
    if shuffle and seed is None:
        raise ValueError("shuffle=True needs a seed (any int) so that runs are reproducible; "
                         "or pass shuffle=False.")
    if not pairs:
        raise ValueError("make_dataset got no pairs.")
    sources = encode([s for s, _ in pairs], source_vectorizer)
    targets = encode([t for _, t in pairs], target_vectorizer)
    # Shuffle indices (cheap), then look the ids up.
    dataset = tf.data.Dataset.range(len(pairs))
    if shuffle:
        dataset = dataset.shuffle(len(pairs), seed=seed, reshuffle_each_iteration=True)
    if buckets:
        lengths = np.maximum(sources.row_lengths().numpy(), targets.row_lengths().numpy())
        if isinstance(buckets, int):
            boundaries = _bucket_boundaries(lengths, buckets)
        else:
            boundaries = sorted(int(b) for b in buckets)
        src_values, src_splits = sources.flat_values, sources.row_splits
        tgt_values, tgt_splits = targets.flat_values, targets.row_splits
        dataset = dataset.map(  # one pair at a time: 1-D tensors of different lengths
            lambda i: (src_values[src_splits[i]:src_splits[i + 1]], tgt_values[tgt_splits[i]:tgt_splits[i + 1]]),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
        dataset = dataset.bucket_by_sequence_length(
            element_length_func=lambda s, t: tf.maximum(tf.shape(s)[0], tf.shape(t)[0]),
            bucket_boundaries=boundaries,
            bucket_batch_sizes=[batch_size] * (len(boundaries) + 1),
            drop_remainder=drop_remainder,
        )  # pads with 0 to the longest in each batch
        # The number of batches is fixed (each bucket's size is), but tf.data
        # cannot know it; telling it lets fit() show progress and not warn
        # that the data "ran out" at the end of the first epoch.
        per_bucket = np.bincount(np.searchsorted(boundaries, lengths, side="right"),
                                 minlength=len(boundaries) + 1)
        batches = per_bucket // batch_size if drop_remainder else -(-per_bucket // batch_size)
        dataset = dataset.apply(tf.data.experimental.assert_cardinality(int(batches.sum())))
    else:
        dataset = dataset.batch(batch_size, drop_remainder=drop_remainder).map(  # a batch at a time
            lambda i: (tf.gather(sources, i).to_tensor(PAD_ID), tf.gather(targets, i).to_tensor(PAD_ID)),
            num_parallel_calls=tf.data.AUTOTUNE,
        )  # (batch, longest source), (batch, longest target): padded with 0

    def teacher_forcing(source, target):  # source (batch, src_len), target (batch, tgt_len + 1)
        return (source, target[:, :-1]), target[:, 1:]

    return dataset.map(teacher_forcing, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


# -- Describing ---------------------------------------------------------------------------

PERCENTILES = (50, 90, 95, 99, 100)


@dataclass
class Description:
    """What :func:`describe` found. ``print()`` it for a table; :meth:`plot` it."""

    name: str
    pairs: int
    distinct_sources: int
    distinct_targets: int
    source_lengths: dict  # percentile -> tokens
    target_lengths: dict
    source_vocabulary: int | None = None  # ids, including the 4 reserved
    target_vocabulary: int | None = None
    source_type_coverage: float | None = None  # share of distinct tokens in the vocabulary
    target_type_coverage: float | None = None
    source_oov_rate: float | None = None  # share of running tokens that become [UNK]
    target_oov_rate: float | None = None
    source_length_values: list = field(default_factory=list, repr=False)
    target_length_values: list = field(default_factory=list, repr=False)

    def __str__(self):
        def pct(d):
            return "  ".join(f"p{p}={v:g}" for p, v in d.items())

        lines = [f"{self.name}: {self.pairs:,} pairs, {self.distinct_sources:,} distinct sources, "
                 f"{self.distinct_targets:,} distinct targets",
                 f"  source length (tokens): {pct(self.source_lengths)}",
                 f"  target length (tokens): {pct(self.target_lengths)}"]
        for side in ("source", "target"):
            size = getattr(self, f"{side}_vocabulary")
            if size is not None:
                lines.append(f"  {side} vocabulary: {size:,} ids; covers "
                             f"{getattr(self, f'{side}_type_coverage'):.1%} of distinct tokens; "
                             f"OOV rate {getattr(self, f'{side}_oov_rate'):.2%} of tokens")
        return "\n".join(lines)

    def plot(self, axes=None):
        """Histograms of source and target lengths, with the p50/p95 marked. Returns the axes.

        Example:
            >>> import matplotlib; matplotlib.use("Agg")
            >>> axes = describe([("a b", "x"), ("a", "x y z")]).plot()
            >>> [ax.get_title() for ax in axes]
            ['corpus: source lengths', 'corpus: target lengths']
        """
        import matplotlib.pyplot as plt

        if axes is None:
            _, axes = plt.subplots(1, 2, figsize=(9, 3), layout="constrained", sharey=True)
        for ax, side in zip(axes, ("source", "target")):
            values = getattr(self, f"{side}_length_values")
            ax.hist(values, bins=np.arange(0.5, max(values) + 1.5), color="tab:blue")
            for p, style in ((50, "--"), (95, ":")):
                ax.axvline(getattr(self, f"{side}_lengths")[p], color="k", linestyle=style, label=f"p{p}")
            ax.set_title(f"{self.name}: {side} lengths")
            ax.set_xlabel("tokens")
            ax.legend()
        axes[0].set_ylabel("pairs")
        return axes


def _coverage(texts, vectorizer, level):
    vocabulary = set(vectorizer.get_vocabulary()[len(_RESERVED):])
    counts = collections.Counter(tok for text in texts for tok in tokenize(text, level))
    total = sum(counts.values())
    known = sum(c for tok, c in counts.items() if tok in vocabulary)
    types = sum(1 for tok in counts if tok in vocabulary)
    return (vectorizer.vocabulary_size(), types / max(len(counts), 1), 1 - known / max(total, 1))


def describe(pairs, source_vectorizer=None, target_vectorizer=None, *, name="corpus", levels=None):
    """Counts, length percentiles and, given vectorizers, vocabulary coverage and OOV rate.

    Lengths are in tokens (words, or characters for a character-level
    vectorizer), without ``[START]``/``[END]``. Coverage and OOV are measured on
    ``pairs`` against each vectorizer's vocabulary: describe the *validation*
    part with the vectorizers built on *train* to see what the model will meet.

    Example:
        >>> d = describe([("go .", "ve ."), ("go .", "vete ."), ("hi .", "hola .")],
        ...              make_vectorizer(["go ."]), make_vectorizer(["ve ."]))
        >>> print(d)
        corpus: 3 pairs, 2 distinct sources, 3 distinct targets
          source length (tokens): p50=2  p90=2  p95=2  p99=2  p100=2
          target length (tokens): p50=2  p90=2  p95=2  p99=2  p100=2
          source vocabulary: 6 ids; covers 66.7% of distinct tokens; OOV rate 16.67% of tokens
          target vocabulary: 6 ids; covers 50.0% of distinct tokens; OOV rate 33.33% of tokens
        >>> d.source_oov_rate
        0.16666666666666663
    """
    if levels is None:
        levels = tuple(getattr(v, "_seq2seq_level", "word") if v is not None else "word"
                       for v in (source_vectorizer, target_vectorizer))
    sources = [s for s, _ in pairs]
    targets = [t for _, t in pairs]
    src_len = [len(tokenize(s, levels[0])) for s in sources]
    tgt_len = [len(tokenize(t, levels[1])) for t in targets]
    if not pairs:
        raise ValueError("describe got no pairs.")

    def pct(values):
        return {p: float(np.percentile(values, p)) for p in PERCENTILES}

    d = Description(name, len(pairs), len(set(sources)), len(set(targets)), pct(src_len), pct(tgt_len),
                    source_length_values=src_len, target_length_values=tgt_len)
    if source_vectorizer is not None:
        d.source_vocabulary, d.source_type_coverage, d.source_oov_rate = _coverage(
            sources, source_vectorizer, levels[0])
    if target_vectorizer is not None:
        d.target_vocabulary, d.target_type_coverage, d.target_oov_rate = _coverage(
            targets, target_vectorizer, levels[1])
    return d
