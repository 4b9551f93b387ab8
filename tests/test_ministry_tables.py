"""Tables in the letters of four other ministries: series, periods, trends and revisions.

The letters of tests/ministries.py carry running text and tables
(tests/ministry_tables.py), each ministry's two letters printed by different
producers and layouts. They are loaded with the real `etl ingest` into a
fresh warehouse, and everything is read back from it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb
import pytest

from bench.series import PARTS, measure
from etl.figures.cells import build_cell_figures, header_period
from etl.figures.series import table_series, table_subject
from etl.fixtures.letter import Block
from etl.models import Table
from tests.ministries import YEARS, ministry_letters
from tests.ministry_tables import ministry_tables

ETL = [sys.executable, "-m", "etl"]


def _cli_ingest(paths: Sequence[Path], warehouse: Path) -> None:
    run = subprocess.run([*ETL, "ingest", *map(str, paths), "-w", str(warehouse)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path]:
    folder = tmp_path_factory.mktemp("ministry-tables")
    warehouse = folder / "w" / "warehouse.duckdb"
    return measure(folder, warehouse=warehouse, ingest=_cli_ingest), warehouse


def test_every_letter_has_tables_in_both_languages_and_no_finding(loaded) -> None:
    r, warehouse = loaded
    assert r["findings"] == 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "SELECT split_part(d.path, '/', -1), f.lang, count(DISTINCT f.table_no) FROM figures AS f "
            "JOIN documents AS d USING (doc_id) WHERE f.table_no IS NOT NULL GROUP BY ALL"
        ).fetchall()
    # As many tables in each language as the letter's fixture draws.
    drawn = {}
    for m in ministry_letters():
        kk_blocks, ru_blocks, _ = ministry_tables(m.ministry, m.year)
        for lang, blocks in (("kk", kk_blocks), ("ru", ru_blocks)):
            drawn[m.name, lang] = sum(1 for b in blocks if isinstance(b, Block) and b.style.startswith("table"))
    assert {(name, lang): n for name, lang, n in tables} == drawn


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("ministry", ["health", "finance", "agriculture", "education"])
def test_statistics_have_a_series_and_the_right_period(loaded, ministry: str, part: str) -> None:
    r, _ = loaded
    c = r["by_ministry"][ministry][part]
    assert c["statistics"] >= 16
    assert c["with_series"] / c["statistics"] >= 0.95
    assert c["right_periods"] / c["expected_periods"] >= 0.95, [w for w in r["wrong"] if w.startswith(ministry)]


@pytest.mark.parametrize("ministry", ["health", "finance", "agriculture", "education"])
def test_each_table_row_is_one_unbroken_series_and_its_revisions_are_listed(loaded, ministry: str) -> None:
    r, _ = loaded
    c = r["by_ministry"][ministry]["cells"]
    rows = {cell.row_id for m in ministry_letters() if m.ministry == ministry for cell in m.cells}
    assert c["series_in_both_letters"] == len(rows) >= 3
    assert c["unbroken"] == c["series_in_both_letters"], [b for b in r["broken"] if b.startswith(ministry)]
    assert c["revised_found"] == c["revised"] >= 1, r["broken"]


def test_trends_and_revisions_of_table_rows_in_sql(loaded) -> None:
    _, warehouse = loaded
    with duckdb.connect(str(warehouse), read_only=True) as con:
        milk = con.execute(
            "SELECT year(period_start), value FROM trends "
            "WHERE series = 'производство_основный_вид_продукция[молоко] (t)' ORDER BY period_start"
        ).fetchall()
        # 2022 as the later letter revised it; the table's number in that letter changes nothing.
        assert milk == [(2021, 6_102_300.0), (2022, 6_301_900.0), (2023, 6_410_700.0)]
        beds = con.execute(
            "SELECT value, is_latest FROM revisions WHERE series = 'больничный_койка_регион[астана]' ORDER BY letter_date"
        ).fetchall()
        assert beds == [(9_430.0, False), (9_445.0, True)]
        # Stocks counted on 1 January, from a borderless table whose headers fill their columns.
        stocks = con.execute(
            "SELECT period_start, period_end, value FROM trends WHERE series = 'численность_врач[хирург] (person)' "
            "ORDER BY period_start"
        ).fetchall()
        assert stocks == [(date(y, 1, 1), date(y, 1, 1), v) for y, v in ((2022, 9_115.0), (2023, 9_260.0), (2024, 9_380.0))]
        kk_heads = {h for (h,) in con.execute("SELECT DISTINCT col_label FROM figures WHERE lang = 'kk' AND row_label = 'Хирургтер'").fetchall()}
        assert kk_heads == {"2022 жылғы 1 қаңтарға", "2023 жылғы 1 қаңтарға", "2024 жылғы 1 қаңтарға"}
        # A growth column is the later year's, in percent, not in billions.
        growth = con.execute(
            "SELECT year(period_start), value, unit FROM trends "
            "WHERE series = 'исполнение_государственный_бюджет[расход] (percent)' ORDER BY 1"
        ).fetchall()
        drawn = [
            (y, cell.value, "percent")
            for y in YEARS
            for cell in ministry_tables("finance", y)[2]
            if cell.row_id == "budget_growth.spending"
        ]
        assert growth == drawn
        # Every Kazakh cell takes its Russian pair's key and keeps its own title as the label.
        unkeyed = con.execute(
            "SELECT count(*) FROM figures WHERE lang = 'kk' AND table_no IS NOT NULL AND series IS NULL"
        ).fetchone()
        assert unkeyed == (0,)
        labels = {lab for (lab,) in con.execute(
            "SELECT DISTINCT series_label FROM figures WHERE lang = 'kk' AND row_label = 'Түркістан облысы'"
        ).fetchall()}  # fmt: skip
        assert labels == {"Облыстар бойынша оқушылар контингенті, мың адам — Түркістан облысы"}


def test_periods_a_column_header_gives() -> None:
    year = (date(2022, 1, 1), date(2022, 12, 31))
    cases = {
        ("2022", "ru"): year,
        ("2022 г.", "ru"): year,
        ("2022 жыл", "kk"): year,
        ("на 1 января 2023 г.", "ru"): (date(2023, 1, 1), date(2023, 1, 1)),
        ("на 01.07.2023", "ru"): (date(2023, 7, 1), date(2023, 7, 1)),
        ("2023 жылғы 1 қаңтарға", "kk"): (date(2023, 1, 1), date(2023, 1, 1)),
        ("01.01.2023 жағдай бойынша", "kk"): (date(2023, 1, 1), date(2023, 1, 1)),
        ("2022 к 2021, %", "ru"): year,
        ("2022 г. в % к 2021 г.", "ru"): year,
        ("2022 / 2021, %", "kk"): year,
        ("2022 жыл 2021 жылға, %", "kk"): year,
        ("2021 жылға қарағанда 2022 жыл", "kk"): year,
        ("9 месяцев 2022 г.", "ru"): (date(2022, 1, 1), date(2022, 9, 30)),
        ("январь–сентябрь 2022", "ru"): (date(2022, 1, 1), date(2022, 9, 30)),
        ("2022 жылғы 9 айы", "kk"): (date(2022, 1, 1), date(2022, 9, 30)),
        ("9 мес 2022", "ru"): (date(2022, 1, 1), date(2022, 9, 30)),
        # "ай" opens other words too: a region, a turnover are no months.
        ("2022 жылы 5 аймақта", "kk"): year,
        ("2022 жыл, 7 айналым", "kk"): year,
        ("2022 жылғы қаңтар–қыркүйек", "kk"): (date(2022, 1, 1), date(2022, 9, 30)),
        ("январь–декабрь 2022 г.", "ru"): year,
        ("2019–2021", "ru"): None,
        ("2019-2021 гг.", "ru"): None,
        ("Показатель", "ru"): None,
    }
    for (text, lang), want in cases.items():
        assert header_period(text, lang) == want, text  # type: ignore[arg-type]


def test_what_a_table_title_says_it_is_about() -> None:
    assert table_subject("Таблица 1. Производство продукции, тыс. тонн") == "Производство продукции"
    assert table_subject("1-кесте. Өнім өндірісі, мың тонна") == "Өнім өндірісі"
    assert table_subject("Табл. 2: Посевные площади (тыс. га)") == "Посевные площади"
    assert table_subject("Число коек (на конец года)") == "Число коек (на конец года)"
    # The unit printed in the title or in each row: one key.
    key = table_series("Производство продукции, тыс. тонн", "Мясо", "t").key
    assert key == table_series("Производство продукции", "Мясо, тыс. тонн", "t").key == "производство_продукция[мясо] (t)"
    assert table_series("Показатели", "Доля, %", "percent").key == "показатель[доля] (percent)"


def test_a_percent_column_has_no_scale_and_a_title_year_dates_other_columns() -> None:
    t = Table(
        "ru", "appendix", 1, 1, "Доходы бюджета за 2023 год, млрд тенге", ("Регион", "План", "Факт", "Исполнение, %"),
        (("Алматы", "1 200", "1 150", "95,8"),),
    )  # fmt: skip
    figs = build_cell_figures("a" * 64, [t], date(2024, 1, 20))
    assert [(f.value, f.scale, f.unit, f.kind) for f in figs] == [
        (1200.0, 1e9, "KZT", "money"), (1150.0, 1e9, "KZT", "money"), (95.8, 1.0, "percent", "statistic"),
    ]  # fmt: skip
    assert {(f.period_start, f.period_end) for f in figs} == {(date(2023, 1, 1), date(2023, 12, 31))}
