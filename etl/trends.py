"""Time series for analysts: read the `trends` view, draw a chart.

Everything here reads the warehouse read-only; it never blocks an ingest for
longer than one query.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

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
    series: str | None = None  # the series key behind the metric (the metric itself when no catalogue names it)


def read_trends(
    warehouse: str | os.PathLike[str], metric: str | None = None, since: int | None = None, lock_timeout: float = 10.0
) -> list[Series]:
    """Every metric's series (or one metric's), oldest period first."""
    sql = """
        SELECT t.metric, m.description, coalesce(m.unit, t.unit), t.period_start, t.period_end, t.value,
               t.months, t.is_partial, t.n_letters, t.disagree, t.letter_date, t.series
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
    for m, desc, unit, start, end, value, months, partial, n, disagree, letter_date, key in rows:
        series = out.setdefault(m, Series(m, desc, unit, series=key))
        series.points.append(Point(start, end, value, months, bool(partial), n, bool(disagree), letter_date))
    return list(out.values())


def known_metrics(warehouse: str | os.PathLike[str], lock_timeout: float = 10.0) -> list[str]:
    """Catalogue metrics and the metrics of [[series]] entries."""
    with connect(warehouse, read_only=True, lock_timeout=lock_timeout) as con:
        sql = "SELECT metric FROM metrics UNION SELECT metric FROM series_metrics ORDER BY metric"
        return [r[0] for r in con.execute(sql).fetchall()]


@dataclass(frozen=True)
class SeriesInfo:
    """One discovered series, as `etl series` lists it."""

    series: str
    metric: str | None  # the catalogue's name, if it has one
    figures: int  # kk/ru pairs keyed with it
    unit: str | None
    periods: list[tuple[date, date]]
    letters: int
    label_ru: str | None
    label_kk: str | None
    example_ru: str | None
    example_kk: str | None


def read_series(warehouse: str | os.PathLike[str], lock_timeout: float = 10.0) -> list[SeriesInfo]:
    """Every series the letters have stated, most stated first."""
    sql = """
        WITH f AS (
            SELECT p.series, p.doc_id, p.metric, coalesce(r.unit, k.unit) AS unit,
                   coalesce(r.period_start, k.period_start) AS period_start,
                   coalesce(r.period_end, k.period_end) AS period_end,
                   r.context AS ru_context, k.context AS kk_context,
                   r.series_label AS ru_label, k.series_label AS kk_label
            FROM figure_pairs AS p
            LEFT JOIN figures AS r ON r.doc_id = p.doc_id AND r.figure_id = p.ru_figure_id
            LEFT JOIN figures AS k ON k.doc_id = p.doc_id AND k.figure_id = p.kk_figure_id
            WHERE p.series IS NOT NULL
        )
        SELECT f.series, coalesce(any_value(sm.metric), mode(f.metric)), count(*), mode(f.unit),
               list(DISTINCT struct_pack(s := f.period_start, e := f.period_end))
                   FILTER (WHERE f.period_start IS NOT NULL),
               count(DISTINCT f.doc_id), mode(f.ru_label), mode(f.kk_label), min(f.ru_context), min(f.kk_context)
        FROM f LEFT JOIN series_metrics AS sm ON sm.series = f.series
        GROUP BY f.series
        ORDER BY count(*) DESC, f.series
    """
    with connect(warehouse, read_only=True, lock_timeout=lock_timeout) as con:
        try:
            rows = con.execute(sql).fetchall()
        except duckdb.Error as err:
            raise EtlError(f"{warehouse}: cannot read series ({err})") from err
    return [
        SeriesInfo(
            series=key,
            metric=metric,
            figures=int(n),
            unit=unit,
            periods=sorted((p["s"], p["e"]) for p in (periods or [])),
            letters=int(letters),
            label_ru=label_ru,
            label_kk=label_kk,
            example_ru=ex_ru,
            example_kk=ex_kk,
        )
        for key, metric, n, unit, periods, letters, label_ru, label_kk, ex_ru, ex_kk in rows
    ]


