"""Corpora, cleaning, splitting, vocabularies and tf.data pipelines
(seq2seq_attention.data).

Nothing here needs the network or ../shared: the download tests build a tiny
spa-eng.zip in a temporary folder and pass its own sha256.
"""

import datetime
import io
import json
import zipfile

import keras
import numpy as np
import pytest
import tensorflow as tf

from seq2seq_attention import data
from seq2seq_attention.data import (
    END_ID,
    PAD_ID,
    START_ID,
    UNK_ID,
    CorpusNotFoundError,
    HashMismatchError,
    MalformedLineError,
)
from seq2seq_attention.dates import generate_dates

TINY = "Go.\tVe.\nGo.\tVete.\nHi.\tHola.\nRun!\t¡Corre!\nWho?\t¿Quién?\n"
# nothing listens there: the download fails at once
UNREACHABLE = "http://127.0.0.1:9/spa-eng.zip"


def make_zip(tmp_path, text=TINY, member="spa-eng/spa.txt"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, text.encode("utf-8"))
        archive.writestr(
            "spa-eng/_about.txt",
            "Attribution: www.manythings.org/anki and tatoeba.org\n",
        )
    path = tmp_path / "made" / "spa-eng.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path, data.sha256_of(path), data.sha256_of(text.encode("utf-8"))


def seed_cache(tmp_path, zip_path):
    cache = tmp_path / "cache"
    (cache / "datasets").mkdir(parents=True)
    (cache / "datasets" / "spa-eng.zip").write_bytes(zip_path.read_bytes())
    return cache


@pytest.fixture(autouse=True)
def no_data_env(monkeypatch):
    monkeypatch.delenv(data.DATA_ENV, raising=False)


# -- download and verification ------------------------------------------------


def test_pre_seeded_cache_runs_the_real_download_path_without_network(
    tmp_path,
):
    zip_path, zip_hash, text_hash = make_zip(tmp_path)
    cache = seed_cache(tmp_path, zip_path)
    corpus = data.load_spa_eng(
        cache, origin=UNREACHABLE, sha256=zip_hash, text_sha256=text_hash
    )
    assert corpus.pairs[:2] == [("Go.", "Ve."), ("Go.", "Vete.")]
    assert len(corpus) == 5 and corpus.skipped == []
    assert (
        data.fetch_spa_eng(cache, origin=UNREACHABLE, sha256=zip_hash)
        == cache / "datasets" / "spa-eng.zip"
    )
    reverse = data.load_spa_eng(
        cache,
        origin=UNREACHABLE,
        sha256=zip_hash,
        text_sha256=text_hash,
        reverse=True,
    )
    assert reverse.pairs[0] == ("Ve.", "Go.")


def test_environment_variable_folder_is_used_first(tmp_path, monkeypatch):
    zip_path, zip_hash, text_hash = make_zip(tmp_path)
    shared = tmp_path / "shared" / "spa-eng"
    shared.mkdir(parents=True)
    (shared / "spa-eng.zip").write_bytes(zip_path.read_bytes())
    monkeypatch.setenv(data.DATA_ENV, str(shared.parent))
    empty_cache = tmp_path / "empty"
    assert (
        data.fetch_spa_eng(empty_cache, download=False, sha256=zip_hash)
        == shared / "spa-eng.zip"
    )
    corpus = data.load_spa_eng(
        empty_cache, download=False, sha256=zip_hash, text_sha256=text_hash
    )
    assert len(corpus) == 5
    with pytest.raises(
        HashMismatchError, match=data.DATA_ENV
    ):  # the real hash: a wrong file there is an error
        data.load_spa_eng_or_sample(empty_cache)


def test_wrong_archive_hash_names_file_both_hashes_and_the_fix(tmp_path):
    zip_path, zip_hash, _ = make_zip(tmp_path)
    cache = seed_cache(tmp_path, zip_path)
    expected = "0" * 64
    with pytest.raises(HashMismatchError) as info:
        data.fetch_spa_eng(cache, origin=UNREACHABLE, sha256=expected)
    message = str(info.value)
    assert str(cache / "datasets" / "spa-eng.zip") in message
    assert expected in message and zip_hash in message
    assert "Delete" in message and "download it by hand" in message
    assert (cache / "datasets" / "spa-eng.zip").exists(), (
        "a wrong file must not be deleted silently"
    )


