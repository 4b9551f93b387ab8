"""Numbers joined in one phrase share what only one of them says.

"в 2015 и 2016 г.г.", "от 3 до 5 лет", "ст. 190 и 191", "с 24 по 26
сентября": the reader (`reader.read_numbers`) reads each number alone; here
a bare number takes the kind, unit or scale of the number it is joined to,
and a date without its year the year of its neighbour.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .reader import _Tok as Tok


def is_year(digits: str) -> bool:
    """Four digits read as a year with nothing after them to say so."""
    return len(digits) == 4 and 1900 <= int(digits) <= 2100


_JOIN_YEAR = re.compile(r"\s*(?:,|и|или|до|по|және|мен|немесе|[-–—])\s*$", re.I)
_JOIN_DURATION = re.compile(r"\s*(?:и|или|до|және|мен|немесе|[-–—])\s*$", re.I)
_JOIN_AMOUNT = re.compile(r"\s*(?:до|[-–—])\s*$", re.I)
# Joins after a legal marker ("ст.ст. 190, 191", "ст. 190 и 191"): the reader
# gives a marker its list join, and the list after it is read as references.
JOIN_LEGAL = re.compile(r"\s*(?:,|и|или|және|мен|немесе)\s*$", re.I)
JOIN_AND = re.compile(r"\s*(?:и|или)\s*$", re.I)


def coordinate(text: str, toks: list[Tok]) -> None:
    """A bare number joined to the next one takes its kind: "в 2015 и 2016 г.г.".

    Years and legal references carry along a list ("2015, 2016 и 2017 годах");
    durations and amounts only reach the number right before them ("от 3 до 5
    лет", "от 5 до 10 млн."), so "12, 13 и 3,6 млн" leaves 12 and 13 alone.
    """
    inherited: set[int] = set()
    for i in range(len(toks) - 2, -1, -1):
        a, b = toks[i], toks[i + 1]
        gap = text[a.end : b.start]
        if not a.bare or len(gap) > 12:
            continue
        digits = text[a.start : a.end]
        chained = i + 1 in inherited
        if b.kind in ("year", "year_range") and _JOIN_YEAR.match(gap) and is_year(digits):
            if re.search(r"[-–—]", gap):
                a.kind = b.kind = "year_range"
            else:
                a.kind = b.kind
        elif b.kind == "legal_ref" and JOIN_LEGAL.match(gap):
            a.kind = "legal_ref"
        elif chained:
            continue
        elif b.kind == "duration" and _JOIN_DURATION.match(gap):
            a.kind, a.unit = "duration", b.unit
        elif b.kind in ("money", "statistic") and (b.scale != 1 or b.unit) and _JOIN_AMOUNT.match(gap):
            a.kind, a.scale, a.unit = b.kind, b.scale, b.unit
        else:
            continue
        a.bare = False
        inherited.add(i)
    _coordinate_dates(text, toks)
    # "ст. 190 и 191", "ст.ст. 190, 191": the marker carries on to the list after it.
    for a, b in zip(toks, toks[1:]):
        if a.heads_list and b.bare and a.heads_list.match(text[a.end : b.start]):
            b.kind, b.bare, b.heads_list = "legal_ref", False, a.heads_list


_JOIN_DAYS = re.compile(r"\s*(?:по|до|и|,|[-–—]|және|мен)\s*$", re.I)
_JOIN_DATES = re.compile(r"\s*(?:по|до|и|,|[-–—]|және|мен|немесе|или)\s*$", re.I)


def _coordinate_dates(text: str, toks: list[Tok]) -> None:
    """Days and years shared by dates joined in one phrase.

    "с 24 по 26 сентября": a bare day before a dated day is a date of that
    month. "15 мая и 15 июля 2012 года", "2012 жылдың 15 мамырында және 15
    шілдесінде": a date without its year takes the year of the date it is
    joined to, before or after it.
    """
    for i in range(len(toks) - 2, -1, -1):
        a, b = toks[i], toks[i + 1]
        gap = text[a.end : b.start]
        if len(gap) > 8 or b.kind != "date" or b.value % 100 == 0:
            continue
        digits = text[a.start : a.end]
        if a.bare and a.kind == "statistic" and digits.isdigit() and 0 < int(digits) <= 31 and _JOIN_DAYS.match(gap):
            a.kind, a.value, a.bare = "date", b.value - b.value % 100 + int(digits), False
    for a, b in zip(toks, toks[1:]):
        if a.kind != "date" or b.kind != "date" or len(text[a.end : b.start]) > 8:
            continue
        if not _JOIN_DATES.match(text[a.end : b.start]):
            continue
        if a.value < 10000 <= b.value:
            a.value += b.value // 10000 * 10000
        elif b.value < 10000 <= a.value:
            b.value += a.value // 10000 * 10000
    for a, b in zip(reversed(toks[:-1]), reversed(toks[1:])):
        if a.kind == "date" and b.kind == "date" and a.value < 10000 <= b.value and _JOIN_DATES.match(text[a.end : b.start]):
            a.value += b.value // 10000 * 10000
