"""Two-file letters: a Kazakh-only and a Russian-only file read as one letter."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.extract import pair_id
from etl.fixtures import load_sample, render_halves, render_pdf, substitute
from etl.pipeline import check, ingest, process_bytes

from .test_gate_pdfs import CASES as GATE_CASES


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _figures(result):
    # Pages count within each file of a two-file letter, so they are left out.
    return [(f.lang, f.part, f.para_no, f.surface, f.value, f.scale, f.kind, f.metric, f.period_start, f.period_end)
            for f in result.figures]


def _findings(result):
    return [(p.status, p.kk.surface if p.kk else None, p.ru.surface if p.ru else None) for p in result.findings]


@pytest.fixture(scope="module")
def halves(tmp_path_factory) -> tuple[Path, Path]:
    """The sample letter as two files, in a folder of their own."""
    out = tmp_path_factory.mktemp("halves")
    return render_halves(load_sample(), out / "letter_kk.pdf", out / "letter_ru.pdf")


def _copy(src: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return dest


def test_each_half_alone_is_one_language(halves):
    kk, ru = halves
    rep = check([kk])
    assert not rep.documents and not rep.rejects
    assert [(w.path, w.lang, w.outgoing_no) for w in rep.waiting] == [(str(kk), "kk", "1-3-6-43/2914-Д")]
    assert rep.exit_code == 0


def test_two_files_with_one_registration_line_are_one_letter(halves, sample_pdf):
    kk, ru = halves
    rep = check([kk.parent])
    assert not rep.rejects and not rep.waiting
    [doc] = rep.documents
    assert doc.doc_id == pair_id(_sha(kk), _sha(ru))
    assert doc.letter.path == str(kk)
    one = process_bytes(str(sample_pdf), sample_pdf.read_bytes())
    assert doc.letter.meta == one.letter.meta
    assert [(p.lang, p.part, p.para_no, p.text) for p in doc.letter.paragraphs] == [
        (p.lang, p.part, p.para_no, p.text) for p in one.letter.paragraphs
    ]
    assert _figures(doc) == _figures(one)
    assert _findings(doc) == _findings(one) == []


@pytest.mark.parametrize(
    "lang,old,new",
    [("kk", "1046", "1064"), ("ru", "128", "129"), ("ru", "14 млн.", "14 млрд")],
)
def test_an_edit_in_either_file_is_caught_as_in_one_file(tmp_path, lang, old, new):
    doc = substitute(load_sample(), lang, "appendix", old, new)
    kk, ru = render_halves(doc, tmp_path / "a" / "kk.pdf", tmp_path / "a" / "ru.pdf")
    whole = render_pdf(doc, tmp_path / "whole.pdf")
    [two] = check([kk, ru]).documents
    one = process_bytes(str(whole), whole.read_bytes())
    assert _findings(two) == _findings(one)
    assert _findings(two), "the edit must be found"
    assert _figures(two) == _figures(one)


def test_files_named_together_pair_without_a_shared_registration_line(tmp_path, halves):
    kk, _ = halves
    # The Russian file carries another outgoing number: not paired by itself.
    ru_doc = replace(load_sample(), outgoing_no="1-3-6-43/2915-Д")
    _, ru = render_halves(ru_doc, tmp_path / "x_kk.pdf", tmp_path / "x_ru.pdf")
    alone = check([kk, ru])
    assert not alone.documents and len(alone.waiting) == 2
    [doc] = check([], pairs=[(str(kk), str(ru))]).documents
    assert doc.doc_id == pair_id(_sha(kk), _sha(ru))
    assert not doc.findings


def test_two_files_of_one_language_named_together_are_rejected(tmp_path, halves):
    kk, _ = halves
    other = _copy(kk, tmp_path / "copy_kk.pdf")
    rep = check([], pairs=[(str(kk), str(other))])
    assert not rep.documents and not rep.waiting
    assert sorted(r.path for r in rep.rejects) == sorted([str(kk), str(other)])
    assert all("both files are Kazakh only" in r.detail for r in rep.rejects)


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_first_half_waits_and_the_letter_loads_when_the_other_comes(tmp_path, halves):
    kk = _copy(halves[0], tmp_path / "monday" / "letter_kk.pdf")
    ru = _copy(halves[1], tmp_path / "tuesday" / "letter_ru.pdf")
    db = tmp_path / "wh.duckdb"
    first = ingest([kk.parent], db, jobs=1)
    assert first.exit_code == 0 and not first.documents and not first.rejects
    assert [w.path for w in first.waiting] == [str(kk)] and first.waiting[0].since is not None
    assert _rows(db, "SELECT path, lang, outgoing_no FROM pending_halves") == [(str(kk), "kk", "1-3-6-43/2914-Д")]
    assert _rows(db, "SELECT count(*) FROM documents") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM rejects") == [(0,)]
    # The next day only the Russian file is named: the waiting half is read again.
    second = ingest([ru.parent], db, jobs=1)
    assert second.exit_code == 0 and not second.waiting and not second.rejects
    [doc] = second.documents
    assert doc.doc_id == pair_id(_sha(kk), _sha(ru))
    assert _rows(db, "SELECT doc_id, path FROM documents") == [(doc.doc_id, str(kk))]
    assert _rows(db, "SELECT path, doc_id FROM document_paths ORDER BY path") == sorted(
        [(str(kk), doc.doc_id), (str(ru), doc.doc_id)]
    )
    assert _rows(db, "SELECT count(*) FROM pending_halves") == [(0,)]
    n_figures = _rows(db, "SELECT count(*) FROM figures")
    assert n_figures[0][0] == doc.n_figures > 300
    # A re-run over both folders skips both files and changes nothing.
    third = ingest([kk.parent, ru.parent], db, jobs=1)
    assert sorted(third.skipped) == sorted([str(kk), str(ru)]) and not third.documents and not third.waiting
    assert _rows(db, "SELECT count(*) FROM figures") == n_figures


def test_a_waiting_half_whose_file_went_is_forgotten(tmp_path, halves):
    kk = _copy(halves[0], tmp_path / "in" / "letter_kk.pdf")
    db = tmp_path / "wh.duckdb"
    ingest([kk], db, jobs=1)
    kk.unlink()
    other = _copy(halves[1], tmp_path / "later" / "letter_ru.pdf")
    rep = ingest([other], db, jobs=1)
    assert [w.path for w in rep.waiting] == [str(other)]
    assert _rows(db, "SELECT path FROM pending_halves") == [(str(other),)]


def test_cli_lists_a_lone_half_and_pairs_by_hand(tmp_path, halves):
    kk, ru = halves
    lone = CliRunner().invoke(main, ["check", str(kk)], catch_exceptions=False)
    assert lone.exit_code == 0
    assert "waiting" in lone.stderr and "Kazakh half" in lone.stderr and "--pair" in lone.stderr
    db = tmp_path / "wh.duckdb"
    res = CliRunner().invoke(main, ["ingest", "-w", str(db), "-j", "1", "--pair", str(kk), str(ru)], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    assert _rows(db, "SELECT count(*) FROM document_paths") == [(2,)]
    usage = CliRunner().invoke(main, ["check"])
    assert usage.exit_code == 2


def test_files_named_both_in_a_folder_and_with_pair_make_one_letter(halves):
    kk, ru = halves
    rep = check([kk.parent], pairs=[(os.path.relpath(kk), os.path.relpath(ru))])
    assert len(rep.documents) == 1 and not rep.waiting and not rep.rejects


@pytest.mark.parametrize("case", GATE_CASES, ids=[c.name for c in GATE_CASES])
def test_every_kind_of_edit_is_caught_in_a_two_file_letter(tmp_path, case):
    # The edit cases of the one-file gate, each through a pair of files.
    backend = ("fpdf2", "reportlab")[GATE_CASES.index(case) % 2]
    doc = substitute(load_sample(), case.lang, case.part, case.old, case.new)
    kk, ru = render_halves(doc, tmp_path / "kk.pdf", tmp_path / "ru.pdf", backend=backend)
    [letter] = check([kk, ru]).documents
    got = sorted(_findings(letter))
    if case.name == "date":
        expected = [("changed", "2017 жылғы 25 қазандағы", "26 октября 2017 года")]
    else:
        expected = sorted(case.expected)
    assert got == expected
