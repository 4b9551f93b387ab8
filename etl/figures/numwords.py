"""Cardinal numbers written in words, in Kazakh and Russian.

Letters spell small counts out ("жеті өңіріндегі" / "семи регионов",
"жылына екі мәрте" / "дважды в год"), so the figures reader needs those too.

One precompiled regex per language finds runs of number words (a trie of
every accepted word form, each form a whole word); a small state machine then
splits each run into compound numbers ("две тысячи семнадцать" = 2017).
Only exact forms are accepted, so words that merely contain a number word
("үшін", "жетіспеушілігі", "семинар", "состоит") never match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Literal

__all__ = ["find_number_words", "words_to_number"]

Lang = Literal["kk", "ru"]

# Token kinds of the compound grammar.
_ZERO, _ONES, _TEEN, _TENS, _HUND, _KZ_HUND, _SCALE = range(7)

# Token flags.
_FINAL = 1  # nothing may follow inside the number (Kazakh case ending, collective)
_ALONE = 2  # a number on its own (дважды, ноль)
_NOT_FIRST = 4  # only inside a compound ("семью" alone is "family")


@dataclass(frozen=True)
class _Tok:
    value: int
    kind: int
    flags: int = 0


def _kind_of(value: int, lang: Lang) -> int:
    if value == 0:
        return _ZERO
    if value < 10:
        return _ONES
    if value < 20 and lang == "ru":
        return _TEEN
    if value < 100:
        return _TENS
    if value == 100 and lang == "kk":
        return _KZ_HUND
    if value < 1000:
        return _HUND
    return _SCALE


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


def _kk_lexicon() -> dict[str, _Tok]:
    lex: dict[str, _Tok] = {}
    for stem, value in _KK_BASE.items():
        kind = _kind_of(value, "kk")
        for i, form in enumerate(_kk_case_forms(stem)):
            flags = _FINAL if i else 0
            if form in _KK_NOT_FIRST:
                flags |= _NOT_FIRST
            if kind == _ZERO:
                flags |= _ALONE
            lex[form] = _Tok(value, kind, flags)
    for stem, value in _KK_COLLECTIVE.items():
        kind = _kind_of(value, "kk")
        for form in _kk_case_forms(stem) + _kk_possessive_forms(stem):
            lex[form] = _Tok(value, kind, _FINAL)
    return lex


# Ordinal stems: a run followed by one of these is the start of an ordinal
# ("жиырма бірінші" = 21st), not a cardinal.
_KK_ORD_STEMS: dict[str, int] = {s: v for s, v in _KK_BASE.items() if v}
_KK_ORD_STEMS["қырқ"] = 40  # қырқыншы
_KK_ORD_END = r"(?:с?[ыі])?нш[ыі][^\W\d_]*"


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
_RU_THOUSAND_CUES = frozenset(
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


def _ru_lexicon() -> dict[str, _Tok]:
    lex: dict[str, _Tok] = {}
    for value, forms in _RU_FORMS.items():
        kind = _kind_of(value, "ru")
        for form in forms:
            lex[form] = _Tok(value, kind, _ALONE if value == 0 else 0)
    for form, value in _RU_NOT_FIRST.items():
        lex[form] = _Tok(value, _ONES, _NOT_FIRST)
    for form, value in _RU_SCALE_SG.items():
        lex[form] = _Tok(value, _SCALE)
    for form, value in _RU_SCALE_PL.items():
        lex[form] = _Tok(value, _SCALE, _NOT_FIRST)
    for form, value in _RU_COLLECTIVE.items():
        lex[form] = _Tok(value, _kind_of(value, "ru"), _FINAL)
    for form, value in _RU_ADVERBS.items():
        lex[form] = _Tok(value, _ONES, _ALONE)
    return lex


_RU_ORD_STEMS: dict[str, int] = {
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
    _RU_ORD_STEMS[_p + "надцат"] = _v
_RU_ORD_END = (
    r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ыми|ими|ей"
    r"|ья|ье|ьи|ьего|ьей|ьему|ьим|ьем|ью|ьих|ьими)"
)


# --------------------------------------------------------------------------
# Regex construction
# --------------------------------------------------------------------------

_BEFORE = r"(?<![^\W_]|-)"
_AFTER = r"(?![^\W_]|-)"


def _trie_regex(words: Iterable[str]) -> str:
    """An alternation that never needs to try two branches on the same letter."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        ends = "" in node
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if ends:
            return "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    return emit(trie)


@dataclass(frozen=True)
class _Spec:
    lexicon: dict[str, _Tok]
    run_re: re.Pattern[str]
    ord_re: re.Pattern[str]  # an ordinal word right after a run
    ord_stems: dict[str, int]
    table: tuple[tuple[str, str], ...]  # one-for-one letters, so offsets keep


