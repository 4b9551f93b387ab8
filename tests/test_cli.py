"""The command line as users see it: exit codes, stdout vs stderr, formats."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.fixtures.letter import load_sample, substitute
from etl.fixtures.render import render_pdf

TABLES = ("documents", "document_paths", "paragraphs", "figures", "figure_pairs", "rejects")


@pytest.fixture(scope="module")
def edited_pdf(tmp_path_factory) -> Path:
    """The sample with one Russian number changed: 128 -> 129 registered offences."""
    doc = substitute(load_sample(), "ru", "appendix", "128", "129")
    return render_pdf(doc, tmp_path_factory.mktemp("edited") / "edited.pdf")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_help_lists_every_command():
    result = run("--help")
    assert result.exit_code == 0
    for cmd in ("ingest", "check", "show", "sql", "trends", "series"):
        assert f"etl {cmd}" in result.stdout
        sub = run(cmd, "--help")
        assert sub.exit_code == 0 and "Usage:" in sub.stdout


def test_check_clean_sample_exits_0_and_json_parses(sample_pdf):
    result = run("check", str(sample_pdf), "--format", "json", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["findings"] == []
    (doc,) = report["documents"]
    assert doc["outgoing_no"] == "1-3-6-43/2914-Д" and doc["status"] == "clean"


def test_check_edited_letter_reports_both_sentences(edited_pdf):
    result = run("check", str(edited_pdf), "--format", "json", "--jobs", "1")
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["status"] == "changed"
    assert (finding["kk"]["surface"], finding["ru"]["surface"]) == ("128", "129")
    assert "128 құқық бұзушылық тіркелген" in finding["kk"]["context"]
    assert "зарегистрировано 129 правонарушений" in finding["ru"]["context"]
    assert finding["kk"]["page"] >= 3 and finding["ru"]["page"] > finding["kk"]["page"]


def test_check_text_junit_and_github_formats(edited_pdf):
    text = run("check", str(edited_pdf), "--jobs", "1")
    assert text.exit_code == 1
    assert "changed" in text.stdout and "129" in text.stdout and "128" in text.stdout
    junit = run("check", str(edited_pdf), "--format", "junit", "--jobs", "1")
    root = ET.fromstring(junit.stdout)
    failures = root.findall(".//failure")
    assert len(failures) == 1 and failures[0].get("type") == "changed"
    github = run("check", str(edited_pdf), "--format", "github", "--jobs", "1")
    lines = github.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("::error file=")


def test_check_rejected_file_exits_3_with_one_line(tmp_path):
    bad = tmp_path / "letter.pdf"
    bad.write_text("this is not a PDF")
    result = run("check", str(bad), "--jobs", "1")
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert str(bad) in result.stderr and "not a PDF" in result.stderr


def test_mismatch_wins_over_reject(tmp_path, edited_pdf):
    (tmp_path / "empty.pdf").write_bytes(b"")
    shutil.copy(edited_pdf, tmp_path / "edited.pdf")
    result = run("check", str(tmp_path), "--format", "json", "--jobs", "1")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [r["reason"] for r in report["rejects"]] == ["empty"]
    assert "empty" in result.stderr


def test_ingest_twice_changes_nothing_and_sql_reads(tmp_path, sample_pdf):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(sample_pdf, raw / sample_pdf.name)
    db = tmp_path / "w" / "warehouse.duckdb"
    first = run("ingest", str(raw), "--warehouse", str(db), "--jobs", "1")
    assert first.exit_code == 0, first.stderr
    assert "letters" in first.stdout and "figures" in first.stdout
    before = counts(db)
    assert before["documents"] == 1 and before["figures"] > 300
    second = run("ingest", str(raw), "--warehouse", str(db), "--jobs", "1")
    assert second.exit_code == 0
    assert counts(db) == before
    forced = run("ingest", str(raw), "--warehouse", str(db), "--jobs", "1", "--force")
    assert forced.exit_code == 0
    assert counts(db) == before

    out = run("sql", "--warehouse", str(db), "--format", "csv", "SELECT outgoing_no, letter_date, inquiry_no, inquiry_date FROM documents")
    assert out.exit_code == 0
    assert out.stdout.splitlines()[1] == "1-3-6-43/2914-Д,2017-11-13,ДЗ-256,2017-10-25"


def test_ingest_mismatch_is_loaded_and_flagged(tmp_path, edited_pdf):
    db = tmp_path / "warehouse.duckdb"
    result = run("ingest", str(edited_pdf), "--warehouse", str(db), "--jobs", "1")
    assert result.exit_code == 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status, n_findings FROM documents").fetchall() == [("mismatch", 1)]
        rows = con.execute("SELECT status, kk_surface, ru_surface FROM mismatches").fetchall()
    assert rows == [("changed", "128", "129")]


def test_sql_bad_query_and_missing_warehouse(tmp_path, sample_warehouse):
    bad = run("sql", "--warehouse", str(sample_warehouse), "SELECT nope FROM documents")
    assert bad.exit_code == 2
    assert "nope" in bad.stderr and bad.stdout == ""
    write = run("sql", "--warehouse", str(sample_warehouse), "DELETE FROM documents")
    assert write.exit_code == 2
    missing = run("sql", "--warehouse", str(tmp_path / "none.duckdb"), "SELECT 1")
    assert missing.exit_code == 2 and "etl ingest" in missing.stderr


def test_sql_json_format(sample_warehouse):
    result = run("sql", "--warehouse", str(sample_warehouse), "--format", "json", "SELECT pages, status FROM documents")
    assert json.loads(result.stdout) == [{"pages": 22, "status": "clean"}]


def test_show_prints_pairs_side_by_side(sample_pdf):
    result = run("show", str(sample_pdf))
    assert result.exit_code == 0
    assert "45-тен" in result.stdout and "875-де" in result.stdout
    assert "1-3-6-43/2914-Д" in result.stdout


def test_trends_command(tmp_path, sample_warehouse):
    result = run("trends", "internet_fraud_registered", "--warehouse", str(sample_warehouse), "--plot", str(tmp_path / "c.svg"))
    assert result.exit_code == 0, result.stderr
    assert "1 046" in result.stdout and "1 694" in result.stdout and "10 mo" in result.stdout
    assert (tmp_path / "c.svg").read_text().lstrip().startswith("<?xml")
    unknown = run("trends", "no_such_metric", "--warehouse", str(sample_warehouse))
    assert unknown.exit_code == 2 and "internet_fraud_registered" in unknown.stderr


def test_subprocess_exit_codes_and_json(sample_pdf, edited_pdf):
    etl = [sys.executable, "-m", "etl"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    clean = subprocess.run([*etl, "check", str(sample_pdf), "--format", "json"], capture_output=True, text=True, env=env)
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["findings"] == []
    bad = subprocess.run([*etl, "check", str(edited_pdf), "--format", "json"], capture_output=True, text=True, env=env)
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["findings"][0]["status"] == "changed"
    assert "Traceback" not in bad.stderr


def test_show_findings_of_a_clean_letter_is_one_line(sample_pdf):
    result = run("show", str(sample_pdf), "--findings")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith(str(sample_pdf))
    assert lines[1] == "no findings: all 161 figure pair(s) match"
