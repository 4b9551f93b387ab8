"""Scanned pages read through Tesseract (kaz + rus trained data), as the same
`PageGlyphs` the PDF engines give, so layout, figures and alignment run unchanged.

Binding: tesserocr (Tesseract's C++ API in-process). One API object per
worker process is initialised once with both languages and reused for every
page, and the digits-only re-reads of small number regions cost
milliseconds, not a Tesseract process start each. Tesseract is told to use
one thread (OMP_THREAD_LIMIT=1, set before the library loads): the pipeline
already runs one worker per core.

A page is rendered with pypdfium2 at OCR_DPI, its skew measured from the
text lines' projection profile and undone, and recognised. Every word
becomes one `Glyph` whose top and bottom are its text line's, so words of a
line share a baseline as they do in a text layer; vertical words (the
rotated copy stamp in the margin) are dropped and counted as rotated
characters, as the engines drop non-upright text. Each word keeps its
confidence and, when it holds digits, the box of its digits, for the figure
rows and for re-reading a number that the two languages disagree on.
"""

from __future__ import annotations

import os

# Before libtesseract (and its OpenMP runtime) is loaded by any import below.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..models import OcrPage, OcrWord
from .glyphs import Glyph, PageGlyphs


INSTALL_COMMAND = "pip install 'kkru-etl[ocr]' && apt-get install tesseract-ocr tesseract-ocr-kaz tesseract-ocr-rus"
LANGUAGES = "kaz+rus"

# Resolution a page is rendered at for OCR, measured (bench/ocr.py --dpi;
# README, "Scanned letters"): on scans made at 200 dpi, rendering at 200 read
# every digit right where 150, 300 and 400 each misread one (7 as 9 or 1),
# and costs a third less than 300.
OCR_DPI = 200
# A number the two languages disagree on is read again from a sharper
# rendering of its own box, digits only.
REREAD_DPI = 400
_DIGIT_CHARS = "0123456789"
_NUMBERISH = re.compile(r"\d[\d.,/]*\d|\d")

# Where Debian, Fedora, Homebrew and source builds keep the trained data.
_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)

# Deskew search: the skew of a scanned or photographed letter, in degrees.
_MAX_SKEW = 5.0
_SKEW_STEP = 0.1


def _tessdata() -> str | None:
    dirs = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    dirs += list(_TESSDATA_DIRS)
    for d in dirs:
        for sub in (Path(d), Path(d) / "tessdata"):
            if all((sub / f"{lang}.traineddata").is_file() for lang in LANGUAGES.split("+")):
                return str(sub) + "/"
    return None


@lru_cache(maxsize=1)
def ocr_problem() -> str | None:
    """Why OCR cannot run on this machine (with the install command), or None."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return f"OCR is not installed (no tesserocr); install it: {INSTALL_COMMAND}"
    if _tessdata() is None:
        return f"OCR is not installed (no Kazakh and Russian Tesseract data); install it: {INSTALL_COMMAND}"
    return None


class _Apis:
    """This process's Tesseract objects: one for pages, one for digits."""

    def __init__(self) -> None:
        self._page: Any = None
        self._digits: Any = None

    def _new(self, psm: int) -> Any:
        from tesserocr import OEM, PyTessBaseAPI

        return PyTessBaseAPI(path=_tessdata(), lang=LANGUAGES, psm=psm, oem=OEM.LSTM_ONLY)

    def page(self) -> Any:
        if self._page is None:
            from tesserocr import PSM

            self._page = self._new(PSM.AUTO)
        return self._page

    def digits(self) -> Any:
        if self._digits is None:
            from tesserocr import PSM

            self._digits = self._new(PSM.SINGLE_LINE)
            self._digits.SetVariable("tessedit_char_whitelist", _DIGIT_CHARS + ".,/")
        return self._digits


_apis = _Apis()


