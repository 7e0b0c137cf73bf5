"""Issue 15 end to end: run folders that never lose work, and a command line
that never answers wrongly in silence. One test (or more) per numbered item
of the issue, including fault injection:

- a process killed with SIGKILL during a save, before its rename and after
  it (a subprocess that patches itself: the package has no test hooks);
- a damaged backup; a full file system (a small tmpfs where this machine
  allows mounting, else a wrapper that makes Keras' writers fail half-way
  with ENOSPC); a read-only folder (a read-only bind mount as root, where
  chmod stops nothing, else chmod); two processes on one folder.

Each checks that no finished model was lost or changed and that an error is
one line with exit status 2. Tiny data and models keep it fast.
"""

import contextlib
import errno
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import keras
import pytest

from seq2seq_attention import cli, data, training

TINY = [
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
    ("I am here.", "Estoy aquí."),
    ("The cat is black.", "El gato es negro."),
    ("See you.", "Nos vemos."),
    ("I run.", "Yo corro."),
]
SMALL = ["--units", "16", "--embedding-dim", "16", "--profile", "quick"]
WORDS = ["--tokens", "word"]  # the unknown-token checks need a vocabulary


def tsv(path, pairs):
    path.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    return path


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def train_args(tmp, out, *more, epochs=2, seed=3, data_file=None):
    data_file = data_file or tsv(tmp / "tiny.tsv", TINY)
    return [
        "train",
        "--data",
        str(data_file),
        "--out",
        str(out),
        "--epochs",
        str(epochs),
        "--seed",
        str(seed),
        *SMALL,
        *WORDS,
        *more,
    ]


def run(argv, capsys):
    """``cli.main(argv)``: (status, stdout, stderr)."""
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status, err, *fragments):
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert status == 2, err
    assert "Traceback" not in err, err
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def temporaries(folder):
    return sorted(p.name for p in Path(folder).rglob(".*.tmp-*"))


@contextlib.contextmanager
def interrupted_after_epoch(monkeypatch, epoch):
    """Stop training with KeyboardInterrupt when epoch ``epoch`` (from 0)
    has been checkpointed, as Ctrl-C would."""
    real = training.AtomicModelCheckpoint.on_epoch_end

    def on_epoch_end(self, index, logs=None):
        real(self, index, logs)
        if index == epoch:
            raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(
            training.AtomicModelCheckpoint, "on_epoch_end", on_epoch_end
        )
        yield


def interrupt(argv, monkeypatch, capsys, epoch=1):
    with interrupted_after_epoch(monkeypatch, epoch):
        try:
            status = cli.main([str(a) for a in argv])
        except KeyboardInterrupt:
            status = 130
    capsys.readouterr()
    assert status == 130


KILL_SCRIPT = textwrap.dedent(
    """
    import os, re, signal, sys
    import keras
    from seq2seq_attention import cli

    point, target, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seen = {"n": 0}

    def final(path):  # .best.tmp-123.keras -> best.keras
        name = os.path.basename(str(path))
        match = re.match(r"^\\.(.+)\\.tmp-\\d+(.*)$", name)
        return match.group(1) + match.group(2) if match else name

    def hit(path):
        if final(path) == target:
            seen["n"] += 1
            return seen["n"] == count
        return False

    def die():
        sys.stdout.flush()
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    real_replace = os.replace

    def replace(source, destination):
        if point == "before-rename" and hit(destination):
            die()
        real_replace(source, destination)
        if point == "after-rename" and hit(destination):
            die()

    os.replace = replace
    for name in ("save", "save_weights"):
        real = getattr(keras.Model, name)

        def writing(self, filepath, *args, _real=real, **kwargs):
            if point == "during-write" and hit(filepath):
                with open(filepath, "wb") as f:
                    f.write(b"PK\\x03\\x04 half a file")
                die()
            return _real(self, filepath, *args, **kwargs)

        setattr(keras.Model, name, writing)
    sys.exit(cli.main(sys.argv[4:]))
    """
)


