"""Chapter notebooks: one setup cell, clean stored outputs, exercises whose
solutions pass.

(nbval executes the notebooks themselves; see pyproject.toml.
tests/test_pairing.py checks that each notebook agrees with its text source,
chapters/NAME.md.)
"""

import os
import re
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from setup_cell import REPOSITORY_URL, SETUP_CELL  # noqa: E402

NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
SOLUTION = re.compile(
    r"\{solution\}\s*(\S+)(?P<body>.*?)```python\n(?P<code>.*?)```", re.S
)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_there_are_chapter_notebooks():
    assert NOTEBOOKS, "no notebook found in chapters/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_is_the_standard_setup_cell(path):
    nb = nbformat.read(path, as_version=4)
    setup = code_cells(nb)[0]
    assert setup.source == SETUP_CELL, (
        f"{path.name}: the first code cell must be exactly "
        "tools/setup_cell.py's SETUP_CELL"
    )
    assert "hide-input" in setup.metadata.get("tags", []), (
        f"{path.name}: tag the setup cell `hide-input` (in the .md: "
        "`:tags: [hide-input]`), so that the site shows it collapsed"
    )


# nbval's comment markers (# NBVAL_CHECK_OUTPUT, ...) would open code cells on
# every page; the same instructions are cell tags (nbval-check-output, ...),
# which nbval reads too.
NBVAL_MARKER = re.compile(
    r"^\s*#\s*(NBVAL_\w+|PYTEST_VALIDATE_IGNORE_OUTPUT)", re.M
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_test_markers_are_tags_not_comments(path):
    nb = nbformat.read(path, as_version=4)
    marked = [
        i
        for i, cell in enumerate(code_cells(nb))
        if NBVAL_MARKER.search(cell.source)
    ]
    assert not marked, (
        f"{path.name} code cells {marked}: replace the `# NBVAL_...` comment "
        "by a cell tag, e.g. `:tags: [nbval-check-output]` in the .md"
    )


def test_repository_url_is_written_once_and_agrees():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["repository"]["url"] == REPOSITORY_URL
    assert (
        f'Source = "{REPOSITORY_URL}"' in (ROOT / "pyproject.toml").read_text()
    )


def test_setup_cell_in_colab_installs_only_the_package(monkeypatch):
    calls = []
    monkeypatch.setitem(
        sys.modules, "google.colab", types.ModuleType("google.colab")
    )
    monkeypatch.setattr(
        subprocess, "run", lambda cmd, check: calls.append(cmd)
    )
    monkeypatch.delenv("SEQ2SEQ_ATTENTION_PACKAGE", raising=False)
    exec(SETUP_CELL, {})
    assert calls == [
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            f"git+{REPOSITORY_URL}",
        ]
    ]
    calls.clear()
    # e.g. a local checkout
    monkeypatch.setenv("SEQ2SEQ_ATTENTION_PACKAGE", str(ROOT))
    exec(SETUP_CELL, {})
    assert calls[0][-1] == str(ROOT)


def test_setup_cell_outside_colab_installs_nothing(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(
        subprocess,
        "run",
        lambda *a, **k: pytest.fail("must not install outside Colab"),
    )
    exec(SETUP_CELL, {})


def test_setup_cell_keeps_tensorflow_start_up_off_stderr():
    # Colab's full tensorflow wheel on a runtime without a GPU logs
    # "E ... cuda_platform.cc:51] failed call to cuInit" at its first op
    # (measured in a Colab-pinned virtualenv); the setup cell's log level
    # hides it. Here: nothing at all on stderr from TensorFlow's start-up.
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    program = SETUP_CELL + "\nimport tensorflow as tf\ntf.constant(1.0) + 1\n"
    result = subprocess.run(
        [sys.executable, "-c", program],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == ""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_complete_and_clean(path):
    """The site shows stored outputs: every cell ran, in order, with no error
    or stderr."""
    nb = nbformat.read(path, as_version=4)
    counts = [c.execution_count for c in code_cells(nb)]
    assert None not in counts, (
        f"{path.name}: some cells have not been executed"
    )
    assert counts == sorted(counts), (
        f"{path.name}: cells were executed out of order"
    )
    for i, cell in enumerate(code_cells(nb)):
        for out in cell.outputs:
            assert out.output_type != "error", (
                f"{path.name} code cell {i}: stored error"
            )
            assert not (
                out.output_type == "stream" and out.name == "stderr"
            ), (
                f"{path.name} code cell {i}: stderr in stored output: "
                f"{out.text[:200]}"
            )
            text = out.get("text", "") + str(
                out.get("data", {}).get("text/plain", "")
            )
            assert "\b" not in text and "\r" not in text, (
                f"{path.name} code cell {i}: progress-bar junk"
            )


def exercises_of(path):
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(
        c.source for c in nb.cells if c.cell_type == "markdown"
    )
    labels = re.findall(r"\{exercise\}[^\n]*\n:label: (\S+)", markdown)
    solutions = {
        m.group(1): m.group("code") for m in SOLUTION.finditer(markdown)
    }
    return nb, labels, solutions


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_has_a_hidden_solution(path):
    nb, labels, solutions = exercises_of(path)
    markdown = "\n".join(
        c.source for c in nb.cells if c.cell_type == "markdown"
    )
    assert set(labels) == set(solutions), (
        f"{path.name}: exercises without solutions: "
        f"{set(labels) ^ set(solutions)}"
    )
    for label in labels:
        assert re.search(
            r"\{solution\} " + re.escape(label) + r"\n:class: dropdown",
            markdown,
        ), label


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercise_solutions_pass_their_checks(path, capsys):
    """Run each dropdown solution through the check the reader's cell calls."""
    nb, labels, solutions = exercises_of(path)
    import seq2seq_attention.exercises as exercises

    stubs = [
        c.source for c in code_cells(nb) if "NotImplementedError" in c.source
    ]
    assert len(stubs) == len(labels), (
        f"{path.name}: one stub cell per exercise expected"
    )
    for label in labels:
        namespace = {"np": np}
        exec(solutions[label], namespace)
        function = next(
            name
            for name in namespace
            if name != "np" and callable(namespace[name])
        )
        stub = next(s for s in stubs if f"def {function}(" in s)
        check_name = re.search(
            r"(check_\w+)\(" + function + r"\)", stub
        ).group(1)
        getattr(exercises, check_name)(namespace[function])
        out = capsys.readouterr().out
        assert out.startswith("✔"), f"{path.name}, solution of {label}: {out}"
