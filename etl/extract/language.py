"""Kazakh or Russian: the language of a paragraph from its letters and common words."""

from __future__ import annotations

import re

from ..models import KAZAKH_ONLY_LETTERS, Lang

KAZAKH_ONLY = frozenset(KAZAKH_ONLY_LETTERS + KAZAKH_ONLY_LETTERS.upper())
_CYRILLIC_RUN = re.compile(r"[\u0400-\u0481\u048a-\u04ff]+")  # letters of the Cyrillic block
_KAZAKH_LETTER = re.compile("[" + "".join(sorted(KAZAKH_ONLY)) + "]")
# A word with at least two Cyrillic letters: one search, no list per word.
_TWO_CYRILLIC = re.compile(r"[\u0400-\u0481\u048a-\u04ff].*?[\u0400-\u0481\u048a-\u04ff]", re.S)
_KK_WORDS = frozenset(
    "және бойынша жылы жылғы туралы үшін мен оның осы бұл сондай-ақ қатысты жүзеге "
    "арқылы болып табылады ретінде кезінде бар жоқ барысында қазіргі ағымдағы".split()
)
_RU_WORDS = frozenset(
    "и в на по с для от что как году года также при о об из за это либо т.г. "
    "в т.ч. которые который является".split()
)

_QUOTED = re.compile(r"«[^«»]*»|“[^“”]*”|„[^„“”]*[“”]|\"[^\"]*\"")
_WORD = re.compile(r"[\w.-]+")
# Roman numerals typed with the Cyrillic І ("ІІ степени", "ІІІ дәрежелі") are no Kazakh letters.
_ROMAN = re.compile(r"(?<!\w)[IІVХX]{1,5}(?![\w])")
# A quotation is left out of the vote only when this much of the sentence is left.
_MIN_UNQUOTED = 12
# Kazakh typed with the Latin i for і ("қауiпсiздiк"): the letter it stands for.
_LATIN_I = re.compile(r"(?<=[\u0400-\u04ff])i|i(?=[\u0400-\u04ff])")
# Words of both scripts run together with no space or hyphen
# ("қазақшаqazaqрусскийenglish", a site's language switch): the names of all
# the languages, no evidence for any.
_GLUED = re.compile(r"\S*(?:[a-zA-Z][\u0400-\u04ff]|[\u0400-\u04ff][a-zA-Z])\S*")
# Where _GLUED can match at all: one linear search, where _GLUED itself
# backtracks over every run of non-spaces (it was half of this module's time).
_SCRIPTS_TOUCH = re.compile(r"[a-zA-Z][\u0400-\u04ff]|[\u0400-\u04ff][a-zA-Z]")
_QUOTE_MARKS = frozenset("«“„\"")


def _n_cyrillic(text: str) -> int:
    # By runs of letters: a list of every single letter costs four times more.
    return sum(map(len, _CYRILLIC_RUN.findall(text)))


def _unquoted(text: str) -> str:
    """The text without its quotations (innermost first), as far as enough is left to judge."""
    core = text
    if _QUOTE_MARKS.isdisjoint(text):
        return core
    while True:
        nxt = _QUOTED.sub(" ", core)
        if nxt == core or _n_cyrillic(nxt) < _MIN_UNQUOTED:
            return core
        core = nxt


def language_of(text: str) -> Lang | None:
    """kk or ru from the letters and common words of a text; None if it has neither."""
    if "i" in text:
        text = _LATIN_I.sub("і", text)
    if _SCRIPTS_TOUCH.search(text):
        text = _GLUED.sub(" ", text)
    n_all = _n_cyrillic(text)
    if n_all < 3:
        return None
    # A sentence quoting a name of the other language («Ұлттық қауіпсіздік
    # қалқаны» in Russian, «Казинформ» in Kazakh) is judged without it.
    whole = text
    text = _ROMAN.sub(" ", text)
    core = _unquoted(text)
    quoted = core != text
    text = core
    n_cyr = n_all if text == whole else _n_cyrillic(text)
    kk_letters = len(_KAZAKH_LETTER.findall(text))
    words = _WORD.findall(text.lower())
    kk_words = sum(1 for w in words if w in _KK_WORDS)
    ru_words = sum(1 for w in words if w in _RU_WORDS)
    cyr_words = [w for w in words if _TWO_CYRILLIC.search(w)]
    marked = sum(1 for w in cyr_words if _KAZAKH_LETTER.search(w))
    share = kk_letters / n_cyr
    # Kazakh prose has 8-12 % Kazakh-only letters, in a quarter to a half of
    # its words; Russian prose borrows the odd one (ІР-адрес, an unquoted name
    # such as Үкімет үйі), so shares decide, not a presence.
    if len(cyr_words) >= 5 and kk_words == 0 and marked <= 0.25 * len(cyr_words) and ru_words >= 1:
        # A lone Kazakh letter is as often a look-alike typed for a Latin one
        # ("ІР-адрес" for IP-адрес) as Kazakh.
        if (marked <= 0.2 * len(cyr_words) and ru_words >= 2) or marked == 0 or kk_letters < 2:
            return "ru"
        # One Russian word against Kazakh-marked ones tells nothing: "Алматы
        # қ., Жибек Жолы к-сі 15 ... Блок государственной службы и ..." (a
        # Kazakh address, then an unquoted Russian name) and "Зал ...
        # расположен на 2 этаже Үкімет үйі" (the reverse) look alike; the
        # paragraph goes with its neighbours.
        return None
    if share >= 0.03 or kk_words > ru_words + 1:
        return "kk"
    if quoted and kk_letters == 0 and kk_words == 0:
        return "ru"
    if share < 0.015 and (n_all >= 25 or ru_words > kk_words):
        return "ru"
    return None
