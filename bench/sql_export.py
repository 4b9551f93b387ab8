"""Benchmark: memory of `etl sql` exporting a large result as CSV, JSON and JSON lines.

`etl sql` writes these formats a batch of rows at a time, so its memory
should not grow with the rows exported. This runs, in a fresh process each,

    etl sql -w W --format F "SELECT range AS i, ... FROM range(N)"

for each row count N and format F against an empty warehouse, reads its
output (counting the bytes, keeping none) and prints wall time, rows per
second, the output's size and peak RSS (of the process tree, sampled, and
ru_maxrss of the largest process), then the peak at the largest N over the
peak at the smallest: flat is close to 1.00. Usage:

    python bench/sql_export.py                                  # 1 M and 10 M rows
    python bench/sql_export.py --rows 100000,1000000 --formats json
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rss import Measured, run_measured

# Four columns of the kinds an export carries: an integer, a decimal, text and a date.
QUERY = (
    "SELECT range AS i, range * 0.5 AS half, 'letter ' || range AS s, "
    "DATE '2000-01-01' + (range % 9000)::INTEGER AS d FROM range({rows})"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1000000,10000000", help="comma-separated row counts [1000000,10000000]")
    parser.add_argument("--formats", default="csv,json,jsonl", help="comma-separated formats [csv,json,jsonl]")
    args = parser.parse_args()
    counts = [int(n) for n in args.rows.split(",")]
    formats = args.formats.split(",")

    work = Path(tempfile.mkdtemp(prefix="kkru-sql-bench-"))
    warehouse = work / "w.duckdb"
    try:
        # Made in a child: a child starts with its parent's peak RSS, so this process stays small.
        subprocess.run(
            [sys.executable, "-c", "import sys; from etl.load import connect; connect(sys.argv[1]).close()", str(warehouse)],
            check=True,
        )
        print(f"{'format':<8}{'rows':>12}{'wall s':>9}{'rows/s':>11}{'output MB':>11}{'tree peak MB':>14}{'process MB':>12}")
        results: dict[tuple[str, int], Measured] = {}
        for fmt in formats:
            for n in counts:
                argv = [sys.executable, "-m", "etl", "sql", "-w", str(warehouse), "--format", fmt, QUERY.format(rows=n)]
                m = run_measured(argv, count_stdout=True)
                if m.exit_code != 0:
                    sys.exit(f"etl sql --format {fmt} ({n} rows) failed ({m.exit_code}):\n{m.stderr}")
                results[fmt, n] = m
                print(
                    f"{fmt:<8}{n:>12,}{m.seconds:>9.1f}{n / m.seconds:>11,.0f}{m.stdout_bytes / 2**20:>11.0f}"
                    f"{m.tree_peak_mb:>14.0f}{m.process_peak_mb:>12.0f}",
                    flush=True,
                )
        if len(counts) > 1:
            lo, hi = min(counts), max(counts)
            print()
            for fmt in formats:
                a, b = results[fmt, lo], results[fmt, hi]
                print(
                    f"{fmt}: peak RSS at {hi:,} rows / at {lo:,} rows = {b.process_peak_mb / a.process_peak_mb:.2f} "
                    f"({a.process_peak_mb:.0f} -> {b.process_peak_mb:.0f} MB)"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
