"""Stage 1 — extract: a letter's PDF becomes metadata and tagged paragraphs.

Glyphs (upright characters, see `pdf_text`) are grouped into lines by their
baseline, lines of a side-by-side page are split at the gutter into a left and
a right column, running headers, footers and page numbers are dropped, and
lines are joined into paragraphs from the layout alone (vertical gaps,
first-line indents, short last lines), so the result does not depend on which
program printed the letter. Each paragraph is then tagged kk or ru, and the
parts (cover letter, appendix) are found per language.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from .errors import RejectedFile
from .figures import read_numbers
from .models import KAZAKH_ONLY_LETTERS, Lang, Letter, LetterMeta, Paragraph, Part
from .pdf_text import (
    MAX_PARAGRAPH_CHARS,
    Glyph,
    PageGlyphs,
    encoding_problem,
    read_pages,
    text_layer_problem,
)
from .pdfium_text import read_pages_pdfium

Engine = Literal["pdfplumber", "pdfium"]
ENGINES: tuple[str, ...] = get_args(Engine)
# pdfium reads pages several times faster than pdfminer and gives the same
# paragraphs, figures and findings on every test letter (tests/test_engines.py).
DEFAULT_ENGINE: Engine = "pdfium"

KAZAKH_ONLY = frozenset(KAZAKH_ONLY_LETTERS + KAZAKH_ONLY_LETTERS.upper())
_CYRILLIC = re.compile(r"[\u0400-\u0481\u048a-\u04ff]")  # the letters of the Cyrillic block
_KAZAKH_LETTER = re.compile("[" + "".join(sorted(KAZAKH_ONLY)) + "]")
_KK_WORDS = frozenset(
    "және бойынша жылы жылғы туралы үшін мен оның осы бұл сондай-ақ қатысты жүзеге "
    "арқылы болып табылады ретінде кезінде бар жоқ барысында қазіргі ағымдағы".split()
)
_RU_WORDS = frozenset(
    "и в на по с для от что не как году года также при о об из за это либо т.г. "
    "в т.ч. которые который является".split()
)

_REGISTRATION = re.compile(
    r"№\s*исх\.?\s*:?\s*(?P<no>\S+)\s+от\s*:?\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{4})", re.IGNORECASE
)
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:стр\.?|страница|бет|page)\s*)?\d{1,4}(?:\s*[-–—])?"
    r"(?:\s*(?:/|из|of)\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = tuple(".:;!?»)")
_APPENDIX_TITLE = {
    "kk": re.compile(r"^\s*Қосымша(?:\s*№?\s*\d+)?\s*$", re.IGNORECASE),
    "ru": re.compile(r"^\s*Приложение(?:\s*№?\s*\d+)?\s*$", re.IGNORECASE),
}


@dataclass
class Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    bold: bool = False


# ---------------------------------------------------------------- lines


def _rows(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs sharing a baseline, each row sorted left to right."""
    ordered = sorted(glyphs, key=lambda g: (round(g.bottom, 1), g.x0))
    rows: list[list[Glyph]] = []
    for g in ordered:
        if rows:
            ref = rows[-1][0]
            tol = max(1.5, 0.35 * min(ref.size, g.size))
            if abs(g.bottom - ref.bottom) <= tol:
                rows[-1].append(g)
                continue
        rows.append([g])
    for row in rows:
        row.sort(key=lambda g: g.x0)
    return rows


def _spans(row: list[Glyph]) -> list[tuple[float, float]]:
    """Horizontal extents of a row's words (runs of glyphs without a gap)."""
    spans: list[tuple[float, float]] = []
    prev: Glyph | None = None
    for g in row:
        if g.text == " ":
            prev = None
            continue
        if prev is None or g.x0 - prev.x1 > 0.15 * max(prev.size, g.size):
            spans.append((g.x0, g.x1))
        else:
            spans[-1] = (spans[-1][0], g.x1)
        prev = g
    return spans


def _make_line(page: int, row: list[Glyph]) -> Line | None:
    parts: list[str] = []
    last: Glyph | None = None
    pending_space = False
    x0 = top = float("inf")
    x1 = bottom = float("-inf")
    n_chars = n_bold = 0
    for g in row:
        text = g.text
        if text == " ":
            pending_space = True
            continue
        if last is not None:
            # Producers that position words without space characters still
            # leave a gap of a fifth of an em or so between words.
            if pending_space or g.x0 - last.x1 > 0.18 * (g.size if g.size > last.size else last.size):
                parts.append(" ")
        parts.append(text)
        last = g
        pending_space = False
        x0, x1 = min(x0, g.x0), max(x1, g.x1)
        top, bottom = min(top, g.top), max(bottom, g.bottom)
        n_chars += len(text)
        if g.bold:
            n_bold += len(text)
    if last is None:
        return None
    return Line(
        page,
        x0,
        x1,
        top,
        bottom,
        _median_size([g for g in row if g.text != " "]),
        " ".join("".join(parts).split()),
        n_bold * 2 > n_chars,
    )


