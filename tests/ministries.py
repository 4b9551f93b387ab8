"""SYNTHETIC yearly letters of four other ministries, for the series tests and bench/series.py.

Health, finance, agriculture and education, two letters each (on 2022 and on
2023, written in January of the next year), in running text and tables written for
these tests (tests/ministry_tables.py): the numbers are invented. Each sentence comes with what a reader must
find in it: for every Russian statistic, its value and the period it covers
(a year, a stock at a date, or the comparison year of a bracketed number).
Each cell comes with its value, period and row. The 2023 letters restate a
2022 figure in brackets and the 2022 column of every table, and revise some.
They live under tests/ and are never put in raw/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from etl.fixtures.letter import LetterDoc, from_paragraphs
from tests.ministry_tables import RENDERINGS, ExpectedCell, ministry_tables

YEARS = (2022, 2023)
Expected = tuple[float, date, date]  # value as written, period start, period end


@dataclass
class MinistryLetter:
    ministry: str
    year: int
    doc: LetterDoc
    name: str
    expected: list[Expected] = field(default_factory=list)  # every Russian statistic and money figure of the text
    cells: list[ExpectedCell] = field(default_factory=list)  # every Russian table cell
    layout: str = "one_column"
    backend: str = "fpdf2"


def _year(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


def _stock(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 1, 1)


# ministry -> year -> values; a 2023 value of the previous year revises the 2022 letter's.
DATA: dict[str, dict[int, dict[str, float]]] = {
    "health": {
        2021: {"patients": 4_102_300},
        2022: {"patients": 4_255_900, "pct": 3.7, "doctors": 74_310, "almaty": 11_240, "astana": 8_905, "beds": 98_450, "child": 17_320},
        2023: {"patients": 4_390_100, "pct": 3.2, "doctors": 75_820, "almaty": 11_610, "astana": 9_280, "beds": 97_960, "child": 17_105},
    },
    "finance": {
        2022: {"rev": 15_230, "exp": 18_640, "debt": 24_870, "tax": 11_320, "cit": 3_470, "vat": 4_210},
        2023: {"rev": 16_980, "exp": 20_115, "debt": 27_350, "tax": 12_760, "cit": 3_905, "vat": 4_680},
    },
    "agriculture": {
        2021: {"grain": 16_400},
        2022: {"grain": 22_900, "yield": 14.6, "subs": 498, "sp": 12, "cattle": 8_420, "kost": 655, "akm": 548},
        2023: {"grain": 17_100, "yield": 11.8, "subs": 533, "sp": 7, "cattle": 8_610, "kost": 671, "akm": 559},
    },
    "education": {
        2022: {"pupils": 3_651_200, "shym": 287_400, "schools": 217, "places": 164_300, "grants": 61_450, "gp": 4},
        2023: {"pupils": 3_742_800, "shym": 296_100, "schools": 231, "places": 172_900, "grants": 63_020, "gp": 2},
    },
}
# The 2023 letters state the previous year again; this one differs from what the 2022 letter said.
REVISED = {("health", 2022, "patients"): 4_258_400, ("agriculture", 2022, "grain"): 22_950}


def _num(v: float) -> str:
    if isinstance(v, float) and not v.is_integer():
        return str(v).replace(".", ",")
    return f"{int(v):,}".replace(",", " ")


def _health(y: int) -> tuple[list[str], list[str], list[Expected]]:
    d, prev = DATA["health"][y], REVISED.get(("health", y - 1, "patients"), DATA["health"][y - 1]["patients"])
    n = {k: _num(v) for k, v in d.items()}
    p = _num(prev)
    ru = [
        f"В {y} году в медицинские организации республики обратились {n['patients']} пациентов, что на "
        f"{n['pct']}% больше по сравнению с {y - 1} годом ({p}).",
        f"По состоянию на 1 января {y + 1} года в стране работали {n['doctors']} врачей, в том числе в городе "
        f"Алматы – {n['almaty']}, в городе Астане – {n['astana']}.",
        f"Коечный фонд больниц в {y} году составил {n['beds']} коек, из них {n['child']} – детские.",
    ]
    kk = [
        f"{y} жылы республиканың медициналық ұйымдарына {n['patients']} пациент жүгінді, бұл {y - 1} жылмен "
        f"салыстырғанда {n['pct']}%-ға көп ({p}).",
        f"{y + 1} жылғы 1 қаңтардағы жағдай бойынша елде {n['doctors']} дәрігер жұмыс істеді, оның ішінде Алматы "
        f"қаласында – {n['almaty']}, Астана қаласында – {n['astana']}.",
        f"{y} жылы ауруханалардың төсек қоры {n['beds']} төсекті құрады, оның ішінде {n['child']} – балалар төсектері.",
    ]
    exp = [
        (d["patients"], *_year(y)), (d["pct"], *_year(y)), (prev, *_year(y - 1)),
        (d["doctors"], *_stock(y + 1)), (d["almaty"], *_stock(y + 1)), (d["astana"], *_stock(y + 1)),
        (d["beds"], *_year(y)), (d["child"], *_year(y)),
    ]  # fmt: skip
    return kk, ru, exp


def _finance(y: int) -> tuple[list[str], list[str], list[Expected]]:
    d = DATA["finance"][y]
    n = {k: _num(v) for k, v in d.items()}
    ru = [
        f"В {y} году в республиканский бюджет поступило {n['rev']} млрд тенге доходов, расходы составили "
        f"{n['exp']} млрд тенге.",
        f"Объем государственного долга на 1 января {y + 1} года составил {n['debt']} млрд тенге.",
        f"Налоговые поступления за {y} год составили {n['tax']} млрд тенге, в том числе корпоративный подоходный "
        f"налог – {n['cit']} млрд тенге, налог на добавленную стоимость – {n['vat']} млрд тенге.",
    ]
    kk = [
        f"{y} жылы республикалық бюджетке {n['rev']} млрд теңге кіріс түсті, шығыстар {n['exp']} млрд теңгені құрады.",
        f"{y + 1} жылғы 1 қаңтардағы жағдай бойынша мемлекеттік борыш көлемі {n['debt']} млрд теңгені құрады.",
        f"{y} жылғы салық түсімдері {n['tax']} млрд теңгені құрады, оның ішінде корпоративтік табыс салығы – "
        f"{n['cit']} млрд теңге, қосылған құн салығы – {n['vat']} млрд теңге.",
    ]
    exp = [
        (d["rev"], *_year(y)), (d["exp"], *_year(y)), (d["debt"], *_stock(y + 1)),
        (d["tax"], *_year(y)), (d["cit"], *_year(y)), (d["vat"], *_year(y)),
    ]  # fmt: skip
    return kk, ru, exp


def _agriculture(y: int) -> tuple[list[str], list[str], list[Expected]]:
    d, prev = DATA["agriculture"][y], REVISED.get(("agriculture", y - 1, "grain"), DATA["agriculture"][y - 1]["grain"])
    n = {k: _num(v) for k, v in d.items()}
    p = _num(prev)
    ru = [
        f"В {y} году собрано {n['grain']} тыс. тонн зерна (в {y - 1} году – {p} тыс. тонн), средняя урожайность "
        f"составила {n['yield']} центнера с гектара. Фермерам выделено {n['subs']} млрд тенге субсидий, что на "
        f"{n['sp']}% больше, чем в {y - 1} году.",
        f"Поголовье крупного рогатого скота на 1 января {y + 1} года составило {n['cattle']} тыс. голов, в том "
        f"числе в Костанайской области – {n['kost']} тыс. голов, в Акмолинской области – {n['akm']} тыс. голов.",
    ]
    kk = [
        f"{y} жылы {n['grain']} мың тонна астық жиналды ({y - 1} жылы – {p} мың тонна), орташа өнімділік "
        f"гектарына {n['yield']} центнерді құрады. Фермерлерге {n['subs']} млрд теңге субсидия бөлінді, бұл "
        f"{y - 1} жылға қарағанда {n['sp']}%-ға артық.",
        f"{y + 1} жылғы 1 қаңтардағы жағдай бойынша ірі қара мал басы {n['cattle']} мың басты құрады, оның ішінде "
        f"Қостанай облысында – {n['kost']} мың бас, Ақмола облысында – {n['akm']} мың бас.",
    ]
    exp = [
        (d["grain"], *_year(y)), (prev, *_year(y - 1)), (d["yield"], *_year(y)), (d["subs"], *_year(y)),
        (d["sp"], *_year(y)), (d["cattle"], *_stock(y + 1)), (d["kost"], *_stock(y + 1)), (d["akm"], *_stock(y + 1)),
    ]  # fmt: skip
    return kk, ru, exp


def _education(y: int) -> tuple[list[str], list[str], list[Expected]]:
    d = DATA["education"][y]
    n = {k: _num(v) for k, v in d.items()}
    ru = [
        f"В {y} году в общеобразовательных школах обучались {n['pupils']} учащихся, в том числе в городе "
        f"Шымкенте – {n['shym']}. Построено {n['schools']} новых школ на {n['places']} ученических мест.",
        f"Государственные образовательные гранты в {y} году получили {n['grants']} выпускников, что на {n['gp']}% "
        f"больше по сравнению с {y - 1} годом.",
    ]
    kk = [
        f"{y} жылы жалпы білім беретін мектептерде {n['pupils']} оқушы білім алды, оның ішінде Шымкент қаласында – "
        f"{n['shym']}. {n['schools']} жаңа мектеп салынды, оларда {n['places']} оқушы орны бар.",
        f"{y} жылы мемлекеттік білім беру грантын {n['grants']} түлек алды, бұл {y - 1} жылмен салыстырғанда "
        f"{n['gp']}%-ға көп.",
    ]
    exp = [
        (d["pupils"], *_year(y)), (d["shym"], *_year(y)), (d["schools"], *_year(y)), (d["places"], *_year(y)),
        (d["grants"], *_year(y)), (d["gp"], *_year(y)),
    ]  # fmt: skip
    return kk, ru, exp


_BUILDERS = {"health": _health, "finance": _finance, "agriculture": _agriculture, "education": _education}
_SENDERS = {
    "health": ("Денсаулық сақтау министрлігі", "Министерство здравоохранения"),
    "finance": ("Қаржы министрлігі", "Министерство финансов"),
    "agriculture": ("Ауыл шаруашылығы министрлігі", "Министерство сельского хозяйства"),
    "education": ("Оқу-ағарту министрлігі", "Министерство просвещения"),
}


def ministry_letters() -> list[MinistryLetter]:
    out = []
    for ministry, build in _BUILDERS.items():
        for y in YEARS:
            kk, ru, exp = build(y)
            kk_tables, ru_tables, cells = ministry_tables(ministry, y)
            kk_intro = f"Синтетикалық сынақ хаты: {_SENDERS[ministry][0]} жыл қорытындысы туралы ақпарат береді."
            ru_intro = f"Синтетическое тестовое письмо: {_SENDERS[ministry][1]} сообщает об итогах года."
            doc = from_paragraphs(
                outgoing_no=f"SYN-{ministry[:3].upper()}-{y + 1}/7",
                letter_date=f"20.01.{y + 1}",
                inquiry_no=f"ДЗ-{y - 2000}",
                inquiry_date=f"05.01.{y + 1}",
                kk_appendix=[kk_intro, *kk, *kk_tables],
                ru_appendix=[ru_intro, *ru, *ru_tables],
            )
            r = RENDERINGS[(ministry, y)]
            out.append(MinistryLetter(ministry, y, doc, f"{ministry}-{y + 1}.pdf", exp, cells, r.layout, r.backend))
    return out
