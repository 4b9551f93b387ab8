"""Tables: found on the page by both engines, read cell by cell, compared kk with ru.

Letters with ruled, borderless and page-spanning tables are rendered by the
fixture generator (both producers, both layouts); tests edit one cell, delete
a row or swap two cells in one language and check that exactly that is
reported.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from etl.extract import extract_letter
from etl.figures.cells import build_cell_figures, cell_value, scale_unit
from etl.fixtures.letter import (
    LetterDoc,
    delete_row,
    edit_cell,
    from_paragraphs,
    swap_cells,
    without_section,
)
from etl.fixtures.tables import TITLES, table_letter
from etl.fixtures.render import render_pdf
from etl.models import Table
from etl.pipeline import ingest, process_bytes
from etl.report import to_github, to_json, to_junit
from etl.models import RunReport

from .conftest import RENDERINGS

ENGINES = ("pdfium", "pdfplumber")

_TITLE = TITLES


def _render(doc: LetterDoc, tmp_path: Path, layout: str, backend: str, name: str = "t") -> Path:
    return render_pdf(doc, tmp_path / f"{name}-{layout}-{backend}.pdf", layout=layout, backend=backend)


def _source_tables(doc: LetterDoc, lang: str) -> list[list[list[str]]]:
    return [b.cells for b in doc.section(lang, "appendix") if b.style in ("table", "table_plain")]  # type: ignore[arg-type]


def _read(t: Table) -> list[list[str]]:
    return [list(t.header)] + [list(r) for r in t.rows]


# ------------------------------------------------------------------ finding


@pytest.fixture(scope="module")
def long_letters(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("tables")
    doc = table_letter(long_rows=60)
    return {(layout, backend): _render(doc, out, layout, backend, "long") for layout, backend in RENDERINGS}


@pytest.mark.parametrize("layout,backend", RENDERINGS)
def test_every_cell_read_by_both_engines(long_letters: dict[tuple[str, str], Path], layout: str, backend: str) -> None:
    path = long_letters[(layout, backend)]
    doc = table_letter(long_rows=60)
    data = path.read_bytes()
    letters = [extract_letter(str(path), data, engine=engine) for engine in ENGINES]
    assert letters[0].tables == letters[1].tables
    assert letters[0].paragraphs == letters[1].paragraphs
    letter = letters[0]
    for lang in ("kk", "ru"):
        found = [t for t in letter.tables if t.lang == lang]
        # Cell recall 100 %: every table, every cell, as printed.
        assert [_read(t) for t in found] == _source_tables(doc, lang)
        assert [t.ruled for t in found] == [True, False, True]
        assert all(t.part == "appendix" for t in found)
        assert [t.table_no for t in found] == [1, 2, 3]
        # The long table runs over a page break and stays one table; its
        # rows keep their own pages.
        assert len(found[2].pages) >= 2
        assert found[2].row_pages[0] == found[2].page < found[2].row_pages[-1] == found[2].pages[-1]
        assert found[0].title == _TITLE[lang]
    # Table text never becomes a paragraph.
    text = " ".join(p.text for p in letter.paragraphs)
    for needle in ("401 066", "426 824", "Ет өндірісі", "Молоко", "Регион 7"):
        assert needle not in text
    assert any("15" in p.text for p in letter.paragraphs)


@pytest.mark.parametrize("layout,backend", RENDERINGS)
def test_clean_letter_with_tables_has_no_finding(
    long_letters: dict[tuple[str, str], Path], layout: str, backend: str
) -> None:
    path = long_letters[(layout, backend)]
    for engine in ENGINES:
        result = process_bytes(str(path), path.read_bytes(), engine=engine)
        assert result.findings == []
        cells = [f for f in result.figures if f.table_no is not None]
        # 4 rows x 3 years minus "-" and "х", twice, plus 60 x 2: per language.
        assert len(cells) == 2 * (2 * 10 + 60 * 2)
        # Running text still reads and pairs.
        assert any(f.table_no is None and f.value == 15 for f in result.figures)


def test_paragraphs_are_not_tables(sample_pdf: Path) -> None:
    letter = extract_letter(str(sample_pdf), sample_pdf.read_bytes())
    assert letter.tables == ()


def test_prose_with_numbers_is_not_a_table(tmp_path: Path) -> None:
    kk = ["2019 жылы 128 іс, 2020 жылы 140 іс, 2021 жылы 152 іс тіркелді.", "| Министр             Қ. Қасымов"]
    ru = ["В 2019 году зарегистрировано 128 дел, в 2020 году 140, в 2021 году 152.", "| Министр             К. Касымов"]
    doc = from_paragraphs(kk_appendix=kk, ru_appendix=ru)
    for layout, backend in RENDERINGS:
        path = _render(doc, tmp_path, layout, backend)
        for engine in ENGINES:
            assert extract_letter(str(path), path.read_bytes(), engine=engine).tables == ()


# ---------------------------------------------------------------- cells


def test_cell_values_scales_units_and_periods() -> None:
    assert cell_value("3 412,6") == (3412.6, False)
    assert cell_value("12,5 %") == (12.5, True)
    for empty in ("", "-", "–", "х", "x", "…"):
        assert cell_value(empty) is None
    assert scale_unit(["Сүт өнімі", "2021", "мың тонна"]) == (1000.0, "t")
    assert scale_unit(["", "тыс. тонн"]) == (1000.0, "t")
    assert scale_unit(["млн теңге"]) == (1e6, "KZT")
    assert scale_unit(["млн тенге"]) == (1e6, "KZT")
    t = Table("kk", "appendix", 1, 3, "Өнім, мың тонна", ("Көрсеткіш", "2021", "2017"), (("Астық", "3 412,6", "-"), ("Ақша, млн теңге", "5", "х")))
    figs = build_cell_figures("a" * 64, [t], date(2017, 11, 13))
    assert [(f.value, f.scale, f.unit, f.kind, f.row_no, f.col_no) for f in figs] == [
        (3412.6, 1000.0, "t", "statistic", 1, 2),
        (5.0, 1e6, "KZT", "money", 2, 2),
    ]
    assert figs[0].period_start == date(2021, 1, 1) and figs[0].period_end == date(2021, 12, 31)
    assert figs[0].row_label == "Астық" and figs[0].col_label == "2021"


# ---------------------------------------------------------------- compare


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("edits")


def _check(doc: LetterDoc, tmp: Path, name: str, layout: str = "one_column", backend: str = "fpdf2"):
    path = _render(doc, tmp, layout, backend, name)
    results = [process_bytes(str(path), path.read_bytes(), engine=engine) for engine in ENGINES]
    keys = [[(p.status, p.scope, p.kk.figure_id if p.kk else None, p.ru.figure_id if p.ru else None) for p in r.findings] for r in results]
    assert keys[0] == keys[1]
    return results[0]


@pytest.mark.parametrize("layout,backend", [("one_column", "reportlab"), ("two_column", "fpdf2")])
def test_one_changed_cell_is_one_finding(small: Path, layout: str, backend: str) -> None:
    doc = edit_cell(table_letter(), "ru", "appendix", 0, 2, 3, "15")  # Мясо / 2021: 14 -> 15
    result = _check(doc, small, "edit", layout, backend)
    assert len(result.findings) == 1
    pair = result.findings[0]
    assert pair.status == "changed" and pair.scope == "cell"
    assert pair.kk and pair.ru
    assert (pair.kk.row_label, pair.ru.row_label, pair.kk.col_label, pair.ru.col_label) == ("Ет өндірісі", "Мясо", "2021", "2021")
    assert (pair.kk.value, pair.ru.value) == (14, 15)
    report = RunReport(documents=[result])
    assert "table 1, row «Ет өндірісі / Мясо», column 2021" in to_json(report)


def test_deleted_row_is_one_finding(small: Path) -> None:
    doc = delete_row(table_letter(), "ru", "appendix", 1, 1)  # the borderless table loses "Зерно"
    result = _check(doc, small, "row", "one_column", "reportlab")
    assert len(result.findings) == 1
    pair = result.findings[0]
    assert (pair.status, pair.scope) == ("missing_ru", "row")
    assert pair.kk and pair.kk.row_label == "Астық өнімі" and pair.kk.table_no == 2
    # Every cell of the row is in a pair; the row is one finding, in every report.
    assert sum(1 for p in result.pairs if p.status == "missing_ru") == 3
    report = RunReport(documents=[result])
    assert to_junit(report).count("<failure") == 1
    assert len(to_github(report).splitlines()) == 1
    assert "table 2, row «Астық өнімі» (the whole row)" in to_github(report)


def test_swapped_cells_are_reported_as_a_swap(small: Path) -> None:
    doc = swap_cells(table_letter(), "kk", "appendix", 0, (1, 2), (1, 3))  # 401 066 <-> 426 824
    result = _check(doc, small, "swap", "two_column", "reportlab")
    assert sorted((p.status, p.kk.surface, p.ru.surface) for p in result.findings if p.kk and p.ru) == [
        ("swapped", "401 066", "401 066"),
        ("swapped", "426 824", "426 824"),
    ]
    assert len(result.findings) == 2


def test_table_in_one_language_only_is_one_finding(small: Path) -> None:
    doc = table_letter()
    blocks = [b for b in doc.section("ru", "appendix") if b.style != "table_plain"]
    doc = LetterDoc(doc.outgoing_no, doc.letter_date, doc.stamp, {**doc.sections, ("ru", "appendix"): tuple(blocks)})
    result = _check(doc, small, "one")
    assert [(p.status, p.scope) for p in result.findings] == [("missing_ru", "table")]
    assert result.findings[0].kk and result.findings[0].kk.table_no == 2


# -------------------------------------------------------------- warehouse


def test_warehouse_tables_and_cell_coordinates(long_letters: dict[tuple[str, str], Path], tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    report = ingest([str(long_letters[("one_column", "fpdf2")])], warehouse=str(wh), jobs=1)
    assert report.exit_code == 0
    con = duckdb.connect(str(wh), read_only=True)
    tables = con.execute("SELECT lang, table_no, n_rows, n_cols, ruled, page < last_page FROM tables ORDER BY lang, table_no").fetchall()
    assert tables == [
        ("kk", 1, 4, 4, True, False), ("kk", 2, 4, 4, False, False), ("kk", 3, 60, 3, True, True),
        ("ru", 1, 4, 4, True, False), ("ru", 2, 4, 4, False, False), ("ru", 3, 60, 3, True, True),
    ]  # fmt: skip
    grid = con.execute(
        "SELECT row_label, max(value * scale) FILTER (col_label = '2019') AS y2019 "
        "FROM figures WHERE lang = 'ru' AND table_no = 1 GROUP BY row_no, row_label ORDER BY row_no"
    ).fetchall()
    assert grid == [("Зерно", 3412600.0), ("Мясо", 12500.0), ("Молоко", 1000000.0), ("Яйца", 5000.0)]
    # The README's grid query: one row per indicator, one column per year.
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    query = next(q for q in re.findall(r"```sql\n(.*?)```", readme, flags=re.S) if "PIVOT" in q)
    assert con.execute(query).fetchall() == [
        (1, "Зерно", 3412600.0, 401066000.0, 426824000.0),
        (2, "Мясо", 12500.0, None, 14000.0),
        (3, "Молоко", 1000000.0, 2000000.0, None),
        (4, "Яйца", 5000.0, 6000.0, 7000.0),
    ]
    con.close()


def test_without_ru_appendix_still_needs_both_languages(small: Path) -> None:
    doc = without_section(table_letter(), "ru", "appendix")
    result = _check(doc, small, "noru")
    assert {p.scope for p in result.findings} >= {"table"}


# ------------------------------------------------------- other producers

PRODUCERS = Path(__file__).resolve().parent / "producers"


@pytest.mark.parametrize("name", ["tables-browser.pdf", "tables-writer.pdf"])
def test_tables_printed_by_a_browser_and_a_word_processor(name: str) -> None:
    path = PRODUCERS / name
    doc = table_letter(long_rows=60)
    results = [process_bytes(str(path), path.read_bytes(), engine=engine) for engine in ENGINES]
    assert results[0].letter.tables == results[1].letter.tables
    for result in results:
        assert result.findings == []
        for lang in ("kk", "ru"):
            found = [t for t in result.letter.tables if t.lang == lang]
            assert [_read(t) for t in found] == _source_tables(doc, lang)
            assert len(found[2].pages) >= 2


def test_cells_have_series_from_title_and_row_and_reach_trends(small: Path, tmp_path: Path) -> None:
    path = _render(table_letter(), small, "one_column", "fpdf2", "series")
    wh = tmp_path / "w.duckdb"
    assert ingest([str(path)], warehouse=str(wh), jobs=1).exit_code == 0
    con = duckdb.connect(str(wh), read_only=True)
    keys = con.execute(
        "SELECT DISTINCT lang, row_label, series FROM figures WHERE table_no = 1 ORDER BY lang, row_label"
    ).fetchall()
    # A Kazakh cell takes the key of its Russian pair; each row is one series.
    by_row = {row: series for lang, row, series in keys if lang == "ru"}
    assert by_row["Мясо"] == "производство_продукция[мясо] (t)"
    assert by_row["Зерно"] == "производство_продукция[зерно] (t)"
    assert {series for lang, _, series in keys if lang == "kk"} == set(by_row.values())
    label = con.execute("SELECT series_label FROM figures WHERE lang = 'kk' AND table_no = 1 AND row_no = 2 LIMIT 1").fetchone()
    assert label == ("Өнім өндірісі, мың тонна — Ет өндірісі",)
    trend = con.execute(
        "SELECT period_start, value FROM trends WHERE series = 'производство_продукция[мясо] (t)' ORDER BY period_start"
    ).fetchall()
    assert [(d.year, v) for d, v in trend] == [(2019, 12500.0), (2021, 14000.0)]
    con.close()
