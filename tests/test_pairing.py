"""Each chapter is one text source (chapters/NAME.md, MyST with a jupytext
header) paired with its executed notebook (chapters/NAME.ipynb, what the site
shows).

The two must say the same thing: same cells, types, sources and tags. After
editing a .md file, run `jupytext --sync chapters/NAME.md` (keeps the stored
outputs) or execute it with tools/execute_notebooks.py (stores new ones).
"""

from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
SOURCES = sorted(CHAPTERS.glob("*.md"))
NOTEBOOKS = sorted(CHAPTERS.glob("*.ipynb"))
FORMATS = "ipynb,md:myst"


def cells_of(notebook):
    """(cell type, source, tags) of every cell: what the pair must share."""
    return [
        (c.cell_type, c.source, list(c.metadata.get("tags", [])))
        for c in notebook.cells
    ]


def disagreements(text_path, notebook_path):
    """How a text source and its notebook differ, as readable lines (none:
    they agree)."""
    text = jupytext.read(text_path)
    notebook = nbformat.read(notebook_path, as_version=4)
    problems = []
    for name, nb in (("text source", text), ("notebook", notebook)):
        formats = nb.metadata.get("jupytext", {}).get("formats")
        if formats != FORMATS:
            problems.append(
                f"the {name}'s jupytext formats are {formats!r}, "
                f"not {FORMATS!r}"
            )
    ours, theirs = cells_of(text), cells_of(notebook)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        for what, x, y in zip(("type", "source", "tags"), a, b):
            if x != y:
                first = x.splitlines()[0] if isinstance(x, str) and x else x
                problems.append(
                    f"cell {i}: different {what} (text source: {first!r}...)"
                )
    if len(ours) != len(theirs):
        problems.append(
            f"{len(ours)} cells in the text source, "
            f"{len(theirs)} in the notebook"
        )
    return problems


def test_every_notebook_has_a_text_source_and_back():
    assert NOTEBOOKS, "no notebook in chapters/"
    assert [p.stem for p in SOURCES] == [p.stem for p in NOTEBOOKS], (
        "each chapter is a pair chapters/NAME.md + chapters/NAME.ipynb: "
        "create the missing side with "
        "`jupytext --set-formats ipynb,md:myst FILE`"
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_text_source_and_notebook_agree(source):
    problems = disagreements(source, source.with_suffix(".ipynb"))
    assert not problems, (
        f"{source.name} and its notebook disagree; run "
        f"`jupytext --sync chapters/{source.name}`:\n  "
        + "\n  ".join(problems[:10])
    )


def test_disagreements_are_found(tmp_path):
    """The check above can fail: edit either side of a copied pair and it
    names the cell."""
    source = CHAPTERS / "04_math.md"
    notebook = source.with_suffix(".ipynb")
    nb = nbformat.read(notebook, as_version=4)
    code = next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and i > 0 and "tags" not in c.metadata
    )
    original = nb.cells[code].source

    edited = tmp_path / "edited.md"
    edited.write_text(
        source.read_text().replace(original, original + "\nprint(1)", 1)
    )
    found = disagreements(edited, notebook)
    assert f"cell {code}: different source" in " ".join(found)

    retagged = nbformat.read(notebook, as_version=4)
    retagged.cells[code].metadata["tags"] = ["nbval-check-output"]
    nbformat.write(retagged, tmp_path / "retagged.ipynb")
    found = disagreements(source, tmp_path / "retagged.ipynb")
    assert f"cell {code}: different tags" in " ".join(found)

    shorter = nbformat.read(notebook, as_version=4)
    del shorter.cells[-1]
    nbformat.write(shorter, tmp_path / "shorter.ipynb")
    found = disagreements(source, tmp_path / "shorter.ipynb")
    assert "cells in the text source" in " ".join(found)
