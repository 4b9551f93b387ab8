"""`etl sql --format csv|json|jsonl` writes its result a batch at a time.

The streamed text must be the very bytes the whole result written at once
gives (the way it was written before it streamed), across batch boundaries:
each test shrinks the batch to a few rows so a small result crosses many.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from etl import sql_output
from etl.cli import main
from etl.load import connect, streamed_query
from etl.load import warehouse as wh
from etl.report.safe import json_text

# Values of every kind a query returns: integers, decimals, doubles (NaN,
# infinity, NULL), dates, timestamps, intervals, lists, structs, maps, blobs,
# text with quotes, commas, newlines, Cyrillic and control characters.
QUERY = """
SELECT i, i * 0.5 AS half, 'row ' || i AS s, DATE '2017-01-01' + i::INTEGER AS d,
  TIMESTAMP '2017-11-13 10:00:00' + INTERVAL (i) SECOND AS ts, (i / 3)::DECIMAL(10,2) AS dec,
  CASE WHEN i % 5 = 0 THEN 'nan'::DOUBLE WHEN i % 7 = 0 THEN 'inf'::DOUBLE
       WHEN i % 4 = 0 THEN NULL ELSE i / 7 END AS f,
  [i, i + 1] AS lst, {'a': i, 'b': 'x' || chr(27) || 'y', 'when': DATE '2020-02-02'} AS st,
  MAP {'k': i} AS mp, i % 2 = 0 AS flag, '\\xAA'::BLOB AS bl,
  'кк "quoted", comma' || chr(10) || chr(8238) AS ru, INTERVAL (i) DAY AS iv,
  i::HUGEINT * 10000000000000000000 AS big
FROM range(23) AS r(i) ORDER BY i
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stream") / "w.duckdb"
    connect(path).close()
    return path


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(wh, "BATCH_ROWS", 5)
    return 5


def whole(warehouse: Path, query: str) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cur = con.execute(query)
        return [d[0] for d in cur.description], cur.fetchall()


def written_at_once(fmt: str, columns: list[str], rows: list[tuple]) -> str:
    """The result as `etl sql` wrote it before it streamed: all rows in one go."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return buf.getvalue()
    if fmt == "json":
        return json_text([dict(zip(columns, r)) for r in rows], indent=2, default=str) + "\n"
    return "".join(json_text(dict(zip(columns, r)), default=str) + "\n" for r in rows)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_streamed_output_is_the_whole_result_byte_for_byte(warehouse, small_batches, fmt):
    result = run("sql", "-w", str(warehouse), "--format", fmt, QUERY)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == written_at_once(fmt, *whole(warehouse, QUERY))


def test_the_query_is_read_in_batches(warehouse, small_batches):
    with streamed_query(warehouse, QUERY) as stream:
        sizes = [len(b) for b in stream]
    assert sizes == [5, 5, 5, 5, 3]
    assert stream.rows == 23 and stream.left_out == 0


def test_json_is_one_array_across_batches(warehouse, small_batches):
    result = run("sql", "-w", str(warehouse), "--format", "json", "SELECT i, 'x' || i AS s FROM range(12) t(i) ORDER BY i")
    assert json.loads(result.stdout) == [{"i": i, "s": f"x{i}"} for i in range(12)]
    lines = run("sql", "-w", str(warehouse), "--format", "jsonl", "SELECT i FROM range(12) t(i) ORDER BY i")
    assert [json.loads(ln) for ln in lines.stdout.splitlines()] == [{"i": i} for i in range(12)]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("csv", "a\n"), ("json", "[]\n"), ("jsonl", "")],
)
def test_an_empty_result(warehouse, fmt, expected):
    result = run("sql", "-w", str(warehouse), "--format", fmt, "SELECT 1 AS a WHERE false")
    assert result.exit_code == 0 and result.stdout == expected


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_limit_across_batches_counts_the_rest(warehouse, small_batches, fmt):
    query = "SELECT i FROM range(100) t(i) ORDER BY i"
    result = run("sql", "-w", str(warehouse), "--format", fmt, "--limit", "12", query)
    assert result.exit_code == 0
    columns, rows = whole(warehouse, query)
    assert result.stdout == written_at_once(fmt, columns, rows[:12])
    assert result.stderr == "100 rows, 12 shown (88 left out; --limit N or --all for more)\n"


def test_an_error_part_way_is_a_bad_query(warehouse, small_batches):
    # The error comes from a row DuckDB reaches only after the first batches.
    query = "SELECT CASE WHEN i < 40 THEN i ELSE error('boom at ' || i) END AS v FROM range(100) t(i)"
    result = run("sql", "-w", str(warehouse), "--format", "jsonl", query)
    assert result.exit_code == 2
    assert "boom at" in result.stderr and "internal error" not in result.stderr


def test_writers_take_one_batch_at_a_time():
    """A writer yields a batch's text before it asks for the next batch."""
    taken: list[int] = []

    def batches():
        for n in range(3):
            taken.append(n)
            yield [(n, f"v{n}")]

    for fmt in sql_output.FORMATS:
        taken.clear()
        text = sql_output.chunks(fmt, ["n", "v"], batches())
        first = next(text)
        if fmt == "csv":
            assert first == "n,v\n" and taken == []
            first = next(text)
        assert taken == [0] and "v0" in first and "v1" not in first
        rest = "".join(text)
        assert taken == [0, 1, 2] and "v2" in rest


def test_csv_for_a_terminal_escapes_controls_in_every_batch():
    rows = [[("a\x1bb", 1)], [("c\u202ed", 2)]]
    text = "".join(sql_output.csv_chunks(["s\x07", "n"], rows, escape=True))
    assert text == "s\\x07,n\na\\x1bb,1\nc\\u202ed,2\n"


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        sql_output.chunks("xml", [], [])
