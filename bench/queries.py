"""Analyst queries at size: the README's example queries, `trends` and a figures filter, timed.

    python bench/queries.py WAREHOUSE [--runs 5]

WAREHOUSE is best a large one, e.g. the 2 000-letter warehouse that
`python bench/ingest.py --steps scale --keep DIR` leaves in DIR/scale/.
For each query it prints:

  cold   the first run in a new read-only connection (DuckDB's buffer
         cache empty; the OS page cache as it is)
  warm   the median of --runs more runs on that connection
  etl sql  the median wall time of `etl sql QUERY --format csv` as a user
         runs it: a new process, its imports, the connection, the query
         and writing every row

Targets (issue 19): warm under 100 ms, `etl sql` under 0.4 s.

The bench corpus is a few letters copied many times, so one outgoing number
stands for a quarter of the letters and a query for one letter's figures
(README 4, 7) returns hundreds of letters' rows. With --distinct-outgoing the
queries run on a copy of WAREHOUSE in which each letter has its own number,
as in a real archive, and the sample's number names one letter:

    python bench/queries.py WAREHOUSE --distinct-outgoing
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"


def queries(warehouse: str) -> list[tuple[str, str]]:
    """(name, SQL): the README's ```sql blocks, then the ones the issue names."""
    import duckdb

    found = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    out = []
    for i, q in enumerate(found, start=1):
        first = next((ln for ln in q.splitlines() if ln.strip() and not ln.startswith("--")), q)
        out.append((f"README {i}: {first.strip()[:48]}", q.strip().rstrip(";")))
    with duckdb.connect(warehouse, read_only=True) as con:
        metric = con.execute(
            "SELECT metric FROM figures WHERE metric IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        year = con.execute(
            "SELECT year(period_start) FROM figures WHERE period_start IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    m = metric[0] if metric else ""
    y = year[0] if year else 2020
    out += [
        ("SELECT * FROM trends", "SELECT * FROM trends"),
        (f"trends of one metric ({m})", f"SELECT * FROM trends WHERE metric = '{m}' ORDER BY period_start"),
        (
            f"figures of {m} in {y}",
            f"SELECT doc_id, lang, value, unit, period_start FROM figures "
            f"WHERE metric = '{m}' AND year(period_start) = {y}",
        ),
    ]
    return out


def time_in_process(warehouse: str, sql: str, runs: int) -> tuple[float, float, int]:
    import duckdb

    con = duckdb.connect(warehouse, read_only=True)
    try:
        t = time.perf_counter()
        n = len(con.execute(sql).fetchall())
        cold = time.perf_counter() - t
        warm = []
        for _ in range(runs):
            t = time.perf_counter()
            con.execute(sql).fetchall()
            warm.append(time.perf_counter() - t)
    finally:
        con.close()
    return cold, statistics.median(warm), n


def time_cli(warehouse: str, sql: str, runs: int) -> float:
    walls = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "etl", "sql", sql, "-w", warehouse, "--format", "csv"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        walls.append(time.perf_counter() - t)
    return statistics.median(walls)


def distinct_outgoing(warehouse: str, folder: str) -> str:
    """A copy of `warehouse` in which every letter's outgoing number is its
    own: the first letter of each number keeps it, the others get a suffix."""
    import duckdb

    copy = str(Path(folder) / Path(warehouse).name)
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(copy) as con:
        con.execute(
            """
            UPDATE documents SET outgoing_no = numbered.outgoing_no || ' #' || numbered.n
            FROM (SELECT doc_id, outgoing_no, row_number() OVER (PARTITION BY outgoing_no ORDER BY path) AS n
                  FROM documents WHERE outgoing_no IS NOT NULL) AS numbered
            WHERE documents.doc_id = numbered.doc_id AND numbered.n > 1
            """
        )
        con.execute("CHECKPOINT")
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("warehouse")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--distinct-outgoing", action="store_true", help="run on a copy where each letter has its own outgoing number"
    )
    args = parser.parse_args()
    if args.distinct_outgoing:
        with tempfile.TemporaryDirectory() as folder:
            args.warehouse = distinct_outgoing(args.warehouse, folder)
            print("a copy with an outgoing number per letter")
            _report(args)
    else:
        _report(args)


def _report(args: argparse.Namespace) -> None:
    import duckdb

    with duckdb.connect(args.warehouse, read_only=True) as con:
        docs, figs = con.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM figures)").fetchone()
    print(f"{args.warehouse}: {docs} letters, {figs} figures")
    print(f"{'query':<58}{'rows':>8}{'cold ms':>9}{'warm ms':>9}{'etl sql s':>11}")
    worst_warm = worst_cli = 0.0
    for name, sql in queries(args.warehouse):
        cold, warm, n = time_in_process(args.warehouse, sql, args.runs)
        cli = time_cli(args.warehouse, sql, max(1, args.runs // 2))
        worst_warm, worst_cli = max(worst_warm, warm), max(worst_cli, cli)
        print(f"{name:<58}{n:>8}{1000 * cold:>9.1f}{1000 * warm:>9.1f}{cli:>11.2f}")
    print(f"slowest warm: {1000 * worst_warm:.1f} ms (target < 100); slowest etl sql: {worst_cli:.2f} s (target < 0.4)")


if __name__ == "__main__":
    main()
