"""Kazakh or Russian: the language of a paragraph from its letters and common words."""

from __future__ import annotations

import re

from ..models import KAZAKH_ONLY_LETTERS, Lang

KAZAKH_ONLY = frozenset(KAZAKH_ONLY_LETTERS + KAZAKH_ONLY_LETTERS.upper())
_CYRILLIC = re.compile(r"[\u0400-\u0481\u048a-\u04ff]")  # the letters of the Cyrillic block
_KAZAKH_LETTER = re.compile("[" + "".join(sorted(KAZAKH_ONLY)) + "]")
_KK_WORDS = frozenset(
    "және бойынша жылы жылғы туралы үшін мен оның осы бұл сондай-ақ қатысты жүзеге "
    "арқылы болып табылады ретінде кезінде бар жоқ барысында қазіргі ағымдағы".split()
)
_RU_WORDS = frozenset(
    "и в на по с для от что не как году года также при о об из за это либо т.г. "
    "в т.ч. которые который является".split()
)



def language_of(text: str) -> Lang | None:
    """kk or ru from the letters and common words of a text; None if it has neither."""
    n_cyr = len(_CYRILLIC.findall(text))
    if n_cyr < 3:
        return None
    kk_letters = len(_KAZAKH_LETTER.findall(text))
    words = re.findall(r"[\w.-]+", text.lower())
    kk_words = sum(1 for w in words if w in _KK_WORDS)
    ru_words = sum(1 for w in words if w in _RU_WORDS)
    share = kk_letters / n_cyr
    # Kazakh prose has 8-12 % Kazakh-only letters; Russian prose borrows the
    # odd one (ІР-адрес, a Kazakh name), so a share decides, not a presence.
    if share >= 0.03 or kk_words > ru_words + 1:
        return "kk"
    if share < 0.015 and (n_cyr >= 25 or ru_words > kk_words):
        return "ru"
    return None
