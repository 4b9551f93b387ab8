"""Load letters into the warehouse, a batch of whole letters per transaction.

A letter is keyed by the SHA-256 of its bytes (doc_id). Loading deletes every
row of the batch's doc_ids and inserts the new ones inside one transaction,
so a re-run changes nothing and a process killed half-way leaves the previous
state: whole letters only. Rows are validated with the pandera models in
schemas/tables.py first, a batch at a time (`frames`), and bulk-inserted
from the DataFrames.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import duckdb
import pandas as pd

from schemas.tables import RejectRows

from ..figures import Catalogue
from ..models import DocumentResult, Reject
from .frames import InvalidRows, batch_frames, frame, validated
from .statements import add_statements
from .warehouse import (
    WarehouseError,
    utcnow,
)

# Tables holding a letter's rows, children first.
_DOC_TABLES = ("statements", "figure_pairs", "figures", "tables", "paragraphs", "documents")


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
    df = frame(
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
    df = validated("rejects", RejectRows, df)
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

