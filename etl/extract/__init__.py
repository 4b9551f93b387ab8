"""Stage 1 — extract: a letter's PDF becomes metadata and tagged paragraphs.

In: a file's path and bytes. Out: a `Letter` (metadata, page count and
paragraphs tagged kk/ru and cover/appendix), or `RejectedFile` with a reason.

An engine (`pdfium`, the default, or `pdfplumber`) turns each page into
upright glyphs (`glyphs`), under the file limits of `limits`; `lines` groups
them by baseline and splits side-by-side pages at the gutter (`columns`);
`paragraphs` drops running headers, footers and page numbers and joins lines
from the layout alone; `text_layer` refuses scans and broken fonts;
`language` tags each paragraph; `metadata` reads the registration line,
inquiry and signatory; `ocr` reads pages without a text layer through
Tesseract into the same glyphs (and re-reads number regions, digits only);
`tables` finds ruled and borderless tables, whose text never becomes a
paragraph; `letter` chains them. A file with one language only raises
`OneLanguage` (a reject that carries the half it read); `join_halves` makes
one letter of a Kazakh and a Russian half.
"""

from ..models import DEFAULT_ENGINE, ENGINES, Engine
from .halves import OneLanguage, join_halves, pair_id
from .letter import extract_letter
from .language import language_of
from .limits import MAX_FILE_BYTES, too_large_detail
from ..models import DEFAULT_OCR, OCR_MODES, OcrMode
from .ocr import PageImages, ocr_problem

__all__ = [
    "DEFAULT_ENGINE",
    "DEFAULT_OCR",
    "ENGINES",
    "Engine",
    "MAX_FILE_BYTES",
    "OCR_MODES",
    "OcrMode",
    "OneLanguage",
    "PageImages",
    "extract_letter",
    "join_halves",
    "language_of",
    "ocr_problem",
    "pair_id",
    "too_large_detail",
]
