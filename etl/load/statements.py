"""The `statements` table the trend views read, kept in step with figures and pairs.

A statement is a pair both languages state alike (status `match`, the same
period on both sides) with a period and a metric or series. `statement_rows`
(a view, migration 8) says so over the whole warehouse; the writer adds a
batch's statements from the batch's own rows, before they are anywhere else,
so loading a letter never scans the archive's figures (at 2 000 letters that
scan cost 0.12 s and 80 MB of DuckDB's cache per batch, growing with the
archive). `tests/test_load.py` checks that both give the same rows.
"""

from __future__ import annotations

from collections.abc import Collection

import duckdb
import pandas as pd

_SELECT = """
SELECT
    p.doc_id,
    p.pair_no,
    p.metric,
    p.series,
    k.period_start,
    k.period_end,
    k.value * k.scale                         AS value,
    k.value                                   AS value_as_written,
    k.scale,
    coalesce(k.unit, r.unit)                  AS unit,
    coalesce(k.months, r.months)              AS months,
    coalesce(k.is_partial, r.is_partial)      AS is_partial,
    k.figure_id                               AS kk_figure_id,
    r.figure_id                               AS ru_figure_id
FROM {pairs} AS p
JOIN {figures} AS k ON k.doc_id = p.doc_id AND k.figure_id = p.kk_figure_id
JOIN {figures} AS r ON r.doc_id = p.doc_id AND r.figure_id = p.ru_figure_id
WHERE p.status = 'match'
  AND k.period_start = r.period_start AND k.period_end = r.period_end
  AND (p.metric IS NOT NULL OR p.series IS NOT NULL)
ORDER BY p.doc_id, p.pair_no
"""


def add_statements(con: duckdb.DuckDBPyConnection, figures: pd.DataFrame, pairs: pd.DataFrame) -> None:
    """Insert the statements of a batch's figure and pair rows (letters not in `statements` yet)."""
    if figures.empty or pairs.empty:
        return
    con.register("_statement_figures", figures)
    con.register("_statement_pairs", pairs)
    try:
        con.execute(
            "INSERT INTO statements " + _SELECT.format(pairs="_statement_pairs", figures="_statement_figures")
        )
    finally:
        con.unregister("_statement_figures")
        con.unregister("_statement_pairs")


def refresh_statements(con: duckdb.DuckDBPyConnection, doc_ids: Collection[str]) -> None:
    """Replace the `statements` rows of letters already loaded with what their pairs and figures say now."""
    if not doc_ids:
        return
    ids = list(doc_ids)
    con.execute("DELETE FROM statements WHERE doc_id IN (SELECT unnest(?))", [ids])
    con.execute(
        "INSERT INTO statements SELECT * FROM statement_rows WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id, pair_no",
        [ids],
    )
