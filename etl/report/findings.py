"""Findings and letters as plain data and one-line words, shared by every renderer."""

from __future__ import annotations

from typing import Any

from ..models import DocumentResult, Figure, FigurePair

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
        "period_start": f.period_start.isoformat() if f.period_start else None,
        "period_end": f.period_end.isoformat() if f.period_end else None,
        "series": f.series,
    }


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
        "status": doc.status,
    }


def one_line(pair: FigurePair) -> str:
    kk = f"kk {pair.kk.surface!r} (p.{pair.kk.page})" if pair.kk else "kk —"
    ru = f"ru {pair.ru.surface!r} (p.{pair.ru.page})" if pair.ru else "ru —"
    return f"{STATUS_WORDS[pair.status]}: {kk} vs {ru}"


def case_name(pair: FigurePair) -> str:
    f = pair.kk or pair.ru
    assert f is not None
    return f"{f.part} ¶{f.para_no} {pair.kind} {pair.kk.surface if pair.kk else '—'} / {pair.ru.surface if pair.ru else '—'}"
