"""How the HTML report scales: N copies of a letter's findings in one page.

Checks LETTER once, repeats its findings as if N letters had them, writes the
report, and opens it in headless Chromium (tests/browser.py) to time the load
event and count the images decoded before any scrolling:

    python bench/report_html.py LETTER.pdf --copies 100
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl import pipeline, report  # noqa: E402
from tests.browser import Browser  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("letter")
    ap.add_argument("--copies", type=int, default=100)
    args = ap.parse_args()
    rep = pipeline.check([args.letter], slim=True)
    doc = rep.documents[0]
    rep.documents = [
        replace(doc, letter=replace(doc.letter, path=args.letter, sha256=f"{i:064x}")) for i in range(args.copies)
    ]
    t = time.perf_counter()
    page = report.to_html(rep)
    build = time.perf_counter() - t
    n = len(rep.findings)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        out.write_text(page, encoding="utf-8")
        with Browser(Path(tmp) / "profile") as browser:
            t = time.perf_counter()
            browser.open(out.as_uri(), 1280, 900)
            load = time.perf_counter() - t
            decoded = browser.evaluate("Array.from(document.images).filter((i) => i.complete && i.naturalWidth).length")
            images = browser.evaluate("document.images.length")
    size = len(page.encode())
    print(f"{args.copies} letters, {n} findings: built in {build:.1f} s ({1000 * build / n:.0f} ms a finding), "
          f"{size / 1e6:.1f} MB ({size / n / 1024:.0f} KB a finding); Chromium load event after {load:.2f} s, "
          f"{decoded} of {images} images decoded before scrolling")


if __name__ == "__main__":
    main()
