"""The English-Spanish corpus: download, sha256 checks, and the shipped sample.

:func:`fetch_spa_eng` downloads the Tatoeba English-Spanish archive (the one
the TensorFlow tutorial uses) with ``keras.utils.get_file`` and checks its
sha256; :func:`load_spa_eng` reads the pairs straight from the zip;
:func:`load_spa_eng_sample` is a small sample shipped with the package for
working offline, and :func:`load_spa_eng_or_sample` takes whichever is there.

The English-Spanish data is from the Tatoeba Project via manythings.org,
licensed CC-BY 2.0 (France): see :data:`ATTRIBUTION`.

Example:
    >>> sample = load_spa_eng_sample()
    >>> (
    ...     len(sample) > 300,
    ...     sample.pairs[0] == (sample.sources[0], sample.targets[0]),
    ... )
    (True, True)
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import zipfile
from pathlib import Path

import keras

from ..errors import CorpusNotFoundError, HashMismatchError
from .tsv import parse_tsv

__all__ = [
    "ATTRIBUTION",
    "DATA_ENV",
    "SPA_ENG_MEMBER",
    "SPA_ENG_SHA256",
    "SPA_ENG_TEXT_SHA256",
    "SPA_ENG_URL",
    "check_sha256",
    "fetch_spa_eng",
    "load_spa_eng",
    "load_spa_eng_or_sample",
    "load_spa_eng_sample",
    "sha256_of",
]

SPA_ENG_URL = (
    "http://storage.googleapis.com/download.tensorflow.org/data/spa-eng.zip"
)
SPA_ENG_SHA256 = (
    "0c4fd7825d3d872488d38c157f784e035edab4f2ff0df25a2a208790ecb5b58f"
)
SPA_ENG_MEMBER = "spa-eng/spa.txt"
SPA_ENG_TEXT_SHA256 = (
    "6ec60e212f812ee3430f7568ea6f33b6fb080e32193c5952e8da0ee8ba45574c"
)
ATTRIBUTION = (
    "English-Spanish sentence pairs from the Tatoeba Project, via "
    "www.manythings.org/anki. Licence CC-BY 2.0 (France). Attribution: "
    "www.manythings.org/anki and tatoeba.org"
)
DATA_ENV = "SEQ2SEQ_ATTENTION_DATA"
"""Environment variable naming a folder that holds ``spa-eng/spa-eng.zip`` (or
``spa-eng.zip``); when set, that archive is used instead of the download
cache."""

_SAMPLE = "spa_eng_sample.tsv"


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


def check_sha256(what, actual, expected, fix):
    """Raise :class:`~seq2seq_attention.errors.HashMismatchError` unless
    ``actual == expected``.

    The message names ``what``, shows both hashes, and ends with ``fix`` (what
    the user should do about it).

    Example:
        >>> check_sha256(
        ...     "hello.txt", sha256_of(b"hello"), sha256_of(b"hello"), ""
        ... )
        >>> try:
        ...     check_sha256(
        ...         "hello.txt",
        ...         sha256_of(b"hello"),
        ...         "0" * 64,
        ...         "Download it again.",
        ...     )
        ... except HashMismatchError as e:
        ...     print(str(e).splitlines()[0], str(e).splitlines()[-1])
        hello.txt has the wrong sha256: Download it again.
    """
    if actual != expected:
        raise HashMismatchError(
            f"{what} has the wrong sha256:\n  expected {expected}\n  "
            f"actual   {actual}\n{fix}"
        )


def fetch_spa_eng(
    cache_dir=None, *, download=True, origin=SPA_ENG_URL, sha256=SPA_ENG_SHA256
):
    """Path to the verified English-Spanish archive, downloading it if needed.

    Looks, in order, in the folder named by the environment variable
    ``SEQ2SEQ_ATTENTION_DATA`` (``spa-eng/spa-eng.zip`` or ``spa-eng.zip``),
    then in Keras' download cache ``<cache_dir>/datasets/spa-eng.zip``
    (``cache_dir`` defaults to ``$KERAS_HOME`` or ``~/.keras``, as for Keras).
    If the archive is in neither and ``download`` is true,
    ``keras.utils.get_file`` downloads it from ``origin`` into the cache (2.6
    MB). ``get_file`` never downloads a file that is already in the cache, so
    copying the archive there by hand works offline.

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
        for candidate in (
            Path(env) / "spa-eng" / "spa-eng.zip",
            Path(env) / "spa-eng.zip",
        ):
            if candidate.is_file():
                check_sha256(
                    str(candidate),
                    sha256_of(candidate),
                    sha256,
                    f"This file was found through ${DATA_ENV}={env}. "
                    f"Replace it with the archive from {origin}, or "
                    f"unset {DATA_ENV} to use the download cache.",
                )
                return candidate
    if cache_dir is None:  # where keras.utils.get_file puts it by default
        cache_dir = os.environ.get("KERAS_HOME") or os.path.join(
            os.path.expanduser("~"), ".keras"
        )
    cache = Path(os.path.expanduser(cache_dir))
    target = cache / "datasets" / "spa-eng.zip"
    by_hand = (
        f"Download it by hand from {origin} (in a browser, or `curl -O "
        f"{origin}`) and save it as\n  {target}\n(its sha256 must be "
        f"{sha256}), or set {DATA_ENV} to a folder that holds "
        "spa-eng/spa-eng.zip."
    )
    if not target.is_file() and not download:
        raise CorpusNotFoundError(
            "spa-eng.zip is not in the download cache and download=False.\n"
            f"{by_hand}"
        )
    try:
        # Downloads only if the file is missing; we check the hash ourselves,
        # so that a wrong file is an error with a message rather than a silent
        # re-download.
        path = Path(
            keras.utils.get_file(
                "spa-eng.zip",
                origin=origin,
                cache_dir=str(cache),
                cache_subdir="datasets",
            )
        )
    except (
        Exception
    ) as error:  # get_file raises a bare Exception on network failure
        raise CorpusNotFoundError(
            f"Could not download spa-eng.zip ({error}).\n{by_hand}"
        ) from error
    check_sha256(
        str(path),
        sha256_of(path),
        sha256,
        "The download was incomplete or the file was replaced. Delete "
        f"{path} and run again to download it afresh, or download it by "
        f"hand from {origin} and save it there.",
    )
    return path


