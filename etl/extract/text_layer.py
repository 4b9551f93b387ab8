"""Whether a text layer is there (not a scan) and says what it shows (no broken fonts).

These rules look at text only, so they hold whichever engine produced the glyphs."""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

from ..models import KAZAKH_ONLY_LETTERS, RUSSIAN_LETTERS
from .glyphs import PageGlyphs

# What the parser gives for a glyph its font cannot map to Unicode.
UNMAPPED = "\ufffd"
_CID = re.compile(r"\(cid:\d+\)")

OCR_HINT = "run OCR first, e.g. `ocrmypdf -l kaz+rus in.pdf out.pdf`"
# A page with fewer characters than this carries no body text: at most a
# page number or a registration line printed over a scan.
MIN_PAGE_CHARS = 40

# Encoding problems are counted, not merely spotted: a Ukrainian name or one
# odd bullet must not sink a letter, a font that garbles every Kazakh letter
# must. Kazakh prose has 8-12 % Kazakh-only letters, so a font that misplaces
# them leaves several per cent of the Cyrillic letters wrong.
MIN_BAD_CHARS = 5
MAX_BAD_SHARE = 0.005

_BOTH = RUSSIAN_LETTERS + KAZAKH_ONLY_LETTERS
KAZAKH_RUSSIAN = frozenset(_BOTH + _BOTH.upper())
# Symbols that sit next to Cyrillic words in these letters on their own right.
_USUAL_SYMBOLS = frozenset("№§°%‰±×÷+=<>|~«»„“”‘’•·…€$₸₽£¥©®™^`¹²³")  # ³ as in "м³"
# Characters the encoding rules never count: Kazakh and Russian letters,
# printable ASCII, the usual symbols, dashes and the common spaces.
_DROP_PLAIN = {
    ord(ch): None
    for ch in set(KAZAKH_RUSSIAN) | set(string.printable) | set(_USUAL_SYMBOLS) | set("–—\u00a0\u202f\u2009")
}


def text_layer_problem(pages: Sequence[PageGlyphs], hint: str = OCR_HINT) -> str | None:
    """Why the pages carry no usable text layer (a scan), or None.

    A letter whose pages are all, or mostly (more than half), without text
    is a scan, even when the document system printed a registration line or
    a stamp over the images. A blank page, or a last page holding only a
    signature, among text pages is not. `hint` says what to do about it.
    """
    if not pages:
        return None
    empty = [pg.number for pg in pages if pg.n_chars < MIN_PAGE_CHARS]
    if len(empty) == len(pages):
        return f"no text layer (image-only PDF, {len(pages)} page{'s' * (len(pages) > 1)}): {hint}"
    if 2 * len(empty) > len(pages):
        return f"no text layer on {len(empty)} of {len(pages)} pages ({_page_list(empty)}): scanned pages; {hint}"
    return None


def _page_list(numbers: list[int]) -> str:
    runs: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [-1]:
        if n == prev + 1:
            prev = n
            continue
        runs.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = n
    return "pages " + ", ".join(runs) if len(numbers) > 1 else f"page {numbers[0]}"


def _is_unmapped(ch: str) -> bool:
    if ch == UNMAPPED:
        return True
    cat = unicodedata.category(ch)
    # Control codes (what pdfium gives for unmapped glyphs), private-use and
    # unassigned code points are never text.
    return (cat == "Cc" and ch not in "\t\n\r") or cat in ("Co", "Cn")




def _is_cyrillic_letter(ch: str) -> bool:
    return "\u0400" <= ch <= "\u052f" and ch.isalpha()


