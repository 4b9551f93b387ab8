"""Lines to paragraphs: margins (running headers, footers, page numbers) dropped, then
lines joined from the layout alone."""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict

from ..models import Box, TextLine
from .lines import Line
from .pdfplumber import PageGlyphs

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:стр\.?|страница|бет|page)\s*)?\d{1,4}(?:\s*[-–—])?"
    r"(?:\s*(?:/|из|of)\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = tuple(".:;!?»)")



def margin_lines(pages: list[tuple[PageGlyphs, list[Line]]]) -> set[tuple[int, int]]:
    """(page, index) of lines that are running headers, footers or page numbers."""
    drop: set[tuple[int, int]] = set()
    seen_on: defaultdict[str, set[int]] = defaultdict(set)
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
            seen_on[key].add(pg.number)
    n_pages = len(pages)
    if n_pages >= 3:
        for page, i, key in candidates:
            # Pages, not lines: the two columns of one page may end alike.
            if len(seen_on[key]) >= max(2, n_pages // 2):
                drop.add((page, i))
    return drop


def _norm_margin(text: str) -> str:
    """A margin line's text with its numbers blanked, so "стр. 2" repeats as "стр. 3".

    A line of numbers alone ("1 2 3", "2015 2014") keeps them: blanked, any two
    such lines would look alike and be taken for a running footer.
    """
    text = text.strip().lower()
    if not any(ch.isalpha() for ch in text):
        return text
    return re.sub(r"\d+", "#", text)


# ---------------------------------------------------------------- paragraphs


def _body_left(lines: list[Line]) -> float:
    """The left edge most lines of a stream start at (indents start right of it)."""
    counts = Counter(round(ln.x0 / 2) * 2 for ln in lines)
    return min(x for x, n in counts.most_common(3)) if counts else 0.0


def paragraphs_of(stream: list[Line]) -> list[tuple[int, str, tuple[TextLine, ...]]]:
    """Join a stream of lines into (page, text, lines) paragraphs; `lines`
    place each line's words in the paragraph's text."""
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
    paras: list[tuple[int, list[Line]]] = []
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
            paras.append((ln.page, [ln]))
        else:
            paras[-1][1].append(ln)
        prev = ln
    return [(page, *_join_lines(lines)) for page, lines in paras]


def _centred(ln: Line, left: float, right: float) -> bool:
    margin_left, margin_right = ln.x0 - left, right - ln.x1
    return margin_left > 0.5 * ln.size and abs(margin_left - margin_right) < 2 * ln.size


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_SENTENCE_END)


def _join_lines(lines: list[Line]) -> tuple[str, tuple[TextLine, ...]]:
    out = ""
    placed: list[TextLine] = []
    for ln in lines:
        # A line's text has no leading, trailing or doubled whitespace
        # (lines._make_line), so its offsets hold in the joined text.
        line = ln.text
        if not line:
            continue
        if not out:
            start = 0
            out = line
        # A hyphen at a line end in these letters joins a compound
        # ("іс-қимыл", "интернет-ресурстар"): keep it and add no space.
        elif out.endswith("-") and not out.endswith(" -") and (
            line[:1].isalpha() or (out[-2:-1].isdigit() and line[:1].isdigit())
        ):
            start = len(out)
            out += line
        else:
            start = len(out) + 1
            out += " " + line
        placed.append(TextLine(start, Box(ln.page, ln.x0, ln.top, ln.x1, ln.bottom), ln.words))
    return out, tuple(placed)
