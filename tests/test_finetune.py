"""Fine-tuning: freezing, vocabulary extension, forgetting guards and
refusals (that it beats training from scratch, and the ``finetune`` command
end to end: tests/test_dates_quick_run.py)."""

import json

import keras
import numpy as np
import pytest

from seq2seq_attention import data
from seq2seq_attention.finetune import (
    PARTS,
    FinetuneConfig,
    copy_translator,
    extend_vocabulary,
    finetune,
    freeze,
    mix_old_data,
    oov_rate,
    parameter_counts,
    parts_of,
    unknown_tokens,
)
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.translator import Translator

NEW_PAIRS = [
    ("the black dog .", "el perro negro ."),
    ("i see the dog .", "veo al perro ."),
    ("the dog is cold .", "el perro tiene frío ."),
    ("help the dog !", "¡ ayuda al perro !"),
]


def part_values(translator):
    return {
        part: [w.numpy().copy() for layer in layers for w in layer.weights]
        for part, layers in parts_of(translator.seq2seq).items()
    }


def tiny_translator(decoder):
    source = data.make_vectorizer([s for s, _ in NEW_PAIRS])
    target = data.make_vectorizer([t for _, t in NEW_PAIRS])
    keras.utils.set_random_seed(1)
    model = Seq2SeqAttention(
        source.vocabulary_size(),
        target.vocabulary_size(),
        embedding_dim=8,
        units=8,
        decoder=decoder,
    )
    return Translator(model, source, target)


@pytest.mark.parametrize("decoder", ["luong", "bahdanau"])
@pytest.mark.parametrize(
    "frozen",
    [["embeddings", "encoder"], ["attention", "decoder"], ["attention"]],
)
def test_frozen_weights_do_not_change_and_the_others_do(
    decoder, frozen, tmp_path
):
    original = tiny_translator(decoder)
    before = part_values(original)
    result = finetune(
        original,
        NEW_PAIRS,
        NEW_PAIRS,
        freeze_parts=frozen,
        learning_rate=0.05,
        schedule="constant",
        epochs=3,
        patience=3,
        run_dir=tmp_path,
        verbose=0,
        max_oov=1.0,
    )
    after = part_values(result.translator)
    for part in PARTS:
        same = all(
            np.array_equal(a, b) for a, b in zip(before[part], after[part])
        )
        problem = (
            "changed although frozen" if same is False else "did not train"
        )
        assert same == (part in frozen), f"{part} {problem}"
    # the input translator is never modified, and the result is an ordinary
    # trainable model again
    assert all(
        all(
            np.array_equal(a, b)
            for a, b in zip(before[p], part_values(original)[p])
        )
        for p in PARTS
    )
    assert (
        parameter_counts(result.translator)["trainable"]
        == parameter_counts(result.translator)["total"]
    )
    assert result.report["frozen"] == frozen


def test_freeze_counts_and_refuses_unknown_parts():
    model = tiny_translator("luong").seq2seq
    counts = freeze(model, "embeddings,encoder")
    assert counts["embeddings"][1] is False and counts["attention"][1] is True
    assert counts["trainable"] == counts["attention"][0] + counts["decoder"][0]
    assert counts["total"] == sum(counts[p][0] for p in PARTS)
    with pytest.raises(
        ValueError, match=r"cannot freeze \['decoders'\]: choose among"
    ):
        freeze(model, ["decoders"])
    with pytest.raises(TypeError, match="Seq2SeqAttention"):
        freeze(keras.Sequential(), [])


def test_oov_rate_and_unknown_tokens(trained_translator):
    assert oov_rate(trained_translator, ["the black cat ."]) == 0.0
    # normalised: the black dog !
    assert oov_rate(trained_translator, ["The black DOG!"]) == pytest.approx(
        1 / 4
    )
    assert oov_rate(
        trained_translator, ["el perro"], side="target"
    ) == pytest.approx(1 / 2)
    assert unknown_tokens(trained_translator, [s for s, _ in NEW_PAIRS]) == [
        "dog",
        "is",
    ]
    assert unknown_tokens(
        trained_translator, [s for s, _ in NEW_PAIRS], min_count=2
    ) == ["dog"]
    with pytest.raises(ValueError, match="side must be"):
        oov_rate(trained_translator, ["x"], side="both")


