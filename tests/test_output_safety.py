"""Text from data (letter text, file names, metadata, query results) prints as written.

Issue 16 item 6 and issue 18 item 4: no rich markup, no emoji codes, no raw
control characters or bidi overrides on the terminal; JUnit XML stays
well-formed; a failure while printing a report keeps the run's exit code.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl import pipeline, report
from etl.cli import main
from etl.fixtures.letter import from_paragraphs
from etl.fixtures.render import render_pdf
from etl.report.safe import json_text, literal

# Markup, an emoji code, a hyperlink tag and a right-to-left override in the
# letter's own sentences; 45 (kk) against 46 (ru) makes a finding.
KK = (
    "Былтыр [bold]128[/bold] :x: құқық бұзушылық тіркелді, оның 45 ісі [/] ашылды "
    "[link=http://e.x]сілтеме[/link] \u202eсоңы."
)
RU = (
    "В прошлом году [bold]128[/bold] :x: правонарушений зарегистрировано, из них 46 дел [/] раскрыто "
    "[link=http://e.x]ссылка[/link] \u202eконец."
)
# A file name with a closing tag, a style, a title-setting escape sequence and an RLO.
HOSTILE_NAME = "[/x]close [bold red]x[/] \x1b]0;owned\x07 \u202efdp.pdf"


def run(*args: str, **kw: object):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kw)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    doc = from_paragraphs(outgoing_no="1-3-[/x]43/2914", kk_appendix=[KK], ru_appendix=[RU])
    return render_pdf(doc, folder / HOSTILE_NAME)


def shown(path: Path) -> str:
    """How the hostile path must print: the escapes written out by hand."""
    return str(path).replace("\x1b", "\\x1b").replace("\x07", "\\x07").replace("\u202e", "\\u202e")


def assert_no_raw_controls(text: str) -> None:
    for ch in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert ch not in text, repr(ch)


def test_literal_shows_controls_and_bidi_as_escapes():
    assert literal("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert literal("\u202efdp.pdf") == "\\u202efdp.pdf"
    assert literal("x\x9by") == "x\\x9by"
    assert literal("two\nlines") == "two\\nlines"
    assert literal("two\nlines", multiline=True) == "two\nlines"
    # Markup is plain text here; the consoles never parse it.
    assert literal("[bold]x[/]") == "[bold]x[/]"


def test_json_text_parses_back_to_the_same_data():
    data = {"p": "\x1b\u202e\x9b[/]"}
    text = json_text(data)
    assert_no_raw_controls(text)
    assert json.loads(text) == data


def test_check_text_report_prints_letter_text_and_names_literally(hostile):
    result = run("check", str(hostile), "--jobs", "1")
    assert result.exit_code == 1, result.stderr
    out = result.stdout
    for token in ("[bold]128[/bold]", ":x:", "[/]", "[link=http://e.x]", "\\u202e", "[/x]close", "\\x1b]0;owned\\x07"):
        assert token in out, token
    assert "❌" not in out
    assert_no_raw_controls(out + result.stderr)
    assert out.rstrip().endswith("1 letter(s) checked: 0 clean, 1 with mismatches (1 finding(s)), 0 rejected.")


def test_show_prints_metadata_and_name_literally(hostile):
    result = run("show", str(hostile))
    assert result.exit_code == 1, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == f"{shown(hostile)}  № 1-3-[/x]43/2914 of 2017-11-13, answering ДЗ-256 of 2017-10-25; 4 pages"
    assert_no_raw_controls(result.stdout)


def test_ingest_of_a_hostile_name_keeps_exit_1_and_prints_the_report(tmp_path, hostile):
    result = run("ingest", str(hostile), "-w", str(tmp_path / "w.duckdb"), "-j", "1")
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""
    assert "[/x]close" in result.stdout and "kkru-etl ingest" in result.stdout
    assert_no_raw_controls(result.stdout)


def test_rejected_hostile_name_is_one_literal_line(tmp_path):
    bad = tmp_path / "[bold red]x[/] \x1b[2J\u202e.pdf"
    # "/" of a closing tag makes folders on the way: a path with markup in it.
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"not a pdf at all")
    result = run("check", str(bad), "--jobs", "1")
    assert result.exit_code == 3
    assert result.stderr == (
        f"rejected {tmp_path}/[bold red]x[/] \\x1b[2J\\u202e.pdf: not a PDF (no %PDF- header)\n"
    )


def test_junit_is_well_formed_with_control_characters_in_names_and_text(tmp_path, hostile):
    result = run("check", str(hostile), "--format", "junit", "--jobs", "1")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == shown(hostile)
    # Three ESC and a bell inside the sentences themselves (a text layer can carry them).
    rep = pipeline.check([hostile], jobs=1)
    (doc,) = rep.documents
    (pair,) = doc.findings
    kk = dataclasses.replace(pair.kk, context="\x1b[2J\x1b]0;t\x07\x1b[31m" + pair.kk.context)
    doc.pairs[doc.pairs.index(pair)] = dataclasses.replace(pair, kk=kk)
    xml = report.to_junit(rep)
    root = ET.fromstring(xml)
    failure = root.find(".//failure")
    assert failure is not None and failure.text.startswith("kk: \\x1b[2J\\x1b]0;t\\x07\\x1b[31m")
    gh = report.to_github(rep)
    assert_no_raw_controls(gh)
    assert "::error file=" in gh and "\\x1b[2J" in gh


def test_github_and_json_formats_carry_no_raw_escapes(hostile):
    gh = run("check", str(hostile), "--format", "github", "--jobs", "1")
    assert gh.exit_code == 1
    assert gh.stdout.startswith("::error file=") and gh.stdout.count("\n") == 1
    assert_no_raw_controls(gh.stdout)
    js = run("check", str(hostile), "--format", "json", "--jobs", "1")
    assert js.exit_code == 1
    assert_no_raw_controls(js.stdout)
    # The data itself is intact once parsed.
    assert json.loads(js.stdout)["documents"][0]["path"] == str(hostile)


def test_sql_results_print_literally(sample_warehouse):
    emoji = run("sql", "select ':x: [bold]hi[/bold]' AS s", "-w", str(sample_warehouse))
    assert emoji.exit_code == 0 and emoji.stderr == ""
    assert ":x: [bold]hi[/bold]" in emoji.stdout and "❌" not in emoji.stdout
    close = run("sql", "select '[/]' AS s", "-w", str(sample_warehouse))
    assert close.exit_code == 0, close.stderr
    assert "[/]" in close.stdout
    esc = run("sql", "select chr(27) || '[2J' || chr(8238) || 'x' AS \"[/y]\"", "-w", str(sample_warehouse))
    assert esc.exit_code == 0, esc.stderr
    assert "\\x1b[2J\\u202ex" in esc.stdout and "[/y]" in esc.stdout
    assert_no_raw_controls(esc.stdout)


def test_bad_query_message_is_literal(sample_warehouse):
    result = run("sql", "select [/] from \x1b[2J", "-w", str(sample_warehouse))
    assert result.exit_code == 2
    assert result.stderr.startswith("etl: Parser Error: ")
    assert_no_raw_controls(result.stderr)
    assert result.stderr.count("\n") == 1


def test_a_crash_while_printing_keeps_the_runs_exit_code(tmp_path, hostile, monkeypatch):
    def broken(doc):
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(report, "findings_table", broken)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(hostile, folder / "letter.pdf")
    result = run("ingest", str(folder), "-w", str(tmp_path / "w.duckdb"), "-j", "1")
    assert result.exit_code == 1
    assert result.stderr == "etl: could not print the report (RuntimeError: renderer bug); exit code of the run: 1\n"


def test_progress_bar_on_a_terminal_prints_a_hostile_name_literally(tmp_path, hostile):
    """The bar shows each file's name; on a real terminal (a pty) it must not parse it."""
    import os
    import pty
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    # A base name holds no "/", so no closing tag: an opening one would style and hide itself.
    shutil.copy(hostile, folder / "[blink]x[reverse]y \x1b]0;t\x07.pdf")
    master, slave = pty.openpty()
    root = str(Path(__file__).resolve().parent.parent)
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "check", str(folder), "-j", "1"],
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**os.environ, "PYTHONPATH": root, "COLUMNS": "200", "TERM": "xterm"},
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    out, _ = proc.communicate(timeout=120)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 1, shown
    assert "Traceback" not in shown and "MarkupError" not in shown
    # Rich's own colour codes are there; the name's title-setting sequence is not.
    assert "[blink]x[reverse]y \\x1b]0;t\\x07.pdf" in shown
    assert "\x1b]0;t\x07" not in shown
    assert "\x1b]0;t\x07" not in out.decode()