def _median_size(glyphs: list[Glyph]) -> float:
    """Median font size per character (a glyph may hold a whole word)."""
    first = glyphs[0].size
    if all(g.size == first for g in glyphs):
        return first
    return statistics.median(s for g in glyphs for s in itertools.repeat(g.size, len(g.text)))


# ---------------------------------------------------------------- columns


def _find_gutter(rows: list[list[tuple[float, float]]], width: float, size: float) -> float | None:
    """x of the vertical gap between two side-by-side columns, or None.

    `rows` holds each baseline's word extents. A page is two-column when a
    vertical line in the middle of the page cuts through (almost) no word
    while most baselines have words on both sides of it. Justified text has
    wide gaps too, but never at the same x on most lines.
    """
    rows = [r for r in rows if r]
    if len(rows) < 6:
        return None
    min_gap = max(8.0, 0.9 * size)
    need = max(4, 0.5 * len(rows))
    lo_x, hi_x = width * 0.3, width * 0.7
    # Only x that lie in a gutter-wide gap on most rows can pass the full
    # test below: count, for each x of the grid, the rows with such a gap.
    grid = [lo_x + 2.0 * i for i in range(int((hi_x - lo_x) / 2.0) + 1)]
    # Per row, the grid cells inside a wide gap; most rows of a one-column
    # page have none, and the page is done without a pass over the grid.
    wide = [
        [
            (max(0, int((a[1] - lo_x) / 2.0) + 1), min(len(grid) - 1, int((b[0] - lo_x) / 2.0)))
            for a, b in zip(r, r[1:])
            if b[0] - a[1] >= min_gap and a[1] < hi_x and b[0] > lo_x
        ]
        for r in rows
    ]
    if sum(1 for cells in wide if cells) < need:
        return None
    cover = [0] * len(grid)
    for cells in wide:
        seen: set[int] = set()
        for first, last in cells:
            seen.update(range(first, last + 1))
        for i in seen:
            cover[i] += 1
    candidates = [x for x, c in zip(grid, cover) if c >= need]
    if not candidates:
        return None
    # Per row: span starts in order, the furthest end reached by the spans up
    # to each start, the first end and the last start; a candidate x is then
    # tested with one bisection per row.
    tests = []
    for spans in rows:
        ordered = sorted(spans)
        ends = list(itertools.accumulate((x1 for _, x1 in ordered), max))
        tests.append(([x0 for x0, _ in ordered], ends, min(x1 for _, x1 in spans), ordered[-1][0]))
    best: tuple[int, int, float] | None = None
    for x in candidates:
        crossing = both = 0
        for starts, ends, first_end, last_start in tests:
            k = bisect.bisect_left(starts, x)  # spans before k start left of x
            if k and ends[k - 1] > x:
                crossing += 1
            elif first_end <= x <= last_start:
                both += 1
        if best is None or (both - 3 * crossing) > (best[0] - 3 * best[1]):
            best = (both, crossing, x)
    assert best is not None
    both, crossing, gx = best
    if crossing > 0.05 * len(rows) + 1 or both < need:
        return None
    lo = max((x1 for r in rows for _, x1 in r if x1 <= gx), default=gx)
    hi = min((x0 for r in rows for x0, _ in r if x0 >= gx), default=gx)
    # A gutter is wider than a word space: repeated or tabular text can line
    # its word gaps up, but not into an empty band of most of an em.
    if hi - lo < min_gap:
        return None
    return (lo + hi) / 2


# ---------------------------------------------------------------- margins


