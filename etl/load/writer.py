"""Load letters into the warehouse, a batch of whole letters per transaction.

A letter is keyed by the SHA-256 of its bytes (doc_id). Loading deletes every
row of the batch's doc_ids and inserts the new ones inside one transaction,
so a re-run changes nothing and a process killed half-way leaves the previous
state: whole letters only. Rows are validated with the pandera models in
schemas/tables.py first, a batch at a time (pandera's cost is per column, not
per row), and bulk-inserted from the DataFrames.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta

import duckdb
import pandas as pd
import pandera.errors

from schemas.tables import DocumentRows, FigurePairRows, FigureRows, ParagraphRows, RejectRows, TableRows

from ..errors import EtlError
from ..figures import Catalogue, grouping_of
from ..models import DocumentResult, Figure, Reject
from .statements import add_statements
from .warehouse import (
    WarehouseError,
    utcnow,
)

# Tables holding a letter's rows, children first.
_DOC_TABLES = ("statements", "figure_pairs", "figures", "tables", "paragraphs", "documents")


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


def file_fingerprint(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(size in bytes, mtime in ns): what a re-run compares to skip a file unopened."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def known_paths(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, int, int]]:
    """path -> (doc_id, size, mtime) of every path already loaded."""
    rows = con.execute("SELECT path, doc_id, size, mtime FROM document_paths").fetchall()
    return {path: (doc_id, int(size), int(mtime)) for path, doc_id, size, mtime in rows}


def known_documents(con: duckdb.DuckDBPyConnection) -> set[str]:
    """doc_id of every letter in the warehouse."""
    return {row[0] for row in con.execute("SELECT doc_id FROM documents").fetchall()}


def document_statuses(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """doc_id -> stored status (`clean` or `mismatch`) of every letter."""
    return {doc_id: status for doc_id, status in con.execute("SELECT doc_id, status FROM documents").fetchall()}
def known_rejects(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """sha256 -> (reason, detail) of every rejected file whose bytes are known."""
    rows = con.execute("SELECT sha256, reason, detail FROM rejects WHERE sha256 IS NOT NULL").fetchall()
    return {sha: (reason, detail) for sha, reason, detail in rows}


# --- frames ---------------------------------------------------------------


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


def _frame(rows: list[dict[str, object]], columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
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
        "documents": _validate(
            "documents",
            DocumentRows,
            _frame(
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
        "paragraphs": _validate(
            "paragraphs", ParagraphRows, _frame(paragraphs, _PARAGRAPH_COLUMNS, {"para_no": _INT, "page": _INT})
        ),
        "figures": _validate(
            "figures",
            FigureRows,
            _frame(
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
        "tables": _validate(
            "tables",
            TableRows,
            _frame(
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
        "figure_pairs": _validate(
            "figure_pairs",
            FigurePairRows,
            _frame(
                pairs,
                _PAIR_COLUMNS,
                {"pair_no": _INT, "value_kk": _FLOAT, "value_ru": _FLOAT, "scale_kk": _FLOAT, "scale_ru": _FLOAT},
            ),
        ),
    }
    _check_references([result for result, _ in items], frames)
    return frames


def _validate(table: str, model: type, df: pd.DataFrame) -> pd.DataFrame:
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


# --- writing ----------------------------------------------------------------


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def _insert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> None:
    if df.empty:
        return
    view = f"_load_{table}"
    con.register(view, df)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
    finally:
        con.unregister(view)


def _delete_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    for table in _DOC_TABLES:
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])


def _set_path(con: duckdb.DuckDBPyConnection, doc_id: str, path: str, size: int, mtime: int) -> None:
    """Point `path` at `doc_id`, dropping what it pointed at before if nothing else does."""
    row = con.execute("SELECT doc_id FROM document_paths WHERE path = ?", [path]).fetchone()
    previous = row[0] if row else None
    con.execute("DELETE FROM document_paths WHERE path = ?", [path])
    con.execute(
        "INSERT INTO document_paths (path, doc_id, size, mtime, seen_at) VALUES (?, ?, ?, ?, ?)",
        [path, doc_id, int(size), int(mtime), utcnow()],
    )
    con.execute("DELETE FROM rejects WHERE path = ?", [path])
    if previous is None or previous == doc_id:
        return
    # The file at `path` changed: its old version goes, unless the same old
    # bytes are still known under another path.
    other = con.execute("SELECT min(path) FROM document_paths WHERE doc_id = ?", [previous]).fetchone()
    if other is None or other[0] is None:
        _delete_document(con, previous)
    else:
        con.execute(
            "UPDATE documents SET path = ? WHERE doc_id = ? AND path = ?", [other[0], previous, path]
        )


def load_document(
    con: duckdb.DuckDBPyConnection,
    result: DocumentResult,
    *,
    size: int,
    mtime: int,
    frames: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Write one letter in one transaction, replacing any earlier load of the same bytes.

    Also records result.letter.path (with size and mtime) in document_paths,
    clears a reject of that path, and drops the letter that path held before
    when no other path still holds it. Raises InvalidRows, writing nothing,
    when the rows break the schema. `frames` are the letter's checked rows
    when a worker process has built them already (`batch_frames`).
    """
    load_batch(con, [(result, size, mtime)], frames)


