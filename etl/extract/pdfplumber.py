"""The pdfplumber engine: a PDF's pages as upright glyphs, through pdfminer.

The margin stamp is dropped here: it is printed rotated, so a character whose
text matrix is not upright is not body text, whatever it says. Touching
characters of one font, size and line become one glyph, as the pdfium
engine's words.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from ..errors import RejectedFile
from .glyphs import Glyph, PageGlyphs
from .rules import plumber_rules
from .limits import MAX_GLYPHS_PER_PAGE, StreamCheck, check_header, classify, page_objects, short_error
from .text_layer import UNMAPPED, Box, is_hidden, is_white


def _record_render_modes() -> None:
    """Make pdfplumber's characters carry their text render mode (`render_mode`).

    pdfminer knows the mode while it draws a string but does not keep it on
    the characters; invisible text (mode 3) must be told from visible text.
    """
    from pdfplumber import page as plumber_page

    aggregator = plumber_page.PDFPageAggregatorWithMarkedContent
    if getattr(aggregator, "_kkru_render_mode", False):
        return
    render_string, tag_cur_item = aggregator.render_string, aggregator.tag_cur_item

    def render_string_with_mode(self: Any, textstate: Any, *args: Any) -> None:
        self._kkru_mode = textstate.render
        render_string(self, textstate, *args)

    def tag_with_mode(self: Any) -> None:
        tag_cur_item(self)
        if self.cur_item._objs:
            self.cur_item._objs[-1].render_mode = getattr(self, "_kkru_mode", 0)

    aggregator.render_string = render_string_with_mode  # type: ignore[method-assign, assignment]
    aggregator.tag_cur_item = tag_with_mode  # type: ignore[method-assign]
    aggregator._kkru_render_mode = True  # type: ignore[attr-defined]
    plumber_page.ALL_ATTRS.add("render_mode")


def _is_upright(matrix: tuple[float, ...]) -> bool:
    a, b, c, d = matrix[:4]
    return abs(b) < 1e-6 and abs(c) < 1e-6 and a > 0 and d > 0


def read_pages(path: str, data: bytes, password: str | None = None) -> Iterator[PageGlyphs]:
    """Yield each page's upright glyphs; raise RejectedFile for unreadable files.

    Pages are released as soon as they are read so memory stays flat on long
    letters. Whatever the parser raises on a damaged file becomes a
    RejectedFile: the pdfminer stack raises many untyped errors.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.page import Page
    from pdfplumber.utils.exceptions import PdfminerException

    check_header(path, data)
    _record_render_modes()
    stream = io.BytesIO(data)
    try:
        pdf = pdfplumber.open(stream, password=password or "")
    except PdfminerException as exc:
        raise classify(path, exc.args[0] if exc.args else exc, password) from None
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise classify(path, exc, password) from None
    except PDFSyntaxError as exc:
        raise RejectedFile(path, "corrupt", f"corrupt PDF ({short_error(exc)})") from None
    except Exception as exc:
        raise RejectedFile(path, "corrupt", f"corrupt PDF ({type(exc).__name__}: {short_error(exc)})") from None
    # Not `with pdf:`: pdfplumber's close() builds every page of the file,
    # which is the unbounded work the page limit is there to avoid.
    try:
        page_objs = page_objects(path, pdf, password)
        streams = StreamCheck(path)
        for number, page_obj in enumerate(page_objs, start=1):
            try:
                streams.check_page(number, page_obj)
                # /Rotate turns the page for a viewer; the text is read as
                # drawn, in the page's own coordinates, as pdfium reads it.
                page_obj.rotate = 0
                if "Rotate" in page_obj.attrs:
                    page_obj.attrs = {**page_obj.attrs, "Rotate": 0}
                page = Page(pdf, page_obj, page_number=number)
                chars = page.chars
                rules = plumber_rules(page)
                width, height = float(page.width), float(page.height)
            except RejectedFile:
                raise
            except Exception as exc:
                raise classify(path, exc, password, page=number) from None
            if len(chars) > MAX_GLYPHS_PER_PAGE:
                raise RejectedFile(
                    path, "too_large", f"page {number} has {len(chars)} characters, over the {MAX_GLYPHS_PER_PAGE} limit"
                )
            glyphs: list[Glyph] = []
            rotated = n_chars = 0
            images: list[Box] | None = None

            def page_images() -> list[Box]:
                nonlocal images
                if images is None:
                    images = [(float(im["x0"]), float(im["x1"]), float(im["top"]), float(im["bottom"]))
                              for im in page.images]
                return images

            # The characters of a word, while they share font, size and line
            # and touch: one glyph, as the pdfium engine gives (the layout
            # stage costs per glyph, not per character).
            word: list[str] = []
            first: Glyph | None = None
            x1 = 0.0
            font = ""
            try:
                for ch in chars:
                    if not _is_upright(ch["matrix"]):
                        rotated += 1
                        continue
                    text = ch["text"]
                    if not text or text.isspace() and text != " ":
                        continue
                    mode = ch.get("render_mode") or 0
                    white = is_white(ch.get("non_stroking_color"))
                    box = (float(ch["x0"]), float(ch["x1"]), float(ch["top"]), float(ch["bottom"]))
                    if (mode or white or box[0] < 0 or box[1] > width or box[2] < 0 or box[3] > height) and is_hidden(
                        box, mode, white, width, height, page_images
                    ):
                        continue
                    # "(cid:NN)" would read as the number NN further on.
                    if text.startswith("(cid:"):
                        text = UNMAPPED
                    g = Glyph(
                        text,
                        float(ch["x0"]),
                        float(ch["x1"]),
                        float(ch["top"]),
                        float(ch["bottom"]),
                        float(ch["size"]),
                        "Bold" in (ch_font := ch.get("fontname") or "") or "bold" in ch_font,
                    )
                    if text != " ":
                        n_chars += not text.isspace()
                        # Touching: closer than the gap the layout stage reads
                        # as a word break (0.15 em), and not to the left.
                        if (
                            first is not None
                            and ch_font == font
                            and g.size == first.size
                            and g.top == first.top
                            and g.bottom == first.bottom
                            and -0.01 <= g.x0 - x1 <= 0.15 * g.size
                        ):
                            word.append(text)
                            x1 = g.x1
                            continue
                    if first is not None:
                        glyphs.append(first._replace(text="".join(word), x1=x1) if len(word) > 1 else first)
                    if text == " ":
                        glyphs.append(g)
                        first = None
                        continue
                    first, word, x1, font = g, [text], g.x1, ch_font
                if first is not None:
                    glyphs.append(first._replace(text="".join(word), x1=x1) if len(word) > 1 else first)
            except (KeyError, TypeError, ValueError) as exc:
                raise classify(path, exc, password, page=number) from None
            page.close()
            yield PageGlyphs(number, width, height, glyphs, rotated, n_chars, rules)
    finally:
        stream.close()
