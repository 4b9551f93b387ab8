"""Tables on a page: ruled grids from drawn segments, borderless ones from aligned numbers.

A table's text never reaches the paragraphs: `find_tables` takes a page's
glyphs and returns the tables on it and the glyphs left for the text.
`letter_tables` then joins tables that run over a page break and gives each
its language, part and number. Both engines feed the same `Glyph`s and
`Rule`s, so both give the same cells.

Ruled tables. The page's horizontal and vertical rules are snapped and
joined, their crossings found and turned into cells by pdfplumber's own
table-finder functions (the "lines" strategy), whichever engine read them.
A grid needs two rows and two columns and some text.

Borderless tables are found by `borderless.borderless_tables`, on the glyphs
the ruled tables leave.

A table is one table across a page break when the next page's first table on
the same side has as many columns and no body text lies between the two; a
repeated header row is dropped. The table's title is the line just above it
(which stays a paragraph too).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import Lang, Paragraph, Table, is_abbreviation
from .borderless import YEAR, borderless_tables, is_cell_number, segments
from .glyphs import Glyph, PageGlyphs, Rule
from .language import language_of
from .lines import _make_line, _rows

_SNAP = 3.0  # points: rules this close are one rule (pdfplumber's default)
_JOIN = 3.0
# Page furniture bands (registration line, running header, page number).
_TOP_BAND, _BOTTOM_BAND = 0.065, 0.935


@dataclass
class PageTable:
    """One table as found on one page, before it is joined and tagged."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    grid: list[list[str]]  # rows of cell texts, header row first when `has_header`
    ruled: bool
    has_header: bool
    title: str = ""
    side: str = ""  # "L"/"R" on a page where it fills one half, "" otherwise
    text_above: bool = False  # body text between the page's top band and the table
    text_below: bool = False
    page_width: float = 0.0
    extra_pages: list[int] = field(default_factory=list)
    row_pages: list[int] = field(default_factory=list)  # the page of each row of `grid`

    def __post_init__(self) -> None:
        if not self.row_pages:
            self.row_pages = [self.page] * len(self.grid)

    @property
    def n_cols(self) -> int:
        return len(self.grid[0]) if self.grid else 0


# ------------------------------------------------------------------ the page


def find_tables(pg: PageGlyphs) -> tuple[list[PageTable], list[Glyph]]:
    """The tables of one page, and the glyphs that are not in any of them."""
    glyphs = pg.glyphs
    tables: list[PageTable] = []
    taken: set[int] = set()
    for box, grid in _ruled_grids(pg.rules, glyphs, pg.number):
        inside = [i for i, g in enumerate(glyphs) if i not in taken and _in_box(g, box)]
        taken.update(inside)
        x0, top, x1, bottom = box
        has_header = _header_like(grid[0])
        tables.append(PageTable(pg.number, x0, top, x1, bottom, grid, True, has_header))
    rest_idx = [i for i in range(len(glyphs)) if i not in taken]
    for (x0, top, x1, bottom), grid, used in borderless_tables(pg.number, [glyphs[i] for i in rest_idx]):
        tables.append(PageTable(pg.number, x0, top, x1, bottom, grid, False, True))
        taken.update(rest_idx[j] for j in used)
    rest = [g for i, g in enumerate(glyphs) if i not in taken]
    for t in tables:
        t.page_width = pg.width
        width = t.x1 - t.x0
        mid = (t.x0 + t.x1) / 2
        if width < 0.55 * pg.width:
            t.side = "L" if mid < pg.width / 2 else "R"
        t.title = _title_above(t, rest)
        t.text_above, t.text_below = _text_around(t, rest, pg.height)
    tables.sort(key=lambda t: (t.side, t.top))
    return tables, rest


