"""The models chapters share: trained once, cached, then loaded."""

import dataclasses

import pytest

from seq2seq_attention import chapter_models, data, training


def test_the_dates_translator_is_trained_once_then_loaded(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(chapter_models.CACHE_VARIABLE, str(tmp_path))
    profile = dataclasses.replace(
        training.PROFILES["quick"],
        name="tiny",
        embedding_dim=8,
        units=16,
        epochs=1,
    )
    path = chapter_models.cache_path(profile, "bahdanau", count=200)
    assert path.parent == tmp_path and not path.exists()
    first = chapter_models.dates_translator(profile, "bahdanau", count=200)
    assert "trained in" in capsys.readouterr().out and path.is_file()
    again = chapter_models.dates_translator(profile, "bahdanau", count=200)
    printed = capsys.readouterr().out
    assert f"the training chapter left:\n  {path.name}\n" in printed
    task = chapter_models.dates_data(profile, count=200)
    sources = [s for s, _ in task.split.test]
    assert [r.text for r in again.translate(sources)] == [
        r.text for r in first.translate(sources)
    ]
    # another decoder, profile or task size is another file
    assert chapter_models.cache_path(profile, count=200) != path
    assert chapter_models.cache_path(profile, "bahdanau") != path


def test_the_spanish_translator_is_kept_for_the_next_chapter(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(chapter_models.CACHE_VARIABLE, str(tmp_path))
    monkeypatch.delenv(chapter_models.BOOK_RUN_VARIABLE, raising=False)
    monkeypatch.setitem(chapter_models.CHAPTER_MINUTES, "tiny", 0.05)
    profile = dataclasses.replace(
        training.PROFILES["quick"], name="tiny", embedding_dim=8, units=16
    )
    split = data.translation_split(
        data.load_spa_eng_sample(reverse=True).pairs, seed=0
    )
    trained = chapter_models.spanish_translator(
        split, profile, "sample", reuse=False
    )
    assert "steps in" in capsys.readouterr().out
    loaded = chapter_models.spanish_translator(split, profile, "sample")
    assert "loaded the translator the training chapter left" in (
        capsys.readouterr().out
    )
    sources = [s for s, _ in split.test[:5]]
    assert [r.text for r in loaded.translate(sources)] == [
        r.text for r in trained.translate(sources)
    ]
    # a book run wins over the cache
    monkeypatch.setenv(chapter_models.BOOK_RUN_VARIABLE, str(tmp_path / "x"))
    with pytest.raises(FileNotFoundError, match="does not hold a finished"):
        chapter_models.spanish_translator(split, profile, "sample")
