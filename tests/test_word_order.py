"""Word order is not a swap (issue 11): real sentences of our own through the reader and the aligner."""

from __future__ import annotations

from collections import Counter
from datetime import date

from etl.align import align
from etl.figures import build_figures
from etl.models import Paragraph


def statuses(kk: str, ru: str) -> Counter[str]:
    paras = [Paragraph("kk", "appendix", 1, 1, kk), Paragraph("ru", "appendix", 1, 1, ru)]
    figures = build_figures("doc", paras, date(2020, 1, 1))
    return Counter(p.status for p in align(figures, paras))


def test_rate_per_population_in_either_order() -> None:
    assert statuses(
        "2019 жылы облыста 10 000 тұрғынға шаққанда 43,7 дәрігерден келді.",
        "В 2019 году в области приходилось 43,7 врача на 10 000 жителей.",
    ) == {"match": 3}


def test_countries_and_grants_in_either_order() -> None:
    assert statuses(
        "2018 жылы 17 елде 640 грант берілді.",
        "В 2018 году выдано 640 грантов в 17 странах.",
    ) == {"match": 3}


def test_two_numbers_with_the_same_label_and_unit_are_word_order() -> None:
    assert statuses(
        "Жолақтың (ені 12 мм) ішінде шеңбер (ені 30 мм) және жазу (биіктігі 5 мм) бар.",
        "Внутри круга (ширина 30 мм) полоса (ширина 12 мм) и надпись (высота 5 мм).",
    ) == {"match": 3}


def test_a_real_exchange_of_two_statistics_is_still_reported() -> None:
    found = statuses(
        "2019 жылы 240 қылмыс тіркелді, оның ішінде ашылғаны – 75, үзілгені – 31.",
        "В 2019 году зарегистрировано 240 преступлений, из них раскрыто – 31, прервано – 75.",
    )
    assert found == {"match": 2, "swapped": 2}


def test_a_changed_count_word_pairs_with_its_counterpart_not_with_an_article() -> None:
    found = Counter()
    paras = [
        Paragraph("kk", "appendix", 1, 1, "Бұл шара алты реформаның бірі болып табылады."),
        Paragraph("ru", "appendix", 1, 1, "Эта мера является одной из семи реформ."),
    ]
    pairs = align(build_figures("doc", paras, date(2020, 1, 1)), paras)
    for p in pairs:
        if p.status != "match":
            found[(p.status, p.kk.value if p.kk else None, p.ru.value if p.ru else None)] += 1
    assert found == {("changed", 6.0, 7.0): 1}
