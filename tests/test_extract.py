"""Extraction of the sample letter in every layout and from both producers."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from etl.extract import extract_letter, language_of
from etl.fixtures.letter import LetterDoc, from_paragraphs
from etl.fixtures.render import render_pdf
from etl.models import Letter

from .conftest import RENDERINGS

STAMP = "Копия электронного документа"


def _extract(path: Path) -> Letter:
    return extract_letter(str(path), path.read_bytes())


def _expected(doc: LetterDoc, lang: str, part: str) -> list[str]:
    return [re.sub(r"\s+", " ", t.replace("\n", " ")).strip() for t in doc.texts(lang, part)]  # type: ignore[arg-type]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@pytest.mark.parametrize("layout,backend", RENDERINGS)
def test_paragraphs_are_the_letters_paragraphs(rendered, sample_doc, layout, backend):
    letter = _extract(rendered[(layout, backend)])
    for lang in ("kk", "ru"):
        for part in ("cover", "appendix"):
            got = [p.text for p in letter.paragraphs if p.lang == lang and p.part == part]
            want = _expected(sample_doc, lang, part)
            assert len(got) == len(want), (lang, part)
            for g, w in zip(got, want):
                # reportlab breaks an over-long word inside a narrow column
                # without a hyphen; compare words, not spacing, there.
                if backend == "reportlab" and layout == "two_column":
                    assert "".join(_words(g)) == "".join(_words(w))
                else:
                    assert g == w


@pytest.mark.parametrize("layout,backend", RENDERINGS)
def test_metadata(rendered, layout, backend):
    meta = _extract(rendered[(layout, backend)]).meta
    assert meta.outgoing_no == "1-3-6-43/2914-Д"
    assert meta.letter_date == date(2017, 11, 13)
    assert meta.inquiry_no == "ДЗ-256"
    assert meta.inquiry_date == date(2017, 10, 25)
    assert meta.signatory == "К. Касымов"
    assert meta.sender == "Министерство внутренних дел"
    assert meta.addressees and meta.addressees.startswith("Депутатам Мажилиса")


@pytest.mark.parametrize("layout,backend", RENDERINGS)
def test_no_stamp_registration_or_page_number_in_body(rendered, layout, backend):
    letter = _extract(rendered[(layout, backend)])
    for p in letter.paragraphs:
        assert STAMP not in p.text
        assert "15.11.2017" not in p.text
        # Rotated glyphs read one per line would leave runs of single letters.
        assert not re.search(r"(?:\b\w\b\s){4,}", p.text), p.text
        assert "№ исх" not in p.text
        assert not re.fullmatch(r"\d{1,3}", p.text), p


def test_bundled_sample_is_the_letter(sample_pdf, sample_doc):
    letter = _extract(sample_pdf)
    assert letter.pages == 22
    assert [p.text for p in letter.paragraphs if p.lang == "ru" and p.part == "appendix"] == _expected(
        sample_doc, "ru", "appendix"
    )


def test_stamp_is_dropped_by_rotation_not_by_text(tmp_path):
    # Body text that says what the stamp says must survive.
    doc = from_paragraphs(
        outgoing_no="1-1/1",
        letter_date="01.02.2018",
        kk_appendix=["Құжаттың көшірмесі: 15.11.2017 Копия электронного документа. 2017 жылы 12 іс тіркелген."],
        ru_appendix=["Копия: 15.11.2017 Копия электронного документа. В 2017 году зарегистрировано 12 дел."],
    )
    letter = _extract(render_pdf(doc, tmp_path / "l.pdf"))
    ru = [p.text for p in letter.paragraphs if p.lang == "ru" and p.part == "appendix"]
    assert any("15.11.2017 Копия электронного документа." in t for t in ru)


def test_page_numbers_are_dropped_but_numbers_in_text_kept(tmp_path):
    doc = from_paragraphs(
        outgoing_no="1-1/2",
        letter_date="01.02.2018",
        kk_appendix=["2017 жылы тіркелгені – 3"] + ["Мәтін жалғасады. " * 40] * 6,
        ru_appendix=["В 2017 году зарегистрировано – 3"] + ["Текст продолжается. " * 40] * 6,
    )
    letter = _extract(render_pdf(doc, tmp_path / "l.pdf"))
    assert letter.pages >= 3
    texts = [p.text for p in letter.paragraphs]
    assert "2017 жылы тіркелгені – 3" in texts
    assert "В 2017 году зарегистрировано – 3" in texts
    assert not any(re.fullmatch(r"\d+", t) for t in texts)


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Статистикалық мәліметтерге сәйкес 2015 жылы ҚК-нің 7-тарауы бойынша 128 құқық бұзушылық тіркелген", "kk"),
        ("Согласно статистическим данным в 2015 году по Главе 7 УК зарегистрировано 128 правонарушений", "ru"),
        ("получен канал по проверке принадлежности ІР-адресов отечественных интернет-провайдеров", "ru"),
        ("Министр Қ. Қасымов", "kk"),
        ("тел.: 72-22-37", None),
        ("63/436;", None),
    ],
)
def test_language_of(text, lang):
    assert language_of(text) == lang


def test_sender_in_other_wordings_of_a_ministry():
    from etl.extract.metadata import read_meta
    from etl.models import Paragraph

    cases = {
        "Министерством по чрезвычайным ситуациям Республики Казахстан рассмотрен Ваш запрос.": "Министерство по чрезвычайным ситуациям Республики Казахстан",
        "Министерство труда и социальной защиты населения, рассмотрев обращение, сообщает.": "Министерство труда и социальной защиты населения",
        "В Министерстве иностранных дел изучен вопрос.": "Министерство иностранных дел",
        "Агентство Республики Казахстан по делам государственной службы сообщает следующее.": "Агентство Республики Казахстан по делам государственной службы",
        "Министерство внутренних дел на Ваш запрос сообщает.": "Министерство внутренних дел",
    }
    for text, sender in cases.items():
        meta = read_meta(None, [Paragraph("ru", "cover", 1, 1, text)])
        assert meta.sender == sender, text
    # The common noun alone is no sender.
    assert read_meta(None, [Paragraph("ru", "cover", 1, 1, "Министерство в курсе.")]).sender is None
