"""A SYNTHETIC series of yearly letters for the warehouse tests.

These letters are made up: same ministry, same wording as the real 2017
letter in raw/, numbers invented. Each restates the two previous full years
of the sample's metrics; the 2019 letter revises a 2017 figure. They live
under tests/ and are never put in raw/.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.fixtures.letter import LetterDoc, from_paragraphs

# metric -> year -> value, as each synthetic letter states it.
CH7 = {2015: (128, 12, 37), 2016: (113, 13, 27), 2017: (97, 8, 30), 2018: (104, 11, 22), 2019: (121, 15, 25)}
FRAUD = {2015: (45, 7, 25), 2016: (1046, 24, 916), 2017: (2011, 140, 1500), 2018: (2388, 160, 1700), 2019: (2570, 190, 1820)}
# The 2019 letter revises 2017's internet-fraud registrations (2011 -> 2015).
REVISED = {2019: {("fraud", 2017): (2015, 140, 1500)}}


@dataclass(frozen=True)
class SeriesLetter:
    year: int  # the year the letter was written
    doc: LetterDoc
    name: str


def _ch7(y1: int, y2: int, a: tuple[int, int, int], b: tuple[int, int, int]) -> tuple[str, str]:
    kk = (
        f"Статистикалық мәліметтерге сәйкес {y1} жылы ҚК-нің 7-тарауы бойынша {a[0]} құқық бұзушылық тіркелген "
        f"(ашылғаны – {a[1]}, тергеу мерзімдерінің үзілгені {a[2]} іс бойынша), {y2} жылы тіркелгені – {b[0]} "
        f"(ашылғаны – {b[1]}, тергеу мерзімдерінің үзілгені {b[2]} істер бойынша)."
    )
    ru = (
        f"Согласно статистическим данным в {y1} году по Главе 7 УК зарегистрировано {a[0]} правонарушений "
        f"(раскрыто – {a[1]}, прерваны сроки расследования по {a[2]} делам), в {y2} году зарегистрировано – {b[0]}, "
        f"(раскрыто – {b[1]}, прерваны сроки расследования по {b[2]} делам)."
    )
    return kk, ru


def _fraud(y1: int, y2: int, a: tuple[int, int, int], b: tuple[int, int, int]) -> tuple[str, str]:
    kk = (
        f"Мәселен, {y1} жылы интернет-алаяқтықтың {a[0]} тіркелген, ашылғаны – {a[1]}, ашылмағаны – {a[2]}, "
        f"{y2} жылы жасалғаны – {b[0]}, ашылғаны – {b[1]}, ашылмағаны – {b[2]}."
    )
    ru = (
        f"Так, в {y1} году зарегистрировано {a[0]} интернет-мошенничеств, раскрыто – {a[1]}, нераскрыты – {a[2]}, "
        f"в {y2} году совершено – {b[0]}, раскрыты – {b[1]}, нераскрыты – {b[2]}."
    )
    return kk, ru


def synthetic_series() -> list[SeriesLetter]:
    letters = []
    for year in (2018, 2019, 2020):
        y1, y2 = year - 2, year - 1
        revised = REVISED.get(year, {})
        ch7 = _ch7(y1, y2, CH7[y1], CH7[y2])
        fraud = _fraud(y1, y2, revised.get(("fraud", y1), FRAUD[y1]), revised.get(("fraud", y2), FRAUD[y2]))
        intro_kk = "Синтетикалық сынақ хаты: Ішкі істер министрлігі киберқылмысқа қарсы іс-қимыл бойынша ақпарат береді."
        intro_ru = "Синтетическое тестовое письмо: Министерство внутренних дел сообщает о противодействии киберпреступности."
        doc = from_paragraphs(
            outgoing_no=f"SYNTHETIC-{year}/1",
            letter_date=f"14.11.{year}",
            inquiry_no=f"ДЗ-{year - 2000}",
            inquiry_date=f"20.10.{year}",
            kk_appendix=[intro_kk, ch7[0], fraud[0]],
            ru_appendix=[intro_ru, ch7[1], fraud[1]],
        )
        letters.append(SeriesLetter(year, doc, f"synthetic-{year}.pdf"))
    return letters
