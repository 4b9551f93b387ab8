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
from typing import Iterable

from .number_lexicon import (
    ALONE,
    FINAL,
    HUND,
    KK_ORD_END,
    KK_ORD_STEMS,
    KZ_HUND,
    NOT_FIRST,
    ONES,
    RU_ORD_END,
    RU_ORD_STEMS,
    RU_THOUSAND_CUES,
    SCALE,
    TEEN,
    TENS,
    ZERO,
    Lang,
    Tok,
    kind_of,
    kk_lexicon,
    ru_lexicon,
)

__all__ = ["find_number_words", "words_to_number"]



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
    lexicon: dict[str, Tok]
    run_re: re.Pattern[str]
    ord_re: re.Pattern[str]  # an ordinal word right after a run
    ord_stems: dict[str, int]
    table: tuple[tuple[str, str], ...]  # one-for-one letters, so offsets keep


def _spec(lang: Lang) -> _Spec:
    if lang == "kk":
        lexicon, ord_stems, ord_end = kk_lexicon(), KK_ORD_STEMS, KK_ORD_END
        # Kazakh typed with Latin or IPA look-alikes is common in older files.
        table = tuple(zip("iIəƏɵƟёЁ", "іІәӘөӨеЕ"))
    else:
        lexicon, ord_stems, ord_end = ru_lexicon(), RU_ORD_STEMS, RU_ORD_END
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
    "(?:" + _trie_regex(KK_ORD_STEMS) + ")" + KK_ORD_END + r"|[IVXІ]+|\d+-(?:ші|шы|і|ы)?",
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

    def accepts(self, tok: Tok) -> bool:
        if self.closed:
            return False
        if self.count == 0:
            return True
        if tok.flags & ALONE:
            return False
        k = tok.kind
        if k == ONES:
            return self.o < 0
        if k in (TEEN, TENS):
            return self.t < 0 and self.o < 0
        if k == HUND:
            return self.group_empty
        if k == KZ_HUND:
            return self.h < 0 and self.t < 0
        if k == SCALE:
            if self.last_scale and tok.value >= self.last_scale:
                return False
            return not self.group_empty
        return False

    def add(self, tok: Tok) -> None:
        k = tok.kind
        if k == ZERO:
            self.o = 0
        elif k == ONES:
            self.o = tok.value
        elif k in (TEEN, TENS):
            self.t = tok.value
        elif k == HUND:
            self.h = tok.value
        elif k == KZ_HUND:
            self.h = 100 * (self.o if self.o > 0 else 1)
            self.o = -1
        else:  # scale
            self.total += (self.group if not self.group_empty else 1) * tok.value
            self.last_scale = tok.value
            self.h = self.t = self.o = -1
        self.count += 1
        if tok.flags & (FINAL | ALONE):
            self.closed = True


def _parse(
    toks: list[Tok], lang: Lang, strict: bool = True
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
        if strict and j == i + 1 and toks[i].flags & NOT_FIRST:
            i += 1
            continue
        out.append((i, j, num))
        i = j
    return out


def _accepts(num: _Number, tok: Tok, lang: Lang) -> bool:
    if not num.accepts(tok):
        return False
    # Russian "десять" is a teen (nothing follows); Kazakh "он" takes ones.
    if lang == "ru" and tok.kind == ONES and 0 <= num.t < 20:
        return False
    return True


def _continues(num: _Number, value: int, lang: Lang) -> bool:
    """Would a cardinal of `value` extend `num`? Used for a following ordinal."""
    return _accepts(num, Tok(value, kind_of(value, lang)), lang)


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


_KK_SCALE_WORDS = frozenset({"мың", "миллион", "миллиард"})
# A scale word right after a comma, an opening bracket or the start of the
# text names a unit ("Өнім өндірісі, мың тонна"), it counts nothing.
_KK_UNIT_HEADING = re.compile(r"(?:^|[,(/]\s*)$")


def _single_word_ok(norm: str, start: int, end: int, word: str, lang: Lang) -> bool:
    """Context rules for one-word numbers that are often something else."""
    if lang == "kk":
        idiom = _KK_IDIOM_AFTER.get(word)
        if idiom and idiom.match(norm, end):
            return False
        if word == "бір" and _KK_ONE_IDIOM_BEFORE.search(norm, max(0, start - 12), start):
            return False
        if word in _KK_SCALE_WORDS and _KK_UNIT_HEADING.search(norm, max(0, start - 3), start):
            return False  # "Өнім, мың тонна", "(млн теңге)": a unit heading, as "тыс. тонн"
        if word.startswith("тоқсан"):  # also "quarter (of a year)": "үшінші тоқсанда"
            prev = _prev_token(norm, start)
            if _KK_QUARTER_BEFORE.fullmatch(prev):
                return False
            return not _KK_EVERY_AFTER.match(norm, end)
        return True
    if word.startswith("од") and _RU_ONE_IDIOM_AFTER.match(norm, end):
        return False
    if word == "тысячи":
        return _prev_word(norm, start) in RU_THOUSAND_CUES
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
