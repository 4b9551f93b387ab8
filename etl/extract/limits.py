"""Limits on one file, and the structure checks both engines run before reading a page.

Each limit bounds work the parser would otherwise do before a single glyph is
seen, so one hostile file cannot stall a whole archive run. Damaged files
become `RejectedFile`s with a one-line reason."""

from __future__ import annotations

import io
import logging
import re
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
MAX_PAGE_CONTENT_BYTES = 32 * 1024 * 1024  # decoded content of one page, with the forms it draws
# Any other stream a page uses (a font program, a ToUnicode map, an image),
# decoded; and all of them together. A scanned A4 page at 300 dpi in colour
# is 26 MiB raw; fonts run to a few MiB.
MAX_STREAM_BYTES = 64 * 1024 * 1024
MAX_PAGE_RESOURCE_BYTES = 256 * 1024 * 1024
# Form XObjects one page draws, counting every draw of a form that forms
# draw inside each other (a letter draws a handful: a logo, a stamp, a
# signature): ten forms that each draw the next ten times are 10^10 draws
# in a file of a few kilobytes.
MAX_FORM_DRAWS_PER_PAGE = 10_000
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
    walker = StreamCheck(path)
    for number, page_obj in enumerate(page_objs, start=1):
        try:
            walker.check_page(number, page_obj)
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
    if declared is not None and (not isinstance(declared, int) or isinstance(declared, bool) or declared < 1):
        # A count that is no page count: what is read of the tree cannot be trusted whole.
        raise RejectedFile(path, "corrupt", f"corrupt PDF: the page tree declares {declared} pages")
    try:
        page_objs = list(islice(PDFPage.create_pages(pdf.doc), MAX_PAGES + 1))
    except Exception as exc:
        raise classify(path, exc, password) from None
    if len(page_objs) > MAX_PAGES:
        raise RejectedFile(path, "too_large", f"more than {MAX_PAGES} pages (the limit)")
    if not page_objs:
        raise RejectedFile(path, "corrupt", "corrupt PDF: no pages found")
    if isinstance(declared, int) and declared != len(page_objs):
        # Some page is missing from the tree (or the count lies): reading
        # what is there would load part of the letter as if it were whole.
        raise RejectedFile(
            path,
            "corrupt",
            f"corrupt PDF: the page tree declares {declared} pages but {len(page_objs)} can be read"
            + (f" (page {len(page_objs) + 1} onwards is missing)" if len(page_objs) < declared else ""),
        )
    return page_objs


# A name followed by the Do operator ("/Fm0 Do"): a form or an image drawn.
_DO = re.compile(rb"/([^\s/<>\[\](){}%]+)\s*Do(?![^\s/<>\[\](){}%])")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class _TooLarge(Exception):
    pass


def _decoded(stream: Any, budget: int, keep: bool) -> tuple[int, bytes]:
    """The decoded size of `stream`, stopping past `budget`, and its bytes when `keep`.

    Flate, LZW and RunLength, which can expand without bound, are decoded
    with a cap; the ASCII filters only shrink; image codecs (DCT, JPX, CCITT,
    JBIG2) are not decoded to read text, so their input size counts.
    """
    from pdfminer import pdftypes as t
    from pdfminer.ascii85 import ascii85decode, asciihexdecode

    if stream.rawdata is None:
        data = stream.data or b""
        return len(data), data if keep else b""
    data = stream.rawdata
    if stream.decipher:
        # A stream reached through a reference carries its object id;
        # pdfminer's own decode() asserts the same.
        assert stream.objid is not None and stream.genno is not None
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for name, _ in stream.get_filters():
        try:
            if name in t.LITERALS_FLATE_DECODE:
                inflater = zlib.decompressobj()
                try:
                    data = inflater.decompress(data, budget + 1)
                except zlib.error:
                    # Broken streams are the parser's to recover: count what inflates.
                    data = _inflate_what_can(data, budget + 1)
            elif name in t.LITERALS_LZW_DECODE:
                data = _capped_lzw(data, budget + 1)
            elif name in t.LITERALS_RUNLENGTH_DECODE:
                data = _capped_runlength(data, budget + 1)
            elif name in t.LITERALS_ASCII85_DECODE:
                data = ascii85decode(data)
            elif name in t.LITERALS_ASCIIHEX_DECODE:
                data = asciihexdecode(data)
            else:
                break
        except (ValueError, TypeError):
            break
        if len(data) > budget:
            break
    return len(data), data if keep else b""