def load_batch(
    con: duckdb.DuckDBPyConnection,
    items: Sequence[tuple[DocumentResult, int, int]],
    frames: dict[str, pd.DataFrame] | None = None,
    more_paths: Sequence[tuple[str, str, int, int]] = (),
) -> None:
    """Write several letters (result, size, mtime) in one transaction: all or none.

    Each letter is written as `load_document` writes it; `frames` are the
    batch's checked rows (`batch_frames`) when a worker built them already.
    The letters must have distinct doc_ids. `more_paths` (doc_id, path, size,
    mtime) are further files of these letters (the second file of a two-file
    letter), recorded in the same transaction.
    """
    if not items:
        return
    if frames is None:
        frames = batch_frames([(result, size) for result, size, _ in items])
    doc_ids = [result.doc_id for result, _, _ in items]
    try:
        with _transaction(con):
            # Only letters loaded before have rows to replace; asking
            # `documents` (keyed) spares a scan of the big tables per batch.
            present = con.execute(
                "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?))", [doc_ids]
            ).fetchall()
            if present:
                for table in _DOC_TABLES:
                    con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest(?))", [[r[0] for r in present]])
            for table in ("documents", "paragraphs", "figures", "figure_pairs", "tables"):
                _insert(con, table, frames[table])
            # The letters' old statements went with their rows above.
            add_statements(con, frames["figures"], frames["figure_pairs"])
            for result, size, mtime in items:
                _set_path(con, result.doc_id, result.letter.path, size, mtime)
            for doc_id, path, size, mtime in more_paths:
                _set_path(con, doc_id, path, size, mtime)
            if more_paths:
                # The halves of a two-file letter wait no more.
                paths = [result.letter.path for result, _, _ in items] + [path for _, path, _, _ in more_paths]
                con.execute("DELETE FROM pending_halves WHERE path IN (SELECT unnest(?))", [paths])
    except duckdb.ConstraintException as err:
        raise InvalidRows("warehouse", str(err)) from err


def frames_of(frames: dict[str, pd.DataFrame], doc_ids: Collection[str]) -> dict[str, pd.DataFrame]:
    """The rows of some letters of a batch."""
    keep = list(doc_ids)
    return {table: df[df["doc_id"].isin(keep)] for table, df in frames.items()}


def add_path(con: duckdb.DuckDBPyConnection, doc_id: str, path: str, size: int, mtime: int) -> None:
    """Record another path holding the bytes of an already loaded letter."""
    with _transaction(con):
        row = con.execute("SELECT count(*) FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
        if not row or not row[0]:
            raise WarehouseError(f"cannot add path {path}: document {doc_id[:12]} is not in the warehouse")
        _set_path(con, doc_id, path, size, mtime)


def record_reject(con: duckdb.DuckDBPyConnection, reject: Reject) -> None:
    """Record why `reject.path` could not be read, replacing an earlier reason.

    Letters loaded earlier from that path stay in the warehouse: a file that
    went bad is reported, not allowed to erase what was read from it before.
    """
    df = _frame(
        [
            {
                "path": reject.path,
                "sha256": reject.sha256,
                "reason": reject.reason,
                "detail": reject.detail,
                "rejected_at": utcnow(),
            }
        ],
        ["path", "sha256", "reason", "detail", "rejected_at"],
        {"rejected_at": "datetime64[ns]"},
    )
    df = _validate("rejects", RejectRows, df)
    with _transaction(con):
        con.execute("DELETE FROM rejects WHERE path = ?", [reject.path])
        _insert(con, "rejects", df)


def sync_metrics(con: duckdb.DuckDBPyConnection, cat: Catalogue | None = None) -> int:
    """Replace the `metrics` table with the catalogue in use (default: the shipped schemas/metrics.toml)."""
    from ..figures import catalogue

    rows = [
        {
            "metric": m.key,
            "description": m.description,
            "unit": m.unit,
            "topic": m.topic,
            "category": m.category,
            "roles": ",".join(m.roles) or None,
            "as_of": m.as_of,
        }
        for m in (cat or catalogue()).metrics
    ]
    df = pd.DataFrame(rows, columns=["metric", "description", "unit", "topic", "category", "roles", "as_of"])
    with _transaction(con):
        con.execute("DELETE FROM metrics")
        _insert(con, "metrics", df)
    return len(rows)

