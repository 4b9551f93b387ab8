"""Glyphs to lines: rows by baseline, a page split into columns at its gutter."""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass

from .columns import find_gutter
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
        last = g
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
        "".join(parts),
        n_bold * 2 > n_chars,
        tuple(words),
    )


def _median_size(glyphs: list[Glyph]) -> float:
    """Median font size per character (a glyph may hold a whole word)."""
    first = glyphs[0].size
    if all(g.size == first for g in glyphs):
        return first
    return statistics.median(s for g in glyphs for s in itertools.repeat(g.size, len(g.text)))





def page_lines(pg: PageGlyphs) -> tuple[list[Line], list[Line]] | list[Line]:
    """The page's lines, or its (left, right) columns when it is side by side."""
    rows = _rows(pg.glyphs)
    chars = [g for g in pg.glyphs if g.text != " "]
    size = _median_size(chars) if chars else 10.0
    # Headers and footers (a centred page number) may sit in the gutter.
    body_rows = [r for r in rows if 0.08 * pg.height < r[0].top and r[0].bottom < 0.92 * pg.height]
    gutter = find_gutter([_spans(r) for r in body_rows], pg.width, size)

    def build(rs: list[list[Glyph]]) -> list[Line]:
        lines = [ln for r in rs if r and (ln := _make_line(pg.number, r))]
        lines.sort(key=lambda ln: (ln.top, ln.x0))
        return lines

    if gutter is None:
        return build(rows)
    left = [[g for g in r if (g.x0 + g.x1) / 2 < gutter] for r in rows]
    right = [[g for g in r if (g.x0 + g.x1) / 2 >= gutter] for r in rows]
    return build(left), build(right)
