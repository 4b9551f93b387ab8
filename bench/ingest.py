"""Benchmark: how much kkru-etl adds to the PDF parser's own cost.

Renders a corpus of N letters with the project's fixture generator (needs the
`fixtures` extra): the sample letter in one and two columns, a short letter
and a letter with ruled, borderless and page-spanning tables. Then measures
on the same files, each step in a fresh process so its memory is its own:

  bare pdfplumber     extract_text() on every page
  bare pypdfium2      text of every page: the floor
  ingest, pdfplumber  etl ingest --jobs 1 --engine pdfplumber into a new warehouse
  ingest, 1 job       etl ingest --jobs 1 (default engine, pdfium) into a new warehouse
  ingest, all cores   etl ingest --jobs <cpus> into a new warehouse
  re-run              etl ingest again over the unchanged corpus
  check               etl check --jobs <cpus> --format json
  checkjunit          etl check --jobs <cpus> --format junit (a test case per pair)
  startup             etl --help, etl --version, etl sql of one row
  check1              etl check of the bundled sample letter (raw/), one job
  stages              per-stage CPU shares of a 1-job ingest (bench/stages.py)
  scale               ingest and check of a --scale-letter corpus (default
                      2 000): per-letter CPU and process-tree RSS against
                      the small corpus, and the warehouse's size

and prints wall and CPU seconds (the child and its workers), pages per
second, the largest process's peak RSS, the whole process tree's RSS at its
largest, and the CPU ratio to bare pypdfium2. Usage:

    python bench/ingest.py                          # 20 letters, every step but scale
    python bench/ingest.py --letters 50 --steps pdfium,ingest1,stages
    python bench/ingest.py --letters 50 --steps pdfium,ingestN,check,scale --keep /tmp/b
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
from rss import run_measured  # noqa: E402  (beside this script, not a package)

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

# The same loop bench/stages.py measures in process (stages.bare_pdfium).
BARE_PDFIUM = f"""
import sys
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from stages import bare_pdfium
bare_pdfium(sys.argv[1:])
"""


@dataclass
class Step:
    name: str
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float  # the largest single process
    tree_rss_mb: float  # the whole process tree at its largest, sampled
    exit_code: int


def run(name: str, argv: list[str]) -> Step:
    """Run argv as a child process: wall and CPU time (the child and the
    workers it waited for), the largest process's peak RSS, and the whole
    tree's RSS at its largest (sampled every 50 ms, bench/rss.py)."""
    m = run_measured(argv)
    if m.exit_code not in (0, 1, 3):
        sys.exit(f"{name} failed ({m.exit_code}):\n{m.stderr}")
    return Step(name, m.seconds, m.cpu_seconds, m.process_peak_mb, m.tree_peak_mb, m.exit_code)


def make_corpus(folder: Path, letters: int) -> tuple[list[Path], int]:
    """N distinct letter files: the sample in both layouts, a short letter and
    a letter with tables, each copy made distinct by a trailing PDF comment
    (new bytes, same pages)."""
    from etl.fixtures.letter import from_paragraphs, load_sample
    from etl.fixtures.render import render_pdf
    from etl.fixtures.tables import table_letter

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
        # Ruled, borderless and a long table running over a page.
        render_pdf(table_letter(long_rows=40), folder / "base-tables.pdf", layout="one_column"),
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


STEPS = "bare,pdfium,plumber,ingest1,ingestN,rerun,check,checkjunit,startup,check1,stages,scale"


