"""The pdfium engine reads every test letter exactly as the pdfplumber engine.

Every rendering of the fixture generator, every producer PDF (one column,
side by side on every page, side by side on the cover only, browser and
word-processor prints) and every two-file letter: the same paragraphs,
figures and findings from both engines, and on a clean letter no finding and
every figure of the sample read.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from etl.fixtures import render_halves
from etl.fixtures.letter import load_sample, substitute
from etl.fixtures.render import render_pdf
from etl.fixtures.tables import table_letter
from etl.pipeline import check, process_bytes

from .conftest import RENDERINGS

PRODUCERS = Path(__file__).resolve().parent / "producers"
TWO_FILES = PRODUCERS / "two-files"


def _both(path: Path):
    data = path.read_bytes()
    return (
        process_bytes(str(path), data, engine="pdfplumber"),
        process_bytes(str(path), data, engine="pdfium"),
    )


def _figures(result):
    return [(f.lang, f.part, f.para_no, f.page, f.surface, f.value, f.scale, f.kind, f.metric) for f in result.figures]


def _findings(result):
    return [(p.status, p.kk.surface if p.kk else None, p.ru.surface if p.ru else None) for p in result.findings]


def _read(result):
    """What was read, whatever the layout: each figure's language, part, surface and value."""
    return Counter((f.lang, f.part, f.surface, f.value, f.scale, f.kind) for f in result.figures)


@pytest.fixture(scope="module")
def reference(sample_pdf):
    return process_bytes(str(sample_pdf), sample_pdf.read_bytes(), engine="pdfplumber")


def _assert_same(a, b) -> None:
    assert a.letter.meta == b.letter.meta
    assert a.letter.pages == b.letter.pages
    assert a.letter.paragraphs == b.letter.paragraphs
    assert _figures(a) == _figures(b)
    assert _findings(a) == _findings(b)


def _assert_clean(result, reference) -> None:
    assert _findings(result) == []
    assert _read(result) == _read(reference)


@pytest.mark.parametrize("layout,backend", RENDERINGS)
def test_same_on_every_rendering(rendered, reference, layout, backend):
    a, b = _both(rendered[(layout, backend)])
    _assert_same(a, b)
    _assert_clean(b, reference)


@pytest.mark.parametrize("backend", ["fpdf2", "reportlab"])
def test_same_on_a_cover_side_by_side(tmp_path, reference, backend):
    path = render_pdf(load_sample(), tmp_path / "cover.pdf", layout="two_column_cover", backend=backend)
    a, b = _both(path)
    _assert_same(a, b)
    _assert_clean(b, reference)


@pytest.fixture(scope="module")
def table_reference(tmp_path_factory):
    """The letter with tables the tables-*.pdf producer files print, as the fixture generator renders it."""
    path = render_pdf(table_letter(long_rows=60), tmp_path_factory.mktemp("tables") / "tables.pdf")
    return process_bytes(str(path), path.read_bytes(), engine="pdfplumber")


@pytest.mark.parametrize("name", sorted(p.name for p in PRODUCERS.glob("*.pdf")))
def test_same_on_other_producers(reference, table_reference, name):
    a, b = _both(PRODUCERS / name)
    _assert_same(a, b)
    _assert_clean(b, table_reference if name.startswith("tables-") else reference)


def _pair(kk: Path, ru: Path, engine: str):
    rep = check([], pairs=[(str(kk), str(ru))], engine=engine)  # type: ignore[arg-type]
    assert not rep.rejects and not rep.waiting
    [doc] = rep.documents
    return doc


@pytest.mark.parametrize("producer", ["browser", "writer"])
def test_same_on_two_file_prints(reference, producer):
    kk, ru = TWO_FILES / f"sample-{producer}-kk.pdf", TWO_FILES / f"sample-{producer}-ru.pdf"
    a, b = _pair(kk, ru, "pdfplumber"), _pair(kk, ru, "pdfium")
    _assert_same(a, b)
    _assert_clean(b, reference)


@pytest.mark.parametrize("layout,backend", RENDERINGS)
def test_same_on_two_file_renderings(tmp_path, reference, layout, backend):
    kk, ru = render_halves(load_sample(), tmp_path / "kk.pdf", tmp_path / "ru.pdf", layout=layout, backend=backend)
    a, b = _pair(kk, ru, "pdfplumber"), _pair(kk, ru, "pdfium")
    _assert_same(a, b)
    _assert_clean(b, reference)


@pytest.mark.parametrize("layout", ["one_column", "two_column"])
def test_same_findings_on_an_edited_letter(tmp_path, layout):
    doc = substitute(load_sample(), "kk", "appendix", "1046", "1064")
    path = render_pdf(doc, tmp_path / "edited.pdf", layout=layout, backend="reportlab")
    a, b = _both(path)
    _assert_same(a, b)
    assert _findings(b) == [("changed", "1064", "1046")]
