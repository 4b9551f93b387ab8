"""Read a PDF into upright characters per page, and reject what cannot be read.

This is the only module that talks to the PDF parser. It turns every page into
a list of `Glyph`s (text and box) with the margin stamp already dropped: the
stamp is printed rotated, so a character whose text matrix is not upright is
not body text, whatever it says.

It also holds the rules that tell a readable text layer from one that is not
there (a scan) or that does not say what it shows (a font without a Unicode
map, Kazakh letters on other letters' code points). Those rules look at text
only, so they hold whichever engine produced the glyphs.
"""

from __future__ import annotations

import io
import logging
import re
import string
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, NamedTuple

from .errors import RejectedFile
from .models import KAZAKH_ONLY_LETTERS, RUSSIAN_LETTERS

# Limits that keep one hostile file from stalling a whole archive run: each
# bounds work the parser would otherwise do before we see a single glyph.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000
MAX_PAGE_CONTENT_BYTES = 32 * 1024 * 1024  # decoded content stream of one page
MAX_GLYPHS_PER_PAGE = 200_000
# Real paragraphs run to a few thousand characters; a paragraph ten times
# longer is a table or garbage read as one block, and its report would be
# unreadable, so it is refused.
MAX_PARAGRAPH_CHARS = 20_000

# pdfminer logs a warning for every oddity of a damaged file; with no logging
# configured Python would print each one on stderr, where a rejected file
# gets exactly one line. An application that configures logging still sees them.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

# What the parser gives for a glyph its font cannot map to Unicode.
UNMAPPED = "\ufffd"
_CID = re.compile(r"\(cid:\d+\)")

OCR_HINT = "run OCR first, e.g. `ocrmypdf -l kaz+rus in.pdf out.pdf`"
# A page with fewer characters than this carries no body text: at most a
# page number or a registration line printed over a scan.
MIN_PAGE_CHARS = 40

# Encoding problems are counted, not merely spotted: a Ukrainian name or one
# odd bullet must not sink a letter, a font that garbles every Kazakh letter
# must. Kazakh prose has 8-12 % Kazakh-only letters, so a font that misplaces
# them leaves several per cent of the Cyrillic letters wrong.
MIN_BAD_CHARS = 5
MAX_BAD_SHARE = 0.005

_BOTH = RUSSIAN_LETTERS + KAZAKH_ONLY_LETTERS
KAZAKH_RUSSIAN = frozenset(_BOTH + _BOTH.upper())
# Symbols that sit next to Cyrillic words in these letters on their own right.
_USUAL_SYMBOLS = frozenset("№§°%‰±×÷+=<>|~«»„“”‘’•·…€$₸₽£¥©®™^`¹²³")  # ³ as in "м³"
# Characters the encoding rules never count: Kazakh and Russian letters,
# printable ASCII, the usual symbols, dashes and the common spaces.
_DROP_PLAIN = {
    ord(ch): None
    for ch in set(KAZAKH_RUSSIAN) | set(string.printable) | set(_USUAL_SYMBOLS) | set("–—\u00a0\u202f\u2009")
}


class Glyph(NamedTuple):
    """A character, or a word of characters that share font, size and line."""

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
    # Non-space upright characters; kept apart from `glyphs`, which the
    # extractor clears once a page is laid out.
    n_chars: int = -1

    def __post_init__(self) -> None:
        if self.n_chars < 0:
            object.__setattr__(self, "n_chars", sum(1 for g in self.glyphs if not g.text.isspace()))


