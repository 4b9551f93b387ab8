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

Borderless tables. Decision: a borderless table is a run of lines, each a
text label followed by numbers in columns (gaps of more than an em between
them), the numbers' columns lining up from line to line; it takes at least
two lines with two or more number columns, or three lines with one. Prose
never has that shape: its words are a third of an em apart and it is not
numbers. The header is the line just above (its cells placed by the columns
they overlap), or the first line itself when its numbers are all years.

A table is one table across a page break when the next page's first table on
the same side has as many columns and no body text lies between the two; a
repeated header row is dropped. The table's title is the line just above it
(which stays a paragraph too).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from typing import Any
from dataclasses import dataclass, field

from ..models import Lang, Paragraph, Table, is_abbreviation
from .glyphs import Glyph, PageGlyphs, Rule
from .language import language_of
from .lines import _make_line, _rows

# Gap between a table's columns, in ems of the font size: more than a space,
# however wide justification makes one.
COLUMN_GAP = 1.2
_SNAP = 3.0  # points: rules this close are one rule (pdfplumber's default)
_JOIN = 3.0
_NUMBER = re.compile(r"^[-−]?\d[\d \u00a0\u202f]*(?:[.,]\d+)?\s?%?$")
_NO_VALUE = re.compile(r"^(?:[-–—−]+|[хxХX]|\.{1,3}|…)$")
# Over a row's glyph texts joined by NULs: a digit anywhere, or a whole glyph that is a no-value mark.
_CELL_MARK = re.compile(r"\d|(?:^|\x00)(?:[-–—−]+|[хxХX]|\.{1,3}|…)(?=\x00|$)")
_YEAR = re.compile(r"^(19|20)\d\d$")
# Page furniture bands (registration line, running header, page number).
_TOP_BAND, _BOTTOM_BAND = 0.065, 0.935


def _may_fill_cells(chars: Sequence[Glyph]) -> bool:
    """Whether a row's glyphs (words, or single characters) could make a data
    cell: one has a digit, or one is a no-value mark."""
    return bool(_CELL_MARK.search("\x00".join(g.text.strip() for g in chars)))


def is_cell_number(text: str) -> bool:
    """A number, a dash or "х" (no value): what fills a table's data cells."""
    t = text.strip()
    return bool(_NUMBER.match(t) or _NO_VALUE.match(t))


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
    for found, used in _borderless(pg.number, [glyphs[i] for i in rest_idx]):
        tables.append(found)
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
    return not all(is_cell_number(c) and not _YEAR.match(c) for c in cells)


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


# --------------------------------------------------------------- borderless


@dataclass
class _Seg:
    x0: float
    x1: float
    text: str
    idx: list[int]

    @property
    def numeric(self) -> bool:
        return is_cell_number(self.text)


@dataclass
class _RowGroup:
    top: float
    bottom: float
    size: float
    label: _Seg | None
    values: list[_Seg]


def _segments(page: int, glyphs: Sequence[Glyph], idx: Sequence[int]) -> list[_Seg]:
    order = sorted(range(len(idx)), key=lambda k: glyphs[idx[k]].x0)
    runs: list[list[int]] = []
    last: Glyph | None = None
    for k in order:
        g = glyphs[idx[k]]
        if not g.text.strip():
            continue
        if last is None or g.x0 - last.x1 > COLUMN_GAP * max(g.size, last.size):
            runs.append([])
        runs[-1].append(idx[k])
        last = g
    out = []
    for run in runs:
        gs = [glyphs[i] for i in run]
        line = _make_line(page, gs)  # one row, left to right already
        text = line.text if line else ""
        out.append(_Seg(min(g.x0 for g in gs), max(g.x1 for g in gs), text, run))
    return out


def _has_column_gap(row: list[Glyph]) -> bool:
    """A gap wider than a space between two neighbours of a row (sorted left to right, as `_rows` gives it)."""
    return any(b.x0 - a.x1 > COLUMN_GAP * max(a.size, b.size) for a, b in zip(row, row[1:]))


def _overlapping(rows: list[list[Glyph]]) -> list[list[Glyph]]:
    """Rows whose boxes overlap by most of their height are one table row: a
    label and numbers in different sizes sit on baselines a little apart, and
    the engines' boxes for them differ by a point or so."""
    out: list[list[Glyph]] = []
    for row in rows:
        if out:
            prev = out[-1]
            top, bottom = min(g.top for g in row), max(g.bottom for g in row)
            ptop, pbottom = min(g.top for g in prev), max(g.bottom for g in prev)
            overlap = min(bottom, pbottom) - max(top, ptop)
            if overlap > 0.6 * min(bottom - top, pbottom - ptop):
                out[-1] = sorted(prev + row, key=lambda g: g.x0)
                continue
        out.append(row)
    return out