def _parts(key: str) -> tuple[str, str]:
    """(measure, label and dimension) of a series key."""
    measure, _, rest = key.partition("/")
    if not rest:
        i = min([j for j in (measure.find("["), measure.find(" (")) if j >= 0] or [len(measure)])
        measure, rest = measure[:i], measure[i:]
    else:
        rest = "/" + rest
    return measure, rest


def _narrows(longer: list[str], shorter: list[str]) -> bool:
    """Whether `longer` is `shorter` with adjectives or participles put in front."""
    from .figures import is_modifier

    n = len(longer) - len(shorter)
    return n > 0 and longer[n:] == shorter and all(is_modifier(w) for w in longer[:n])


def _measure_words(measure: str) -> list[str]:
    # The figures package (its number words and patterns) only for --suggest.
    from .figures import COUNTERS

    words = measure.split("_")
    # "дом_человек" counts houses in people: the counter is no part of the measure.
    while len(words) > 1 and words[-1] in COUNTERS:
        words.pop()
    return words


def suggest(series: list[SeriesInfo]) -> list[tuple[str, list[str]]]:
    """Groups of series that look like one measure: the same unit, label and
    breakdown, and one measure the other narrowed by adjectives or participles
    in front of it ("правонарушение" and "уголовный_правонарушение",
    "проект" and "инвестиционный_проект"), a counting word at the end left
    out. A noun in front is another measure ("снижение_объем" is not
    "объем"), and so is a noun after ("лист_лавр" is not "лист"). (metric
    name, keys)."""
    groups: list[list[SeriesInfo]] = []
    heads: list[tuple[str, list[str]]] = []  # per group, its first key's (label and dimension, measure words)
    for s in sorted(series, key=lambda s: (-s.figures, s.series)):
        measure, rest = _parts(s.series)
        words = _measure_words(measure)
        for g, (r0, w0) in zip(groups, heads):
            if g[0].unit != s.unit or r0 != rest:
                continue
            if s.metric and g[0].metric and s.metric != g[0].metric:
                continue  # the catalogue already tells them apart
            if words == w0 or _narrows(words, w0) or _narrows(w0, words):
                g.append(s)
                break
        else:
            groups.append([s])
            heads.append((rest, words))
    out = []
    for g in groups:
        if len(g) < 2 or len({s.series for s in g}) < 2:
            continue
        named = next((s.metric for s in g if s.metric and s.metric != s.series), None)
        name = named or re.sub(r"\W+", "_", min((s.series for s in g), key=len)).strip("_")
        out.append((name, [s.series for s in g]))
    return out


def suggestion_toml(groups: list[tuple[str, list[str]]]) -> str:
    """Catalogue entries, ready to paste into metrics.toml."""
    lines: list[str] = []
    for name, keys in groups:
        lines += ["[[series]]", f'metric = "{name}"', "series = [" + ", ".join(f'"{k}"' for k in keys) + "]", ""]
    return "\n".join(lines)


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


def _label(text: str) -> str:
    # A "$" would start matplotlib's math mode (and can fail the drawing).
    return text.replace("$", r"\$")


_MARKERS = "osD^vP*X"


