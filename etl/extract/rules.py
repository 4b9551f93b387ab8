"""Drawn segments of a page (table borders), read the same way by both engines.

Ruled tables are found from the horizontal and vertical segments a page
draws: lines, rectangles (a cell's border, or a thin filled bar used as a
rule) and the straight pieces of other paths. Each engine hands its path
geometry to the helpers here, so that pdfminer and pdfium give the same
`Rule`s and therefore the same cells (tests/test_tables.py).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable, Sequence
from typing import Any

from .glyphs import Rule

# A rectangle thinner than this is a rule drawn as a filled bar.
THIN = 2.0
# Shorter segments are hatching, bullets or tick marks, never a border.
MIN_LENGTH = 2.0
# A page drawing more segments than this is artwork (a chart, a logo traced
# as paths), not a table; its tables are read as borderless, if at all.
MAX_RULES = 5000
_AXIS = 0.5  # how far from horizontal/vertical a straight segment may lean


def rect_rules(x0: float, top: float, x1: float, bottom: float) -> list[Rule]:
    """A rectangle's edges; a thin one is a single rule along its middle."""
    x0, x1 = min(x0, x1), max(x0, x1)
    top, bottom = min(top, bottom), max(bottom, top)
    w, h = x1 - x0, bottom - top
    if w < THIN and h < THIN:
        return []
    if h < THIN:
        mid = (top + bottom) / 2
        return [Rule(x0, mid, x1, mid)]
    if w < THIN:
        mid = (x0 + x1) / 2
        return [Rule(mid, top, mid, bottom)]
    return [Rule(x0, top, x1, top), Rule(x0, bottom, x1, bottom), Rule(x0, top, x0, bottom), Rule(x1, top, x1, bottom)]


def polyline_rules(points: Sequence[tuple[float, float]]) -> list[Rule]:
    """The axis-aligned pieces of a straight polyline given as (x, top) points.

    A closed axis-aligned quadrilateral is a rectangle and goes through
    `rect_rules`, so both engines agree however the producer drew it ("re" or
    four "l" operators).
    """
    pts = list(points)
    if len(pts) == 5 and _close(pts[0], pts[-1]):
        pts = pts[:4]
    if len(pts) == 4 and _is_rect(pts):
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        return rect_rules(min(xs), min(ys), max(xs), max(ys))
    out: list[Rule] = []
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        if abs(ay - by) <= _AXIS and abs(ax - bx) >= MIN_LENGTH:
            y = (ay + by) / 2
            out.append(Rule(min(ax, bx), y, max(ax, bx), y))
        elif abs(ax - bx) <= _AXIS and abs(ay - by) >= MIN_LENGTH:
            x = (ax + bx) / 2
            out.append(Rule(x, min(ay, by), x, max(ay, by)))
    return out


def _close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) <= _AXIS and abs(a[1] - b[1]) <= _AXIS


def _is_rect(pts: list[tuple[float, float]]) -> bool:
    for a, b in zip(pts, pts[1:] + pts[:1]):
        if not (abs(a[0] - b[0]) <= _AXIS or abs(a[1] - b[1]) <= _AXIS):
            return False
    return True


def _capped(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    out = tuple(rules)
    return out if len(out) <= MAX_RULES else ()


# ------------------------------------------------------------ pdfplumber


def plumber_rules(page: Any) -> tuple[Rule, ...]:
    """The rules of a pdfplumber page (its rect, line and curve objects)."""
    out: list[Rule] = []
    objects = page.objects
    for r in objects.get("rect", ()):
        out.extend(rect_rules(float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])))
        if len(out) > MAX_RULES:
            return ()
    for kind in ("line", "curve"):
        for obj in objects.get(kind, ()):
            path = obj.get("path")
            if path:
                # pdfplumber's path, in (x, top) points; "c" pieces are curves.
                for piece in _subpaths(path):
                    out.extend(polyline_rules(piece))
            else:
                out.extend(polyline_rules([(float(x), float(y)) for x, y in obj.get("pts", ())]))
            if len(out) > MAX_RULES:
                return ()
    return _capped(out)


