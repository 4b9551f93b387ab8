"""A batch of letters as the warehouse's row frames, checked before any write.

One DataFrame per table for the whole batch, each column built with the
dtype its pandera model in schemas/tables.py expects, then validated
(pandera's cost is per column, not per row) and cross-checked for what a
per-table model cannot see: rows pointing at their own letter, paragraphs
and figures. A worker process builds them, so the writer only inserts.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, timedelta

import pandas as pd
import pandera.errors

from schemas.tables import DocumentRows, FigurePairRows, FigureRows, ParagraphRows, TableRows

from ..errors import EtlError
from ..figures import grouping_of
from ..models import DocumentResult, Figure
from .warehouse import utcnow


class InvalidRows(EtlError):
    """A letter's rows break the warehouse schema; nothing was written."""

    def __init__(self, table: str, message: str, failure_cases: pd.DataFrame | None = None) -> None:
        super().__init__(f"{table}: {message}")
        self.table = table
        self.message = message
        self.failure_cases = failure_cases

    def __reduce__(self) -> tuple[type[InvalidRows], tuple[str, str]]:
        # Crosses from a worker process without the failure cases.
        return InvalidRows, (self.table, self.message)


def _period_months(start: date | None, end: date | None) -> int | None:
    """Length of a period in months when it runs from a 1st to a month's last day."""
    if start is None or end is None or start.day != 1:
        return None
    after = end + timedelta(days=1)
    if after.day != 1:
        return None
    months = (after.year - start.year) * 12 + after.month - start.month
    return months if months >= 1 else None


def _is_partial(start: date | None, end: date | None) -> bool | None:
    """Whether a period falls short of whole calendar years ("10 months of 2017")."""
    if start is None or end is None:
        return None
    return not (start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31)


def _figure_row(f: Figure) -> dict[str, object]:
    return {
        "figure_id": f.figure_id,
        "doc_id": f.doc_id,
        "lang": f.lang,
        "part": f.part,
        "para_no": f.para_no,
        "page": f.page,
        "surface": f.surface,
        "value": float(f.value),
        "scale": float(f.scale),
        "unit": f.unit,
        "kind": f.kind,
        "metric": f.metric,
        "period_start": f.period_start,
        "period_end": f.period_end,
        "context": f.context,
        "role": f.role,
        "months": f.months if f.months is not None else _period_months(f.period_start, f.period_end),
        "is_partial": _is_partial(f.period_start, f.period_end),
        "char_start": f.start,
        "from_words": bool(f.from_words),
        "table_no": f.table_no,
        "row_no": f.row_no,
        "col_no": f.col_no,
        "row_label": f.row_label,
        "col_label": f.col_label,
        "source": f.source,
        "ocr_confidence": f.confidence,
        "series": f.series,
        "series_label": f.series_label,
        "grouping": grouping_of(f.surface, f.kind),
    }


_FIGURE_COLUMNS = [
    "figure_id", "doc_id", "lang", "part", "para_no", "page", "surface", "value", "scale",
    "unit", "kind", "metric", "period_start", "period_end", "context", "role", "months",
    "is_partial", "char_start", "from_words", "table_no", "row_no", "col_no", "row_label", "col_label",
    "source", "ocr_confidence", "series", "series_label", "grouping",
]  # fmt: skip
_TABLE_COLUMNS = [
    "doc_id", "lang", "part", "table_no", "page", "last_page", "n_rows", "n_cols", "title", "header", "ruled",
]  # fmt: skip
_PARAGRAPH_COLUMNS = ["doc_id", "lang", "part", "para_no", "page", "text"]
_PAIR_COLUMNS = [
    "doc_id", "pair_no", "kk_figure_id", "ru_figure_id", "status", "kind", "metric",
    "value_kk", "value_ru", "scale_kk", "scale_ru", "series",
]  # fmt: skip


