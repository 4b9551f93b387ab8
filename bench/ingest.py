"""Benchmark: how much kkru-etl adds to the PDF parser's own cost.

Renders a corpus of N letters with the project's fixture generator (needs the
`fixtures` extra), then measures on the same files, each step in a fresh
process so peak memory is its own:

  bare pdfplumber     extract_text() on every page
  bare pypdfium2      text of every page
  ingest, pdfplumber  etl ingest --jobs 1 --engine pdfplumber into a new warehouse
  ingest, 1 job       etl ingest --jobs 1 (default engine, pdfium) into a new warehouse
  ingest, all cores   etl ingest --jobs <cpus> into a new warehouse
  re-run              etl ingest again over the unchanged corpus
  check               etl check --jobs <cpus> --format json
  check, junit        etl check --jobs <cpus> --format junit (a test case per pair)

and prints wall time, pages per second, peak RSS (of the largest process, and
of the whole process tree: the main process and its workers together) and
the ratio to bare pdfplumber. Usage:

    python bench/ingest.py                 # 20 letters
    python bench/ingest.py --letters 500   # an archive-sized run
    python bench/ingest.py --letters 2000 --steps check   # memory of etl check at scale
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from rss import run_measured  # the process tree's peak, sampled

BARE_PDFPLUMBER = """
import sys, pdfplumber
pages = 0
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
            pages += 1
print(pages)
"""

BARE_PDFIUM = """
import sys, pypdfium2 as pdfium
pages = 0
for path in sys.argv[1:]:
    pdf = pdfium.PdfDocument(path)
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
        pages += 1
    pdf.close()
