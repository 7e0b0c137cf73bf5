"""The Colab notebooks (colab/NAME.ipynb, made by tools/colab.py from the
chapters): current, free of MyST, solutions collapsed, setup cell first, the
package's code where the site shows it."""

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import colab  # noqa: E402
from setup_cell import SETUP_CELL  # noqa: E402

CHAPTERS = colab.toc_chapters()
FENCED = re.compile(r"^(`{3,}|~{3,})(?!\{).*?^\1\s*$", re.M | re.S)
SPAN = re.compile(r"(`+).+?\1", re.S)
MYST = {
    "directive": re.compile(r"^\s*(`{3,}|:{3,})\{", re.M),
    "colon fence": re.compile(r"^\s*:{3,}", re.M),
    "role": re.compile(r"\{[\w:-]+\}`"),
    "target": re.compile(r"^\([\w-]+\)=\s*$", re.M),
    "directive option": re.compile(r"^:[\w-]+:", re.M),
}


@pytest.fixture(scope="module")
def book():
    return colab.Book()


@pytest.fixture(scope="module")
def rendered(book):
    return colab.render(book)


def prose(markdown):
    """Markdown without its code blocks and code spans."""
    return SPAN.sub("", FENCED.sub("", markdown))


def myst_left(markdown):
    text = prose(markdown)
    return [
        f"{what}: {m.group(0)!r}"
        for what, pattern in MYST.items()
        for m in pattern.finditer(text)
    ]


