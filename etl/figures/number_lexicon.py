"""The number words of Kazakh and Russian: every accepted form, with its value and kind.

Kazakh forms are built from the stems by vowel harmony (case and possessive
endings); Russian forms are listed. `numwords` compiles them into one regex
per language and parses the runs it finds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["kk", "ru"]

# Token kinds of the compound grammar.
ZERO, ONES, TEEN, TENS, HUND, KZ_HUND, SCALE = range(7)

# Token flags.
FINAL = 1  # nothing may follow inside the number (Kazakh case ending, collective)
ALONE = 2  # a number on its own (дважды, ноль)
NOT_FIRST = 4  # only inside a compound ("семью" alone is "family")


@dataclass(frozen=True)
class Tok:
    value: int
    kind: int
    flags: int = 0


def kind_of(value: int, lang: Lang) -> int:
    if value == 0:
        return ZERO
    if value < 10:
        return ONES
    if value < 20 and lang == "ru":
        return TEEN
    if value < 100:
        return TENS
    if value == 100 and lang == "kk":
        return KZ_HUND
    if value < 1000:
        return HUND
    return SCALE


# --------------------------------------------------------------------------
# Kazakh
# --------------------------------------------------------------------------

_KK_BASE: dict[str, int] = {
    "нөл": 0,
    "бір": 1,
    "екі": 2,
    "үш": 3,
    "төрт": 4,
    "бес": 5,
    "алты": 6,
    "жеті": 7,
    "сегіз": 8,
    "тоғыз": 9,
    "он": 10,
    "жиырма": 20,
    "отыз": 30,
    "қырық": 40,
    "елу": 50,
    "алпыс": 60,
    "жетпіс": 70,
    "сексен": 80,
    "тоқсан": 90,
    "жүз": 100,
    "мың": 1000,
    "миллион": 10**6,
    "миллиард": 10**9,
    "триллион": 10**12,
}

# Collective numerals ("екеуі ұсталды" = the two of them were detained).
# "біреу" is left out: it means "someone".
_KK_COLLECTIVE: dict[str, int] = {
    "екеу": 2,
    "үшеу": 3,
    "төртеу": 4,
    "бесеу": 5,
    "алтау": 6,
    "жетеу": 7,
    "сегізеу": 8,
    "тоғызау": 9,
    "онау": 10,
}

# Regular case forms that, standing alone, are mostly other words: бірге
# "together", бірден "at once", бірде "once, sometimes", бірдей "same", онда
# "there", ондай "such", алтыны "its gold". Inside a compound they are numbers
# ("он бірге" = to eleven).
_KK_NOT_FIRST = frozenset({"бірге", "бірден", "бірде", "бірдей", "онда", "ондай", "алтыны"})

_KK_BACK = frozenset("аоұы")
_KK_FRONT = frozenset("әеөүіэ")
_KK_VOWELS = _KK_BACK | _KK_FRONT | frozenset("юя")
_KK_NASAL = frozenset("мнң")
_KK_VOICED = frozenset("лрйужз")  # у, й behave as consonants at a word end


def _kk_is_back(stem: str) -> bool:
    for ch in reversed(stem):
        if ch in _KK_BACK:
            return True
        if ch in _KK_FRONT:
            return False
    return False


def _kk_case_forms(stem: str) -> list[str]:
    """The bare stem and its six case forms (plus -дай "about") by the
    Kazakh rules of vowel harmony and consonant assimilation."""
    back = _kk_is_back(stem)
    last = stem[-1]

    def pick(b: str, f: str) -> str:
        return b if back else f

    if last in _KK_VOWELS:
        cls = "vowel"
    elif last in _KK_NASAL:
        cls = "nasal"
    elif last in _KK_VOICED:
        cls = "voiced"
    else:
        cls = "voiceless"
    soft = cls != "voiceless"
    gen = {"vowel": "н", "nasal": "н", "voiced": "д", "voiceless": "т"}[cls] + pick("ың", "ің")
    acc = {"vowel": "н", "nasal": "д", "voiced": "д", "voiceless": "т"}[cls] + pick("ы", "і")
    dat = pick("ға", "ге") if soft else pick("қа", "ке")
    loc = ("д" if soft else "т") + pick("а", "е")
    abl = {"vowel": "д", "nasal": "н", "voiced": "д", "voiceless": "т"}[cls] + pick("ан", "ен")
    # -мен is also written after nasals and з/ж in practice, so accept both.
    ins = {"vowel": ["мен"], "nasal": ["бен", "мен"], "voiced": ["мен"], "voiceless": ["пен"]}[cls]
    if cls == "voiced" and last in "жз":
        ins = ["бен", "мен"]
    sim = ("д" if soft else "т") + pick("ай", "ей")
    return [stem] + [stem + s for s in (gen, acc, dat, loc, abl, sim, *ins)]


def _kk_possessive_forms(stem: str) -> list[str]:
    """екеу -> екеуі, екеуін, екеуіне, екеуінің, екеуінде, екеуінен, екеуімен."""
    back = _kk_is_back(stem)
    p = stem + ("ы" if back else "і")
    if back:
        return [p, p + "н", p + "на", p + "ның", p + "нда", p + "нан", p + "мен"]
    return [p, p + "н", p + "не", p + "нің", p + "нде", p + "нен", p + "мен"]


def kk_lexicon() -> dict[str, Tok]:
    lex: dict[str, Tok] = {}
    for stem, value in _KK_BASE.items():
        kind = kind_of(value, "kk")
        for i, form in enumerate(_kk_case_forms(stem)):
            flags = FINAL if i else 0
            if form in _KK_NOT_FIRST:
                flags |= NOT_FIRST
            if kind == ZERO:
                flags |= ALONE
            lex[form] = Tok(value, kind, flags)
    for stem, value in _KK_COLLECTIVE.items():
        kind = kind_of(value, "kk")
        for form in _kk_case_forms(stem) + _kk_possessive_forms(stem):
            lex[form] = Tok(value, kind, FINAL)
    return lex


# Ordinal stems: a run followed by one of these is the start of an ordinal
# ("жиырма бірінші" = 21st), not a cardinal.
KK_ORD_STEMS: dict[str, int] = {s: v for s, v in _KK_BASE.items() if v}
KK_ORD_STEMS["қырқ"] = 40  # қырқыншы
KK_ORD_END = r"(?:с?[ыі])?нш[ыі][^\W\d_]*"


# --------------------------------------------------------------------------
# Russian (ё is read as е)
# --------------------------------------------------------------------------

_RU_FORMS: dict[int, tuple[str, ...]] = {
    0: ("ноль", "нуль", "ноля", "нуля", "нолю", "нулю", "нолем", "нулем", "ноле", "нуле"),
    1: ("один", "одна", "одно", "одного", "одной", "одному", "одну", "одним", "одном", "одною"),
    2: ("два", "две", "двух", "двум", "двумя"),
    3: ("три", "трех", "трем", "тремя"),
    4: ("четыре", "четырех", "четырем", "четырьмя"),
    5: ("пять", "пяти", "пятью"),
    6: ("шесть", "шести", "шестью"),
    7: ("семь", "семи"),
    8: ("восемь", "восьми", "восемью", "восьмью"),
    9: ("девять", "девяти", "девятью"),
    10: ("десять", "десяти", "десятью"),
    20: ("двадцать", "двадцати", "двадцатью"),
    30: ("тридцать", "тридцати", "тридцатью"),
    40: ("сорок", "сорока"),
    50: ("пятьдесят", "пятидесяти", "пятьюдесятью"),
    60: ("шестьдесят", "шестидесяти", "шестьюдесятью"),
    70: ("семьдесят", "семидесяти", "семьюдесятью"),
    80: ("восемьдесят", "восьмидесяти", "восемьюдесятью", "восьмьюдесятью"),
    90: ("девяносто", "девяноста"),
    100: ("сто", "ста"),
    200: ("двести", "двухсот", "двумстам", "двумястами", "двухстах"),
    300: ("триста", "трехсот", "тремстам", "тремястами", "трехстах"),
    400: ("четыреста", "четырехсот", "четыремстам", "четырьмястами", "четырехстах"),
    500: ("пятьсот", "пятисот", "пятистам", "пятьюстами", "пятистах"),
    600: ("шестьсот", "шестисот", "шестистам", "шестьюстами", "шестистах"),
    700: ("семьсот", "семисот", "семистам", "семьюстами", "семистах"),
    800: ("восемьсот", "восьмисот", "восьмистам", "восемьюстами", "восьмьюстами", "восьмистах"),
    900: ("девятьсот", "девятисот", "девятистам", "девятьюстами", "девятистах"),
}
_RU_TEEN_PREFIX = {
    11: "один",
    12: "две",
    13: "три",
    14: "четыр",
    15: "пят",
    16: "шест",
    17: "сем",
    18: "восем",
    19: "девят",
}
for _v, _p in _RU_TEEN_PREFIX.items():
    _RU_FORMS[_v] = tuple(_p + s for s in ("надцать", "надцати", "надцатью"))

# Readings that need a compound around them: "семью" alone is "family",
# "одни"/"одних" alone are "only"/"some", "тысяч"/"миллионов" alone are
# "thousands"/"millions" of something.
_RU_NOT_FIRST: dict[str, int] = {"семью": 7, "одни": 1, "одних": 1, "одними": 1}

_RU_SCALES = {"миллион": 10**6, "миллиард": 10**9, "триллион": 10**12}
_RU_SCALE_SG: dict[str, int] = {
    f: 1000 for f in ("тысяча", "тысячи", "тысяче", "тысячу", "тысячей", "тысячею")
}
_RU_SCALE_PL: dict[str, int] = {f: 1000 for f in ("тысяч", "тысячам", "тысячами", "тысячах")}
for _stem, _v in _RU_SCALES.items():
    for _s in ("", "а", "у", "ом", "е"):
        _RU_SCALE_SG[_stem + _s] = _v
    for _s in ("ы", "ов", "ам", "ами", "ах"):
        _RU_SCALE_PL[_stem + _s] = _v

# Collective numerals (двое, трое, ...): complete numbers on their own.
_RU_COLLECTIVE: dict[str, int] = {}
for _v, _stem in ((2, "дво"), (3, "тро")):
    for _s in ("е", "их", "им", "ими"):
        _RU_COLLECTIVE[_stem + _s] = _v
for _v, _stem in (
    (4, "четвер"),
    (5, "пятер"),
    (6, "шестер"),
    (7, "семер"),
    (8, "восьмер"),
    (9, "девятер"),
    (10, "десятер"),
):
    for _s in ("о", "ых", "ым", "ыми"):
        _RU_COLLECTIVE[_stem + _s] = _v

_RU_ADVERBS = {"дважды": 2, "трижды": 3, "четырежды": 4}

# "тысячи" is both "of a thousand" (более тысячи) and "thousands" (тысячи
# граждан); alone it counts as 1000 only after a word that quantifies it.
RU_THOUSAND_CUES = frozenset(
    {
        "более",
        "свыше",
        "менее",
        "около",
        "порядка",
        "до",
        "от",
        "из",
        "почти",
        "примерно",
        "приблизительно",
        "больше",
        "меньше",
        "выше",
        "ниже",
        "чем",
    }
)


def ru_lexicon() -> dict[str, Tok]:
    lex: dict[str, Tok] = {}
    for value, forms in _RU_FORMS.items():
        kind = kind_of(value, "ru")
        for form in forms:
            lex[form] = Tok(value, kind, ALONE if value == 0 else 0)
    for form, value in _RU_NOT_FIRST.items():
        lex[form] = Tok(value, ONES, NOT_FIRST)
    for form, value in _RU_SCALE_SG.items():
        lex[form] = Tok(value, SCALE)
    for form, value in _RU_SCALE_PL.items():
        lex[form] = Tok(value, SCALE, NOT_FIRST)
    for form, value in _RU_COLLECTIVE.items():
        lex[form] = Tok(value, kind_of(value, "ru"), FINAL)
    for form, value in _RU_ADVERBS.items():
        lex[form] = Tok(value, ONES, ALONE)
    return lex


RU_ORD_STEMS: dict[str, int] = {
    "перв": 1,
    "втор": 2,
    "трет": 3,
    "четверт": 4,
    "пят": 5,
    "шест": 6,
    "седьм": 7,
    "восьм": 8,
    "девят": 9,
    "десят": 10,
    "двадцат": 20,
    "тридцат": 30,
    "сороков": 40,
    "пятидесят": 50,
    "шестидесят": 60,
    "семидесят": 70,
    "восьмидесят": 80,
    "девяност": 90,
    "сот": 100,
    "двухсот": 200,
    "трехсот": 300,
    "четырехсот": 400,
    "пятисот": 500,
    "шестисот": 600,
    "семисот": 700,
    "восьмисот": 800,
    "девятисот": 900,
    "тысячн": 1000,
    "миллионн": 10**6,
    "миллиардн": 10**9,
}
for _v, _p in _RU_TEEN_PREFIX.items():
    RU_ORD_STEMS[_p + "надцат"] = _v
RU_ORD_END = (
    r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ыми|ими|ей"
    r"|ья|ье|ьи|ьего|ьей|ьему|ьим|ьем|ью|ьих|ьими)"
)
