"""Numbers, dates and times as Kazakh and Russian write them (issue 11), in sentences of our own.

Each case states what the reader must give for one sentence: the amounts
(value * scale) and kinds of its figures, in text order. Kazakh and Russian
wordings of the same fact come out the same.
"""

from __future__ import annotations

import pytest

from etl.figures import read_numbers


def amounts(text: str, lang: str) -> list[tuple[float, str, str | None]]:
    return [(round(t.value * t.scale, 6), t.kind, t.unit) for t in read_numbers(text, lang)]  # type: ignore[arg-type]


D = "date"


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        # Kazakh possessive and locative dates, the month voicing its last consonant.
        ("kk", "Кеңес 2016 жылдың 3 қыркүйегі күні ашылды.", [(20160903, D, None)]),
        ("kk", "Мектеп 1921 жылдың 12 қыркүйегінде ашылған.", [(19210912, D, None)]),
        ("kk", "Биыл 7 қыркүйекте жиын болады.", [(907, D, None)]),
        # One year serving two dates, in both languages.
        ("kk", "Сынақ 2019 жылдың 10 наурызында және 20 сәуірінде өтті.", [(20190310, D, None), (20190420, D, None)]),
        ("ru", "Испытания прошли 10 марта и 20 апреля 2019 года.", [(20190310, D, None), (20190420, D, None)]),
        ("kk", "Ол 2008 жылғы ақпан – қараша аралығында жұмыс істеді.", [(20080200, D, None), (20081100, D, None)]),
        ("ru", "Он работал с февраля по ноябрь 2008 года.", [(20080200, D, None), (20081100, D, None)]),
        # Day ranges.
        ("kk", "Көрме маусымның 4-6 күндері өтеді.", [(604, D, None), (606, D, None)]),
        ("ru", "Выставка пройдет с 4 по 6 июня.", [(604, D, None), (606, D, None)]),
        ("ru", "Курсы прошли 11-14 ноября 2020 года.", [(20201111, D, None), (20201114, D, None)]),
        ("kk", "Курстар 2020 жылғы 11-14 қараша аралығында өтті.", [(20201111, D, None), (20201114, D, None)]),
        ("kk", "Акция мамырдың 3-інен 9-ына дейін жүреді.", [(503, D, None), (509, D, None)]),
        # Numeric dates: year first, two-digit years, month and year.
        ("ru", "Принято 2016.03.09 и вступило в силу 15.04.16.", [(20160309, D, None), (20160415, D, None)]),
        ("ru", "В должности с 09.2003 по 11.2005.", [(20030900, D, None), (20051100, D, None)]),
        # A day in quotes, a capitalised Kazakh month between a day and a year.
        ("ru", "Приказ от «14» мая 2013 года", [(20130514, D, None)]),
        ("kk", "2013 жылғы «14» мамырдағы бұйрық", [(20130514, D, None)]),
        ("kk", "Жаңалық: 05 Наурыз 2014, 10:20", [(20140305, D, None), (10.2, "statistic", "time")]),
        # Times.
        ("kk", "Қабылдау сағат 14.30-да басталады.", [(14.3, "statistic", "time")]),
        ("ru", "Прием начнется в 14.30.", [(14.3, "statistic", "time")]),
        ("ru", "Пункт открыт с 8.00 до 19.00 часов.", [(8, "statistic", "time"), (19, "statistic", "time")]),
        ("kk", "Бөлім 8.00 бастап 19.00 дейін ашық.", [(8, "statistic", "time"), (19, "statistic", "time")]),
        ("ru", "Рейс вылетел в 23:05.", [(23.05, "statistic", "time")]),
        ("ru", "Рост в 2.50 раза", [(2.5, "statistic", None)]),
        # Decades and years with a glued year mark.
        ("ru", "В 1970-х годах завод расширили.", [(1970, "year", None)]),
        ("kk", "1970 жылдары зауыт кеңейтілді.", [(1970, "year", None)]),
        ("kk", "Ғалым (1856ж. туған)", [(1856, "year", None)]),
        # A Russian case ending before a scale word.
        ("ru", "около 3-х тысяч участников", [(3000, "statistic", None)]),
    ],
)
def test_dates_and_times(lang: str, text: str, expected: list[tuple[float, str, str | None]]) -> None:
    assert amounts(text, lang) == expected


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        # Groups of three with a decimal comma after them, and a scale.
        ("ru", "Доходы составили 24 517,6 млрд тенге.", [(24517.6e9, "money", "KZT")]),
        ("kk", "Кірістер 24 517,6 млрд теңге болды.", [(24517.6e9, "money", "KZT")]),
        ("ru", "Резерв 3\u00a0402,75 тыс. тонн.", [(3402750.0, "statistic", None)]),
        # Signs: the minus sign always, a hyphen touching a decimal or percentage.
        ("ru", "Индекс изменился на −4,1 % за год.", [(-4.1, "statistic", "percent")]),
        ("kk", "Өзгеріс -2,5% болды.", [(-2.5, "statistic", "percent")]),
        # A dash between a label and a number stays a separator.
        ("ru", "выявлено – 17, этап-3", [(17, "statistic", None), (3, "statistic", None)]),
        # A scale word glued to its currency.
        ("ru", "на сумму 5,2 млрд.тенге", [(5.2e9, "money", "KZT")]),
        # A lower-case word typed against the number is a missing space, not a code.
        ("kk", "жұмыстарға250,4 млн теңге жұмсалды", [(250.4e6, "money", "KZT")]),
        ("ru", "модель A320 и сеть 5G", []),
        # Units and dimensions glued to digits.
        ("ru", "забег на 800м и зал 12х18 м", [(800, "statistic", None), (12, "statistic", None), (18, "statistic", None)]),
        # A phone number is one identifier, valued by its national number:
        # the kk "8 7172..." and the ru "+7 (7172)..." are the same.
        ("kk", "Анықтама телефоны: 8 7172 55 44 33", [(7172554433, "identifier", None)]),
        ("ru", "Телефон +7 (7172) 55-44-33", [(7172554433, "identifier", None)]),
        # A city number without its code, 3-2-2, is one identifier too; a longer
        # run of numbers or a thousands group stays numbers.
        ("kk", "Қабылдау бөлмесі: 391 25 08, факс 8 727 391 25 09", [(3912508, "identifier", None), (7273912509, "identifier", None)]),
        ("ru", "Приёмная: 391 25 08, факс 8 727 391 25 09", [(3912508, "identifier", None), (7273912509, "identifier", None)]),
        ("ru", "Итоги по округам: 391 25 08 14", [(391, "statistic", None), (25, "statistic", None), (8, "statistic", None), (14, "statistic", None)]),
        ("ru", "Всего 1 391 25 участников", [(1391, "statistic", None), (25, "statistic", None)]),
        # A scale or a percent after 3-2-2 makes the groups amounts.
        ("ru", "произведено 391 25 08 тыс. тонн", [(391, "statistic", None), (25, "statistic", None), (8000, "statistic", None)]),
    ],
)
def test_amounts_signs_and_codes(lang: str, text: str, expected: list[tuple[float, str, str | None]]) -> None:
    assert amounts(text, lang) == expected


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        # Counts that begin a compound are read in both languages.
        ("ru", "Для трехсменных школ и двухуровневой модели", [(3, "count", None), (2, "count", None)]),
        ("kk", "Үш ауысымды мектептер мен екі деңгейлі модель үшін", [(3, "count", None), (2, "count", None)]),
        ("ru", "по итогам пятидневного семинара", [(5, "duration", "day")]),
        ("kk", "бес күндік семинардың қорытындысы", [(5, "duration", "day")]),
        ("ru", "Выпуск вырос вдвое.", [(2, "count", None)]),
        ("kk", "Шығарылым екі есе өсті.", [(2, "count", None)]),
        ("kk", "Ұйымның онжылдығы тойланды.", [(10, "duration", "year")]),
        ("ru", "Отметили 10-летие организации.", [(10, "statistic", None)]),
        # Words that merely begin like a number are none.
        ("ru", "Семинар прошел одновременно, стоимость не изменилась.", []),
        # Four corners is a shape in both languages (see etl.figures.compounds).
        ("kk", "Ғимарат төрт бұрышты.", []),
        ("ru", "Здание прямоугольное, не четырехугольное.", []),
        # Roman numerals, the Cyrillic І and Х among them; a lone letter only before an ordinal word.
        ("ru", "Вручена медаль ІІ степени на XII форуме.", [(2, "count", None), (12, "count", None)]),
        ("kk", "ІІ дәрежелі медаль XII форумда тапсырылды.", [(2, "count", None), (12, "count", None)]),
        ("kk", "Х. Әлімов пен В. Ким келді.", []),
        # A number word restating the digits in brackets is read once.
        ("kk", "мерзімі 14 (он төрт) күн", [(14, "duration", "day")]),
    ],
)
def test_numbers_inside_words(lang: str, text: str, expected: list[tuple[float, str, str | None]]) -> None:
    assert amounts(text, lang) == expected
