"""The package's rooms: old import paths keep working, ids and errors live in
TensorFlow-free modules, and registered Keras names survive the moves."""

import importlib
import subprocess
import sys
from pathlib import Path

import keras
import pytest

from seq2seq_attention import data, errors, exercises, special_tokens, tasks

PACKAGE = Path(data.__file__).resolve().parent.parent
DATA_MODULES = [
    "corpus",
    "tsv",
    "text",
    "splits",
    "vocabulary",
    "pipeline",
    "description",
]
EXERCISE_MODULES = [
    "background",
    "core_concepts",
    "algorithm",
    "math",
    "data",
    "model",
    "training",
    "decoding",
    "finetuning",
    "applications",
    "tools",
    "future",
    "faq",
]


def test_data_reexports_every_public_name_of_its_modules():
    for name in DATA_MODULES:
        module = importlib.import_module(f"seq2seq_attention.data.{name}")
        for public in module.__all__:
            assert getattr(data, public) is getattr(module, public), public
            assert public in data.__all__, public


def test_data_keeps_the_names_of_the_old_data_module():
    old = {
        "prepare_pairs",
        "CorpusNotFoundError",
        "HashMismatchError",
        "MalformedLineError",
        "PAD_ID",
        "UNK_ID",
        "START_ID",
        "END_ID",
        "UNK",
        "START",
        "END",
        "ParallelCorpus",
        "Split",
        "Description",
        "describe",
        "encode",
        "fetch_spa_eng",
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
        "deduplicate",
        "filter_by_length",
        "ATTRIBUTION",
        "DATA_ENV",
        "SPA_ENG_SHA256",
        "SPA_ENG_TEXT_SHA256",
        "SPA_ENG_URL",
        "PERCENTILES",
    }
    assert old <= set(dir(data))
    assert data.PAD_ID is special_tokens.PAD_ID
    assert data.MalformedLineError is errors.MalformedLineError


def test_standardize_sentence_keeps_its_registered_keras_name():
    """Saved .keras files name the function by this string; a move must not
    change it, or models saved before the move would no longer load."""
    name = "seq2seq_attention>standardize_sentence"
    assert keras.saving.get_registered_name(data.standardize_sentence) == name
    assert (
        keras.saving.get_registered_object(name) is data.standardize_sentence
    )


@pytest.mark.parametrize(
    "name", ["special_tokens", "errors", "protocol", "checks"]
)
def test_ids_and_errors_import_no_tensorflow(name):
    script = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('m', "
        f"{str(PACKAGE / (name + '.py'))!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "heavy = {'tensorflow', 'keras', 'numpy'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_error_types_keep_the_builtin_bases_callers_catch():
    for error in (errors.MalformedLineError, errors.HashMismatchError):
        assert issubclass(error, errors.DataError)
        assert issubclass(error, ValueError)
    assert issubclass(errors.CorpusNotFoundError, FileNotFoundError)
    for error in (
        errors.DataError,
        errors.ModelFileError,
        errors.ArgumentError,
        errors.RunFolderError,
        errors.CorpusNotFoundError,
    ):
        assert issubclass(error, errors.Seq2SeqAttentionError)
    with pytest.raises(errors.MalformedLineError) as caught:
        data.parse_tsv(["only one column\n"])
    assert caught.value.line_number == 1


def test_the_dates_module_under_its_old_name_is_the_same_module_content():
    from seq2seq_attention import dates
    from seq2seq_attention.tasks import dates as new_home

    assert dates.__all__ == new_home.__all__
    for name in new_home.__all__:
        assert getattr(dates, name) is getattr(new_home, name), name


def test_tasks_package_reexports_the_sequence_tasks():
    from seq2seq_attention.tasks import sequences

    # plus the two task modules of the applications chapter
    extra = sorted(set(tasks.__all__) - set(sequences.__all__))
    assert set(sequences.__all__) <= set(tasks.__all__)
    assert extra == ["headlines", "qa"]
    assert tasks.generate("copy", 2, seed=0) == sequences.generate(
        "copy", 2, seed=0
    )


def test_exercises_reexport_every_checker_of_every_chapter_module():
    checkers = set()
    for name in EXERCISE_MODULES:
        module = importlib.import_module(f"seq2seq_attention.exercises.{name}")
        for checker in module.__all__:
            assert checker.startswith("check_")
            assert getattr(exercises, checker) is getattr(module, checker)
        checkers |= set(module.__all__)
    assert checkers == set(exercises.__all__)
    assert len(checkers) == 45  # 42 + the applications chapter's 3 new ones
    files = {p.stem for p in (PACKAGE / "exercises").glob("*.py")}
    assert files == set(EXERCISE_MODULES) | {"__init__", "_harness"}
