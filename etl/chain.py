"""Stages 2 and 3 for one letter read: its figures, paired across the languages.

`letter_result` is shared by one-file letters (`pipeline`) and two-file
letters (`pairing`), so a letter gives the same figures and findings however
it arrived: figures of running text (with their page boxes) and of table
cells, text figures paired by `align` and table cells by `align_tables`, then
each Kazakh figure keyed like its Russian pair and periods compared
(`settle_pairs`). Figures read by OCR get their confidences, and the numbers
of a finding are read again, when the PDF's bytes are given.
"""

from __future__ import annotations

from dataclasses import replace

from .align import align, align_tables, settle_pairs
from .errors import RejectedFile
from .figures import build_cell_figures, build_figures
from .models import DocumentResult, Letter
from .ocr_review import reread_disagreements


def letter_result(letter: Letter, data: bytes | None = None, password: str | None = None) -> DocumentResult:
    """The letter's figures and pairs; `RejectedFile` (no_figures) when it states none."""
    figures = build_figures(letter.sha256, letter.paragraphs, letter.meta.letter_date, letter.lines)
    # The word positions have given every figure its box: not kept, not sent between processes.
    letter = replace(letter, lines=())
    cells = build_cell_figures(letter.sha256, letter.tables, letter.meta.letter_date)
    if not figures and not cells:
        raise RejectedFile(letter.path, "no_figures", "no figures found in either language")
    if letter.ocr_pages and figures and data is not None:
        # Scanned pages: figures carry their OCR confidence, and a number the
        # two languages disagree on is read again before it is reported.
        reread = reread_disagreements(letter, figures, data, password)
        letter, figures, text_pairs = reread.letter, list(reread.figures), list(reread.pairs)
    else:
        text_pairs = align(figures, letter.paragraphs)
    every, pairs = settle_pairs(figures + cells, text_pairs + align_tables(letter.sha256, letter.tables, cells))
    return DocumentResult(letter=letter, figures=every, pairs=pairs)
