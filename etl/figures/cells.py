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
rows; months of a year ("9 месяцев 2023 г.", "январь–сентябрь 2023",
"2023 жылғы 9 айы") run from the first month's first day to the last's last. A date in the header ("на 1 января 2024 г.", "2024 жылғы 1
қаңтарға", "01.01.2024") is the day a stock is counted on: start = end. A
header comparing two years ("2023 к 2022, %", "2023 / 2022", "2022 жылға
қарағанда 2023 жыл") is the later statement's: the year after "к" or "/", or
the Kazakh year in the dative or before "қарағанда", is only the base. Two
years joined by a dash ("2019–2021") span years: no single period. A table
whose header and rows name no period takes the one its title names ("за 2023
год"). A percent has no scale: "%" under a title in "млрд тенге" is 1 %, not
a billion.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date

from ..models import Figure, FigureKind, Lang, Table
from .patterns import MONTH_ANY, MONTH_WORD, month_no
from .reader import read_numbers
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


# What joins two years in a header: a comparison (the second is the base) or a span.
_BASE_AFTER = re.compile(r"^\s*(?:г\.|гг\.|года?|ж\.|жыл)?\s*(?:в\s*%\s*)?(?:к|/|против|vs\.?|относительно|по\s+сравнению\s+с)\s*$", re.IGNORECASE)
_SPAN = re.compile(r"^\s*(?:г\.|ж\.)?\s*[-‐‑‒–—]\s*$|^\s*(?:г\.|ж\.)?\s*(?:по|до)\s*$")
# Kazakh names the base in the dative ("2022 жылға", "2022 ж-ға") or before "қарағанда".
_KK_BASE = re.compile(r"^\s*(?:жыл\w*|ж\.?)?\s*[-‑]?(?:ға|ге|қа|ке|на|не)\b|^\s*(?:жыл\w*|ж\.?)?\s*(?:қарағанда|салыстырғанда)", re.IGNORECASE)


# Months of a year: "9 месяцев 2023 г.", "9 мес. 2023", "2023 жылғы 9 ай" (the
# first nine), "январь–сентябрь 2023 г.", "2023 жылғы қаңтар–қыркүйек".
_MONTHS = re.compile(rf"(?<![\d.,])(\d{{1,2}})\s*{MONTH_WORD}", re.IGNORECASE)
_MONTH_SPAN = re.compile(rf"{MONTH_ANY}\s*[-‐‑‒–—]\s*{MONTH_ANY}", re.IGNORECASE)


def _months(text: str, year: int) -> tuple[date, date] | None:
    first, last = 1, 0
    if m := _MONTHS.search(text):
        last = int(m.group(1))
    elif span := _MONTH_SPAN.search(text):
        first, last = month_no(span.group(1) or span.group(2), True), month_no(span.group(3) or span.group(4), True)
    if not 1 <= first <= last <= 12 or (first, last) == (1, 12):
        return None
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def header_period(text: str, lang: Lang, letter_date: date | None = None) -> tuple[date, date] | None:
    """The period a column header (or a row label) gives the cells under it, or None."""
    dates = [t for t in read_numbers(text, lang) if t.kind == "date"]
    if len(dates) == 1:
        v = int(dates[0].value)
        try:
            day = date(v // 10000, v // 100 % 100, v % 100)
        except ValueError:
            day = None
        if day is not None:
            return day, day
    years = list(_YEAR.finditer(text))
    if len(years) == 1:
        return _months(text, int(years[0].group(1))) or _period(int(years[0].group(1)), letter_date)
    if len(years) != 2:
        return None
    a, b = years
    between = text[a.end() : b.start()]
    if _SPAN.match(between):
        return None
    if _BASE_AFTER.match(between) or _KK_BASE.match(text[b.end() :]):
        return _period(int(a.group(1)), letter_date)
    if _KK_BASE.match(between):
        return _period(int(b.group(1)), letter_date)
    return None


def _period(year: int, letter_date: date | None) -> tuple[date, date]:
    end = date(year, 12, 31)
    if letter_date is not None and letter_date.year == year:
        end = letter_date
    return date(year, 1, 1), end


def build_cell_figures(doc_id: str, tables: Iterable[Table], letter_date: date | None = None) -> list[Figure]:
    """One figure per cell that holds a number, in row order."""
    out: list[Figure] = []
    for t in tables:
        title_period = header_period(t.title, t.lang, letter_date) if t.title else None
        # A header's period, and a row label's, are read once, not per cell.
        column_periods = [header_period(head, t.lang, letter_date) for head in t.header]
        for r, row in enumerate(t.rows, start=1):
            label = row[0] if row else ""
            label_period = header_period(label, t.lang, letter_date)
            for c in range(1, len(row)):
                parsed = cell_value(row[c])
                if parsed is None:
                    continue
                value, pct = parsed
                head = t.header[c] if c < len(t.header) else ""
                scale, unit = scale_unit([label, head, t.header[0] if t.header else "", t.title])
                if pct:
                    unit = "percent"
                if unit == "percent":
                    scale = 1.0
                kind: FigureKind = "money" if unit == "KZT" else "statistic"
                period = (column_periods[c] if c < len(column_periods) else None) or label_period or title_period
                start, end = period or (None, None)
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