def test_extending_the_vocabulary_keeps_old_translations(
    trained_translator, memorised_pairs, tmp_path
):
    sources = [s for s, _ in memorised_pairs]
    bigger = extend_vocabulary(
        trained_translator, ["dog", "is", "go"], ["perro", "negro", "nuevo"]
    )
    # 'go' was already known, 'negro' too
    assert bigger.source_vocabulary[-2:] == [
        "dog",
        "is",
    ]
    assert bigger.target_vocabulary[-2:] == ["perro", "nuevo"]
    old_size = trained_translator.seq2seq.source_vocab_size
    assert bigger.seq2seq.source_vocab_size == old_size + 2
    for method in ("greedy", "beam"):
        before = trained_translator.translate(sources, method=method)
        after = bigger.translate(sources, method=method)
        assert (
            [t.text for t in after]
            == [t.text for t in before]
            == [data.detokenize_words(t.split()) for _, t in memorised_pairs]
        )
        np.testing.assert_allclose(
            [t.log_prob for t in after],
            [t.log_prob for t in before],
            atol=1e-5,
        )
    # a new word is read exactly as [UNK] was read before the extension
    unknown = ["i see the dog .", "the black dog is cold ."]
    assert [t.text for t in bigger.translate(unknown)] == [
        t.text for t in trained_translator.translate(unknown)
    ]
    # every old token keeps its probability; [UNK] and the new tokens share
    # [UNK]'s old probability
    ids, _ = trained_translator.encode_sources(sources)
    target_in = data.encode(
        [t for _, t in memorised_pairs],
        data.vectorizer_from_config(trained_translator.target_config),
    ).to_tensor()[:, :-1]
    p_old = keras.ops.softmax(
        trained_translator.seq2seq((ids, target_in))
    ).numpy()
    p_new = keras.ops.softmax(bigger.seq2seq((ids, target_in))).numpy()
    old_vocab = trained_translator.seq2seq.target_vocab_size
    np.testing.assert_allclose(
        p_new[..., :old_vocab][..., 2:], p_old[..., 2:], atol=1e-6
    )
    np.testing.assert_allclose(
        p_new[..., 1] + p_new[..., old_vocab:].sum(-1),
        p_old[..., 1],
        atol=1e-6,
    )
    # the grown translator saves and loads like any other
    bigger.save(tmp_path / "bigger.keras")
    loaded = keras.saving.load_model(tmp_path / "bigger.keras")
    assert loaded.source_vocabulary == bigger.source_vocabulary
    assert [t.text for t in loaded.translate(sources)] == [
        data.detokenize_words(t.split()) for _, t in memorised_pairs
    ]


def test_extended_vocabulary_is_learnt_by_finetuning(
    trained_translator, tmp_path
):
    result = finetune(
        trained_translator,
        NEW_PAIRS,
        NEW_PAIRS,
        extend=True,
        min_count=1,
        learning_rate=0.02,
        schedule="constant",
        epochs=40,
        patience=40,
        run_dir=tmp_path,
        verbose=0,
        metric="bleu",
        max_oov=1.0,
    )
    assert result.report["added_source_tokens"] == ["dog", "is"]
    assert "perro" in result.report["added_target_tokens"]
    assert "perro" in result.translator.translate(["the black dog ."])[0].text
    with pytest.raises(ValueError, match="must learn"):
        finetune(
            trained_translator,
            NEW_PAIRS,
            NEW_PAIRS,
            extend=True,
            freeze_parts=["embeddings"],
            max_oov=1.0,
        )


def test_mixing_old_data():
    new, old = (
        [("n", str(i)) for i in range(30)],
        [("o", str(i)) for i in range(100)],
    )
    mixed = mix_old_data(new, old, fraction=0.25, seed=0)
    assert len(mixed) == 40 and sum(s == "o" for s, _ in mixed) == 10
    assert set(new) <= set(mixed) and mixed == mix_old_data(
        new, old, fraction=0.25, seed=0
    )
    assert mix_old_data(new, old, 0.0, seed=0) == new
    # too few old pairs: drawn with replacement
    assert len(mix_old_data(new, old[:3], fraction=0.5, seed=0)) == 60
    with pytest.raises(ValueError, match=r"in \[0, 1\)"):
        mix_old_data(new, old, 1.0, seed=0)
    with pytest.raises(ValueError, match="no old pairs"):
        mix_old_data(new, [], 0.5, seed=0)