def _spec(lang: Lang) -> _Spec:
    if lang == "kk":
        lexicon, ord_stems, ord_end = _kk_lexicon(), _KK_ORD_STEMS, _KK_ORD_END
        # Kazakh typed with Latin or IPA look-alikes is common in older files.
        table = tuple(zip("iIəƏɵƟёЁ", "іІәӘөӨеЕ"))
    else:
        lexicon, ord_stems, ord_end = _ru_lexicon(), _RU_ORD_STEMS, _RU_ORD_END
        table = (("ё", "е"), ("Ё", "Е"))
    word = "(?:" + _trie_regex(lexicon) + ")" + _AFTER
    # The leading class lets the scanner skip most positions cheaply.
    first = "[" + "".join(sorted({w[0] for w in lexicon})) + "]"
    run_re = re.compile(
        "(?=" + first + ")" + _BEFORE + word + r"(?:\s+" + word + ")*", re.IGNORECASE
    )
    ord_re = re.compile(
        r"\s+(" + _trie_regex(ord_stems) + ")" + ord_end + _AFTER, re.IGNORECASE
    )
    return _Spec(lexicon, run_re, ord_re, ord_stems, table)


_SPECS: dict[str, _Spec] = {"kk": _spec("kk"), "ru": _spec("ru")}
_SPACE_SPLIT = re.compile(r"\S+")
_PREV_WORD = re.compile(r"([^\W_]+)\s*$")
_LINE_BREAK_HYPHEN = re.compile(r"[^\W\d_]-[^\S\n]*\n\s*$")
_PREV_TOKEN = re.compile(r"(\S+)\s*$")
_KK_QUARTER_BEFORE = re.compile(
    "(?:" + _trie_regex(_KK_ORD_STEMS) + ")" + _KK_ORD_END + r"|[IVXІ]+|\d+-(?:ші|шы|і|ы)?",
    re.IGNORECASE,
)
# Idioms whose number has no counterpart in the other language: "бір реттік"
# = "single-use", "бір жағынан" = "on the one hand", "бір де бір" = "not a
# single", "бір жарым" = "полтора", "екі жақты" = "bilateral".
# "әр бір" = "every"
_KK_ONE_IDIOM_BEFORE = re.compile(r"(?<![^\W_])(?:әр|бір\s+де)\s+$", re.IGNORECASE)
_KK_IDIOM_AFTER: dict[str, re.Pattern[str]] = {
    word: re.compile(r"\s+(?:" + followers + r")(?![^\W_]|-)", re.IGNORECASE)
    for word, followers in {
        "бір": r"реттік|жолғы|жақты|уақытта|мезгілде|жағынан|қатар|сөзбен|түрлі|нәрсе|кезде"
        r"|де|жарым|бір[^\W\d_]*",
        "екі": r"жақты|жақтық|жақтылы",
    }.items()
}
# "один и тот же" = "the same", "с одной стороны" = "on the one hand".
_RU_ONE_IDIOM_AFTER = re.compile(
    r"\s+(?:и\s+т(?:от|а|о|е|ого|ой|ому|ем|ом|у|ех|еми)|стороны)(?![^\W_]|-)", re.IGNORECASE
)
_KK_EVERY_AFTER = re.compile(r"\s+сайын(?![^\W_]|-)", re.IGNORECASE)


# --------------------------------------------------------------------------
# Compound grammar
# --------------------------------------------------------------------------


class _Number:
    """State of one compound number being read left to right."""

    __slots__ = ("total", "last_scale", "h", "t", "o", "count", "closed")

    def __init__(self) -> None:
        self.total = 0
        self.last_scale = 0  # 0: no scale word yet
        self.h = self.t = self.o = -1  # -1: slot empty; t also holds teens
        self.count = 0
        self.closed = False

    @property
    def group(self) -> int:
        return max(self.h, 0) + max(self.t, 0) + max(self.o, 0)

    @property
    def group_empty(self) -> bool:
        return self.h < 0 and self.t < 0 and self.o < 0

    @property
    def value(self) -> int:
        return self.total + self.group

    def accepts(self, tok: _Tok) -> bool:
        if self.closed:
            return False
        if self.count == 0:
            return True
        if tok.flags & _ALONE:
            return False
        k = tok.kind
        if k == _ONES:
            return self.o < 0
        if k in (_TEEN, _TENS):
            return self.t < 0 and self.o < 0
        if k == _HUND:
            return self.group_empty
        if k == _KZ_HUND:
            return self.h < 0 and self.t < 0
        if k == _SCALE:
            if self.last_scale and tok.value >= self.last_scale:
                return False
            return not self.group_empty
        return False

    def add(self, tok: _Tok) -> None:
        k = tok.kind
        if k == _ZERO:
            self.o = 0
        elif k == _ONES:
            self.o = tok.value
        elif k in (_TEEN, _TENS):
            self.t = tok.value
        elif k == _HUND:
            self.h = tok.value
        elif k == _KZ_HUND:
            self.h = 100 * (self.o if self.o > 0 else 1)
            self.o = -1
        else:  # scale
            self.total += (self.group if not self.group_empty else 1) * tok.value
            self.last_scale = tok.value
            self.h = self.t = self.o = -1
        self.count += 1
        if tok.flags & (_FINAL | _ALONE):
            self.closed = True


