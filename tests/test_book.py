"""seq2seq_attention.book: the chapters' measured numbers come from
benchmarks/results/*.json.

No network: the checkout path is read for real, the download path with
keras.utils.get_file replaced by a stand-in.
"""

import json
import sys
from pathlib import Path

import keras
import pytest

from seq2seq_attention import book

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from setup_cell import REPOSITORY_URL  # noqa: E402

RESULTS = sorted((ROOT / "benchmarks" / "results").glob("*.json"))


def test_results_dir_is_the_checkouts():
    assert book.RESULTS_DIR == ROOT / "benchmarks" / "results"


@pytest.mark.parametrize("path", RESULTS, ids=lambda p: p.stem)
def test_reads_every_report_from_the_checkout(path, monkeypatch):
    monkeypatch.setattr(
        keras.utils,
        "get_file",
        lambda *a, **k: pytest.fail("must not download"),
    )
    assert book.benchmark_result(path.stem) == json.loads(path.read_text())


def test_reads_from_another_folder(tmp_path):
    (tmp_path / "mine.json").write_text('{"results": [1, 2]}')
    assert book.benchmark_result("mine", results_dir=tmp_path) == {
        "results": [1, 2]
    }


def test_downloads_from_the_repository_when_not_in_the_checkout(
    tmp_path, monkeypatch
):
    asked = {}

    def fake_get_file(fname, origin, **kwargs):
        asked.update(fname=fname, origin=origin, **kwargs)
        path = tmp_path / "cache" / fname
        path.parent.mkdir()
        path.write_text('{"benchmark": "decoding_speed"}')
        return str(path)

    monkeypatch.setattr(keras.utils, "get_file", fake_get_file)
    report = book.benchmark_result(
        "decoding_speed", results_dir=tmp_path / "no-checkout"
    )
    assert report == {"benchmark": "decoding_speed"}
    owner_and_name = REPOSITORY_URL.removeprefix("https://github.com/")
    assert asked["origin"] == (
        f"https://raw.githubusercontent.com/{owner_and_name}/main/"
        "benchmarks/results/decoding_speed.json"
    )
    assert asked["force_download"], (
        "a cached copy would hide a rerun benchmark"
    )


def test_branch_is_the_books():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["repository"]["branch"] == book.BRANCH


def test_failed_download_says_what_to_do(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: no network")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(
        book.BenchmarkResultNotFoundError,
        match="could not be downloaded.*no network.*run `python "
        "benchmarks/decoding_speed.py`",
    ):
        book.benchmark_result("decoding_speed", results_dir=tmp_path)


def test_no_download_when_told(tmp_path, monkeypatch):
    monkeypatch.setattr(
        keras.utils,
        "get_file",
        lambda *a, **k: pytest.fail("must not download"),
    )
    with pytest.raises(
        book.BenchmarkResultNotFoundError, match="download=False"
    ):
        book.benchmark_result(
            "decoding_speed", results_dir=tmp_path, download=False
        )


@pytest.mark.parametrize(
    "name", ["decoding_speed.json", "../secrets", "", None]
)
def test_bad_names_are_refused(name):
    with pytest.raises(ValueError, match="file stem of benchmarks/results"):
        book.benchmark_result(name)


def test_invalid_json_is_a_clear_error(tmp_path):
    (tmp_path / "broken.json").write_text('{"results": [')
    with pytest.raises(ValueError, match="broken.json is not valid JSON"):
        book.benchmark_result("broken", results_dir=tmp_path)


def test_repository_url_is_the_packages_source_url():
    assert book.repository_url() == REPOSITORY_URL


def test_markdown_table_refuses_ragged_rows():
    with pytest.raises(ValueError, match="every row needs 2 cells"):
        book.markdown_table(["a", "b"], [["1"]])