def _styles(n: int) -> list[tuple[Any, str]]:
    """(colour, marker) for n series, no two alike: the ten colours of tab10,
    then the same colours with another marker, so neighbours never share a hue."""
    from matplotlib import colormaps

    tab10 = colormaps["tab10"]
    return [(tab10(i % 10), _MARKERS[(i // 10) % len(_MARKERS)]) for i in range(n)]


def plot(series: list[Series], path: str | os.PathLike[str]) -> Path:
    """Draw each metric over time (see `chart`) to a PNG or SVG file (format from the suffix)."""
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg"):
        raise EtlError(f"{out}: the chart file must end in .png or .svg")
    fig = chart(series)
    import matplotlib.pyplot as plt

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # SVG text stays text (searchable, selectable), not outlines.
        with plt.rc_context({"svg.fonttype": "none"}):
            fig.savefig(out, bbox_inches="tight", dpi=100)
    finally:
        plt.close(fig)
    return out


def chart(series: list[Series]) -> Any:
    """The matplotlib Figure of `series` (the caller closes it).

    Each value sits at its period's start (2015's value at 2015). Full
    periods are joined by a line; a partial period (10 months of a year) is a
    hollow marker with a dashed bar over the months it covers, never joined
    to the full years; a stock figure (as of a date) is a lone marker at that
    date. Series differ by colour, and past ten by marker too. The y-axis
    starts at zero when no value is negative; the legend sits outside the
    plot, so it covers nothing.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
    except ImportError as exc:
        raise PlotUnavailable(PLOT_NEEDS) from exc
    drawn = [s for s in series if s.points]
    # Room for the legend on the right: one line per series.
    height = max(5.0, 0.26 * len(drawn) + 1.5)
    fig, ax = plt.subplots(figsize=(11 if len(drawn) > 1 else 9, height))
    try:
        values: list[float] = []
        any_partial = any_stock = False
        for s, (colour, marker) in zip(drawn, _styles(len(drawn))):
            full = [p for p in s.points if not p.is_partial and p.period_start != p.period_end]
            partial = [p for p in s.points if p.is_partial and p.period_start != p.period_end]
            stock = [p for p in s.points if p.period_start == p.period_end]
            values += [p.value for p in s.points]
            # One legend entry per series, on whatever is drawn first.
            label: dict[str, str] = {"label": _label(s.metric)}
            if full:
                # matplotlib's stubs do not list dates, which it plots through its unit converters.
                ax.plot(
                    [p.period_start for p in full],  # type: ignore[arg-type]
                    [p.value for p in full],
                    marker=marker,
                    color=colour,
                    **label,  # type: ignore[arg-type]
                )
                label = {}
            if stock:
                any_stock = True
                ax.plot(
                    [p.period_start for p in stock],  # type: ignore[arg-type]
                    [p.value for p in stock],
                    marker=marker,
                    linestyle="none",
                    color=colour,
                    **label,  # type: ignore[arg-type]
                )
                label = {}
            for p in partial:
                any_partial = True
                ax.plot([p.period_start, p.period_end], [p.value, p.value], color=colour, linestyle="--", linewidth=1)  # type: ignore[arg-type]
                ax.plot(
                    [p.period_start],  # type: ignore[arg-type]
                    [p.value],
                    marker=marker,
                    linestyle="none",
                    markerfacecolor="white",
                    color=colour,
                    **label,  # type: ignore[arg-type]
                )
                label = {}
        if len(drawn) == 1:
            s = drawn[0]
            title = s.metric + (f" — {s.description}" if s.description else "")
        else:
            title = f"{len(drawn)} metrics by period (value of the latest letter)"
        ax.set_title(_label(title), loc="left")
        units = sorted({s.unit for s in drawn if s.unit})
        ax.set_ylabel(_label(", ".join(units)) if units else "value")
        ax.set_xlabel("period (each value at the start of its period)")
        if values and min(values) >= 0:
            ax.set_ylim(bottom=0, top=max(values) * 1.08 or 1)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.grid(True, alpha=0.3)
        handles, _ = ax.get_legend_handles_labels()
        if any_partial:
            handles.append(
                Line2D([], [], color="grey", marker="o", markerfacecolor="white", linestyle="--", label="partial period (the months it covers)")
            )
        if any_stock:
            handles.append(Line2D([], [], color="grey", marker="o", linestyle="none", label="stock: a lone point, as of a date"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    except BaseException:
        plt.close(fig)
        raise
    return fig


PLOT_NEEDS = "--plot needs matplotlib, which is not installed: pip install 'kkru-etl[plot]'"


def can_plot() -> bool:
    """Whether the charting library is installed (checked before any output)."""
    import importlib.util

    return importlib.util.find_spec("matplotlib") is not None