def _subpaths(path: Sequence[Any]) -> list[list[tuple[float, float]]]:
    pieces: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    start: tuple[float, float] | None = None
    for op in path:
        code = op[0]
        if code == "m":
            if len(current) > 1:
                pieces.append(current)
            x, y = op[1]
            start = (float(x), float(y))
            current = [start]
        elif code == "l" and current:
            x, y = op[1]
            current.append((float(x), float(y)))
        elif code == "h" and current and start is not None:
            current.append(start)
        else:
            # A curve ends the straight run it interrupts.
            if len(current) > 1:
                pieces.append(current)
            pt = op[-1] if len(op) > 1 else None
            current = [(float(pt[0]), float(pt[1]))] if pt else []
    if len(current) > 1:
        pieces.append(current)
    return pieces


# ---------------------------------------------------------------- pdfium

_PAGEOBJ_PATH = 2
_PAGEOBJ_FORM = 5
_SEG_LINETO, _SEG_BEZIERTO, _SEG_MOVETO = 0, 1, 2
_MAX_FORM_DEPTH = 4


def pdfium_rules(page: Any, height: float) -> tuple[Rule, ...]:
    """The rules of a pypdfium2 page: the straight pieces of its painted paths.

    Form XObjects are entered (a few levels deep) with their matrices, as
    pdfminer does, so both engines see the same segments.
    """
    import pypdfium2.raw as raw

    out: list[Rule] = []
    m = raw.FS_MATRIX()
    fx, fy = ctypes.c_float(), ctypes.c_float()
    fill, stroke = ctypes.c_int(), ctypes.c_int()

    def walk(objs: list[Any], ctm: tuple[float, ...], depth: int) -> bool:
        for obj in objs:
            kind = raw.FPDFPageObj_GetType(obj)
            if kind not in (_PAGEOBJ_PATH, _PAGEOBJ_FORM):
                continue
            if not raw.FPDFPageObj_GetMatrix(obj, m):
                continue
            mat = _compose((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
            if kind == _PAGEOBJ_FORM:
                if depth < _MAX_FORM_DEPTH:
                    n = raw.FPDFFormObj_CountObjects(obj)
                    if not walk([raw.FPDFFormObj_GetObject(obj, i) for i in range(n)], mat, depth + 1):
                        return False
                continue
            if raw.FPDFPath_GetDrawMode(obj, fill, stroke) and not fill.value and not stroke.value:
                continue  # a clipping path, never painted
            piece: list[tuple[float, float]] = []
            start: tuple[float, float] | None = None
            for i in range(raw.FPDFPath_CountSegments(obj)):
                seg = raw.FPDFPath_GetPathSegment(obj, i)
                if not raw.FPDFPathSegment_GetPoint(seg, fx, fy):
                    continue
                a, b, c, d, e, f = mat
                x = a * fx.value + c * fy.value + e
                y = height - (b * fx.value + d * fy.value + f)
                kind_seg = raw.FPDFPathSegment_GetType(seg)
                if kind_seg == _SEG_MOVETO:
                    if len(piece) > 1:
                        out.extend(polyline_rules(piece))
                    start = (x, y)
                    piece = [start]
                elif kind_seg == _SEG_LINETO:
                    piece.append((x, y))
                else:
                    if len(piece) > 1:
                        out.extend(polyline_rules(piece))
                    piece = [(x, y)]
                if raw.FPDFPathSegment_GetClose(seg) and start is not None and piece:
                    piece.append(start)
            if len(piece) > 1:
                out.extend(polyline_rules(piece))
            if len(out) > MAX_RULES:
                return False
        return True

    n = raw.FPDFPage_CountObjects(page)
    if not walk([raw.FPDFPage_GetObject(page, i) for i in range(n)], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0):
        return ()
    return _capped(out)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """inner then outer, as PDF matrices [a b c d e f]."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