def frame(rows: list[dict[str, object]], columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    # Column by column, each built with the dtype the pandera model expects
    # whatever the rows hold (empty or all-None columns included).
    return pd.DataFrame(
        {col: pd.Series([row[col] for row in rows], dtype=dtypes.get(col, "object")) for col in columns},
        columns=columns,
    )


_INT = "int64"
_FLOAT = "float64"


def batch_frames(items: Sequence[tuple[DocumentResult, int | None]]) -> dict[str, pd.DataFrame]:
    """The rows of several letters (with their file sizes) as validated DataFrames.

    One frame per table for the whole batch: pandera's cost is mostly per
    column, not per row, so an archive is checked a batch at a time. Raises
    InvalidRows when any letter's rows break the schema.
    """
    now = utcnow()
    documents: list[dict[str, object]] = []
    paragraphs: list[dict[str, object]] = []
    figures: list[dict[str, object]] = []
    pairs: list[dict[str, object]] = []
    tables: list[dict[str, object]] = []
    for result, size in items:
        letter = result.letter
        meta = letter.meta
        doc_id = result.doc_id
        documents.append(
            {
                "doc_id": doc_id,
                "path": letter.path,
                "outgoing_no": meta.outgoing_no,
                "letter_date": meta.letter_date,
                "inquiry_no": meta.inquiry_no,
                "inquiry_date": meta.inquiry_date,
                "sender": meta.sender,
                "addressees": meta.addressees,
                "signatory": meta.signatory,
                "pages": letter.pages,
                "size": size,
                "status": result.status,
                "n_paragraphs": len(letter.paragraphs),
                "n_figures": len(result.figures),
                "n_findings": len(result.findings),
                "ocr_pages": len(letter.ocr_pages),
                "ingested_at": now,
            }
        )
        paragraphs.extend(
            {"doc_id": doc_id, "lang": p.lang, "part": p.part, "para_no": p.para_no, "page": p.page, "text": p.text}
            for p in letter.paragraphs
        )
        figures.extend(_figure_row(f) for f in result.figures)
        tables.extend(
            {
                "doc_id": doc_id,
                "lang": t.lang,
                "part": t.part,
                "table_no": t.table_no,
                "page": t.page,
                "last_page": max(t.pages or (t.page,)),
                "n_rows": t.shape[0],
                "n_cols": t.shape[1],
                "title": t.title,
                "header": " | ".join(t.header),
                "ruled": t.ruled,
            }
            for t in letter.tables
        )
        pairs.extend(
            {
                "doc_id": doc_id,
                "pair_no": i,
                "kk_figure_id": p.kk.figure_id if p.kk else None,
                "ru_figure_id": p.ru.figure_id if p.ru else None,
                "status": p.status,
                "kind": p.kind,
                "metric": p.metric,
                "value_kk": float(p.kk.value) if p.kk else None,
                "value_ru": float(p.ru.value) if p.ru else None,
                "scale_kk": float(p.kk.scale) if p.kk else None,
                "scale_ru": float(p.ru.scale) if p.ru else None,
                "series": (p.ru or p.kk).series,  # type: ignore[union-attr]
            }
            for i, p in enumerate(result.pairs, start=1)
        )
    frames = {
        "documents": validated(
            "documents",
            DocumentRows,
            frame(
                documents,
                list(DocumentRows.to_schema().columns),
                {
                    "pages": _INT,
                    "size": "Int64",
                    "n_paragraphs": _INT,
                    "n_figures": _INT,
                    "n_findings": _INT,
                    "ocr_pages": _INT,
                    "ingested_at": "datetime64[ns]",
                },
            ),
        ),
        "paragraphs": validated(
            "paragraphs", ParagraphRows, frame(paragraphs, _PARAGRAPH_COLUMNS, {"para_no": _INT, "page": _INT})
        ),
        "figures": validated(
            "figures",
            FigureRows,
            frame(
                figures,
                _FIGURE_COLUMNS,
                {
                    "para_no": _INT,
                    "page": _INT,
                    "value": _FLOAT,
                    "scale": _FLOAT,
                    "months": "Int64",
                    "is_partial": "boolean",
                    "char_start": _INT,
                    "from_words": "bool",
                    "table_no": "Int64",
                    "row_no": "Int64",
                    "col_no": "Int64",
                    "ocr_confidence": _FLOAT,
                },
            ),
        ),
        "tables": validated(
            "tables",
            TableRows,
            frame(
                tables,
                _TABLE_COLUMNS,
                {
                    "table_no": _INT,
                    "page": _INT,
                    "last_page": _INT,
                    "n_rows": _INT,
                    "n_cols": _INT,
                    "ruled": "bool",
                },
            ),
        ),
        "figure_pairs": validated(
            "figure_pairs",
            FigurePairRows,
            frame(
                pairs,
                _PAIR_COLUMNS,
                {"pair_no": _INT, "value_kk": _FLOAT, "value_ru": _FLOAT, "scale_kk": _FLOAT, "scale_ru": _FLOAT},
            ),
        ),
    }
    _check_references([result for result, _ in items], frames)
    return frames


def validated(table: str, model: type, df: pd.DataFrame) -> pd.DataFrame:
    try:
        return model.validate(df, lazy=True)  # type: ignore[attr-defined,no-any-return]
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases
        shown = "; ".join(
            f"{r.column or '-'}: {r.check} failed for {r.failure_case!r}" for r in cases.head(5).itertuples()
        )
        more = f" (+{len(cases) - 5} more)" if len(cases) > 5 else ""
        raise InvalidRows(table, shown + more, cases) from err


def _check_references(results: Sequence[DocumentResult], frames: dict[str, pd.DataFrame]) -> None:
    """What a per-table model cannot see: rows pointing at their own letter and its figures."""
    pages_of = {r.doc_id: r.letter.pages for r in results}
    figures = frames["figures"]
    foreign = figures.loc[~figures["doc_id"].isin(list(pages_of)), "figure_id"].tolist()
    if foreign:
        raise InvalidRows("figures", f"figures of a document not in the batch: {foreign[:5]}")
    # Figures and pairs must belong to the same letter: a figure id starts
    # with its letter's doc_id.
    ids = set(zip(figures["doc_id"], figures["figure_id"]))
    pairs = frames["figure_pairs"]
    dangling = [
        fid
        for col in ("kk_figure_id", "ru_figure_id")
        for doc_id, fid in zip(pairs["doc_id"], pairs[col])
        if fid is not None and not pd.isna(fid) and (doc_id, fid) not in ids
    ]
    if dangling:
        raise InvalidRows("figure_pairs", f"pairs name figures the letter does not have: {dangling[:5]}")
    paras = frames["paragraphs"]
    have = set(zip(paras["doc_id"], paras["lang"], paras["part"], paras["para_no"]))
    homeless = [
        fid
        for fid, key in zip(
            figures["figure_id"], zip(figures["doc_id"], figures["lang"], figures["part"], figures["para_no"])
        )
        if key not in have
    ]
    if homeless:
        raise InvalidRows("figures", f"figures of paragraphs the letter does not have: {homeless[:5]}")
    too_far = [
        (fid, pages_of[doc_id])
        for fid, doc_id, page in zip(figures["figure_id"], figures["doc_id"], figures["page"])
        if page > pages_of[doc_id]
    ]
    if too_far:
        fids = [fid for fid, _ in too_far[:5]]
        raise InvalidRows("figures", f"page beyond the letter's {too_far[0][1]} pages: {fids}")


def frames_of(frames: dict[str, pd.DataFrame], doc_ids: Collection[str]) -> dict[str, pd.DataFrame]:
    """The rows of some letters of a batch."""
    keep = list(doc_ids)
    return {table: df[df["doc_id"].isin(keep)] for table, df in frames.items()}