def _render(page: Any, dpi: int, skew: float) -> Any:
    from PIL import Image

    img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    if skew:
        img = img.rotate(-skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    return img


def measure_skew(img: Any) -> float:
    """The angle (degrees, counter-clockwise) the text lines are rotated by.

    Projection profile: the ink's row histogram is sharpest when the rows
    follow the text lines. Measured on a quarter-size image; for these small
    angles a rotation is a vertical shear."""
    import numpy as np

    small = img.reduce(4) if min(img.size) > 800 else img
    ink = np.asarray(small) < 128
    ys, xs = np.nonzero(ink)
    if len(ys) < 50:
        return 0.0
    best, best_score = 0.0, -1.0
    steps = int(round(_MAX_SKEW / _SKEW_STEP))
    height = small.size[1]
    xs_f = xs.astype(np.float64)
    for i in range(-steps, steps + 1):
        angle = i * _SKEW_STEP
        rows = np.round(ys + xs_f * np.tan(np.radians(angle))).astype(np.int64)
        rows = rows[(rows >= 0) & (rows < height)]
        hist = np.bincount(rows, minlength=height).astype(np.float64)
        score = float(np.dot(hist, hist))
        if score > best_score:
            best, best_score = angle, score
    return best


@dataclass
class OcrResult:
    page: PageGlyphs
    words: list[OcrWord]
    info: OcrPage


def _is_vertical(text: str, box: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box
    return len(text) >= 2 and (y1 - y0) > 1.5 * (x1 - x0)


def _symbols(it: Any) -> list[tuple[str, tuple[int, int, int, int]]]:
    """The characters of the iterator's current word with their boxes (the
    iterator is left inside the word; the caller moves on by word)."""
    from tesserocr import RIL

    out: list[tuple[str, tuple[int, int, int, int]]] = []
    while True:
        ch = _text_at(it, RIL.SYMBOL)
        box = it.BoundingBox(RIL.SYMBOL)
        if ch and box:
            out.append((ch, box))
        if it.IsAtFinalElement(RIL.WORD, RIL.SYMBOL) or not it.Next(RIL.SYMBOL):
            break
    return out


def _text_at(it: Any, level: int) -> str:
    # tesserocr raises instead of returning "" where Tesseract found no text
    # (a blank page's only, empty block).
    try:
        return (it.GetUTF8Text(level) or "").strip()
    except RuntimeError:
        return ""


def _union(boxes: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _split_numbers(
    symbols: list[tuple[str, tuple[int, int, int, int]]], conf: float, gap: float
) -> list[tuple[str, tuple[int, int, int, int], float, tuple[int, int, int, int] | None]]:
    """A word holding digits, cut where its characters stand apart: Tesseract
    may read "3, 5" as the one word "3,5", a decimal the letter never wrote.
    Each part keeps the box of its digits (and the separators between them)."""
    parts: list[list[tuple[str, tuple[int, int, int, int]]]] = [[]]
    for ch, box in symbols:
        # Only after a comma (a decimal one sits close to its digits): a
        # narrow digit ("1") leaves wide gaps of its own, and so do the
        # points of a date ("13.11.2017").
        if parts[-1] and parts[-1][-1][0] == "," and box[0] - parts[-1][-1][1][2] > gap:
            parts.append([])
        parts[-1].append((ch, box))
    out = []
    for part in parts:
        text = "".join(ch for ch, _ in part)
        digit_at = [i for i, (ch, _) in enumerate(part) if ch.isdigit()]
        dbox = _union([b for _, b in part[digit_at[0] : digit_at[-1] + 1]]) if digit_at else None
        out.append((text, _union([b for _, b in part]), conf, dbox))
    return out


_Word = tuple[str, tuple[int, int, int, int], float, "tuple[int, int, int, int] | None"]

# Tesseract reads the numero sign as "Ме", "Мо" or "No" ("№ исх:", "№ДЗ-256").
_NUMERO = re.compile(r"^(?:Ме|Мо|Мe|Nо|No|Ne|N°|М°)(?=$|[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])")
# A DejaVu-like font's ascent and descent, in ems: what a text layer's
# glyph boxes span above and below the baseline.
_ASCENT, _DESCENT = 0.93, 0.24


def _respell(text: str) -> str:
    return _NUMERO.sub("№", text)


def _page_glyphs(number: int, lines: list[tuple[float, float, list[_Word]]], k: float) -> tuple[list[Glyph], list[OcrWord]]:
    """Glyphs and words of a page's OCR lines, in PDF points (`k` points per pixel).

    A word's top and bottom are its line's, from the baseline and the font
    size, so the words of a line share a baseline as in a text layer. The
    size is Tesseract's row height (about an em); a line within 12 % of the
    page's median size is given the median, so the layout stage sees one
    body size rather than a size that wavers with the letters of each line."""
    import statistics

    sizes = [s for _, s, _ in lines if s > 0]
    median = statistics.median(sizes) if sizes else 0.0
    glyphs: list[Glyph] = []
    words: list[OcrWord] = []
    for baseline, size_px, line in lines:
        if size_px <= 0:
            size_px = max(b[3] for _, b, _, _ in line) - min(b[1] for _, b, _, _ in line)
        elif median and abs(size_px - median) <= 0.12 * median:
            size_px = median
        size = size_px * k
        top = baseline * k - _ASCENT * size
        bottom = baseline * k + _DESCENT * size
        for i, (text, box, conf, dbox) in enumerate(line):
            # A word ends in the space that followed it, as the engines give it.
            glyphs.append(Glyph(text if i == len(line) - 1 else text + " ", box[0] * k, box[2] * k, top, bottom, size))
            digits_box = (dbox[0] * k, dbox[1] * k, dbox[2] * k, dbox[3] * k) if dbox else None
            words.append(OcrWord(number, text, box[0] * k, box[1] * k, box[2] * k, box[3] * k, conf, digits_box))
    return glyphs, words


def ocr_page(page: Any, number: int, dpi: int = OCR_DPI) -> OcrResult:
    """OCR one pypdfium2 page: its glyphs, its words with confidences, its skew."""
    from tesserocr import RIL

    width, height = page.get_width(), page.get_height()
    skew = measure_skew(_render(page, dpi, 0.0))
    img = _render(page, dpi, skew)
    api = _apis.page()
    api.SetImage(img)
    api.SetSourceResolution(dpi)
    api.Recognize()
    k = 72.0 / dpi
    rotated = 0
    it = api.GetIterator()
    lines: list[tuple[float, float, list[_Word]]] = []  # baseline, size (px), words
    line: list[_Word] = []
    baseline = size_px = 0.0

    def flush() -> None:
        if line:
            lines.append((baseline, size_px, list(line)))
            line.clear()

    if it is not None:
        while True:
            if it.IsAtBeginningOf(RIL.TEXTLINE):
                flush()
                (_, y0), (_, y1) = it.Baseline(RIL.TEXTLINE) or ((0, 0), (0, 0))
                baseline = (y0 + y1) / 2
                size_px = float(it.RowAttributes().get("row_height", 0.0))
            text = _text_at(it, RIL.WORD)
            box = it.BoundingBox(RIL.WORD)
            if text and box:
                if _is_vertical(text, box):
                    rotated += len(text)
                else:
                    conf = float(it.Confidence(RIL.WORD))
                    if any(ch.isdigit() for ch in text):
                        # A comma and a space leave half an em; a decimal comma a fifth.
                        for part in _split_numbers(_symbols(it), conf, 0.33 * (size_px or (box[3] - box[1]))):
                            line.append((_respell(part[0]), *part[1:]))  # type: ignore[arg-type]
                    else:
                        line.append((_respell(text), box, conf, None))
            if not it.Next(RIL.WORD):
                break
        flush()
    glyphs, words = _page_glyphs(number, lines, k)
    n_chars = sum(len(g.text.rstrip(" ")) for g in glyphs)
    return OcrResult(PageGlyphs(number, width, height, glyphs, rotated, n_chars), words, OcrPage(number, skew, dpi))


class PageImages:
    """Open a letter's PDF for OCR once: pages on demand (pypdfium2)."""

    def __init__(self, data: bytes, password: str | None = None) -> None:
        import pypdfium2 as pdfium

        self._pdf = pdfium.PdfDocument(data, password=password or None)
        # Sharp renderings for re-reads, a few pages at a time (15 MB each).
        self._sharp: dict[int, Any] = {}

    def ocr(self, number: int) -> OcrResult:
        page = self._pdf[number - 1]
        try:
            return ocr_page(page, number, OCR_DPI)
        finally:
            page.close()

    def reread_digits(self, info: OcrPage, box: tuple[float, float, float, float]) -> tuple[str, float]:
        """The digits in `box` (PDF points, on the deskewed page), read again
        from a sharper rendering with only digits allowed: (text, confidence)."""
        img = self._sharp.get(info.number)
        if img is None:
            page = self._pdf[info.number - 1]
            try:
                img = _render(page, REREAD_DPI, info.skew)
            finally:
                page.close()
            if len(self._sharp) >= 4:
                self._sharp.pop(next(iter(self._sharp)))
            self._sharp[info.number] = img
        k = REREAD_DPI / 72.0
        x0, top, x1, bottom = box
        pad = 0.25 * (bottom - top)
        crop = img.crop(
            (
                max(0, int((x0 - pad) * k)),
                max(0, int((top - pad) * k)),
                min(img.width, int((x1 + pad) * k) + 1),
                min(img.height, int((bottom + pad) * k) + 1),
            )
        )
        api = _apis.digits()
        api.SetImage(crop)
        api.SetSourceResolution(REREAD_DPI)
        try:
            text = (api.GetUTF8Text() or "").strip()
        except RuntimeError:
            return "", 0.0
        conf = float(api.MeanTextConf())
        m = _NUMBERISH.search(text.replace(" ", ""))
        return (m.group() if m else ""), conf

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> PageImages:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