def test_wrong_text_hash_inside_a_good_archive(tmp_path):
    zip_path, zip_hash, text_hash = make_zip(tmp_path)
    cache = seed_cache(tmp_path, zip_path)
    with pytest.raises(HashMismatchError, match="spa-eng/spa.txt") as info:
        data.load_spa_eng(
            cache, origin=UNREACHABLE, sha256=zip_hash, text_sha256="f" * 64
        )
    assert text_hash in str(info.value) and "f" * 64 in str(info.value)


def test_real_hashes_reject_a_fake_archive(tmp_path):
    zip_path, _, _ = make_zip(tmp_path)
    cache = seed_cache(tmp_path, zip_path)
    with pytest.raises(HashMismatchError, match=data.SPA_ENG_SHA256):
        data.load_spa_eng(cache, origin=UNREACHABLE)
    # ... and the fallback does not hide a wrong file either
    with pytest.raises(HashMismatchError):
        data.load_spa_eng_or_sample(cache)


def test_missing_file_offline_says_where_to_put_it(tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(CorpusNotFoundError) as info:
        data.fetch_spa_eng(cache, origin=UNREACHABLE)
    message = str(info.value)
    assert "Could not download" in message
    assert (
        str(cache / "datasets" / "spa-eng.zip") in message
        and UNREACHABLE in message
    )
    assert data.DATA_ENV in message
    assert not (cache / "datasets" / "spa-eng.zip").exists(), (
        "no partial file may be left behind"
    )
    with pytest.raises(CorpusNotFoundError, match="download=False"):
        data.fetch_spa_eng(cache, download=False)


def test_default_cache_is_keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    with pytest.raises(
        CorpusNotFoundError,
        match=str(tmp_path / "keras-home" / "datasets" / "spa-eng.zip"),
    ):
        data.fetch_spa_eng(download=False)
    zip_path, zip_hash, text_hash = make_zip(tmp_path)
    seed_cache(tmp_path, zip_path)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "cache"))
    assert (
        len(
            data.load_spa_eng(
                sha256=zip_hash, text_sha256=text_hash, origin=UNREACHABLE
            )
        )
        == 5
    )


def test_missing_member_in_archive(tmp_path):
    zip_path, zip_hash, _ = make_zip(tmp_path, member="spa-eng/other.txt")
    cache = seed_cache(tmp_path, zip_path)
    with pytest.raises(
        CorpusNotFoundError, match="no member 'spa-eng/spa.txt'"
    ):
        data.load_spa_eng(cache, origin=UNREACHABLE, sha256=zip_hash)


def test_offline_fallback_is_the_shipped_sample(tmp_path):
    corpus, which = data.load_spa_eng_or_sample(tmp_path / "empty")
    assert which == "sample"
    assert len(corpus) == 400 and corpus.skipped == []
    assert all(s and t for s, t in corpus.pairs)


# -- reading tab-separated files ----------------------------------------------


def write(tmp_path, content, name="corpus.txt"):
    path = tmp_path / name
    path.write_bytes(
        content if isinstance(content, bytes) else content.encode("utf-8")
    )
    return path


@pytest.mark.parametrize(
    "bad_line, problem",
    [
        ("just one column", "expected 2 or 3 tab-separated columns, found 1"),
        ("a\tb\tc\td", "expected 2 or 3 tab-separated columns, found 4"),
        ("\tHola.", "empty source"),
        ("Hello.\t  ", "empty target"),
    ],
)
def test_malformed_line_is_reported_with_its_line_number(
    tmp_path, bad_line, problem
):
    path = write(tmp_path, f"Hi.\tHola.\nGo.\tVe.\n{bad_line}\nYes.\tSí.\n")
    with pytest.raises(MalformedLineError) as info:
        data.read_tsv(path)
    assert info.value.line_number == 3
    assert f"{path}, line 3: {problem}" in str(info.value)
    assert 'errors="skip"' in str(info.value)
    corpus = data.read_tsv(path, errors="skip")
    assert corpus.pairs == [("Hi.", "Hola."), ("Go.", "Ve."), ("Yes.", "Sí.")]
    assert [number for number, _ in corpus.skipped] == [3]
    assert problem in corpus.skipped[0][1]


