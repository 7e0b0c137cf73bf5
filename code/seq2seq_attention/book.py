"""Measured numbers for the book's prose, read when a chapter runs.

The chapters quote measurements that ``benchmarks/*.py`` write to
``benchmarks/results/NAME.json``. A chapter never pastes those numbers into its
text: a code cell reads the report with :func:`benchmark_result` and displays
the sentence or table that quotes it (``IPython.display.Markdown``), so the
prose always says what the JSON says. In a checkout the report is read from
the checkout; where only the package is installed (Colab), it is downloaded
from the repository on GitHub.
"""

import importlib.metadata
import json
import re
from pathlib import Path

import keras

from .errors import ArgumentError, DataError, Seq2SeqAttentionError

RESULTS_DIR = Path(__file__).resolve().parents[2] / "benchmarks" / "results"
"""``benchmarks/results`` of the checkout this package runs from (an
editable install); absent where the package is installed from a wheel."""

BRANCH = "main"
"""The branch whose results are downloaded (``repository.branch`` in
``_config.yml``)."""

_NAME = re.compile(r"[A-Za-z0-9_]+")


class BenchmarkResultNotFoundError(Seq2SeqAttentionError, FileNotFoundError):
    """A benchmark report is not in the checkout and could not be
    downloaded."""


def repository_url():
    """The course repository's address, from the package's ``Source`` URL.

    It is written once, in ``pyproject.toml`` (a test checks that it agrees
    with ``_config.yml``), and read here from the installed package's metadata.

    Example:
        >>> repository_url().startswith("https://github.com/")
        True
    """
    try:
        metadata = importlib.metadata.metadata("seq2seq-attention")
    except importlib.metadata.PackageNotFoundError as error:
        raise RuntimeError(
            "seq2seq-attention is not installed, so its repository address "
            "is unknown: install it (pip install -e . in a checkout)."
        ) from error
    urls = metadata.get_all("Project-URL") or []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip() == "Source":
            return url.strip()
    raise RuntimeError(
        "the installed seq2seq-attention has no Source URL: reinstall it."
    )


def result_url(name):
    """Where ``benchmarks/results/NAME.json`` is served raw from GitHub.

    Example:
        >>> result_url("decoding_speed").split("/")[-3:]
        ['benchmarks', 'results', 'decoding_speed.json']
    """
    path = repository_url().removeprefix("https://github.com/").rstrip("/")
    file = f"benchmarks/results/{_check_name(name)}.json"
    return f"https://raw.githubusercontent.com/{path}/{BRANCH}/{file}"


def benchmark_result(name, *, results_dir=RESULTS_DIR, download=True):
    """The report that ``benchmarks/NAME.py`` wrote, as a dict.

    Reads ``results_dir/NAME.json`` (by default the checkout's
    ``benchmarks/results``) when it exists. Otherwise, if ``download`` is true,
    fetches the same file from the repository's ``main`` branch with
    ``keras.utils.get_file`` (always afresh, so a rerun benchmark is seen).

    Raises:
        ArgumentError: ``name`` is not a file stem such as
            ``"decoding_speed"`` (a ``ValueError``).
        DataError: the report is not valid JSON (a ``ValueError``).
        BenchmarkResultNotFoundError: not in ``results_dir``, and ``download``
            is false or the download failed; the message says how to get it.

    Example:
        >>> report = benchmark_result("decoding_speed")
        >>> report["benchmark"], sorted(report["results"][0])[:3]
        ('decoding_speed', ['beam_size', 'bleu', 'chrf'])
    """
    name = _check_name(name)
    local = Path(results_dir) / f"{name}.json"
    if local.is_file():
        return _read(local)
    fix = (
        f"run `python benchmarks/{name}.py` in a checkout, or pass "
        f"results_dir= a folder holding {name}.json"
    )
    if not download:
        raise BenchmarkResultNotFoundError(
            f"{local} does not exist and download=False: {fix}."
        )
    url = result_url(name)
    try:
        path = keras.utils.get_file(
            f"{name}.json",
            origin=url,
            cache_subdir="seq2seq_attention_benchmarks",
            force_download=True,
        )
    # get_file raises a bare Exception on network failure.
    except Exception as error:
        raise BenchmarkResultNotFoundError(
            f"{local} does not exist and {url} could not be downloaded "
            f"({error}): {fix}."
        ) from error
    return _read(Path(path))


def machine_description(report):
    """How a report's ``environment`` reads in prose: "a GPU", "a 2-core CPU".

    Example:
        >>> machine_description(
        ...     {"environment": {"cpu_count": 2, "devices": ["CPU"]}}
        ... )
        'a 2-core CPU'
        >>> machine_description(
        ...     {"environment": {"cpu_count": 8, "devices": ["CPU", "GPU"]}}
        ... )
        'a GPU'
    """
    env = report["environment"]
    return (
        "a GPU"
        if "GPU" in env.get("devices", [])
        else f"a {env['cpu_count']}-core CPU"
    )


def markdown_table(header, rows):
    """A Markdown table (a list of header cells, then rows of cells) as text.

    Example:
        >>> print(markdown_table(["decoder", "BLEU"], [["Luong", "19.9"]]))
        | decoder | BLEU |
        |---|---|
        | Luong | 19.9 |
    """
    if any(len(row) != len(header) for row in rows):
        raise ArgumentError(
            f"every row needs {len(header)} cells, like the header {header}"
        )

    def line(cells):
        return "| " + " | ".join(map(str, cells)) + " |"

    return "\n".join(
        [line(header), "|" + "---|" * len(header), *map(line, rows)]
    )


def _check_name(name):
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ArgumentError(
            "benchmark name must be a file stem of benchmarks/results "
            f"such as 'decoding_speed', not {name!r}"
        )
    return name


def _read(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(
            f"{path} is not valid JSON ({error}): rerun the benchmark that "
            "writes it."
        ) from error
