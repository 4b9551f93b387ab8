"""Chain the extract stage: glyphs, lines, paragraphs, languages, parts and metadata."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator

from ..errors import RejectedFile
from ..models import (
    DEFAULT_ENGINE,
    DEFAULT_OCR,
    Box,
    Engine,
    Lang,
    Letter,
    OcrMode,
    OcrPage,
    OcrWord,
    Paragraph,
    Part,
    TextLine,
)
from .glyphs import PageGlyphs
from .halves import OneLanguage
from .language import language_of
from .limits import MAX_PARAGRAPH_CHARS
from .lines import Line, PageLayout, layout_pages
from .metadata import REGISTRATION, read_meta
from .ocr import PageImages, ocr_problem
from .paragraphs import margin_lines, paragraphs_of
from .pdfium import read_pages_pdfium
from .pdfplumber import read_pages
from .tables import PageTable, find_tables, letter_tables
from .text_layer import MIN_PAGE_CHARS, OCR_HINT, encoding_problem, text_layer_problem

_APPENDIX_TITLE = {
    # OCR may read the bold Қ as its Russian look-alike К.
    "kk": re.compile(r"^\s*[ҚК]осымша(?:\s*№?\s*\d+)?\s*$", re.IGNORECASE),
    "ru": re.compile(r"^\s*Приложение(?:\s*№?\s*\d+)?\s*$", re.IGNORECASE),
}


def extract_letter(
    path: str,
    data: bytes,
    *,
    password: str | None = None,
    engine: Engine = DEFAULT_ENGINE,
    sha256: str | None = None,
    on_page: Callable[[int], None] | None = None,
    ocr: OcrMode = DEFAULT_OCR,
) -> Letter:
    """Read one letter; raise RejectedFile with a reason code when it can't be used.

    `engine` picks the PDF parser: "pdfplumber" (pdfminer) or "pdfium"
    (pypdfium2); both feed the same layout analysis. `ocr` says which pages
    are read by OCR instead: "auto" those without a text layer, "always"
    every page, "never" none.
    """
    # The caller may have hashed the bytes already (to find duplicates).
    sha256 = sha256 or hashlib.sha256(data).hexdigest()
    # Per page: its lines, each with the column it sits in ("" on one-column pages).
    pages: list[tuple[PageGlyphs, list[Line], list[str]]] = []
    registration: re.Match[str] | None = None
    reader = read_pages_pdfium if engine == "pdfium" else read_pages
    page_tables: list[PageTable] = []

    def unavailable() -> str | None:
        # Asked only once a page needs OCR: finding out imports Tesseract,
        # which a letter with a text layer never needs.
        return ocr_problem() if ocr != "never" else None

    if ocr == "always" and (why := unavailable()):
        raise RejectedFile(path, "no_text", f"--ocr always: {why}")
    images: PageImages | None = None
    ocr_pages: list[OcrPage] = []
    ocr_words: list[OcrWord] = []

    def read() -> Iterator[PageGlyphs]:
        """The pages' glyphs: OCR's for a scanned page, table text taken out."""
        nonlocal images
        for pg in reader(path, data, password):
            if (ocr == "always" or (ocr == "auto" and pg.n_chars < MIN_PAGE_CHARS)) and not unavailable():
                images = images or PageImages(data, password)
                got = images.ocr(pg.number)
                pg = got.page
                ocr_pages.append(got.info)
                ocr_words.extend(got.words)
            # Table text never becomes a paragraph: the layout sees the rest.
            found, rest = find_tables(pg)
            if found:
                page_tables.extend(found)
                pg.glyphs[:] = rest
            yield pg

    layouts: dict[int, PageLayout] = {}
    try:
        for pg, laid in layout_pages(read()):
            tagged = laid.lines
            if laid.gutter is not None:
                layouts[pg.number] = laid
            lines: list[Line] = []
            cols: list[str] = []
            for ln, col in tagged:
                if m := REGISTRATION.search(ln.text):
                    registration = registration or m
                    continue
                lines.append(ln)
                cols.append(col)
            pages.append((pg, lines, cols))
            # The glyphs are no longer needed; keep memory flat on long letters.
            pg.glyphs.clear()
            if on_page:
                on_page(pg.number)
    finally:
        if images is not None:
            images.close()
    if ocr == "never":
        hint = f"{OCR_HINT}, or read it with --ocr auto"
    elif any(pg.n_chars < MIN_PAGE_CHARS for pg, _, _ in pages) and (why := unavailable()):
        hint = f"{OCR_HINT}, or {why}"
    else:
        hint = "OCR found no text on them either"
    if problem := text_layer_problem([pg for pg, _, _ in pages], hint):
        raise RejectedFile(path, "no_text", problem)
    margin = margin_lines([(pg, lines) for pg, lines, _ in pages])
    # Side-by-side pages continue column into column across page breaks.
    # Each stream with the column it is (0 left, 1 right), None for a whole page.
    streams: list[tuple[list[Line], int | None]] = []
    main: list[Line] = []
    left_col: list[Line] = []
    right_col: list[Line] = []
    for pg, lines, cols in pages:
        body = [(ln, col) for i, (ln, col) in enumerate(zip(lines, cols)) if (pg.number, i) not in margin]
        if laid_page := layouts.get(pg.number):
            # Rows kept whole on a side-by-side page join a column by language.
            body = [(ln, col or laid_page.column_of(ln)) for ln, col in body]
            if main:
                streams.append((main, None))
                main = []
            left_col.extend(ln for ln, col in body if col == "L")
            right_col.extend(ln for ln, col in body if col == "R")
        else:
            if left_col or right_col:
                streams.extend([(left_col, 0), (right_col, 1)])
                left_col, right_col = [], []
            main.extend(ln for ln, _ in body)
    streams.extend(s for s in ((main, None), (left_col, 0), (right_col, 1)) if s[0])

    raw: list[tuple[int, str, tuple[TextLine, ...]]] = []
    # The language of the column a paragraph stands in, where its page has two.
    column_langs: list[Lang | None] = []
    for stream, column in streams:
        for para in paragraphs_of(stream):
            raw.append(para)
            laid_out = layouts.get(para[0])
            column_langs.append(laid_out.langs[column] if laid_out is not None and column is not None else None)
    all_text = " ".join(t for _, t, _ in raw)
    if problem := encoding_problem(all_text):
        raise RejectedFile(path, "bad_encoding", problem)
    # A paragraph past the limit is not prose (see MAX_PARAGRAPH_CHARS).
    longest = max(raw, key=lambda r: len(r[1]), default=None)
    if longest is not None and len(longest[1]) > MAX_PARAGRAPH_CHARS:
        raise RejectedFile(
            path,
            "too_large",
            f"a paragraph on page {longest[0]} has {len(longest[1])} characters, over the {MAX_PARAGRAPH_CHARS} limit",
        )
    paragraphs, para_lines = _tag(raw, column_langs)
    langs = {p.lang for p in paragraphs}
    if not langs:
        # Unreadable text layers were refused above; readable text that is
        # neither Kazakh nor Russian is a letter in another language.
        letters = [ch for ch in all_text if ch.isalpha()]
        if sum(ch.isascii() for ch in letters) > 0.8 * max(1, len(letters)):
            raise RejectedFile(path, "one_language", "no Kazakh or Russian text found: the text is in Latin script")
        raise RejectedFile(
            path, "bad_encoding", "no Kazakh or Russian text found: the text layer is not Cyrillic (wrong code points?)"
        )
    meta = read_meta(registration, paragraphs)
    if len(langs) == 1:
        only = next(iter(langs))
        missing = "Russian" if only == "kk" else "Kazakh"
        half = Letter(
            path=path,
            sha256=sha256,
            pages=len(pages),
            meta=meta,
            paragraphs=tuple(paragraphs),
            tables=tuple(letter_tables(page_tables, paragraphs)),
        )
        raise OneLanguage(
            path, f"only one language found: no {missing} text", half, only, registration.group(0) if registration else None
        )
    tables = tuple(letter_tables(page_tables, paragraphs))
    return Letter(
        path=path,
        sha256=sha256,
        pages=len(pages),
        meta=meta,
        paragraphs=tuple(paragraphs),
        lines=para_lines,
        tables=tables,
        ocr_pages=tuple(ocr_pages),
        ocr_words=tuple(ocr_words),
    )


def _boxes(lines: tuple[TextLine, ...]) -> tuple[Box, ...]:
    """A paragraph's box on each page it covers."""
    boxes: list[Box] = []
    for ln in lines:
        b = ln.box
        if boxes and boxes[-1].page == b.page:
            last = boxes[-1]
            boxes[-1] = Box(b.page, min(last.x0, b.x0), min(last.top, b.top), max(last.x1, b.x1), max(last.bottom, b.bottom))
        else:
            boxes.append(b)
    return tuple(boxes)



