"""Every figure knows where it is drawn: its box on the page holds its text."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from etl.pipeline import process_bytes

from .conftest import RENDERINGS


def _text_in(pdf: pdfium.PdfDocument, box, pad: float = 0.5) -> str:
    page = pdf[box.page - 1]
    height = page.get_height()
    text = page.get_textpage().get_text_bounded(
        box.x0 - pad, height - box.bottom - pad, box.x1 + pad, height - box.top + pad
    )
    return " ".join(text.split())


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("layout,backend", RENDERINGS[::3])
def test_each_figure_box_holds_its_surface(rendered, layout, backend, engine):
    path = rendered[(layout, backend)]
    result = process_bytes(str(path), path.read_bytes(), engine=engine)
    pdf = pdfium.PdfDocument(str(path))
    assert result.figures
    for f in result.figures:
        assert f.boxes, f
        assert f.para_box is not None and f.para_box.page == f.boxes[0].page
        # The figure lies inside its paragraph's box on that page.
        first = f.boxes[0]
        assert f.para_box.x0 - 0.01 <= first.x0 and first.x1 <= f.para_box.x1 + 0.01
        assert f.para_box.top - 0.01 <= first.top and first.bottom <= f.para_box.bottom + 0.01
        drawn = "".join(_text_in(pdf, b) for b in f.boxes).replace(" ", "").replace("-", "")
        # A box spans whole glyph runs, so it may hold a suffix or a bracket more.
        assert f.surface.replace(" ", "").replace("-", "") in drawn, (f.surface, drawn, f.boxes)


def test_paragraph_boxes_cover_its_pages(sample_pdf):
    result = process_bytes(str(sample_pdf), sample_pdf.read_bytes())
    for p in result.letter.paragraphs:
        assert p.boxes and p.boxes[0].page == p.page
        assert [b.page for b in p.boxes] == sorted({b.page for b in p.boxes})
    # The word positions are dropped once the figures are boxed.
    assert result.letter.lines == ()
