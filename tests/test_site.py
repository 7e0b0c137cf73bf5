"""The website and the Colab path: table of contents, pages, attribution, the
setup cell in "Colab mode".

(tests/test_notebooks.py checks that every notebook's first code cell is
exactly tools/setup_cell.py's SETUP_CELL; here that cell is *run* as Colab
would run it, with pip in dry-run mode.)

The explorer's tests also run against Colab's versions (ipywidgets 7.7); with a
venv pinned to them:

    /tmp/colab-venv/bin/python -m pytest tests/test_explorer.py \\
        -p no:cacheprovider -o addopts="" --import-mode=importlib
"""

import importlib.metadata
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
ATTRIBUTION = ("CC-BY 2.0", "manythings.org/anki", "tatoeba.org")
# What Colab already has and the course package must never (re)install there.
PREINSTALLED = {"tensorflow", "tensorflow-cpu", "keras", "numpy", "matplotlib"}


def toc_files():
    """The file stems listed in _toc.yml (root, chapters and sections)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    stems = [toc["root"]]

    def walk(entries):
        for entry in entries or ():
            if "file" in entry:
                stems.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", ()):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return stems


def page_of(stem):
    """The .ipynb or .md file of a toc entry (the notebook wins, as in the book
    build), or None."""
    for suffix in (".ipynb", ".md"):
        if (ROOT / f"{stem}{suffix}").exists():
            return ROOT / f"{stem}{suffix}"
    return None


def page_text(path):
    """(markdown text, code text) of a page. A notebook's text includes the
    Markdown its cells display (prose that quotes measured numbers, see
    seq2seq_attention.book): the reader sees it."""
    if path.suffix == ".md":
        return path.read_text(), ""
    nb = nbformat.read(path, as_version=4)
    shown = [
        out.data["text/markdown"]
        for c in nb.cells
        if c.cell_type == "code"
        for out in c.outputs
        if "text/markdown" in out.get("data", {})
    ]
    markdown = "\n".join(
        [c.source for c in nb.cells if c.cell_type == "markdown"] + shown
    )
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return markdown, code


# -- (d) every page of the table of contents exists ---------------------------


def test_every_toc_entry_has_a_page():
    stems = toc_files()
    assert len(stems) == len(set(stems)), "a page is listed twice in _toc.yml"
    missing = [stem for stem in stems if page_of(stem) is None]
    assert not missing, f"_toc.yml lists pages that do not exist: {missing}"


def test_reference_part_lists_notation_glossary_and_bibliography():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    reference = next(p for p in toc["parts"] if p["caption"] == "Reference")
    names = [Path(c["file"]).name for c in reference["chapters"]]
    assert {"notation", "glossary", "bibliography"} <= set(names)


def test_landing_page_has_its_figure():
    intro = (ROOT / "intro.md").read_text()
    images = re.findall(
        r"(?:\]\(|:::?\{figure\}\s*|```\{figure\}\s*)(images/[\w./-]+\.png)",
        intro,
    )
    assert images, "intro.md should show a figure from images/"
    for image in images:
        assert (ROOT / image).exists(), (
            f"intro.md shows {image}, which does not exist"
        )


# -- (b) no placeholder page remains ------------------------------------------


@pytest.mark.parametrize("stem", toc_files())
def test_no_placeholder_page_remains(stem):
    path = page_of(stem)
    if path is None:
        pytest.skip("missing page: see test_every_toc_entry_has_a_page")
    markdown, _ = page_text(path)
    assert "This chapter is coming" not in markdown, (
        f"{path.relative_to(ROOT)} is still a placeholder"
    )


# -- (c) pages that use the English-Spanish corpus carry its attribution ------

# Loading it: load_spa_eng*, fetch_spa_eng, `--data spa-eng`, a "spa-eng"
# folder. Naming its source in the text (e.g. quoting results measured on it)
# needs the credit too. Merely mentioning "the English–Spanish model" of
# another chapter does not.
USES_CORPUS_IN_CODE = re.compile(r"spa[_-]eng", re.I)
USES_CORPUS_IN_TEXT = re.compile(r"Tatoeba|manythings", re.I)


@pytest.mark.parametrize("stem", toc_files())
def test_pages_using_the_corpus_carry_its_attribution(stem):
    path = page_of(stem)
    if path is None:
        pytest.skip("missing page: see test_every_toc_entry_has_a_page")
    markdown, code = page_text(path)
    if not (
        USES_CORPUS_IN_CODE.search(code)
        or USES_CORPUS_IN_TEXT.search(markdown)
    ):
        return
    missing = [part for part in ATTRIBUTION if part not in markdown]
    assert not missing, (
        f"{path.relative_to(ROOT)} uses the English–Spanish corpus but its "
        f'text lacks {missing}: add "Tatoeba Project via '
        "manythings.org, CC-BY 2.0 (France). Attribution: "
        'www.manythings.org/anki and tatoeba.org."'
    )


# -- (a) the setup cell, run as in Colab --------------------------------------


def _stub_distribution(folder, name, version):
    """Make ``name`` look installed to pip (an empty .dist-info), as in
    Colab."""
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    )
    (info / "RECORD").write_text("")


def test_setup_cell_in_colab_installs_the_package_and_nothing_preinstalled(
    tmp_path,
):
    """Run each distinct setup cell (normally one: tests/test_notebooks.py
    checks they are identical) in a fresh Python that believes it is Colab,
    with pip in dry-run mode writing a JSON report."""
    cells = {
        next(
            c.source
            for c in nbformat.read(p, as_version=4).cells
            if c.cell_type == "code"
        )
        for p in NOTEBOOKS
    }
    assert cells, "no notebook found in chapters/"
    site = tmp_path / "site"
    site.mkdir()
    # CI and this course's .venv use tensorflow-cpu; Colab has the "tensorflow"
    # distribution. Make pip see what Colab has, else it would (rightly, here)
    # want to install "tensorflow".
    try:
        importlib.metadata.version("tensorflow")
    except importlib.metadata.PackageNotFoundError:
        _stub_distribution(
            site, "tensorflow", importlib.metadata.version("tensorflow-cpu")
        )
    for i, cell in enumerate(sorted(cells)):
        report = tmp_path / f"report-{i}.json"
        script = tmp_path / f"colab-{i}.py"
        script.write_text(
            "import sys, types\nsys.modules['google.colab'] = "
            "types.ModuleType('google.colab')  # 'in Colab'\n" + cell + "\n"
        )
        env = dict(
            os.environ,
            # the local checkout instead of GitHub
            SEQ2SEQ_ATTENTION_PACKAGE=str(ROOT),
            PYTHONPATH=os.pathsep.join(
                filter(None, [str(site), os.environ.get("PYTHONPATH")])
            ),
            PIP_DRY_RUN="1",  # resolve, report, install nothing
            PIP_REPORT=str(report),
            # offline: everything needed must already be installed
            PIP_NO_INDEX="1",
            # sic: pip reads "0" as "--no-build-isolation"
            PIP_NO_BUILD_ISOLATION="0",
            PIP_DISABLE_PIP_VERSION_CHECK="1",
        )
        done = subprocess.run(
            [sys.executable, str(script)],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, (
            f"the setup cell failed in Colab mode:\n{done.stdout}\n"
            f"{done.stderr}"
        )
        installs = {
            item["metadata"]["name"].lower().replace("_", "-"): item
            for item in json.loads(report.read_text())["install"]
        }
        assert "seq2seq-attention" in installs, (
            f"pip would not install the course package: {sorted(installs)}"
        )
        assert installs["seq2seq-attention"]["requested"]
        reinstalled = PREINSTALLED & set(installs)
        assert not reinstalled, (
            f"the setup cell would (re)install Colab's {sorted(reinstalled)}"
        )


# -- MathJax is served with the site ------------------------------------------


def test_mathjax_is_served_with_the_site_not_from_a_cdn():
    sys.path.insert(0, str(ROOT / "tools"))
    import vendor_mathjax

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    path = config["sphinx"]["config"]["mathjax_path"]
    assert "://" not in path and not path.startswith("//"), (
        f"mathjax_path {path!r} loads MathJax from the network"
    )
    mathjax = ROOT / "_static" / "mathjax"
    assert (ROOT / "_static" / path).is_file()
    assert (mathjax / "VERSION").read_text().strip() == vendor_mathjax.VERSION
    fonts = list((mathjax / "output/chtml/fonts/woff-v2").glob("*.woff"))
    assert len(fonts) > 10, "MathJax's CommonHTML fonts are missing"
    extensions = mathjax / "input/tex/extensions"
    assert (extensions / "boldsymbol.js").is_file()
    assert (mathjax / "LICENSE").is_file()


def diagrams():
    """tools/make_diagrams.py: {file name: (draw function, chapter)}."""
    sys.path.insert(0, str(ROOT / "tools"))
    import make_diagrams

    return make_diagrams.FIGURES


@pytest.mark.parametrize("name", sorted(diagrams()))
def test_diagram_is_what_its_script_draws(name):
    draw, _ = diagrams()[name]
    assert (ROOT / "images" / name).read_text() == draw(), (
        f"images/{name} is stale: run tools/make_diagrams.py"
    )


@pytest.mark.parametrize("name", sorted(diagrams()))
def test_diagram_is_shown_by_its_chapter(name):
    _, chapter = diagrams()[name]
    text = (ROOT / "chapters" / chapter).read_text()
    figure = re.search(
        r"^```\{figure\} \.\./images/" + re.escape(name) + r"\n(.*?)^```$",
        text,
        re.M | re.S,
    )
    assert figure, f"chapters/{chapter} should show images/{name}"
    assert re.search(r"^:alt: \S", figure[1], re.M), f"{name}: no :alt: text"
    assert "tools/make_diagrams.py" in figure[1], (
        f"{name}: the caption should name the script that draws it"
    )


@pytest.mark.parametrize("name", sorted(diagrams()))
def test_diagram_is_an_svg_with_a_title_and_a_description(name):
    root = ElementTree.parse(ROOT / "images" / name).getroot()
    svg = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{svg}svg"
    for part in ("title", "desc"):
        element = root.find(f"{svg}{part}")
        assert element is not None and element.text.strip(), (
            f"images/{name} has no <{part}>"
        )


def test_every_svg_in_images_is_drawn_by_the_script():
    drawn = set(diagrams())
    svgs = {path.name for path in (ROOT / "images").glob("*.svg")}
    assert svgs == drawn, (
        f"images/ SVGs not drawn by tools/make_diagrams.py: {svgs - drawn}"
    )


# -- the outline the course was written from, as an appendix ------------------

OUTLINE = ROOT / "outline.md"
# The outline's nine sections, as the page names them.
OUTLINE_SECTIONS = (
    "Background",
    "Core concepts",
    "The algorithm",
    "The math",
    "Practice",
    "Applications",
    "Tools and resources",
    "Future directions",
    "FAQ",
)
# Prose about the outline (not "outlined in red").
MENTIONS_OUTLINE = re.compile(r"\bearly draft\b|\boutline\b", re.I)
# {doc}`outline`, {doc}`text <../outline>`, {doc}`/outline`, ...
LINKS_TO_OUTLINE = re.compile(r"\{doc\}`(?:[^`<]*<)?(?:\.\./|/)?outline>?`")


def test_outline_page_is_in_the_reference_part():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    reference = next(p for p in toc["parts"] if p["caption"] == "Reference")
    assert "outline" in [c["file"] for c in reference["chapters"]]
    assert OUTLINE.read_text().startswith("# Appendix: the course outline")


def test_outline_page_names_nine_sections_and_links_every_chapter():
    text = OUTLINE.read_text()
    rows = re.findall(r"^\| (\d) \| \*\*([^*]+)\*\*", text, re.M)
    assert rows == [(str(i), s) for i, s in enumerate(OUTLINE_SECTIONS, 1)]
    chapters = [s for s in toc_files() if s.startswith("chapters/")]
    unlinked = [s for s in chapters if f"<{s}>`" not in text]
    assert not unlinked, f"outline.md does not link to {unlinked}"
    # the two slips, and where the chapters show them
    assert "return_sequences=True" in text
    assert "{ref}`model-return-sequences`" in text
    assert "<math-indices>`" in text
    assert "e_{ij} = v^\\top \\tanh(W_1 x_i + W_2 y_j + b)" in text
    for label, chapter in (
        ("model-return-sequences", "05_2_model"),
        ("math-indices", "04_math"),
    ):
        source = (ROOT / "chapters" / f"{chapter}.md").read_text()
        assert f"({label})=" in source, f"{chapter}.md lost ({label})="


@pytest.mark.parametrize("stem", toc_files())
def test_pages_that_mention_the_outline_link_to_it(stem):
    path = page_of(stem)
    if path is None or stem == "outline":
        return
    markdown, _ = page_text(path)
    if MENTIONS_OUTLINE.search(markdown):
        assert LINKS_TO_OUTLINE.search(markdown), (
            f"{path.relative_to(ROOT)} mentions the course's outline (or an "
            "early draft) but does not link to it: add {doc}`../outline`"
        )


def test_the_chapters_that_correct_the_outline_link_to_it():
    for stem in ("04_math", "05_2_model", "06_applications"):
        markdown, _ = page_text(ROOT / "chapters" / f"{stem}.ipynb")
        assert LINKS_TO_OUTLINE.search(markdown), stem
