"""Which label a number is bound to ("раскрыто – 12" is a solved count).

A small bilingual lexicon of stems, looked up next to the number: the label
before a dash, else the nearest words on either side within the clause. A
wrong role is worse than none, so anything unclear stays None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .stamps import STAMP_ROLES

ROLES: tuple[str, ...] = (
    "registered", "solved", "unsolved", "suspended", "completed", "committed", "found", "staff",
) + STAMP_ROLES  # fmt: skip
# Checked in order: negated forms come before the positive stems they begin with.
_ROLE_STEMS: list[tuple[str | None, tuple[str, ...]]] = [
    ("unsolved", ("нераскры", "ашылма")),
    (None, ("незарегистр", "тіркелме", "жасалма", "жасалат", "анықталма", "аяқталма",
            "үзілме", "совершени", "раскрыти", "выявлени")),
    ("registered", ("зарегистр", "тіркел")),
    ("solved", ("раскры", "ашыл")),
    ("suspended", ("прерван", "приостановлен", "үзіл")),
    ("completed", ("окончен", "аяқтал")),
    ("committed", ("совершен", "совершён", "жасал")),
    ("found", ("выявлен", "анықтал")),
    ("staff", ("единиц", "сотрудник", "қызметкер", "адам", "человек")),
]  # fmt: skip
_ITEM = re.compile(r"[^\W\d_]+(?:[-‑][^\W\d_]+)*|\d+|[^\w\s]")
_LABEL_SEP = "-‐‑‒–—:"
_WINDOW = 4
_REACH = 160


def _role_of(word: str) -> str | None:
    w = word.lower().replace("ё", "е")
    if w == "ед":
        return "staff"
    for role, stems in _ROLE_STEMS:
        if w.startswith(stems):
            return role
    return None


def role_at(text: str, start: int, end: int) -> str | None:
    """The role of the number at text[start:end], or None when it cannot be told."""
    left = _ITEM.findall(text[max(0, start - _REACH) : start])
    right = _ITEM.findall(text[end : end + _REACH])
    after = _window(right, forward=True)
    if left and left[-1] in _LABEL_SEP:
        # "раскрыто – 12", "ашылмай қалғаны – 19": the label before the dash.
        label = _window(reversed(left[:-1]), forward=False)[:2]
        for word in label + after[:1]:
            if role := _role_of(word):
                return role
        return None
    before = _window(reversed(left), forward=False)
    for i in range(_WINDOW):
        for side in (after, before):
            if i < len(side) and (role := _role_of(side[i])):
                return role
    return None


def _window(items: Iterable[str], forward: bool) -> list[str]:
    """The words next to a number, up to punctuation or another number.

    A word right next to another number, or right before a dash, is that
    other number's word ("из 875 остались нераскрытыми 596": "нераскрытыми"
    is 596's), so it is left out.
    """
    words: list[str] = []
    for item in items:
        if not item[0].isalpha():
            if words and (item[0].isdigit() or (forward and item in _LABEL_SEP)):
                words.pop()
            break
        if len(words) == _WINDOW:
            break
        words.append(item)
    return words