def _is_upright(matrix: tuple[float, ...]) -> bool:
    a, b, c, d = matrix[:4]
    return abs(b) < 1e-6 and abs(c) < 1e-6 and a > 0 and d > 0


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
    stream = io.BytesIO(data)
    try:
        pdf = pdfplumber.open(stream, password=password or "")
    except PdfminerException as exc:
        raise _classify(path, exc.args[0] if exc.args else exc, password) from None
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise _classify(path, exc, password) from None
    except PDFSyntaxError as exc:
        raise RejectedFile(path, "corrupt", f"corrupt PDF ({_short(exc)})") from None
    except Exception as exc:
        raise RejectedFile(path, "corrupt", f"corrupt PDF ({type(exc).__name__}: {_short(exc)})") from None
    # Not `with pdf:`: pdfplumber's close() builds every page of the file,
    # which is the unbounded work the page limit is there to avoid.
    try:
        page_objs = _page_objects(path, pdf, password)
        for number, page_obj in enumerate(page_objs, start=1):
            try:
                _check_content_size(path, number, page_obj)
                page = Page(pdf, page_obj, page_number=number)
                chars = page.chars
                width, height = float(page.width), float(page.height)
            except RejectedFile:
                raise
            except Exception as exc:
                raise _classify(path, exc, password, page=number) from None
            if len(chars) > MAX_GLYPHS_PER_PAGE:
                raise RejectedFile(
                    path, "too_large", f"page {number} has {len(chars)} characters, over the {MAX_GLYPHS_PER_PAGE} limit"
                )
            glyphs: list[Glyph] = []
            rotated = n_chars = 0
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
                raise _classify(path, exc, password, page=number) from None
            page.close()
            yield PageGlyphs(number, width, height, glyphs, rotated, n_chars)
    finally:
        stream.close()


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
        raise _classify(path, exc, password) from None
    page_objs = _page_objects(path, holder, password)
    for number, page_obj in enumerate(page_objs, start=1):
        try:
            _check_content_size(path, number, page_obj)
        except RejectedFile:
            raise
        except Exception as exc:
            raise _classify(path, exc, password, page=number) from None
    return len(page_objs)


def _page_objects(path: str, pdf: Any, password: str | None) -> list[Any]:
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
        raise _classify(path, exc, password) from None
    if len(page_objs) > MAX_PAGES:
        raise RejectedFile(path, "too_large", f"more than {MAX_PAGES} pages (the limit)")
    if not page_objs:
        raise RejectedFile(path, "corrupt", "corrupt PDF: no pages found")
    return page_objs


def _check_content_size(path: str, number: int, page_obj: Any) -> None:
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


