"""Read a PDF into upright characters per page, and reject what cannot be read.

This is the only module that talks to the PDF parser. It turns every page into
a list of `Glyph`s (text and box) with the margin stamp already dropped: the
stamp is printed rotated, so a character whose text matrix is not upright is
not body text, whatever it says.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import RejectedFile

# Limits that keep one hostile file from stalling a whole archive run.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000

_CID = re.compile(r"\(cid:\d+\)")


@dataclass(frozen=True, slots=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False


@dataclass(frozen=True, slots=True)
class PageGlyphs:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    rotated: int  # characters dropped because they are not upright


def _is_upright(matrix: tuple[float, ...]) -> bool:
    a, b, c, d = matrix[:4]
    return abs(b) < 1e-6 and abs(c) < 1e-6 and a > 0 and d > 0


def check_header(path: str, data: bytes) -> None:
    """Reject files that are plainly not PDFs before the parser sees them."""
    if not data:
        raise RejectedFile(path, "empty", "empty file (0 bytes)")
    if len(data) > MAX_FILE_BYTES:
        raise RejectedFile(
            path, "too_large", f"file of {len(data) // (1024 * 1024)} MiB exceeds the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit"
        )
    # The PDF spec lets the header start anywhere in the first 1024 bytes.
    if b"%PDF-" not in data[:1024]:
        raise RejectedFile(path, "not_pdf", "not a PDF (no %PDF- header)")


def read_pages(path: str, data: bytes, password: str | None = None) -> Iterator[PageGlyphs]:
    """Yield each page's upright glyphs; raise RejectedFile for unreadable files.

    Pages are released as soon as they are read so memory stays flat on long
    letters.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    check_header(path, data)
    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
    except PdfminerException as exc:
        raise _classify(path, exc.args[0] if exc.args else exc, password) from None
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise _classify(path, exc, password) from None
    except PDFSyntaxError as exc:
        raise RejectedFile(path, "corrupt", f"corrupt PDF ({exc})") from None
    except Exception as exc:  # the parser raises many untyped errors on damaged files
        raise RejectedFile(path, "corrupt", f"corrupt PDF ({type(exc).__name__}: {exc})") from None
    with pdf:
        try:
            n_pages = len(pdf.pages)
        except Exception as exc:
            raise _classify(path, exc, password) from None
        if n_pages == 0:
            raise RejectedFile(path, "corrupt", "PDF has no pages")
        if n_pages > MAX_PAGES:
            raise RejectedFile(path, "too_large", f"{n_pages} pages exceeds the {MAX_PAGES}-page limit")
        for number in range(n_pages):
            try:
                page = pdf.pages[number]
                chars = page.chars
                width, height = float(page.width), float(page.height)
            except Exception as exc:
                raise _classify(path, exc, password) from None
            glyphs: list[Glyph] = []
            rotated = 0
            for ch in chars:
                if not _is_upright(ch["matrix"]):
                    rotated += 1
                    continue
                text = ch["text"]
                if not text or text.isspace() and text != " ":
                    continue
                font = ch.get("fontname") or ""
                glyphs.append(
                    Glyph(
                        text,
                        float(ch["x0"]),
                        float(ch["x1"]),
                        float(ch["top"]),
                        float(ch["bottom"]),
                        float(ch["size"]),
                        "Bold" in font or "bold" in font,
                    )
                )
            page.close()
            yield PageGlyphs(number + 1, width, height, glyphs, rotated)


def _classify(path: str, exc: BaseException, password: str | None) -> RejectedFile:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if isinstance(exc, PDFPasswordIncorrect):
        if password:
            return RejectedFile(path, "encrypted", "encrypted PDF: the --password given does not open it")
        return RejectedFile(path, "encrypted", "encrypted PDF: needs a password (use --password)")
    if isinstance(exc, PDFEncryptionError):
        return RejectedFile(path, "encrypted", f"encrypted PDF with an unsupported scheme ({exc})")
    return RejectedFile(path, "corrupt", f"corrupt or truncated PDF ({type(exc).__name__}: {exc})")


def has_cid_glyphs(text: str) -> bool:
    return bool(_CID.search(text))
