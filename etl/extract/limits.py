"""Limits on one file, and the structure checks both engines run before reading a page.

Each limit bounds work the parser would otherwise do before a single glyph is
seen, so one hostile file cannot stall a whole archive run. Damaged files
become `RejectedFile`s with a one-line reason."""

from __future__ import annotations

import io
import logging
import zlib
from itertools import islice
from typing import Any

from ..errors import RejectedFile

# pdfminer logs a warning for every oddity of a damaged file; with no logging
# configured Python would print each one on stderr, where a rejected file
# gets exactly one line. An application that configures logging still sees them.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())
# bounds work the parser would otherwise do before we see a single glyph.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000
MAX_PAGE_CONTENT_BYTES = 32 * 1024 * 1024  # decoded content stream of one page
MAX_GLYPHS_PER_PAGE = 200_000
# Real paragraphs run to a few thousand characters; a paragraph ten times
# longer is a table or garbage read as one block, and its report would be
# unreadable, so it is refused.
MAX_PARAGRAPH_CHARS = 20_000


def check_header(path: str, data: bytes) -> None:
    """Reject files that are plainly not PDFs before the parser sees them."""
    if not data:
        raise RejectedFile(path, "empty", "empty file (0 bytes)")
    if len(data) > MAX_FILE_BYTES:
        raise RejectedFile(path, "too_large", too_large_detail(len(data)))
    # The PDF spec lets the header start anywhere in the first 1024 bytes.
    if b"%PDF-" not in data[:1024]:
        kind = _sniff(data)
        raise RejectedFile(path, "not_pdf", f"not a PDF ({kind}no %PDF- header)")


def too_large_detail(size: int) -> str:
    return f"file of {size / (1024 * 1024):.0f} MiB exceeds the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit"


def _sniff(data: bytes) -> str:
    """A hint at what a non-PDF file is, for the reject message."""
    head = data[:8]
    for magic, name in (
        (b"PK\x03\x04", "a ZIP or Word/Excel (.docx/.xlsx) file"),
        (b"\xd0\xcf\x11\xe0", "an old Word/Excel (.doc/.xls) file"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"{\\rtf", "an RTF document"),
        (b"<", "an HTML or XML file"),
    ):
        if head.startswith(magic):
            return f"{name}, "
    return ""


def check_structure(path: str, data: bytes, password: str | None = None) -> int:
    """Page-count and decompression limits, checked without laying out a page.

    For engines other than pdfminer: the document structure is parsed (a few
    milliseconds) and every page's content streams are inflated with a cap,
    so a bomb is refused before the engine decompresses it. Returns the
    number of pages.
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    class _Doc:
        doc: Any

    holder = _Doc()
    try:
        holder.doc = PDFDocument(PDFParser(io.BytesIO(data)), password=password or "")
    except Exception as exc:
        raise classify(path, exc, password) from None
    page_objs = page_objects(path, holder, password)
    for number, page_obj in enumerate(page_objs, start=1):
        try:
            check_content_size(path, number, page_obj)
        except RejectedFile:
            raise
        except Exception as exc:
            raise classify(path, exc, password, page=number) from None
    return len(page_objs)


def page_objects(path: str, pdf: Any, password: str | None) -> list[Any]:
    """The document's pages, never more than MAX_PAGES of them.

    pdfplumber's own `pages` builds every page of the file before the first
    one can be read; the declared count is checked first, and the page tree
    walked no further than the limit in case the count lies.
    """
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    try:
        declared = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
    except Exception:
        declared = None
    if isinstance(declared, int) and declared > MAX_PAGES:
        raise RejectedFile(path, "too_large", f"{declared} pages exceeds the {MAX_PAGES}-page limit")
    try:
        page_objs = list(islice(PDFPage.create_pages(pdf.doc), MAX_PAGES + 1))
    except Exception as exc:
        raise classify(path, exc, password) from None
    if len(page_objs) > MAX_PAGES:
        raise RejectedFile(path, "too_large", f"more than {MAX_PAGES} pages (the limit)")
    if not page_objs:
        raise RejectedFile(path, "corrupt", "corrupt PDF: no pages found")
    return page_objs


def check_content_size(path: str, number: int, page_obj: Any) -> None:
    """Refuse a page whose content streams inflate past MAX_PAGE_CONTENT_BYTES.

    A few kilobytes of deflated zeros can inflate to gigabytes, which the
    parser would decompress in one go. Streams are inflated here with a cap;
    filters other than Flate are left to the parser.
    """
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import LIT

    flate = (LIT("FlateDecode"), LIT("Fl"))
    total = 0
    for ref in page_obj.contents:
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream):
            continue
        if stream.rawdata is None:
            total += len(stream.data or b"")
            continue
        raw = stream.rawdata
        filters = stream.get_filters()
        if not filters:
            total += len(raw)
        elif len(filters) == 1 and filters[0][0] in flate:
            if stream.decipher:
                # A stream reached through a reference carries its object id;
                # pdfminer's own decode() asserts the same.
                assert stream.objid is not None and stream.genno is not None
                raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
            try:
                inflater = zlib.decompressobj()
                budget = MAX_PAGE_CONTENT_BYTES - total + 1
                total += len(inflater.decompress(raw, budget))
            except zlib.error:
                continue  # the parser has its own recovery for broken streams
        else:
            total += len(raw)
        if total > MAX_PAGE_CONTENT_BYTES:
            raise RejectedFile(
                path,
                "too_large",
                f"page {number}'s content exceeds {MAX_PAGE_CONTENT_BYTES // (1024 * 1024)} MiB once decompressed",
            )


def short_error(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def classify(path: str, exc: BaseException, password: str | None, page: int | None = None) -> RejectedFile:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    if isinstance(exc, PDFPasswordIncorrect):
        if password:
            return RejectedFile(path, "encrypted", "encrypted PDF: the --password given does not open it")
        return RejectedFile(path, "encrypted", "encrypted PDF: needs a password (use --password)")
    if isinstance(exc, PDFEncryptionError):
        return RejectedFile(path, "encrypted", f"encrypted PDF with an unsupported scheme ({short_error(exc)})")
    where = f" at page {page}" if page else ""
    return RejectedFile(path, "corrupt", f"corrupt or truncated PDF{where} ({type(exc).__name__}: {short_error(exc)})")
