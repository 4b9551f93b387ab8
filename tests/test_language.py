"""The language of a paragraph when one language quotes the other."""

from __future__ import annotations

import pytest

from etl.extract import language_of


@pytest.mark.parametrize(
    "text, lang",
    [
        # Russian sentences naming Kazakh bodies, awards and buildings.
        ("Нагрудный знак «Құрметті еңбек ардагері» вручается за многолетний труд в отрасли.", "ru"),
        ("Совещание прошло в здании Үкімет үйі на третьем этаже, в зале для заседаний.", "ru"),
        ("Медаль «Ерлігі үшін» ІІ степени вручена по итогам года.", "ru"),
        ("Награждены медалью «Тәуелсіздікке 20 жыл» и почётной грамотой министерства.", "ru"),
        # Kazakh sentences naming Russian titles.
        ("Министрлік «Новости региона» газетіне сұхбат берді және жоспарларын айтты.", "kk"),
        ("ІІІ дәрежелі медаль жыл сайын тапсырылады.", "kk"),
        # Plain prose still tells itself.
        ("Өткен жылы облыста 45 мектеп салынды.", "kk"),
        ("В прошлом году в области построено 45 школ.", "ru"),
    ],
)
def test_quoted_names_do_not_decide_the_language(text: str, lang: str) -> None:
    assert language_of(text) == lang


@pytest.mark.parametrize(
    "text, lang",
    [
        # A site's language switch run together with the page's own text: the
        # names of every language, glued, are evidence for none.
        ("тілдерқазақшаrussianрусскийenglish Облыстық білім басқармасы 12.03.2016", "kk"),
        ("тілдерқазақшаrussianрусскийenglish Областное управление образования 12.03.2016", "ru"),
        # Kazakh typed with the Latin i still reads as Kazakh.
        ("Медальдiң бетiнде елтаңба бейнесi бар", "kk"),
        # A hyphen between the scripts is a word of the text ("Call-центр").
        ("Call-центр работает круглосуточно и принимает обращения граждан", "ru"),
    ],
)
def test_glued_words_of_both_scripts_do_not_vote(text: str, lang: str) -> None:
    assert language_of(text) == lang


@pytest.mark.parametrize(
    "text",
    [
        # A Kazakh address followed by an unquoted Russian department name.
        "Мекенжайы: Шымкент қ., Тәуке хан д-лы 5 Отдел кадровой работы и документооборота",
        # A Russian sentence ending in an unquoted Kazakh building name.
        "Приём граждан проходит на первом этаже здания Әкімдік үйі.",
    ],
)
def test_one_russian_word_against_kazakh_letters_is_left_to_the_neighbours(text: str) -> None:
    assert language_of(text) is None