def run_killed(point, target, count, argv):
    """Run the command line in a subprocess that SIGKILLs itself at
    ``point`` ("during-write", "before-rename", "after-rename") of the
    ``count``-th save of the file named ``target``."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            KILL_SCRIPT,
            point,
            target,
            str(count),
            *map(str, argv),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == -9, result.stdout + result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def word_run(tmp_path_factory):
    """A finished word-level run folder on TINY."""
    folder = tmp_path_factory.mktemp("word")
    assert cli.main(train_args(folder, folder / "run")) == 0
    return folder / "run"


# -- 1. A damaged backup ------------------------------------------------------


def test_1_a_damaged_backup_is_discarded_and_the_run_resumes(
    tmp_path, monkeypatch, capsys
):
    argv = train_args(tmp_path, tmp_path / "run", epochs=4)
    interrupt(argv, monkeypatch, capsys, epoch=2)
    backups = sorted(
        (tmp_path / "run" / "backup").glob("*.weights.h5"),
        key=lambda p: p.stat().st_mtime,
    )
    backups[-1].write_bytes(b"")  # what a kill or a full disk mid-write leaves
    status, out, err = run(argv, capsys)
    assert status == 0, err
    assert "warning:" in err and "discarded" in err
    assert (tmp_path / "run" / "translator.keras").exists()


def test_1_a_kill_before_the_rename_of_a_backup_loses_nothing(
    tmp_path, capsys
):
    """Killed between writing a backup and renaming it into place: the
    files before it are intact, and the rerun resumes and finishes."""
    argv = train_args(tmp_path, tmp_path / "run", epochs=3)
    run_killed("before-rename", "epoch-0002.weights.h5", 1, argv)
    assert temporaries(tmp_path / "run"), "the kill left the unrenamed file"
    keras.saving.load_model(tmp_path / "run" / "best.keras", compile=False)
    status, out, err = run(argv, capsys)
    assert status == 0 and "resuming the interrupted run" in out, err
    assert temporaries(tmp_path / "run") == []
    keras.saving.load_model(tmp_path / "run" / "translator.keras")


# -- 2. What is already in --out ----------------------------------------------


def test_2_an_interrupted_run_with_other_settings_is_refused(
    tmp_path, monkeypatch, capsys
):
    argv = train_args(tmp_path, tmp_path / "run", epochs=3)
    interrupt(argv, monkeypatch, capsys)
    best = digest(tmp_path / "run" / "best.keras")
    status, _, err = run(
        train_args(tmp_path, tmp_path / "run", epochs=3, seed=4), capsys
    )
    assert_one_line_error(status, err, "seed: 3 then, 4 now", "--overwrite")
    status, _, err = run([*argv, "--examples", "5"], capsys)
    assert_one_line_error(status, err, "examples: None then, 5 now")
    assert digest(tmp_path / "run" / "best.keras") == best, (
        "nothing was touched"
    )
    status, _, err = run(argv, capsys)  # the same settings resume
    assert status == 0, err


def test_2_a_finished_run_is_not_trained_again_nor_replaced(
    word_run, tmp_path, capsys
):
    model = word_run / "translator.keras"
    before, mtime = digest(model), model.stat().st_mtime_ns
    status, out, _ = run(train_args(word_run.parent, word_run), capsys)
    assert status == 0 and "finished" in out and "nothing to do" in out
    assert "epoch 1/" not in out, "no training"
    other = tsv(
        tmp_path / "other.tsv",
        TINY[:10] + [("Good.", "Bien."), ("Bad.", "Mal.")],
    )
    status, _, err = run(
        train_args(word_run.parent, word_run, data_file=other), capsys
    )
    assert_one_line_error(status, err, "data: fingerprint")
    assert digest(model) == before and model.stat().st_mtime_ns == mtime


def test_2_a_kill_after_the_final_save_leaves_a_finished_run(tmp_path, capsys):
    argv = train_args(tmp_path, tmp_path / "run")
    run_killed("after-rename", "translator.keras", 1, argv)
    model = tmp_path / "run" / "translator.keras"
    before = digest(model)
    status, out, _ = run(argv, capsys)
    assert status == 0 and "finished" in out and "epoch 1/" not in out
    assert digest(model) == before


# -- 3. finetune --out --------------------------------------------------------


def test_3_finetune_refuses_the_folder_of_its_model_or_of_another_run(
    word_run, tmp_path, capsys
):
    model = word_run / "translator.keras"
    before = digest(model)
    new = tsv(tmp_path / "new.tsv", TINY[:8])
    common = ["finetune", "--from", model, "--data", new, "--epochs", "1"]
    status, _, err = run([*common, "--out", word_run], capsys)
    assert_one_line_error(status, err, "--out", "holds the --from model")
    os.symlink(word_run, tmp_path / "alias")
    status, _, err = run([*common, "--out", tmp_path / "alias"], capsys)
    assert_one_line_error(status, err, "holds the --from model")
    other = tmp_path / "other-run"
    shutil.copytree(word_run, other)
    status, _, err = run(
        [*common, "--from", other / "translator.keras", "--out", word_run],
        capsys,
    )
    assert_one_line_error(status, err, "holds a train run")
    assert digest(model) == before


# -- 4. evaluate checks its input ---------------------------------------------


@pytest.fixture(scope="module")
def dates_run_tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dates") / "run"
    assert (
        cli.main(
            [
                "train",
                "--data",
                "dates",
                "--examples",
                "300",
                "--epochs",
                "1",
                "--out",
                str(folder),
                *SMALL,
            ]
        )
        == 0
    )
    return folder


def test_4_a_character_model_reads_a_tsv_as_it_reads_its_split(
    dates_run_tiny, tmp_path, capsys
):
    model = dates_run_tiny / "translator.keras"
    copy = tmp_path / "dates-test.tsv"
    shutil.copy(dates_run_tiny / "split" / "test.tsv", copy)
    status, split_out, err = run(
        [
            "evaluate",
            "--model",
            model,
            "--data",
            dates_run_tiny / "split",
            "--examples",
            "0",
        ],
        capsys,
    )
    assert status == 0, err
    status, tsv_out, err = run(
        ["evaluate", "--model", model, "--data", copy, "--examples", "0"],
        capsys,
    )
    assert status == 0, err
    assert "exact match" in tsv_out and tsv_out == split_out


def test_4_data_that_does_not_fit_the_model_is_refused(
    word_run, dates_run_tiny, tmp_path, capsys
):
    status, _, err = run(
        [
            "evaluate",
            "--model",
            word_run / "translator.keras",
            "--data",
            "dates",
        ],
        capsys,
    )
    assert_one_line_error(
        status, err, "--data dates", "character-level", "reads words"
    )
    strangers = tsv(
        tmp_path / "strangers.tsv",
        [("Xylophones quietly zigzag", "Algo."), ("Zebras juggle", "Otro.")],
    )
    status, _, err = run(
        [
            "evaluate",
            "--model",
            word_run / "translator.keras",
            "--data",
            strangers,
        ],
        capsys,
    )
    assert_one_line_error(status, err, "unknown to the model", "--max-unknown")
    status, out, err = run(
        [
            "evaluate",
            "--model",
            word_run / "translator.keras",
            "--data",
            strangers,
            "--max-unknown",
            "1",
        ],
        capsys,
    )
    assert status == 0 and "BLEU" in out and "unknown to the model" in err


# -- 5. Operating-system errors -----------------------------------------------


def _mount(*arguments):
    return (
        subprocess.run(["mount", *arguments], capture_output=True).returncode
        == 0
    )


@contextlib.contextmanager
def read_only(folder):
    """``folder`` read-only: a read-only bind mount as root (chmod does not
    stop root), chmod otherwise. Yields how, or None if neither works."""
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        try:
            yield "chmod"
        finally:
            folder.chmod(mode)
        return
    if not (
        _mount("--bind", str(folder), str(folder))
        and _mount("-o", "remount,ro,bind", str(folder))
    ):
        yield None
        return
    try:
        yield "bind mount"
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


@contextlib.contextmanager
def small_filesystem(parent, size):
    """A folder on a tmpfs of ``size``; None where mounting is not allowed."""
    folder = Path(parent) / f"small-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    if os.geteuid() != 0 or not _mount(
        "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)
    ):
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder):
    """Fill ``folder``'s file system to the last byte; returns the filler."""
    filler = Path(folder) / "filler"
    with open(filler, "wb", buffering=0) as f:
        for size in (1 << 16, 1 << 12, 1):
            with contextlib.suppress(OSError):
                while True:
                    f.write(b"\0" * size)
    return filler


