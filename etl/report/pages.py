"""Page images for the HTML report: a figure's place on its page, boxed.

Rendered from the letter's PDF with pypdfium2, cropped to the figure's
paragraph (at most `MAX_HEIGHT_PT` tall, centred on the figure), and saved as
a small palette PNG: a run keeps only each finding's path and boxes, and
reads the pages again here, one letter at a time.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..models import Figure

# 2 px per point (144 dpi): the digits stay sharp on a high-density screen.
SCALE = 2.0
# Space left around the paragraph, in points.
PAD_PT = 6.0
# A long paragraph is cut to this height around the figure.
MAX_HEIGHT_PT = 200.0
OUTLINE = (204, 0, 0)
_RED = 15
_LEVELS = [round(v * 14 / 255) for v in range(256)]
_PALETTE = [c for i in range(15) for c in (round(i * 255 / 14),) * 3] + list(OUTLINE)


@dataclass(frozen=True)
class PageImage:
    png: bytes
    width: int  # pixels
    height: int
    page: int


class PageImageError(Exception):
    """The page could not be drawn (the file moved, changed or cannot be opened)."""


def _crop_region(fig: Figure, page_w: float, page_h: float) -> tuple[float, float, float, float]:
    """(x0, top, x1, bottom) in points of the part of the page to show."""
    para = fig.para_box or fig.boxes[0]
    first = fig.boxes[0]
    on_page = [b for b in fig.boxes if b.page == first.page]
    x0 = min(para.x0, *(b.x0 for b in on_page)) - PAD_PT
    x1 = max(para.x1, *(b.x1 for b in on_page)) + PAD_PT
    top = min(para.top, first.top) - PAD_PT
    bottom = max(para.bottom, *(b.bottom for b in on_page)) + PAD_PT
    if bottom - top > MAX_HEIGHT_PT:
        fig_top = first.top
        fig_bottom = max(b.bottom for b in on_page)
        centre = (fig_top + fig_bottom) / 2
        top = max(top, centre - MAX_HEIGHT_PT / 2)
        bottom = min(bottom, top + MAX_HEIGHT_PT)
        top = min(top, bottom - MAX_HEIGHT_PT)
    return max(0.0, x0), max(0.0, top), min(page_w, x1), min(page_h, bottom)


class LetterPages:
    """One letter's PDF, open while its findings are drawn."""

    def __init__(self, pdf: Any) -> None:
        self._pdf = pdf

    def draw(self, fig: Figure) -> PageImage:
        if not fig.boxes:
            raise PageImageError("the figure's place on the page is not known")
        from PIL import ImageDraw

        number = fig.boxes[0].page
        if number > len(self._pdf):
            raise PageImageError(f"the file has no page {number} (changed since it was checked?)")
        page = self._pdf[number - 1]
        try:
            w, h = page.get_size()
            x0, top, x1, bottom = _crop_region(fig, w, h)
            bitmap = page.render(scale=SCALE, crop=(x0, h - bottom, w - x1, top), grayscale=True)
            gray = bitmap.to_pil().convert("L")
        finally:
            page.close()
        # 15 grey levels and the frame's red: a 4-bit palette image, without
        # the cost of quantizing (text needs no more levels to stay sharp).
        image = gray.point(_LEVELS).convert("P")
        image.putpalette(_PALETTE)
        draw = ImageDraw.Draw(image)
        for b in fig.boxes:
            if b.page != number:
                continue
            # A thick frame a little outside the glyphs: seen without colour too.
            draw.rectangle(
                (
                    (b.x0 - x0 - 2) * SCALE,
                    (b.top - top - 1) * SCALE,
                    (b.x1 - x0 + 2) * SCALE,
                    (b.bottom - top + 1) * SCALE,
                ),
                outline=_RED,
                width=3,
            )
        buf = io.BytesIO()
        image.save(buf, format="PNG", bits=4)
        return PageImage(buf.getvalue(), image.width, image.height, number)


@contextmanager
def open_letter(path: str, password: str | None = None) -> Iterator[LetterPages]:
    """Open a letter's PDF to draw its figures; PageImageError when it cannot be opened."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path, password=password or None)
    except (OSError, pdfium.PdfiumError) as exc:
        raise PageImageError(f"cannot open {path} ({exc})") from None
    try:
        yield LetterPages(pdf)
    finally:
        pdf.close()

