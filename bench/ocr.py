"""Benchmark: scanned letters read through OCR.

Renders letters with the fixture generator (the 22-page sample letter and
the two-page test letter of tests/test_ocr.py, one- and two-column), scans
them to image-only PDFs (etl.fixtures.scan: slight rotation, blur, noise,
JPEG) and reads them back with `--ocr auto`, in this process, on one core.

  recall      per language, the share of the text letter's figures (kind and
              amount) that the scan's reading has too
  findings    on the clean scans (the target is 0)
  edits       a digit changed in one language of the test letter, scanned:
              is it reported?
  time        per page, CPU seconds of this process (one core): OCR alone
              (render, deskew, Tesseract) and the rest of the pipeline
  --dpi       the sweep behind OCR_DPI: digit recall and time per page at
              each rendering resolution, on the test letters scanned at
              150, 200 and 300 dpi

Usage:

    python bench/ocr.py                  # the targets, scans at 200 dpi
    python bench/ocr.py --dpi 150,200,300,400
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from etl.extract import ocr as ocr_module  # noqa: E402
from etl.fixtures.letter import load_sample, substitute  # noqa: E402
from etl.fixtures.render import render_pdf  # noqa: E402
from etl.fixtures.scan import ScanDamage, scan_pdf  # noqa: E402
from etl.pipeline import process_bytes  # noqa: E402
from tests.test_ocr import _letter  # noqa: E402

EDITS = [
    ("ru", "раскрыто 45", "раскрыто 46"),
    ("kk", "Барлығы 596", "Барлығы 569"),
    ("ru", "зарегистрировано 1046", "зарегистрировано 1064"),
    ("kk", "оның 63-і", "оның 68-і"),
]


def _figures(result) -> dict[str, Counter]:  # type: ignore[no-untyped-def]
    out: dict[str, Counter] = {"kk": Counter(), "ru": Counter()}
    for f in result.figures:
        out[f.lang][(f.kind, round(f.value * f.scale, 6))] += 1
    return out


def _read(path: Path):  # type: ignore[no-untyped-def]
    t = time.process_time()
    result = process_bytes(str(path), path.read_bytes())
    return result, time.process_time() - t


_ocr_seconds = 0.0
_ocr_page = ocr_module.ocr_page


def _timed_ocr_page(*args, **kw):  # type: ignore[no-untyped-def]
    """OCR alone (render, deskew, Tesseract): the CPU time the rest is measured against."""
    global _ocr_seconds
    t = time.process_time()
    try:
        return _ocr_page(*args, **kw)
    finally:
        _ocr_seconds += time.process_time() - t


ocr_module.ocr_page = _timed_ocr_page


def targets(work: Path, dpi: int) -> None:
    letters = {
        "sample letter": render_pdf(load_sample(), work / "sample.pdf"),
        "test letter": render_pdf(_letter(), work / "test.pdf"),
        "test letter, two columns": render_pdf(_letter(), work / "test-2col.pdf", layout="two_column"),
    }
    print(f"scans at {dpi} dpi, OCR rendering at {ocr_module.OCR_DPI} dpi\n")
    print("| letter | pages | lang | text figures | found in scan | recall | findings | OCR s/page | rest s/page |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for name, pdf in letters.items():
        text, _ = _read(pdf)
        scan = scan_pdf(pdf, pdf.with_name(pdf.stem + f"-scan{dpi}.pdf"), ScanDamage(dpi=dpi))
        global _ocr_seconds
        _ocr_seconds = 0.0
        result, total_s = _read(scan)
        ocr_s = _ocr_seconds
        pages = result.letter.pages
        want, got = _figures(text), _figures(result)
        for lang in ("kk", "ru"):
            found = sum((want[lang] & got[lang]).values())
            n = sum(want[lang].values())
            print(
                f"| {name} | {pages} | {lang} | {n} | {found} | {100 * found / n:.1f} % | {len(result.findings)} "
                f"| {ocr_s / pages:.2f} | {max(0.0, total_s - ocr_s) / pages:.2f} |"
            )
        for f in result.findings:
            print(f"|  finding: {f.status} kk {f.kk and f.kk.surface!r} ru {f.ru and f.ru.surface!r} | | | | | | | | |")
    print("\n| edit | caught |")
    print("|---|---|")
    for lang, old, new in EDITS:
        doc = substitute(_letter(), lang, "appendix", old, new)  # type: ignore[arg-type]
        pdf = render_pdf(doc, work / "edited.pdf")
        scan = scan_pdf(pdf, work / "edited-scan.pdf", ScanDamage(dpi=dpi))
        result, _ = _read(scan)
        surfaces = {(f.kk.surface if f.kk else None, f.ru.surface if f.ru else None) for f in result.findings}
        edited = new.split()[-1]
        caught = any(edited in (kk or "", ru or "") or edited.split("-")[0] in (kk or "", ru or "") for kk, ru in surfaces)
        print(f"| {lang}: {old!r} → {new!r} | {'yes' if caught else 'NO'} ({len(result.findings)} finding(s)) |")


def dpi_sweep(work: Path, dpis: list[int]) -> None:
    import re

    pdfs = [render_pdf(_letter(), work / "t1.pdf"), render_pdf(_letter(), work / "t2.pdf", layout="two_column")]
    print("| scan dpi | OCR dpi | digits | read right | recall | s/page |")
    print("|---:|---:|---:|---:|---:|---:|")
    for scan_dpi in (150, 200, 300):
        scans = [scan_pdf(p, p.with_name(f"{p.stem}-{scan_dpi}.pdf"), ScanDamage(dpi=scan_dpi)) for p in pdfs]
        for dpi in dpis:
            ocr_module.OCR_DPI = dpi
            want: Counter = Counter()
            got: Counter = Counter()
            seconds, pages = 0.0, 0
            for text_pdf, scan in zip(pdfs, scans):
                # Digits of the body text: the stamp and page numbers are no figures.
                text, _ = _read(text_pdf)
                want.update(d for p in text.letter.paragraphs for d in re.findall(r"\d+", p.text))
                result, cpu = _read(scan)
                got.update(d for p in result.letter.paragraphs for d in re.findall(r"\d+", p.text))
                seconds += cpu
                pages += result.letter.pages
            right = sum((want & got).values())
            n = sum(want.values())
            print(f"| {scan_dpi} | {dpi} | {n} | {right} | {100 * right / n:.1f} % | {seconds / pages:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scan-dpi", type=int, default=200, help="resolution of the scans for the targets")
    ap.add_argument("--dpi", default=None, help="comma-separated OCR resolutions to sweep instead of the targets")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.dpi:
            dpi_sweep(Path(tmp), [int(d) for d in args.dpi.split(",")])
        else:
            targets(Path(tmp), args.scan_dpi)


if __name__ == "__main__":
    main()
