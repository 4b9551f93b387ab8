"""The `statements` table the trend views read, kept in step with figures and pairs.

`statement_rows` (a view, migration 8) says what a letter's statements are;
this copies them for the letters just loaded or re-keyed, in the caller's
transaction, so `letter_metrics`, `trends` and `revisions` read a narrow
table instead of joining pairs to figures across the whole warehouse.
"""

from __future__ import annotations

from collections.abc import Collection

import duckdb


def refresh_statements(con: duckdb.DuckDBPyConnection, doc_ids: Collection[str]) -> None:
    """Replace the `statements` rows of these letters with what their pairs and figures say now."""
    if not doc_ids:
        return
    ids = list(doc_ids)
    con.execute("DELETE FROM statements WHERE doc_id IN (SELECT unnest(?))", [ids])
    con.execute(
        "INSERT INTO statements SELECT * FROM statement_rows WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id, pair_no",
        [ids],
    )
