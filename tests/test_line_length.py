"""Nothing the site shows is wider than its code column: 79 characters.

Checked in every chapter notebook: code cells, the code blocks of Markdown
cells (solutions), and the text outputs stored for the site (stream and
text/plain; figures, HTML and displayed Markdown wrap by themselves).
"""

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from setup_cell import SETUP_CELL  # noqa: E402

NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
WIDTH = 79


def code_blocks(markdown):
    """The lines of the fenced code blocks of a Markdown cell (directives
    such as literalinclude excepted: the package's code is checked by
    ruff)."""
    lines, fence, directive = [], None, False
    for line in markdown.splitlines():
        stripped = line.strip()
        if fence is None:
            if stripped.startswith("```"):
                fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
                directive = stripped[len(fence) :].startswith("{")
        elif stripped == fence:
            fence = None
        elif not directive:
            lines.append(line)
    return lines


def output_lines(output):
    if output.output_type == "stream":
        return output.text.splitlines()
    if output.output_type == "error":
        return "\n".join(output.traceback).splitlines()
    data = output.get("data", {})
    if {"text/html", "text/markdown", "image/png", "image/svg+xml"} & set(
        data
    ):
        return []
    return data.get("text/plain", "").splitlines()


def long_lines(nb):
    """(where, line) of every code and output line wider than WIDTH; the
    setup cell is left to test_setup_cell_fits_the_column."""
    code, outputs = [], []
    setup = next((c for c in nb.cells if c.cell_type == "code"), None)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            if cell is setup:
                continue
            source = cell.source.splitlines()
            code += [(f"cell {i}", line) for line in source]
            for output in cell.get("outputs", []):
                outputs += [
                    (f"cell {i} output", s) for s in output_lines(output)
                ]
        elif cell.cell_type == "markdown":
            code += [(f"cell {i} block", s) for s in code_blocks(cell.source)]
    wide = [(where, line) for where, line in code if len(line) > WIDTH]
    return wide, [(w, line) for w, line in outputs if len(line) > WIDTH]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_fits_the_column(path):
    wide, _ = long_lines(nbformat.read(path, as_version=4))
    assert not wide, (
        f"{path.name}: {len(wide)} code lines wider than {WIDTH} characters "
        "(wrap them in chapters/NAME.md):\n"
        + "\n".join(f"  {where}: {line}" for where, line in wide[:10])
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_fit_the_column(path):
    _, wide = long_lines(nbformat.read(path, as_version=4))
    assert not wide, (
        f"{path.name}: {len(wide)} stored output lines wider than {WIDTH} "
        "characters; print shorter lines, then execute the chapter again "
        "(tools/execute_notebooks.py):\n"
        + "\n".join(f"  {where}: {line}" for where, line in wide[:10])
    )


def test_long_lines_are_found():
    """The checks above can fail."""
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("# setup: not checked here " + "s" * 80),
            nbformat.v4.new_code_cell("x = 1  # " + "y" * 80),
            nbformat.v4.new_markdown_cell("```python\n" + "z" * 80 + "\n```"),
        ]
    )
    nb.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="w" * 80)
    ]
    wide, outputs = long_lines(nb)
    assert [where for where, _ in wide] == ["cell 1", "cell 2 block"]
    assert [where for where, _ in outputs] == ["cell 1 output"]


def test_setup_cell_fits_the_column():
    assert max(map(len, SETUP_CELL.splitlines())) <= WIDTH