def test_5_a_read_only_folder_is_one_line_and_nothing_is_written(
    word_run, tmp_path, capsys
):
    runs_folder = tmp_path / "runs"
    runs_folder.mkdir()
    with read_only(runs_folder) as how:
        if how is None:
            pytest.skip("no way to make a folder read-only for root here")
        status, _, err = run(train_args(tmp_path, runs_folder / "x"), capsys)
        assert_one_line_error(status, err, str(runs_folder / "x"))
        assert "read-only" in err or "permission denied" in err
        finished = shutil.copytree(word_run, runs_folder.parent / "copy")
    assert list(runs_folder.iterdir()) == []
    with read_only(finished):
        status, _, err = run(
            [
                "evaluate",
                "--model",
                finished / "translator.keras",
                "--data",
                finished / "split",
                "--json",
                finished / "scores.json",
            ],
            capsys,
        )
        assert_one_line_error(status, err, str(finished / "scores.json"))


def test_5_a_full_disk_is_one_line_and_the_run_resumes_after(
    word_run, tmp_path, monkeypatch, capsys
):
    with small_filesystem(tmp_path, "2m") as disk:
        if disk is None:  # CI: a wrapper makes Keras' writers fail half-way
            out = tmp_path / "run"
            real_save = keras.Model.save

            def half_then_enospc(self, filepath, *args, **kwargs):
                Path(filepath).write_bytes(b"PK\x03\x04 half")
                raise OSError(errno.ENOSPC, "No space left on device")

            monkeypatch.setattr(keras.Model, "save", half_then_enospc)
            status, _, err = run(train_args(tmp_path, out), capsys)
            assert_one_line_error(status, err, "no space left")
            monkeypatch.setattr(keras.Model, "save", real_save)
        else:
            finished = disk / "finished"
            shutil.copytree(
                word_run, finished, ignore=shutil.ignore_patterns("logs")
            )
            before = digest(finished / "translator.keras")
            out = disk / "run"
            filler = fill(disk)
            status, _, err = run(train_args(tmp_path, out), capsys)
            assert_one_line_error(status, err, str(out))
            assert "space" in err
            assert digest(finished / "translator.keras") == before
            filler.unlink()
        assert temporaries(out) == [], "nothing half-written is left"
        status, _, err = run(train_args(tmp_path, out), capsys)
        assert status == 0, err
        keras.saving.load_model(out / "translator.keras")


