"""`etl sql` results as CSV, JSON and JSON lines, written a batch of rows at a time.

Each writer takes the columns and an iterable of row batches (what
`load.streamed_query` yields) and returns the text chunk by chunk, so an
export of any size holds one batch in memory. The chunks joined are the
bytes the whole result written at once gives: values are turned into text
the same way (`json.dumps(..., default=str)`: dates and decimals as strings,
NaN as NaN; `csv.writer`: `str` of each value), and the JSON array is one
array, its elements indented as `json.dumps(rows, indent=2)` indents them.
Nothing here prints: the CLI writes the chunks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .report.safe import json_text, literal

Rows = Sequence[tuple[Any, ...]]
FORMATS = ("csv", "json", "jsonl")


def csv_chunks(columns: Sequence[str], batches: Iterable[Rows], *, escape: bool = False) -> Iterator[str]:
    """The header line, then each batch's lines. `escape` (a terminal) shows control characters as escapes."""

    def text(rows: Iterable[Sequence[Any]]) -> str:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        return buf.getvalue()

    yield text([[literal(c) for c in columns] if escape else list(columns)])
    for batch in batches:
        if escape:
            yield text([literal(v, multiline=True) if isinstance(v, str) else v for v in row] for row in batch)
        else:
            yield text(batch)


def json_chunks(columns: Sequence[str], batches: Iterable[Rows]) -> Iterator[str]:
    """One JSON array of one object per row, indented by 2, ending in a newline."""
    opened = False
    for batch in batches:
        if not batch:
            continue
        # The batch as an array of its own, brackets cut off: its elements
        # come out indented exactly as inside the whole array.
        inner = json_text([dict(zip(columns, row)) for row in batch], indent=2, default=str)[2:-2]
        yield (",\n" if opened else "[\n") + inner
        opened = True
    yield "\n]\n" if opened else "[]\n"


def jsonl_chunks(columns: Sequence[str], batches: Iterable[Rows]) -> Iterator[str]:
    """One JSON object per line."""
    for batch in batches:
        if batch:
            yield "".join(json_text(dict(zip(columns, row)), default=str) + "\n" for row in batch)


def chunks(fmt: str, columns: Sequence[str], batches: Iterable[Rows], *, escape: bool = False) -> Iterator[str]:
    """The text of a result in `fmt` (one of FORMATS), chunk by chunk."""
    if fmt == "csv":
        return csv_chunks(columns, batches, escape=escape)
    if fmt == "json":
        return json_chunks(columns, batches)
    if fmt == "jsonl":
        return jsonl_chunks(columns, batches)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
