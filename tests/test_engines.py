"""The pdfium engine reads every test letter exactly as the pdfplumber engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.fixtures.letter import load_sample, substitute
from etl.fixtures.render import render_pdf
from etl.pipeline import process_bytes

from .conftest import RENDERINGS

PRODUCERS = Path(__file__).resolve().parent / "producers"


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


def _assert_same(path: Path) -> None:
    a, b = _both(path)
    assert a.letter.meta == b.letter.meta
    assert a.letter.pages == b.letter.pages
    assert a.letter.paragraphs == b.letter.paragraphs
    assert _figures(a) == _figures(b)
    assert _findings(a) == _findings(b)


@pytest.mark.parametrize("layout,backend", RENDERINGS)
def test_same_on_every_rendering(rendered, layout, backend):
    _assert_same(rendered[(layout, backend)])


@pytest.mark.parametrize("name", sorted(p.name for p in PRODUCERS.glob("*.pdf")))
def test_same_on_other_producers(name):
    _assert_same(PRODUCERS / name)


def test_same_findings_on_an_edited_letter(tmp_path):
    doc = substitute(load_sample(), "kk", "appendix", "1046", "1064")
    path = render_pdf(doc, tmp_path / "edited.pdf", backend="reportlab")
    _assert_same(path)
    assert _findings(_both(path)[1]) == [("changed", "1064", "1046")]
