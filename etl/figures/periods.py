"""Which period a statistic covers, resolved against the letter's date.

A figure takes the nearest period stated before it in its paragraph: an
explicit year ("в 2015 году", "2015 жылы"), a year range, or a relative period
("за 10 месяцев т.г.", "ағымдағы жылғы 10 айда", "за прошлый год", "өткен
жылы", "с начала т.г."). Partial periods keep their length in months, so ten
months are never compared with twelve by accident.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from ..models import Lang, NumberToken
from .compounds import roman_value

# Kinds that describe an amount over a period (the rest are dates, years,
# references and identifiers, which have no period of their own).
PERIOD_KINDS = frozenset({"statistic", "count", "money", "ratio"})


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    months: int | None
    is_partial: bool
    # A year a figure is compared with ("по сравнению с 2022 годом", "2022
    # жылмен салыстырғанда"): the period of a bracketed number after it, not
    # of the figures that follow.
    compared: bool = False


# A year named as the base of a comparison.
_COMPARE_BEFORE = {
    "ru": re.compile(r"(?:по\s+сравнению\s+с|в\s+сравнении\s+с|относительно|против|чем\s+в|к\s+уровню)\s*$", re.I),
    "kk": re.compile(r"(?!x)x"),
}
_COMPARE_AFTER = {
    "ru": re.compile(r"(?!x)x"),
    "kk": re.compile(r"[-‑]?\w*\s+(?:салыстырғанда|салыстырмалы|қарағанда)", re.I),
}
# "с 2012 года", "2012 жылдан бастап": since then, every year; no period of its own.
_SINCE_BEFORE = {"ru": re.compile(r"(?:\bс|\bначиная\s+с)\s*$", re.I), "kk": re.compile(r"(?!x)x")}
_SINCE_AFTER = {"ru": re.compile(r"(?!\s*(?:по|до|[-‑–—]))", re.I), "kk": re.compile(r"\s+бастап", re.I)}
# A date a stock is counted on: "на 1 января 2024 года", "по состоянию на
# 01.01.2024", "2024 жылғы 1 қаңтардағы жағдай бойынша".
_AS_OF_BEFORE = {"ru": re.compile(r"\bна\s*$", re.I), "kk": re.compile(r"(?!x)x")}
_AS_OF_AFTER = {"ru": re.compile(r"(?!x)x"), "kk": re.compile(r"\s*(?:жағдай|күй)\w*", re.I)}


def _date_of(value: float) -> date | None:
    v = int(value)
    y, m, d = v // 10000, v // 100 % 100, v % 100
    try:
        return date(y, m, d) if y >= 1900 and m and d else None
    except ValueError:
        return None


def _year(y: int, letter_date: date | None) -> Period:
    start, end = date(y, 1, 1), date(y, 12, 31)
    if letter_date and letter_date.year == y and letter_date < end:
        # "в 2017 году" in a letter of 13.11.2017: only the year so far.
        return Period(start, letter_date, None, True)
    return Period(start, end, 12, False)


def _first_months(y: int, n: int) -> Period | None:
    if not 1 <= n <= 12:
        return None
    end = date(y, n, calendar.monthrange(y, n)[1])
    return Period(date(y, 1, 1), end, n, n < 12)


def _year_to_date(letter_date: date) -> Period:
    return Period(date(letter_date.year, 1, 1), letter_date, None, True)


_THIS_YEAR_RU = r"(?:т\.\s?г\.?|текущего\s+года|этого\s+года)"
_RELATIVE: dict[str, list[tuple[re.Pattern[str], str]]] = {
    "ru": [
        (re.compile(rf"\bза\s+(\d{{1,2}})\s+месяц\w*\s+(?:{_THIS_YEAR_RU}|(\d{{4}})\s*г)", re.I), "months"),
        (re.compile(rf"\bс\s+начала\s+(?:{_THIS_YEAR_RU}|года)", re.I), "ytd"),
        (re.compile(r"\b(?:за|в)\s+прошл\w+\s+год\w*", re.I), "last_year"),
        (re.compile(rf"\bв\s+(?:{_THIS_YEAR_RU}|текущем\s+году|этом\s+году)", re.I), "ytd"),
    ],
    "kk": [
        (re.compile(r"\bағымдағы\s+жыл\w*\s+(\d{1,2})\s+ай\w*", re.I), "months"),
        # "2018 жылғы 9 айда": the first nine months of 2018.
        (re.compile(r"\b(\d{4})\s+жылғы\s+(\d{1,2})\s+ай\w*", re.I), "year_months"),
        (re.compile(r"\b(?:ағымдағы\s+)?жыл\w*\s+басынан", re.I), "ytd"),
        (re.compile(r"\bөткен\s+жыл\w*", re.I), "last_year"),
        (re.compile(r"\bағымдағы\s+жылы\b", re.I), "ytd"),
    ],
}


def period_markers(
    text: str, lang: Lang, tokens: Sequence[NumberToken], letter_date: date | None
) -> list[tuple[int, int, Period]]:
    """(start, end, period) of every period stated in a paragraph, in text order."""
    marks: list[tuple[int, int, Period]] = []
    toks = list(tokens)
    for i, tok in enumerate(toks):
        if tok.kind == "year" and 1900 <= tok.value <= 2100:
            before = text[max(0, tok.start - 30) : tok.start]
            after = text[tok.end : tok.end + 40]
            year_period = _year(int(tok.value), letter_date)
            if _COMPARE_BEFORE[lang].search(before) or _COMPARE_AFTER[lang].match(after):
                year_period = replace(year_period, compared=True)
            elif (lang == "ru" and _SINCE_BEFORE["ru"].search(before) and _SINCE_AFTER["ru"].match(after)) or (
                lang == "kk" and _SINCE_AFTER["kk"].match(after)
            ):
                continue
            marks.append((tok.start, tok.end, year_period))
        elif tok.kind == "date" and (day := _date_of(tok.value)) is not None:
            if _AS_OF_BEFORE[lang].search(text[max(0, tok.start - 8) : tok.start]) or _AS_OF_AFTER[lang].match(
                text[tok.end : tok.end + 20]
            ):
                marks.append((tok.start, tok.end, Period(day, day, None, True)))
        elif tok.kind == "year_range" and i + 1 < len(toks) and toks[i + 1].kind == "year_range":
            if tok.start < toks[i + 1].start and toks[i + 1].value > tok.value:
                y0, y1 = int(tok.value), int(toks[i + 1].value)
                end = _year(y1, letter_date)
                marks.append(
                    (tok.start, toks[i + 1].end, Period(date(y0, 1, 1), end.end, None if end.is_partial else 12 * (y1 - y0 + 1), end.is_partial))
                )
    if letter_date is not None:
        for pattern, what in _RELATIVE[lang]:
            for m in pattern.finditer(text):
                period: Period | None
                if what == "year_months":
                    period = _first_months(int(m.group(1)), int(m.group(2)))
                elif what == "months":
                    year = int(m.group(2)) if m.lastindex and m.lastindex >= 2 and m.group(2) else letter_date.year
                    period = _first_months(year, int(m.group(1)))
                elif what == "ytd":
                    period = _year_to_date(letter_date)
                else:
                    period = _year(letter_date.year - 1, None)
                if period:
                    marks.append((m.start(), m.end(), period))
    # Where two readings start at one place, the longer wins ("2018 жылғы 9
    # айда" is nine months, not the year 2018).
    marks.sort(key=lambda t: (t[0], -t[1]))
    # A phrase already claimed by an earlier, longer pattern is not counted twice.
    out: list[tuple[int, int, Period]] = []
    for s, e, p in marks:
        if out and s < out[-1][1]:
            continue
        out.append((s, e, p))
    return out


def names_or_ranks(text: str, tok: NumberToken) -> bool:
    """Whether a number names or ranks something instead of counting over a period.

    A Roman ordinal ("X юбилейная церемония", "ІІ дәрежелі") ranks, and a year
    joined to a name by a hyphen ("Award.kz-2012", "Алматы-2022") is part of
    the name: neither is an amount of the year its sentence names, so neither
    takes that year as a period. (A year typed wrong is then one finding, not
    one more for every ordinal after it.)
    """
    if tok.from_words and roman_value(tok.surface) is not None:
        return True
    return tok.start >= 2 and text[tok.start - 1] in "-‑" and text[tok.start - 2].isalpha()


def period_of(
    start: int,
    markers: Sequence[tuple[int, int, Period]],
    sentence: tuple[int, int] | None = None,
    text: str = "",
) -> Period | None:
    """The period a figure at `start` covers.

    The period stated last before it, skipping years named only as the base
    of a comparison; a number in brackets after such a year, in its sentence,
    is that year's ("по сравнению с 2022 годом (4018)"). With no period
    before it in its sentence, a period stated after it in the same sentence
    ("1250 врачей на 1 января 2024 года") wins over one carried from an
    earlier sentence.
    """
    found: Period | None = None
    found_at = -1
    for s, e, p in markers:
        if e > start:
            break
        if _aside(text, s, start):
            continue  # "(в 2021 году – 16 400 тонн)": a period in brackets stays in them
        if p.compared:
            in_sentence = sentence is None or s >= sentence[0]
            if in_sentence and text and "(" in text[e:start] and ")" not in text[text.rfind("(", e, start) : start]:
                found, found_at = p, s
            continue
        found, found_at = p, s
    if sentence is not None and found_at < sentence[0]:
        for s, e, p in markers:
            if s >= start and e <= sentence[1] and not p.compared:
                return p
    if found is not None and found.compared:
        return replace(found, compared=False)
    return found


def _aside(text: str, pos: int, start: int) -> bool:
    """Whether `pos` is inside brackets that close before `start`."""
    if not text:
        return False
    o = text.rfind("(", 0, pos)
    if o < 0 or text.find(")", o, pos) >= 0:
        return False
    c = text.find(")", pos)
    return 0 <= c < start


def as_of(letter_date: date) -> Period:
    """A head count or stock reported "as of" the letter's date."""
    return Period(letter_date, letter_date, None, True)
