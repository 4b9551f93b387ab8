"""The README is part of the product: its commands and queries must work."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from etl.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
QUERIES = re.findall(r"```sql\n(.*?)```", README, flags=re.S)


def test_readme_opens_with_the_two_commands():
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    assert "etl ingest raw/" in blocks[0]
    assert "pip install -e '.[test]' && python -m pytest" in blocks[1]
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "pip install -e '.[test]' && python -m pytest" in ci


def test_readme_documents_every_command():
    for name in main.commands:
        assert f"`etl {name}" in README, name


def test_readme_has_at_least_five_queries():
    assert len(QUERIES) >= 5


@pytest.mark.parametrize("query", QUERIES, ids=[q.split("\n")[0][:40] for q in QUERIES])
def test_readme_query_runs(sample_warehouse, query):
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        rows = con.execute(query).fetchall()
    # The sample letter has figures for every one of these except revisions
    # (one letter cannot revise itself) and mismatches (it is clean).
    if "FROM revisions" in query or "FROM mismatches" in query:
        assert rows == []
    elif "table_no" in query:
        # The sample letter has no table (tests/test_tables.py runs this one on letters with tables).
        assert rows == []
    else:
        assert rows


def test_trend_query_answers_the_question(sample_warehouse):
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT metric, year(period_start), value, months, is_partial FROM trends "
            "WHERE metric IN ('internet_fraud_registered', 'ch7_crimes_registered') ORDER BY 1, 2"
        ).fetchall()
    assert rows == [
        ("ch7_crimes_registered", 2015, 128.0, 12, False),
        ("ch7_crimes_registered", 2016, 113.0, 12, False),
        ("ch7_crimes_registered", 2017, 83.0, 10, True),
        ("internet_fraud_registered", 2015, 45.0, 12, False),
        ("internet_fraud_registered", 2016, 1046.0, 12, False),
        ("internet_fraud_registered", 2017, 1694.0, 10, True),
    ]
