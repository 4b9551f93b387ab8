"""Time series for analysts: read the `trends` view, draw a chart.

Everything here reads the warehouse read-only; it never blocks an ingest for
longer than one query.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from .errors import EtlError
from .load import connect

SPARK = "▁▂▃▄▅▆▇█"


class PlotUnavailable(EtlError):
    """Charts need the optional plotting extra."""


@dataclass(frozen=True)
class Point:
    period_start: date
    period_end: date
    value: float
    months: int | None
    is_partial: bool
    n_letters: int
    disagree: bool
    letter_date: date | None


@dataclass
class Series:
    metric: str
    description: str | None
    unit: str | None
    points: list[Point] = field(default_factory=list)


def read_trends(
    warehouse: str | os.PathLike[str], metric: str | None = None, since: int | None = None, lock_timeout: float = 10.0
) -> list[Series]:
    """Every metric's series (or one metric's), oldest period first."""
    sql = """
        SELECT t.metric, m.description, coalesce(m.unit, t.unit), t.period_start, t.period_end, t.value,
               t.months, t.is_partial, t.n_letters, t.disagree, t.letter_date
        FROM trends AS t LEFT JOIN metrics AS m USING (metric)
        WHERE ($metric IS NULL OR t.metric = $metric)
          AND ($since IS NULL OR year(t.period_end) >= $since)
        ORDER BY t.metric, t.period_start, t.period_end
    """
    with connect(warehouse, read_only=True, lock_timeout=lock_timeout) as con:
        try:
            rows = con.execute(sql, {"metric": metric, "since": since}).fetchall()
        except duckdb.Error as err:
            raise EtlError(f"{warehouse}: cannot read trends ({err})") from err
    out: dict[str, Series] = {}
    for m, desc, unit, start, end, value, months, partial, n, disagree, letter_date in rows:
        series = out.setdefault(m, Series(m, desc, unit))
        series.points.append(Point(start, end, value, months, bool(partial), n, bool(disagree), letter_date))
    return list(out.values())


def known_metrics(warehouse: str | os.PathLike[str], lock_timeout: float = 10.0) -> list[str]:
    with connect(warehouse, read_only=True, lock_timeout=lock_timeout) as con:
        return [r[0] for r in con.execute("SELECT metric FROM metrics ORDER BY metric").fetchall()]


def sparkline(values: list[float]) -> str:
    """One block character per value, scaled between the series' min and max."""
    if not values:
        return ""
    lo, hi = min(values), max(values)
    if hi == lo:
        return SPARK[len(SPARK) // 2] * len(values)
    return "".join(SPARK[round((v - lo) / (hi - lo) * (len(SPARK) - 1))] for v in values)


def period_label(p: Point) -> str:
    if p.period_start == p.period_end:
        return f"as of {p.period_start.isoformat()}"
    if p.period_start.month == 1 and p.period_start.day == 1 and p.period_start.year == p.period_end.year:
        if not p.is_partial:
            return str(p.period_start.year)
        if p.months:
            return f"{p.period_start.year} (Jan–{p.period_end.strftime('%b')}, {p.months} mo)"
        return f"{p.period_start.year} (to {p.period_end.strftime('%d %b')})"
    return f"{p.period_start.isoformat()}..{p.period_end.isoformat()}"


def plot(series: list[Series], path: str | os.PathLike[str]) -> Path:
    """Draw each metric over time to a PNG or SVG file (format from the suffix)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise PlotUnavailable("charts need matplotlib: pip install 'kkru-etl[plot]'") from exc
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg"):
        raise EtlError(f"{out}: the chart file must end in .png or .svg")
    fig, ax = plt.subplots(figsize=(9, 5))
    try:
        for s in series:
            full = [p for p in s.points if not p.is_partial and p.period_start != p.period_end]
            partial = [p for p in s.points if p.is_partial and p.period_start != p.period_end]
            if full:
                # matplotlib's stubs do not list dates, which it plots through its unit converters.
                ax.plot([p.period_end for p in full], [p.value for p in full], marker="o", label=s.metric)  # type: ignore[arg-type]
            if partial:
                # Partial years are drawn apart, hollow: 10 months are not a year.
                ax.plot(
                    [p.period_end for p in partial],  # type: ignore[arg-type]
                    [p.value for p in partial],
                    marker="o",
                    linestyle="none",
                    markerfacecolor="none",
                    label=f"{s.metric} (partial year)",
                )
        ax.set_xlabel("end of period")
        ax.set_ylabel("value")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
        fig.tight_layout()
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out)
    finally:
        plt.close(fig)
    return out
