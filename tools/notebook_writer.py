"""Write a chapter notebook from a list of ``(kind, source)`` cells."""

from pathlib import Path

import nbformat

MD, CODE = "markdown", "code"
CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"


def write_notebook(cells, stem):
    """Write ``chapters/<stem>.ipynb`` (without outputs) and return its path."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "colab": {"provenance": []},
    }
    for kind, source in cells:
        maker = nbformat.v4.new_markdown_cell if kind == MD else nbformat.v4.new_code_cell
        nb.cells.append(maker(source))
    path = CHAPTERS / f"{stem}.ipynb"
    nbformat.write(nb, path)
    print("wrote", path)
    return path