def test_every_chapter_has_a_current_colab_notebook(rendered):
    assert [p.name for p in rendered] == [p.name for p in CHAPTERS]
    stale = colab.stale(rendered)
    assert not stale, (
        f"colab/ is stale: {[p.name for p in stale]}; run "
        "`.venv/bin/python tools/colab.py` (the book build does it) and "
        "commit colab/"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_colab_notebook_reads_right(path, rendered):
    nb = nbformat.reads(rendered[colab.COLAB / path.name], as_version=4)
    assert nb.cells[0].cell_type == "code"
    assert nb.cells[0].source == SETUP_CELL, "the setup cell comes first"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            left = myst_left(cell.source)
            assert not left, f"cell {i} keeps MyST: {left}"
        else:
            assert not cell.get("outputs"), f"cell {i} keeps outputs"

    chapter = nbformat.read(path, as_version=4)
    source = "\n".join(
        c.source for c in chapter.cells if c.cell_type == "markdown"
    )
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    solutions = source.count("{solution}")
    assert text.count("<summary>Solution to ") == solutions
    assert text.count("<details>") == text.count("</details>")
    # every solution is inside its <details>: nothing between a closed
    # <details> and the next exercise shows a solution's heading
    outside = re.sub(r"<details>.*?</details>", "", text, flags=re.S)
    assert "Solution to" not in outside


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_colab_shows_the_packages_code_where_the_site_does(path, rendered):
    text = rendered[colab.COLAB / path.name]
    nb = nbformat.reads(text, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells)
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            opening = colab.OPENING.match(line)
            if opening and opening["name"] == "literalinclude":
                options, _ = colab._options(lines[i + 1 :])
                code = colab.literal_include(
                    opening["arg"], options, path.parent
                ).strip()
                assert code and code in markdown, (
                    f"{opening['arg']} {options} is not shown in Colab"
                )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapters_using_the_corpus_download_it_in_colab(path):
    code = "\n".join(
        c.source
        for c in nbformat.read(path, as_version=4).cells
        if c.cell_type == "code"
    )
    for call in re.finditer(r"load_spa_eng(_or_sample)?\((.*?)\)", code):
        assert 'download="google.colab" in sys.modules' in call.group(2), (
            f"{path.name}: {call.group(0)} does not download the corpus in "
            'Colab: pass download="google.colab" in sys.modules'
        )


def test_decoding_chapter_shows_greedy_decode_and_collapsed_solutions(
    rendered,
):
    nb = nbformat.reads(
        rendered[colab.COLAB / "05_4_decoding.ipynb"], as_version=4
    )
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "def greedy_decode(" in text
    assert "<summary>Solution to Exercise " in text


# -- the converter itself ----------------------------------------------------


def test_literalinclude_options_select_what_sphinx_selects(tmp_path, book):
    module = tmp_path / "m.py"
    module.write_text(
        'def f(x):\n    """Doc."""\n    return x\n\n\nclass C:\n'
        "    def g(self):\n        return 1\n"
    )
    convert = colab.convert_markdown
    got = convert(
        "```{literalinclude} m.py\n:pyobject: C.g\n:dedent:\n```",
        book,
        tmp_path,
    )
    assert got == "```\ndef g(self):\n    return 1\n```"
    got = convert(
        "```{literalinclude} m.py\n:pyobject: f\n:language: python\n"
        ':end-before: \'"""\'\n```',
        book,
        tmp_path,
    )
    assert got == "```python\ndef f(x):\n```"
    got = convert("```{literalinclude} m.py\n:lines: 3\n```", book, tmp_path)
    assert got == "```\n    return x\n```"
    got = convert(
        "```{literalinclude} m.py\n:start-after: class C:\n```",
        book,
        tmp_path,
    )
    assert got.splitlines()[1] == "    def g(self):"


def test_roles_and_directives_become_markdown(book):
    convert = colab.convert_markdown
    assert convert("{cite:p}`bahdanau2015`", book) == (
        "(Bahdanau et al., 2015)"
    )
    assert convert("{cite:t}`luong2015`", book) == "Luong et al. (2015)"
    assert convert("{ref}`this <faq-long-inputs>`", book) == "this"
    assert convert("{doc}`04_math`", book) == (
        f"[The math of attention]({colab.colab_url('04_math')})"
    )
    assert convert("`{cite}` stays code", book) == "`{cite}` stays code"
    assert convert("(faq-long-inputs)=\n# Q", book) == "# Q"
    assert convert(
        "```{admonition} Title\n:class: tip\nSome $\\R^n$.\n```", book
    ) == ("> **Title**\n>\n> Some $\\mathbb{R}^n$.")
    solution = convert(
        "::::{solution} ex-length-penalty\n:class: dropdown\n\n"
        "```python\nx = 1\n```\n::::",
        book,
    )
    assert solution.startswith("<details>\n<summary>Solution to Exercise ")
    assert "```python\nx = 1\n```\n\n</details>" in solution


def test_figures_load_from_the_repository(book):
    got = colab.convert_markdown(
        "```{figure} ../images/seq2seq_attention.svg\n:alt: A.\n\nCap.\n```",
        book,
    )
    path, branch = colab.repository()
    assert got == (
        f"![A.](https://raw.githubusercontent.com/{path}/{branch}/"
        "images/seq2seq_attention.svg)\n\n*Cap.*"
    )


def test_unknown_myst_is_an_error_not_raw_text(book):
    with pytest.raises(colab.ConversionError, match="teach tools/colab.py"):
        colab.convert_markdown("```{mermaid}\na -> b\n```", book)
    with pytest.raises(colab.ConversionError, match="teach tools/colab.py"):
        colab.convert_markdown("see {numref}`fig-x`", book)
    with pytest.raises(colab.ConversionError, match="unknown label"):
        colab.convert_markdown("see {ref}`no-such-label`", book)


def test_the_colab_button_opens_the_colab_notebook():
    context = {
        "header_buttons": [
            {
                "label": "launch-buttons",
                "buttons": [
                    {
                        "text": "Colab",
                        "url": "https://colab.research.google.com/github/"
                        "o/r/blob/main/chapters/04_math.ipynb",
                    }
                ],
            }
        ]
    }
    colab._point_launch_button_at_colab(
        None, "chapters/04_math", "page.html", context, None
    )
    url = context["header_buttons"][0]["buttons"][0]["url"]
    assert url == colab.colab_url("04_math")
    assert url.endswith("/blob/main/colab/04_math.ipynb")