def test_mismatches_are_refused_with_clear_messages(
    trained_translator, memorised_pairs, tmp_path
):
    # data in the wrong direction: nearly every source token is unknown
    reversed_pairs = [(t, s) for s, t in memorised_pairs]
    with pytest.raises(ValueError, match="other direction"):
        finetune(trained_translator, reversed_pairs, reversed_pairs)
    # a run folder holding a run with other settings is not resumed
    finetune(
        trained_translator,
        NEW_PAIRS,
        NEW_PAIRS,
        epochs=1,
        run_dir=tmp_path,
        verbose=0,
        max_oov=1.0,
    )
    with pytest.raises(
        ValueError,
        match=r"other settings \(freeze: \[\] then, \['encoder'\] now\)",
    ):
        finetune(
            trained_translator,
            NEW_PAIRS,
            NEW_PAIRS,
            freeze_parts=["encoder"],
            epochs=1,
            run_dir=tmp_path,
            verbose=0,
            max_oov=1.0,
        )
    with pytest.raises(TypeError, match="needs a Translator"):
        finetune(trained_translator.seq2seq, NEW_PAIRS, NEW_PAIRS)
    with pytest.raises(ValueError, match="training and validation pairs"):
        finetune(trained_translator, [], NEW_PAIRS)


def test_finetune_config_and_the_keyword_calls_agree(
    trained_translator, tmp_path
):
    """A FinetuneConfig and the older keyword options are the same run: the
    settings recorded in the run folders match."""
    config = FinetuneConfig(epochs=1, verbose=0, max_oov=1.0)
    first = finetune(
        trained_translator,
        NEW_PAIRS,
        NEW_PAIRS,
        config,
        run_dir=tmp_path / "a",
    )
    again = finetune(
        trained_translator,
        NEW_PAIRS,
        NEW_PAIRS,
        epochs=1,
        verbose=0,
        max_oov=1.0,
        run_dir=tmp_path / "b",
    )
    recorded = [
        json.loads((tmp_path / name / "finetune.json").read_text())
        for name in ("a", "b")
    ]
    assert recorded[0] == recorded[1] and recorded[0]["epochs"] == 1
    assert first.report["frozen"] == again.report["frozen"] == []
    assert FinetuneConfig(freeze_parts="encoder").freeze_parts == ("encoder",)
    with pytest.raises(TypeError, match="unknown options \\['epoch'\\]"):
        finetune(trained_translator, NEW_PAIRS, NEW_PAIRS, epoch=1)
    with pytest.raises(TypeError, match="is a FinetuneConfig"):
        finetune(trained_translator, NEW_PAIRS, NEW_PAIRS, {"epochs": 1})


def test_finetuning_a_subword_translator(subword_translator, tmp_path):
    """Subwords: the OOV check is the tokenizer's unknown_rate (characters
    spelled as bytes), extending is refused in one line, and fine-tuning on
    raw, typographic text runs."""
    new = [("Le chien dort.", "The dog sleeps."), ("Merci\u00a0!", "Thanks!")]
    tokenizer = subword_translator.source_tokenizer
    sources = [s for s, _ in new]
    assert oov_rate(subword_translator, sources) == pytest.approx(
        tokenizer.unknown_rate(sources)
    )
    assert oov_rate(subword_translator, ["Ωμέγα"]) == 1.0  # all bytes
    with pytest.raises(ValueError, match="tokenizer is subword") as error:
        finetune(subword_translator, new, new, extend=True)
    assert "\n" not in str(error.value)
    with pytest.raises(ValueError, match="tokenizer is subword"):
        extend_vocabulary(subword_translator, ["chien"])
    result = finetune(
        subword_translator,
        new,
        new,
        FinetuneConfig(epochs=2, verbose=0, metric="bleu"),
        run_dir=tmp_path,
    )
    assert result.report["source_oov"] == oov_rate(subword_translator, sources)
    assert result.translator.source_config == subword_translator.source_config
    assert isinstance(result.translator.translate(["Le chien"])[0].text, str)


def test_copy_translator_is_independent(trained_translator):
    twin = copy_translator(trained_translator)
    twin.seq2seq.decoder.output_layer.bias.assign(
        np.zeros(twin.seq2seq.target_vocab_size)
    )
    assert not np.array_equal(
        trained_translator.seq2seq.decoder.output_layer.bias.numpy(),
        twin.seq2seq.decoder.output_layer.bias.numpy(),
    )


# -- The dates experiment: English dates -> Spanish dates ---------------------
