"""Scanned letters read through OCR (Tesseract, kaz+rus).

Letters from the fixture generator are rasterised to image-only PDFs, with
a scanner's damage (blur, noise, slight rotation, JPEG, 150-300 dpi), and
read back: the same figures and findings as the text letter. Kept to a few
one- and two-page scans: Tesseract costs seconds per page.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from etl import load
from etl.errors import RejectedFile
from etl.extract import ocr_problem
from etl.figures import build_figures
from etl.fixtures.letter import LetterDoc, from_paragraphs, substitute
from etl.fixtures.render import render_pdf
from etl.fixtures.scan import CLEAN, ScanDamage, mixed_pdf, scan_pdf
from etl.models import DocumentResult
from etl.ocr_review import reread_disagreements
from etl.pipeline import process_bytes

# Short appendices in the shape of the letters' statistics paragraphs.
KK = [
    "2016 жылы облыс бойынша 1046 интернет-алаяқтық тіркелді, оның 128-і ашылды, "
    "ал 37 іс бойынша тергеу мерзімі тоқтатылды.",
    "Ағымдағы жылғы 10 айда 83 қылмыс тіркелген, оның ішінде 45-і ашылған, 19 ашылмаған.",
    "Барлығы 596 қызметкер жұмыс істейді, оның 63-і орталық аппаратта.",
]
RU = [
    "В 2016 году по области зарегистрировано 1046 интернет-мошенничеств, из них раскрыто 128, "
    "по 37 делам прерваны сроки расследования.",
    "За 10 месяцев т.г. зарегистрировано 83 преступления, из них раскрыто 45, не раскрыто 19.",
    "Всего работают 596 сотрудников, из них 63 в центральном аппарате.",
]


def _letter() -> LetterDoc:
    return from_paragraphs(kk_appendix=KK, ru_appendix=RU, default_covers=False)


def _read(path: Path, **kw: object) -> DocumentResult:
    return process_bytes(str(path), path.read_bytes(), **kw)  # type: ignore[arg-type]


def _values(result: DocumentResult) -> list[tuple[str, str, float]]:
    return sorted((f.lang, f.kind, f.value * f.scale) for f in result.figures)


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_pdf(_letter(), tmp_path_factory.mktemp("ocr") / "letter.pdf")


@pytest.fixture(scope="module")
def text_result(text_pdf: Path) -> DocumentResult:
    return _read(text_pdf)


@pytest.fixture(scope="module")
def scanned(text_pdf: Path) -> tuple[Path, DocumentResult]:
    """The two-page letter scanned at 200 dpi, skewed, blurred, speckled, JPEG."""
    path = scan_pdf(text_pdf, text_pdf.with_name("scan-200.pdf"), ScanDamage(dpi=200))
    return path, _read(path)


def test_ocr_is_installed_here():
    # CI installs it (.ci/run): the tests below must run, never be skipped.
    assert ocr_problem() is None


def test_a_scan_reads_as_the_text_letter(text_result, scanned):
    path, result = scanned
    assert len(result.letter.ocr_pages) == result.letter.pages == 2
    assert result.findings == []
    assert _values(result) == _values(text_result)
    assert {f.source for f in result.figures} == {"ocr"}
    assert all(f.confidence is not None and 0 <= f.confidence <= 100 for f in result.figures)
    assert {f.source for f in text_result.figures} == {"text"} and text_result.letter.ocr_pages == ()
    # The metadata comes through too (the registration line is in the picture).
    assert result.letter.meta.outgoing_no == text_result.letter.meta.outgoing_no
    # The rotated margin stamp is left out, as in text letters.
    assert not any("Копия" in p.text for p in result.letter.paragraphs)


def test_a_two_column_scan_at_300_dpi(tmp_path):
    text = render_pdf(_letter(), tmp_path / "two.pdf", layout="two_column")
    scan = scan_pdf(text, tmp_path / "two-scan.pdf", ScanDamage(dpi=300, rotate=-0.8, seed=3))
    result = _read(scan)
    assert result.letter.pages == 1 and len(result.letter.ocr_pages) == 1
    assert result.findings == []
    assert _values(result) == _values(_read(text))


def test_an_edited_digit_in_one_language_of_a_scan_is_caught(tmp_path):
    edited = substitute(_letter(), "ru", "appendix", "раскрыто 45", "раскрыто 46")
    text = render_pdf(edited, tmp_path / "edited.pdf")
    scan = scan_pdf(text, tmp_path / "edited-scan.pdf", ScanDamage(dpi=150, rotate=0.4, seed=7))
    # Through the CLI, in a worker process, as CI runs it.
    run = subprocess.run(
        [sys.executable, "-m", "etl", "check", str(scan), "--format", "json", "-j", "2"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        timeout=300,
    )
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert report["documents"][0]["ocr_pages"] == 2
    [finding] = report["findings"]
    assert (finding["status"], finding["kk"]["surface"], finding["ru"]["surface"]) == ("changed", "45-і", "46")
    # The finding says it comes from OCR and shows both confidences.
    assert finding["ocr"] is True
    assert {finding["kk"]["source"], finding["ru"]["source"]} == {"ocr"}
    assert all(isinstance(finding[side]["confidence"], float) for side in ("kk", "ru"))


def test_a_misread_digit_is_read_again_before_it_is_reported(scanned):
    """The first reading of one number is spoilt by hand (as Tesseract may
    misread a 6 for an 8): the re-read of its region, digits only, at a
    higher resolution, sees the printed 128 and the letter stays clean."""
    path, result = scanned
    letter = result.letter
    para = next(p for p in letter.paragraphs if p.lang == "ru" and "раскрыто 128" in p.text)
    spoilt_text = para.text.replace("раскрыто 128", "раскрыто 126")
    words = tuple(replace(w, text="126,") if w.text == "128," and w.page == para.page else w for w in letter.ocr_words)
    assert words != letter.ocr_words
    spoilt = replace(
        letter,
        paragraphs=tuple(replace(p, text=spoilt_text) if p is para else p for p in letter.paragraphs),
        ocr_words=words,
    )
    figures = build_figures(spoilt.sha256, spoilt.paragraphs, spoilt.meta.letter_date)
    assert any(f.surface == "126" for f in figures)
    reread = reread_disagreements(spoilt, figures, path.read_bytes(), None)
    assert reread.findings == []
    fixed = next(p for p in reread.letter.paragraphs if p.lang == "ru" and p.para_no == para.para_no)
    assert "раскрыто 128" in fixed.text
    assert next(f for f in reread.figures if f.lang == "ru" and f.value == 128).confidence is not None


def test_a_mixed_file_ocrs_only_its_scanned_page(text_pdf, text_result, tmp_path):
    mixed = mixed_pdf(text_pdf, tmp_path / "mixed.pdf", scanned=[2], damage=CLEAN)
    result = _read(mixed)
    assert [p.number for p in result.letter.ocr_pages] == [2]
    assert {(f.page, f.source) for f in result.figures} == {(1, "text"), (2, "ocr")}
    assert result.findings == [] and _values(result) == _values(text_result)


def test_never_and_missing_ocr_reject_a_scan_as_before(scanned, monkeypatch):
    path, _ = scanned
    with pytest.raises(RejectedFile) as info:
        _read(path, ocr="never")
    assert info.value.reason == "no_text" and "--ocr auto" in info.value.detail
    # A machine without the OCR extra: the reject names the install command.
    monkeypatch.setitem(sys.modules, "tesserocr", None)
    ocr_problem.cache_clear()
    try:
        with pytest.raises(RejectedFile) as info:
            _read(path)
        assert info.value.reason == "no_text"
        assert "pip install 'kkru-etl[ocr]'" in info.value.detail and "tesseract-ocr-kaz" in info.value.detail
        assert "\n" not in info.value.detail and len(info.value.detail) < 300
    finally:
        ocr_problem.cache_clear()


def test_the_warehouse_says_what_ocr_read(scanned, text_result, tmp_path):
    path, result = scanned
    db = str(tmp_path / "w.duckdb")
    with load.connect(db) as con:
        load.load_document(con, result, size=path.stat().st_size, mtime=1)
        load.load_document(con, text_result, size=1, mtime=1)
        docs = con.execute("SELECT doc_id, ocr_pages FROM documents ORDER BY ocr_pages").fetchall()
        assert [n for _, n in docs] == [0, 2]
        rows = con.execute(
            "SELECT doc_id, source, count(*), count(ocr_confidence), min(ocr_confidence) FROM figures GROUP BY ALL ORDER BY 2"
        ).fetchall()
    assert [(src, n == m) for _, src, n, m, _ in rows] == [("ocr", True), ("text", False)]
    assert rows[0][0] == result.doc_id and rows[0][4] > 0
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM figures WHERE source = 'text' AND ocr_confidence IS NOT NULL").fetchone() == (0,)