def load_spa_eng(
    cache_dir=None,
    *,
    download=True,
    origin=SPA_ENG_URL,
    sha256=SPA_ENG_SHA256,
    text_sha256=SPA_ENG_TEXT_SHA256,
    member=SPA_ENG_MEMBER,
    reverse=False,
    errors="raise",
):
    """Read the English-Spanish pairs from the verified archive (see
    :func:`fetch_spa_eng`).

    The text file is read straight from the zip (no extraction) and its sha256
    is checked too. ``reverse=True`` gives Spanish -> English.

    Returns:
        a :class:`ParallelCorpus`.

    Example (needs the archive, so it is not run here)::

        corpus = load_spa_eng()
        len(corpus)  # 118964
        corpus.pairs[0]  # ('Go.', 'Ve.')
    """
    path = fetch_spa_eng(
        cache_dir, download=download, origin=origin, sha256=sha256
    )
    with zipfile.ZipFile(path) as archive:
        try:
            data = archive.read(member)
        except KeyError:
            raise CorpusNotFoundError(
                f"{path} has no member {member!r} (it has "
                f"{archive.namelist()}). Delete it and download it again "
                f"from {origin}."
            ) from None
    check_sha256(
        f"{member} inside {path}",
        sha256_of(data),
        text_sha256,
        "The archive passed its own check but holds another text. Delete "
        f"{path} and download it again.",
    )
    return parse_tsv(
        data.splitlines(keepends=True),
        name=f"{path}:{member}",
        reverse=reverse,
        errors=errors,
    )


def load_spa_eng_sample(*, reverse=False):
    """The small English-Spanish sample shipped with the package (for working
    offline).

    A few hundred pairs drawn with a fixed seed from ``spa.txt``; same licence
    and attribution (:data:`ATTRIBUTION`).

    Example:
        >>> sample = load_spa_eng_sample()
        >>> len(sample) > 300, sample.skipped
        (True, [])
    """
    path = (
        importlib.resources.files("seq2seq_attention") / "data_files" / _SAMPLE
    )
    return parse_tsv(
        path.read_bytes().splitlines(keepends=True),
        name=f"seq2seq_attention/data_files/{_SAMPLE}",
        reverse=reverse,
    )


def load_spa_eng_or_sample(cache_dir=None, *, download=False, reverse=False):
    """The full corpus if it is available (see :func:`fetch_spa_eng`), else the
    shipped sample.

    Returns ``(corpus, which)`` with ``which`` ``"full"`` or ``"sample"``. A
    wrong hash is still an error: only a *missing* corpus falls back.

    Example:
        >>> import tempfile
        >>> corpus, which = load_spa_eng_or_sample(tempfile.mkdtemp())
        >>> which if os.environ.get(DATA_ENV) is None else "sample"
        'sample'
    """
    try:
        return load_spa_eng(
            cache_dir, download=download, reverse=reverse
        ), "full"
    except CorpusNotFoundError:
        return load_spa_eng_sample(reverse=reverse), "sample"
