"""Turn the numbers read from each paragraph into warehouse figure rows.

The figures reader (`etl.figures.read_numbers`) works on one paragraph's text;
this module adds what a row needs beyond the token: a stable id, the page,
and the sentence around the number, which the mismatch report quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from .figures import read_numbers
from .models import Figure, Paragraph

# A sentence ends at . ! ? ; followed by space and an upper-case letter or an
# opening quote/bracket. Abbreviations such as "т.г." or "ст.190" are followed
# by lower case or digits, so they do not end a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[«(\"A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")
_CONTEXT_MAX = 400


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` holding the span start..end, trimmed to a readable size."""
    left = 0
    right = len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            left = m.end()
        elif m.start() >= end:
            right = m.start()
            break
    sentence = text[left:right].strip()
    if len(sentence) <= _CONTEXT_MAX:
        return sentence
    # Long enumerations: keep a window centred on the number.
    centre = (start + end) // 2 - left
    half = _CONTEXT_MAX // 2
    lo = max(0, centre - half)
    hi = min(len(sentence), lo + _CONTEXT_MAX)
    return ("…" if lo else "") + sentence[lo:hi].strip() + ("…" if hi < len(sentence) else "")


def build_figures(
    doc_id: str, paragraphs: Iterable[Paragraph], letter_date: date | None = None
) -> list[Figure]:
    """Every number of every paragraph, as figure rows in reading order."""
    rows: list[Figure] = []
    for para in paragraphs:
        for idx, tok in enumerate(read_numbers(para.text, para.lang), start=1):
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
                    metric=None,
                    period_start=None,
                    period_end=None,
                    context=sentence_around(para.text, tok.start, tok.end),
                    start=tok.start,
                    role=tok.role,
                    from_words=tok.from_words,
                )
            )
    return rows
