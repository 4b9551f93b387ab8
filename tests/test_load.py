"""Stage 5: loading letters into a real DuckDB warehouse file.

Letters are built by hand from the etl.models dataclasses, with sentences of
the sample letter (Ministry of Internal Affairs, 13.11.2017).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import signal
import struct
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from etl import load
from etl.errors import BadQuery, WarehouseLocked
from etl.load.warehouse import STORAGE_VERSION, WarehouseError, parse_migrations, schema_sql
from etl.models import (
    DOC_STATUSES,
    FIGURE_KINDS,
    LANGS,
    PAIR_STATUSES,
    PARTS,
    REJECT_REASONS,
    DocumentResult,
    Figure,
    FigurePair,
    Letter,
    LetterMeta,
    Paragraph,
    Reject,
)

DOC_TABLES = ("documents", "document_paths", "paragraphs", "figures", "figure_pairs")

KK_TEXT = (
    "Статистикалық мәліметтерге сәйкес {year} жылы ҚК-нің 7-тарауы бойынша "
    "{value} құқық бұзушылық тіркелген."
)
RU_TEXT = (
    "Согласно статистическим данным в {year} году по главе 7 УК "
    "зарегистрировано {value} правонарушений."
)
METRIC = "cyber_offences_registered"


def sha(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def make_letter(
    seed: str,
    *,
    path: str = "raw/letter.pdf",
    letter_date: date | None = date(2017, 11, 13),
    stats: dict[int, float] | None = None,
    changed: bool = False,
    filler: int = 0,
) -> DocumentResult:
    """A letter stating `stats` (year -> registered offences) in kk and ru.

    `changed` makes the ru text disagree on the first statistic; `filler`
    adds that many extra matched pairs (plain counts, no metric).
    """
    doc_id = sha(seed)
    stats = stats if stats is not None else {2015: 128, 2016: 113}
    paragraphs: list[Paragraph] = []
    figures: list[Figure] = []
    pairs: list[FigurePair] = []

    def fig(lang: str, para_no: int, n: int, surface: str, value: float, text: str, **kw: object) -> Figure:
        return Figure(
            figure_id=f"{doc_id[:16]}-{lang}-appendix-{para_no}-{n}",
            doc_id=doc_id,
            lang=lang,  # type: ignore[arg-type]
            part="appendix",
            para_no=para_no,
            page=2 if lang == "kk" else 4,
            surface=surface,
            value=value,
            scale=1.0,
            unit=None,
            kind=kw.pop("kind", "statistic"),  # type: ignore[arg-type]
            metric=kw.pop("metric", None),  # type: ignore[arg-type]
            period_start=kw.pop("period_start", None),  # type: ignore[arg-type]
            period_end=kw.pop("period_end", None),  # type: ignore[arg-type]
            context=text,
            start=max(0, text.find(surface)),
            **kw,  # type: ignore[arg-type]
        )

    for para_no, (year, value) in enumerate(sorted(stats.items()), start=1):
        ru_value = value + 1 if changed and para_no == 1 else value
        kk_text = KK_TEXT.format(year=year, value=int(value))
        ru_text = RU_TEXT.format(year=year, value=int(ru_value))
        paragraphs.append(Paragraph("kk", "appendix", para_no, 2, kk_text))
        paragraphs.append(Paragraph("ru", "appendix", para_no, 4, ru_text))
        period = {"metric": METRIC, "period_start": date(year, 1, 1), "period_end": date(year, 12, 31)}
        kk = fig("kk", para_no, 1, str(int(value)), value, kk_text, **period)
        ru = fig("ru", para_no, 1, str(int(ru_value)), ru_value, ru_text, **period)
        figures += [kk, ru]
        pairs.append(FigurePair(doc_id, kk, ru, "changed" if ru_value != value else "match"))

    base = len(stats) + 1
    for i in range(filler):
        para_no = base + i
        paragraphs.append(Paragraph("kk", "appendix", para_no, 2, f"{i} іс"))
        paragraphs.append(Paragraph("ru", "appendix", para_no, 4, f"{i} дел"))
        kk = fig("kk", para_no, 1, str(i), float(i), f"{i} іс", kind="count")
        ru = fig("ru", para_no, 1, str(i), float(i), f"{i} дел", kind="count")
        figures += [kk, ru]
        pairs.append(FigurePair(doc_id, kk, ru, "match"))

    letter = Letter(
        path=path,
        sha256=doc_id,
        pages=4,
        meta=LetterMeta(
            outgoing_no="1-3-6-43/2914-Д",
            letter_date=letter_date,
            inquiry_no="ДЗ-256",
            inquiry_date=date(2017, 10, 25),
            sender="Министерство внутренних дел Республики Казахстан",
            signatory="Е. Тургумбаев",
        ),
        paragraphs=tuple(paragraphs),
    )
    return DocumentResult(letter=letter, figures=figures, pairs=pairs)


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = ["documents", "document_paths", "paragraphs", "figures", "figure_pairs", "rejects"]
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def whole_letters_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every way the warehouse could hold part of a letter; empty when it holds whole letters only."""
    problems: list[str] = []
    rows = con.execute(
        """
        SELECT d.doc_id, d.n_figures, d.n_paragraphs,
               (SELECT count(*) FROM figures f WHERE f.doc_id = d.doc_id),
               (SELECT count(*) FROM paragraphs p WHERE p.doc_id = d.doc_id),
               (SELECT count(*) FROM figure_pairs q WHERE q.doc_id = d.doc_id)
        FROM documents d
        """
    ).fetchall()
    for doc_id, n_fig, n_para, got_fig, got_para, got_pairs in rows:
        if (n_fig, n_para) != (got_fig, got_para) or got_pairs * 2 != got_fig:
            problems.append(f"{doc_id[:8]}: {got_fig}/{n_fig} figures, {got_para}/{n_para} paragraphs")
    for table in ("figures", "paragraphs", "figure_pairs", "document_paths"):
        orphans = con.execute(
            f"SELECT count(*) FROM {table} t WHERE t.doc_id NOT IN (SELECT doc_id FROM documents)"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} orphan rows in {table}")
    return problems


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "warehouse" / "warehouse.duckdb")


