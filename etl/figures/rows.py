"""Turn the numbers read from each paragraph into warehouse figure rows.

The figures reader (`etl.figures.read_numbers`) works on one paragraph's text;
this module adds what a row needs beyond the token: a stable id, the page,
and the sentence around the number, which the mismatch report quotes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from datetime import date

from ..models import Box, Figure, Paragraph, TextLine, is_abbreviation
from .metrics import Catalogue, MetricReader
from .periods import PERIOD_KINDS, as_of, names_or_ranks, period_markers, period_of
from .reader import read_numbers
from .series import series_of
from .stamps import stamp_role

# A sentence ends at . ! ? ; followed by space and an upper-case letter or an
# opening quote/bracket; a period after an abbreviation ("г. Алматы",
# "ст. 190", "тыс. тенге") does not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[«(\"A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")
_WORD_BEFORE = re.compile(r"(\w+)\.$")


def _is_sentence_end(text: str, pos: int) -> bool:
    m = _WORD_BEFORE.search(text, 0, pos)
    if not m:
        return True
    return not is_abbreviation(m.group(1))


_CONTEXT_MAX = 400


def sentence_bounds(text: str) -> list[int]:
    """Offsets where the sentences of `text` start, the first being 0."""
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text) if _is_sentence_end(text, m.start())]


def sentence_around(text: str, start: int, end: int, bounds: list[int] | None = None) -> str:
    """The sentence of `text` holding the span start..end, trimmed to a readable size.

    `bounds` (from sentence_bounds) saves finding the sentences again for
    every number of a paragraph.
    """
    if bounds is None:
        bounds = sentence_bounds(text)
    i = bisect.bisect_right(bounds, start) - 1
    left = bounds[i]
    # The sentence ends where the first sentence starting after the span begins.
    j = bisect.bisect_left(bounds, end)
    right = bounds[j] if j < len(bounds) else len(text)
    sentence = text[left:right].strip()
    if len(sentence) <= _CONTEXT_MAX:
        return sentence
    # Long enumerations: keep a window centred on the number.
    centre = (start + end) // 2 - left
    half = _CONTEXT_MAX // 2
    lo = max(0, centre - half)
    hi = min(len(sentence), lo + _CONTEXT_MAX)
    return ("…" if lo else "") + sentence[lo:hi].strip() + ("…" if hi < len(sentence) else "")


def figure_boxes(lines: Sequence[TextLine], starts: Sequence[int], start: int, end: int) -> tuple[Box, ...]:
    """The boxes of text start..end of a paragraph, one per line it covers.

    `starts` are the lines' start offsets. A box spans the glyph runs the text
    touches (a figure glued to its case suffix is boxed with it)."""
    boxes: list[Box] = []
    i = max(0, bisect.bisect_right(starts, start) - 1)
    while i < len(lines) and lines[i].start < end:
        ln = lines[i]
        lo, hi = start - ln.start, end - ln.start
        xs = [(x0, x1) for s, e, x0, x1 in ln.words if s < hi and e > lo]
        if xs:
            b = ln.box
            boxes.append(Box(b.page, min(x for x, _ in xs), b.top, max(x for _, x in xs), b.bottom))
        i += 1
    return tuple(boxes)


def build_figures(
    doc_id: str,
    paragraphs: Iterable[Paragraph],
    letter_date: date | None = None,
    lines: Sequence[Sequence[TextLine]] = (),
    cat: Catalogue | None = None,
) -> list[Figure]:
    """Every number of every paragraph, as figure rows in reading order.

    `lines` (per paragraph, as `Letter.lines`) place each figure on its page;
    without them figures have no boxes. Metrics come from `cat`, by default
    the shipped catalogue."""
    rows: list[Figure] = []
    metrics = MetricReader(cat)
    for n, para in enumerate(paragraphs):
        para_lines = lines[n] if n < len(lines) else ()
        starts = [ln.start for ln in para_lines]
        tokens = read_numbers(para.text, para.lang)
        markers = period_markers(para.text, para.lang, tokens, letter_date)
        named = metrics.paragraph(para.text, para.lang, para.part, tokens)
        bounds = sentence_bounds(para.text)
        keys = series_of(para.text, para.lang, tokens, bounds)
        # A stock counted on the letter's date ("штатная численность ... 59
        # единиц") makes the other figures of its sentence stocks too (its
        # breakdown by city: "г. Алматы ... (11 ед.)").
        stock_sentences = {
            bisect.bisect_right(bounds, tok.start) - 1
            for tok, metric in zip(tokens, named)
            if metric is not None and metric.as_of
        }
        for idx, (tok, metric, skey) in enumerate(zip(tokens, named, keys), start=1):
            period = None
            in_stock = bisect.bisect_right(bounds, tok.start) - 1 in stock_sentences
            if letter_date is not None and tok.kind in PERIOD_KINDS and (metric is not None and metric.as_of or in_stock):
                period = as_of(letter_date)
            elif tok.kind in PERIOD_KINDS and not names_or_ranks(para.text, tok):
                k = bisect.bisect_right(bounds, tok.start) - 1
                sentence = (bounds[k], bounds[k + 1] if k + 1 < len(bounds) else len(para.text))
                period = period_of(tok.start, markers, sentence, para.text)
            boxes = figure_boxes(para_lines, starts, tok.start, tok.end) if para_lines else ()
            para_box = next((b for b in para.boxes if b.page == boxes[0].page), None) if boxes else None
            rows.append(
                Figure(
                    figure_id=f"{doc_id[:16]}-{para.lang}-{para.part}-{para.para_no}-{idx}",
                    doc_id=doc_id,
                    lang=para.lang,
                    part=para.part,
                    para_no=para.para_no,
                    page=para.page,
                    surface=tok.surface,
                    value=tok.value,
                    scale=tok.scale,
                    unit=tok.unit,
                    kind=tok.kind,
                    metric=metric.key if metric else None,
                    period_start=period.start if period else None,
                    period_end=period.end if period else None,
                    context=sentence_around(para.text, tok.start, tok.end, bounds),
                    start=tok.start,
                    role=tok.role or (stamp_role(para.text, tok.start) if tok.kind == "date" or tok.unit == "time" else None),
                    from_words=tok.from_words,
                    months=period.months if period else None,
                    boxes=boxes,
                    para_box=para_box,
                    series=skey.key or None if skey else None,
                    series_label=skey.label or None if skey else None,
                )
            )
    return rows
