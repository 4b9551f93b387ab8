"""SYNTHETIC tables for the yearly letters of tests/ministries.py.

Each letter of a ministry carries one or two tables, written for these tests
(titles, row labels and numbers invented): indicators or regions as rows,
years as columns, the scale and unit in the title ("тыс. тонн" / "мың
тонна", "млрд тенге" / "млрд теңге"), in the rows or over the label column
(next year's letter may move it), one table of stocks counted on
1 January, one with a growth column ("2023 к 2022, %"). The letter on year
Y shows the columns Y-1 and Y, so the letter on 2023 restates the 2022
column; some of those cells revise what the letter on 2022 said (REVISED).

Each cell comes with what a reader must find: its value as written, the
period it covers and a row id that names the same row in both years' letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from etl.fixtures.letter import Block, table_block


@dataclass(frozen=True)
class ExpectedCell:
    row_id: str  # the same row of the same table in every year's letter
    row: str  # the Russian row label as printed
    value: float  # as written (before the title's scale)
    start: date
    end: date
    column: str  # the Russian column header as printed


@dataclass(frozen=True)
class Rendering:
    layout: str
    backend: str


# ministry -> table -> row id -> (ru label, kk label, {year or stock date year: value})
_Rows = dict[str, tuple[str, str, dict[int, float]]]

BEDS: _Rows = {
    "almaty": ("г. Алматы", "Алматы қ.", {2021: 12_480, 2022: 12_655, 2023: 12_910}),
    "astana": ("г. Астана", "Астана қ.", {2021: 9_150, 2022: 9_430, 2023: 9_705}),
    "karaganda": ("Карагандинская область", "Қарағанды облысы", {2021: 10_320, 2022: 10_275, 2023: 10_190}),
}
# Stocks: the key is the year whose 1 January the count is taken on.
DOCTORS: _Rows = {
    "therapists": ("Терапевты", "Терапевттер", {2022: 18_240, 2023: 18_515, 2024: 18_790}),
    "surgeons": ("Хирурги", "Хирургтер", {2022: 9_115, 2023: 9_260, 2024: 9_380}),
    "pediatricians": ("Педиатры", "Педиатрлар", {2022: 7_630, 2023: 7_710, 2024: 7_845}),
}
BUDGET: _Rows = {
    "revenue": ("Доходы", "Кірістер", {2021: 19_845.2, 2022: 21_930.4, 2023: 23_604.8}),
    "spending": ("Расходы", "Шығыстар", {2021: 22_610.7, 2022: 25_118.9, 2023: 27_051.3}),
    "deficit": ("Дефицит", "Тапшылық", {2021: -2_765.5, 2022: -3_188.5, 2023: -3_446.5}),
}
CROPS: _Rows = {
    "meat": ("Мясо", "Ет", {2021: 1_204.6, 2022: 1_251.9, 2023: 1_297.3}),
    "milk": ("Молоко", "Сүт", {2021: 6_102.3, 2022: 6_288.4, 2023: 6_410.7}),
    "potato": ("Картофель", "Картоп", {2021: 4_015.8, 2022: 4_120.5, 2023: 3_962.1}),
    "vegetables": ("Овощи", "Көкөністер", {2021: 4_712.2, 2022: 4_836.5, 2023: 4_905.4}),
}
PUPILS: _Rows = {
    "total": ("Всего", "Барлығы", {2021: 3_548.9, 2022: 3_651.2, 2023: 3_742.8}),
    "turkestan": ("Туркестанская область", "Түркістан облысы", {2021: 612.4, 2022: 628.9, 2023: 644.1}),
    "almaty_region": ("Алматинская область", "Алматы облысы", {2021: 398.7, 2022: 405.3, 2023: 411.9}),
    "zhambyl": ("Жамбылская область", "Жамбыл облысы", {2021: 301.2, 2022: 309.8, 2023: 316.4}),
}

# (ministry, table, row id, year) -> the value the letter on the next year
# states for that year instead of what the letter on that year said.
REVISED: dict[tuple[str, str, str, int], float] = {
    ("health", "beds", "astana", 2022): 9_445,
    ("finance", "budget", "spending", 2022): 25_162.3,
    ("agriculture", "crops", "milk", 2022): 6_301.9,
    ("education", "pupils", "turkestan", 2022): 630.2,
}

# Each ministry's two letters are printed differently: producers, layouts,
# ruled and borderless tables. The generator does not wrap text inside a
# cell, so labels and headers are short enough for their column (the
# four-column budget table is printed in one column).
RENDERINGS: dict[tuple[str, int], Rendering] = {
    ("health", 2022): Rendering("one_column", "fpdf2"),
    ("health", 2023): Rendering("one_column", "reportlab"),
    ("finance", 2022): Rendering("one_column", "reportlab"),
    ("finance", 2023): Rendering("one_column", "fpdf2"),
    ("agriculture", 2022): Rendering("two_column", "reportlab"),
    ("agriculture", 2023): Rendering("one_column", "fpdf2"),
    ("education", 2022): Rendering("two_column", "fpdf2"),
    ("education", 2023): Rendering("two_column", "reportlab"),
}


def _num(v: float) -> str:
    """As tables print numbers: groups of three split by a space, one decimal after a comma."""
    whole, _, frac = (str(abs(v)) if isinstance(v, int) else f"{abs(v):.1f}").partition(".")
    return ("-" if v < 0 else "") + f"{int(whole):,}".replace(",", " ") + ("," + frac if frac else "")


def _value(ministry: str, table: str, row_id: str, year: int, letter_year: int, rows: _Rows) -> float:
    if letter_year > year:
        return REVISED.get((ministry, table, row_id, year), rows[row_id][2][year])
    return rows[row_id][2][year]


def _year_table(
    ministry: str, table: str, rows: _Rows, y: int, titles: tuple[str, str], heads: tuple[str, str, str, str], ruled: bool
) -> tuple[list[Block | str], list[Block | str], list[ExpectedCell]]:
    """Rows by the years y-1 and y; heads: (kk label head, ru label head, kk year format, ru year format)."""
    kk_head, ru_head, kk_year, ru_year = heads
    years = (y - 1, y)
    kk_rows = [[kk_head, *(kk_year.format(v) for v in years)]]
    ru_rows = [[ru_head, *(ru_year.format(v) for v in years)]]
    exp: list[ExpectedCell] = []
    for row_id, (ru, kk, _) in rows.items():
        values = [_value(ministry, table, row_id, v, y, rows) for v in years]
        kk_rows.append([kk, *map(_num, values)])
        ru_rows.append([ru, *map(_num, values)])
        exp += [
            ExpectedCell(f"{table}.{row_id}", ru, val, date(v, 1, 1), date(v, 12, 31), ru_year.format(v))
            for v, val in zip(years, values)
        ]
    return [titles[0], table_block(kk_rows, ruled)], [titles[1], table_block(ru_rows, ruled)], exp


def _health(y: int) -> tuple[list[Block | str], list[Block | str], list[ExpectedCell]]:
    kk, ru, exp = _year_table(
        "health", "beds", BEDS, y,
        ("Өңірлер бойынша аурухана төсектерінің саны, бірлік", "Число больничных коек по регионам, единиц"),
        ("Өңір", "Регион", "{} ж.", "{} г."), ruled=True,
    )  # fmt: skip
    # A stock table: counts on 1 January of the year and of the next one.
    stocks = (y, y + 1)
    kk_rows = [["Мамандық", *(f"{s} жылғы 1 қаңтарға" for s in stocks)]]
    ru_rows = [["Специальность", *(f"на 1 января {s} г." for s in stocks)]]
    for row_id, (r, k, values) in DOCTORS.items():
        kk_rows.append([k, *(_num(values[s]) for s in stocks)])
        ru_rows.append([r, *(_num(values[s]) for s in stocks)])
        exp += [
            ExpectedCell(f"doctors.{row_id}", r, values[s], date(s, 1, 1), date(s, 1, 1), f"на 1 января {s} г.")
            for s in stocks
        ]
    kk += ["Дәрігерлер саны, адам", table_block(kk_rows, ruled=False)]
    ru += ["Численность врачей, человек", table_block(ru_rows, ruled=False)]
    return kk, ru, exp


def _finance(y: int) -> tuple[list[Block | str], list[Block | str], list[ExpectedCell]]:
    # The title names the years it covers, so it changes from letter to
    # letter; the letter on 2023 prints the scale and currency over the
    # label column instead of in the title.
    titles = (
        f"{y - 1}–{y} жылдардағы мемлекеттік бюджеттің атқарылуы, млрд теңге",
        f"Исполнение государственного бюджета за {y - 1}–{y} годы, млрд тенге",
    )
    heads = ("Көрсеткіш", "Показатель")
    if y == 2023:
        titles = tuple(t.rsplit(",", 1)[0] for t in titles)  # type: ignore[assignment]
        heads = ("Көрсеткіш, млрд теңге", "Показатель, млрд тенге")
    kk_rows = [[heads[0], str(y - 1), str(y), f"{y} / {y - 1}, %"]]
    ru_rows = [[heads[1], str(y - 1), str(y), f"{y} к {y - 1}, %"]]
    exp: list[ExpectedCell] = []
    for row_id, (r, k, _) in BUDGET.items():
        a, b = (_value("finance", "budget", row_id, v, y, BUDGET) for v in (y - 1, y))
        growth = round(100 * b / a, 1)
        kk_rows.append([k, _num(a), _num(b), _num(growth)])
        ru_rows.append([r, _num(a), _num(b), _num(growth)])
        exp += [
            ExpectedCell(f"budget.{row_id}", r, a, date(y - 1, 1, 1), date(y - 1, 12, 31), str(y - 1)),
            ExpectedCell(f"budget.{row_id}", r, b, date(y, 1, 1), date(y, 12, 31), str(y)),
            # The growth is the later year's: the earlier one is its base.
            ExpectedCell(f"budget_growth.{row_id}", r, growth, date(y, 1, 1), date(y, 12, 31), f"{y} к {y - 1}, %"),
        ]
    return [titles[0], table_block(kk_rows, ruled=False)], [titles[1], table_block(ru_rows, ruled=False)], exp


def _agriculture(y: int) -> tuple[list[Block | str], list[Block | str], list[ExpectedCell]]:
    # The letter on 2023 numbers its table and prints the unit in every row
    # instead of the title; the letter on 2022 does neither.
    kk_title, ru_title = "Негізгі өнім түрлерін өндіру, мың тонна", "Производство основных видов продукции, тыс. тонн"
    rows = CROPS
    if y == 2023:
        kk_title, ru_title = "1-кесте. Негізгі өнім түрлерін өндіру", "Таблица 1. Производство основных видов продукции"
        rows = {k: (f"{ru}, тыс. тонн", f"{kk}, мың тонна", v) for k, (ru, kk, v) in CROPS.items()}
    return _year_table(
        "agriculture", "crops", rows, y, (kk_title, ru_title), ("Өнім түрі", "Вид продукции", "{} жыл", "{} год"), ruled=True
    )


def _education(y: int) -> tuple[list[Block | str], list[Block | str], list[ExpectedCell]]:
    kk_year, ru_year = ("{}", "{}") if y == 2022 else ("{} ж.", "{} г.")
    return _year_table(
        "education", "pupils", PUPILS, y,
        ("Облыстар бойынша оқушылар контингенті, мың адам", "Контингент учащихся по областям, тыс. человек"),
        ("Облыс", "Область", kk_year, ru_year), ruled=False,
    )  # fmt: skip


TABLES = {"health": _health, "finance": _finance, "agriculture": _agriculture, "education": _education}


def ministry_tables(ministry: str, y: int) -> tuple[list[Block | str], list[Block | str], list[ExpectedCell]]:
    """(kk blocks, ru blocks, expected Russian cells) of a ministry's letter on year y."""
    return TABLES[ministry](y)
