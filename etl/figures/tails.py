"""What follows a number: a case suffix, a scale word, a currency, a percent
sign, a year or a duration word, which together decide its kind, scale and
unit ("14 млн теңге", "15%-ға", "1950-х годов", "3 жыл").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import FigureKind
from . import patterns as P
from .coordination import is_year as _is_year

# Longer digit runs are codes, not amounts; they also stay far below the
# interpreter's limit on str -> int conversion.
MAX_DIGITS = 15


@dataclass
class Tail:
    end: int
    kind: FigureKind = "statistic"
    scale: float = 1.0
    unit: str | None = None
    bare: bool = True


def _is_marked_year(digits: str) -> bool:
    """With a year word after it ("1899ж.", "1812 году") any four-digit number up to 2100 is a year."""
    return len(digits) == 4 and 1000 <= int(digits) <= 2100


def read_tail(text: str, pos: int, digits: str | None, is_int: bool) -> Tail | None:
    """What follows a number at `pos`: suffix, scale, currency, percent, year or duration word.

    `digits` is the integer as written (None for decimals and words). Returns
    None when the number is glued to a word ("5G", "A320"): not a figure.
    """
    t = Tail(pos)
    m = P.SUFFIX.match(text, pos)
    if m:
        suffix = m.group(1)
        t.end, t.bare = m.end(), False
        if P.KK_LEGAL.match(suffix):
            t.kind = "legal_ref"
        elif suffix.isupper():
            t.kind = "identifier"
        elif len(suffix) <= 3:
            # "2-х тысяч" = 2000; "1950-х годов" = "1950 жылдары", the decade by its first year.
            ws = P.WS.match(text, m.end()).end()  # type: ignore[union-attr]
            scale = P.SCALE.match(text, ws)
            if scale and ws > m.end():
                return _scaled(text, scale)
            year = P.YEAR_OR_DURATION.match(text, ws)
            if year and ws > m.end() and digits and is_int and _is_year(digits) and not year.group().lower().startswith("лет"):
                return Tail(year.end(), "year", bare=False)
        return t
    if digits and P.DIMENSION.match(text, pos):
        return t  # "3х4", "4х400м": each side of a dimension is a number
    if digits and pos < len(text) and text[pos].isalpha():
        # "60м", "1500м": a unit glued to the digits.
        g = P.GLUED_UNIT.match(text, pos)
        if g and not P.YEAR_MARK_GLUED.match(text, pos):
            return Tail(g.end(), "statistic", bare=False)
    if pos < len(text) and text[pos] == "%":
        return _after_unit(text, Tail(pos + 1, "statistic", 1.0, "percent", False))
    if pos < len(text) and (text[pos].isalpha() or text[pos] in "₸$€"):
        # A year word, scale or currency typed against the digits is a
        # missing space ("в 1997году", "2015жылы", "5млн", "3000тг", "500₸");
        # any other word makes the digits part of a name ("5G").
        m = P.YEAR_MARK_GLUED.match(text, pos) or P.YEAR_WORD_GLUED.match(text, pos)
        if m and digits and _is_marked_year(digits):
            return Tail(m.end(), "year", bare=False)
        m = P.SCALE.match(text, pos)
        if m and m.group(1):
            return _scaled(text, m)
        m = P.CURRENCY.match(text, pos)
        # In lower case only: "4ТГ" is a turbogenerator's code.
        if m and not m.group()[0].isupper():
            return _after_unit(text, Tail(m.end(), "money", 1.0, _currency(m.group()), False))
        return None
    ws = P.WS.match(text, pos).end()  # type: ignore[union-attr]
    if ws == pos:
        return t
    m = P.SCALE.match(text, ws)
    if m:
        return _scaled(text, m)
    m = P.CURRENCY.match(text, ws)
    if m:
        return _after_unit(text, Tail(m.end(), "money", 1.0, _currency(m.group()), False))
    m = P.PERCENT.match(text, ws)
    if m:
        return _after_unit(text, Tail(m.end(), "statistic", 1.0, "percent", False))
    m = P.YEAR_OR_DURATION.match(text, ws)
    if m and digits and is_int and _is_marked_year(digits) and not m.group().lower().startswith("лет"):
        return Tail(m.end(), "year", bare=False)
    for pattern, unit in P.DURATION:
        m = pattern.match(text, ws)
        if m:
            return Tail(m.end(), "duration", 1.0, unit, False)
    return t


def _scaled(text: str, m: re.Match[str]) -> Tail:
    word = (m.group(1) or m.group(2)).lower()
    if word.startswith(("млрд", "миллиард")):
        scale = 1e9
    elif word.startswith(("трлн", "триллион")):
        scale = 1e12
    elif word.startswith(("млн", "миллион")):
        scale = 1e6
    else:
        scale = 1e3
    t = Tail(m.end(), "statistic", scale, None, False)
    ws = P.WS.match(text, t.end).end()  # type: ignore[union-attr]
    c = P.CURRENCY.match(text, ws)
    if c:
        t.end, t.kind, t.unit = c.end(), "money", _currency(c.group())
    return _after_unit(text, t)


def _after_unit(text: str, t: Tail) -> Tail:
    """A Kazakh case suffix after an abbreviation or sign: "15%-ға", "14 млн-нан"."""
    m = P.SUFFIX.match(text, t.end)
    if m and m.group(1).islower():
        t.end = m.end()
    return t


def _currency(word: str) -> str:
    w = word.lower()
    if w.startswith(("тең", "тен", "тг", "kzt", "₸")):
        return "KZT"
    if w.startswith("руб"):
        return "RUB"
    if w.startswith(("евро", "eur", "€")):
        return "EUR"
    return "USD"