def test_invalid_utf8_is_reported_with_its_line_number(tmp_path):
    path = write(
        tmp_path,
        b"Hi.\tHola.\n" + b"Caf\xe9\tCaf\xe9\n" + "Yes.\tSí.\n".encode(),
    )
    with pytest.raises(
        MalformedLineError,
        match=r"line 2: not valid UTF-8 \(byte b'\\xe9' at column 4\)",
    ):
        data.read_tsv(path)
    corpus = data.read_tsv(path, errors="skip")
    assert len(corpus) == 2 and corpus.skipped[0][0] == 2


def test_three_columns_bom_crlf_and_blank_lines(tmp_path):
    path = write(
        tmp_path,
        "\ufeffHi.\tHola.\tCC-BY 2.0 (France) Attribution: tatoeba.org #1 & "
        "#2\r\n\r\nGo.\tVe.\r\n",
    )
    corpus = data.read_tsv(path)
    assert corpus.pairs == [("Hi.", "Hola."), ("Go.", "Ve.")]
    assert (
        corpus.attributions[0].startswith("CC-BY 2.0")
        and corpus.attributions[1] == ""
    )


def test_errors_argument_is_checked(tmp_path):
    with pytest.raises(ValueError, match='"raise" or "skip"'):
        data.read_tsv(write(tmp_path, "a\tb\n"), errors="ignore")


def test_non_latin_script_pair_in_both_directions(tmp_path):
    """English-Russian and English-Japanese: reading, normalising, tokenising,
    batching."""
    path = write(
        tmp_path,
        "Hello!\tПривет!\nThank you.\tСпасибо.\nWho is it?\tКто ЭТО?\nI "
        "see.\tなるほど。\n",
    )
    forward = data.read_tsv(path)
    backward = data.read_tsv(path, reverse=True)
    assert backward.pairs == [(t, s) for s, t in forward.pairs]
    pairs = [(data.normalize(s), data.normalize(t)) for s, t in backward.pairs]
    assert pairs[2] == ("кто это ?", "who is it ?")
    # CJK full stop is punctuation too
    assert pairs[3] == (
        "なるほど 。",
        "i see .",
    )
    src = data.make_vectorizer([s for s, _ in pairs])
    assert {"спасибо", "привет", "кто", "это", "!", "?", "。"} <= set(
        map(str, src.get_vocabulary())
    )
    # TensorFlow's standardisation agrees with the Python normalisation on
    # these scripts
    raw = [s for s, _ in backward.pairs]
    tf_std = [
        b.decode() for b in data.standardize_sentence(tf.constant(raw)).numpy()
    ]
    assert tf_std == [data.normalize(s) for s in raw]
    (source, _), _ = next(
        iter(
            data.make_dataset(
                pairs,
                src,
                data.make_vectorizer([t for _, t in pairs]),
                batch_size=4,
                seed=0,
            )
        )
    )
    assert UNK_ID not in source.numpy()
    japanese = data.make_vectorizer(
        ["なるほど 。"], level="character", standardize=None
    )
    assert data.encode(["なるほど"], japanese).to_list() == [
        [START_ID, 7, 9, 8, 6, END_ID]
    ]


# -- normalisation, filtering, de-duplication ---------------------------------


def test_normalize_forms_case_punctuation_and_accents():
    assert data.normalize("¿Dónde   está?") == "¿ dónde está ?"
    assert data.normalize("¡Hola, Tom!") == "¡ hola , tom !"
    decomposed = "Dónde".replace("ó", "o\u0301")
    # NFKC composes: readable, one code point
    assert data.normalize(decomposed) == "dónde"
    assert len(data.normalize("ó", form="NFKD")) == 2
    assert data.normalize("Dónde", strip_accents=True) == "donde"
    assert data.normalize("Tom's 100%", lower=False) == "Tom ' s 100 %"
    assert data.normalize("ＴＯＭ") == "tom"
    with pytest.raises(ValueError, match="form must be one of"):
        data.normalize("x", form="NFX")


def test_tensorflow_standardize_agrees_with_normalize_on_the_sample():
    sources = [s for s, _ in data.load_spa_eng_sample().pairs] + [
        t for _, t in data.load_spa_eng_sample().pairs
    ]
    expected = [data.normalize(s) for s in sources]
    got = [
        b.decode()
        for b in data.standardize_sentence(tf.constant(sources)).numpy()
    ]
    assert got == expected
    again = [
        b.decode()
        for b in data.standardize_sentence(tf.constant(expected)).numpy()
    ]
    assert again == expected  # idempotent on normalised text


