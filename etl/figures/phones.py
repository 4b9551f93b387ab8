"""Phone numbers written as groups of digits: one identifier, not a list of counts.

Two shapes, both with nothing a count list or a grouped amount would have:

- a full number, 8 or +7 and eleven digits in groups ("8 7145 42 10 53",
  "+7 (727) 273-32-26", "87172–769083");
- a city number of seven digits as 3-2-2 ("278 74 20"), the way Almaty and
  Astana numbers are printed without their code. Thousands are grouped by
  three, so two-digit groups after a three-digit one are no amount; the
  number must stand alone (no digit, decimal, scale, currency or percent
  after it) so that "278 74 20 тыс.", "278 74 20 %" or a longer run of
  numbers stays what it is. A noun after it does not: "278 74 20 тонн"
  cannot be one amount either, and is read as the phone number it is shaped as.

A full number's value is its ten national digits: "8" (the trunk prefix
dialled inside the country) and "+7" (the country code) reach the same
number, and the two languages of one letter write either ("8(7172) 95-40-56"
beside "+7(7172) 95-40-56").
"""

from __future__ import annotations

import re

from . import patterns as P

_CITY = re.compile(r"\d{3} \d{2} \d{2}(?![\d\-–]|[.,]\d| \d)")


def phone_value(digits: str) -> float:
    """The value of a phone number's digits: the national number, without a leading 8 or 7."""
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    return float(digits)


def amount_follows(text: str, pos: int) -> bool:
    """Whether a scale, currency or percent follows `pos` (after white space)."""
    ws = P.WS.match(text, pos).end()  # type: ignore[union-attr]
    return bool(P.SCALE.match(text, ws) or P.CURRENCY.match(text, ws) or P.PERCENT.match(text, ws))


def phone_at(text: str, p: int) -> tuple[int, int, str] | None:
    """(start, end, digits) of a phone number whose first digit is at `p`, else None."""
    plus = p > 0 and text[p - 1] == "+"
    if text[p] == "8" or (plus and text[p] == "7"):
        end, n, first = p + 1, 1, True
        while n < 11:
            g = P.PHONE_GROUP.match(text, end)
            # An area code of 3-5 digits, then groups of at least two: "8 10 15 20 25 30" is a list.
            if not g or not (3 <= len(g.group(1)) <= 5 if first else len(g.group(1)) >= 2):
                break
            end, n, first = g.end(), n + len(g.group(1)), False
        if n == 11 and not P.PHONE_GROUP_DIGIT.match(text, end) and not amount_follows(text, end):
            return p - plus, end, re.sub(r"\D", "", text[p:end])
    m = _CITY.match(text, p)
    if m and not (p > 0 and (text[p - 1].isdigit() or text[p - 1] in ".,-–")) and not amount_follows(text, m.end()):
        return p, m.end(), re.sub(r"\D", "", m.group())
    return None


def labelled_phone_end(text: str, ph: re.Match[str]) -> int:
    """Where the number after "тел." ends: before a last group that stands apart
    and carries a word ("76-90-95 2-санаттағы", the 2 is the category's), when
    what comes before it is a whole number already (six or seven digits, or ten
    or eleven with the code); a case ending on the phone's own last group
    ("74-12-34-ке", "8 7172 55 44 33-ке") stays with it."""
    end = ph.end()
    if not P.HYPHEN_WORD.match(text, end):
        return end
    cut = max(text.rfind(" ", ph.start(), end), text.rfind("\u00a0", ph.start(), end))
    if cut <= ph.start():
        return end
    head = text[ph.start() : cut].rstrip()
    n = sum(c.isdigit() for c in head)
    return ph.start() + len(head) if n in (6, 7, 10, 11) else end