def _table(steps: dict[str, Step], pages: int, floor: Step | None) -> str:
    """Every step here reads the whole corpus; a re-run reads none of it, so it has no ratio to the floor."""
    head = f"{'step':<30}{'wall s':>8}{'CPU s':>8}{'pages/s':>9}{'peak RSS MB':>13}{'tree RSS MB':>13}{'× pypdfium2 CPU':>17}"
    out = [head]
    for key, s in steps.items():
        reads = key != "rerun"
        ratio = f"{s.cpu_seconds / floor.cpu_seconds:>17.1f}" if floor and reads else f"{'':>17}"
        rate = f"{pages / s.seconds:>9.1f}" if reads else f"{'':>9}"
        out.append(
            f"{s.name:<30}{s.seconds:>8.2f}{s.cpu_seconds:>8.2f}{rate}"
            f"{s.peak_rss_mb:>13.0f}{s.tree_rss_mb:>13.0f}{ratio}"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=20, help="letters in the corpus [20]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="jobs for the all-cores runs [cpus]")
    parser.add_argument("--keep", type=Path, default=None, help="keep the corpus and warehouses in this folder")
    parser.add_argument("--scale", type=int, default=2000, help="letters in the scale step's corpus [2000]")
    parser.add_argument("--steps", default="", help=f"comma-separated subset of: {STEPS} [all but scale]")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="kkru-bench-"))
    if (work / "letters").exists():
        sys.exit(f"{work} already holds a corpus (letters/); give --keep a new or empty folder")
    work.mkdir(parents=True, exist_ok=True)
    wanted = args.steps.split(",") if args.steps else [s for s in STEPS.split(",") if s != "scale"]
    unknown = set(wanted) - set(STEPS.split(","))
    if unknown:
        sys.exit(f"unknown steps: {', '.join(sorted(unknown))} (known: {STEPS})")
    t0 = time.perf_counter()
    files, pages = _render(work, args.letters)
    corpus = files[0].parent
    print(f"corpus: {len(files)} letters, {pages} pages, rendered in {time.perf_counter() - t0:.1f} s ({corpus})")

    py = sys.executable
    etl = [py, "-m", "etl"]
    names = [str(f) for f in files]
    # The bundled sample: one letter, checked by its own path.
    sample = min((HERE.parent / "raw").glob("*.pdf"))
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
    if "rerun" in wanted and "ingestN" not in wanted:
        raise SystemExit("--steps rerun re-runs the ingestN step's warehouse: select ingestN too")
    steps = {key: run(*plan[key]) for key in plan if key in wanted}
    floor = steps.get("pdfium")
    print()
    print(_table(steps, pages, floor))
    print()
    if "bare" in steps and "plumber" in steps:
        print(f"pdfplumber engine, 1 job, vs bare pdfplumber: {steps['plumber'].seconds / steps['bare'].seconds:.2f}× wall")
    if "ingest1" in steps and "ingestN" in steps:
        print(f"speed-up of {args.jobs} jobs over 1 job: {steps['ingest1'].seconds / steps['ingestN'].seconds:.2f}×")
    if floor and "ingest1" in steps:
        s = steps["ingest1"]
        print(
            f"ingest, 1 job: {s.cpu_seconds / floor.cpu_seconds:.1f}× the CPU of bare pypdfium2 "
            f"({1000 * s.cpu_seconds / len(files):.0f} ms per letter, {1000 * s.cpu_seconds / pages:.1f} ms per page)"
        )

    if "startup" in wanted or "check1" in wanted:
        print()
        small = {}
        if "startup" in wanted:
            small["help"] = run("etl --help", [*etl, "--help"])
            small["version"] = run("etl --version", [*etl, "--version"])
            sql_wh = work / "startup.duckdb"
            subprocess.run(
                [py, "-c", "import sys; from etl import load\nwith load.connect(sys.argv[1]): pass", str(sql_wh)],
                check=True,
            )
            small["sql"] = run("etl sql (1 row)", [*etl, "sql", "SELECT 1", "-w", str(sql_wh)])
        if "check1" in wanted:
            label = f"etl check, 1 letter ({_page_count(sample)} pages)"
            small["check1"] = run(label, [*etl, "check", str(sample), "--jobs", "1"])
        print(f"{'start-up and one letter':<36}{'wall s':>8}{'CPU s':>8}{'peak RSS MB':>13}")
        for s in small.values():
            print(f"{s.name:<36}{s.seconds:>8.2f}{s.cpu_seconds:>8.2f}{s.peak_rss_mb:>13.0f}")

    if "stages" in wanted:
        print()
        out = subprocess.run([py, str(HERE / "stages.py"), str(corpus)], check=True, capture_output=True, text=True)
        print("per-stage CPU, in one process (bench/stages.py):")
        print(out.stdout.rstrip())

    if "scale" in wanted:
        print()
        _scale(work, args, len(files), steps)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def _page_count(path: Path) -> int:
    code = "import sys, pypdfium2 as p; d = p.PdfDocument(sys.argv[1]); print(len(d))"
    return int(subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True).stdout)


def _scale(work: Path, args: argparse.Namespace, small_letters: int, steps: dict[str, Step]) -> None:
    """The same ingest (all jobs) and check over a corpus of --scale letters:
    per-letter CPU and the process tree's peak RSS against the small corpus."""
    py = sys.executable
    etl = [py, "-m", "etl"]
    folder = work / "scale"
    folder.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    files, pages = _render(folder, args.scale)
    corpus = files[0].parent
    print(f"scale corpus: {len(files)} letters, {pages} pages, rendered in {time.perf_counter() - t0:.1f} s ({corpus})")
    warehouse = folder / "warehouse.duckdb"
    big = {
        "ingestN": run(
            f"ingest, {args.jobs} jobs", [*etl, "ingest", str(corpus), "-w", str(warehouse), "--jobs", str(args.jobs)]
        ),
        "check": run(
            f"check, {args.jobs} jobs", [*etl, "check", str(corpus), "--jobs", str(args.jobs), "--format", "json"]
        ),
    }
    print(f"{'':<22}{'letters':>8}{'CPU ms/letter':>15}{'tree RSS MB':>13}")
    for key, s in big.items():
        small = steps.get(key)
        if small is not None:
            print(
                f"{s.name:<22}{small_letters:>8}{1000 * small.cpu_seconds / small_letters:>15.0f}{small.tree_rss_mb:>13.0f}"
            )
        print(f"{s.name:<22}{len(files):>8}{1000 * s.cpu_seconds / len(files):>15.0f}{s.tree_rss_mb:>13.0f}")
    size = warehouse.stat().st_size / 2**20
    print(f"warehouse: {size:.0f} MB after {len(files)} letters ({warehouse})")


if __name__ == "__main__":
    main()
