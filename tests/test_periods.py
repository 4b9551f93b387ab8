"""Periods a statistic covers, resolved against the letter date."""

from __future__ import annotations

from datetime import date

import pytest

from etl.figures import read_numbers
from etl.figures.periods import Period, as_of, period_markers, period_of

LETTER = date(2017, 11, 13)


def period_for(text: str, lang: str, value: float, letter_date: date | None = LETTER) -> Period | None:
    tokens = read_numbers(text, lang)  # type: ignore[arg-type]
    marks = period_markers(text, lang, tokens, letter_date)  # type: ignore[arg-type]
    (tok,) = [t for t in tokens if t.value == value and t.kind == "statistic"]
    return period_of(tok.start, marks)


FULL_2015 = Period(date(2015, 1, 1), date(2015, 12, 31), 12, False)
FULL_2016 = Period(date(2016, 1, 1), date(2016, 12, 31), 12, False)
TEN_MONTHS = Period(date(2017, 1, 1), date(2017, 10, 31), 10, True)
YEAR_TO_DATE = Period(date(2017, 1, 1), LETTER, None, True)


@pytest.mark.parametrize(
    "text,lang,value,expected",
    [
        ("в 2015 году по Главе 7 УК зарегистрировано 128 правонарушений", "ru", 128, FULL_2015),
        ("2015 жылы ҚК-нің 7-тарауы бойынша 128 құқық бұзушылық тіркелген", "kk", 128, FULL_2015),
        ("в 2015 году зарегистрировано 128, в 2016 году зарегистрировано – 113", "ru", 113, FULL_2016),
        ("За 10 месяцев т.г. зарегистрировано 83 уголовных правонарушения", "ru", 83, TEN_MONTHS),
        ("Ағымдағы жылғы 10 айда 83 қылмыстық құқық бұзушылық тіркелген", "kk", 83, TEN_MONTHS),
        ("За прошлый год органами внутренних дел выявлено 1419 зарубежных ресурсов", "ru", 1419, FULL_2016),
        ("Өткен жылы ішкі істер органдары құқыққа қайшы 1419 шетел ресурстары анықталды", "kk", 1419, FULL_2016),
        ("С начала т.г. всего выявлено 1007 противоправных интернет-ресурсов", "ru", 1007, YEAR_TO_DATE),
        ("Ағымдағы жыл басынан бастап құқыққа қайшы 1007 интернет-ресурстар анықталды", "kk", 1007, YEAR_TO_DATE),
        ("в 2017 году зарегистрировано 90 дел", "ru", 90, YEAR_TO_DATE),
        ("За 9 месяцев 2016 года зарегистрировано 75 дел", "ru", 75,
         Period(date(2016, 1, 1), date(2016, 9, 30), 9, True)),
        ("2016 жылғы 9 айда 75 іс тіркелген", "kk", 75, Period(date(2016, 1, 1), date(2016, 9, 30), 9, True)),
        ("В 2013-2014 годы зарегистрировано 40 дел", "ru", 40,
         Period(date(2013, 1, 1), date(2014, 12, 31), 24, False)),
    ],
)
def test_period_of_a_statistic(text, lang, value, expected):
    assert period_for(text, lang, value) == expected


def test_no_period_stated_means_none():
    assert period_for("Остальные 819 зарегистрированных мошенничеств", "ru", 819) is None


def test_relative_periods_need_the_letter_date():
    assert period_for("За 10 месяцев т.г. зарегистрировано 83 правонарушения", "ru", 83, letter_date=None) is None
    assert period_for("в 2015 году зарегистрировано 128", "ru", 128, letter_date=None) == FULL_2015


def test_a_period_stated_after_the_number_does_not_apply():
    assert period_for("Зарегистрировано 128 правонарушений, в 2015 году – меньше.", "ru", 128) is None


def test_as_of_is_the_letter_date():
    assert as_of(LETTER) == Period(LETTER, LETTER, None, True)