def _short(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _classify(path: str, exc: BaseException, password: str | None, page: int | None = None) -> RejectedFile:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    if isinstance(exc, PDFPasswordIncorrect):
        if password:
            return RejectedFile(path, "encrypted", "encrypted PDF: the --password given does not open it")
        return RejectedFile(path, "encrypted", "encrypted PDF: needs a password (use --password)")
    if isinstance(exc, PDFEncryptionError):
        return RejectedFile(path, "encrypted", f"encrypted PDF with an unsupported scheme ({_short(exc)})")
    where = f" at page {page}" if page else ""
    return RejectedFile(path, "corrupt", f"corrupt or truncated PDF{where} ({type(exc).__name__}: {_short(exc)})")


# ------------------------------------------------------------ text-layer checks




def text_layer_problem(pages: Sequence[PageGlyphs]) -> str | None:
    """Why the pages carry no usable text layer (a scan), or None.

    A letter whose pages are all, or mostly (more than half), without text
    is a scan, even when the document system printed a registration line or
    a stamp over the images. A blank page, or a last page holding only a
    signature, among text pages is not.
    """
    if not pages:
        return None
    empty = [pg.number for pg in pages if pg.n_chars < MIN_PAGE_CHARS]
    if len(empty) == len(pages):
        return f"no text layer (image-only PDF, {len(pages)} page{'s' * (len(pages) > 1)}): {OCR_HINT}"
    if 2 * len(empty) > len(pages):
        return f"no text layer on {len(empty)} of {len(pages)} pages ({_page_list(empty)}): scanned pages; {OCR_HINT}"
    return None


def _page_list(numbers: list[int]) -> str:
    runs: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [-1]:
        if n == prev + 1:
            prev = n
            continue
        runs.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = n
    return "pages " + ", ".join(runs) if len(numbers) > 1 else f"page {numbers[0]}"


def _is_unmapped(ch: str) -> bool:
    if ch == UNMAPPED:
        return True
    cat = unicodedata.category(ch)
    # Control codes (what pdfium gives for unmapped glyphs), private-use and
    # unassigned code points are never text.
    return (cat == "Cc" and ch not in "\t\n\r") or cat in ("Co", "Cn")




def _is_cyrillic_letter(ch: str) -> bool:
    return "\u0400" <= ch <= "\u052f" and ch.isalpha()


def encoding_problem(text: str) -> str | None:
    """Why `text` does not say what the page shows, or None when it reads right.

    Three faults, each counted against the size of the text so that a stray
    character never rejects a letter:

    - glyphs with no Unicode value: "(cid:NN)", U+FFFD, control codes,
      private-use code points (a font without a ToUnicode map);
    - Kazakh letters on other code points, as old Kazakh fonts printed them:
      Cyrillic letters of neither alphabet (ј ў ї є љ њ ћ џ ...), symbols
      touching Cyrillic words (¼ ¾ ¤ ...) or non-ASCII punctuation inside
      them (¿ ¡ ...). A Latin "i" typed for "і" is a look-alike that reads
      right, and is never counted;
    - Cyrillic read as accented Latin ("Ìèíèñòåðñòâî"), a one-byte font
      with no Unicode map.
    """
    text = _CID.sub(UNMAPPED, text)
    # Almost every letter is plain Kazakh, Russian or ASCII text, which no
    # rule below counts: only when something else is left is it looked at.
    if not text.translate(_DROP_PLAIN):
        return None
    chars = sum(1 for ch in text if not ch.isspace())
    if not chars:
        return None
    unmapped = sum(1 for ch in text if _is_unmapped(ch))
    if unmapped >= MIN_BAD_CHARS and unmapped >= MAX_BAD_SHARE * chars:
        return (
            f"font without a Unicode map: {unmapped} of {chars} characters have no Unicode value "
            "((cid:NN) glyphs or control codes); re-export the PDF with embedded Unicode fonts, or OCR it"
        )
    foreign: Counter[str] = Counter()
    cyrillic = 0
    n = len(text)
    for i, ch in enumerate(text):
        if _is_cyrillic_letter(ch):
            cyrillic += 1
            if ch not in KAZAKH_RUSSIAN:
                foreign[ch] += 1
            continue
        if ch.isalnum() or ch.isspace() or ch in _USUAL_SYMBOLS:
            continue
        cat = unicodedata.category(ch)
        before = _is_cyrillic_letter(text[i - 1]) if i else False
        after = _is_cyrillic_letter(text[i + 1]) if i + 1 < n else False
        # A symbol touching a Cyrillic word, or non-ASCII punctuation ("¿",
        # "¡") inside one, stands where a letter should be.
        if (cat[0] == "S" or cat == "No") and (before or after):
            foreign[ch] += 1
        elif cat == "Po" and not ch.isascii() and before and after:
            foreign[ch] += 1
    bad = sum(foreign.values())
    if bad >= MIN_BAD_CHARS and bad >= MAX_BAD_SHARE * max(cyrillic, 1):
        shown = ", ".join(f"'{ch}' ×{k}" for ch, k in foreign.most_common(6))
        return (
            f"Kazakh letters on the wrong code points (an old Kazakh font): {shown} "
            f"in {cyrillic} Cyrillic letters; re-export the PDF with Unicode fonts"
        )
    letters = [ch for ch in text if ch.isalpha()]
    latin1 = sum(1 for ch in letters if "\u00c0" <= ch <= "\u00ff")
    if latin1 >= 20 and latin1 >= 0.3 * len(letters):
        sample = next((w for w in text.split() if sum("\u00c0" <= c <= "\u00ff" for c in w) >= 3), "")
        return (
            f"Cyrillic text reads as accented Latin letters ({sample[:30]!r}): a font without a Unicode map; "
            "re-export the PDF with Unicode fonts"
        )
    return None
