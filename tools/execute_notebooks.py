"""Execute chapters and store their outputs (what the website shows).

    .venv/bin/python tools/execute_notebooks.py chapters/04_math.md [...]

Each chapter is a pair: chapters/NAME.md (the text source you edit) and
chapters/NAME.ipynb (the executed notebook). Give either file. The pair is
first synchronised (``jupytext --sync``: the newer side's inputs win, stored
outputs are kept), then the notebook runs top to bottom in a fresh kernel
from its own folder, with the same quiet TensorFlow settings as the tests,
failing on the first error; the executed notebook is written and the pair
synchronised again, so that the text source stays in step
(tests/test_pairing.py checks it).
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from jupytext.cli import jupytext
from nbclient import NotebookClient

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault(
    "MPLBACKEND", "module://matplotlib_inline.backend_inline"
)


def sync(notebook):
    """``jupytext --sync`` on a pair; raises if jupytext fails."""
    status = jupytext(["--sync", "--quiet", str(notebook)])
    if status:
        raise SystemExit(
            f"jupytext --sync {notebook} failed (exit status {status})"
        )


def execute(notebook):
    """Execute ``notebook`` (an .ipynb paired with its .md) in place; keep
    the pair in sync."""
    sync(notebook)
    nb = nbformat.read(notebook, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=3600,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    ).execute()
    nbformat.write(nb, notebook)
    # The notebook is now the newer side: the .md gets its (same) inputs.
    sync(notebook)
    # jupytext leaves an unchanged .md untouched; make it the newer side
    # again, as after an edit (Jupyter's jupytext refuses to open a pair
    # whose text file looks older than its notebook).
    notebook.with_suffix(".md").touch()
    print(f"{notebook}: executed in {time.perf_counter() - start:.1f} s")


def main(paths):
    if not paths:
        sys.exit("usage: execute_notebooks.py chapters/NAME.md [...]")
    notebooks = [Path(path).with_suffix(".ipynb") for path in paths]
    for notebook in notebooks:
        if not notebook.with_suffix(".md").exists():
            sys.exit(
                f"{notebook.with_suffix('.md')} does not exist: each chapter "
                "is a .md text source paired with its .ipynb "
                "(jupytext --set-formats ipynb,md:myst)"
            )
    for notebook in notebooks:
        execute(notebook)


if __name__ == "__main__":
    main(sys.argv[1:])
