"""Terminal tables of what the warehouse commands read: query results, trends, series."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from .safe import literal, number_text

if TYPE_CHECKING:
    from ..trends import Series, SeriesInfo


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    # A count summed or cast to DOUBLE reads as 128, not 128.0.
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return literal(v, multiline=True)


def result_table(columns: list[str], rows: list[tuple[Any, ...]]) -> Table:
    """The rows of `etl sql`, every value as data (never markup)."""
    table = Table()
    for c in columns:
        table.add_column(Text(literal(c)))
    for row in rows:
        table.add_row(*(Text(_cell_text(v)) for v in row))
    return table


def metric_table(s: Series) -> Table:
    """One metric by period (`etl trends METRIC`)."""
    from ..trends import period_label

    table = Table(title=Text(literal(f"{s.metric} — {s.description or ''}")), caption=Text(literal(s.unit)))
    for col in ("period", "value", "months", "letters", "revised", "latest letter"):
        table.add_column(col, justify="right" if col in ("value", "months", "letters") else "left")
    for p in s.points:
        table.add_row(
            period_label(p),
            number_text(p.value),
            "" if p.months is None else str(p.months),
            str(p.n_letters),
            "yes" if p.disagree else "",
            "" if p.letter_date is None else p.letter_date.isoformat(),
        )
    return table


def trends_table(series: list[Series]) -> Table:
    """Every metric on one line each, with its sparkline (`etl trends`)."""
    from ..trends import period_label, sparkline

    table = Table(title="trends (value of the latest letter per period)")
    for col in ("metric", "series", "trend"):
        table.add_column(col)
    for s in series:
        cells = [f"{period_label(p)}: {number_text(p.value)}{' ✎' if p.disagree else ''}" for p in s.points]
        name = s.metric if not s.series or s.series == s.metric else f"{s.metric} ({s.series})"
        table.add_row(
            Text(literal(name)),
            Text(" · ".join(cells)),
            sparkline([p.value for p in s.points if not p.is_partial]),
        )
    return table


def series_table(found: list[SeriesInfo]) -> Table:
    """The series found in the letters (`etl series`)."""
    table = Table(title=f"series ({len(found)})")
    for col in ("series", "metric", "pairs", "unit", "periods", "letters", "label ru / kk", "example ru / kk"):
        table.add_column(col, justify="right" if col in ("pairs", "letters") else "left", overflow="fold")
    for s in found:
        periods = ", ".join(sorted({str(a.year) if a.year == b.year else f"{a.year}-{b.year}" for a, b in s.periods}))
        table.add_row(
            s.series,
            s.metric if s.metric and s.metric != s.series else "",
            str(s.figures),
            s.unit or "",
            periods,
            str(s.letters),
            f"{s.label_ru or ''}\n{s.label_kk or ''}",
            f"{(s.example_ru or '')[:160]}\n{(s.example_kk or '')[:160]}",
        )
    return table
