"""What a CI job and an analyst run into on the second day (issue 16), and
the run-level guards of issue 18: SIGTERM, warehouse identity, `etl sql`
locked to the warehouse, errors of the machine named as such."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from etl.scan import scan_paths
from etl.cli import main
from etl.fixtures.letter import substitute
from etl.fixtures.render import render_pdf

from .test_rejects import encrypted, letter

ETL = [sys.executable, "-m", "etl"]


def run(*args: str, **kw: object):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kw)


def env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parent.parent)
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return render_pdf(letter(), tmp_path_factory.mktemp("small") / "small.pdf")


@pytest.fixture(scope="module")
def small_mismatch(tmp_path_factory) -> Path:
    doc = letter()
    kk_first = doc.sections[("ru", "appendix")][-1].text
    number = next(w for w in kk_first.replace(",", " ").split() if w.isdigit())
    doc = substitute(doc, "ru", "appendix", number, str(int(number) + 1))
    return render_pdf(doc, tmp_path_factory.mktemp("mismatch") / "mismatch.pdf")


# ------------------------------------------------------------ 1. re-runs


def test_rerun_over_a_stored_mismatch_still_exits_1(tmp_path, small_mismatch, small):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(small_mismatch, folder / "bad.pdf")
    shutil.copy(small, folder / "good.pdf")
    db = str(tmp_path / "w.duckdb")
    first = run("ingest", str(folder), "-w", db, "-j", "1")
    assert first.exit_code == 1, first.stderr
    again = run("ingest", str(folder), "-w", db, "-j", "1")
    assert again.exit_code == 1
    assert again.stderr == (
        f"stored mismatch {folder}/bad.pdf: skipped (unchanged), its stored status is mismatch; --force re-checks it\n"
    )
    assert again.stdout.rstrip().endswith("2 skipped (unchanged), 1 with stored mismatches")
    # A second path of the same bytes is skipped as a duplicate, with the same stored status.
    shutil.copy(small_mismatch, folder / "bad-copy.pdf")
    third = run("ingest", str(folder), "-w", db, "-j", "1")
    assert third.exit_code == 1
    assert third.stdout.rstrip().endswith("3 skipped (unchanged), 2 with stored mismatches")


def test_rerun_over_clean_letters_exits_0(tmp_path, small):
    db = str(tmp_path / "w.duckdb")
    assert run("ingest", str(small), "-w", db, "-j", "1").exit_code == 0
    again = run("ingest", str(small), "-w", db, "-j", "1")
    assert again.exit_code == 0 and again.stderr == ""
    assert again.stdout.rstrip().endswith("1 skipped (unchanged), 0 with stored mismatches")


# ------------------------------------------------------------ 2. nothing to check


@pytest.mark.parametrize("command", ["check", "ingest"])
def test_no_pdf_found_is_exit_5(tmp_path, command):
    empty = tmp_path / "emptydir"
    empty.mkdir()
    db = tmp_path / "w.duckdb"
    extra = ["-w", str(db)] if command == "ingest" else []
    result = run(command, str(empty), *extra)
    assert result.exit_code == 5
    assert result.stdout == ""
    assert result.stderr == f"etl: no PDF found in {empty}\n"
    (empty / "notes.txt").write_text("not a letter")
    result = run(command, str(empty), *extra)
    assert result.exit_code == 5
    assert result.stderr == f"etl: no PDF found in {empty}; 1 other file(s) left out\n"
    assert not db.exists()


# ------------------------------------------------------------ 3. what a folder scan takes


def test_folder_scan_takes_pdfs_and_names_what_it_left_out(tmp_path, small):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(small, folder / "a.PDF")
    shutil.copy(small, folder / "sub" / "saved-without-extension")
    (folder / "notes.txt").write_text("hello")
    (folder / "Thumbs.db").write_bytes(b"\x00" * 64)
    (folder / "plain").write_text("no extension, not a PDF")
    (folder / ".hidden.pdf").write_bytes(b"junk")
    (folder / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    scan = scan_paths([folder])
    assert scan.files == [str(folder / "a.PDF"), str(folder / "gone.pdf"), str(folder / "sub" / "saved-without-extension")]
    assert scan.left_out == [str(folder / "Thumbs.db"), str(folder / "notes.txt"), str(folder / "plain")]
    result = run("check", str(folder), "-j", "1")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"rejected {folder}/gone.pdf: cannot read file: broken symbolic link (its target {tmp_path}/nowhere.pdf does not exist)",
        "left out 3 file(s) that are not PDFs: Thumbs.db, notes.txt, plain",
    ]
    assert "2 letter(s) checked: 2 clean" in result.stdout
    # A file named on the command line is always read.
    named = run("check", str(folder / "notes.txt"), "-j", "1")
    assert named.exit_code == 3 and named.stderr.startswith(f"rejected {folder}/notes.txt: not a PDF")


# ------------------------------------------------------------ 4. --password and owner-only files


def test_password_run_also_opens_owner_only_files(tmp_path, small):
    folder = tmp_path / "in"
    folder.mkdir()
    encrypted(small, folder / "user.pdf", user="secret")
    encrypted(small, folder / "owner-only.pdf", user="")
    db = str(tmp_path / "w.duckdb")
    result = run("ingest", str(folder), "-w", db, "-j", "1", "--password", "secret")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM document_paths").fetchone()[0] == 2
    wrong = run("check", str(folder / "user.pdf"), "-j", "1", "--password", "nope")
    assert wrong.exit_code == 3
    assert wrong.stderr == f"rejected {folder}/user.pdf: encrypted PDF: the --password given does not open it\n"


# ------------------------------------------------------------ 7. etl sql


def test_sql_cuts_the_table_and_says_how_many_rows_were_left_out(sample_warehouse):
    w = str(sample_warehouse)
    result = run("sql", "SELECT * FROM range(100) AS t(i)", "-w", w)
    assert result.exit_code == 0
    assert result.stderr == "100 rows, 40 shown (60 left out; --limit N or --all for more)\n"
    assert "│ 39 │" in result.stdout and "│ 40 │" not in result.stdout
    five = run("sql", "SELECT * FROM range(100) AS t(i)", "-w", w, "--limit", "5")
    assert five.stderr == "100 rows, 5 shown (95 left out; --limit N or --all for more)\n"
    every = run("sql", "SELECT * FROM range(100) AS t(i)", "-w", w, "--all")
    assert every.stderr == "" and "│ 99 │" in every.stdout
    csv = run("sql", "SELECT * FROM range(100) AS t(i)", "-w", w, "--format", "csv")
    assert csv.stderr == "" and len(csv.stdout.splitlines()) == 101


def test_sql_prints_counts_as_integers(sample_warehouse):
    result = run("sql", "SELECT sum(value) AS total, 128.0::DOUBLE AS c, 2.5::DOUBLE AS half FROM figures WHERE surface = '128' LIMIT 1", "-w", str(sample_warehouse))
    assert result.exit_code == 0, result.stderr
    row = [ln for ln in result.stdout.splitlines() if "128" in ln and "total" not in ln]
    assert row and "128.0" not in row[0] and "│ 128 " in row[0] and "2.5" in row[0]


@pytest.mark.parametrize("query", ["", "   ", ";", "-- only a comment"])
def test_sql_empty_query_is_a_usage_error(sample_warehouse, query):
    result = run("sql", "-w", str(sample_warehouse), "--", query)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.rstrip().endswith(
        ("empty query: give an SQL statement, or '-' to read one from stdin", "etl: empty query: no SQL statement in it")
    )
    assert "internal error" not in result.stderr


def test_sql_reads_stdin_and_writes_jsonl(sample_warehouse):
    result = run("sql", "-", "-w", str(sample_warehouse), "--format", "jsonl", input="SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y' ORDER BY a;\n")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(ln) for ln in result.stdout.splitlines()] == [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]


def test_sql_touches_nothing_but_the_warehouse(tmp_path, sample_warehouse):
    db = tmp_path / "w.duckdb"
    shutil.copy(sample_warehouse, db)
    link = tmp_path / "again.duckdb"
    os.link(db, link)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for query in (
        f"ATTACH '{link}' AS again (READ_WRITE); DELETE FROM again.paragraphs",
        f"COPY documents TO '{tmp_path}/out.csv'",
        f"EXPORT DATABASE '{tmp_path}/export'",
        "SELECT * FROM read_text('/etc/hostname')",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "DELETE FROM paragraphs",
    ):
        result = run("sql", query, "-w", str(db))
        assert result.exit_code == 2, (query, result.stdout)
        assert result.stderr.startswith("etl: ") and result.stderr.count("\n") == 1, result.stderr
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "export").exists()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM paragraphs").fetchone()[0] > 0


# ------------------------------------------------------------ 8. errors of the machine

HAS_NAMESPACES = shutil.which("unshare") is not None


def _in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    # A private mount namespace: a read-only and a tiny tmpfs, as a full or
    # read-only disk, without touching the machine's own mounts.
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, env=env(), timeout=300
    )


def test_read_only_full_and_blocked_warehouse_folders_are_named(tmp_path, sample_pdf):
    assert HAS_NAMESPACES, "unshare (util-linux) is needed: .ci/run installs it"
    ro, full = tmp_path / "ro", tmp_path / "full"
    ro.mkdir()
    full.mkdir()
    etl = " ".join(ETL)
    script = (
        f"mount -t tmpfs -o ro,size=1m tmpfs {ro} && mount -t tmpfs -o size=200k tmpfs {full} && "
        f"{etl} ingest {sample_pdf} -w {ro}/w.duckdb -j 1; echo rc=$? >&2; "
        f"{etl} ingest {sample_pdf} -w {ro}/sub/w.duckdb -j 1; echo rc=$? >&2; "
        f"{etl} ingest {sample_pdf} -w {full}/w.duckdb -j 1; echo rc=$? >&2"
    )
    proc = _in_namespace(script)
    lines = proc.stderr.splitlines()
    assert len(lines) == 6, proc.stderr
    assert lines[0].startswith(f"etl: {ro}/w.duckdb: read-only file system (IOException: ") and lines[1] == "rc=4"
    assert lines[2].startswith(f"etl: {ro}/sub: read-only file system (OSError: ") and lines[3] == "rc=4"
    assert lines[4].startswith(f"etl: {full}/w.duckdb") and "disk full (no space left on device)" in lines[4]
    assert lines[5] == "rc=4"
    assert "internal error" not in proc.stderr
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = run("ingest", str(sample_pdf), "-w", str(blocker / "w.duckdb"), "-j", "1")
    assert result.exit_code == 4
    assert result.stderr.startswith(f"etl: {blocker}: a file stands where a folder is needed (FileExistsError: ")


# ------------------------------------------------------------ warehouse identity (issue 18)


def test_a_database_of_another_program_is_refused_and_left_untouched(tmp_path, small):
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE documents (id INTEGER); INSERT INTO documents VALUES (1)")
    before = hashlib.sha256(other.read_bytes()).hexdigest()
    result = run("ingest", str(small), "-w", str(other), "-j", "1")
    assert result.exit_code == 4
    assert result.stderr == (
        f"etl: {other} is not a kkru-etl warehouse (it holds 1 other table(s) or view(s): documents); "
        "it was left untouched: give --warehouse a new file\n"
    )
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before
    with duckdb.connect(str(other), read_only=True) as con:
        assert [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()] == ["documents"]
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database")
    result = run("ingest", str(small), "-w", str(text), "-j", "1")
    assert result.exit_code == 4
    assert result.stderr == f"etl: {text} is not a DuckDB database file; it was left untouched\n"
    assert text.read_text() == "not a database"
    # A kkru-etl warehouse is recognised (and migrated as before).
    db = tmp_path / "w.duckdb"
    assert run("ingest", str(small), "-w", str(db), "-j", "1").exit_code == 0
    assert run("ingest", str(small), "-w", str(db), "-j", "1", "--force").exit_code == 0


# ------------------------------------------------------------ SIGTERM (issue 18)


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_ends_the_run_with_one_line_and_exit_143(tmp_path, sample_pdf):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        shutil.copy(sample_pdf, folder / f"letter-{i:02}.pdf")
    db = tmp_path / "w.duckdb"
    proc = subprocess.Popen(
        [*ETL, "ingest", str(folder), "-w", str(db), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )
    # Wait for the workers, then stop the run as a scheduler does.
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        workers = _children(proc.pid)
    assert proc.poll() is None and len(workers) >= 2, "the run ended before it could be stopped"
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert err == "etl: terminated (SIGTERM); letters already loaded are complete, the rest will load on the next run\n"
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)]
    # What was loaded is whole: every letter in documents has its paragraphs.
    if db.exists():
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute(
                "SELECT count(*) FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM paragraphs)"
            ).fetchone()[0] == 0
