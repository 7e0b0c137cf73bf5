"""The command line end to end on a tiny TSV, its errors, and the dates quality
bar."""

import io
import json
import subprocess
import sys

import keras
import pytest

from seq2seq_attention import cli

TINY = "".join(
    f"{s}\t{t}\n"
    for s, t in [
        ("Go.", "Ve."),
        ("Run!", "¡Corre!"),
        ("I am cold.", "Tengo frío."),
        ("The black cat.", "El gato negro."),
        ("Help me!", "¡Ayúdame!"),
        ("I see the cat.", "Veo al gato."),
        ("Hello.", "Hola."),
        ("Thanks.", "Gracias."),
        ("Yes.", "Sí."),
        ("No.", "No."),
        ("Wait.", "Espera."),
        ("Come here.", "Ven aquí."),
    ]
)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    tsv = folder / "tiny.tsv"
    tsv.write_text(TINY, encoding="utf-8")
    status = cli.main(
        [
            "train",
            "--data",
            str(tsv),
            "--out",
            str(folder / "run"),
            "--profile",
            "quick",
            "--epochs",
            "2",
            "--seed",
            "3",
            "--tokens",
            "word",
        ]
    )
    assert status == 0
    return folder


def test_train_writes_a_complete_run_folder(tiny_run):
    run = tiny_run / "run"
    for name in (
        "translator.keras",
        "best.keras",
        "split/train.tsv",
        "split/test.tsv",
        "split/split.json",
    ):
        assert (run / name).exists(), name
    assert list((run / "logs").rglob("*tfevents*")), "TensorBoard logs"


def test_translate_from_arguments_and_stdin(tiny_run, capsys, monkeypatch):
    model = str(tiny_run / "run" / "translator.keras")
    assert cli.main(["translate", "--model", model, "I am cold.", "Go."]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO("Hello.\nThanks.\nWait.\n"))
    assert cli.main(["translate", "--model", model, "--show-tokens"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 6 and out[1] == "  read: [START] hello . [END]"


def test_beam_sampling_and_export_commands(tiny_run, capsys):
    model = str(tiny_run / "run" / "translator.keras")
    assert (
        cli.main(
            [
                "translate",
                "--model",
                model,
                "--method",
                "beam",
                "--beam-size",
                "3",
                "Go.",
                "Hello.",
            ]
        )
        == 0
    )
    assert (
        cli.main(
            [
                "translate",
                "--model",
                model,
                "--method",
                "sample",
                "--seed",
                "1",
                "Go.",
            ]
        )
        == 0
    )
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert (
        cli.main(
            ["export", "--model", model, "--out", str(tiny_run / "exported")]
        )
        == 0
    )
    assert (tiny_run / "exported" / "saved_model.pb").exists()


def test_evaluate_on_the_saved_split_writes_json(tiny_run, capsys):
    scores = tiny_run / "scores.json"
    assert (
        cli.main(
            [
                "evaluate",
                "--model",
                str(tiny_run / "run" / "translator.keras"),
                "--data",
                str(tiny_run / "run" / "split"),
                "--part",
                "train",
                "--json",
                str(scores),
            ]
        )
        == 0
    )
    assert "BLEU" in capsys.readouterr().out
    result = json.loads(scores.read_text())
    assert {"sentences", "bleu", "chrf", "signature"} <= set(result)
    assert result["sentences"] > 0
    assert result["signature"]["bleu"].startswith("nrefs:1")


def test_subwords_by_default_with_a_time_budget_and_signatures(
    tmp_path, capsys
):
    """``train`` goes through :func:`seq2seq_attention.recipes
    .train_translator`: SentencePiece subwords unless ``--tokens word``, a
    vocabulary size and a wall-clock budget; ``evaluate`` prints the
    sacreBLEU signatures beside the scores."""
    tsv = tmp_path / "tiny.tsv"
    tsv.write_text(TINY, encoding="utf-8")
    run = tmp_path / "run"
    argv = ["train", "--data", str(tsv), "--out", str(run), "--epochs", "3"]
    small = ["--profile", "quick", "--units", "16", "--embedding-dim", "16"]
    budget = ["--vocab-size", "300", "--time-budget", "0.0001"]
    assert cli.main([*argv, *small, *budget]) == 0
    out = capsys.readouterr().out
    assert "subword tokens" in out and "nrefs:1|case:mixed" in out
    epochs = [line for line in out.splitlines() if line.startswith("epoch ")]
    assert len(epochs) == 1, "the budget stopped training after one epoch"
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["settings"]["tokens"] == "subword"
    assert manifest["settings"]["vocab_size"] == 300
    assert manifest["settings"]["time_budget"] == 0.0001
    translator = keras.saving.load_model(run / "translator.keras")
    assert translator.source_config["level"] == "subword"
    model = str(run / "translator.keras")
    data = str(run / "split")
    assert cli.main(["evaluate", "--model", model, "--data", data]) == 0
    out = capsys.readouterr().out
    assert out.startswith("BLEU ") and "\n  BLEU  nrefs:1|case:mixed" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["translate", "--model", "nowhere.keras", "hi"],
            "--model nowhere.keras: no such file",
        ),
        (
            ["train", "--data", "missing.tsv", "--out", "x"],
            "--data missing.tsv: no such file",
        ),
        (
            ["evaluate", "--model", "{run}/best.keras", "--data", "dates"],
            "holds a Seq2SeqAttention, not a Translator",
        ),
        (
            ["translate", "--model", "{tsv}", "hi"],
            "cannot load it as a Keras model",
        ),
    ],
)
def test_errors_are_one_line_with_status_2(tiny_run, capsys, argv, message):
    argv = [
        a.format(run=tiny_run / "run", tsv=tiny_run / "tiny.tsv") for a in argv
    ]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert (
        message in err
        and len(err.strip().splitlines()) == 1
        and "Traceback" not in err
    )


