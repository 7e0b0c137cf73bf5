"""Colab notebooks made from the chapters: colab/NAME.ipynb.

    .venv/bin/python tools/colab.py          # (re)write colab/
    .venv/bin/python tools/colab.py --check  # exit 1 if colab/ is stale

The book build runs this too (this file is also a Sphinx extension, listed in
_config.yml's ``local_extensions``): it rewrites colab/ before reading the
chapters and points every page's Colab launch button at
colab/NAME.ipynb instead of chapters/NAME.ipynb. colab/ is committed, so that
Colab can open it from GitHub; tests/test_colab.py checks it is current.

Colab's Markdown knows no MyST, so each chapter notebook is rewritten:
the setup cell first; ``literalinclude`` replaced by the package's code (read
by Sphinx's own reader, so :pyobject:, :lines:, :start-after: and the others
select what the site shows); exercises as bold headings with the site's
numbers; solutions collapsed in ``<details>``; admonitions as quotes;
``{cite}`` as author-year text; ``{doc}`` as links to the other Colab
notebooks; ``{ref}`` as the label's text. Stored outputs are dropped (Colab
runs the notebook). A directive or role this file does not know is an error,
so nothing reaches Colab unconverted.
"""

import argparse
import re
import sys
import types
from pathlib import Path

import nbformat
import yaml
from pybtex.database import parse_file
from sphinx.directives.code import LiteralIncludeReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from setup_cell import SETUP_CELL  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
COLAB = ROOT / "colab"

# A directive's first line: ```{name} argument or :::{name} argument.
OPENING = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*)$"
)
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
ROLE = r"(?P<role>\{(?P<name>[\w:-]+)\}`(?P<content>[^`]*)`)"
# a role, or a code span (whose text is left alone)
INLINE = re.compile(ROLE + r"|(?P<ticks>`+).*?(?P=ticks)")
TARGET = re.compile(r"^\((?P<label>[\w-]+)\)=\s*$")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution",
               "attention", "danger", "error", "seealso"}  # fmt: skip


class ConversionError(ValueError):
    """A chapter uses MyST this converter does not know."""


# -- what every chapter needs to know about the others ------------------------


def toc_chapters(root=ROOT):
    """The chapter notebooks in _toc.yml order (what the site numbers)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = []

    def walk(entries):
        for entry in entries or ():
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return [
        root / f"{f}.ipynb" for f in files if (root / f"{f}.ipynb").exists()
    ]


def repository(root=ROOT):
    """(owner/name, branch) of the repository, from _config.yml."""
    config = yaml.safe_load((root / "_config.yml").read_text())["repository"]
    path = config["url"].removeprefix("https://github.com/").strip("/")
    return path, config.get("branch", "main")


def colab_url(stem, root=ROOT):
    """Where Colab opens colab/STEM.ipynb from GitHub.

    Example:
        >>> colab_url("04_math").split("/")[-2:]
        ['colab', '04_math.ipynb']
    """
    path, branch = repository(root)
    return (
        f"https://colab.research.google.com/github/{path}/blob/{branch}/"
        f"colab/{stem}.ipynb"
    )


def _author_year(entry):
    names = [p.last_names for p in entry.persons.get("author", [])]
    last = [" ".join(n).replace("{", "").replace("}", "") for n in names]
    who = f"{last[0]} et al." if len(last) > 2 else " and ".join(last)
    return who, entry.fields["year"]


def _page_title(path):
    if path.suffix == ".ipynb":
        cells = nbformat.read(path, as_version=4).cells
        text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    else:
        text = path.read_text()
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise ConversionError(f"{path} has no '# ' title")


class Book:
    """Everything a chapter's conversion refers to: citations, page titles,
    labels and the site's exercise numbers."""

    def __init__(self, root=ROOT):
        self.root = root
        bib = parse_file(str(root / "references.bib"), "bibtex")
        self.citations = {k: _author_year(e) for k, e in bib.entries.items()}
        self.chapters = toc_chapters(root)
        self.labels = {}
        number = 0
        for path in self.chapters:
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type != "markdown":
                    continue
                lines = cell.source.splitlines()
                for i, line in enumerate(lines):
                    target = TARGET.match(line)
                    if target and i + 1 < len(lines):
                        heading = lines[i + 1].lstrip("#").strip()
                        self.labels[target["label"]] = heading
                    opening = OPENING.match(line)
                    if opening and opening["name"] == "exercise":
                        # sphinx-exercise numbers exercises book-wide
                        number += 1
                        options, _ = _options(lines[i + 1 :])
                        if "label" in options:
                            self.labels[options["label"]] = (
                                f"Exercise {number}"
                            )

    def title(self, docname, here):
        """The title of the page ``docname`` (relative to folder
        ``here``)."""
        base = (here / docname).resolve()
        for suffix in (".ipynb", ".md"):
            if base.with_suffix(suffix).exists():
                return _page_title(base.with_suffix(suffix))
        raise ConversionError(f"{{doc}} target {docname!r} does not exist")


