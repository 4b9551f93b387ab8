"""Glyphs to lines: rows by baseline, a page split into columns at its gutter."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..models import Lang
from .columns import crosses, find_gutter
from .language import language_of
from .pdfplumber import Glyph, PageGlyphs


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
    words: tuple[tuple[int, int, float, float], ...] = ()


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
    # (start, end, x0, x1) of every glyph in the line's text: the positions
    # a figure's box is read from (see etl.figures.rows).
    words: list[tuple[int, int, float, float]] = []
    pos = 0
    last: Glyph | None = None
    pending_space = False
    x0 = top = float("inf")
    x1 = bottom = float("-inf")
    n_chars = n_bold = 0
    # Sizes by characters, for the median; a dict only once two sizes differ.
    size: float | None = None
    weight: dict[float, int] | None = None
    for g in row:
        text = g.text
        if text == " ":
            pending_space = True
            continue
        if not text or text[0] == " " or text[-1] == " " or "  " in text or not text.isprintable():
            # Whitespace in a glyph reads as one space, as between glyphs.
            core = " ".join(text.split())
            if text[:1].isspace():
                pending_space = True
            trailing = text[-1:].isspace()
        else:
            core, trailing = text, False
        # Producers that position words without space characters still
        # leave a gap of a fifth of an em or so between words.
        space = pending_space or (
            last is not None and g.x0 - last.x1 > 0.18 * (g.size if g.size > last.size else last.size)
        )
        if core:
            if space and pos:
                parts.append(" ")
                pos += 1
            parts.append(core)
            words.append((pos, pos + len(core), g.x0, g.x1))
            pos += len(core)
            pending_space = trailing
        else:
            pending_space = space or bool(text)
        if last is None:
            x0, x1, top, bottom = g.x0, g.x1, g.top, g.bottom
        else:
            if g.x0 < x0:
                x0 = g.x0
            if g.x1 > x1:
                x1 = g.x1
            if g.top < top:
                top = g.top
            if g.bottom > bottom:
                bottom = g.bottom
        last = g
        n = len(text)
        n_chars += n
        if g.bold:
            n_bold += n
        if size is None:
            size = g.size
        elif weight is not None:
            weight[g.size] = weight.get(g.size, 0) + n
        elif g.size != size:
            # Every glyph before this one had `size`: n_chars - n characters of it.
            weight = {size: n_chars - n, g.size: n}
    if last is None:
        return None
    assert size is not None
    return Line(
        page,
        x0,
        x1,
        top,
        bottom,
        size if weight is None else _weighted_median(weight),
        "".join(parts),
        n_bold * 2 > n_chars,
        tuple(words),
    )


def _median_size(glyphs: list[Glyph]) -> float:
    """Median font size per character (a glyph may hold a whole word)."""
    first = glyphs[0].size
    if all(g.size == first for g in glyphs):
        return first
    weight: dict[float, int] = {}
    for g in glyphs:
        weight[g.size] = weight.get(g.size, 0) + len(g.text)
    return _weighted_median(weight)


def _weighted_median(weight: dict[float, int]) -> float:
    """statistics.median of each size repeated its weight times, without the repeating."""
    total = sum(weight.values())
    if total == 0:
        return statistics.median(weight)
    ordered = sorted(weight.items())
    lo_rank, hi_rank = (total - 1) // 2, total // 2
    lo = hi = None
    seen = 0
    for size, n in ordered:
        if lo is None and seen + n > lo_rank:
            lo = size
        if seen + n > hi_rank:
            hi = size
            break
        seen += n
    assert lo is not None and hi is not None
    return lo if lo == hi else (lo + hi) / 2





# ---------------------------------------------------------------- columns


@dataclass
class PageLayout:
    """A page's lines, each with its column: "L", "R", or "" for a row kept
    whole (one-column pages, a running header across a side-by-side page, a
    full-width row among side-by-side ones)."""

    page: int
    lines: list[tuple[Line, str]]
    gutter: float | None = None
    # The languages of the left and right columns when the page is split.
    langs: tuple[Lang | None, Lang | None] = (None, None)

    def column_of(self, line: Line) -> str:
        """The column a whole row belongs to on a split page: by its language, else by where it sits."""
        if self.gutter is None:
            return ""
        lang = language_of(line.text)
        if lang is not None and lang in self.langs:
            return "L" if lang == self.langs[0] else "R"
        return "L" if (line.x0 + line.x1) / 2 < self.gutter else "R"


@dataclass
class _Page:
    pg: PageGlyphs
    rows: list[list[Glyph]]
    spans: list[list[tuple[float, float]]]
    body: list[bool]  # the row lies between the header and footer bands
    size: float
    own: float | None  # the gutter the page's own geometry gives
    strong: float | None = None  # a gutter whose two sides are Kazakh and Russian
    langs: tuple[Lang | None, Lang | None] = (None, None)


def _prepare(pg: PageGlyphs) -> _Page:
    rows = _rows(pg.glyphs)
    chars = [g for g in pg.glyphs if g.text != " "]
    size = _median_size(chars) if chars else 10.0
    # Headers and footers (a centred page number) may sit in the gutter.
    body = [0.08 * pg.height < r[0].top and r[0].bottom < 0.92 * pg.height for r in rows]
    spans = [_spans(r) for r in rows]
    body_spans = [s for s, b in zip(spans, body) if b]
    # The strict test first; a looser one gives a candidate for the language
    # check, so a page read a little differently by another engine, or
    # changed by a few words, still finds its gutter.
    own = find_gutter(body_spans, pg.width, size) or find_gutter(body_spans, pg.width, size, share=0.25)
    return _Page(pg, rows, spans, body, size, own)


def _side_text(row: list[Glyph], x: float, left: bool) -> str:
    return " ".join(g.text for g in row if g.text != " " and (((g.x0 + g.x1) / 2 < x) == left))


def _sides(page: _Page, x: float, every_row: bool = False) -> tuple[Lang | None, Lang | None, int, int, int]:
    """Languages left and right of x over the body rows (or every row) no word
    crosses; how many such rows have words on both sides; crossing rows; rows looked at."""
    left: list[str] = []
    right: list[str] = []
    both = cross = n = 0
    for row, spans, body in zip(page.rows, page.spans, [True] * len(page.rows) if every_row else page.body):
        if not body or not spans:
            continue
        n += 1
        if crosses(spans, x):
            cross += 1
            continue
        a, b = _side_text(row, x, True), _side_text(row, x, False)
        left.append(a)
        right.append(b)
        both += bool(a and b)
    return language_of(" ".join(left)), language_of(" ".join(right)), both, cross, n


def _try_strong(page: _Page, x: float | None) -> bool:
    """Split at x when its two sides are one Kazakh and one Russian column."""
    if x is None:
        return False
    lang_l, lang_r, both, _, _ = _sides(page, x)
    if {lang_l, lang_r} == {"kk", "ru"} and both >= 3:
        page.strong, page.langs = x, (lang_l, lang_r)
        return True
    return False


def _try_continued(page: _Page, neighbour: _Page | None) -> bool:
    """A page that goes on with a neighbour's columns (one of them may have
    ended): no word crosses the neighbour's gutter and each side that has
    text keeps that side's language."""
    if neighbour is None or neighbour.strong is None:
        return False
    x = neighbour.strong
    lang_l, lang_r, _, cross, n = _sides(page, x)
    if n == 0:
        # The columns' last row alone on a page sits in its header band.
        lang_l, lang_r, _, cross, n = _sides(page, x, every_row=True)
    if n == 0 or cross > 0.05 * n + 1:
        return False
    for got, want in zip((lang_l, lang_r), neighbour.langs):
        if got is not None and got != want:
            return False
    page.strong, page.langs = x, neighbour.langs
    return True