def test_filter_and_deduplicate():
    pairs = [
        ("a b", "x"),
        ("a b", "x"),
        ("a b", "y"),
        ("a b c d", "x"),
        ("a", "x y z w"),
    ]
    assert data.deduplicate(pairs) == [
        ("a b", "x"),
        ("a b", "y"),
        ("a b c d", "x"),
        ("a", "x y z w"),
    ]
    assert data.filter_by_length(pairs, 3) == [
        ("a b", "x"),
        ("a b", "x"),
        ("a b", "y"),
    ]
    assert data.filter_by_length(pairs, 4, min_length=2) == []
    assert data.filter_by_length(pairs, 4) == pairs
    assert data.filter_by_length([("abcd", "x")], 3, level="character") == []


# -- splitting ----------------------------------------------------------------


def split_corpus():
    pairs = data.load_spa_eng_sample().pairs
    pairs = [(data.normalize(s), data.normalize(t)) for s, t in pairs]
    # sources with several translations
    pairs += [(s, t + " extra") for s, t in pairs[:50]]
    return pairs


def test_split_is_disjoint_by_source_complete_and_reproducible(tmp_path):
    pairs = split_corpus()
    split = data.split_by_source(pairs, seed=7)
    parts = [split.train, split.validation, split.test]
    sources = [{s for s, _ in part} for part in parts]
    assert (
        not sources[0] & sources[1]
        and not sources[0] & sources[2]
        and not sources[1] & sources[2]
    )
    assert sorted(p for part in parts for p in part) == sorted(pairs), (
        "every pair in exactly one part"
    )
    n = len({s for s, _ in pairs})
    assert (
        abs(len(sources[2]) - 0.1 * n) <= 1
        and abs(len(sources[1]) - 0.1 * n) <= 1
    )
    assert data.split_by_source(pairs, seed=7) == split
    assert data.split_by_source(list(reversed(pairs)), seed=7).test == list(
        reversed(split.test)
    ), (
        "membership depends on the set of sources and the seed, not on the "
        "order of the pairs"
    )
    assert data.split_by_source(pairs, seed=8).test != split.test
    directory = split.save(tmp_path / "split")
    manifest = json.loads((directory / "split.json").read_text())
    assert manifest["seed"] == 7 and manifest["counts"]["train"] == len(
        split.train
    )
    assert data.Split.load(directory) == split


def test_saved_split_detects_edits(tmp_path):
    directory = data.split_by_source(split_corpus(), seed=0).save(tmp_path)
    with open(directory / "test.tsv", "a", encoding="utf-8") as f:
        f.write("extra\tline\n")
    with pytest.raises(HashMismatchError, match="test.tsv"):
        data.Split.load(directory)


def test_split_fractions_are_checked():
    with pytest.raises(ValueError, match="sum to 1"):
        data.split_by_source([("a", "b")], fractions=(0.8, 0.1, 0.2), seed=0)


# -- vocabularies -------------------------------------------------------------


def test_vectorizer_reserved_ids_size_and_frequency_order():
    texts = ["go .", "go home .", "go now !"]
    v = data.make_vectorizer(texts, max_tokens=6)
    assert [str(t) for t in v.get_vocabulary()] == [
        "",
        "[UNK]",
        "[START]",
        "[END]",
        "go",
        ".",
    ]
    assert v(["go to bed ."]).to_list() == [[4, UNK_ID, UNK_ID, 5]]
    with pytest.raises(ValueError, match="more than 4"):
        data.make_vectorizer(texts, max_tokens=4)
    with pytest.raises(ValueError, match="exactly one of"):
        data.make_vectorizer()


def test_vocabulary_round_trip_gives_the_same_ids(tmp_path):
    train = [t for _, t in split_corpus()]
    v = data.make_vectorizer(train, max_tokens=300)
    config_path = tmp_path / "vocabulary.json"
    config_path.write_text(
        json.dumps(data.vectorizer_config(v), ensure_ascii=False),
        encoding="utf-8",
    )
    restored = data.vectorizer_from_config(
        json.loads(config_path.read_text(encoding="utf-8"))
    )
    probe = train[:20] + ["¿ dónde está el gato ?", "palabrasinventadas"]
    assert (
        data.encode(probe, restored).to_list()
        == data.encode(probe, v).to_list()
    )
    assert list(map(str, restored.get_vocabulary())) == list(
        map(str, v.get_vocabulary())
    )
    # characters, as for the dates task
    chars = data.make_vectorizer(
        [s for s, _ in generate_dates(200, seed=0)], level="character"
    )
    chars2 = data.vectorizer_from_config(
        json.loads(json.dumps(data.vectorizer_config(chars)))
    )
    assert (
        data.encode(["Tue 3 March 2015"], chars2).to_list()
        == data.encode(["Tue 3 March 2015"], chars).to_list()
    )