# -- Markdown ----------------------------------------------------------------


def _options(lines):
    """(options, remaining lines) of a directive body: its leading
    ``:key: value`` lines, values read as MyST reads them (YAML)."""
    options = {}
    i = 0
    while i < len(lines) and (match := OPTION.match(lines[i])):
        value = match["value"]
        if value and value[0] in "'\"":
            value = yaml.safe_load(value)
        options[match["key"]] = value
        i += 1
    return options, lines[i:]


def _closing(lines, start, fence):
    """Index of the line that closes the directive opened at ``start``."""
    char, width = fence[0], len(fence)
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if stripped and set(stripped) == {char} and len(stripped) >= width:
            return i
    raise ConversionError(f"directive {lines[start]!r} is never closed")


def literal_include(argument, options, here):
    """The text a ``literalinclude`` shows, read as Sphinx reads it."""
    path = (here / argument.strip()).resolve()
    if not path.exists():
        raise ConversionError(f"literalinclude {argument!r}: no such file")
    reader_options = {}
    for key, value in options.items():
        if key in ("language", "caption", "name", "class", "linenos"):
            continue
        if key == "dedent":
            value = int(value) if str(value).strip() else None
        reader_options[key] = value
    config = types.SimpleNamespace(source_encoding="utf-8")
    text, _ = LiteralIncludeReader(str(path), reader_options, config).read()
    return text


def _details(summary, content):
    """Collapsed, as the site's dropdowns (Colab renders <details>)."""
    return (
        f"<details>\n<summary>{summary}</summary>\n\n{content}\n\n</details>"
    )


def _quote(text):
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def directive(name, argument, body, book, here):
    """Plain Markdown for one MyST directive (its body already converted)."""
    options, rest = _options(body)
    content = convert_markdown("\n".join(rest), book, here).strip("\n")
    if name == "literalinclude":
        code = literal_include(argument, options, here).rstrip("\n")
        language = options.get("language", "")
        return f"```{language}\n{code}\n```"
    if name == "figure":
        image = (here / argument.strip()).resolve()
        if not image.exists():
            raise ConversionError(f"figure {argument!r}: no such file")
        path, branch = repository(book.root)
        relative = image.relative_to(book.root.resolve()).as_posix()
        url = f"https://raw.githubusercontent.com/{path}/{branch}/{relative}"
        alt = options.get("alt", "")
        return (
            f"![{alt}]({url})\n\n*{content}*"
            if content
            else (f"![{alt}]({url})")
        )
    if name == "exercise":
        number = book.labels.get(options.get("label"), "Exercise")
        title = f" ({argument.strip()})" if argument.strip() else ""
        return f"**{number}{title}.**\n\n{content}"
    if name == "solution":
        number = book.labels.get(argument.strip(), "the exercise")
        return _details(f"Solution to {number}", content)
    if name == "admonition" and "dropdown" in options.get("class", ""):
        return _details(argument.strip(), content)
    if name == "admonition":
        return _quote(f"**{argument.strip()}**\n\n{content}")
    if name in ADMONITIONS:
        title = name.capitalize() if name != "seealso" else "See also"
        return _quote(f"**{title}**\n\n{content}")
    raise ConversionError(
        f"directive {{{name}}} has no Colab form: teach tools/colab.py"
    )


def role(name, content, book, here):
    """Plain Markdown for one MyST role."""
    explicit = EXPLICIT.match(content)
    text, target = (
        (explicit["text"], explicit["target"]) if explicit else ("", content)
    )
    if name in ("cite", "cite:p", "cite:t"):
        keys = [k.strip() for k in content.split(",")]
        missing = [k for k in keys if k not in book.citations]
        if missing:
            raise ConversionError(f"{{cite}} of unknown keys {missing}")
        if name == "cite:t":  # textual: Luong et al. (2015)
            return "; ".join(
                f"{who} ({year})"
                for who, year in map(book.citations.get, keys)
            )
        cited = "; ".join(
            f"{who}, {year}" for who, year in map(book.citations.get, keys)
        )
        return f"({cited})"
    if name == "doc":
        title = text or book.title(target, here)
        stem = Path(target).name
        chapter = (here / target).resolve().with_suffix(".ipynb")
        if chapter in [p.resolve() for p in book.chapters]:
            return f"[{title}]({colab_url(stem, book.root)})"
        return f"*{title}*"
    if name == "ref":
        if text:
            return text
        if target not in book.labels:
            raise ConversionError(f"{{ref}} to unknown label {target!r}")
        return book.labels[target]
    raise ConversionError(
        f"role {{{name}}} has no Colab form: teach tools/colab.py"
    )


