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

import functools
import re
from collections.abc import Collection

import duckdb
import pandas as pd

from .warehouse import WarehouseError, schema_sql

_VIEW = re.compile(r"CREATE VIEW statement_rows AS\n(.*?);", re.S)


@functools.cache
def _select() -> str:
    """statement_rows' own SELECT (schemas/warehouse.sql), over two tables to be named: one rule, written once."""
    # A later migration that restates the view replaces it: the last definition is the live one.
    found = _VIEW.findall(schema_sql())
    if not found:
        raise WarehouseError("warehouse.sql: no statement_rows view")
    body = found[-1]
    for table, slot in (("figure_pairs AS p", "{pairs} AS p"), ("figures AS k", "{figures} AS k"), ("figures AS r", "{figures} AS r")):
        if table not in body:
            raise WarehouseError(f"warehouse.sql: statement_rows no longer reads {table}")
        body = body.replace(table, slot)
    return body + "\nORDER BY p.doc_id, p.pair_no"


def add_statements(con: duckdb.DuckDBPyConnection, figures: pd.DataFrame, pairs: pd.DataFrame) -> None:
    """Insert the statements of a batch's figure and pair rows (letters not in `statements` yet)."""
    if figures.empty or pairs.empty:
        return
    con.register("_statement_figures", figures)
    con.register("_statement_pairs", pairs)
    try:
        con.execute(
            "INSERT INTO statements " + _select().format(pairs="_statement_pairs", figures="_statement_figures")
        )
    finally:
        con.unregister("_statement_figures")
        con.unregister("_statement_pairs")


def refresh_statements(con: duckdb.DuckDBPyConnection, doc_ids: Collection[str]) -> None:
    """Replace the `statements` rows of letters already loaded with what their pairs and figures say now."""
    if not doc_ids:
        return
    ids = {"ids": list(doc_ids)}
    con.execute("DELETE FROM statements WHERE doc_id IN (SELECT unnest($ids))", ids)
    # The same SELECT over those letters' rows alone: the view filtered by
    # doc_id would still join every figure of the archive.
    own = "(SELECT * FROM {} WHERE doc_id IN (SELECT unnest($ids)))"
    con.execute("INSERT INTO statements " + _select().format(pairs=own.format("figure_pairs"), figures=own.format("figures")), ids)