def test_vectorizer_saved_inside_a_keras_model(tmp_path):
    v = data.make_vectorizer(["¿ dónde está ?", "aquí está ."])
    inputs = keras.Input(shape=(), dtype="string")
    model = keras.Model(inputs, v(inputs))
    path = tmp_path / "model.keras"
    model.save(path)
    restored = keras.saving.load_model(path)
    text = tf.constant(["¿Dónde está?", "Aquí no."])
    assert restored(text).to_list() == model(text).to_list()


def test_dates_target_vocabulary_is_tiny_and_complete():
    pairs = generate_dates(500, seed=0)
    tgt = data.make_vectorizer([t for _, t in pairs], level="character")
    assert sorted(map(str, tgt.get_vocabulary()[4:])) == sorted("-0123456789")


# -- pipelines ----------------------------------------------------------------


def tiny_dataset(**kwargs):
    pairs = [
        (data.normalize(s), data.normalize(t))
        for s, t in data.parse_tsv(TINY.splitlines()).pairs
    ]
    src = data.make_vectorizer([s for s, _ in pairs])
    tgt = data.make_vectorizer([t for _, t in pairs])
    return pairs, src, tgt, data.make_dataset(pairs, src, tgt, **kwargs)


def test_batches_have_teacher_forcing_shape_padding_and_markers():
    pairs, src, tgt, dataset = tiny_dataset(batch_size=5, shuffle=False)
    (source, target_in), target_out = next(iter(dataset))
    assert source.dtype == tf.int64 and source.shape[0] == 5
    assert target_in.shape == target_out.shape
    source, target_in, target_out = (
        source.numpy(),
        target_in.numpy(),
        target_out.numpy(),
    )
    assert (source[:, 0] == START_ID).all() and (
        target_in[:, 0] == START_ID
    ).all()
    for i, (s, t) in enumerate(pairs):
        s_ids = data.encode([s], src).to_list()[0]
        t_ids = data.encode([t], tgt).to_list()[0]
        assert s_ids[0] == START_ID and s_ids[-1] == END_ID
        assert (
            list(source[i, : len(s_ids)]) == s_ids
            and (source[i, len(s_ids) :] == PAD_ID).all()
        )
        # offset by one: what the decoder reads at step k is what it should
        # have written at step k - 1
        assert list(target_in[i, : len(t_ids) - 1]) == t_ids[:-1]
        assert list(target_out[i, : len(t_ids) - 1]) == t_ids[1:]
        assert (target_out[i, len(t_ids) - 1 :] == PAD_ID).all()
        assert target_out[i, len(t_ids) - 2] == END_ID
    assert (target_in[:, 1:] == target_out[:, :-1]).all()


def test_shuffle_is_seeded_and_reshuffles_each_epoch():
    pairs = [(f"s{i}", f"t{i}") for i in range(64)]
    src = data.make_vectorizer([s for s, _ in pairs])
    tgt = data.make_vectorizer([t for _, t in pairs])

    def epochs(seed):
        dataset = data.make_dataset(pairs, src, tgt, batch_size=64, seed=seed)
        return [
            next(iter(dataset))[0][0].numpy()[:, 1].tolist() for _ in range(2)
        ]

    first = epochs(3)
    assert first == epochs(3)
    assert first[0] != first[1], "a new order each epoch"
    assert first != epochs(4)
    with pytest.raises(ValueError, match="needs a seed"):
        data.make_dataset(pairs, src, tgt)


def test_bucketing_reduces_padding_and_keeps_every_example():
    pairs = split_corpus()
    src = data.make_vectorizer([s for s, _ in pairs])
    tgt = data.make_vectorizer([t for _, t in pairs])

    def padding_and_count(**kwargs):
        padded = real = count = 0
        for (source, _), _ in data.make_dataset(
            pairs, src, tgt, batch_size=32, seed=0, **kwargs
        ):
            padded += source.shape[0] * source.shape[1]
            real += int(tf.math.count_nonzero(source))
            count += source.shape[0]
        return 1 - real / padded, count

    plain, n_plain = padding_and_count()
    bucketed, n_bucketed = padding_and_count(buckets=4)
    assert n_plain == n_bucketed == len(pairs)
    assert bucketed < plain / 2, (plain, bucketed)
    explicit, n = padding_and_count(buckets=[8, 12, 16])
    assert n == len(pairs) and explicit < plain