PAUSE_SCRIPT = textwrap.dedent(
    """
    import sys
    from seq2seq_attention import cli, training

    real = training.AtomicModelCheckpoint.on_epoch_end

    def pause(self, epoch, logs=None):
        real(self, epoch, logs)
        if epoch == 0:
            print("paused", flush=True)
            sys.stdin.readline()

    training.AtomicModelCheckpoint.on_epoch_end = pause
    sys.exit(cli.main(sys.argv[1:]))
    """
)


def test_5_a_second_process_on_the_same_folder_is_refused(tmp_path, capsys):
    argv = train_args(tmp_path, tmp_path / "run")
    first = subprocess.Popen(
        [sys.executable, "-c", PAUSE_SCRIPT, *argv],
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        line = ""
        while line.strip() != "paused" and first.poll() is None:
            line = first.stdout.readline()
        status, _, err = run(argv, capsys)
        assert_one_line_error(
            status, err, "in use by another process", f"pid {first.pid}"
        )
    finally:
        out, rest = first.communicate("\n")
    assert first.returncode == 0, rest[-3000:]
    keras.saving.load_model(tmp_path / "run" / "translator.keras")


# -- 6. Direction -------------------------------------------------------------


def test_6_evaluate_has_reverse_and_spots_swapped_columns(
    word_run, tmp_path, capsys
):
    model = word_run / "translator.keras"
    corpus_order = tsv(tmp_path / "spa-eng.tsv", [(t, s) for s, t in TINY])
    status, _, err = run(
        ["evaluate", "--model", model, "--data", corpus_order], capsys
    )
    assert_one_line_error(status, err, "columns look swapped", "--reverse")
    status, out, err = run(
        [
            "evaluate",
            "--model",
            model,
            "--data",
            corpus_order,
            "--reverse",
            "--examples",
            "0",
        ],
        capsys,
    )
    assert status == 0, err
    direct = tsv(tmp_path / "eng-spa.tsv", TINY)
    status, direct_out, _ = run(
        ["evaluate", "--model", model, "--data", direct, "--examples", "0"],
        capsys,
    )
    assert out == direct_out


def test_6_finetune_reverse_does_not_flip_the_split_files(tmp_path, capsys):
    reversed_tsv = tsv(tmp_path / "spa-eng.tsv", [(t, s) for s, t in TINY])
    source = tmp_path / "source"
    status, _, err = run(
        train_args(tmp_path, source, "--reverse", data_file=reversed_tsv),
        capsys,
    )
    assert status == 0, err
    model = source / "translator.keras"
    status, out, err = run(
        [
            "evaluate",
            "--model",
            model,
            "--data",
            source / "split",
            "--json",
            tmp_path / "old.json",
        ],
        capsys,
    )
    assert status == 0, err
    new = tsv(
        tmp_path / "new.tsv", [(t, s) for s, t in TINY[:10]]
    )  # corpus order
    status, out, err = run(
        [
            "finetune",
            "--from",
            model,
            "--data",
            new,
            "--reverse",
            "--old-data",
            source / "split" / "test.tsv",
            "--epochs",
            "1",
            "--out",
            tmp_path / "tuned",
            "--max-oov",
            "1",
        ],
        capsys,
    )
    assert status == 0, err
    report = json.loads(
        (tmp_path / "tuned" / "finetune_report.json").read_text()
    )
    old = json.loads((tmp_path / "old.json").read_text())
    assert report["old_before"]["chrf"] == pytest.approx(old["chrf"])


# -- 7. translate from standard input -----------------------------------------


def stdin_bytes(monkeypatch, raw):
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    )