def test_creates_folder_schema_and_old_storage_version(db: str) -> None:
    with load.connect(db) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {"documents", "document_paths", "paragraphs", "figures", "figure_pairs", "rejects"} <= tables
    assert {"mismatches", "trends", "revisions"} <= views
    # Storage format 64 is what DuckDB 0.10 to 1.5 read; DuckDB 2.0's own format is not.
    header = Path(db).read_bytes()[8:20]
    assert header[:4] == b"DUCK"
    assert struct.unpack("<Q", header[4:])[0] == 64
    assert STORAGE_VERSION == "v1.1.0"


def test_migrations_apply_once(db: str) -> None:
    for _ in range(3):
        load.connect(db).close()
    with load.connect(db) as con:
        rows = con.execute("SELECT version FROM schema_migrations").fetchall()
    _, migrations = parse_migrations(schema_sql())
    assert [r[0] for r in rows] == [m.version for m in migrations]


def _load_into_old_schema(con: duckdb.DuckDBPyConnection, letter) -> None:  # type: ignore[no-untyped-def]
    """A letter's checked rows, as far as the old tables have columns for them
    (today's loader writes columns later migrations added)."""
    from etl.load.frames import batch_frames

    frames = batch_frames([(letter, 10)])
    for table in ("documents", "paragraphs", "figures", "figure_pairs"):
        have = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
        rows = frames[table][[c for c in have if c in frames[table].columns]]
        con.register("rows_view", rows)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM rows_view")
        con.unregister("rows_view")
    con.execute("INSERT INTO document_paths VALUES (?, ?, 10, 1, now())", [letter.letter.path, letter.doc_id])


def test_a_warehouse_of_schema_2_keeps_its_rows_when_its_keys_go(tmp_path: Path) -> None:
    path = str(tmp_path / "old.duckdb")
    bootstrap, migrations = parse_migrations(schema_sql())
    with duckdb.connect(path) as con:
        con.execute(bootstrap)
        for m in migrations[:2]:
            con.execute(m.sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [m.version, m.title])
        _load_into_old_schema(con, make_letter("old", stats={2015: 45, 2016: 1046}))
        before = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in DOC_TABLES}
        # Later migrations add columns: the old ones must keep their values.
        columns = {t: [d[0] for d in con.execute(f"SELECT * FROM {t} LIMIT 0").description] for t in DOC_TABLES}
        cols = {t: ", ".join(columns[t]) for t in DOC_TABLES}
        keyed = con.execute("SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'")
        assert {"paragraphs", "figures", "figure_pairs"} <= {r[0] for r in keyed.fetchall()}
    with load.connect(path) as con:
        assert con.execute("SELECT max(version) FROM schema_migrations").fetchone() == (migrations[-1].version,)
        assert {t: con.execute(f"SELECT {cols[t]} FROM {t} ORDER BY ALL").fetchall() for t in DOC_TABLES} == before
        # Migration 5: the old rows come from a text layer, no page read by OCR.
        assert con.execute("SELECT DISTINCT source, ocr_confidence FROM figures").fetchall() == [("text", None)]
        assert con.execute("SELECT DISTINCT ocr_pages FROM documents").fetchall() == [(0,)]
        keyed = con.execute("SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'")
        assert not {"paragraphs", "figures", "figure_pairs"} & {r[0] for r in keyed.fetchall()}
        # The views still read the tables that replaced the keyed ones.
        assert con.execute("SELECT count(*) FROM trends").fetchone()[0] > 0
        load.load_document(con, make_letter("new", path="raw/new.pdf"), size=10, mtime=2)
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (2,)


