"""`etl check` keeps of each letter only what its report needs, in every format.

A run over an archive must not hold every letter's paragraphs, figures and
pairs until the end: each letter is slimmed to its metadata, counts and
findings as it comes in (for JUnit, also the name of each matching pair),
and the reports read from that give the same text as from whole letters.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from etl import pipeline, report
from etl.cli import main
from etl.fixtures.letter import delete_row, load_sample, substitute
from etl.fixtures.render import render_pdf
from etl.fixtures.tables import table_letter


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A changed figure, a table row missing in Russian (one finding for three pairs), a clean table letter."""
    folder = tmp_path_factory.mktemp("slim")
    render_pdf(substitute(load_sample(), "ru", "appendix", "128", "129"), folder / "a-edited.pdf")
    render_pdf(delete_row(table_letter(), "ru", "appendix", 1, 1), folder / "b-row.pdf", layout="one_column", backend="reportlab")
    render_pdf(table_letter(), folder / "c-clean.pdf", layout="two_column", backend="fpdf2")
    return folder


@pytest.fixture(scope="module")
def whole(letters: Path):
    return pipeline.check([letters], jobs=1)


def test_slim_letters_keep_no_text_but_every_case_name(whole):
    docs = whole.documents
    assert [Path(d.letter.path).name for d in docs] == ["a-edited.pdf", "b-row.pdf", "c-clean.pdf"]
    assert [len(d.findings) for d in docs] == [1, 1, 0]
    for doc in docs:
        slim = doc.slim(report.case_name)
        assert slim.figures == [] and slim.letter.paragraphs == () and slim.letter.tables == ()
        assert slim.pairs == doc.findings
        assert (slim.n_paragraphs, slim.n_figures, slim.n_pairs) == (doc.n_paragraphs, doc.n_figures, doc.n_pairs)
        assert slim.cases is not None and len(slim.cases) == len(doc.listed_pairs)
        assert [c for c in slim.cases if c is None] == [None] * len(doc.findings)
        assert all(isinstance(c, str) for c in slim.cases if c is not None)
        # Slimming again keeps the names (there are no pairs left to name).
        assert slim.slim(report.case_name).cases == slim.cases


def test_junit_of_slim_letters_is_that_of_whole_letters(letters, whole):
    expected = report.to_junit(whole)
    assert expected.count("<failure") == 2
    result = CliRunner().invoke(main, ["check", str(letters), "--format", "junit", "--jobs", "1"])
    assert result.exit_code == 1, result.stderr
    assert result.stdout == expected + "\n"


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github", "html"])
def test_every_format_keeps_slim_letters(letters, monkeypatch, fmt):
    kept = []
    real = pipeline.check

    def spy(*args, **kwargs):
        rep = real(*args, **kwargs)
        kept.append(rep)
        return rep

    monkeypatch.setattr(pipeline, "check", spy)
    result = CliRunner().invoke(main, ["check", str(letters), "--format", fmt, "--jobs", "1"])
    assert result.exit_code == 1, result.stderr
    (rep,) = kept
    assert len(rep.documents) == 3
    for doc in rep.documents:
        assert doc.counts is not None and doc.figures == [] and doc.letter.paragraphs == ()
        assert (doc.cases is not None) == (fmt == "junit")


def test_a_two_file_letter_is_slimmed_and_its_junit_unchanged(tmp_path):
    from etl.fixtures import render_halves

    edited = substitute(load_sample(), "ru", "appendix", "128", "129")
    kk, ru = render_halves(edited, tmp_path / "letter_kk.pdf", tmp_path / "letter_ru.pdf")
    whole = pipeline.check([], pairs=[(str(kk), str(ru))], jobs=1)
    slim = pipeline.check([], pairs=[(str(kk), str(ru))], jobs=1, slim=True, case_name=report.case_name)
    ((doc,),) = [slim.documents]
    assert doc.counts is not None and doc.figures == [] and doc.cases is not None
    assert len(doc.findings) == 1
    assert report.to_junit(slim) == report.to_junit(whole)
