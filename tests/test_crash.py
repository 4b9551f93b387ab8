"""A second process and a hard crash: whole letters only, waits and one-line lock errors.

A real `etl ingest` subprocess is killed with SIGKILL at several moments of a
run; the warehouse must then hold whole letters only, and a run to the end
must leave what a clean run leaves. Another process holding the warehouse
makes `ingest` give up with exit 4 and the holder's PID.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl import load
from etl.cli import main
from etl.fixtures.letter import from_paragraphs
from etl.fixtures.render import render_pdf
from etl.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("documents", "document_paths", "paragraphs", "figures", "figure_pairs", "rejects", "metrics")
N_LETTERS = 6


def small_letter(i: int):
    """Letter i of a series: its own numbers, outgoing number and date."""
    kk = [
        f"Статистикалық мәліметтерге сәйкес 2015 жылы ҚК-нің 7-тарауы бойынша {128 + i} құқық бұзушылық тіркелген "
        f"(ашылғаны – {12 + i}, тергеу мерзімдерінің үзілгені {37 + i} іс бойынша).",
        f"Ағымдағы жылғы 10 айда {83 + i} қылмыстық құқық бұзушылық тіркелген, ашылғаны – {6 + i}, "
        f"ашылмай қалғаны – {19 + i}.",
    ]
    ru = [
        f"Согласно статистическим данным в 2015 году по Главе 7 УК зарегистрировано {128 + i} правонарушений "
        f"(раскрыто – {12 + i}, прерваны сроки расследования по {37 + i} делам).",
        f"За 10 месяцев т.г. зарегистрировано {83 + i} уголовных правонарушения, раскрыто – {6 + i}, "
        f"остаются нераскрытыми – {19 + i}.",
    ]
    return from_paragraphs(
        kk_appendix=kk, ru_appendix=ru, outgoing_no=f"1-3-6-43/{2900 + i}-Д", letter_date=f"{10 + i}.11.2017"
    )


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("letters")
    for i in range(N_LETTERS):
        render_pdf(small_letter(i), folder / f"letter-{i}.pdf")
    return folder


@pytest.fixture(scope="module")
def clean_counts(tmp_path_factory: pytest.TempPathFactory, letters: Path) -> dict[str, int]:
    db = tmp_path_factory.mktemp("clean") / "warehouse.duckdb"
    report = ingest([letters], db, jobs=1)
    assert report.exit_code == 0 and len(report.documents) == N_LETTERS
    return counts(db)


def counts(db: Path) -> dict[str, int]:
    """Rows per table; a table a killed run's migrations had not created yet has none."""
    with load.connect(db, read_only=True) as con:
        have = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] if t in have else 0 for t in TABLES}


def assert_whole_letters_only(db: Path) -> None:
    """Every table agrees with `documents`: no half letter, no orphan row."""
    with load.connect(db, read_only=True) as con:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        if q("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'documents'") == [(0,)]:
            return  # killed before the first migration was committed: no letter yet
        assert q("""
            SELECT d.doc_id FROM documents d
            WHERE d.n_paragraphs <> (SELECT count(*) FROM paragraphs p WHERE p.doc_id = d.doc_id)
               OR d.n_figures <> (SELECT count(*) FROM figures f WHERE f.doc_id = d.doc_id)
               -- every figure sits in exactly one pair
               OR d.n_figures <> (SELECT coalesce(sum((kk_figure_id IS NOT NULL)::INT + (ru_figure_id IS NOT NULL)::INT), 0)
                                  FROM figure_pairs fp WHERE fp.doc_id = d.doc_id)
               OR d.n_findings <> (SELECT count(*) FROM figure_pairs fp WHERE fp.doc_id = d.doc_id AND status <> 'match')
        """) == []
        for table in ("paragraphs", "figures", "figure_pairs", "document_paths"):
            orphans = q(f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT doc_id FROM documents)")
            assert orphans == [(0,)], f"{table} has rows of no document"
        assert q("""
            SELECT count(*) FROM figure_pairs fp
            WHERE (kk_figure_id IS NOT NULL AND kk_figure_id NOT IN (SELECT figure_id FROM figures))
               OR (ru_figure_id IS NOT NULL AND ru_figure_id NOT IN (SELECT figure_id FROM figures))
        """) == [(0,)]
        # A loaded letter is always reachable by the path it was loaded from.
        assert q("SELECT count(*) FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM document_paths)") == [(0,)]