def _groups_of_row(segs: list[_Seg], top: float, bottom: float, size: float) -> list[_RowGroup]:
    """A row split where a text label follows numbers: two side-by-side tables."""
    groups: list[_RowGroup] = []
    for s in segs:
        if not s.numeric and (not groups or groups[-1].values or groups[-1].label is None):
            groups.append(_RowGroup(top, bottom, size, s, []))
        elif not groups:
            groups.append(_RowGroup(top, bottom, size, None, [s]))
        elif s.numeric:
            groups[-1].values.append(s)
        else:
            groups.append(_RowGroup(top, bottom, size, s, []))
    return groups


def _borderless(page: int, glyphs: list[Glyph]) -> list[tuple[PageTable, list[int]]]:
    if not glyphs:
        return []
    index = {id(g): i for i, g in enumerate(glyphs)}
    rows = _overlapping(_rows(list(glyphs)))
    laid: list[tuple[list[_RowGroup], list[_Seg]]] = []
    # Rows with gaps but nothing a data cell could hold: they only end blocks,
    # like prose, unless one heads a block; cut into cells only then.
    wordy: dict[int, list[Glyph]] = {}

    def cut(chars: list[Glyph]) -> tuple[list[_RowGroup], list[_Seg]]:
        size = statistics.median(g.size for g in chars)
        segs = _segments(page, glyphs, [index[id(g)] for g in chars])
        top, bottom = min(g.top for g in chars), max(g.bottom for g in chars)
        return _groups_of_row(segs, top, bottom, size), segs

    for row in rows:
        chars = [g for g in row if g.text.strip()]
        if not chars:
            continue
        if not _has_column_gap(chars):
            # Prose: no cell boundary on this line; it only ends blocks.
            laid.append(([], []))
        elif _may_fill_cells(chars):
            laid.append(cut(chars))
        else:
            wordy[len(laid)] = chars
            laid.append(([], []))
    # Blocks of data rows, one per label position still open.
    open_blocks: list[tuple[list[_RowGroup], int]] = []  # (groups, index of the last row)
    finished: list[tuple[list[_RowGroup], int]] = []
    for r, (groups, _) in enumerate(laid):
        still: list[tuple[list[_RowGroup], int]] = []
        used: set[int] = set()
        for blk, last in open_blocks:
            match = None
            for k, grp in enumerate(groups):
                if k in used or grp.label is None or not grp.values:
                    continue
                if _continues(blk, grp):
                    match = k
                    break
            if match is not None and last == r - 1:
                used.add(match)
                blk.append(groups[match])
                still.append((blk, r))
            else:
                finished.append((blk, last))
        for k, grp in enumerate(groups):
            if k in used or grp.label is None or not grp.values:
                continue
            still.append(([grp], r))
        open_blocks = still
    finished.extend(open_blocks)
    out: list[tuple[PageTable, list[int]]] = []
    for blk, last in finished:
        first_row = last - len(blk) + 1
        n_vals = max(len(g.values) for g in blk)
        data = list(blk)
        header: _RowGroup | None = None
        if all(all(_YEAR.match(v.text) for v in g.values) for g in data[:1]) and len(data) > 1:
            header, data = data[0], data[1:]
        wide = sum(1 for g in data if len(g.values) >= 2)
        if not (len(data) >= 2 and wide >= 2 and n_vals >= 2 or len(data) >= 3 and n_vals >= 1):
            continue
        cols = _columns(data, n_vals)
        x0 = min(min(g.label.x0 for g in blk if g.label), cols[0][0])
        x1 = max(c[1] for c in cols)
        used_idx: list[int] = []
        grid: list[list[str]] = []
        head_cells: list[str] = [""] * (n_vals + 1)
        if header is None and first_row > 0:
            above = first_row - 1
            if above in wordy:
                laid[above] = cut(wordy.pop(above))
            header = _header_above(laid[above], blk[0], cols, x0, x1)
        if header is not None:
            if header.label:
                head_cells[0] = header.label.text
                used_idx.extend(header.label.idx)
            for v in [part for seg in header.values for part in _split_header(page, glyphs, seg, cols)]:
                c = _column_of(v, cols)
                if c is not None:
                    head_cells[c + 1] = (head_cells[c + 1] + " " + v.text).strip()
                    used_idx.extend(v.idx)
        for g in data:
            cells = [""] * (n_vals + 1)
            assert g.label is not None
            cells[0] = g.label.text
            used_idx.extend(g.label.idx)
            for v in g.values:
                c = _column_of(v, cols)
                if c is not None and not cells[c + 1]:
                    cells[c + 1] = v.text
                    used_idx.extend(v.idx)
            grid.append(cells)
        top = header.top if header is not None else data[0].top
        table = PageTable(page, x0, top, x1, data[-1].bottom, [head_cells] + grid, False, True)
        out.append((table, used_idx))
    return out


