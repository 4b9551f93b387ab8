"""Word order is not a swap (issue 11): real sentences of our own through the reader and the aligner."""

from __future__ import annotations

from collections import Counter
from datetime import date

from etl.align import align, settle_pairs
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


# --------------------------------------------------------------------------- stamps, echoes, leftovers


def settled(kk: list[str], ru: list[str]) -> list[tuple[str, str | None, str | None]]:
    """The findings of a kk/ru letter after pairing and the period check, as (status, kk, ru) surfaces."""
    paras = [Paragraph("kk", "appendix", n, 1, t) for n, t in enumerate(kk, 1)]
    paras += [Paragraph("ru", "appendix", n, 1, t) for n, t in enumerate(ru, 1)]
    figures = build_figures("doc", paras, date(2020, 1, 1))
    _, pairs = settle_pairs(figures, align(figures, paras))
    return [(p.status, p.kk and p.kk.surface, p.ru and p.ru.surface) for p in pairs if p.status != "match"]


def test_stamp_dates_and_times_take_the_role_of_their_label() -> None:
    paras = [Paragraph("ru", "appendix", 1, 1, "Опубликовано: 03.02.2021 10:15 Обновлено: 04.02.2021 09:40")]
    roles = [(f.surface, f.role) for f in build_figures("doc", paras, date(2021, 3, 1))]
    assert roles == [("03.02.2021", "posted"), ("10:15", "posted"), ("04.02.2021", "modified"), ("09:40", "modified")]


def test_stamp_labels_in_the_other_order_with_the_same_times_agree() -> None:
    # The Kazakh page names the change first; both stamps say the same.
    assert settled(
        ["Өзгертілді: 03.02.2021 10:15 Жарияланды: 03.02.2021 10:15"],
        ["Опубликовано: 03.02.2021 10:15 Изменено: 03.02.2021 10:15"],
    ) == []


def test_times_bound_to_opposite_stamp_labels_are_reported() -> None:
    # Same numbers in the same places, but the Kazakh page has the page changed
    # at 10:15 and posted at 16:05, the Russian page the other way round.
    found = settled(
        ["Өзгертілді: 03.02.2021 10:15 Жарияланды: 03.02.2021 16:05"],
        ["Опубликовано: 03.02.2021 10:15 Изменено: 03.02.2021 16:05"],
    )
    assert {(s, k) for s, k, _ in found} == {("swapped", "10:15"), ("swapped", "16:05")}


def test_a_wrong_year_does_not_date_an_ordinal_or_a_name_after_it() -> None:
    # "2019" typed for 2018: the Roman ordinal and the year inside a name rank
    # and name, they count nothing over that year, so the year is the one finding.
    assert settled(
        ["2019 жылдың соңында Expo-2018 көрмесінің V кезеңі өтті."],
        ["В конце 2018 года прошёл V этап выставки Expo-2018."],
    ) == [("changed", "2019 жылдың", "2018 года")]


def test_a_count_after_a_wrong_year_is_a_period_finding_of_its_own() -> None:
    # An amount dated by the year is (issue 15): its period differs too.
    assert settled(
        ["2019 жылдың соңында облыста 7 жаңа мектеп ашылды."],
        ["В конце 2018 года в области открыто 7 новых школ."],
    ) == [("changed", "2019 жылдың", "2018 года"), ("period_differs", "7", "7")]


def test_a_period_stated_differently_without_a_changed_year_is_still_reported() -> None:
    # The Russian's extra "2018 году" is a finding of its own: the 7 must be one too.
    found = settled(
        ["2019 жылы облыста 7 жаңа мектеп ашылды."],
        ["В 2018 году в области открыто 7 новых школ, а в 2019 году – ни одной."],
    )
    assert ("period_differs", "7", "7") in found
    # The same sentence with the kk year that agrees: the 7 matches.
    agreed = settled(
        ["2018 жылы облыста 7 жаңа мектеп ашылды."],
        ["В 2018 году в области открыто 7 новых школ, а в 2019 году – ни одной."],
    )
    assert not any(kk == "7" for _, kk, _ in agreed)


def test_an_edited_figure_stays_in_its_own_paragraph_rather_than_take_a_neighbours_twin() -> None:
    # The paragraphs around it were cut short in Russian, so their "2,5" has no
    # counterpart; the edited "2,7" is a change of its own paragraph's 2,5.
    kk = [
        "Бірінші белгінің диаметрі 30 мм, жиегінің ені 2,5 мм.",
        "Екінші белгінің диаметрі 32 мм, жиегінің ені 2,7 мм.",
        "Үшінші белгінің диаметрі 34 мм, жиегінің ені 2,5 мм.",
    ]
    ru = [
        "Первый знак диаметром 30 мм, ширина ободка",
        "Второй знак диаметром 32 мм, ширина ободка 2,5 мм.",
        "Третий знак диаметром 34 мм, ширина ободка",
    ]
    assert settled(kk, ru) == [("missing_ru", "2,5", None), ("changed", "2,7", "2,5"), ("missing_ru", "2,5", None)]


def test_a_count_inside_a_compound_word_needs_no_twin() -> None:
    # "Екіжылдық" (two-year) against the loanword "биеннале": nothing to pair with.
    assert settled(["Екіжылдық көрмеге 40 суретші қатысты."], ["В биеннале участвовали 40 художников."]) == []
    # With a count on the other side it is compared as any figure.
    assert settled(["Екіжылдық жоспар қабылданды."], ["Принят трехлетний план."]) == [("changed", "Екіжылдық", "трехлетний")]


def test_a_digit_one_prefers_a_digit_one_of_the_next_paragraph_to_the_article() -> None:
    # Kazakh broke the line after "1)"; its "бір" is the article of "бір рет".
    kk = ["Ұйымның құрылымы: 1)", "Жиналыс үш жылда бір рет өткізіледі."]
    ru = ["Структура организации: 1) Собрание проводится раз в три года."]
    assert settled(kk, ru) == []