def test_masks_from_padding():
    _, _, _, dataset = tiny_dataset(batch_size=5, shuffle=False)
    (source, _), _ = next(iter(dataset))
    mask = keras.layers.Embedding(100, 4, mask_zero=True).compute_mask(source)
    np.testing.assert_array_equal(mask.numpy(), source.numpy() != PAD_ID)


# -- describe -----------------------------------------------------------------


def test_describe_counts_percentiles_coverage_and_plot():
    pairs = split_corpus()
    split = data.split_by_source(pairs, seed=0)
    src = data.make_vectorizer([s for s, _ in split.train], max_tokens=200)
    tgt = data.make_vectorizer([t for _, t in split.train])
    train = data.describe(split.train, src, tgt, name="train")
    validation = data.describe(split.validation, src, tgt, name="validation")
    assert train.pairs == len(split.train)
    assert train.distinct_sources == len({s for s, _ in split.train})
    assert train.source_lengths[100] == max(
        len(s.split()) for s, _ in split.train
    )
    assert (
        train.source_lengths[50]
        <= train.source_lengths[90]
        <= train.source_lengths[100]
    )
    assert train.target_oov_rate == 0.0 and train.target_type_coverage == 1.0
    assert 0 < train.source_oov_rate < validation.source_oov_rate < 1, (
        "unseen words are OOV"
    )
    assert train.source_vocabulary == 200
    text = str(validation)
    assert (
        text.startswith(f"validation: {len(split.validation):,} pairs")
        and "OOV rate" in text
    )
    axes = train.plot()
    assert len(axes) == 2 and axes[0].get_xlabel() == "tokens"
    import matplotlib.pyplot as plt

    plt.close("all")


def test_describe_character_level_dates():
    pairs = generate_dates(300, seed=0)
    src = data.make_vectorizer([s for s, _ in pairs], level="character")
    d = data.describe(
        pairs,
        src,
        data.make_vectorizer([t for _, t in pairs], level="character"),
    )
    assert d.target_lengths == {p: 10.0 for p in data.PERCENTILES}
    assert d.source_length_values == [len(s) for s, _ in pairs]
    assert isinstance(datetime.date.fromisoformat(pairs[0][1]), datetime.date)


@pytest.mark.parametrize("drop_remainder", [False, True])
def test_bucketed_dataset_knows_its_number_of_batches(drop_remainder):
    """fit() needs the epoch length: a bucketed pipeline states it, and it is
    right."""
    pairs = generate_dates(500, seed=1)
    source = data.make_vectorizer([s for s, _ in pairs], level="character")
    target = data.make_vectorizer([t for _, t in pairs], level="character")
    dataset = data.make_dataset(
        pairs,
        source,
        target,
        batch_size=32,
        seed=0,
        buckets=4,
        drop_remainder=drop_remainder,
    )
    assert int(dataset.cardinality()) == sum(1 for _ in dataset) > 0


def test_small_last_batches_of_the_buckets_do_not_end_every_epoch():
    """Bucketing flushes each bucket's last, smaller batch when the pairs
    run out; unshuffled, those tiny batches would be an epoch's last steps
    (where the checkpoint is taken). They are spread through the epoch."""
    pairs = split_corpus()
    src = data.make_vectorizer([s for s, _ in pairs])
    tgt = data.make_vectorizer([t for _, t in pairs])
    dataset = data.make_dataset(
        pairs, src, tgt, batch_size=16, buckets=[6, 8, 10, 12, 14], seed=0
    )
    for _ in range(2):  # two epochs, each with its own order
        sizes = [int(source.shape[0]) for (source, _), _ in dataset]
        assert sum(sizes) == len(pairs), "every pair, once per epoch"
        small = [i for i, size in enumerate(sizes) if size < 16]
        assert len(small) >= 3, "the test needs several partial batches"
        tail = range(len(sizes) - len(small), len(sizes))
        assert set(small) != set(tail), (
            f"the partial batches are the epoch's last steps: {small}"
        )
