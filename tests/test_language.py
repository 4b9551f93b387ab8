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