print(pages)
"""


@dataclass
class Step:
    name: str
    seconds: float
    peak_rss_mb: float
    exit_code: int
    # The largest sum of RSS over the process and its workers at one time.
    tree_peak_mb: float = 0.0


def run(name: str, argv: list[str]) -> Step:
    """Run argv as a child process; wall time and peak RSS (of its largest process and of its whole tree)."""
    m = run_measured(argv)
    if m.exit_code not in (0, 1, 3):
        sys.exit(f"{name} failed ({m.exit_code}):\n{m.stderr}")
    return Step(name, m.seconds, m.process_peak_mb, m.exit_code, m.tree_peak_mb)


def make_corpus(folder: Path, letters: int) -> tuple[list[Path], int]:
    """N distinct letter files: the sample in both layouts and a short letter,
    each copy made distinct by a trailing PDF comment (new bytes, same pages)."""
    from etl.fixtures.letter import from_paragraphs, load_sample
    from etl.fixtures.render import render_pdf

    sample = load_sample()
    short = from_paragraphs(
        outgoing_no="BENCH-1",
        letter_date="01.12.2018",
        kk_appendix=list(sample.texts("kk", "appendix")[1:12]),
        ru_appendix=list(sample.texts("ru", "appendix")[1:12]),
    )
    bases = [
        render_pdf(sample, folder / "base-one.pdf", layout="one_column"),
        render_pdf(sample, folder / "base-two.pdf", layout="two_column"),
        render_pdf(short, folder / "base-short.pdf", layout="one_column", backend="reportlab"),
    ]
    import pdfplumber

    base_pages = []
    for b in bases:
        with pdfplumber.open(b) as pdf:
            base_pages.append(len(pdf.pages))
    corpus = folder / "letters"
    corpus.mkdir()
    files, pages = [], 0
    for i in range(letters):
        base = bases[i % len(bases)]
        out = corpus / f"letter-{i:05d}.pdf"
        out.write_bytes(base.read_bytes() + f"\n%kkru-bench {i}\n".encode())
        files.append(out)
        pages += base_pages[i % len(bases)]
    for b in bases:
        b.unlink()
    return files, pages


def _render(folder: Path, letters: int) -> tuple[list[Path], int]:
    """Render in a child process: children inherit the parent's peak RSS on
    Linux, so the measuring process must stay small."""
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[3]); from ingest import make_corpus; "
        "from pathlib import Path; files, pages = make_corpus(Path(sys.argv[1]), int(sys.argv[2])); "
        "print(json.dumps([[str(f) for f in files], pages]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(letters), str(HERE)], check=True, capture_output=True, text=True
    )
    import json

    names, pages = json.loads(out.stdout)
    return [Path(n) for n in names], pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=20, help="letters in the corpus [20]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="jobs for the all-cores runs [cpus]")
    parser.add_argument("--keep", type=Path, default=None, help="keep the corpus and warehouses in this folder")
    parser.add_argument(
        "--steps",
        default="",
        help="comma-separated subset of: bare,pdfium,plumber,ingest1,ingestN,rerun,check,checkjunit [all]",
    )
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="kkru-bench-"))
    if (work / "letters").exists():
        sys.exit(f"{work} already holds a corpus (letters/); give --keep a new or empty folder")
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    files, pages = _render(work, args.letters)
    corpus = files[0].parent
    print(f"corpus: {len(files)} letters, {pages} pages, rendered in {time.perf_counter() - t0:.1f} s ({corpus})")

    py = sys.executable
    etl = [py, "-m", "etl"]
    names = [str(f) for f in files]
    plan = {
        "bare": ("bare pdfplumber", [py, "-c", BARE_PDFPLUMBER, *names]),
        "pdfium": ("bare pypdfium2", [py, "-c", BARE_PDFIUM, *names]),
        "plumber": (
            "ingest, pdfplumber, 1 job",
            [*etl, "ingest", str(corpus), "-w", str(work / "w0.duckdb"), "--jobs", "1", "--engine", "pdfplumber"],
        ),
        "ingest1": ("ingest, 1 job", [*etl, "ingest", str(corpus), "-w", str(work / "w1.duckdb"), "--jobs", "1"]),
        "ingestN": (
            f"ingest, {args.jobs} jobs",
            [*etl, "ingest", str(corpus), "-w", str(work / "wn.duckdb"), "--jobs", str(args.jobs)],
        ),
        "rerun": (
            "re-run, unchanged",
            [*etl, "ingest", str(corpus), "-w", str(work / "wn.duckdb"), "--jobs", str(args.jobs)],
        ),
        "check": (f"check, {args.jobs} jobs", [*etl, "check", str(corpus), "--jobs", str(args.jobs), "--format", "json"]),
        "checkjunit": (
            f"check --format junit, {args.jobs} jobs",
            [*etl, "check", str(corpus), "--jobs", str(args.jobs), "--format", "junit"],
        ),
    }
    wanted = args.steps.split(",") if args.steps else list(plan)
    steps = {key: run(*plan[key]) for key in plan if key in wanted}
    bare = steps["bare"].seconds if "bare" in steps else None
    print()
    print(f"{'step':<34}{'wall s':>9}{'pages/s':>10}{'peak RSS MB':>13}{'tree MB':>9}{'× bare pdfplumber':>20}")
    for s in steps.values():
        ratio = f"{s.seconds / bare:>20.2f}" if bare else f"{'':>20}"
        print(f"{s.name:<34}{s.seconds:>9.2f}{pages / s.seconds:>10.1f}{s.peak_rss_mb:>13.0f}{s.tree_peak_mb:>9.0f}{ratio}")
    print()
    if bare and "plumber" in steps:
        print(f"pdfplumber engine, 1 job, vs bare pdfplumber: {steps['plumber'].seconds / bare:.2f}×")
    if "ingest1" in steps and "ingestN" in steps:
        print(f"speed-up of {args.jobs} jobs over 1 job: {steps['ingest1'].seconds / steps['ingestN'].seconds:.2f}×")
    if bare and "ingest1" in steps:
        print(f"pdfium engine (default), 1 job, vs bare pdfplumber: {bare / steps['ingest1'].seconds:.1f}× faster")
    if bare and "ingestN" in steps:
        print(f"pdfium engine (default), {args.jobs} jobs, vs bare pdfplumber: {bare / steps['ingestN'].seconds:.1f}× faster")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
