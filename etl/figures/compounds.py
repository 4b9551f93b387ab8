"""Numbers inside other words: Roman numerals and number-word compounds.

Russian writes many counts as the first half of one word ("трехдневный",
"двухуровневый", "шестиугольный", "вдвое", "десятилетие") where Kazakh writes
a number word and then its noun ("үш күндік", "екі деңгейлі", "алты
бұрышты", "екі есе", or one word: "онжылдық"). Both are read, so the two
languages state the same count; a prefix is a number only before a root that
makes it one ("семинар", "стоимость", "одновременно" are no numbers).

Roman numerals ("VIII форум", "ІІ дәрежелі", "X юбилейная") are numbers
as well, with the Cyrillic І and Х read as I and X; a lone letter only
before a word that takes an ordinal (else it is an initial or a grade).

Decision — a compound alone. A count read from inside a word ("Екіжылдық
турнир") may have no number on the other side at all: the translator wrote a
word that holds it ("биеннале", "декада", "пятилетка"). With no counterpart it
is no finding (`etl.align` leaves it out of the pairs, like the article
"бір"); with one, it is compared as any figure.

Decision — four corners. "Төрт бұрышты" is what Russian calls
"прямоугольный" (right-angled), a shape, not a count: neither it nor
"четырехугольный" is read, so the two languages agree whichever word the
translator chose.
"""

from __future__ import annotations

import re

from ..models import Lang
from . import patterns as P

# (start, end, value, unit of a duration or None)
Found = tuple[int, int, int, str | None]

_RU_STEMS: dict[str, int] = {
    "одно": 1, "дву": 2, "двух": 2, "трех": 3, "трёх": 3, "четырех": 4, "четырёх": 4, "пяти": 5,
    "шести": 6, "семи": 7, "восьми": 8, "девяти": 9, "десяти": 10, "одиннадцати": 11,
    "двенадцати": 12, "тринадцати": 13, "четырнадцати": 14, "пятнадцати": 15, "шестнадцати": 16,
    "семнадцати": 17, "восемнадцати": 18, "девятнадцати": 19, "двадцати": 20, "тридцати": 30,
    "сорока": 40, "пятидесяти": 50, "шестидесяти": 60, "семидесяти": 70, "восьмидесяти": 80,
    "девяноста": 90, "сто": 100, "двухсот": 200, "трехсот": 300, "трёхсот": 300,
    "четырехсот": 400, "пятисот": 500, "тысяче": 1000,
}  # fmt: skip
# Roots that make the prefix a count, with the unit of a duration where they name one.
_RU_ROOTS: dict[str, str | None] = {
    "летн": "year", "лети": "year", "годичн": "year", "месячн": "month", "недельн": "week",
    "дневн": "day", "суточн": "day", "часов": None, "минутн": None, "секундн": None,
    "кратн": None, "сменн": None, "уровнев": None, "этажн": None, "угольн": None,
    "комнатн": None, "местн": None, "разов": None, "сторонн": None, "язычн": None,
    "ярусн": None, "томн": None, "серийн": None, "полосн": None, "рядн": None,
    "ступенчат": None, "фазн": None, "канальн": None, "осн": None, "мерн": None,
    "зарядн": None, "процентн": None, "значн": None, "звездн": None, "разрядн": None,
    "балльн": None, "тонн": None, "граммов": None, "литров": None, "метров": None,
    "километров": None, "колесн": None, "моторн": None, "палубн": None, "квартирн": None,
    "подъездн": None, "главн": None, "глав": None, "головн": None, "цилиндров": None,
}  # fmt: skip
_RU_TIMES: dict[str, int] = {
    "вдвое": 2, "втрое": 3, "вчетверо": 4, "впятеро": 5, "вшестеро": 6, "всемеро": 7,
    "ввосьмеро": 8, "вдевятеро": 9, "вдесятеро": 10,
}  # fmt: skip
_KK_STEMS: dict[str, int] = {
    "бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8,
    "тоғыз": 9, "он": 10, "жиырма": 20, "отыз": 30, "қырық": 40, "елу": 50, "алпыс": 60,
    "жетпіс": 70, "сексен": 80, "тоқсан": 90, "жүз": 100, "мың": 1000,
}  # fmt: skip
_KK_ROOTS: dict[str, str | None] = {
    "жылдық": "year", "жылдығ": "year", "айлық": "month", "апталық": "week", "күндік": "day",
    "қабатты": None, "деңгейлі": None, "ауысымды": None, "бұрышты": None,
}  # fmt: skip


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_RU_COMPOUND = re.compile(
    rf"(?<![{P.L}])({_alternation(list(_RU_STEMS))})({_alternation(list(_RU_ROOTS))})[{P.L}]*",
    re.I,
)
_RU_TIMES_RE = re.compile(rf"(?<![{P.L}])({_alternation(list(_RU_TIMES))})(?![{P.L}])", re.I)
_KK_COMPOUND = re.compile(
    rf"(?<![{P.L}])({_alternation(list(_KK_STEMS))})({_alternation(list(_KK_ROOTS))})[{P.L}]*",
    re.I,
)
# The shape words of the decision above.
_FOUR_CORNERS = re.compile(r"(?<![^\W\d_])(?:төрт\s*бұрыш|четырехугольн|четырёхугольн)", re.I)

_ROMAN_VALID = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10}


def roman_value(numeral: str) -> int | None:
    """The value of a Roman numeral of I, V and X (the Cyrillic І and Х read alike), else None."""
    s = numeral.upper().replace("І", "I").replace("Х", "X")
    if not s or not _ROMAN_VALID.fullmatch(s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUE[ch]
        total += -v if i + 1 < len(s) and _ROMAN_VALUE[s[i + 1]] > v else v
    return total or None


def find_roman(text: str) -> list[Found]:
    """Roman numerals that number something: "ІІ дәрежелі", "VIII Экономический форум"."""
    out: list[Found] = []
    for m in P.ROMAN.finditer(text):
        value = roman_value(m.group(1))
        if value is None:
            continue
        if len(m.group(1)) == 1 and not m.group(2) and not P.ROMAN_SINGLE_BEFORE.match(text, m.end()):
            continue
        out.append((m.start(), m.end(), value, None))
    return out


def find_compounds(text: str, lang: Lang) -> list[Found]:
    """Counts at the start of a word: "трехдневный" (3), "вдвое" (2), "онжылдық" (10)."""
    out: list[Found] = []
    if lang == "ru":
        for m in _RU_COMPOUND.finditer(text):
            if _FOUR_CORNERS.match(text, m.start()):
                continue
            out.append((m.start(), m.end(), _RU_STEMS[m.group(1).lower()], _RU_ROOTS[m.group(2).lower()]))
        for m in _RU_TIMES_RE.finditer(text):
            out.append((m.start(), m.end(), _RU_TIMES[m.group(1).lower()], None))
    else:
        for m in _KK_COMPOUND.finditer(text):
            if _FOUR_CORNERS.match(text, m.start()):
                continue
            out.append((m.start(), m.end(), _KK_STEMS[m.group(1).lower()], _KK_ROOTS[m.group(2).lower()]))
    return sorted(out)


def is_compound(word: str) -> bool:
    """Whether a word is a number stem and its root run together ("екіжылдық", "трехдневный")."""
    return bool(_KK_COMPOUND.fullmatch(word) or _RU_COMPOUND.fullmatch(word))


def four_corners(text: str, start: int) -> bool:
    """Whether a number word at `start` begins "төрт бұрышты" (a shape: see the decision above)."""
    return bool(_FOUR_CORNERS.match(text, start))