def test_migration_numbers_may_leave_a_gap_but_must_rise() -> None:
    _, ms = parse_migrations("-- migration 1: a\nSELECT 1;\n-- migration 3: c\nSELECT 3;\n")
    assert [m.version for m in ms] == [1, 3]
    with pytest.raises(WarehouseError, match="rising order"):
        parse_migrations("-- migration 2: b\nSELECT 2;\n-- migration 1: a\nSELECT 1;\n")


def test_a_migration_merged_below_the_latest_applied_still_runs(tmp_path: Path) -> None:
    # A warehouse that got every migration but one (a branch's number merged in
    # later, below the highest applied) gets the missing one on connect.
    path = str(tmp_path / "gap.duckdb")
    bootstrap, migrations = parse_migrations(schema_sql())
    skip = migrations[-2]
    with duckdb.connect(path) as con:
        con.execute(bootstrap)
        for m in migrations:
            if m is not skip:
                con.execute(m.sql)
                con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [m.version, m.title])
    with load.connect(path) as con:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]
    assert versions == [m.version for m in migrations]


def test_one_process_cannot_hold_the_warehouse_both_ways(db: str) -> None:
    writer = load.connect(db)
    try:
        with pytest.raises(WarehouseLocked, match="already open in this process for writing"):
            load.connect(db, read_only=True, lock_timeout=0.2)
    finally:
        writer.close()
    reader = load.connect(db, read_only=True)
    try:
        with pytest.raises(WarehouseLocked, match="already open in this process read-only"):
            load.connect(db, lock_timeout=0.2)
    finally:
        reader.close()


def test_the_writer_writes_small_row_groups(db: str) -> None:
    with load.connect(db) as con:
        con.execute("CREATE TABLE probe AS SELECT range AS i FROM range(40000)")
        con.execute("CHECKPOINT")
        groups = con.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('probe')").fetchone()[0]
        con.execute("DROP TABLE probe")
    # 40 000 rows: three groups of at most 16 384 rows; DuckDB's default keeps them in one.
    assert groups == 3


def test_check_constraints_list_the_python_vocabularies(db: str) -> None:
    expected = {
        ("paragraphs", "lang"): LANGS,
        ("paragraphs", "part"): PARTS,
        ("figures", "lang"): LANGS,
        ("figures", "part"): PARTS,
        ("figures", "kind"): FIGURE_KINDS,
        ("figure_pairs", "kind"): FIGURE_KINDS,
        ("figure_pairs", "status"): PAIR_STATUSES,
        ("documents", "status"): DOC_STATUSES,
        ("rejects", "reason"): REJECT_REASONS,
        ("tables", "lang"): LANGS,
        ("tables", "part"): PARTS,
        ("pending_halves", "lang"): LANGS,
    }
    with load.connect(db) as con:
        rows = con.execute(
            "SELECT table_name, constraint_text FROM duckdb_constraints() WHERE constraint_type = 'CHECK'"
        ).fetchall()
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for table, text in rows:
        m = re.search(r"\(?(\w+) IN \((.*?)\)\)?", text)
        if m:
            found[(table, m.group(1))] = tuple(re.findall(r"'([^']*)'", m.group(2)))
    assert found == expected


