"""Table cells become figures: value, the header's scale and unit, the column's year.

A cell holds a number ("3 412,6", "401 066", "12,5 %", "-5"), or no value:
empty, a dash or "х" (what statistical tables print for "not applicable").
No value is not zero: such a cell gives no figure.

The scale and unit come from the words around the cell, the nearest first:
its row label ("Сүт, мың тонна"), its column header, the header of the label
column ("Көрсеткіш, млн теңге") and the table's title. "мың" / "тыс." is
1 000, "млн" 1 000 000, "млрд" 10^9; "тонна"/"тонн" is t, "теңге"/"тенге"
KZT (the figure is then money), "%"/"пайыз"/"процент" percent,
"адам"/"человек" persons, "гектар"/"га" ha. So `3 412,6` under
`мың тонна` is value 3412.6, scale 1000, unit t: 3 412 600 t.

A year in the column header ("2021", "2021 жыл", "2021 г.") is the
figure's period (the whole year; up to the letter's date in the letter's own
year); a year as the row label works the same way for tables with years as
rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from ..models import Figure, FigureKind, Table
from .series import SERIES_KINDS, table_series

_CELL = re.compile(r"^(?P<sign>[-−])?\s?(?P<num>\d[\d \u00a0\u202f]*(?:[.,]\d+)?)\s?(?P<pct>%)?$")
_SCALES = (
    (re.compile(r"\b(?:мың|тыс)(?:\.|\b)", re.I), 1e3),
    (re.compile(r"\bмлн(?:\.|\b)|\bмиллион", re.I), 1e6),
    (re.compile(r"\bмлрд(?:\.|\b)|\bмиллиард", re.I), 1e9),
    (re.compile(r"\bтрлн(?:\.|\b)|\bтриллион", re.I), 1e12),
)
_UNITS = (
    (re.compile(r"\bте[ңн]ге\w*|\bтг\.?(?=\s|$|,)", re.I), "KZT"),
    (re.compile(r"\bтонн\w*", re.I), "t"),
    (re.compile(r"%|\bпайыз\w*|\bпроцент\w*", re.I), "percent"),
    (re.compile(r"\bадам\b|\bчеловек\w*|\bчел\.", re.I), "person"),
    (re.compile(r"\bгектар\w*|\bга\b", re.I), "ha"),
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def cell_value(text: str) -> tuple[float, bool] | None:
    """(value, percent sign) of a cell, or None for no value."""
    m = _CELL.match(text.strip())
    if not m:
        return None
    digits = re.sub(r"[ \u00a0\u202f]", "", m.group("num")).replace(",", ".")
    try:
        value = float(digits)
    except ValueError:
        return None
    if m.group("sign"):
        value = -value
    return value, bool(m.group("pct"))


def scale_unit(texts: Iterable[str]) -> tuple[float, str | None]:
    """The scale and unit the first of `texts` naming them states."""
    scale: float | None = None
    unit: str | None = None
    for text in texts:
        if scale is None:
            scale = next((s for rx, s in _SCALES if rx.search(text)), None)
        if unit is None:
            unit = next((u for rx, u in _UNITS if rx.search(text)), None)
        if scale is not None and unit is not None:
            break
    return scale or 1.0, unit


def _year_of(label: str) -> int | None:
    years = _YEAR.findall(label)
    # "2019-2021" spans years: no single period.
    return int(years[0]) if len(years) == 1 else None


def _period(year: int, letter_date: date | None) -> tuple[date, date]:
    end = date(year, 12, 31)
    if letter_date is not None and letter_date.year == year:
        end = letter_date
    return date(year, 1, 1), end


def build_cell_figures(doc_id: str, tables: Iterable[Table], letter_date: date | None = None) -> list[Figure]:
    """One figure per cell that holds a number, in row order."""
    out: list[Figure] = []
    for t in tables:
        for r, row in enumerate(t.rows, start=1):
            label = row[0] if row else ""
            for c in range(1, len(row)):
                parsed = cell_value(row[c])
                if parsed is None:
                    continue
                value, pct = parsed
                head = t.header[c] if c < len(t.header) else ""
                scale, unit = scale_unit([label, head, t.header[0] if t.header else "", t.title])
                if pct:
                    unit, scale = "percent", 1.0
                kind: FigureKind = "money" if unit == "KZT" else "statistic"
                year = _year_of(head) or (_year_of(label) if not _year_of(head) else None)
                start, end = _period(year, letter_date) if year else (None, None)
                surface = row[c].strip()
                # A Russian cell is keyed from its table's words; a Kazakh one
                # takes its pair's key (etl.align) and keeps its own label.
                skey = table_series(t.title, label, unit) if t.lang == "ru" and kind in SERIES_KINDS else None
                context = f"{t.title + ': ' if t.title else ''}{label} — {head}: {surface}"
                out.append(
                    Figure(
                        figure_id=f"{doc_id[:16]}-{t.lang}-{t.part}-t{t.table_no}-{r}-{c + 1}",
                        doc_id=doc_id,
                        lang=t.lang,
                        part=t.part,
                        para_no=t.para_no,
                        page=t.row_pages[r - 1] if r <= len(t.row_pages) else t.page,
                        surface=surface,
                        value=value,
                        scale=scale,
                        unit=unit,
                        kind=kind,
                        metric=None,
                        period_start=start,
                        period_end=end,
                        context=context,
                        table_no=t.table_no,
                        row_no=r,
                        col_no=c + 1,
                        row_label=label,
                        col_label=head,
                        series=skey.key if skey else None,
                        series_label=skey.label if skey else (f"{t.title} — {label}" if t.title else label) or None,
                    )
                )
    return out
