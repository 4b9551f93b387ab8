"""Measure series and period coverage on the synthetic letters of four ministries.

Renders the letters of tests/ministries.py (health, finance, agriculture,
education; two yearly letters each, running text and tables, printed by both
producers in one and two columns) with the fixture generator (needs the
`fixtures` extra), loads them into a fresh warehouse, and prints per ministry,
for running text and for table cells apart:

  statistics    statistic and money figures of the appendix (both languages)
  series        ... of them that have a series key
  period        Russian figures whose period is the one the letter gives them
  unbroken      text: series stated by both letters whose years run unbroken in
                `trends`; cells: table rows keyed alike in both letters whose
                years run unbroken in `trends`
  revisions     values a later letter revises (both the old and the new value)
                that `revisions` lists
  findings      kk/ru pairs that are not `match` (the letters agree: 0)

Everything is read back from the warehouse, as an analyst would.

With --corpus, it also reads every Russian line of the shared corpus
(../shared/corpus, real text the rules were not written for) and prints how
many statistics get the last-resort key `значение`, how many are keyed as
what they are when they count nothing (a list item's number, a number inside
a web address, a clock time), and how many groups `etl series --suggest`
would propose over all the keys.

Usage (from the repository root):

    python bench/series.py
    python bench/series.py --corpus ../shared/corpus
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

Ingest = Callable[[Sequence[Path], Path], None]
PARTS = ("text", "cells")


def _pipeline_ingest(paths: Sequence[Path], warehouse: Path) -> None:
    from etl import pipeline

    pipeline.ingest([str(p) for p in paths], warehouse, jobs=1)


def render(folder: Path, letters: Sequence[Any]) -> list[Path]:
    """Each letter to PDF as its ministry prints it (layout and producer)."""
    from etl.fixtures.render import render_pdf

    return [render_pdf(m.doc, folder / m.name, layout=m.layout, backend=m.backend) for m in letters]


def _blank() -> dict[str, Any]:
    return {"statistics": 0, "with_series": 0, "expected_periods": 0, "right_periods": 0,
            "series_in_both_letters": 0, "unbroken": 0, "revised": 0, "revised_found": 0}  # fmt: skip


def measure(
    folder: Path,
    letters: Sequence[Any] | None = None,
    warehouse: Path | None = None,
    ingest: Ingest | None = None,
) -> dict[str, Any]:
    """Render, load and count; the counts as a dict (also used by the tests).

    Totals are over text and cells; `by_ministry[m][part]` holds the same
    counts for one ministry's running text or table cells.
    """
    import duckdb

    from tests.ministries import REVISED, ministry_letters
    from tests.ministry_tables import REVISED as REVISED_CELLS

    letters = list(letters or ministry_letters())
    warehouse = warehouse or folder / "warehouse.duckdb"
    paths = render(folder, letters)
    (ingest or _pipeline_ingest)(paths, warehouse)
    by: dict[str, dict[str, dict[str, Any]]] = {m.ministry: {p: _blank() for p in PARTS} for m in letters}
    wrong: list[str] = []
    broken: list[str] = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        findings = con.execute("SELECT count(*) FROM figure_pairs WHERE status <> 'match'").fetchone()[0]
        figs = con.execute(
            "SELECT split_part(d.path, '/', -1), f.lang, f.table_no IS NOT NULL, f.series, f.value, f.period_start, "
            "f.period_end, f.row_label, f.col_label FROM figures AS f JOIN documents AS d USING (doc_id) "
            "WHERE f.kind IN ('statistic', 'money') AND f.part = 'appendix'"
        ).fetchall()
        row_keys: dict[tuple[str, str], dict[int, set[str | None]]] = {}
        for m, path in zip(letters, paths):
            mine = [f for f in figs if f[0] == path.name]
            for part, is_cell in zip(PARTS, (False, True)):
                c = by[m.ministry][part]
                c["statistics"] += sum(1 for f in mine if f[2] == is_cell)
                c["with_series"] += sum(1 for f in mine if f[2] == is_cell and f[3])
            text = {f[4]: f for f in mine if f[1] == "ru" and not f[2]}
            for value, start, end in m.expected:
                f = text.get(float(value))
                _tally(by[m.ministry]["text"], wrong, f"{m.name}: {value}", f, start, end)
            cells = {(f[7], f[8], f[4]): f for f in mine if f[1] == "ru" and f[2]}
            for cell in m.cells:
                f = cells.get((cell.row, cell.column, float(cell.value)))
                _tally(by[m.ministry]["cells"], wrong, f"{m.name}: {cell.row} / {cell.column} {cell.value}", f, cell.start, cell.end)
                row_keys.setdefault((m.ministry, cell.row_id), {}).setdefault(m.year, set()).add(f[3] if f else None)
        # Text: every series of a ministry that both its letters state.
        rows = con.execute(
            "SELECT split_part(t.path, '/', -1), t.series, year(t.period_start) FROM letter_metrics AS t "
            "JOIN figures AS f ON f.doc_id = t.doc_id AND f.figure_id = t.ru_figure_id WHERE f.table_no IS NULL"
        ).fetchall()
        seen: dict[tuple[str, str], set[tuple[str, int]]] = {}
        for name, series, year in rows:
            seen.setdefault((name.split("-")[0], series), set()).add((name, year))
        for (ministry, series), stated in sorted(seen.items()):
            if ministry not in by or len({n for n, _ in stated}) < 2:
                continue  # stated by one letter only (a stock of its own date)
            c = by[ministry]["text"]
            c["series_in_both_letters"] += 1
            years = sorted({y for _, y in stated})
            if years == list(range(years[0], years[-1] + 1)):
                c["unbroken"] += 1
            else:
                broken.append(f"{ministry} {series}: {years}")
        # Cells: a table row is one series when both letters key it alike and
        # `trends` holds every year the two letters' columns cover.
        for (ministry, row_id), keys in sorted(row_keys.items()):
            if len(keys) < 2:
                continue
            c = by[ministry]["cells"]
            c["series_in_both_letters"] += 1
            found = set().union(*keys.values())
            key = next(iter(found)) if len(found) == 1 else None
            years = [r[0] for r in con.execute(
                "SELECT DISTINCT year(period_start) FROM trends WHERE series = ? ORDER BY 1", [key]
            ).fetchall()] if key else []  # fmt: skip
            want = sorted({cell.start.year for m in letters if m.ministry == ministry for cell in m.cells if cell.row_id == row_id})
            if key and years == want and want == list(range(want[0], want[-1] + 1)):
                c["unbroken"] += 1
            else:
                broken.append(f"{ministry} {row_id}: keys {sorted(map(str, found))}, trends years {years}, want {want}")
        for (ministry, year, _), value in REVISED.items():
            by[ministry]["text"]["revised"] += 1
            hit = con.execute(
                "SELECT count(*) FROM revisions WHERE path LIKE ? AND year(period_start) = ? "
                "AND list_contains([1.0, 1e3, 1e6, 1e9], value / ?)",
                [f"%{ministry}-%", year, float(value)],
            ).fetchone()
            by[ministry]["text"]["revised_found"] += 1 if hit and hit[0] else 0
        for (ministry, table, row_id, year), value in REVISED_CELLS.items():
            c = by[ministry]["cells"]
            c["revised"] += 1
            keys = set().union(*row_keys.get((ministry, f"{table}.{row_id}"), {}).values())
            old = next(
                cell.value for m in letters if (m.ministry, m.year) == (ministry, year)
                for cell in m.cells if cell.row_id == f"{table}.{row_id}" and cell.start.year == year
            )  # fmt: skip
            listed = con.execute(
                "SELECT value_as_written FROM revisions AS r JOIN letter_metrics AS l USING (doc_id, metric, period_start, period_end) "
                "WHERE r.series = ? AND year(r.period_start) = ?",
                [next(iter(keys)) if len(keys) == 1 else None, year],
            ).fetchall()
            if sorted(v for (v,) in listed) == sorted([float(value), float(old)]):
                c["revised_found"] += 1
            else:
                broken.append(f"{ministry} {table}.{row_id} {year}: revisions list {listed}, want {old} and {value}")
    total = _blank()
    for parts in by.values():
        for c in parts.values():
            for k in total:
                total[k] += c[k]
    return {"letters": len(letters), **total, "findings": findings, "wrong": wrong, "broken": broken, "by_ministry": by}


def _tally(c: dict[str, Any], wrong: list[str], what: str, f: Any, start: Any, end: Any) -> None:
    c["expected_periods"] += 1
    if f is not None and (f[5], f[6]) == (start, end):
        c["right_periods"] += 1
    else:
        wrong.append(f"{what} wants {start}..{end}, got {(f[5], f[6]) if f else 'no figure'}")


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f} %)" if b else "-"


def corpus_keys(corpus: Path) -> dict[str, Any]:
    """Series keys of the Russian statistics of every corpus line, and what --suggest makes of them."""
    from etl.figures import build_figures
    from etl.models import Paragraph
    from etl.trends import SeriesInfo, suggest

    keys: Counter[str] = Counter()
    units: dict[str, str | None] = {}
    for path in sorted(corpus.glob("*/*.ru.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not any(ch.isdigit() for ch in line):
                continue
            for f in build_figures("0" * 64, [Paragraph("ru", "appendix", 1, 1, line)], date(2016, 1, 1)):
                if f.kind in ("statistic", "money") and f.series:
                    keys[f.series] += 1
                    units[f.series] = f.unit
    infos = [SeriesInfo(k, None, n, units[k], [], 1, None, None, None, None) for k, n in keys.items()]
    groups = suggest(infos)
    head = Counter(k.split("/")[0].split("[")[0].split(" (")[0] for k in keys.elements())
    return {
        "statistics": sum(keys.values()),
        "keys": len(keys),
        "fallback": head["значение"],
        "list_items": head["пункт_список"],
        "web_addresses": head["веб_адрес"],
        "clock_times": sum(n for k, n in keys.items() if k.endswith("(time)")),
        "suggest_groups": len(groups),
        "suggest_keys": sum(len(g) for _, g in groups),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, help="also measure the keys of the shared corpus's Russian lines")
    args = ap.parse_args()
    if args.corpus:
        c = corpus_keys(args.corpus)
        print(f"corpus: {c['statistics']} Russian statistics, {c['keys']} distinct keys")
        print(f"  last-resort key 'значение'   {c['fallback']}")
        print(f"  list item numbers            {c['list_items']}")
        print(f"  numbers inside web addresses {c['web_addresses']}")
        print(f"  clock times                  {c['clock_times']}")
        print(f"  --suggest                    {c['suggest_groups']} groups of {c['suggest_keys']} keys")
        print()
    with tempfile.TemporaryDirectory() as tmp:
        r = measure(Path(tmp))
    print(f"{'ministry':<12} {'part':<6} {'series':<16} {'right period':<16} {'unbroken':<14} {'revisions':<10}")
    for ministry, parts in r["by_ministry"].items():
        for part, c in parts.items():
            print(
                f"{ministry:<12} {part:<6} {_pct(c['with_series'], c['statistics']):<16} "
                f"{_pct(c['right_periods'], c['expected_periods']):<16} "
                f"{c['unbroken']}/{c['series_in_both_letters']:<12} {c['revised_found']}/{c['revised']}"
            )
    print(
        f"{'all':<12} {'':<6} {_pct(r['with_series'], r['statistics']):<16} "
        f"{_pct(r['right_periods'], r['expected_periods']):<16} {r['unbroken']}/{r['series_in_both_letters']:<12} "
        f"{r['revised_found']}/{r['revised']}"
    )
    print(f"letters {r['letters']}, kk/ru findings {r['findings']}")
    for line in r["wrong"] + r["broken"]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
