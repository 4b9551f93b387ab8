"""Apply a metric catalogue to the letters already in the warehouse, without their PDFs.

The warehouse keeps every letter's paragraphs and its date, which is all the
figures stage needs: re-keying reads the figures again from the stored
paragraphs with the catalogue in use and updates `metric` of every figure
and pair in place (figure ids are stable). The catalogue's [[series]]
entries go to `series_metrics`, which the views read, and `catalogue_state`
records which catalogue the metrics were read with, so the next ingest with
an edited catalogue re-keys every letter and a run with the same one does
nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import duckdb
import pandas as pd

from ..figures import Catalogue, build_figures, catalogue
from ..models import Paragraph
from .statements import refresh_statements
from .warehouse import utcnow


def _rekey(con: duckdb.DuckDBPyConnection, cat: Catalogue, doc_ids: Collection[str]) -> int:
    rows: list[tuple[str, str | None]] = []
    for doc_id in doc_ids:
        found = con.execute("SELECT letter_date FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
        if not found:
            continue
        letter_date: date | None = found[0]
        paras = [
            Paragraph(lang, part, para_no, page, text)
            for lang, part, para_no, page, text in con.execute(
                "SELECT lang, part, para_no, page, text FROM paragraphs WHERE doc_id = ? ORDER BY lang, part, para_no",
                [doc_id],
            ).fetchall()
        ]
        # The reader walks kk and ru apart, cover before appendix, as extraction gives them.
        paras.sort(key=lambda p: (p.part != "cover", p.lang, p.para_no))
        rows.extend((f.figure_id, f.metric) for f in build_figures(doc_id, paras, letter_date, cat=cat))
    if not rows:
        return 0
    df = pd.DataFrame(rows, columns=["figure_id", "metric"])
    con.register("_rekey", df)
    try:
        con.execute("UPDATE figures SET metric = r.metric FROM _rekey AS r WHERE figures.figure_id = r.figure_id")
    finally:
        con.unregister("_rekey")
    con.execute(
        """
        UPDATE figure_pairs SET metric = CASE
            WHEN k.figure_id IS NOT NULL AND r.figure_id IS NOT NULL THEN CASE WHEN k.metric = r.metric THEN k.metric END
            ELSE coalesce(k.metric, r.metric) END
        FROM figure_pairs AS p
        LEFT JOIN figures AS k ON k.figure_id = p.kk_figure_id
        LEFT JOIN figures AS r ON r.figure_id = p.ru_figure_id
        WHERE figure_pairs.doc_id = p.doc_id AND figure_pairs.pair_no = p.pair_no
          AND p.doc_id IN (SELECT unnest(?))
        """,
        [list(doc_ids)],
    )
    refresh_statements(con, doc_ids)
    return len(rows)


def apply_catalogue(
    con: duckdb.DuckDBPyConnection, cat: Catalogue, loaded_now: Collection[str] = ()
) -> list[str]:
    """Bring the warehouse's metrics in line with `cat`; the doc_ids re-keyed.

    Every letter is re-keyed when `cat` differs from the catalogue the
    warehouse was last keyed with; else only the letters just loaded, and
    only when `cat` is not the shipped one (the workers read with that).
    """
    row = con.execute("SELECT sha256 FROM catalogue_state").fetchone()
    changed = row is None or row[0] != cat.sha256
    if changed:
        todo = [r[0] for r in con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]
        if row is None and cat.sha256 == catalogue().sha256:
            todo = []  # a warehouse loaded with the shipped catalogue before it was recorded
    elif cat.sha256 != catalogue().sha256:
        todo = sorted(loaded_now)
    else:
        todo = []
    con.begin()
    try:
        _rekey(con, cat, todo)
        con.execute("DELETE FROM series_metrics")
        if cat.series_map:
            df = pd.DataFrame(sorted(cat.series_map.items()), columns=["series", "metric"])
            con.register("_series_metrics", df)
            con.execute("INSERT INTO series_metrics SELECT series, metric FROM _series_metrics")
            con.unregister("_series_metrics")
        con.execute("DELETE FROM catalogue_state")
        con.execute("INSERT INTO catalogue_state VALUES (?, ?, ?)", [cat.source, cat.sha256, utcnow()])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return todo
