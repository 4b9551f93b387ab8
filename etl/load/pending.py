"""Halves of two-file letters waiting in the warehouse for their other half (`pending_halves`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

import duckdb

from ..models import Waiting
from .warehouse import utcnow


def pending_halves(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Waiting, int, int]]:
    """path -> (the waiting half, size, mtime) of every half recorded as waiting."""
    rows = con.execute(
        "SELECT path, sha256, lang, outgoing_no, letter_date, size, mtime, since FROM pending_halves ORDER BY path"
    ).fetchall()
    return {
        path: (Waiting(path, sha, lang, no, day, since), int(size), int(mtime))
        for path, sha, lang, no, day, size, mtime, since in rows
    }


def record_pending(con: duckdb.DuckDBPyConnection, halves: Sequence[tuple[Waiting, int, int]]) -> list[Waiting]:
    """Record halves (with size and mtime) as waiting, keeping the time each
    was first recorded; a half is not a reject, so a reject of its path goes.
    Returns the halves with that time set."""
    out: list[Waiting] = []
    con.begin()
    try:
        for w, size, mtime in halves:
            row = con.execute("SELECT since FROM pending_halves WHERE path = ?", [w.path]).fetchone()
            since: datetime = row[0] if row else utcnow()
            con.execute("DELETE FROM pending_halves WHERE path = ?", [w.path])
            con.execute(
                "INSERT INTO pending_halves (path, sha256, lang, outgoing_no, letter_date, size, mtime, since) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [w.path, w.sha256, w.lang, w.outgoing_no, w.letter_date, int(size), int(mtime), since],
            )
            con.execute("DELETE FROM rejects WHERE path = ?", [w.path])
            out.append(Waiting(w.path, w.sha256, w.lang, w.outgoing_no, w.letter_date, since))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return out


def drop_pending(con: duckdb.DuckDBPyConnection, paths: Collection[str]) -> None:
    """Forget halves that no longer wait (their file went, or is no half any more)."""
    if paths:
        con.execute("DELETE FROM pending_halves WHERE path IN (SELECT unnest(?))", [list(paths)])
