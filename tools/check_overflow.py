"""Which code blocks and outputs of the built site scroll sideways?

    make book && .venv/bin/python tools/check_overflow.py [PAGE.html ...]

For each chapter page of ``_build/html`` (or the pages named), loads a copy
in headless Chromium (Debian's ``chromium``; no network) at a 1280-px
window, with a script that lists every ``<pre>`` whose content is wider
than its box (``scrollWidth > clientWidth``), and prints them with their
longest line. Exit status 1 if any does. Not part of ``make test`` (CI has
no browser): run it after changing the theme, the CSS in ``_static/`` or a
chapter's printing. tests/test_line_length.py checks the 79-column rule on
the notebooks themselves.
"""

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

SITE = Path(__file__).resolve().parent.parent / "_build" / "html"
WINDOW = "1280,900"
PROBE = """<script>
window.addEventListener("load", () => setTimeout(() => {
  const wide = [...document.querySelectorAll("pre")]
    .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
    .map((pre) => [pre.scrollWidth, pre.clientWidth,
      pre.textContent.split("\\n")
        .reduce((a, b) => (b.length > a.length ? b : a), "")]);
  const report = document.createElement("div");
  report.id = "overflow-report";
  report.textContent = JSON.stringify(
    {pres: document.querySelectorAll("pre").length, wide: wide});
  document.body.appendChild(report);
}, 1500));
</script>"""


def overflowing(page):
    """(number of <pre>, [(scroll width, box width, longest line), ...])."""
    probe = page.with_name(f"_overflow_probe_{page.name}")
    probe.write_text(
        page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
        encoding="utf-8",
    )
    try:
        dom = subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                f"--window-size={WINDOW}",
                "--virtual-time-budget=5000",
                "--dump-dom",
                probe.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
    finally:
        probe.unlink()
    found = re.search(r'<div id="overflow-report">(.*?)</div>', dom, re.S)
    if not found:
        raise SystemExit(f"{page}: the page did not finish loading")
    report = json.loads(html.unescape(found[1]))
    return report["pres"], report["wide"]


def main(pages):
    if shutil.which("chromium") is None:
        raise SystemExit(
            "check_overflow: needs chromium (apt install chromium)"
        )
    paths = [Path(p) for p in pages] or sorted(SITE.glob("chapters/*.html"))
    if not paths:
        raise SystemExit(f"check_overflow: no pages in {SITE}: run make book")
    total = 0
    for path in paths:
        count, wide = overflowing(path.resolve())
        total += len(wide)
        print(f"{path.name}: {count} <pre>, {len(wide)} scroll sideways")
        for scroll, box, line in wide:
            print(f"    {scroll} px in {box} px: {line[:70]}")
    print(f"{total} blocks scroll sideways at a {WINDOW} window")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
