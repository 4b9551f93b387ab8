"""Borderless tables: runs of lines, each a text label followed by numbers in columns.

Decision: the numbers' columns line up from line to line (gaps of more than
an em between them); a table takes at least two lines with two or more
number columns, or three lines with one. Prose never has that shape: its
words are a third of an em apart and it is not numbers. The header is the
line just above (its cells placed by the columns they overlap), or the first
line itself when its numbers are all years. `tables.find_tables` calls
`borderless_tables` on what the ruled tables left of a page.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from .glyphs import Glyph
from .lines import _make_line, _rows

TableBox = tuple[float, float, float, float]  # x0, top, x1, bottom (text_layer.Box orders them x0, x1, top, bottom)

# Gap between a table's columns, in ems of the font size: more than a space,
# however wide justification makes one.
COLUMN_GAP = 1.2
_NUMBER = re.compile(r"^[-−]?\d[\d \u00a0\u202f]*(?:[.,]\d+)?\s?%?$")
# A cell with no value: a dash, "х", dots.
_NO_VALUE_MARK = r"(?:[-–—−]+|[хxХX]|\.{1,3}|…)"
_NO_VALUE = re.compile(rf"^{_NO_VALUE_MARK}$")
# Over a row's glyph texts joined by NULs: a digit anywhere, or a whole glyph that is a no-value mark.
_CELL_MARK = re.compile(rf"\d|(?:^|\x00){_NO_VALUE_MARK}(?=\x00|$)")
YEAR = re.compile(r"^(19|20)\d\d$")


def _may_fill_cells(chars: Sequence[Glyph]) -> bool:
    """Whether a row's glyphs (words, or single characters) could make a data
    cell: one has a digit, or one is a no-value mark."""
    return bool(_CELL_MARK.search("\x00".join(g.text.strip() for g in chars)))


def is_cell_number(text: str) -> bool:
    """A number, a dash or "х" (no value): what fills a table's data cells."""
    t = text.strip()
    return bool(_NUMBER.match(t) or _NO_VALUE.match(t))


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


def segments(page: int, glyphs: Sequence[Glyph], idx: Sequence[int]) -> list[_Seg]:
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


def borderless_tables(page: int, glyphs: list[Glyph]) -> list[tuple[TableBox, list[list[str]], list[int]]]:
    """The borderless tables among a page's glyphs: each one's box (x0, top, x1,
    bottom), its grid (header row first) and the indices of the glyphs it takes."""
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
        segs = segments(page, glyphs, [index[id(g)] for g in chars])
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
    out: list[tuple[TableBox, list[list[str]], list[int]]] = []
    for blk, last in finished:
        first_row = last - len(blk) + 1
        n_vals = max(len(g.values) for g in blk)
        data = list(blk)
        header: _RowGroup | None = None
        if all(all(YEAR.match(v.text) for v in g.values) for g in data[:1]) and len(data) > 1:
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
        out.append(((x0, top, x1, data[-1].bottom), [head_cells] + grid, used_idx))
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