def encoding_problem(text: str) -> str | None:
    """Why `text` does not say what the page shows, or None when it reads right.

    Three faults, each counted against the size of the text so that a stray
    character never rejects a letter:

    - glyphs with no Unicode value: "(cid:NN)", U+FFFD, control codes,
      private-use code points (a font without a ToUnicode map);
    - Kazakh letters on other code points, as old Kazakh fonts printed them:
      Cyrillic letters of neither alphabet (ј ў ї є љ њ ћ џ ...), symbols
      touching Cyrillic words (¼ ¾ ¤ ...) or non-ASCII punctuation inside
      them (¿ ¡ ...). A Latin "i" typed for "і" is a look-alike that reads
      right, and is never counted;
    - Cyrillic read as accented Latin ("Ìèíèñòåðñòâî"), a one-byte font
      with no Unicode map.
    """
    text = _CID.sub(UNMAPPED, text)
    # Almost every letter is plain Kazakh, Russian or ASCII text, which no
    # rule below counts: only when something else is left is it looked at.
    if not text.translate(_DROP_PLAIN):
        return None
    chars = sum(1 for ch in text if not ch.isspace())
    if not chars:
        return None
    unmapped = sum(1 for ch in text if _is_unmapped(ch))
    if unmapped >= MIN_BAD_CHARS and unmapped >= MAX_BAD_SHARE * chars:
        return (
            f"font without a Unicode map: {unmapped} of {chars} characters have no Unicode value "
            "((cid:NN) glyphs or control codes); re-export the PDF with embedded Unicode fonts, or OCR it"
        )
    foreign: Counter[str] = Counter()
    cyrillic = 0
    n = len(text)
    for i, ch in enumerate(text):
        if _is_cyrillic_letter(ch):
            cyrillic += 1
            if ch not in KAZAKH_RUSSIAN:
                foreign[ch] += 1
            continue
        if ch.isalnum() or ch.isspace() or ch in _USUAL_SYMBOLS:
            continue
        cat = unicodedata.category(ch)
        before = _is_cyrillic_letter(text[i - 1]) if i else False
        after = _is_cyrillic_letter(text[i + 1]) if i + 1 < n else False
        # A symbol touching a Cyrillic word, or non-ASCII punctuation ("¿",
        # "¡") inside one, stands where a letter should be.
        if (cat[0] == "S" or cat == "No") and (before or after):
            foreign[ch] += 1
        elif cat == "Po" and not ch.isascii() and before and after:
            foreign[ch] += 1
    bad = sum(foreign.values())
    if bad >= MIN_BAD_CHARS and bad >= MAX_BAD_SHARE * max(cyrillic, 1):
        shown = ", ".join(f"'{ch}' ×{k}" for ch, k in foreign.most_common(6))
        return (
            f"Kazakh letters on the wrong code points (an old Kazakh font): {shown} "
            f"in {cyrillic} Cyrillic letters; re-export the PDF with Unicode fonts"
        )
    letters = [ch for ch in text if ch.isalpha()]
    latin1 = sum(1 for ch in letters if "\u00c0" <= ch <= "\u00ff")
    if latin1 >= 20 and latin1 >= 0.3 * len(letters):
        sample = next((w for w in text.split() if sum("\u00c0" <= c <= "\u00ff" for c in w) >= 3), "")
        return (
            f"Cyrillic text reads as accented Latin letters ({sample[:30]!r}): a font without a Unicode map; "
            "re-export the PDF with Unicode fonts"
        )
    return None


# ------------------------------------------------------------ text nobody sees

# Text render modes that paint nothing: 3 (neither fill nor stroke) and 7 (clip only).
INVISIBLE_MODES = frozenset({3, 7})
# A fill this light on a white page cannot be told from the paper.
_WHITE = 0.95

Box = tuple[float, float, float, float]  # x0, x1, top, bottom, from the page's top left


def is_white(color: tuple[float, ...] | None) -> bool:
    """Whether a fill colour (gray, RGB or CMYK components in 0..1) is the paper's white."""
    if not color or not all(isinstance(v, (int, float)) for v in color):
        return False
    if len(color) == 4:
        return all(v <= 1 - _WHITE for v in color)
    return all(v >= _WHITE for v in color)


def is_hidden(box: Box, mode: int, white: bool, width: float, height: float, images: Callable[[], list[Box]]) -> bool:
    """Whether a glyph cannot be seen on the printed page.

    Outside the page box, in an invisible render mode, or white: it is not
    body text (a hidden keyword list, a watermark of numbers, a copy of
    another letter). Over a page image both are kept: that is how an OCR
    layer sits on a scan (invisible text over the picture of itself), and
    white text on a dark picture is seen.
    """
    x0, x1, top, bottom = box
    if x1 <= 0 or x0 >= width or bottom <= 0 or top >= height:
        return True
    if mode not in INVISIBLE_MODES and not white:
        return False
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    return not any(ix0 <= cx <= ix1 and itop <= cy <= ibottom for ix0, ix1, itop, ibottom in images())
