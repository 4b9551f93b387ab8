"""Publication stamps: the label a date or time of a page's stamp is bound to.

Government pages close with a stamp, "Размещено: 08.04.2015 12:23 Изменено:
08.04.2015 15:23", in Kazakh "Орналастырылды: ... Өзгертілді: ...". The two
languages may put the two labels in either order, so the place of a date or
time says nothing about which one it is: only its label does. A date or time
takes the role of the label that ends right before it, with nothing but other
digits of the same stamp (a date before a time) in between; anything else
keeps no role.
"""

from __future__ import annotations

import re

STAMP_ROLES: tuple[str, ...] = ("posted", "modified")

# Stems of the labels; a Kazakh verb and its participle share one stem
# ("жарияланды", "жарияланған").
_STAMP_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("posted", ("размещ", "опубликов", "орналастыр", "жариял")),
    ("modified", ("изменен", "изменён", "обновлен", "обновлён", "өзгерт", "жаңарт")),
)
# The label, a colon (or dash), then only digits and date or time separators up to the number.
_LABEL_BEFORE = re.compile(r"([^\W\d_]+)\s*[:–—-]\s*(?:[\d.:/]+\s+){0,2}$")
_REACH = 48


def stamp_role(text: str, start: int) -> str | None:
    """``posted`` or ``modified`` for a date or time at text[start:] that a stamp label precedes, else None."""
    m = _LABEL_BEFORE.search(text, max(0, start - _REACH), start)
    if m is None:
        return None
    word = m.group(1).lower()
    for role, stems in _STAMP_STEMS:
        if word.startswith(stems):
            return role
    return None
