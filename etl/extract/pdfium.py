"""The fast engine: read upright text per page through pdfium (pypdfium2).

Gives the same `PageGlyphs` as the pdfplumber engine (`etl.extract.pdfplumber`): loose
boxes (advance width by font ascent/descent, as pdfminer computes them), the
font size, boldness, and only text whose text matrix is upright, so the
rotated margin stamp is dropped the same way. pdfium parses a page 30-50
times faster than pdfminer.

Asking pdfium about every character through ctypes would cost several times
what parsing the page does, so a page is read by word: pdfium's own page text
already breaks words at spaces and gaps, and a word whose first and last
characters belong to one text object (one font, size and orientation) becomes
one `Glyph` spanning the word, from two character boxes. Words that straddle
text objects with different fonts, sizes, baselines or orientation are read
character by character, as are pages pdfium cannot give as one string.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from ..errors import RejectedFile
from .glyphs import Glyph, PageGlyphs
from .rules import pdfium_rules
from .limits import MAX_GLYPHS_PER_PAGE, MAX_PAGES, check_header, check_structure
from .text_layer import Box, is_hidden, is_white

# pdfium's error texts for a password problem (FPDF_ERR_PASSWORD) and for
# files it cannot parse; see pypdfium2's PdfiumError.
_PASSWORD_ERRORS = ("password",)
_BOLD_WEIGHT = 600
_NAME_BUF = 128
# Words and the gaps between them in pdfium's page text; pdfium adds spaces
# and line breaks of its own where it sees gaps and new lines.
_WORD_OR_GAP = re.compile(r"[^ \r\n\x00]+|[ \r\n\x00]+")
# pdfium marks a hyphen at a line end as a soft hyphen; in these letters it
# is a real one ("іс-" / "қимыл").
_HYPHENS = str.maketrans({"\ufffe": "-", "\x02": "-"})


def _upright(m: Any) -> bool:
    return abs(m.b) <= 1e-6 and abs(m.c) <= 1e-6 and m.a > 0 and m.d > 0


class _Style(NamedTuple):
    """What every character of one pdfium text object shares."""

    upright: bool
    size: float
    font: int | bytes  # pdfium's font handle, or its name when the object is unknown
    bold: bool
    mode: int = 0  # text render mode (3: invisible)
    white: bool = False  # filled in the paper's colour


class _Calls:
    """The pdfium text calls of the word loop, typed with plain addresses.

    pypdfium2's bindings convert typed pointer arguments on every call and
    return fresh pointer objects that compare by identity; these prototypes
    of the same C functions take and return addresses as ints.
    """

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        def proto(fn: Any, restype: Any, *argtypes: Any) -> Any:
            address = ctypes.cast(fn, ctypes.c_void_p).value
            assert address is not None
            return ctypes.CFUNCTYPE(restype, *argtypes)(address)

        vp, i, d = ctypes.c_void_p, ctypes.c_int, ctypes.c_double
        self.text_object = proto(raw.FPDFText_GetTextObject, vp, vp, i)
        self.loose_box = proto(raw.FPDFText_GetLooseCharBox, i, vp, i, vp)
        self.matrix = proto(raw.FPDFText_GetMatrix, i, vp, i, vp)
        self.font_size = proto(raw.FPDFText_GetFontSize, d, vp, i)
        self.font_info = proto(raw.FPDFText_GetFontInfo, ctypes.c_ulong, vp, i, vp, ctypes.c_ulong, vp)
        self.font_weight = proto(raw.FPDFText_GetFontWeight, i, vp, i)
        self.is_generated = proto(raw.FPDFText_IsGenerated, i, vp, i)
        self.origin = proto(raw.FPDFText_GetCharOrigin, i, vp, i, vp, vp)
        self.object_font = proto(raw.FPDFTextObj_GetFont, vp, vp)
        self.font_name = proto(raw.FPDFFont_GetBaseFontName, ctypes.c_size_t, vp, vp, ctypes.c_size_t)
        self.font_weight_of = proto(raw.FPDFFont_GetWeight, i, vp)
        self.render_mode = proto(raw.FPDFTextObj_GetTextRenderMode, i, vp)
        self.fill_color = proto(raw.FPDFPageObj_GetFillColor, i, vp, vp, vp, vp, vp)
        self.count_objects = proto(raw.FPDFPage_CountObjects, i, vp)
        self.get_object = proto(raw.FPDFPage_GetObject, vp, vp, i)
        self.form_count = proto(raw.FPDFFormObj_CountObjects, i, vp)
        self.form_object = proto(raw.FPDFFormObj_GetObject, vp, vp, ctypes.c_ulong)
        self.object_type = proto(raw.FPDFPageObj_GetType, i, vp)
        self.bounds = proto(raw.FPDFPageObj_GetBounds, i, vp, vp, vp, vp, vp)


_calls: _Calls | None = None


def _pdfium_calls() -> _Calls:
    global _calls
    if _calls is None:
        _calls = _Calls()
    return _calls


class _PageReader:
    """The upright words of one pdfium text page as glyphs (see the module doc)."""

    def __init__(self, textpage: Any, height: float, text: str, page: Any = None, width: float = 0.0) -> None:
        import pypdfium2.raw as raw

        self.c = _pdfium_calls()
        self.tp = ctypes.cast(textpage, ctypes.c_void_p).value
        self.page = ctypes.cast(page, ctypes.c_void_p).value if page is not None else None
        self.height = height
        self.width = width
        self._images: list[Box] | None = None
        self.text = text.translate(_HYPHENS)
        self.rotated = 0
        self.glyphs: list[Glyph] = []
        self._styles: dict[int, _Style] = {}
        self._bold_of: dict[int | bytes, bool] = {}
        self._box, self._box2, self._m = raw.FS_RECTF(), raw.FS_RECTF(), raw.FS_MATRIX()
        self._x, self._y = ctypes.c_double(), ctypes.c_double()
        self._name = ctypes.create_string_buffer(_NAME_BUF)
        self._rgba = [ctypes.c_uint() for _ in range(4)]
        self._rgba_at = tuple(ctypes.addressof(v) for v in self._rgba)
        self._white_of: dict[tuple[int, int, int], bool] = {}

    def _style_of(self, obj: int | None, i: int) -> _Style:
        """The style of text object `obj` (character i's), asked once per object."""
        style = self._styles.get(obj) if obj is not None else None
        if style is None:
            style = self._ask_style(i, obj)
            if obj is not None:
                self._styles[obj] = style
        return style

    def _ask_style(self, i: int, obj: int | None = None) -> _Style:
        c, tp, m = self.c, self.tp, self._m
        c.matrix(tp, i, ctypes.addressof(m))
        if obj is None:
            obj = c.text_object(tp, i) or None
        font: int | bytes | None = c.object_font(obj) if obj is not None else None
        if font is not None:
            bold = self._bold_of.get(font)
            if bold is None:
                n = c.font_name(font, ctypes.addressof(self._name), _NAME_BUF)
                name = self._name.raw[: min(n, _NAME_BUF)]
                bold = self._bold_of[font] = b"bold" in name.lower() or c.font_weight_of(font) >= _BOLD_WEIGHT
        else:
            n = c.font_info(tp, i, ctypes.addressof(self._name), _NAME_BUF, None)
            font = self._name.raw[: min(n, _NAME_BUF)]
            bold = self._bold_of.get(font)
            if bold is None:
                bold = self._bold_of[font] = b"bold" in font.lower() or c.font_weight(tp, i) >= _BOLD_WEIGHT
        mode, white = 0, False
        if obj is not None:
            mode = c.render_mode(obj)
            if c.fill_color(obj, *self._rgba_at):
                rgb = (self._rgba[0].value, self._rgba[1].value, self._rgba[2].value)
                known = self._white_of.get(rgb)
                if known is None:
                    known = self._white_of[rgb] = is_white(tuple(v / 255 for v in rgb))
                white = known
        # The size as drawn: font size times the text matrix's scale (a
        # browser draws 16.66 px text at 0.75 pt/px).
        return _Style(_upright(m), c.font_size(tp, i) * m.d, font, bold, mode, white)

    def _page_images(self) -> list[Box]:
        """Boxes of the page's images (and of forms holding one), asked only when hidden text needs them."""
        if self._images is None:
            self._images = []
            if self.page is not None:
                c = self.c
                n = c.count_objects(self.page)
                for k in range(max(0, n)):
                    obj = c.get_object(self.page, k)
                    if obj and self._holds_image(obj, 0):
                        v = [ctypes.c_float() for _ in range(4)]
                        if c.bounds(obj, *(ctypes.addressof(x) for x in v)):
                            left, bottom, right, top = (x.value for x in v)
                            self._images.append((left, right, self.height - top, self.height - bottom))
        return self._images

    def _holds_image(self, obj: int, depth: int) -> bool:
        kind = self.c.object_type(obj)
        if kind == 3:  # FPDF_PAGEOBJ_IMAGE
            return True
        if kind != 5 or depth > 8:  # FPDF_PAGEOBJ_FORM
            return False
        return any(
            (child := self.c.form_object(obj, k)) and self._holds_image(child, depth + 1)
            for k in range(max(0, self.c.form_count(obj)))
        )

    def _add(self, glyph: Glyph, style: _Style) -> None:
        box = (glyph.x0, glyph.x1, glyph.top, glyph.bottom)
        if (style.mode or style.white or glyph.x0 < 0 or glyph.x1 > self.width or glyph.top < 0
                or glyph.bottom > self.height):
            if is_hidden(box, style.mode, style.white, self.width, self.height, self._page_images):
                return
        self.glyphs.append(glyph)

    def _glyph(self, text: str, box: Any, box2: Any, style: _Style) -> Glyph:
        return Glyph(
            text,
            box.left,
            box2.right,
            self.height - max(box.top, box2.top),
            self.height - min(box.bottom, box2.bottom),
            style.size,
            style.bold,
        )

    def _by_char(self, start: int, end: int) -> None:
        box = self._box
        for i in range(start, end):
            style = self._ask_style(i)
            if not style.upright:
                self.rotated += 1
                continue
            self.c.loose_box(self.tp, i, ctypes.addressof(box))
            self._add(self._glyph(self.text[i], box, box, style), style)

    def _baseline(self, i: int) -> float:
        self.c.origin(self.tp, i, ctypes.addressof(self._x), ctypes.addressof(self._y))
        return self._y.value

    def read(self) -> list[Glyph]:
        c, tp, text, glyphs = self.c, self.tp, self.text, self.glyphs
        box, box2 = self._box, self._box2
        box_at, box2_at = ctypes.addressof(box), ctypes.addressof(box2)
        for match in _WORD_OR_GAP.finditer(text):
            start, end = match.span()
            word = match.group()
            if word[0] in " \r\n\x00":
                # A space in the file (not one pdfium added) separates words
                # however narrow the gap: the layout stage needs to see it,
                # so the word before it ends in it.
                if glyphs and " " in word and not glyphs[-1].text.endswith(" "):
                    if any(text[i] == " " and not c.is_generated(tp, i) for i in range(start, end)):
                        glyphs[-1] = glyphs[-1]._replace(text=glyphs[-1].text + " ")
                continue
            last = end - 1
            obj = c.text_object(tp, start)
            style = self._style_of(obj, start)
            if last > start:
                obj2 = c.text_object(tp, last)
                # Two text objects make one word only when nothing but the
                # position changes between them.
                if obj2 != obj and (
                    self._style_of(obj2, last) != style or abs(self._baseline(start) - self._baseline(last)) > 0.01
                ):
                    self._by_char(start, end)
                    continue
            if not style.upright:
                self.rotated += end - start
                continue
            c.loose_box(tp, start, box_at)
            if last == start:
                self._add(self._glyph(word, box, box, style), style)
                continue
            c.loose_box(tp, last, box2_at)
            if box2.left < box.left:
                # Not left to right: let the layout stage order the characters.
                self._by_char(start, end)
                continue
            self._add(self._glyph(word, box, box2, style), style)
        return glyphs


def read_pages_pdfium(path: str, data: bytes, password: str | None = None) -> Iterator[PageGlyphs]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    check_header(path, data)
    # pdfium would inflate a bomb in one go: pdfminer's structure check first.
    structure_pages = check_structure(path, data, password)
    try:
        pdf = pdfium.PdfDocument(data, password=password or None)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if any(word in message.lower() for word in _PASSWORD_ERRORS):
            if password:
                raise RejectedFile(path, "encrypted", "encrypted PDF: the --password given does not open it") from None
            raise RejectedFile(path, "encrypted", "encrypted PDF: needs a password (use --password)") from None
        raise RejectedFile(path, "corrupt", f"corrupt or truncated PDF ({message})") from None
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise RejectedFile(path, "corrupt", "PDF has no pages")
        if n_pages > MAX_PAGES:
            raise RejectedFile(path, "too_large", f"{n_pages} pages exceeds the {MAX_PAGES}-page limit")
        if n_pages != structure_pages:
            # pdfium repaired the page tree its own way: the two readings of
            # the file disagree, so neither can be trusted to be the whole letter.
            raise RejectedFile(
                path,
                "corrupt",
                f"corrupt PDF: the page tree holds {structure_pages} pages read one way and {n_pages} another",
            )
        for number in range(n_pages):
            page = None
            try:
                page = pdf[number]
                if page.get_rotation():
                    # /Rotate turns the page for a viewer; the text is read as
                    # drawn, in the page's own coordinates, as pdfminer reads it.
                    page.set_rotation(0)
                height = page.get_height()
                width = page.get_width()
                textpage = page.get_textpage()
            except pdfium.PdfiumError as exc:
                if page is not None:
                    page.close()
                raise RejectedFile(path, "corrupt", f"corrupt or truncated PDF at page {number + 1} ({exc})") from None
            tp = textpage.raw
            count = raw.FPDFText_CountChars(tp)
            if count > MAX_GLYPHS_PER_PAGE:
                textpage.close()
                page.close()
                raise RejectedFile(
                    path, "too_large", f"page {number + 1} has {count} characters, over the {MAX_GLYPHS_PER_PAGE} limit"
                )
            text = textpage.get_text_range(0, count) if count > 0 else ""
            if len(text) != count:
                # Characters outside the BMP take two UTF-16 units: read one by one.
                text = "".join(chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(count))
            rules = pdfium_rules(page.raw, height)
            reader = _PageReader(tp, height, text, page.raw, width)
            glyphs = reader.read()
            rotated = reader.rotated
            textpage.close()
            page.close()
            # A word may end in the space that followed it.
            n_chars = sum(len(g.text.rstrip(" ")) for g in glyphs)
            yield PageGlyphs(number + 1, width, height, glyphs, rotated, n_chars, rules)
    finally:
        pdf.close()