def _inline(line, book, here):
    """Roles and the \\R macro of one line of prose (code spans kept)."""

    def replace(match):
        if match["role"]:
            return role(match["name"], match["content"], book, here)
        return match[0]

    text = INLINE.sub(replace, line)
    # _config.yml's MathJax macro \\R, which Colab does not have
    return re.sub(r"\\R(?![A-Za-z])", r"\\mathbb{R}", text)


def convert_markdown(text, book, here=CHAPTERS):
    """A Markdown cell's MyST as Markdown Colab renders.

    Example:
        >>> book = Book()
        >>> convert_markdown(
        ...     ":::{note}\\nSee {cite}`bahdanau2015`.\\n:::", book
        ... )
        '> **Note**\\n>\\n> See (Bahdanau et al., 2015).'
    """
    lines = text.splitlines()
    out = []
    i = 0
    in_code = None  # the fence of an ordinary code block we are inside
    while i < len(lines):
        line = lines[i]
        if in_code:
            out.append(line)
            if line.strip().startswith(in_code) and not line.strip().strip(
                in_code[0]
            ):
                in_code = None
            i += 1
            continue
        opening = OPENING.match(line)
        if opening:
            end = _closing(lines, i, opening["fence"])
            out.append(
                directive(
                    opening["name"],
                    opening["arg"],
                    lines[i + 1 : end],
                    book,
                    here,
                )
            )
            i = end + 1
            continue
        fence = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence:
            in_code = fence[1]
            out.append(line)
        elif not TARGET.match(line):
            out.append(_inline(line, book, here))
        i += 1
    return "\n".join(out)


# -- notebooks ---------------------------------------------------------------


def colab_notebook(path, book):
    """The Colab notebook of chapter notebook ``path``."""
    chapter = nbformat.read(path, as_version=4)
    code = [c for c in chapter.cells if c.cell_type == "code"]
    if not code or code[0].source != SETUP_CELL:
        raise ConversionError(
            f"{path.name}: the first code cell is not tools/setup_cell.py's "
            "SETUP_CELL"
        )
    setup = nbformat.v4.new_code_cell(SETUP_CELL)
    setup.id = "setup"
    note = nbformat.v4.new_markdown_cell(
        f"*Made by `tools/colab.py` from `chapters/{path.stem}.md`; "
        "edit that file, not this one.*"
    )
    note.id = "made-from"
    cells = [setup, note]
    for n, cell in enumerate(chapter.cells):
        if cell is code[0]:
            continue
        if cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(
                convert_markdown(cell.source, book, path.parent)
            )
        elif cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(cell.source)
        else:
            new = nbformat.v4.new_raw_cell(cell.source)
        new.id = cell.get("id") or f"cell-{n}"
        cells.append(new)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "colab": {"name": f"{path.stem}.ipynb", "toc_visible": True},
        "kernelspec": {
            "display_name": "Python 3",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    return notebook


def render(book=None):
    """{colab/NAME.ipynb path: its JSON text} for every chapter."""
    book = book or Book()
    return {
        COLAB / path.name: nbformat.writes(colab_notebook(path, book)) + "\n"
        for path in book.chapters
    }


def stale(rendered):
    """The paths in colab/ that differ from ``rendered`` (or should not
    exist)."""
    extra = set(COLAB.glob("*.ipynb")) - set(rendered)
    changed = {
        p
        for p, text in rendered.items()
        if not p.exists() or p.read_text() != text
    }
    return sorted(extra | changed)


def write(rendered):
    """Write what changed (so an up-to-date colab/ is left untouched)."""
    COLAB.mkdir(exist_ok=True)
    for path in set(COLAB.glob("*.ipynb")) - set(rendered):
        path.unlink()
    for path, text in rendered.items():
        if not path.exists() or path.read_text() != text:
            path.write_text(text)


# -- the Sphinx extension ----------------------------------------------------


def _build_colab(app):
    try:
        write(render())
    except ConversionError as error:
        from sphinx.errors import ExtensionError

        raise ExtensionError(f"tools/colab.py: {error}") from error


def _point_launch_button_at_colab(app, pagename, templatename, context, _):
    """sphinx-book-theme links Colab to chapters/NAME.ipynb; link it to
    colab/NAME.ipynb (when that exists)."""
    target = COLAB / f"{Path(pagename).name}.ipynb"
    if not target.exists():
        return
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            if button.get("text") == "Colab":
                button["url"] = colab_url(target.stem)


def setup(app):
    app.connect("builder-inited", _build_colab)
    # after sphinx-book-theme's add_launch_buttons (priority 501)
    app.connect(
        "html-page-context", _point_launch_button_at_colab, priority=502
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report a stale colab/"
    )
    args = parser.parse_args(argv)
    rendered = render()
    if args.check:
        paths = stale(rendered)
        if paths:
            names = ", ".join(str(p.relative_to(ROOT)) for p in paths)
            sys.exit(f"colab/ is stale ({names}): run tools/colab.py")
        return
    write(rendered)


if __name__ == "__main__":
    main()
