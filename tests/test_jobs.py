"""Worker processes change the speed, never the warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from etl.fixtures.render import render_pdf
from etl.pipeline import ingest

from .series import synthetic_series

QUERIES = {
    "documents": "SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY doc_id",
    "document_paths": "SELECT * EXCLUDE (seen_at) FROM document_paths ORDER BY path",
    "paragraphs": "SELECT * FROM paragraphs ORDER BY ALL",
    "figures": "SELECT * FROM figures ORDER BY figure_id",
    "figure_pairs": "SELECT * FROM figure_pairs ORDER BY doc_id, pair_no",
    "rejects": "SELECT * EXCLUDE (rejected_at) FROM rejects ORDER BY path",
}


def _dump(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in QUERIES.items()}


def test_two_jobs_load_exactly_what_one_job_loads(tmp_path, sample_pdf):
    folder = tmp_path / "letters"
    folder.mkdir()
    shutil.copy(sample_pdf, folder / "a-sample.pdf")
    # The same bytes again, in the same batch of three.
    shutil.copy(sample_pdf, folder / "b-copy.pdf")
    for letter in synthetic_series():
        render_pdf(letter.doc, folder / letter.name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really")
    one = ingest([folder], tmp_path / "one.duckdb", jobs=1, batch=1)
    # Batches of three letters: pandera checks and the writer loads them together.
    two = ingest([folder], tmp_path / "two.duckdb", jobs=2, batch=3)
    assert one.exit_code == two.exit_code == 3
    assert [d.doc_id for d in one.documents] == [d.doc_id for d in two.documents]
    a, b = _dump(tmp_path / "one.duckdb"), _dump(tmp_path / "two.duckdb")
    assert a["documents"] and a["rejects"]
    assert [path for path, *_ in a["document_paths"]][:2] == [str(folder / "a-sample.pdf"), str(folder / "b-copy.pdf")]
    assert one.skipped == two.skipped == [str(folder / "b-copy.pdf")]
    assert a == b


def test_a_letter_that_breaks_a_batch_check_is_rejected_alone():
    from etl.models import Reject
    from etl.batches import check_each

    from .test_load import make_letter

    good, bad, other = (make_letter(seed, path=f"raw/{seed}.pdf") for seed in ("good", "bad", "other"))

    def check(items):
        if any(res is bad for res, _ in items):
            raise ValueError("rows break the schema")
        return [res.letter.path for res, _ in items]

    outcomes, value = check_each([(good, 1), (bad, 2), (other, 3)], check)
    assert outcomes[0] is good and outcomes[2] is other
    assert isinstance(outcomes[1], Reject) and outcomes[1].path == "raw/bad.pdf"
    assert outcomes[1].reason == "internal_error" and "rows break the schema" in outcomes[1].detail
    # The batch's value is computed again over the letters that pass.
    assert value == ["raw/good.pdf", "raw/other.pdf"]