def test_7_each_stdin_line_is_translated_or_gets_its_own_error(
    word_run, monkeypatch, capsys
):
    model = word_run / "translator.keras"
    long_line = " ".join(["cat"] * 250)
    raw = f"Hello.\n{long_line}\nThanks.\n".encode() + b"caf\xe9 ok\nGo.\n"
    stdin_bytes(monkeypatch, raw)
    status, out, err = run(["translate", "--model", model], capsys)
    lines = out.split("\n")[:-1]
    assert len(lines) == 5, out
    assert (
        lines[1] == ""
        and lines[3] == ""
        and lines[0]
        and lines[2]
        and lines[4]
    )
    errors = err.strip().splitlines()
    assert len(errors) == 2 and status == 2
    assert "line 2:" in errors[0] and "250 tokens" in errors[0]
    assert "line 4:" in errors[1] and "UTF-8" in errors[1]


def test_7_a_closed_stdin_is_one_line(word_run, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", None)
    status, _, err = run(
        ["translate", "--model", word_run / "translator.keras"], capsys
    )
    assert_one_line_error(status, err, "standard input is closed")


# -- 8. Messages --------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "random"])
def test_8_a_damaged_keras_file_is_not_reported_as_missing(
    word_run, tmp_path, capsys, damage
):
    whole = (word_run / "translator.keras").read_bytes()
    broken = tmp_path / "broken.keras"
    broken.write_bytes(
        whole[: len(whole) // 2] if damage == "truncated" else os.urandom(4096)
    )
    status, _, err = run(["translate", "--model", broken, "hi"], capsys)
    assert_one_line_error(status, err, "--model", "damaged or truncated")
    assert "not found" not in err.lower()


def test_8_messages_name_the_command_line_options(word_run, tmp_path, capsys):
    bad = tsv(tmp_path / "bad.tsv", TINY)
    with open(bad, "a", encoding="utf-8") as f:
        f.write("only one column\n")
    status, _, err = run(
        train_args(tmp_path, tmp_path / "r", data_file=bad), capsys
    )
    assert_one_line_error(status, err, "line 17", "--skip-bad-lines")
    assert "errors=" not in err
    status, _, err = run(
        [
            "finetune",
            "--from",
            tmp_path / "nowhere.keras",
            "--data",
            bad,
            "--out",
            tmp_path / "f",
        ],
        capsys,
    )
    assert_one_line_error(status, err, "--from")
    assert "--model" not in err
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    status, _, err = run(
        train_args(tmp_path, tmp_path / "e", data_file=empty), capsys
    )
    assert_one_line_error(status, err, "is empty")
    assert "after filtering" not in err


def test_8_a_duplicates_only_file_leaves_nothing_behind(tmp_path, capsys):
    duplicates = tsv(tmp_path / "dup.tsv", [("Go.", "Ve.")] * 20)
    status, _, err = run(
        train_args(tmp_path, tmp_path / "run", data_file=duplicates), capsys
    )
    assert_one_line_error(status, err, "1 distinct pair")
    assert (
        not (tmp_path / "run").exists()
        or list((tmp_path / "run").iterdir()) == []
    )


def test_8_an_orphan_temporary_file_is_cleaned_up(tmp_path, capsys):
    argv = train_args(tmp_path, tmp_path / "run")
    run_killed("during-write", "best.keras", 1, argv)
    assert temporaries(tmp_path / "run"), "the kill left a half-written file"
    status, _, err = run(argv, capsys)
    assert status == 0, err
    assert temporaries(tmp_path / "run") == []
    keras.saving.load_model(tmp_path / "run" / "translator.keras")


def test_8_spa_eng_offline_says_why_instead_of_a_silent_sample(
    tmp_path, monkeypatch, capsys
):
    def offline(*args, **kwargs):
        raise data.CorpusNotFoundError(
            "Could not download spa-eng.zip (network is unreachable)."
        )

    monkeypatch.setattr(data, "load_spa_eng", offline)
    status, _, err = run(
        ["train", "--data", "spa-eng", "--out", tmp_path / "run", *SMALL],
        capsys,
    )
    assert_one_line_error(
        status, err, "network is unreachable", "--data spa-eng-sample"
    )


# -- Progress -----------------------------------------------------------------


def test_training_in_a_pipe_prints_one_short_line_per_epoch(word_run, capsys):
    status, out, _ = run(
        train_args(word_run.parent, word_run.parent / "again", epochs=2),
        capsys,
    )
    assert status == 0
    epochs = [line for line in out.splitlines() if line.startswith("epoch ")]
    assert [line.split("  ")[0] for line in epochs] == [
        "epoch 1/2",
        "epoch 2/2",
    ]
    # Every line fits 79 columns, but for the one naming the saved file:
    # a path is as long as the user made it.
    folder = str(word_run.parent)
    assert [line for line in out.splitlines() if folder in line] == [
        f"saved {word_run.parent / 'again' / 'translator.keras'}"
    ]
    wide = [
        line
        for line in out.splitlines()
        if len(line) > 79 and folder not in line
    ]
    assert not wide, wide
