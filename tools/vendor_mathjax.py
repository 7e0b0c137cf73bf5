"""Copy MathJax into _static/mathjax, so that the site's formulas render
offline (the book's _config.yml sets ``mathjax_path`` to this copy instead of
a CDN).

    python tools/vendor_mathjax.py   # needs npm and the npm registry

Only what a page needs is kept (about 2 MB): the combined TeX + MathML ->
CommonHTML component, its web fonts, the TeX extensions it loads on demand
(\\operatorname, \\boldsymbol, ...), and MathJax's licence (Apache-2.0).
tests/test_site.py checks that the copy is complete and that the version
matches VERSION.
"""

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "3.2.2"
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "_static" / "mathjax"
KEEP = [
    "es5/tex-mml-chtml.js",
    "es5/output/chtml/fonts/woff-v2",
    "es5/input/tex/extensions",
    "LICENSE",
]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["npm", "pack", f"mathjax@{VERSION}", "--pack-destination", tmp],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            sys.exit(f"npm pack mathjax@{VERSION} failed:\n{done.stderr}")
        with tarfile.open(Path(tmp) / f"mathjax-{VERSION}.tgz") as archive:
            archive.extractall(tmp, filter="data")
        package = Path(tmp) / "package"
        shutil.rmtree(TARGET, ignore_errors=True)
        for part in KEEP:
            source = package / part
            target = TARGET / part.removeprefix("es5/")
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copy2(source, target)
        (TARGET / "VERSION").write_text(VERSION + "\n")
    print(f"MathJax {VERSION} copied into {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