def _parse(
    toks: list[_Tok], lang: Lang, strict: bool = True
) -> list[tuple[int, int, _Number]]:
    """Split a run of number words into compounds: (first, last+1, state).

    With `strict`, a word that is a number only inside a compound ("семью",
    "тысяч") is dropped when it stands alone.
    """
    out: list[tuple[int, int, _Number]] = []
    i = 0
    while i < len(toks):
        num = _Number()
        j = i
        while j < len(toks) and _accepts(num, toks[j], lang):
            num.add(toks[j])
            j += 1
        if strict and j == i + 1 and toks[i].flags & _NOT_FIRST:
            i += 1
            continue
        out.append((i, j, num))
        i = j
    return out


def _accepts(num: _Number, tok: _Tok, lang: Lang) -> bool:
    if not num.accepts(tok):
        return False
    # Russian "десять" is a teen (nothing follows); Kazakh "он" takes ones.
    if lang == "ru" and tok.kind == _ONES and 0 <= num.t < 20:
        return False
    return True


def _continues(num: _Number, value: int, lang: Lang) -> bool:
    """Would a cardinal of `value` extend `num`? Used for a following ordinal."""
    return _accepts(num, _Tok(value, _kind_of(value, lang)), lang)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def find_number_words(text: str, lang: Lang) -> list[tuple[int, int, int]]:
    """Every cardinal number written in words in `text`, as (start, end, value).

    Compounds are one span ("бір мың алты жүз тоқсан төрт" = 1694). Offsets
    index `text` itself. Ordinals, and compounds that end in an ordinal
    ("две тысячи семнадцатого"), are not returned.
    """
    spec = _SPECS[lang]
    norm = _normalize(text, spec)
    found: list[tuple[int, int, int]] = []
    for run in spec.run_re.finditer(norm):
        words = list(_SPACE_SPLIT.finditer(norm, run.start(), run.end()))
        toks = [spec.lexicon[w.group().lower()] for w in words]
        parts = _parse(toks, lang)
        for n, (i, j, num) in enumerate(parts):
            start, end = words[i].start(), words[j - 1].end()
            first = words[i].group().lower()
            if n == 0 and _LINE_BREAK_HYPHEN.search(norm, max(0, start - 12), start):
                continue  # the tail of a word hyphenated across a line
            if n == len(parts) - 1 and not num.closed:
                m = spec.ord_re.match(norm, end)
                if m and _continues(num, spec.ord_stems[m.group(1).lower()], lang):
                    continue
            if lang == "ru" and first.startswith("од") and _prev_word(norm, start) == "ни":
                continue  # ни одного = "not a single one"
            if j - i == 1 and not _single_word_ok(norm, start, end, first, lang):
                continue
            found.append((start, end, num.value))
    return found


def _normalize(text: str, spec: _Spec) -> str:
    # str.replace is far faster than str.translate on long text
    for old, new in spec.table:
        if old in text:
            text = text.replace(old, new)
    return text


def _prev_word(norm: str, start: int) -> str:
    m = _PREV_WORD.search(norm, max(0, start - 40), start)
    return m.group(1).lower() if m else ""


def _prev_token(norm: str, start: int) -> str:
    m = _PREV_TOKEN.search(norm, max(0, start - 40), start)
    return m.group(1) if m else ""


def _single_word_ok(norm: str, start: int, end: int, word: str, lang: Lang) -> bool:
    """Context rules for one-word numbers that are often something else."""
    if lang == "kk":
        idiom = _KK_IDIOM_AFTER.get(word)
        if idiom and idiom.match(norm, end):
            return False
        if word == "бір" and _KK_ONE_IDIOM_BEFORE.search(norm, max(0, start - 12), start):
            return False
        if word.startswith("тоқсан"):  # also "quarter (of a year)": "үшінші тоқсанда"
            prev = _prev_token(norm, start)
            if _KK_QUARTER_BEFORE.fullmatch(prev):
                return False
            return not _KK_EVERY_AFTER.match(norm, end)
        return True
    if word.startswith("од") and _RU_ONE_IDIOM_AFTER.match(norm, end):
        return False
    if word == "тысячи":
        return _prev_word(norm, start) in _RU_THOUSAND_CUES
    return True


def words_to_number(words: str, lang: Lang) -> int | None:
    """The value of one phrase that is wholly a cardinal number, else None.

    The caller vouches that the phrase is a number, so forms that
    `find_number_words` reads only inside a compound ("семью", "тысяч") count
    here on their own too.
    """
    spec = _SPECS[lang]
    parts = _normalize(words, spec).lower().split()
    if not parts or any(p not in spec.lexicon for p in parts):
        return None
    parsed = _parse([spec.lexicon[p] for p in parts], lang, strict=False)
    if len(parsed) != 1 or parsed[0][1] - parsed[0][0] != len(parts):
        return None
    return parsed[0][2].value