def _norm_margin(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _margin_lines(pages: list[tuple[PageGlyphs, list[Line]]]) -> set[tuple[int, int]]:
    """(page, index) of lines that are running headers, footers or page numbers."""
    drop: set[tuple[int, int]] = set()
    repeated: Counter[str] = Counter()
    candidates: list[tuple[int, int, str]] = []
    for pg, lines in pages:
        top_band = pg.height * 0.10
        bottom_band = pg.height * 0.90
        for i, ln in enumerate(lines):
            in_margin = ln.bottom <= top_band or ln.top >= bottom_band
            if not in_margin:
                continue
            if _PAGE_NUMBER.match(ln.text):
                drop.add((pg.number, i))
                continue
            key = _norm_margin(ln.text)
            candidates.append((pg.number, i, key))
            repeated[key] += 1
    n_pages = len(pages)
    if n_pages >= 3:
        for page, i, key in candidates:
            if repeated[key] >= max(2, n_pages // 2):
                drop.add((page, i))
    return drop


# ---------------------------------------------------------------- paragraphs


def _body_left(lines: list[Line]) -> float:
    """The left edge most lines of a stream start at (indents start right of it)."""
    counts = Counter(round(ln.x0 / 2) * 2 for ln in lines)
    return min(x for x, n in counts.most_common(3)) if counts else 0.0


def _paragraphs(stream: list[Line]) -> list[tuple[int, str]]:
    """Join a stream of lines into (page, text) paragraphs."""
    if not stream:
        return []
    left = _body_left(stream)
    right = max(ln.x1 for ln in stream)
    # Typical distance from one baseline to the next inside a paragraph.
    gaps = [
        b.top - a.top
        for a, b in zip(stream, stream[1:])
        if a.page == b.page and 0 < b.top - a.top < 3 * a.size
    ]
    pitch = statistics.median(gaps) if gaps else stream[0].size * 1.3
    paras: list[tuple[int, list[str]]] = []
    prev: Line | None = None
    for ln in stream:
        new = prev is None
        if prev is not None:
            size = max(ln.size, 1.0)
            short_prev = right - prev.x1 > 3.0 * size
            if ln.page == prev.page:
                gap = ln.top - prev.top
                if gap > pitch * 1.2 or gap < 0:
                    new = True
            elif short_prev and _ends_sentence(prev.text) and not ln.text[:1].islower():
                # Across a page break only a short last line ends a paragraph
                # (an indent, checked below, also starts one).
                new = True
            # A first-line indent starts right of both the body edge and the
            # line above (address blocks sit right but share one left edge).
            indented = ln.x0 - left > 0.9 * size and ln.x0 - prev.x0 > 0.9 * size
            # The second line of a centred heading is "indented" too.
            centred_pair = _centred(ln, left, right) and (_centred(prev, left, right) or (prev.bold and ln.bold))
            if indented and not centred_pair:
                new = True
            # A one-line paragraph followed by another indented line: a
            # continuation line would start at the margin, not at the indent.
            one_line_para = bool(paras) and len(paras[-1][1]) == 1
            indent = ln.x0 - left
            if (
                one_line_para
                and not centred_pair
                and 0.9 * size < indent < 0.25 * (right - left)
                and abs(ln.x0 - prev.x0) < 0.5 * size
            ):
                new = True
            # A right-aligned title or signature followed by text at the margin.
            if prev.x0 - left > 0.4 * (right - left) and prev.x0 - ln.x0 > 3 * size:
                new = True
            if ln.bold != prev.bold:
                new = True
            if short_prev and _ends_sentence(prev.text) and not ln.text[:1].islower():
                new = True
            # Items of an enumeration end in ";" or ":" and start in lower case.
            if short_prev and prev.text.rstrip().endswith((";", ":")):
                new = True
            if abs(ln.size - prev.size) > 1.5:
                new = True
        if new:
            paras.append((ln.page, [ln.text]))
        else:
            paras[-1][1].append(ln.text)
        prev = ln
    return [(page, _join_lines(parts)) for page, parts in paras]


def _centred(ln: Line, left: float, right: float) -> bool:
    margin_left, margin_right = ln.x0 - left, right - ln.x1
    return margin_left > 0.5 * ln.size and abs(margin_left - margin_right) < 2 * ln.size


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_SENTENCE_END)


def _join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
        # A hyphen at a line end in these letters joins a compound
        # ("іс-қимыл", "интернет-ресурстар"): keep it and add no space.
        elif out.endswith("-") and not out.endswith(" -") and (
            line[:1].isalpha() or (out[-2:-1].isdigit() and line[:1].isdigit())
        ):
            out += line
        else:
            out += " " + line
    return re.sub(r"\s+", " ", out).strip()


# ---------------------------------------------------------------- language


def language_of(text: str) -> Lang | None:
    """kk or ru from the letters and common words of a text; None if it has neither."""
    n_cyr = len(_CYRILLIC.findall(text))
    if n_cyr < 3:
        return None
    kk_letters = len(_KAZAKH_LETTER.findall(text))
    words = re.findall(r"[\w.-]+", text.lower())
    kk_words = sum(1 for w in words if w in _KK_WORDS)
    ru_words = sum(1 for w in words if w in _RU_WORDS)
    share = kk_letters / n_cyr
    # Kazakh prose has 8-12 % Kazakh-only letters; Russian prose borrows the
    # odd one (ІР-адрес, a Kazakh name), so a share decides, not a presence.
    if share >= 0.03 or kk_words > ru_words + 1:
        return "kk"
    if share < 0.015 and (n_cyr >= 25 or ru_words > kk_words):
        return "ru"
    return None


# ---------------------------------------------------------------- metadata


_INQUIRY_NO = re.compile(r"№\s*([A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{1,4}-\d+(?:/\d+)?)")
_SIGNATORY = re.compile(
    r"^(?:Министр|Вице-министр|Первый вице-министр|Председатель|Заместитель министра|Аким)"
    r"\s+([A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\.\s*(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\.\s*)?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w-]+)"
)
_SENDER = re.compile(r"\b(Министерств[оау]\s+(?:[а-яё]+\s+){0,3}?(?:дел|развития|финансов|юстиции|здравоохранения|образования|науки|обороны|энергетики|экономики|сельского хозяйства|информации|культуры|труда)[а-яё ]*?)(?=[\s,.(]|$)")


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _first_date(text: str, lang: Lang) -> date | None:
    """The first full date in `text`, read as the figures stage reads dates."""
    for tok in read_numbers(text, lang):
        if tok.kind == "date" and tok.value % 100:
            v = int(tok.value)
            return _safe_date(v // 10000, v // 100 % 100, v % 100)
    return None


def _read_meta(registration: re.Match[str] | None, paragraphs: list[Paragraph]) -> LetterMeta:
    outgoing_no = letter_date = None
    if registration:
        outgoing_no = registration.group("no").strip()
        day, month, year = (int(x) for x in registration.group("date").split("."))
        letter_date = _safe_date(year, month, day)
    cover = {lang: [p for p in paragraphs if p.lang == lang and p.part == "cover"] for lang in ("kk", "ru")}
    inquiry_no = inquiry_date = None
    # The Russian cover states the inquiry as "На депутатский запрос от <date> №ДЗ-256".
    for lang in ("ru", "kk"):
        for i, p in enumerate(cover[lang]):
            if not (m := _INQUIRY_NO.search(p.text)):
                continue
            inquiry_no = m.group(1)
            window = " ".join(q.text for q in cover[lang][max(0, i - 2) : i + 1])
            inquiry_date = _first_date(window, lang)  # type: ignore[arg-type]
            break
        if inquiry_no:
            break
    signatory = None
    for lang in ("ru", "kk"):
        for p in cover[lang]:
            if m := _SIGNATORY.search(p.text):
                signatory = re.sub(r"\.\s*", ". ", m.group(1)).replace(". ", ".", 0).strip()
                break
        if signatory:
            break
    sender = None
    for p in paragraphs:
        if p.lang == "ru" and (m := _SENDER.search(p.text)):
            sender = m.group(1).strip()
            sender = sender[0].upper() + sender[1:]
            sender = re.sub(r"^Министерств[ау]\b", "Министерство", sender)
            break
    addressees = None
    for p in cover["ru"]:
        if p.text.startswith(("Депутат", "Председател", "Руководител", "Министр", "Аким")):
            addressees = p.text
            break
    return LetterMeta(outgoing_no, letter_date, inquiry_no, inquiry_date, sender, addressees, signatory)


# ---------------------------------------------------------------- letter


def _page_lines(pg: PageGlyphs) -> tuple[list[Line], list[Line]] | list[Line]:
    """The page's lines, or its (left, right) columns when it is side by side."""
    rows = _rows(pg.glyphs)
    chars = [g for g in pg.glyphs if g.text != " "]
    size = _median_size(chars) if chars else 10.0
    # Headers and footers (a centred page number) may sit in the gutter.
    body_rows = [r for r in rows if 0.08 * pg.height < r[0].top and r[0].bottom < 0.92 * pg.height]
    gutter = _find_gutter([_spans(r) for r in body_rows], pg.width, size)

    def build(rs: list[list[Glyph]]) -> list[Line]:
        lines = [ln for r in rs if r and (ln := _make_line(pg.number, r))]
        lines.sort(key=lambda ln: (ln.top, ln.x0))
        return lines

    if gutter is None:
        return build(rows)
    left = [[g for g in r if (g.x0 + g.x1) / 2 < gutter] for r in rows]
    right = [[g for g in r if (g.x0 + g.x1) / 2 >= gutter] for r in rows]
    return build(left), build(right)


def extract_letter(
    path: str,
    data: bytes,
    *,
    password: str | None = None,
    engine: Engine = DEFAULT_ENGINE,
    sha256: str | None = None,
    on_page: Callable[[int], None] | None = None,
) -> Letter:
    """Read one letter; raise RejectedFile with a reason code when it can't be used.

    `engine` picks the PDF parser: "pdfplumber" (pdfminer) or "pdfium"
    (pypdfium2); both feed the same layout analysis.
    """
    # The caller may have hashed the bytes already (to find duplicates).
    sha256 = sha256 or hashlib.sha256(data).hexdigest()
    # Per page: its lines, each with the column it sits in ("" on one-column pages).
    pages: list[tuple[PageGlyphs, list[Line], list[str]]] = []
    registration: re.Match[str] | None = None
    reader = read_pages_pdfium if engine == "pdfium" else read_pages
    for pg in reader(path, data, password):
        laid = _page_lines(pg)
        if isinstance(laid, tuple):
            tagged = [(ln, "L") for ln in laid[0]] + [(ln, "R") for ln in laid[1]]
        else:
            tagged = [(ln, "") for ln in laid]
        lines: list[Line] = []
        cols: list[str] = []
        for ln, col in tagged:
            if m := _REGISTRATION.search(ln.text):
                registration = registration or m
                continue
            lines.append(ln)
            cols.append(col)
        pages.append((pg, lines, cols))
        # The glyphs are no longer needed; keep memory flat on long letters.
        pg.glyphs.clear()
        if on_page:
            on_page(pg.number)
    if problem := text_layer_problem([pg for pg, _, _ in pages]):
        raise RejectedFile(path, "no_text", problem)
    margin = _margin_lines([(pg, lines) for pg, lines, _ in pages])
    # Side-by-side pages continue column into column across page breaks.
    streams: list[list[Line]] = []
    main: list[Line] = []
    left_col: list[Line] = []
    right_col: list[Line] = []
    for pg, lines, cols in pages:
        body = [(ln, col) for i, (ln, col) in enumerate(zip(lines, cols)) if (pg.number, i) not in margin]
        if any(col for _, col in body):
            if main:
                streams.append(main)
                main = []
            left_col.extend(ln for ln, col in body if col == "L")
            right_col.extend(ln for ln, col in body if col == "R")
        else:
            if left_col or right_col:
                streams.extend([left_col, right_col])
                left_col, right_col = [], []
            main.extend(ln for ln, _ in body)
    streams.extend(s for s in (main, left_col, right_col) if s)

    raw: list[tuple[int, str]] = []
    for stream in streams:
        raw.extend(_paragraphs(stream))
    all_text = " ".join(t for _, t in raw)
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
    paragraphs = _tag(raw)
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
    if len(langs) == 1:
        only = next(iter(langs))
        missing = "Russian" if only == "kk" else "Kazakh"
        raise RejectedFile(path, "one_language", f"only one language found: no {missing} text")
    meta = _read_meta(registration, paragraphs)
    return Letter(path=path, sha256=sha256, pages=len(pages), meta=meta, paragraphs=tuple(paragraphs))


def _tag(raw: Iterable[tuple[int, str]]) -> list[Paragraph]:
    """Tag each paragraph kk or ru, find the parts, number paragraphs per (lang, part)."""
    items = [(page, text, language_of(text)) for page, text in raw]
    # Paragraphs with no telling letters ("63/436;", "тел.: 72-22-37",
    # "Депутатам") belong with their neighbours. Between a kk and a ru
    # paragraph, the language changes where a new page begins: each part of a
    # letter starts on a page of its own.
    tagged: list[tuple[int, str, Lang]] = []
    n = len(items)
    for i, (page, text, lang) in enumerate(items):
        if lang is None:
            prev = next(((pg, lg) for pg, _, lg in reversed(items[:i]) if lg), None)
            nxt = next(((pg, lg) for pg, _, lg in items[i + 1 : n] if lg), None)
            if prev and nxt and prev[1] != nxt[1]:
                lang = nxt[1] if page > prev[0] else prev[1]
            else:
                lang = (prev or nxt or (0, None))[1]
        if lang is None:
            continue
        tagged.append((page, text, lang))
    part_of: dict[str, Part] = {"kk": "cover", "ru": "cover"}
    counters: Counter[tuple[str, str]] = Counter()
    out: list[Paragraph] = []
    for page, text, lang in tagged:
        for title_lang, title in _APPENDIX_TITLE.items():
            if title.match(text):
                lang = title_lang  # type: ignore[assignment]
                part_of[lang] = "appendix"
        part = part_of[lang]
        counters[(lang, part)] += 1
        out.append(Paragraph(lang=lang, part=part, para_no=counters[(lang, part)], page=page, text=text))
    return out