def _inflate_what_can(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj()
    out = bytearray()
    for i in range(0, len(data), 4096):
        try:
            out += inflater.decompress(data[i : i + 4096], limit - len(out))
        except zlib.error:
            break
        if len(out) >= limit or inflater.unconsumed_tail:
            break
    return bytes(out)


def _capped_lzw(data: bytes, limit: int) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    try:
        for chunk in LZWDecoder(io.BytesIO(data)).run():
            out += chunk
            if len(out) >= limit:
                break
    except Exception:
        pass
    return bytes(out)


def _capped_runlength(data: bytes, limit: int) -> bytes:
    out = bytearray()
    i = 0
    while i < len(data) and len(out) < limit:
        n = data[i]
        if n == 128:
            break
        if n < 128:
            out += data[i + 1 : i + 2 + n]
            i += n + 2
        else:
            out += data[i + 1 : i + 2] * (257 - n)
            i += 2
    return bytes(out)


class StreamCheck:
    """The stream limits of one file's pages; a stream shared by pages is decoded once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._sizes: dict[int, int] = {}
        # form objid -> (draws inside it, the form streams it reaches)
        self._forms: dict[int, tuple[int, frozenset[int]]] = {}
        self._form_bytes: dict[int, int] = {}

    def _reject(self, detail: str) -> RejectedFile:
        return RejectedFile(self.path, "too_large", detail)

    def _size(self, stream: Any, limit: int) -> int:
        key = getattr(stream, "objid", None)
        if key is not None and key in self._sizes:
            return self._sizes[key]
        size, _ = _decoded(stream, limit, keep=False)
        if key is not None:
            self._sizes[key] = size
        return size

    def check_page(self, number: int, page_obj: Any) -> None:
        from pdfminer.pdftypes import PDFStream, resolve1

        mib = 1024 * 1024
        total = 0
        draws = 0
        reached: set[int] = set()
        resources = resolve1(page_obj.resources) or {}
        for ref in page_obj.contents:
            stream = resolve1(ref)
            if not isinstance(stream, PDFStream):
                continue
            size, data = _decoded(stream, MAX_PAGE_CONTENT_BYTES - total, keep=True)
            total += size
            if total > MAX_PAGE_CONTENT_BYTES:
                break
            try:
                inside, forms = self._draws(data, resources, resources, ())
            except _TooLarge:
                inside, forms = MAX_FORM_DRAWS_PER_PAGE + 1, frozenset()
            draws += inside
            reached |= forms
            if draws > MAX_FORM_DRAWS_PER_PAGE:
                raise self._reject(
                    f"page {number} draws form XObjects more than {MAX_FORM_DRAWS_PER_PAGE} times "
                    "(forms drawing each other)"
                )
        total += sum(self._form_bytes.get(objid, 0) for objid in reached)
        if total > MAX_PAGE_CONTENT_BYTES:
            raise self._reject(
                f"page {number}'s content exceeds {MAX_PAGE_CONTENT_BYTES // mib} MiB once decompressed"
            )
        used = 0
        for stream, what in self._resource_streams(resources, reached):
            size = self._size(stream, MAX_STREAM_BYTES)
            if size > MAX_STREAM_BYTES:
                raise self._reject(f"page {number}'s {what} exceeds {MAX_STREAM_BYTES // mib} MiB once decompressed")
            used += size
            if used > MAX_PAGE_RESOURCE_BYTES:
                raise self._reject(
                    f"page {number}'s fonts and images exceed {MAX_PAGE_RESOURCE_BYTES // mib} MiB once decompressed"
                )

    def _draws(self, data: bytes, resources: Any, page_resources: Any, stack: tuple[int, ...]) -> tuple[int, frozenset[int]]:
        """Form draws a content stream makes, counting the forms' own draws, and the forms it reaches."""
        from pdfminer.pdftypes import PDFStream, resolve1

        xobjects = resolve1(resolve1(resources).get("XObject")) if isinstance(resolve1(resources), dict) else None
        if not isinstance(xobjects, dict) or not xobjects:
            return 0, frozenset()
        draws = 0
        reached: set[int] = set()
        for match in _DO.finditer(data):
            name = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1)).decode("latin-1")
            ref = xobjects.get(name)
            form = resolve1(ref)
            if not isinstance(form, PDFStream) or resolve1(form.attrs.get("Subtype")) is None:
                continue
            if getattr(resolve1(form.attrs.get("Subtype")), "name", "") != "Form":
                continue
            objid = getattr(ref, "objid", None) or id(form)
            if objid in stack:
                raise _TooLarge  # a form that draws itself: without end
            info = self._forms.get(objid)
            if info is None:
                size, body = _decoded(form, MAX_PAGE_CONTENT_BYTES, keep=True)
                self._form_bytes[objid] = size
                if size > MAX_PAGE_CONTENT_BYTES:
                    info = (0, frozenset([objid]))
                else:
                    own = form.attrs.get("Resources")
                    inside, forms = self._draws(
                        body, own if own is not None else page_resources, page_resources, (*stack, objid)
                    )
                    info = (inside, forms | {objid})
                self._forms[objid] = info
            draws += 1 + info[0]
            reached |= info[1]
            if draws > MAX_FORM_DRAWS_PER_PAGE:
                raise _TooLarge
        return draws, frozenset(reached)

    def _resource_streams(self, resources: Any, forms: set[int]) -> list[tuple[Any, str]]:
        """Fonts (programs, ToUnicode maps, Type3 glyphs) and images of the page and of its forms."""
        from pdfminer.pdftypes import PDFStream, resolve1

        found: dict[int, tuple[Any, str]] = {}

        def add(obj: Any, what: str) -> None:
            stream = resolve1(obj)
            if isinstance(stream, PDFStream):
                found.setdefault(getattr(obj, "objid", None) or id(stream), (stream, what))

        def font(obj: Any, depth: int = 0) -> None:
            f = resolve1(obj)
            if not isinstance(f, dict) or depth > 2:
                return
            add(f.get("ToUnicode"), "font's ToUnicode map")
            desc = resolve1(f.get("FontDescriptor"))
            if isinstance(desc, dict):
                for key in ("FontFile", "FontFile2", "FontFile3"):
                    add(desc.get(key), "font program")
            procs = resolve1(f.get("CharProcs"))
            if isinstance(procs, dict):
                for proc in procs.values():
                    add(proc, "Type3 font glyph")
            for child in resolve1(f.get("DescendantFonts")) or []:
                font(child, depth + 1)

        def scan(res: Any) -> None:
            res = resolve1(res)
            if not isinstance(res, dict):
                return
            fonts = resolve1(res.get("Font"))
            if isinstance(fonts, dict):
                for f in fonts.values():
                    font(f)
            xobjects = resolve1(res.get("XObject"))
            if isinstance(xobjects, dict):
                for ref in xobjects.values():
                    x = resolve1(ref)
                    if isinstance(x, PDFStream) and getattr(resolve1(x.attrs.get("Subtype")), "name", "") == "Image":
                        add(ref, "image")
                        add(x.attrs.get("SMask"), "image")

        scan(resources)
        seen_forms: set[int] = set()
        for ref in self._form_refs(resources, seen_forms):
            form = resolve1(ref)
            if isinstance(form, PDFStream) and (getattr(ref, "objid", None) or id(form)) in forms:
                scan(form.attrs.get("Resources"))
        return list(found.values())

    def _form_refs(self, resources: Any, seen: set[int], depth: int = 0) -> list[Any]:
        from pdfminer.pdftypes import PDFStream, resolve1

        res = resolve1(resources)
        if not isinstance(res, dict) or depth > 32:
            return []
        xobjects = resolve1(res.get("XObject"))
        out: list[Any] = []
        if isinstance(xobjects, dict):
            for ref in xobjects.values():
                x = resolve1(ref)
                key = getattr(ref, "objid", None) or id(x)
                if isinstance(x, PDFStream) and key not in seen:
                    seen.add(key)
                    out.append(ref)
                    out += self._form_refs(x.attrs.get("Resources"), seen, depth + 1)
        return out


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
