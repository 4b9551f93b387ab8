"""Figures read by OCR: their word confidence, and a second reading of every
number the two languages disagree on.

In: a `Letter` some of whose pages were read by OCR, its figure rows, the
PDF's bytes. Out: a `DocumentResult` whose OCR figures carry `source="ocr"`
and the confidence of the word(s) they were read from, and whose pairs were
aligned after the re-reads.

Every figure is written twice, once per language, so a misread digit shows
up as a kk/ru disagreement. Before such a pair is reported, the number's
region on each OCR side is rendered again at a higher resolution and read
with only digits allowed. When the re-read digits of the two sides agree,
the misread side's paragraph text is corrected and the letter's figures are
built and aligned again; otherwise the finding stands, marked as OCR, with
both confidences, so a reviewer can tell a misread from a translation error.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from .align import align
from .extract import PageImages
from .figures import build_figures
from .models import DocumentResult, Figure, Letter, OcrPage, OcrWord, Paragraph

_TOKEN = re.compile(r"\S+")
_NUMBERISH = re.compile(r"\d(?:[\d.,/]|\s(?=\d{3}\b))*\d|\d")
_CONTEXT = 3  # words each side compared to place a figure among the page's words

Box = tuple[float, float, float, float]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


class _Located:
    """Where a figure was read: its words, their lowest confidence, the box of their digits."""

    def __init__(self, words: list[OcrWord]) -> None:
        self.words = words
        self.page = words[0].page
        self.conf = min(w.conf for w in words)
        boxes = [w.digits_box for w in words if w.digits_box]
        self.box: Box | None = (
            (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
            if boxes
            else None
        )


class _Pages:
    """The OCR words of a letter, page by page, in reading order."""

    def __init__(self, letter: Letter) -> None:
        self.info = {p.number: p for p in letter.ocr_pages}
        self.words: dict[int, list[OcrWord]] = defaultdict(list)
        for w in letter.ocr_words:
            self.words[w.page].append(w)

    def locate(self, para: Paragraph, start: int, surface: str) -> _Located | None:
        """The OCR words a figure at `start` of `para` was read from, or None.

        The paragraph's words came from the OCR words, so the figure's word
        is found among the words of its pages by the words around it."""
        pages = [n for n in (para.page, para.page + 1) if n in self.info]
        if not pages:
            return None
        stream = [w for n in pages for w in self.words[n]]
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(para.text)]
        k = next((i for i, (a, b, _) in enumerate(tokens) if a <= start < b), None)
        if k is None:
            return None
        span_end = start + max(1, len(surface))
        n_tokens = sum(1 for a, b, _ in tokens[k:] if a < span_end)
        first = tokens[k][2]
        wants_digit = any(ch.isdigit() for ch in first)
        best, best_score = None, 0
        for i, w in enumerate(stream):
            exact = w.text == first or (first.startswith(w.text) and w.text.endswith("-"))
            if not exact and not (wants_digit and any(ch.isdigit() for ch in w.text)):
                continue
            score = 2 * exact
            for d in range(1, _CONTEXT + 1):
                if k - d >= 0 and i - d >= 0 and stream[i - d].text == tokens[k - d][2]:
                    score += 1
                if k + d < len(tokens) and i + d < len(stream) and stream[i + d].text == tokens[k + d][2]:
                    score += 1
            if score > best_score:
                best, best_score = i, score
        # A digit-bearing word with no word around it in common is no match.
        if best is None or best_score < 2:
            return None
        return _Located(stream[best : best + max(1, n_tokens)])


def annotate(letter: Letter, figures: list[Figure]) -> tuple[list[Figure], dict[str, _Located]]:
    """The figures with source and confidence set on those read by OCR, and where each was read."""
    pages = _Pages(letter)
    paras = {(p.lang, p.part, p.para_no): p for p in letter.paragraphs}
    out: list[Figure] = []
    where: dict[str, _Located] = {}
    for f in figures:
        para = paras[(f.lang, f.part, f.para_no)]
        on_ocr = para.page in pages.info or (para.page + 1 in pages.info and para.page not in pages.info)
        if not on_ocr:
            out.append(f)
            continue
        found = pages.locate(para, f.start, f.surface)
        if found is None:
            if para.page not in pages.info:
                # The paragraph starts on a text page; this figure sits there.
                out.append(f)
                continue
            out.append(replace(f, source="ocr"))
            continue
        where[f.figure_id] = found
        out.append(replace(f, source="ocr", confidence=round(found.conf, 1), page=found.page))
    return out, where


def _number_of(f: Figure, para: Paragraph) -> tuple[int, int, str] | None:
    """The digits of figure `f` in its paragraph's text: (start, end, text)."""
    m = _NUMBERISH.search(para.text, f.start, f.start + max(1, len(f.surface)))
    return (m.start(), m.end(), m.group()) if m else None