def test_malformed_tsv_stops_or_is_skipped(tmp_path, capsys):
    bad = tmp_path / "bad.tsv"
    bad.write_text(TINY + "only one column\n", encoding="utf-8")
    assert (
        cli.main(
            [
                "train",
                "--data",
                str(bad),
                "--out",
                str(tmp_path / "r"),
                "--epochs",
                "1",
            ]
        )
        == 2
    )
    assert "line 13" in capsys.readouterr().err
    assert (
        cli.main(
            [
                "train",
                "--data",
                str(bad),
                "--out",
                str(tmp_path / "r"),
                "--epochs",
                "1",
                "--profile",
                "quick",
                "--skip-bad-lines",
            ]
        )
        == 0
    )
    assert "skipped 1 malformed lines" in capsys.readouterr().err


def test_bad_arguments_and_help():
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["train", "--data", "dates", "--out", "x", "--epochs", "-1"])
    assert exit_info.value.code == 2
    result = subprocess.run(
        [sys.executable, "-m", "seq2seq_attention", "--help"],
        capture_output=True,
        text=True,
    )
    assert (
        result.returncode == 0
        and "train" in result.stdout
        and "translate" in result.stdout
    )


def test_examples_is_a_random_subset_that_says_how_many(
    tmp_path, capsys, monkeypatch
):
    """``--examples N`` takes a seeded random N of the training split (the
    corpus file is sorted by length: its first rows are its shortest), and
    says so, also when N is more than there is."""
    from seq2seq_attention import recipes

    seen = []

    def record(train_pairs, *args, **kwargs):
        seen.append(list(train_pairs))
        raise SystemExit(0)  # the subset is all this test needs

    monkeypatch.setattr(recipes, "train_translator", record)
    tsv = tmp_path / "tiny.tsv"
    tsv.write_text(TINY, encoding="utf-8")
    base = ["train", "--data", str(tsv), "--profile", "quick"]
    for n, run in ((3, "a"), (3, "b"), (500, "c")):
        with pytest.raises(SystemExit):
            cli.main(
                [*base, "--examples", str(n), "--out", str(tmp_path / run)]
            )
    out = capsys.readouterr().out
    first, again, everything = seen
    assert len(first) == 3 and first == again  # seeded
    assert set(first) < set(everything)
    assert first != everything[:3]  # not the split's first rows
    assert "training: a random 3 of" in out
    n = len(everything)
    assert f"a random {n} of {n} pairs (asked for 500)" in out