def etl_ingest(folder: Path, db: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "etl", "ingest", str(folder), "--warehouse", str(db), "--jobs", "1", *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# From before the warehouse exists, through migrations, to letters being written.
KILL_AFTER = (0.3, 0.7, 0.9, 1.1, 1.3, 1.6, 2.0)


def test_killed_ingest_leaves_whole_letters_and_a_rerun_completes(tmp_path, letters, clean_counts):
    loaded_when_killed: list[int] = []
    for n, delay in enumerate(KILL_AFTER):
        db = tmp_path / f"run{n}" / "warehouse.duckdb"
        proc = etl_ingest(letters, db)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        if db.exists():
            assert_whole_letters_only(db)
            loaded_when_killed.append(counts(db)["documents"])
        else:
            loaded_when_killed.append(0)
        final = etl_ingest(letters, db)
        out, err = final.communicate(timeout=120)
        assert final.returncode == 0, err
        assert "Traceback" not in err
        assert_whole_letters_only(db)
        assert counts(db) == clean_counts
    print("letters loaded when killed:", loaded_when_killed)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    # A zombie has exited; it waits only for init to reap it.
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads worker processes from Linux /proc")
def test_workers_of_a_killed_ingest_exit(tmp_path, letters):
    proc = etl_ingest(letters, tmp_path / "warehouse.duckdb", "--jobs", "2")
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while not workers and proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        time.sleep(0.02)
    assert workers, "the run ended before it started a worker"
    proc.send_signal(signal.SIGKILL)
    # Would hang if a worker kept the run's stdout open.
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)


# ------------------------------------------------------------ locks


def hold(db: Path, read_only: bool = False) -> subprocess.Popen[str]:
    """Another process with the warehouse open; returns once it is open."""
    ro = ", read_only=True" if read_only else ""
    proc = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}{ro}); print('ready', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def release(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait()


def test_ingest_gives_up_on_a_held_warehouse_naming_the_holder(tmp_path, letters):
    db = tmp_path / "warehouse.duckdb"
    ingest([letters / "letter-0.pdf"], db, jobs=1)
    before = counts(db)
    holder = hold(db)
    try:
        result = CliRunner().invoke(
            main, ["ingest", str(letters), "--warehouse", str(db), "--jobs", "1", "--lock-timeout", "1"]
        )
    finally:
        release(holder)
    assert result.exit_code == 4
    (message,) = result.stderr.splitlines()
    assert message.startswith("etl: warehouse")
    assert "locked" in message and f"process {holder.pid}" in message
    assert "Traceback" not in result.stderr + result.stdout
    assert counts(db) == before
    assert_whole_letters_only(db)


def test_sql_reads_while_another_reader_has_the_warehouse_open(tmp_path, letters):
    db = tmp_path / "warehouse.duckdb"
    ingest([letters / "letter-0.pdf"], db, jobs=1)
    reader = hold(db, read_only=True)
    try:
        result = CliRunner().invoke(main, ["sql", "SELECT count(*) AS n FROM documents", "-w", str(db), "--format", "csv"])
    finally:
        release(reader)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "1"]


# ------------------------------------------------------------ duplicates


def run_ingest(folder: Path, db: Path):
    return CliRunner().invoke(main, ["ingest", str(folder), "--warehouse", str(db), "--jobs", "1"])


def test_same_bytes_under_two_paths_load_once_and_a_changed_file_replaces_its_old_version(tmp_path, letters):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(letters / "letter-0.pdf", raw / "a.pdf")
    shutil.copy(letters / "letter-0.pdf", raw / "copy-of-a.pdf")
    shutil.copy(letters / "letter-1.pdf", raw / "b.pdf")
    db = tmp_path / "warehouse.duckdb"
    assert run_ingest(raw, db).exit_code == 0
    with load.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (2,)
        paths = con.execute(
            "SELECT count(*), count(DISTINCT doc_id) FROM document_paths WHERE path LIKE '%a.pdf'"
        ).fetchone()
        assert paths == (2, 1)
        old_b = con.execute("SELECT doc_id FROM document_paths WHERE path LIKE '%/b.pdf'").fetchone()[0]
    first = counts(db)
    assert run_ingest(raw, db).exit_code == 0
    assert counts(db) == first

    # b.pdf is overwritten by another letter: the old version goes with all its rows.
    shutil.copy(letters / "letter-2.pdf", raw / "b.pdf")
    st = os.stat(raw / "b.pdf")
    os.utime(raw / "b.pdf", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert run_ingest(raw, db).exit_code == 0
    with load.connect(db, read_only=True) as con:
        new_b = con.execute("SELECT doc_id FROM document_paths WHERE path LIKE '%/b.pdf'").fetchone()[0]
        assert new_b != old_b
        for table in ("documents", "paragraphs", "figures", "figure_pairs", "document_paths"):
            assert con.execute(f"SELECT count(*) FROM {table} WHERE doc_id = ?", [old_b]).fetchone() == (0,)
        assert con.execute("SELECT outgoing_no FROM documents WHERE doc_id = ?", [new_b]).fetchone() == (
            "1-3-6-43/2902-Д",
        )
    assert counts(db) == first
    assert_whole_letters_only(db)