def test_load_twice_changes_nothing(db: str) -> None:
    letter = make_letter("letter-a", filler=3)
    with load.connect(db) as con:
        load.load_document(con, letter, size=1000, mtime=1)
        first = counts(con)
        load.load_document(con, letter, size=1000, mtime=1)
        assert counts(con) == first
    assert first == {
        "documents": 1, "document_paths": 1, "paragraphs": 10,
        "figures": 10, "figure_pairs": 5, "rejects": 0,
    }  # fmt: skip
    with load.connect(db) as con:
        assert counts(con) == first
        assert whole_letters_problems(con) == []
        row = con.execute("SELECT status, n_findings, size, letter_date FROM documents").fetchone()
    assert row == ("clean", 0, 1000, date(2017, 11, 13))


def test_changed_file_at_same_path_replaces_old_version(db: str) -> None:
    with load.connect(db) as con:
        load.load_document(con, make_letter("v1", stats={2016: 113}), size=10, mtime=1)
        load.load_document(con, make_letter("v2", stats={2016: 114, 2015: 128}), size=11, mtime=2)
        docs = con.execute("SELECT doc_id FROM documents").fetchall()
        assert docs == [(sha("v2"),)]
        assert load.known_paths(con) == {"raw/letter.pdf": (sha("v2"), 11, 2)}
        assert counts(con)["figures"] == 4
        assert whole_letters_problems(con) == []


def test_same_bytes_under_two_paths_is_one_document(db: str) -> None:
    letter = make_letter("twin")
    with load.connect(db) as con:
        load.load_document(con, letter, size=10, mtime=1)
        load.add_path(con, letter.doc_id, "raw/copy of letter.pdf", 10, 5)
        assert counts(con)["documents"] == 1
        assert sorted(load.known_paths(con)) == ["raw/copy of letter.pdf", "raw/letter.pdf"]
        assert load.known_documents(con) == {letter.doc_id}
        # The first path now holds other bytes: the twin survives under the copy's path.
        load.load_document(con, make_letter("other"), size=12, mtime=2)
        assert load.known_documents(con) == {letter.doc_id, sha("other")}
        path = con.execute("SELECT path FROM documents WHERE doc_id = ?", [letter.doc_id]).fetchone()[0]
        assert path == "raw/copy of letter.pdf"
        assert whole_letters_problems(con) == []


def test_reject_then_successful_ingest_of_that_path(db: str) -> None:
    with load.connect(db) as con:
        load.record_reject(con, Reject("raw/letter.pdf", None, "corrupt", "no %%EOF"))
        load.record_reject(con, Reject("raw/letter.pdf", sha("bad"), "encrypted", "needs a password"))
        load.record_reject(con, Reject("raw/other.pdf", None, "not_pdf", "a Word file"))
        rows = con.execute("SELECT path, reason FROM rejects ORDER BY path").fetchall()
        assert rows == [("raw/letter.pdf", "encrypted"), ("raw/other.pdf", "not_pdf")]
        load.load_document(con, make_letter("fixed"), size=10, mtime=3)
        rows = con.execute("SELECT path FROM rejects").fetchall()
        assert rows == [("raw/other.pdf",)]


def test_invalid_rows_write_nothing(db: str) -> None:
    good = make_letter("good")
    bad = make_letter("bad")
    bad.figures[0] = replace(bad.figures[0], kind="percent")  # type: ignore[arg-type]
    with load.connect(db) as con:
        load.load_document(con, good, size=1, mtime=1)
        before = counts(con)
        with pytest.raises(load.InvalidRows, match="kind"):
            load.load_document(con, bad, size=1, mtime=2)
        dangling = make_letter("dangling")
        dangling.figures.pop()
        with pytest.raises(load.InvalidRows, match="figure"):
            load.load_document(con, dangling, size=1, mtime=2)
        with pytest.raises(load.InvalidRows):
            load.record_reject(con, Reject("raw/x.pdf", None, "gone", "?"))  # type: ignore[arg-type]
        assert counts(con) == before
        assert load.known_paths(con)["raw/letter.pdf"][0] == good.doc_id


@pytest.mark.parametrize("bad_value", [7, 2.5, b"tons", ["t"]])
def test_a_value_that_is_not_text_in_a_text_column_is_refused_by_value(db: str, bad_value: object) -> None:
    # The text columns are checked by one type inference per column
    # (schemas.text.Text); a failure must still name the column and the value.
    bad = make_letter("not text")
    bad.figures[0] = replace(bad.figures[0], unit=bad_value)  # type: ignore[arg-type]
    with load.connect(db) as con:
        with pytest.raises(load.InvalidRows, match=r"unit: dtype\('str'\) failed for " + re.escape(repr(bad_value))):
            load.load_document(con, bad, size=1, mtime=1)
        assert load.known_documents(con) == set()


