"""Series keys found without a catalogue, periods, the catalogue on top, `etl series`.

The sentences are written for these tests; tests/ministries.py holds the
synthetic letters of four other ministries.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from bench.series import measure
from etl import load, pipeline
from etl.figures import build_figures, parse_catalogue
from etl.fixtures.letter import substitute
from etl.fixtures.render import render_pdf
from etl.load.warehouse import parse_migrations, schema_sql
from etl.models import Figure, Paragraph
from etl.trends import SeriesInfo, suggest
from tests.ministries import ministry_letters

ETL = [sys.executable, "-m", "etl"]
LETTER_DATE = date(2024, 1, 20)


def _figures(text: str, lang: str = "ru", letter_date: date = LETTER_DATE) -> list[Figure]:
    para = Paragraph(lang, "appendix", 1, 1, text)  # type: ignore[arg-type]
    return [f for f in build_figures("a" * 64, [para], letter_date) if f.kind in ("statistic", "money")]


def _by_value(figs: list[Figure]) -> dict[float, Figure]:
    return {f.value: f for f in figs}


# --- series keys --------------------------------------------------------------


def test_the_same_measure_in_other_word_forms_gets_one_key() -> None:
    a = _figures("В 2021 году зарегистрировано 128 правонарушений.")[0]
    b = _figures("За 2022 год зарегистрированы 3 правонарушения.")[0]
    assert a.series == b.series == "правонарушение/зарегистрировать"
    assert a.series_label == "правонарушений"


def test_a_label_before_a_dash_is_the_role_and_the_head_noun_carries_on() -> None:
    figs = _by_value(_figures("В 2023 году выявлено 412 нарушений, устранено – 305, передано в суд – 17."))
    assert figs[412].series == "нарушение/выявить"
    assert figs[305].series == "нарушение/устранить"
    assert figs[17].series == "нарушение/передать"


def test_a_breakdown_by_city_is_a_dimension_of_the_series() -> None:
    figs = _by_value(_figures("На 1 января 2024 года в области работали 950 фельдшеров, в том числе в городе Алматы – 11, в городе Астане – 5."))
    assert figs[950].series == "фельдшер/работать"
    assert figs[11].series == "фельдшер/работать[город алматы]"
    assert figs[5].series == "фельдшер/работать[город астана]"


def test_a_part_of_a_total_is_not_the_total() -> None:
    figs = _by_value(_figures("Проверка показала, что лишь в 875 из 1694 случаев имеет место нарушение."))
    assert figs[1694].series == "случай"
    assert figs[875].series == "случай[часть]"


def test_money_and_percent_keep_their_unit_in_the_key() -> None:
    figs = _by_value(_figures("В 2023 году фермерам выделено 533 млрд тенге субсидий, что на 7% больше, чем в 2022 году."))
    assert figs[533].series == "субсидия/выделить (KZT)"
    assert figs[7].series == "субсидия/выделить (percent)"


def test_kazakh_figures_take_the_russian_key_of_their_pair(tmp_path: Path) -> None:
    letter = next(m for m in ministry_letters() if m.ministry == "health")
    path = tmp_path / letter.name
    render_pdf(letter.doc, path)
    result = pipeline.process_bytes(str(path), path.read_bytes())
    stats = [p for p in result.pairs if p.kind == "statistic"]
    assert stats and all(p.kk and p.ru and p.kk.series == p.ru.series is not None for p in stats)
    doctors = next(p for p in stats if p.ru and p.ru.value == 74_310)
    assert doctors.kk is not None and doctors.kk.series_label == "дәрігер жұмыс істеді"
    assert {f.figure_id: f.series for f in result.figures if f.lang == "kk"}[doctors.kk.figure_id] == doctors.ru.series


def test_numbers_that_count_nothing_are_keyed_as_what_they_are() -> None:
    item = _figures("14. Визы выдаются на основании обращения.")
    assert [f.series for f in item] == ["пункт_список"]
    web = _figures("Подробнее: www.example.kz/news/152139.html, а также 15 случаев.")
    assert [f.series for f in web] == ["веб_адрес", "случай"]
    slug = _figures("itogi-raboty-v-2014-godu-i-zadachi")
    assert {f.series for f in slug} == {"веб_адрес"}
    # A name of the same shape, capitalised, is no address: its number counts something.
    named = _figures("По программе SMART-Aqmola-2030 открыто 12 центров.")
    assert "веб_адрес" not in {f.series for f in named}
    times = _figures("Приём ведётся с 09:00 до 13:00.")
    assert times and all(f.series and f.series.startswith("время") for f in times)
    # A scale's dot ends no sentence: the noun after it still names the measure.
    money = _by_value(_figures("На 1 июня освоено 557,1 млн. тенге (56,1%) по проектам реконструкции."))
    assert money[557.1].series == "проект/освоить (KZT)"


# --- periods ------------------------------------------------------------------


def test_a_comparison_year_is_not_the_period_of_the_figures_after_it() -> None:
    ru = _by_value(_figures("В 2023 году выдано 4500 кредитов, что на 12% больше по сравнению с 2022 годом (4018)."))
    kk = _by_value(_figures("2023 жылы 4500 несие берілді, бұл 2022 жылмен салыстырғанда 12%-ға көп (4018).", "kk"))
    for figs in (ru, kk):
        assert (figs[4500].period_start, figs[4500].period_end) == (date(2023, 1, 1), date(2023, 12, 31))
        assert (figs[12].period_start, figs[12].period_end) == (date(2023, 1, 1), date(2023, 12, 31))
        # The bracketed number is the comparison year's.
        assert (figs[4018].period_start, figs[4018].period_end) == (date(2022, 1, 1), date(2022, 12, 31))


def test_a_stock_is_counted_on_its_date_in_both_languages() -> None:
    ru = _figures("По состоянию на 1 января 2024 года в стране работали 1250 врачей.")[0]
    kk = _figures("2024 жылғы 1 қаңтардағы жағдай бойынша елде 1250 дәрігер жұмыс істеді.", "kk")[0]
    for f in (ru, kk):
        assert (f.period_start, f.period_end) == (date(2024, 1, 1), date(2024, 1, 1))


def test_since_a_year_is_no_period_and_a_bracketed_year_stays_in_its_brackets() -> None:
    since = _figures("С 2012 года ежегодно обучение проходят 40 специалистов.")[0]
    assert since.period_start is None
    figs = _by_value(_figures("В 2023 году собрано 17 100 тыс. тонн зерна (в 2022 году – 22 950 тыс. тонн), урожайность составила 11,8 центнера."))
    assert figs[22950].period_start == date(2022, 1, 1)
    assert figs[11.8].period_start == date(2023, 1, 1)


def test_a_period_after_the_figure_in_its_sentence_wins_over_an_earlier_sentence() -> None:
    figs = _by_value(_figures("В 2022 году открыто 12 клиник. Приняты на работу 300 медсестер за 2023 год."))
    assert figs[300].period_start == date(2023, 1, 1)
    assert figs[12].period_start == date(2022, 1, 1)


def test_kk_and_ru_stating_different_periods_is_a_finding_of_its_own(tmp_path: Path) -> None:
    letter = next(m for m in ministry_letters() if m.ministry == "health" and m.year == 2022)
    doc = substitute(letter.doc, "kk", "appendix", "2022 жылы ауруханалардың", "2021 жылы ауруханалардың")
    path = tmp_path / "period.pdf"
    render_pdf(doc, path)
    run = subprocess.run([*ETL, "check", str(path), "--format", "json"], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    findings = json.loads(run.stdout)["findings"]
    # The year itself is a changed figure; the two counts it dates cover another period.
    assert [(f["kind"], f["kk"]["value"]) for f in findings if f["status"] == "changed"] == [("year", 2021)]
    findings = [f for f in findings if f["status"] != "changed"]
    assert {f["status"] for f in findings} == {"period_differs"}
    assert sorted(f["kk"]["value"] for f in findings) == [17_320, 98_450]
    assert {f["kk"]["period_start"] for f in findings} == {"2021-01-01"}
    assert {f["ru"]["period_start"] for f in findings} == {"2022-01-01"}


# --- four ministries, two years each -------------------------------------------


@pytest.fixture(scope="module")
def ministries(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path]:
    folder = tmp_path_factory.mktemp("ministries")
    warehouse = folder / "w" / "warehouse.duckdb"
    return measure(folder, warehouse=warehouse), warehouse


def test_other_ministries_get_a_series_and_the_right_period_for_their_statistics(ministries) -> None:
    r, _ = ministries
    assert r["statistics"] >= 100
    assert r["with_series"] / r["statistics"] >= 0.95
    assert r["right_periods"] / r["expected_periods"] >= 0.95, r["wrong"]
    assert r["findings"] == 0


def test_two_years_give_unbroken_series_and_revisions(ministries) -> None:
    r, warehouse = ministries
    assert r["series_in_both_letters"] >= 20
    assert r["unbroken"] == r["series_in_both_letters"], r["broken"]
    assert r["revised_found"] == r["revised"] >= 6
    with duckdb.connect(str(warehouse), read_only=True) as con:
        years = con.execute(
            "SELECT list(year(period_start) ORDER BY period_start) FROM trends "
            "WHERE metric = 'пациент/обратиться' AND NOT is_partial"
        ).fetchone()
        assert years == ([2021, 2022, 2023],)
        revised = con.execute(
            "SELECT value, is_latest FROM revisions WHERE metric = 'пациент/обратиться' ORDER BY letter_date"
        ).fetchall()
        assert revised == [(4_255_900.0, False), (4_258_400.0, True)]


def test_etl_series_lists_what_was_found_and_suggests_merges(ministries, sample_warehouse: Path) -> None:
    _, warehouse = ministries
    run = subprocess.run([*ETL, "series", "-w", str(warehouse), "--format", "json"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    found = {s["series"]: s for s in json.loads(run.stdout)}
    doctors = found["врач/работать[город алматы]"]
    assert doctors["letters"] == 2 and doctors["figures"] == 2
    assert doctors["periods"] == [["2023-01-01", "2023-01-01"], ["2024-01-01", "2024-01-01"]]
    assert "Алматы" in doctors["example_ru"] and "Алматы" in doctors["example_kk"]
    assert doctors["label_kk"] == "Алматы қаласында"
    assert found["доход/поступить (KZT)"]["unit"] == "KZT"
    run = subprocess.run([*ETL, "series", "-w", str(sample_warehouse), "--suggest"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    cat = parse_catalogue(run.stdout)
    assert cat.series_map["уголовный_правонарушение/зарегистрировать"] == cat.series_map["правонарушение/зарегистрировать"]


def test_suggest_merges_a_measure_with_its_narrower_kinds_only() -> None:
    def info(key: str, n: int = 1) -> SeriesInfo:
        return SeriesInfo(key, None, n, None, [], 1, None, None, None, None)

    keys = [
        "правонарушение/зарегистрировать", "уголовный_правонарушение/зарегистрировать",
        "объем", "снижение_объем", "лист", "лист_лавр", "дом", "жилой_дом", "дом_человек",
        "человек_человек/принять", "встреча_человек/принять",
    ]  # fmt: skip
    groups = sorted(sorted(g) for _, g in suggest([info(k) for k in keys]))
    assert groups == [
        ["дом", "дом_человек", "жилой_дом"],
        ["правонарушение/зарегистрировать", "уголовный_правонарушение/зарегистрировать"],
    ]


def test_a_catalogue_beside_the_warehouse_renames_series_without_the_pdfs(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for letter in ministry_letters():
        if letter.ministry == "finance" or (letter.ministry, letter.year) == ("health", 2022):
            render_pdf(letter.doc, raw / letter.name)
    warehouse = tmp_path / "w" / "warehouse.duckdb"
    pipeline.ingest([raw], warehouse, jobs=1)
    for pdf in raw.iterdir():
        # The next runs must not read the PDFs again: each is spoilt, with its
        # size and time kept, so it is skipped as unchanged or else rejected.
        stat = pdf.stat()
        pdf.write_bytes(b"%PDF-spoilt" + b"\0" * (stat.st_size - 11))
        os.utime(pdf, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (warehouse.parent / "metrics.toml").write_text(
        '[[topic]]\nkey = "doctors"\ndescription = "Doctors"\nkk = [\'дәрігер\']\nru = [\'врач\']\n\n'
        '[[metric]]\nkey = "doctors"\ndescription = "Doctors at work"\ntopic = "doctors"\nany_role = true\n\n'
        '[[series]]\nmetric = "budget_revenue"\nseries = ["доход/поступить (KZT)"]\n',
        encoding="utf-8",
    )
    assert pipeline.ingest([raw], warehouse, jobs=1).rejects == []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("SELECT metric, year(period_start), value FROM trends ORDER BY ALL").fetchall()
    assert ("budget_revenue", 2022, 15_230e9) in rows and ("budget_revenue", 2023, 16_980e9) in rows
    # A [[metric]] of the user's catalogue, read again from the stored paragraphs.
    assert ("doctors", 2023, 74_310.0) in rows
    # Taken out again, the shipped catalogue applies on the next run.
    (warehouse.parent / "metrics.toml").unlink()
    pipeline.ingest([raw], warehouse, jobs=1)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        metrics = {r[0] for r in con.execute("SELECT metric FROM trends").fetchall()}
    assert not {"budget_revenue", "doctors"} & metrics
    assert "доход/поступить (KZT)" in metrics


def test_metrics_option_names_the_catalogue_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[series]]\nmetric = 3\n", encoding="utf-8")
    run = subprocess.run(
        [*ETL, "ingest", str(tmp_path), "-w", str(tmp_path / "w.duckdb"), "--metrics", str(bad)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 4
    assert f"{bad}: a [[series]] entry needs metric" in run.stderr


def test_migrations_may_leave_a_gap_for_other_branches() -> None:
    _, migrations = parse_migrations(schema_sql())
    versions = [m.version for m in migrations]
    assert versions == sorted(set(versions)) and 6 in versions
    with pytest.raises(load.WarehouseError, match="rising order"):
        parse_migrations("-- migration 1: a\nSELECT 1;\n-- migration 1: b\nSELECT 1;\n")
    con = duckdb.connect(":memory:")
    load.warehouse.migrate(con)
    applied = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    assert applied == set(versions)
    assert load.warehouse.migrate(con) == []
    # period_differs is in the vocabulary the warehouse accepts.
    con.execute(
        "INSERT INTO figure_pairs (doc_id, pair_no, kk_figure_id, ru_figure_id, status, kind) "
        "VALUES ('d', 1, 'k', 'r', 'period_differs', 'statistic')"
    )
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "INSERT INTO figure_pairs (doc_id, pair_no, kk_figure_id, ru_figure_id, status, kind) "
            "VALUES ('d', 2, 'k', 'r', 'period_wrong', 'statistic')"
        )


def test_the_sample_keeps_its_metrics_and_gains_the_series_it_lost(sample_warehouse: Path) -> None:
    golden = Path(__file__).parent / "golden" / "sample-figures.tsv"
    rows = [line.split("\t") for line in golden.read_text(encoding="utf-8").splitlines()[1:]]
    named = {r[8] for r in rows if r[8] and r[9]}
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        trends = con.execute("SELECT metric, period_start, period_end, value FROM trends").fetchall()
    assert named and named <= {t[0] for t in trends}
    ytd = (date(2017, 1, 1), date(2017, 11, 13))
    assert ("случай[часть]", *ytd, 875.0) in trends and ("случай", *ytd, 1694.0) in trends
    stock = (date(2017, 11, 13), date(2017, 11, 13))
    assert ("численность_единица[алматы]", *stock, 11.0) in trends
    assert ("численность_единица[астана]", *stock, 5.0) in trends