def _split_header(page: int, glyphs: Sequence[Glyph], seg: _Seg, cols: list[tuple[float, float]]) -> list[_Seg]:
    """A header line whose cells fill their columns reads as one run of words
    ("2022 жылғы 1 қаңтарға 2023 жылғы 1 қаңтарға"): cut it between each two
    columns it covers, at the widest space between their numbers' extents
    (the padding of two cells is wider than a word space)."""
    covered = [c for c, (a, b) in enumerate(cols) if min(b, seg.x1) - max(a, seg.x0) > 0]
    if len(covered) < 2:
        return [seg]
    order = sorted(seg.idx, key=lambda i: glyphs[i].x0)
    gs = [glyphs[i] for i in order]
    size = max(g.size for g in gs)
    cuts: list[int] = []
    for c in covered[:-1]:
        lo, hi = cols[c][1] - size, cols[c + 1][0] + size
        gaps = [(gs[k + 1].x0 - gs[k].x1, -k, k + 1) for k in range(len(gs) - 1) if lo <= (gs[k].x1 + gs[k + 1].x0) / 2 <= hi]
        gaps = [g for g in gaps if g[0] > 0.15 * size and (not cuts or g[2] > cuts[-1])]
        if gaps:
            cuts.append(max(gaps)[2])
    if not cuts:
        return [seg]
    out = []
    for lo_k, hi_k in zip([0, *cuts], [*cuts, len(gs)]):
        part = gs[lo_k:hi_k]
        line = _make_line(page, part)
        out.append(_Seg(part[0].x0, max(g.x1 for g in part), line.text if line else "", order[lo_k:hi_k]))
    return out


def _continues(blk: list[_RowGroup], grp: _RowGroup) -> bool:
    ref = blk[-1]
    assert grp.label is not None and ref.label is not None
    size = max(ref.size, grp.size)
    if abs(grp.label.x0 - ref.label.x0) > 1.5 * size:
        return False
    if grp.top - ref.bottom > 1.5 * size:
        return False
    # Every number of the row sits under a number of the block above.
    firsts = [v for g in blk for v in g.values]
    for v in grp.values:
        if not any(v.x0 <= w.x1 + 0.5 * size and w.x0 <= v.x1 + 0.5 * size for w in firsts):
            return False
    return True


def _columns(data: list[_RowGroup], n_vals: int) -> list[tuple[float, float]]:
    """The x-extent of each value column, from the rows that fill them all."""
    full = [g for g in data if len(g.values) == n_vals]
    cols = []
    for c in range(n_vals):
        cols.append((min(g.values[c].x0 for g in full), max(g.values[c].x1 for g in full)))
    return cols


def _column_of(seg: _Seg, cols: list[tuple[float, float]]) -> int | None:
    best, best_overlap = None, 0.0
    for c, (a, b) in enumerate(cols):
        overlap = min(b, seg.x1) - max(a, seg.x0)
        if overlap > best_overlap:
            best, best_overlap = c, overlap
    if best is None:
        # No overlap: the nearest column centre (a header wider than its numbers).
        mid = (seg.x0 + seg.x1) / 2
        best = min(range(len(cols)), key=lambda c: abs((cols[c][0] + cols[c][1]) / 2 - mid))
    return best


def _header_above(
    row: tuple[list[_RowGroup], list[_Seg]], first: _RowGroup, cols: list[tuple[float, float]], x0: float, x1: float
) -> _RowGroup | None:
    _groups, segs = row
    if not _groups or first.top - _groups[0].bottom > 2.0 * first.size:
        return None
    mine = [s for s in segs if s.x1 > x0 - first.size and s.x0 < x1 + first.size]
    if not mine:
        return None
    assert first.label is not None
    label = None
    values = []
    for s in mine:
        if label is None and abs(s.x0 - first.label.x0) <= 1.5 * first.size and s.x1 < cols[0][0]:
            label = s
        else:
            values.append(s)
    hit = {c for s in values if (c := _column_of(s, cols)) is not None and _overlaps(s, cols[c], first.size)}
    if len(hit) < max(1, (len(cols) + 1) // 2):
        return None
    return _RowGroup(_groups[0].top, _groups[0].bottom, first.size, label, values)


def _overlaps(s: _Seg, col: tuple[float, float], size: float) -> bool:
    return s.x0 <= col[1] + size and col[0] - size <= s.x1


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
        mine = [sg for sg in _segments(t.page, row, range(len(row))) if sg.x1 > t.x0 and sg.x0 < t.x1]
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