def _in_box(g: Glyph, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _text(page: int, glyphs: Sequence[Glyph]) -> str:
    lines = [ln for row in _rows(list(glyphs)) if (ln := _make_line(page, row))]
    return " ".join(ln.text for ln in lines).strip()


def _header_like(row: Sequence[str]) -> bool:
    """A first row that heads columns: its cells past the first are not plain data numbers."""
    cells = [c.strip() for c in row[1:] if c.strip()]
    if not cells:
        return True
    return not all(is_cell_number(c) and not YEAR.match(c) for c in cells)


def _ruled_grids(
    rules: Sequence[Rule], glyphs: Sequence[Glyph], page: int
) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
    if not rules:
        return []
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges: list[dict[str, Any]] = []
    for r in rules:
        horizontal = r.bottom - r.top < r.x1 - r.x0
        edges.append(
            {
                "x0": r.x0,
                "x1": r.x1,
                "top": r.top,
                "bottom": r.bottom,
                "width": r.x1 - r.x0,
                "height": r.bottom - r.top,
                "orientation": "h" if horizontal else "v",
                "object_type": "line",
            }
        )
    edges = merge_edges(edges, _SNAP, _SNAP, _JOIN, _JOIN)
    edges = [e for e in edges if _length(e) >= 3]
    cells = intersections_to_cells(edges_to_intersections(edges, 1, 1))
    out = []
    for group in cells_to_tables(cells):
        tops = sorted({round(c[1], 1) for c in group})
        lefts = sorted({round(c[0], 1) for c in group})
        if len(tops) < 2 or len(lefts) < 2:
            continue
        grid = [["" for _ in lefts] for _ in tops]
        filled = 0
        for c in group:
            inside = [g for g in glyphs if _in_box(g, c)]
            text = _text(page, inside)
            if text:
                filled += 1
                grid[tops.index(round(c[1], 1))][lefts.index(round(c[0], 1))] = text
        if not filled:
            continue
        box = (min(c[0] for c in group), min(c[1] for c in group), max(c[2] for c in group), max(c[3] for c in group))
        out.append((box, grid))
    return out


def _length(edge: dict[str, Any]) -> float:
    if edge["orientation"] == "h":
        return float(edge["x1"]) - float(edge["x0"])
    return float(edge["bottom"]) - float(edge["top"])


# --------------------------------------------------------- around a table


def _title_above(t: PageTable, rest: Sequence[Glyph]) -> str:
    """The line just above the table, with the lines it wraps from (a title
    ends no sentence; the paragraph before it does). A line is taken whole
    where it overlaps the table, up to a column-wide gap (the gutter of a
    side-by-side page)."""
    near = [g for g in rest if g.bottom <= t.top + 1 and g.text.strip() and t.top - g.bottom < 200]
    if not near:
        return ""
    lines = sorted(_rows(near), key=lambda row: -max(g.bottom for g in row))
    picked: list[str] = []
    last_bottom = 0.0
    for row in lines:
        mine = [sg for sg in segments(t.page, row, range(len(row))) if sg.x1 > t.x0 and sg.x0 < t.x1]
        if not mine:
            continue
        size = statistics.median(g.size for g in row)
        bottom = max(g.bottom for g in row)
        # The first line sits just above the table; each further one a line
        # pitch above the last (a paragraph gap is wider).
        if not picked and t.top - bottom > 2.5 * size or picked and last_bottom - bottom > 1.4 * size:
            break
        text = " ".join(sg.text for sg in mine)
        if picked and _ends_sentence(text):
            break
        picked.append(text)
        last_bottom = bottom
        if len(picked) == 3:
            break
    return " ".join(reversed(picked))


def _ends_sentence(text: str) -> bool:
    t = text.rstrip()
    if not t.endswith((".", "!", "?", ";")):
        return False
    word = t[:-1].split()[-1] if t[:-1].split() else ""
    # Any longer word ends one ("… 2%-ға көп."), as in figure contexts.
    return not word.isalpha() or not is_abbreviation(word)


def _text_around(t: PageTable, rest: Sequence[Glyph], height: float) -> tuple[bool, bool]:
    above = below = False
    for g in rest:
        if not g.text.strip() or g.x1 <= t.x0 or g.x0 >= t.x1:
            continue
        if g.bottom <= t.top and g.top > _TOP_BAND * height:
            above = True
        elif g.top >= t.bottom and g.bottom < _BOTTOM_BAND * height:
            below = True
    return above, below


# ----------------------------------------------------------------- a letter


def _norm(row: Sequence[str]) -> tuple[str, ...]:
    return tuple(" ".join(c.split()).lower() for c in row)


def join_pages(tables: Sequence[PageTable]) -> list[PageTable]:
    """Join a table with its continuation on the next page (see the module doc)."""
    out: list[PageTable] = []
    by_page: dict[int, list[PageTable]] = {}
    for t in tables:
        by_page.setdefault(t.page, []).append(t)
    last_on: dict[tuple[int, str], PageTable] = {}
    for page in sorted(by_page):
        firsts: dict[str, PageTable] = {}
        for t in by_page[page]:
            firsts.setdefault(t.side, t)
        for t in by_page[page]:
            prev = last_on.get((page - 1, t.side))
            if (
                prev is not None
                and firsts[t.side] is t
                and not prev.text_below
                and not t.text_above
                and prev.n_cols == t.n_cols
                and prev.ruled == t.ruled
            ):
                rows = t.grid
                if t.has_header and _norm(rows[0]) == _norm(prev.grid[0]):
                    rows = rows[1:]
                elif not any(c.strip() for c in rows[0]):
                    rows = rows[1:]  # a borderless continuation: no header found above it
                prev.grid.extend(rows)
                prev.row_pages.extend([page] * len(rows))
                prev.extra_pages.append(page)
                prev.text_below = t.text_below
                last_on[(page, t.side)] = prev
                continue
            out.append(t)
            last_on[(page, t.side)] = t
    return out


def letter_tables(tables: Sequence[PageTable], paragraphs: Sequence[Paragraph]) -> list[Table]:
    """Tag each (joined) table with its language, part and number."""
    out: list[Table] = []
    counters: dict[str, int] = {}
    for t in join_pages(tables):
        lang = language_of(" ".join([t.title] + [r[0] for r in t.grid] + list(t.grid[0])))
        if lang is None and t.side:
            lang = "kk" if t.side == "L" else "ru"
        before = [p for p in paragraphs if p.page <= t.page]
        if lang is None:
            lang = before[-1].lang if before else (paragraphs[0].lang if paragraphs else None)
        if lang is None:
            continue
        mine = [p for p in before if p.lang == lang]
        anchor = mine[-1] if mine else next((p for p in paragraphs if p.lang == lang), None)
        if anchor is None:
            continue
        header = tuple(t.grid[0]) if t.has_header else ("",) * t.n_cols
        rows = t.grid[1:] if t.has_header else t.grid
        row_pages = t.row_pages[1:] if t.has_header else t.row_pages
        if not rows:
            continue
        counters[lang] = counters.get(lang, 0) + 1
        table_lang: Lang = lang
        out.append(
            Table(
                lang=table_lang,
                part=anchor.part,
                table_no=counters[lang],
                page=t.page,
                title=t.title,
                header=header,
                rows=tuple(tuple(r) for r in rows),
                ruled=t.ruled,
                pages=(t.page, *t.extra_pages),
                para_no=anchor.para_no,
                row_pages=tuple(row_pages),
            )
        )
    return out