def test_mismatches_view_shows_both_sentences(db: str) -> None:
    with load.connect(db) as con:
        load.load_document(con, make_letter("bad pair", changed=True), size=1, mtime=1)
        rows = con.execute(
            "SELECT status, value_kk, value_ru, kk_page, ru_page, kk_context, ru_context, outgoing_no FROM mismatches"
        ).fetchall()
        status = con.execute("SELECT status, n_findings FROM documents").fetchone()
    assert status == ("mismatch", 1)
    assert len(rows) == 1
    st, kk, ru, kk_page, ru_page, kk_ctx, ru_ctx, outgoing = rows[0]
    assert (st, kk, ru, kk_page, ru_page, outgoing) == ("changed", 128, 129, 2, 4, "1-3-6-43/2914-Д")
    assert "128 құқық бұзушылық" in kk_ctx and "129 правонарушений" in ru_ctx


def test_trends_and_revisions_over_two_letters(db: str) -> None:
    # The 2016 figure is restated (and revised) a year later; 2015 is stated once.
    older = make_letter("2017 letter", path="raw/2017.pdf", letter_date=date(2017, 11, 13), stats={2015: 128, 2016: 113})
    newer = make_letter("2018 letter", path="raw/2018.pdf", letter_date=date(2018, 3, 1), stats={2016: 115, 2017: 90})
    with load.connect(db) as con:
        # Load the newer first: "latest" is by letter_date, not by load order.
        load.load_document(con, newer, size=1, mtime=1)
        load.load_document(con, older, size=1, mtime=1)
        trends = con.execute(
            "SELECT year(period_start), value, letter_date, n_letters, disagree, is_partial, months, doc_id "
            "FROM trends WHERE metric = ? ORDER BY period_start",
            [METRIC],
        ).fetchall()
        revisions = con.execute(
            "SELECT year(period_start), letter_date, value, is_latest FROM revisions ORDER BY letter_date"
        ).fetchall()
    assert trends == [
        (2015, 128, date(2017, 11, 13), 1, False, False, 12, older.doc_id),
        (2016, 115, date(2018, 3, 1), 2, True, False, 12, newer.doc_id),
        (2017, 90, date(2018, 3, 1), 1, False, False, 12, newer.doc_id),
    ]
    assert revisions == [(2016, date(2017, 11, 13), 113, False), (2016, date(2018, 3, 1), 115, True)]


def test_trends_ignore_pairs_the_languages_disagree_on(db: str) -> None:
    with load.connect(db) as con:
        load.load_document(con, make_letter("disagreeing", changed=True), size=1, mtime=1)
        years = con.execute("SELECT year(period_start) FROM trends ORDER BY 1").fetchall()
    assert years == [(2016,)]  # 2015's kk/ru pair is 'changed'


def test_partial_period_is_flagged(db: str) -> None:
    letter = make_letter("ten months", stats={2017: 83})
    ten_months = {"period_start": date(2017, 1, 1), "period_end": date(2017, 10, 31)}
    letter.figures = [replace(f, **ten_months) for f in letter.figures]
    letter.pairs = [replace(p, kk=letter.figures[0], ru=letter.figures[1]) for p in letter.pairs]
    with load.connect(db) as con:
        load.load_document(con, letter, size=1, mtime=1)
        row = con.execute("SELECT value, months, is_partial, period_end FROM trends").fetchone()
    assert row == (83, 10, True, date(2017, 10, 31))


def test_read_only_query(db: str) -> None:
    with load.connect(db) as con:
        load.load_document(con, make_letter("q"), size=1, mtime=1)
    res = load.read_only_query(db, "SELECT outgoing_no, pages FROM documents")
    columns, rows = res.columns, res.rows
    assert columns == ["outgoing_no", "pages"] and rows == [("1-3-6-43/2914-Д", 4)]
    with pytest.raises(BadQuery, match="no_such_table"):
        load.read_only_query(db, "SELECT * FROM no_such_table")
    with pytest.raises(BadQuery, match="read-only"):
        load.read_only_query(db, "DELETE FROM documents")
    with pytest.raises(load.WarehouseMissing):
        load.read_only_query(str(Path(db).with_name("nope.duckdb")), "SELECT 1")


