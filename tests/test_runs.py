"""The run-folder contract (runs.py), the atomic backup (backup.py), the
progress display (progress.py) and the unknown-token check (familiarity.py),
each on its own; the command line's use of them is in test_faults.py."""

import io
import json
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import rich.console

from seq2seq_attention import data, familiarity, progress, runs
from seq2seq_attention.backup import AtomicBackupAndRestore
from seq2seq_attention.errors import RunFolderError
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.translator import Translator

# -- Atomic writes ------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "model.keras"
    target.write_bytes(b"the good one")
    with (
        pytest.raises(RuntimeError, match="boom"),
        runs.atomic_path(target) as temporary,
    ):
        temporary.write_bytes(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"the good one"
    assert [p.name for p in tmp_path.iterdir()] == ["model.keras"]


def test_a_failed_rename_is_one_line_naming_the_path(tmp_path, monkeypatch):
    target = tmp_path / "manifest.json"
    target.write_text("{}")

    def no_space(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(RunFolderError) as error:
        runs.atomic_write_json(target, {"state": "finished"}, "run manifest")
    message = str(error.value)
    assert str(target) in message and "no space left" in message
    assert "\n" not in message
    assert target.read_text() == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]


def test_temporaries_of_dead_processes_are_removed(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    (tmp_path / "backup").mkdir()
    stale = [
        tmp_path / f".best.tmp-{dead}.keras",
        tmp_path / "backup" / f".epoch-0002.tmp-{dead}.weights.h5",
    ]
    for path in stale:
        path.write_bytes(b"half")
    alive = tmp_path / f".translator.tmp-{os.getppid()}.keras"
    alive.write_bytes(b"being written")
    assert sorted(runs.remove_temporaries(tmp_path)) == sorted(stale)
    assert alive.exists(), "a running process's file is left alone"
    assert runs.remove_temporaries(tmp_path, only_dead=False) == [alive]


def test_os_errors_are_described_with_path_and_fix():
    h5 = OSError(
        "Unable to synchronously create file (unable to lock file, "
        "errno = 11, error message = 'Resource temporarily unavailable')"
    )
    assert "HDF5_USE_FILE_LOCKING=FALSE" in runs.describe_os_error(
        h5, "run/x.h5"
    )
    full = OSError(
        "Can't synchronously write data (file write failed: errno = 28, "
        "error message = 'No space left on device')"
    )
    message = runs.describe_os_error(full, "run/backup")
    assert message.startswith("cannot write run/backup: no space left")
    assert "run the same command again" in message
    read_only = OSError(30, "Read-only file system", "run/best.keras")
    assert runs.describe_os_error(read_only) == (
        "cannot write run/best.keras: the file system is read-only; "
        "give a folder you can write to."
    )


# -- The run folder -----------------------------------------------------------


def start(folder, settings, data="d1", overwrite=False, kind="train"):
    with runs.RunFolder(folder, kind) as run:
        return run.start(
            settings, data=data, command=["train"], overwrite=overwrite
        )


def test_same_settings_resume_and_finished_runs_are_left_alone(tmp_path):
    folder = tmp_path / "run"
    assert start(folder, {"seed": 0}) == "new"
    assert start(folder, {"seed": 0}) == "resume"
    with runs.RunFolder(folder, "train") as run:
        run.start({"seed": 0}, data="d1", command=["train"])
        (folder / "translator.keras").write_bytes(b"model")
        run.finish(test_unknown_rate=0.01)
    assert start(folder, {"seed": 0}) == "finished"
    manifest = runs.read_manifest(folder)
    assert (
        manifest["state"] == "finished"
        and manifest["test_unknown_rate"] == 0.01
    )
    assert manifest["kind"] == "train" and manifest["command"] == ["train"]
    assert (folder / "translator.keras").read_bytes() == b"model"


def test_a_run_killed_after_saving_its_outputs_counts_as_finished(tmp_path):
    folder = tmp_path / "run"
    assert start(folder, {"seed": 0}) == "new"
    (folder / "translator.keras").write_bytes(b"model")  # then killed
    assert start(folder, {"seed": 0}) == "finished"
    assert runs.read_manifest(folder)["state"] == "finished"


def test_other_settings_are_refused_with_the_differences(tmp_path):
    folder = tmp_path / "run"
    start(folder, {"seed": 0, "examples": 10})
    (folder / "best.keras").write_bytes(b"weights of seed 0")
    with pytest.raises(RunFolderError) as error:
        start(folder, {"seed": 1, "examples": 10}, data="d2")
    message = str(error.value)
    assert (
        "seed: 0 then, 1 now" in message
        and "data: fingerprint d1 then, d2 now" in message
    )
    assert "--overwrite" in message and "\n" not in message
    assert (folder / "best.keras").exists(), "refused: nothing removed"
    assert (
        start(folder, {"seed": 1, "examples": 10}, data="d2", overwrite=True)
        == "new"
    )
    assert not (folder / "best.keras").exists(), (
        "--overwrite removes the old run's files"
    )
    assert runs.read_manifest(folder)["settings"] == {
        "seed": 1,
        "examples": 10,
    }


def test_a_folder_of_another_kind_or_without_manifest_is_refused(tmp_path):
    folder = tmp_path / "run"
    start(folder, {"seed": 0})
    with pytest.raises(
        RunFolderError, match="holds a train run, not a finetune run"
    ):
        start(folder, {"seed": 0}, kind="finetune")
    old = tmp_path / "old"
    old.mkdir()
    (old / "translator.keras").write_bytes(b"from an older version")
    (old / "notes.txt").write_text("mine")
    with pytest.raises(
        RunFolderError, match="holds translator.keras but no manifest.json"
    ):
        start(old, {"seed": 0})
    assert start(old, {"seed": 0}, overwrite=True) == "new"
    assert (old / "notes.txt").read_text() == "mine", (
        "--overwrite removes run files only"
    )


def test_a_second_process_is_refused_naming_the_holder(tmp_path):
    folder = tmp_path / "run"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from seq2seq_attention.runs import RunFolder
            with RunFolder({str(folder)!r}, "train"):
                print("locked", flush=True)
                sys.stdin.read()
            """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RunFolderError) as error:
            start(folder, {"seed": 0})
        assert f"in use by another process (pid {holder.pid})" in str(
            error.value
        )
    finally:
        holder.communicate("")
    assert start(folder, {"seed": 0}) == "new", (
        "the lock ends with its process"
    )


# -- The backup ---------------------------------------------------------------


def toy_fit(model, epochs, callbacks):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(16, 3)), rng.normal(size=(16, 1))
    return model.fit(
        x, y, batch_size=4, epochs=epochs, callbacks=callbacks, verbose=0
    )


def toy_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(0.01), "mse")
    return model


class Stop(keras.callbacks.Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise KeyboardInterrupt


class Epochs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_begin(self, epoch, logs=None):
        self.seen.append(epoch)


def interrupted_backup(folder, at_epoch=2):
    with pytest.raises(KeyboardInterrupt):
        toy_fit(
            toy_model(), 5, [AtomicBackupAndRestore(folder), Stop(at_epoch)]
        )
    return sorted(p.name for p in folder.iterdir())


def test_the_backup_keeps_two_checked_generations(tmp_path):
    assert interrupted_backup(tmp_path) == [
        "epoch-0002.json",
        "epoch-0002.weights.h5",
        "epoch-0003.json",
        "epoch-0003.weights.h5",
    ]
    record = json.loads((tmp_path / "epoch-0003.json").read_text())
    assert record["epoch"] == 3 and len(record["history"]["loss"]) == 3
    epochs = Epochs()
    toy_fit(toy_model(), 5, [AtomicBackupAndRestore(tmp_path), epochs])
    assert epochs.seen == [3, 4]
    assert not tmp_path.exists(), "deleted at the end, as Keras does"


@pytest.mark.parametrize("damage", ["truncate", "garbage", "no record"])
def test_a_damaged_backup_is_discarded_and_the_one_before_used(
    tmp_path, capfd, damage
):
    """Issue 15, item 1: a damaged backup made a run folder unusable."""
    interrupted_backup(tmp_path)
    if damage == "truncate":
        (tmp_path / "epoch-0003.weights.h5").write_bytes(
            b""
        )  # `: > latest.weights.h5`
    elif damage == "garbage":
        with open(tmp_path / "epoch-0003.weights.h5", "r+b") as f:
            f.seek(200)
            f.write(os.urandom(64))
    else:
        (tmp_path / "epoch-0003.json").unlink()  # killed between the two files
    epochs = Epochs()
    toy_fit(toy_model(), 5, [AtomicBackupAndRestore(tmp_path), epochs])
    assert epochs.seen == [2, 3, 4], (
        "resumed from the generation before: one epoch lost"
    )
    err = capfd.readouterr().err
    assert (
        "warning: the backup of epoch 3" in err
        and "resumes from epoch 2" in err
    )


def test_a_backup_of_another_model_is_a_one_line_error(tmp_path):
    interrupted_backup(tmp_path)
    other = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    other.compile("adam", "mse")
    with pytest.raises(RunFolderError, match="was written by another model"):
        toy_fit(other, 5, [AtomicBackupAndRestore(tmp_path)])


def test_a_kept_backup_marks_training_completed(tmp_path):
    toy_fit(toy_model(), 2, [AtomicBackupAndRestore(tmp_path, keep=True)])
    record = AtomicBackupAndRestore(tmp_path).state()
    assert record["completed"] and record["epoch"] == 2


# -- Progress -----------------------------------------------------------------


def test_epoch_lines_are_short():
    logs = {
        "loss": 12345.678,
        "masked_accuracy": 0.5,
        "val_loss": 1.0,
        "val_masked_accuracy": 0.25,
        "learning_rate": 0.001,
        "extra_metric": 3.0,
    }
    line = progress.format_epoch(12, 30, logs, 3725)
    assert len(line) <= 79 and line.startswith(
        "epoch 12/30  loss 1.235e+04  acc 0.500"
    )
    assert line.endswith("1 h 02 min")


def test_a_terminal_gets_a_bar_within_each_epoch():
    screen = io.StringIO()
    console = rich.console.Console(file=screen, force_terminal=True, width=79)
    toy_fit(toy_model(), 2, [progress.EpochProgressBar(console=console)])
    shown = screen.getvalue()
    assert "epoch 1/2" in shown and "4/4" in shown, (
        "the bar counts the epoch's batches"
    )
    assert "epoch 2/2  loss" in shown


def test_notebooks_and_pipes_get_one_line_per_epoch(capsys):
    callbacks = progress.training_callbacks(
        verbose=1
    )  # stderr is not a terminal here
    assert [type(c) for c in callbacks] == [progress.EpochLog]
    toy_fit(toy_model(), 3, callbacks)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines] == [
        "epoch 1/3",
        "epoch 2/3",
        "epoch 3/3",
    ]


# -- Unknown tokens -----------------------------------------------------------


@pytest.fixture(scope="module")
def word_translator():
    source = data.make_vectorizer(
        ["i am cold .", "the black cat .", "go home ."]
    )
    target = data.make_vectorizer(
        ["tengo frío .", "el gato negro .", "vete a casa ."]
    )
    model = Seq2SeqAttention(
        source.vocabulary_size(),
        target.vocabulary_size(),
        embedding_dim=4,
        units=4,
    )
    return Translator(model, source, target)


def test_unknown_rate_reads_text_as_the_translator_does(word_translator):
    assert familiarity.unknown_rate(word_translator, ["I am COLD."]) == 0.0
    assert familiarity.unknown_rate(
        word_translator, ["Tengo frío."]
    ) == pytest.approx(2 / 3)
    assert familiarity.unknown_rate(word_translator, []) == 0.0


def test_check_texts_warns_refuses_and_spots_swapped_columns(word_translator):
    sources = ["i am cold .", "the black cat ."]
    ok = familiarity.check_texts(
        word_translator, sources, name="t.tsv", reference=0.0
    )
    assert ok.verdict == "ok" and ok.message == ""
    some = familiarity.check_texts(
        word_translator, ["i am a cold cat ."], name="t.tsv"
    )
    assert (
        some.verdict == "warn"
        and "17% of the source tokens are unknown" in some.message
    )
    swapped = familiarity.check_texts(
        word_translator,
        ["tengo frío .", "el gato negro ."],
        name="t.tsv",
        other_column=sources,
        reference=0.01,
        override="--max-unknown 1 scores it anyway",
    )
    assert swapped.verdict == "refuse"
    assert (
        "(its own test split: 1.0%)" in swapped.message
        and "try --reverse" in swapped.message
    )
    assert swapped.message.endswith("(--max-unknown 1 scores it anyway).")


def test_a_subword_translator_counts_characters_it_never_saw():
    """Subwords never read ``[UNK]``: their unknown rate is the share of
    characters spelled as bytes, which still catches another script."""
    english = ["i am cold .", "the black cat .", "go home ."] * 5
    source = data.train_tokenizer(english, level="subword", vocab_size=300)
    target = data.train_tokenizer(english, level="subword", vocab_size=300)
    model = Seq2SeqAttention(
        source.vocabulary_size(),
        target.vocabulary_size(),
        embedding_dim=4,
        units=4,
    )
    translator = Translator(model, source, target)
    assert familiarity.unknown_rate(translator, ["the cat go home ."]) == 0.0
    greek = familiarity.check_texts(
        translator, ["η γάτα είναι μαύρη"], name="el.tsv"
    )
    assert greek.rate == 1.0 and greek.verdict == "refuse"
    assert "100% of the source tokens are unknown" in greek.message
