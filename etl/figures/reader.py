"""Scan a paragraph for numbers and decide what each one is.

The conventions (kind, value, scale, unit, surface) are set out in the
package docstring, `etl.figures`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..models import FigureKind, Lang, NumberToken
from . import patterns as P
from .compounds import find_compounds, find_roman, four_corners
from .coordination import JOIN_AND, JOIN_LEGAL, coordinate
from .coordination import is_year as _is_year
from .numwords import find_number_words
from .phones import amount_follows, labelled_phone_end, phone_at, phone_value
from .roles import role_at
from .tails import MAX_DIGITS, Tail, read_tail

_ROLE_KINDS = ("statistic", "count", "money")


@dataclass
class _Tok:
    start: int
    end: int
    value: float
    kind: FigureKind
    scale: float = 1.0
    unit: str | None = None
    bare: bool = False  # digits only, nothing after them decided the kind
    from_words: bool = False
    role_span: tuple[int, int] | None = None  # a range's roles come from its whole span
    heads_list: re.Pattern[str] | None = None  # joins that carry a legal marker on to the next number


def _int(digits: str) -> int:
    return int(digits[-MAX_DIGITS:])


def _dotted_value(parts: list[str]) -> float:
    """a.b.c -> a + 0.bbbccc: one comparable number for a hierarchical reference."""
    head = _int(parts[0])
    rest = "".join(p[-3:].zfill(3) for p in parts[1:6])
    return float(f"{head}.{rest}") if rest else float(head)


def _id_value(chain: str) -> float:
    if "/" in chain:
        after = chain.rsplit("/", 1)[1]
        return float(_int(P.DIGITS.match(after).group()))  # type: ignore[union-attr]
    nums = P.DIGITS.findall(chain)
    if len(nums) >= 3 and re.fullmatch(r"\d+(?:-\d+)+", chain):
        return float(_int("".join(nums)))
    return float(_int(nums[-1]))


def _date_value(y: int, m: int, d: int) -> float | None:
    if not (1 <= m <= 12 and 0 <= d <= 31) or not (y == 0 or 1900 <= y <= 2100):
        return None
    return float(y * 10000 + m * 100 + d)


# ---------------------------------------------------------------- handlers


def _tok_from_tail(start: int, value: float, tail: Tail) -> _Tok:
    return _Tok(start, tail.end, value, tail.kind, tail.scale, tail.unit, tail.bare)


def _at_digit(text: str, p: int) -> tuple[int, list[_Tok]] | None:
    """Every reading that starts with the digit at `p`, most specific first."""
    run = P.DIGITS.match(text, p).group()  # type: ignore[union-attr]
    if len(run) > MAX_DIGITS:
        end = p + len(run)
        return end, [_Tok(p, end, float(_int(run)), "identifier")]

    m = P.ISO_DATE.match(text, p)
    if m and (v := _date_value(int(m[1]), int(m[2]), int(m[3]))):
        return m.end(), [_Tok(p, m.end(), v, "date")]
    m = P.NUM_DATE.match(text, p)
    if m and (v := _date_value(int(m[4]), int(m[3]), int(m[1]))) and int(m[1]) > 0:
        return m.end(), [_Tok(p, m.end(), v, "date")]
    m = P.YMD_DATE.match(text, p)
    if m and (v := _date_value(int(m[1]), int(m[2]), int(m[3]))) and int(m[3]) > 0:
        return m.end(), [_Tok(p, m.end(), v, "date")]
    m = P.YY_DATE.match(text, p)
    if m and int(m[1]) > 0 and (v := _date_value(_full_year(int(m[3])), int(m[2]), int(m[1]))):
        return m.end(), [_Tok(p, m.end(), v, "date")]
    m = P.MM_YYYY.match(text, p)
    if m and (v := _date_value(int(m[2]), int(m[1]), 0)):
        return m.end(), [_Tok(p, m.end(), v, "date")]
    kk = _kk_dated(text, p)
    if kk:
        return kk
    m = P.DAY_RANGE_MONTH.match(text, p)
    if m and 0 < int(m[1]) < int(m[2]) <= 31:
        month = P.month_no(m[3] or m[4])
        y = int(m[5]) if m[5] else 0
        v1, v2 = _date_value(y, month, int(m[1])), _date_value(y, month, int(m[2]))
        if v1 and v2:
            return m.end(), [_Tok(p, m.end(1), v1, "date"), _Tok(m.start(2), m.end(), v2, "date")]
    m = P.DAY_MONTH.match(text, p)
    if m and int(m[1]) > 0:
        month = P.month_no(m[2] or m[3])
        y = int(m[4]) if m[4] else 0
        v = _date_value(y, month, int(m[1]))
        if v:
            return m.end(), [_Tok(p, m.end(), v, "date")]
    m = P.DAY_CAP_MONTH_YEAR.match(text, p)
    if m and int(m[1]) > 0 and (v := _date_value(int(m[3]), P.month_no(m[2], capital_ok=True), int(m[1]))):
        return m.end(), [_Tok(p, m.end(), v, "date")]
    m = P.TIME_COLON.match(text, p)
    if m:
        return _time(text, p, m)
    m = P.TIME_HYPHEN.match(text, p)
    if m and _hyphen_time(text, p, m):
        return _time(text, p, m)
    if phone := phone_at(text, p):
        start, end, digits = phone
        return end, [_Tok(start, end, phone_value(digits), "identifier")]

    m = P.ID_CHAIN.match(text, p)
    if m:
        return m.end(), [_Tok(p, m.end(), _id_value(m.group()), "identifier")]
    m = P.RATIO.match(text, p)
    if m:
        mid = m.start(2)
        return m.end(), [
            _Tok(p, mid - 1, float(_int(m[1])), "ratio"),
            _Tok(mid, m.end(), float(_int(m[2])), "ratio"),
        ]
    m = P.RANGE.match(text, p)
    if m:
        return _range(text, m)
    m = P.DOTTED.match(text, p)
    if m:
        tail = read_tail(text, m.end(), None, False)
        kind: FigureKind = "legal_ref" if tail and tail.kind == "legal_ref" else "identifier"
        end = tail.end if tail and kind == "legal_ref" else m.end()
        return end, [_Tok(p, end, _dotted_value(m.group().split(".")), kind)]
    m = P.TIME_DOT.match(text, p)
    if m and (P.TIME_BEFORE.search(text, max(0, p - 12), p) or P.TIME_AFTER.match(text, m.end())):
        return _time(text, p, m)
    return _single(text, p)


def _hyphen_time(text: str, p: int, m: re.Match[str]) -> bool:
    """Whether "9-00" is a clock time rather than the range 9 to 0 (or "10-15", ten to fifteen).

    Never before a scale, currency or percent ("по 12-00 тенге"). With an
    hour word next to it ("сағат 9-30", "в 10-30 часов") it is a time. Whole
    hours are times next to a time word or preposition ("с 9-00",
    "10-00-нан") or in a range of whole hours ("9-00 – 18-00"). Other minutes
    are times as one end of a range of such times that only the end of a
    clause, a case ending or a time word follows ("с 9-30 до 18-30");
    "с 10-15 до 20-25 человек" and "с 10-15 человек" stay ranges.
    """
    after = m.end()
    if amount_follows(text, after):
        return False
    before = text[max(0, p - 16) : p]
    if P.HOUR_WORD_BEFORE.search(before) or P.HOUR_WORD_AFTER.match(text, after):
        return True
    end = P.TIME_HYPHEN_RANGE_END.match(text, after)
    start = P.TIME_HYPHEN_RANGE_START.search(before)
    if m[2] == "00":
        return bool(
            P.TIME_BEFORE.search(before)
            or P.TIME_AFTER.match(text, after)
            or (end and end[1] == "00")
            or (start and start[1] == "00")
        )
    if end:
        return not amount_follows(text, end.end()) and _ends_a_time(text, end.end())
    if start:
        return _ends_a_time(text, after)
    return False


def _ends_a_time(text: str, pos: int) -> bool:
    return bool(P.CLAUSE_END.match(text, pos) or P.TIME_AFTER.match(text, pos))


def _full_year(yy: int) -> int:
    """A two-digit year: 00-50 this century, the rest the last one."""
    return 2000 + yy if yy <= 50 else 1900 + yy


def _time(text: str, p: int, m: re.Match[str]) -> tuple[int, list[_Tok]]:
    """A clock time: hours + minutes / 100 ("22:00" -> 22.0, "12.30" -> 12.3), unit "time"."""
    end = m.end()
    suffix = P.SUFFIX.match(text, end)
    if suffix and suffix.group(1).islower():
        end = suffix.end()
    value = int(m[1]) + int(m[2]) / 100
    return end, [_Tok(p, end, value, "statistic", 1.0, "time", False)]


def _kk_dated(text: str, p: int) -> tuple[int, list[_Tok]] | None:
    """Kazakh dates that begin with the year: "2014 жылғы 23 желтоқсанда", with day or month ranges."""
    m = P.KK_DATE.match(text, p)
    if m and int(m[2]) > 0:
        y, month = int(m[1]), P.month_no(m[4])
        v = _date_value(y, month, int(m[2]))
        if v and m[3]:
            v2 = _date_value(y, month, int(m[3]))
            if v2 and int(m[3]) > int(m[2]):
                return m.end(), [_Tok(p, m.end(2), v, "date"), _Tok(m.start(3), m.end(), v2, "date")]
        elif v:
            return m.end(), [_Tok(p, m.end(), v, "date")]
    m = P.KK_MONTH_RANGE.match(text, p)
    if m:
        y = int(m[1])
        v1, v2 = _date_value(y, P.month_no(m[2]), 0), _date_value(y, P.month_no(m[3]), 0)
        if v1 and v2:
            return m.end(), [_Tok(p, m.end(2), v1, "date"), _Tok(m.start(3), m.end(), v2, "date")]
    m = P.KK_MONTH_YEAR.match(text, p)
    if m and (v := _date_value(int(m[1]), P.month_no(m[2]), 0)):
        days = _kk_days(text, p, m.end(), int(m[1]), P.month_no(m[2]), m[0])
        return days or (m.end(), [_Tok(p, m.end(), v, "date")])
    return None


def _kk_days(text: str, start: int, pos: int, y: int, month: int, month_word: str) -> tuple[int, list[_Tok]] | None:
    """Days after a Kazakh month in the genitive: "қыркүйектің 24-26 күндері" -> two dates."""
    if not month or not P.KK_GENITIVE.search(month_word):
        return None
    d = P.KK_GEN_DAYS.match(text, pos)
    if not d or not 0 < int(d[1]) <= 31:
        return None
    first = _date_value(y, month, int(d[1]))
    if first is None:
        return None
    toks = [_Tok(start, d.end(1), first, "date")]
    second = d[2] or d[3]
    if second and int(d[1]) < int(second) <= 31:
        at = d.start(2) if d[2] else d.start(3)
        toks.append(_Tok(at, d.end(), _date_value(y, month, int(second)) or 0.0, "date"))
        return d.end(), toks
    toks[0].end = d.end()
    return d.end(), toks


def _read_int(text: str, p: int) -> tuple[int, str]:
    """The integer at p with its thousands groups: (end, digits)."""
    m = P.DIGITS.match(text, p)
    end, digits = m.end(), m.group()  # type: ignore[union-attr]
    if len(digits) <= 3:
        while True:
            g = P.HARD_GROUP.match(text, end) or P.SOFT_GROUP.match(text, end)
            if not g:
                break
            end, digits = g.end(), digits + g.group(1)
    return end, digits


def _single(text: str, p: int) -> tuple[int, list[_Tok]] | None:
    end, digits = _read_int(text, p)
    frac = P.FRACTION.match(text, end)
    if frac:
        value = float(f"{_int(digits)}.{frac.group(1)[:MAX_DIGITS]}")
        end = frac.end()
    else:
        value = float(_int(digits))
    if len(digits) > MAX_DIGITS:
        return end, [_Tok(p, end, value, "identifier")]
    tail = read_tail(text, end, digits, frac is None)
    if tail is None:
        return None
    return tail.end, [_tok_from_tail(p, value, tail)]


def _range(text: str, m: re.Match[str]) -> tuple[int, list[_Tok]]:
    a, b = m[1], m[2]
    if "," not in a + b and _is_year(a) and (len(b) == 2 or _is_year(b)):
        y1 = int(a[:2] + b) if len(b) == 2 else int(b)
        if y1 > int(a):
            after = P.YEAR_OR_DURATION.match(text, P.WS.match(text, m.end()).end())  # type: ignore[union-attr]
            end = after.end() if after and not after.group().lower().startswith("лет") else m.end()
            return end, [
                _Tok(m.start(), m.end(1), float(a), "year_range"),
                _Tok(m.start(2), end, float(y1), "year_range"),
            ]
    va, vb = (float(x.replace(",", ".")) for x in (a, b))
    tail = read_tail(text, m.end(), None if "," in b else b, "," not in b) or Tail(m.end())
    span = (m.start(), tail.end)
    first = _Tok(m.start(), m.end(1), va, tail.kind, tail.scale, tail.unit, False, role_span=span)
    second = _Tok(m.start(2), tail.end, vb, tail.kind, tail.scale, tail.unit, False, role_span=span)
    return tail.end, [first, second]


def _at_word(text: str, m: re.Match[str]) -> tuple[int, list[_Tok]] | None:
    """Constructs that start with a word or sign: №, legal markers, "в июле 2016г.", "тел."."""
    p = m.start()
    if text[p] == "№":
        n = P.NUMERO.match(text, p)
        if n:
            return n.end(), [_Tok(p, n.end(), _id_value(n.group(1)), "identifier")]
        return None
    lg = P.LEGAL_PREFIX.match(text, p)
    if lg:
        parts = lg.group(1).split(".")
        tail = P.SUFFIX.match(text, lg.end())
        end = tail.end() if tail and tail.group(1).islower() else lg.end()
        joins = JOIN_LEGAL if P.LEGAL_PLURAL.match(text, p) else JOIN_AND
        return end, [_Tok(p, end, _dotted_value(parts), "legal_ref", heads_list=joins)]
    if text[p] == "$":
        res = _single(text, m.end())
        if res and res[1][0].kind == "statistic" and res[1][0].unit is None:
            tok = res[1][0]
            tok.start, tok.kind, tok.unit, tok.bare = p, "money", "USD", False
            return res
        return None
    mr = P.RU_MONTH_RANGE.match(text, p)
    if mr:
        y = int(mr[3])
        v1, v2 = _date_value(y, P.month_no(mr[1]), 0), _date_value(y, P.month_no(mr[2]), 0)
        if v1 and v2:
            second = mr.start(2)
            return mr.end(), [_Tok(p, mr.end(1), v1, "date"), _Tok(second, mr.end(), v2, "date")]
    my = P.RU_MONTH_YEAR.match(text, p)
    if my and (v := _date_value(int(my[2]), P.month_no(my[1]), 0)):
        return my.end(), [_Tok(p, my.end(), v, "date")]
    km = re.compile(P.KK_MONTH).match(text, p)
    if km and text[p].islower():
        return _kk_days(text, p, km.end(), 0, P.month_no(km[1]), km[0])
    if text[p] in "тТ":
        ph = P.PHONE.match(text, m.end())
        if ph:
            end = labelled_phone_end(text, ph)
            digits = re.sub(r"\D", "", text[ph.start() : end])[-MAX_DIGITS:]
            return end, [_Tok(m.end(), end, phone_value(digits), "identifier")]
    return None


# ---------------------------------------------------------------- scanning


def _scan_digits(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = P.TRIGGER.search(text, pos)
        if not m:
            break
        p = m.start()
        if text[p].isdigit():
            prev = text[p - 1] if p else " "
            dimension = prev in "xхX×Х" and p >= 2 and text[p - 2].isdigit()
            if (prev.isalpha() and not dimension and not _missing_space(text, p)) or prev == "_":
                # Digits glued to a word ("5G", "A320", "COVID19") are no number,
                # nor is the decimal part after them.
                pos = P.GLUED_TAIL.match(text, p).end()  # type: ignore[union-attr]
                continue
            res = _at_digit(text, p)
            if res and prev in "-‑" and p >= 2 and text[p - 2].isalpha():
                res = _coded(text, p, res)
            if res and prev in P.MINUS:
                _signed(text, p, res[1])
        else:
            res = _at_word(text, m)
        if res is None:
            pos = P.GLUED_TAIL.match(text, p).end() if text[p].isdigit() else p + 1  # type: ignore[union-attr]
            continue
        pos, new = res
        toks.extend(new)
    return toks


def _missing_space(text: str, p: int) -> bool:
    """"мердігерлер100,7 млн", "орнату2-қадам": a lower-case Cyrillic word typed against the number."""
    w = p
    while w > 0 and text[w - 1].isalpha():
        w -= 1
    word = text[w:p]
    return len(word) >= 3 and word.islower() and all("а" <= c <= "я" or c in "ёәғқңөұүһі" for c in word)


def _signed(text: str, p: int, toks: list[_Tok]) -> None:
    """A minus touching an amount ("−8,7 %", "-3,2%") is its sign; "раскрыто – 12" keeps a separator.

    The true minus sign is always a sign. A hyphen or dash is one only when it
    touches the digits, stands after a space or bracket (not after a word or a
    number: "системы-2", "2014-2015"), and the number is a decimal, a
    percentage or a scaled amount.
    """
    t = toks[0]
    sign = text[p - 1]
    before = text[p - 2] if p >= 2 else " "
    if t.kind not in ("statistic", "money") or t.unit == "time":
        return
    if sign != "−":
        if not (before.isspace() or before in "(["):
            return
        written = text[t.start : t.end]
        if not ("," in written or "." in written or t.unit == "percent" or t.scale != 1):
            return
    t.value, t.start = -t.value, p - 1


def _coded(text: str, p: int, res: tuple[int, list[_Tok]]) -> tuple[int, list[_Tok]]:
    """"ДЗ-256" is a code; "системы-2" is a label and a number."""
    w = p - 1
    while w > 0 and text[w - 1].isalpha():
        w -= 1
    code = text[w : p - 1]
    if not (code.isupper() and len(code) <= 6):
        return res
    end, toks = res
    return end, [_Tok(w, toks[0].end, toks[0].value, "identifier")] + toks[1:]


def _from_words(text: str, lang: Lang, taken: list[_Tok]) -> list[_Tok]:
    """Numbers written in words, where no digit reading already covers the text.

    Roman numerals and counts inside compounds (`etl.figures.compounds`) are
    read here too; a number word repeating the digits before it in brackets
    ("30 (отыз) күн", "3 (трех) лет") is the same figure, read once.
    """
    out: list[_Tok] = []
    starts = [t.start for t in taken]  # taken is in text order and never overlaps
    found: list[tuple[int, int, int, str | None]] = [(s, e, v, None) for s, e, v in find_number_words(text, lang)]
    found += find_compounds(text, lang) + find_roman(text)
    for start, end, value, unit in sorted(found):
        i = bisect_right(starts, start)
        if (i and taken[i - 1].end > start) or (i < len(taken) and taken[i].start < end):
            continue
        if out and out[-1].end > start:
            continue
        if four_corners(text, start):
            continue
        if unit is not None:
            tok = _Tok(start, end, float(value), "duration", 1.0, unit, False, True)
        else:
            tail = read_tail(text, end, None, False)
            if tail is None or tail.kind not in ("statistic", "money", "duration"):
                tail = Tail(end)  # a word number takes no legal or code suffix
            kind: FigureKind = "count"
            if tail.kind in ("money", "duration") or tail.unit == "percent":
                kind = tail.kind
            tok = _Tok(start, tail.end, float(value), kind, tail.scale, tail.unit, False, True)
        if i and _restated(text, taken[i - 1], start, value):
            digits = taken[i - 1]
            close = re.compile(r"\s*\)").match(text, tok.end)
            after = read_tail(text, close.end(), None, False) if close else None
            if digits.bare and after and after.kind in ("duration", "money"):
                # "14 (он төрт) күн": the word after the brackets is the digits' word too.
                digits.kind, digits.scale, digits.unit, digits.bare = after.kind, after.scale, after.unit, False
            continue
        out.append(tok)
    return out


def _restated(text: str, before: _Tok, start: int, value: int) -> bool:
    """"12 (двенадцати)": a number word in brackets right after the same number in digits."""
    return before.value == value and not before.from_words and re.fullmatch(r"\s*\(\s*", text[before.end : start]) is not None


# ---------------------------------------------------------------- entry point


def read_numbers(text: str, lang: Lang) -> list[NumberToken]:
    """Every number of one paragraph, in text order, spans never overlapping."""
    if lang not in ("kk", "ru"):
        raise ValueError(f"lang must be 'kk' or 'ru', not {lang!r}")
    toks = _scan_digits(text)
    toks.extend(_from_words(text, lang, toks))
    toks.sort(key=lambda t: t.start)
    coordinate(text, toks)
    out: list[NumberToken] = []
    for t in toks:
        role = None
        if t.kind in _ROLE_KINDS:
            role = role_at(text, *(t.role_span or (t.start, t.end)))
        out.append(
            NumberToken(
                surface=text[t.start : t.end],
                start=t.start,
                end=t.end,
                value=t.value,
                scale=t.scale,
                unit=t.unit,
                kind=t.kind,
                role=role,
                from_words=t.from_words,
            )
        )
    return out