def _respelt(written: str, read: str) -> str:
    """`written` with its digits replaced by the digits `read`, keeping its separators
    when the count of digits is the same."""
    digits = iter(read)
    if len(_digits(written)) != len(read):
        return read
    return "".join(next(digits) if ch.isdigit() else ch for ch in written)


# Re-reads per letter: misreads are few; a letter full of findings is a
# translation problem, not an OCR one.
MAX_REREADS = 40


def _rebuilt(letter: Letter, confidences: dict[tuple[str, str, int, int], float]) -> DocumentResult:
    figures = build_figures(letter.sha256, letter.paragraphs, letter.meta.letter_date)
    figures, _ = annotate(letter, figures)
    # A corrected number's confidence is its re-read's.
    figures = [
        replace(f, confidence=confidences[key]) if (key := (f.lang, f.part, f.para_no, f.start)) in confidences else f
        for f in figures
    ]
    return DocumentResult(letter=letter, figures=figures, pairs=align(figures, letter.paragraphs))


def reread_disagreements(letter: Letter, figures: list[Figure], data: bytes, password: str | None) -> DocumentResult:
    """Confidences on the OCR figures; the numbers of findings read again (see the module doc).

    Each OCR figure of a finding is re-read; when the re-read digits differ,
    the paragraph is corrected and the letter's figures built and aligned
    again, and the correction is kept only when it leaves fewer findings:
    a digit that really differs between the languages reads the same again
    and stays a finding."""
    figures, where = annotate(letter, figures)
    result = DocumentResult(letter=letter, figures=figures, pairs=align(figures, letter.paragraphs))
    suspects = [
        f
        for pair in result.findings
        for f in (pair.kk, pair.ru)
        if f is not None and f.source == "ocr" and (found := where.get(f.figure_id)) is not None and found.box
    ][:MAX_REREADS]
    if not suspects:
        return result
    info: dict[int, OcrPage] = {p.number: p for p in letter.ocr_pages}
    confidences: dict[tuple[str, str, int, int], float] = {}
    # Paragraphs whose offsets moved (a number gained or lost a digit).
    moved: set[tuple[str, str, int]] = set()
    with PageImages(data, password) as images:
        for f in suspects:
            key = (f.lang, f.part, f.para_no)
            para = next((p for p in result.letter.paragraphs if (p.lang, p.part, p.para_no) == key), None)
            found = where[f.figure_id]
            if para is None or key in moved or found.box is None or found.page not in info:
                continue
            number = _number_of(f, para)
            if number is None:
                continue
            read, conf = images.reread_digits(info[found.page], found.box)
            a, b, written = number
            if not _digits(read) or _digits(read) == _digits(written):
                continue
            new = _respelt(written, _digits(read))
            text = para.text[:a] + new + para.text[b:]
            trial_letter = replace(
                result.letter,
                paragraphs=tuple(replace(p, text=text) if p is para else p for p in result.letter.paragraphs),
            )
            trial_conf = {**confidences, (*key, f.start): round(conf, 1)}
            trial = _rebuilt(trial_letter, trial_conf)
            if len(trial.findings) < len(result.findings):
                result, confidences = trial, trial_conf
                if len(new) != len(written):
                    moved.add(key)
    return result
