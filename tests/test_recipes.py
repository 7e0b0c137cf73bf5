"""The training recipe end to end on the shipped sample: subword tokenizers,
token batches, the time budget, a translator that round-trips."""

import dataclasses

import keras
import numpy as np
import pytest

from seq2seq_attention import data, recipes
from seq2seq_attention.special_tokens import UNK
from seq2seq_attention.training import TimeBudget

TINY = recipes.Recipe(
    vocab_size=400,
    embedding_dim=16,
    units=16,
    max_tokens=400,
    epochs=2,
    warmup_steps=10,
)


@pytest.fixture(scope="module")
def sample_split():
    pairs = data.load_spa_eng_sample(reverse=True).pairs  # Spanish -> English
    return data.split_by_source(pairs, seed=0, counts=(40, 40))


@pytest.fixture(scope="module")
def trained(sample_split, tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("recipe")
    translator, history = recipes.train_translator(
        sample_split.train,
        sample_split.validation,
        TINY,
        run_dir=run_dir,
        verbose=0,
        tensorboard=False,
    )
    return translator, history, run_dir


def test_recipe_trains_a_subword_translator(trained, sample_split):
    translator, history, run_dir = trained
    assert translator.source_config["level"] == "subword"
    assert len(history.history["loss"]) == 2
    assert history.training_pairs <= len(sample_split.train)
    assert (run_dir / "best.keras").is_file()
    assert (run_dir / "tokenizers.json").is_file()
    results = translator.translate([s for s, _ in sample_split.test[:5]])
    for result in results:
        assert UNK not in result.source_tokens
        assert UNK not in result.text


def test_recipe_translator_round_trips_in_safe_mode(trained, tmp_path):
    translator, _, _ = trained
    path = tmp_path / "translator.keras"
    translator.save(path)
    again = keras.saving.load_model(path, safe_mode=True)
    texts = ["¿Dónde está el baño?", "Tengo hambre.", "Merci\u202f!"]
    for method in ("greedy", "beam"):
        a = translator.translate(texts, method=method)
        b = again.translate(texts, method=method)
        assert [r.text for r in a] == [r.text for r in b]
        assert all(
            np.allclose(x.weights, y.weights, atol=1e-6) for x, y in zip(a, b)
        )


def test_recipe_resume_reuses_the_saved_tokenizers(trained, sample_split):
    translator, _, run_dir = trained
    again, _ = recipes._tokenizers(sample_split.train[:10], TINY, run_dir)
    assert again.get_config() == translator.source_tokenizer.get_config()


def test_recipe_for_profile_and_bad_tokens():
    from seq2seq_attention.training import PROFILES

    assert recipes.recipe_for(PROFILES["quick"]).units == 128
    with pytest.raises(ValueError, match="tokens must be one of"):
        recipes.Recipe(tokens="bytes")


def test_time_budget_stops_training(sample_split, tmp_path):
    recipe = dataclasses.replace(TINY, epochs=50)
    budget = TimeBudget(minutes=1e-9)  # over after the first batch
    translator, history = recipes.train_translator(
        sample_split.train,
        sample_split.validation,
        recipe,
        run_dir=tmp_path,
        verbose=0,
        tensorboard=False,
        callbacks=[budget],
    )
    assert budget.steps == 1
    assert len(history.history["loss"]) == 1
    assert budget.cpu_seconds > 0


def test_word_level_recipe_is_the_baseline(sample_split, tmp_path):
    recipe = dataclasses.replace(TINY, tokens="word", vocab_size=200, epochs=1)
    translator, _ = recipes.train_translator(
        sample_split.train,
        sample_split.validation,
        recipe,
        run_dir=tmp_path,
        verbose=0,
        tensorboard=False,
    )
    assert translator.target_config["level"] == "word"
    assert translator.target_tokenizer.vocabulary_size() <= 200