def _build(page: _Page) -> PageLayout:
    pg = page.pg
    number = pg.number

    def line(row: list[Glyph]) -> Line | None:
        return _make_line(number, row) if row else None

    out: list[tuple[Line, str]] = []
    x = page.strong
    if x is None:
        out = [(ln, "") for r in page.rows if (ln := line(r))]
        out.sort(key=lambda t: (t[0].top, t[0].x0))
        return PageLayout(number, out)
    n_body = sum(page.body)
    n_cross = sum(1 for s, b in zip(page.spans, page.body) if b and crosses(s, x))
    # A few crossing rows on a side-by-side page are words set too close to
    # the gutter; many are full-width rows among side-by-side ones (a cover
    # whose addressees stand side by side above full-width text).
    keep_crossing = n_cross > 0.05 * n_body + 1
    # The columns' edges, from the body; a page with a row or two of body
    # (the columns' last rows, run on from the page before) takes every row,
    # or its first row would pass for a header wider than the columns.
    few = n_body < 3
    body_spans = [sp for s, b in zip(page.spans, page.body) if b or few for sp in s]
    left_edge = min((x0 for x0, _ in body_spans), default=0.0)
    right_edge = max((x1 for _, x1 in body_spans), default=pg.width)
    size = page.size
    for row, spans, body in zip(page.rows, page.spans, page.body):
        whole = False
        if body:
            whole = keep_crossing and crosses(spans, x)
        else:
            # A running header or footer printed past the columns' edges stays
            # one line (and is dropped as such, as on one-column pages); a
            # first or last row of the columns is split.
            whole = not spans or crosses(spans, x) or spans[0][0] < left_edge - size or spans[-1][1] > right_edge + size
        if whole:
            if ln := line(row):
                out.append((ln, ""))
            continue
        for col, left in (("L", True), ("R", False)):
            if ln := line([g for g in row if ((g.x0 + g.x1) / 2 < x) == left]):
                out.append((ln, col))
    out.sort(key=lambda t: (t[0].top, t[0].x0))
    return PageLayout(number, out, x, page.langs)


def layout_pages(pages: Iterable[PageGlyphs]) -> Iterator[tuple[PageGlyphs, PageLayout]]:
    """Lay out pages in order, each split at its gutter when it is side by side.

    A gutter is taken from the page's own geometry, else from a neighbouring
    page's, and kept only when the two sides read as one Kazakh and one
    Russian column: when in doubt, the reading that keeps each paragraph in
    one language wins. A page one column of which has ended goes on with its
    neighbour's gutter. One page is held back, to see the next one's gutter.
    """
    prev: _Page | None = None
    held: _Page | None = None

    def finish(page: _Page, nxt: _Page | None) -> PageLayout:
        if not _try_strong(page, page.own):
            for cand in (prev, nxt):
                if cand is not None and _try_strong(page, cand.strong or cand.own):
                    break
            else:
                _try_continued(page, prev) or _try_continued(page, nxt)
        return _build(page)

    for pg in pages:
        page = _prepare(pg)
        _try_strong(page, page.own)
        if held is not None:
            laid = finish(held, page)
            yield held.pg, laid
            prev = held
        held = page
    if held is not None:
        yield held.pg, finish(held, None)
