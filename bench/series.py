"""Measure series and period coverage on the synthetic letters of four ministries.

Renders the letters of tests/ministries.py (health, finance, agriculture,
education; two yearly letters each) with the fixture generator (needs the
`fixtures` extra), reads them through the whole pipeline, and prints:

  series     statistic and money figures (both languages) that have a series key
  period     Russian statistics whose period is the one the sentence gives them
  findings   kk/ru findings (the letters say the same in both languages: 0)
  trends     series of each ministry seen in both letters whose years run unbroken
  revisions  revised values (tests/ministries.REVISED) that `revisions` lists

Usage (from the repository root):

    python bench/series.py
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def measure(folder: Path, letters: Sequence[Any] | None = None, warehouse: Path | None = None) -> dict[str, Any]:
    """Render, read, load and count; the counts as a dict (also used by tests/test_series.py)."""
    import duckdb

    from etl import pipeline
    from etl.fixtures.render import render_pdf
    from tests.ministries import REVISED, ministry_letters

    letters = list(letters or ministry_letters())
    with_series = stats = right = expected = findings = 0
    wrong: list[str] = []
    paths = []
    for letter in letters:
        path = folder / letter.name
        render_pdf(letter.doc, path)
        paths.append(str(path))
        result = pipeline.process_bytes(str(path), path.read_bytes())
        findings += len(result.findings)
        figs = [f for f in result.figures if f.kind in ("statistic", "money") and f.part == "appendix"]
        stats += len(figs)
        with_series += sum(1 for f in figs if f.series)
        ru = {f.value: f for f in figs if f.lang == "ru"}
        for value, start, end in letter.expected:
            expected += 1
            f = ru.get(float(value))
            if f is not None and (f.period_start, f.period_end) == (start, end):
                right += 1
            else:
                got = (f.period_start, f.period_end) if f else "no figure"
                wrong.append(f"{letter.name}: {value} wants {start}..{end}, got {got}")
    warehouse = warehouse or folder / "warehouse.duckdb"
    pipeline.ingest(paths, warehouse, jobs=1)
    unbroken = total_series = 0
    broken: list[str] = []
    revised_found = 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT split_part(t.path, '/', -1), t.metric, year(t.period_start) FROM letter_metrics AS t"
        ).fetchall()
        by_ministry: dict[tuple[str, str], set[tuple[str, int]]] = {}
        for name, metric, year in rows:
            by_ministry.setdefault((name.split("-")[0], metric), set()).add((name, year))
        for (ministry, metric), seen in sorted(by_ministry.items()):
            names = {n for n, _ in seen}
            if len(names) < 2:
                continue  # stated by one letter only (a stock of its own date)
            total_series += 1
            years = sorted({y for _, y in seen})
            if years == list(range(years[0], years[-1] + 1)):
                unbroken += 1
            else:
                broken.append(f"{ministry} {metric}: {years}")
        for (ministry, year, _), value in REVISED.items():
            hit = con.execute(
                "SELECT count(*) FROM revisions WHERE path LIKE ? AND year(period_start) = ? "
                "AND list_contains([1.0, 1e3, 1e6, 1e9], value / ?)",
                [f"%{ministry}-%", year, float(value)],
            ).fetchone()
            revised_found += 1 if hit and hit[0] else 0
    return {
        "letters": len(letters),
        "statistics": stats,
        "with_series": with_series,
        "expected_periods": expected,
        "right_periods": right,
        "wrong": wrong,
        "findings": findings,
        "series_in_both_letters": total_series,
        "unbroken": unbroken,
        "broken": broken,
        "revised": len(REVISED),
        "revised_found": revised_found,
    }


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        r = measure(Path(tmp))
    print(f"letters                 {r['letters']}")
    print(f"series                  {r['with_series']}/{r['statistics']} ({100 * r['with_series'] / r['statistics']:.1f} %)")
    print(
        f"right period (ru)       {r['right_periods']}/{r['expected_periods']} "
        f"({100 * r['right_periods'] / r['expected_periods']:.1f} %)"
    )
    print(f"kk/ru findings          {r['findings']}")
    print(f"unbroken series         {r['unbroken']}/{r['series_in_both_letters']}")
    print(f"revisions found         {r['revised_found']}/{r['revised']}")
    for line in r["wrong"] + r["broken"]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