def test_second_process_opens_read_only_after_writer_closed(db: str) -> None:
    with load.connect(db) as con:
        load.load_document(con, make_letter("shared"), size=1, mtime=1)
    code = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(json.dumps([con.execute('SELECT count(*) FROM figures').fetchone()[0],"
        " con.execute('SELECT count(*) FROM trends').fetchone()[0]]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, db], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [4, 2]


def test_file_fingerprint(tmp_path: Path) -> None:
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.7 hello")
    os.utime(f, ns=(1_500_000_000_123_456_789, 1_500_000_000_123_456_789))
    assert load.file_fingerprint(f) == (14, 1_500_000_000_123_456_789)


# --- other processes ----------------------------------------------------------

HOLD = (
    "import duckdb, sys, time\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('holding', flush=True)\n"
    "time.sleep(60)\n"
)


def test_lock_held_by_another_process(db: str) -> None:
    load.connect(db).close()
    with subprocess.Popen([sys.executable, "-c", HOLD, db], stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
            with pytest.raises(WarehouseLocked) as info:
                load.connect(db, lock_timeout=1)
            assert f"process {holder.pid}" in str(info.value)
            with pytest.raises(WarehouseLocked):
                load.read_only_query(db, "SELECT 1", lock_timeout=0.2)
        finally:
            holder.kill()
    load.connect(db, lock_timeout=5).close()


def writer_loop(db: str) -> None:
    """Load two big versions of a letter at one path, alternately, until killed."""
    letters = [make_letter(f"big {i}", filler=4000 + i) for i in range(2)]
    with load.connect(db) as con:
        load.load_document(con, letters[0], size=1, mtime=0)
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        with load.connect(db) as con:
            load.load_document(con, letters[n % 2], size=1, mtime=n)


@pytest.mark.slow
def test_killed_writer_leaves_whole_letters(db: str) -> None:
    rng = random.Random(20171113)
    with load.connect(db) as con:
        load.load_document(con, make_letter("bystander", path="raw/other.pdf"), size=1, mtime=1)
    for round_no in range(4):
        with subprocess.Popen(
            [sys.executable, __file__, "writer", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as proc:
            try:
                assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
                try:
                    proc.wait(timeout=rng.uniform(0.05, 1.5))
                except subprocess.TimeoutExpired:
                    pass
                # Still loading when killed (a writer that died on its own would be a failure).
                assert proc.returncode is None, proc.stderr.read() if proc.stderr else ""
                proc.send_signal(signal.SIGKILL)
            finally:
                proc.kill()
        with load.connect(db) as con:
            assert whole_letters_problems(con) == [], f"after kill {round_no}"
            docs = load.known_documents(con)
            assert sha("bystander") in docs
            assert len(docs & {sha("big 0"), sha("big 1")}) == 1
            # The next load completes.
            load.load_document(con, make_letter(f"after {round_no}", path="raw/next.pdf"), size=1, mtime=round_no)
            assert whole_letters_problems(con) == []


if __name__ == "__main__":
    if sys.argv[1:2] == ["writer"]:
        writer_loop(sys.argv[2])


def test_a_run_killed_right_after_migrating_leaves_a_warehouse_readers_can_open(tmp_path: Path) -> None:
    # DuckDB cannot replay schema DDL from a WAL in a read-only connection
    # without installing an extension (offline it fails), so the migrations
    # must reach the file before any letter is read.
    import subprocess
    import sys

    path = tmp_path / "w.duckdb"
    code = (
        "import os, sys\n"
        "from etl import load\n"
        "con = load.connect(sys.argv[1]).__enter__()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=120)
    with duckdb.connect(str(path), read_only=True) as con:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]
    assert versions == [m.version for m in parse_migrations(schema_sql())[1]]


# --- the statements the trend views read ----------------------------------------


def _statements(path: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        kept = con.execute("SELECT * FROM statements ORDER BY ALL").fetchall()
        now = con.execute("SELECT * FROM statement_rows ORDER BY ALL").fetchall()
        trends = con.execute("SELECT * FROM trends ORDER BY ALL").fetchall()
    return kept, now, trends


def test_statements_follow_every_load_and_an_old_warehouse_is_filled_in(tmp_path: Path, sample_pdf: Path) -> None:
    from etl.pipeline import ingest

    warehouse = tmp_path / "w.duckdb"
    ingest([sample_pdf], warehouse, jobs=1)
    kept, now, trends = _statements(warehouse)
    assert kept and kept == now and trends
    # Loaded again: replaced, not doubled.
    ingest([sample_pdf], warehouse, jobs=1, force=True)
    assert _statements(warehouse) == (kept, now, trends)
    # A warehouse of the schema before statements existed gets them from its pairs.
    with duckdb.connect(str(warehouse)) as con:
        con.execute("DROP VIEW revisions; DROP VIEW trends; DROP VIEW metric_periods; DROP VIEW letter_metric_keys")
        con.execute("DROP VIEW letter_metrics; DROP TABLE statements; DROP VIEW statement_rows")
        con.execute("ALTER TABLE figures DROP COLUMN grouping")
        con.execute("DELETE FROM schema_migrations WHERE version = 8")
        _, migrations = parse_migrations(schema_sql())
        six = next(m for m in migrations if m.version == 6).sql
        # Migration 6's views (they read figure_pairs and figures directly).
        con.execute(six[six.index("CREATE VIEW letter_metrics AS") :])
        old_trends = con.execute("SELECT * FROM trends ORDER BY ALL").fetchall()
    assert old_trends == trends
    with load.connect(warehouse):
        pass
    assert _statements(warehouse) == (kept, now, trends)


def test_amounts_read_across_a_plain_space_say_so_in_both_languages(tmp_path: Path) -> None:
    from etl.figures import grouping_of
    from etl.fixtures.letter import from_paragraphs
    from etl.fixtures.render import render_pdf
    from etl.load.warehouse import parse_migrations, schema_sql
    from etl.pipeline import ingest

    doc = from_paragraphs(
        kk_appendix=["2023 жылы бюджет кірісі 13 628,4 млрд теңгені құрады, 128 мектеп салынды."],
        ru_appendix=["В 2023 году доходы бюджета составили 13 628,4 млрд тенге, построено 128 школ."],
    )
    pdf = render_pdf(doc, tmp_path / "letter.pdf")
    warehouse = tmp_path / "w.duckdb"
    ingest([pdf], warehouse, jobs=1)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("SELECT lang, surface, kind, value, grouping FROM figures").fetchall()
        # Migration 8's SQL test, over the same rows, agrees with the loader's.
        eight = next(m for m in parse_migrations(schema_sql())[1] if m.version == 8).sql
        where = eight[eight.rindex("WHERE ") + len("WHERE ") :].strip().rstrip(";")
        flagged = {r[0] for r in con.execute(f"SELECT figure_id FROM figures WHERE {where}").fetchall()}
        stored = {r[0] for r in con.execute("SELECT figure_id FROM figures WHERE grouping IS NOT NULL").fetchall()}
    assert flagged == stored
    for _lang, surface, kind, _value, grouping in rows:
        assert grouping == grouping_of(surface, kind)
    marked = {(lang, value) for lang, _s, _k, value, g in rows if g == "plain_space"}
    assert marked == {("kk", 13_628.4), ("ru", 13_628.4)}
    assert grouping_of("15 000 тенге", "money") == "plain_space"
    assert grouping_of("15\u00a0000 тенге", "money") is None  # a no-break space leaves no doubt
    assert grouping_of("2014 2015", "year") is None
    assert grouping_of("128", "statistic") is None


# The schema's DDL still in the WAL, as a run killed between a migration's
# commit and its checkpoint leaves it (no checkpoint when the process exits).
_DDL_IN_WAL = """
import os, sys, duckdb
from etl.load.warehouse import parse_migrations, schema_sql
bootstrap, migrations = parse_migrations(schema_sql())
con = duckdb.connect(":memory:")
con.execute("ATTACH '" + sys.argv[1] + "' AS w")
con.execute("USE w")
con.execute("SET checkpoint_threshold = '10GB'")
con.execute(bootstrap)
for m in migrations:
    con.execute(m.sql)
os._exit(0)
"""


def test_a_warehouse_with_schema_ddl_in_its_wal_opens_read_only(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    subprocess.run([sys.executable, "-c", _DDL_IN_WAL, str(db)], check=True, timeout=120)
    assert (tmp_path / "warehouse.duckdb.wal").stat().st_size > 0
    # DuckDB opening such a file by path replays the WAL before its own
    # functions are loaded, and asks to download them; the readers attach it.
    for locked in (False, True):
        with load.connect(db, read_only=True, locked=locked) as con:
            assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    res = load.read_only_query(db, "SELECT count(*) AS n FROM figures")
    assert res.rows == [(0,)]
