"""Findings and letters as plain data and one-line words, shared by every renderer."""

from __future__ import annotations

from typing import Any

from ..models import DocumentResult, Figure, FigurePair
from .safe import literal

STATUS_WORDS = {
    "match": "match",
    "changed": "changed",
    "missing_kk": "missing in kk",
    "missing_ru": "missing in ru",
    "swapped": "swapped",
    "period_differs": "period differs",
}


def _side(f: Figure | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "figure_id": f.figure_id,
        "surface": f.surface,
        "value": f.value,
        "scale": f.scale,
        "unit": f.unit,
        "kind": f.kind,
        "part": f.part,
        "para_no": f.para_no,
        "page": f.page,
        "context": f.context,
        "table_no": f.table_no,
        "row_no": f.row_no,
        "col_no": f.col_no,
        "row_label": f.row_label,
        "col_label": f.col_label,
        "source": f.source,
        "confidence": f.confidence,
        "period_start": f.period_start.isoformat() if f.period_start else None,
        "period_end": f.period_end.isoformat() if f.period_end else None,
        "series": f.series,
    }


def _both(a: object, b: object) -> str:
    values = [str(v) for v in (a, b) if v not in (None, "")]
    if len(values) == 2 and values[0] == values[1]:
        return values[0]
    return " / ".join(values)


def table_location(pair: FigurePair) -> str | None:
    """Where a table pair sits: "table 2, row «Туу саны / Число родившихся», column 2021".

    Labels are given in both languages (kk / ru), once when they read the same.
    """
    kk, ru = pair.kk, pair.ru
    f = kk or ru
    if f is None or f.table_no is None:
        return None
    table = f"table {_both(kk.table_no if kk else None, ru.table_no if ru else None)}"
    row = f"row «{_both(kk.row_label if kk else None, ru.row_label if ru else None)}»"
    col = f"column {_both(kk.col_label if kk else None, ru.col_label if ru else None) or f.col_no}"
    if pair.scope == "table":
        return f"{table} (the whole table)"
    if pair.scope == "row":
        return f"{table}, {row} (the whole row)"
    if pair.scope == "column":
        return f"{table}, {col} (the whole column)"
    return f"{table}, {row}, {col}"


def from_ocr(pair: FigurePair) -> bool:
    """Whether either side of the pair was read by OCR (a misread is possible)."""
    return any(f is not None and f.source == "ocr" for f in (pair.kk, pair.ru))


def _confidence(f: Figure | None) -> str:
    if f is None:
        return "—"
    if f.source != "ocr":
        return "text layer"
    return f"{f.confidence:.0f} %" if f.confidence is not None else "?"


def ocr_note(pair: FigurePair) -> str:
    """What a reviewer needs to tell a misread from a translation error, or ""."""
    if not from_ocr(pair):
        return ""
    return f"from OCR (re-read, still differs): confidence kk {_confidence(pair.kk)}, ru {_confidence(pair.ru)}"


def _doc_name(doc: DocumentResult) -> str:
    return doc.letter.path


def finding_dict(doc: DocumentResult, pair: FigurePair) -> dict[str, Any]:
    return {
        "doc": _doc_name(doc),
        "doc_id": doc.doc_id,
        "status": pair.status,
        "kind": pair.kind,
        "metric": pair.metric,
        "kk": _side(pair.kk),
        "ru": _side(pair.ru),
        "scope": pair.scope,
        "location": table_location(pair),
        "ocr": from_ocr(pair),
    }


def document_dict(doc: DocumentResult) -> dict[str, Any]:
    m = doc.letter.meta
    return {
        "path": doc.letter.path,
        "doc_id": doc.doc_id,
        "outgoing_no": m.outgoing_no,
        "letter_date": m.letter_date.isoformat() if m.letter_date else None,
        "inquiry_no": m.inquiry_no,
        "inquiry_date": m.inquiry_date.isoformat() if m.inquiry_date else None,
        "pages": doc.letter.pages,
        "paragraphs": doc.n_paragraphs,
        "figures": doc.n_figures,
        "pairs": doc.n_pairs,
        "findings": len(doc.findings),
        "ocr_pages": len(doc.letter.ocr_pages),
        "status": doc.status,
    }


def one_line(pair: FigurePair) -> str:
    kk = f"kk '{literal(pair.kk.surface)}' (p.{pair.kk.page})" if pair.kk else "kk —"
    ru = f"ru '{literal(pair.ru.surface)}' (p.{pair.ru.page})" if pair.ru else "ru —"
    where = table_location(pair)
    note = ocr_note(pair)
    return f"{STATUS_WORDS[pair.status]}: {literal(where) + ': ' if where else ''}{kk} vs {ru}" + (
        f" [{note}]" if note else ""
    )


def case_name(pair: FigurePair) -> str:
    f = pair.kk or pair.ru
    assert f is not None
    kk = literal(pair.kk.surface) if pair.kk else "—"
    ru = literal(pair.ru.surface) if pair.ru else "—"
    if where := table_location(pair):
        return f"{f.part} {literal(where)} {kk} / {ru}"
    return f"{f.part} ¶{f.para_no} {pair.kind} {kk} / {ru}"