def _tag(
    raw: list[tuple[int, str, tuple[TextLine, ...]]],
    column_langs: list[Lang | None] | None = None,
) -> tuple[list[Paragraph], tuple[tuple[TextLine, ...], ...]]:
    """Tag each paragraph kk or ru, find the parts, number paragraphs per (lang, part).

    `column_langs` gives, per paragraph, the language of the column it stands
    in on a side-by-side page (None elsewhere). Returns the paragraphs and, in
    the same order, their lines."""
    items = [(page, text, language_of(text)) for page, text, _ in raw]
    # Paragraphs with no telling letters ("63/436;", "тел.: 72-22-37",
    # "1 2 3") belong to the column they stand in, else with their
    # neighbours. Between a kk and a ru paragraph, the language changes where
    # a new page begins: each part of a letter starts on a page of its own.
    # (The first paragraph of a right-hand column follows the left column's
    # last on the same page: only the column can tell it.)
    tagged: list[tuple[int, str, Lang, tuple[TextLine, ...]]] = []
    n = len(items)
    for i, (page, text, lang) in enumerate(items):
        if lang is None and column_langs:
            lang = column_langs[i]
        if lang is None:
            prev = next(((pg, lg) for pg, _, lg in reversed(items[:i]) if lg), None)
            nxt = next(((pg, lg) for pg, _, lg in items[i + 1 : n] if lg), None)
            if prev and nxt and prev[1] != nxt[1]:
                lang = nxt[1] if page > prev[0] else prev[1]
            else:
                lang = (prev or nxt or (0, None))[1]
        if lang is None:
            continue
        tagged.append((page, text, lang, raw[i][2]))
    part_of: dict[str, Part] = {"kk": "cover", "ru": "cover"}
    counters: Counter[tuple[str, str]] = Counter()
    out: list[Paragraph] = []
    for page, text, lang, lines in tagged:
        for title_lang, title in _APPENDIX_TITLE.items():
            if title.match(text):
                lang = title_lang  # type: ignore[assignment]
                part_of[lang] = "appendix"
        part = part_of[lang]
        counters[(lang, part)] += 1
        out.append(
            Paragraph(lang=lang, part=part, para_no=counters[(lang, part)], page=page, text=text, boxes=_boxes(lines))
        )
    return out, tuple(t[3] for t in tagged)
