"""Extraction of the sample letter in every layout and from both producers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from etl.extract import extract_letter, language_of
from etl.extract.glyphs import Glyph
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


def _page(number: int, footer: list[str]):
    from etl.extract.glyphs import PageGlyphs
    from etl.extract.lines import Line

    pg = PageGlyphs(number=number, width=595.0, height=842.0, glyphs=[], rotated=0)
    body = [Line(number, 60, 290, 100, 110, 10, "Мәтін жалғасады және аяқталмайды")]
    feet = [Line(number, 60 + 250 * k, 120 + 250 * k, 800, 810, 10, text) for k, text in enumerate(footer)]
    return pg, body + feet


def test_numbers_alone_at_the_foot_of_both_columns_are_kept() -> None:
    from etl.extract.paragraphs import margin_lines

    # "1 2 3" ends both columns of page 2: twice on one page, never elsewhere.
    pages = [_page(1, ["Исх. № 4 от 2018"]), _page(2, ["1 2 3", "1 2 3"]), _page(3, ["Исх. № 4 от 2018"])]
    dropped = margin_lines(pages)
    assert (2, 1) not in dropped and (2, 2) not in dropped
    # A line repeated on the pages themselves is still a running footer.
    assert {(1, 1), (3, 1)} <= dropped


def test_a_paragraph_with_no_letters_takes_the_language_of_its_column() -> None:
    from etl.extract.letter import _tag

    # The right-hand column opens with "7 8 9" right after the left column's
    # last Kazakh paragraph on the same page: only the column says it is Russian.
    raw = [(1, "Өткен жылы облыста 12 мектеп салынды.", ()), (1, "Приложение", ()), (1, "7 8 9", ()), (1, "В области построено 12 школ.", ())]
    paragraphs, _ = _tag(raw, ["kk", "ru", "ru", "ru"])  # type: ignore[arg-type]
    assert [p.lang for p in paragraphs] == ["kk", "ru", "ru", "ru"]
    unhinted, _ = _tag(raw)  # type: ignore[arg-type]
    assert unhinted[2].lang == "kk"  # what the neighbours alone would say


def _two_column_page() -> tuple[Callable[[float, float, str], list[Glyph]], list[Glyph]]:
    """A word placer, and twelve side-by-side rows of Kazakh and Russian prose on one page."""

    def words(y: float, x: float, text: str) -> list[Glyph]:
        out = []
        for w in text.split():
            out.append(Glyph(w, x, x + 4 * len(w), y, y + 10, 10.0))
            x += 4 * len(w) + 4
        return out

    kk = ["Өткен жылы облыста он екі мектеп салынды және ашылды", "Биыл тағы бес мектеп салу жоспарлануда әкімдік қаржысы"]
    ru = ["В прошлом году в области построено и открыто школ", "В этом году планируется построить ещё пять школ"]
    return words, [g for r in range(12) for g in words(100 + 20 * r, 40, kk[r % 2]) + words(100 + 20 * r, 320, ru[r % 2])]


def test_the_columns_last_row_alone_on_a_page_keeps_its_columns() -> None:
    from etl.extract.glyphs import PageGlyphs
    from etl.extract.lines import layout_pages

    words, first = _two_column_page()
    # The last row of both columns, alone at the top of the next page (in its header band).
    last = words(58, 40, "25 ақпан 2015 жыл") + words(58, 320, "25 февраля 2015 года")
    pages = [PageGlyphs(1, 595.0, 842.0, first, 0), PageGlyphs(2, 595.0, 842.0, last, 0)]
    laid = [layout for _, layout in layout_pages(pages)]
    assert [(ln.text, col) for ln, col in laid[1].lines] == [("25 ақпан 2015 жыл", "L"), ("25 февраля 2015 года", "R")]


def test_a_run_on_rows_first_line_is_split_even_where_only_one_column_goes_on() -> None:
    from etl.extract.glyphs import PageGlyphs
    from etl.extract.lines import layout_pages

    words, first = _two_column_page()
    # Kazakh ends in the header band of page 2; Russian goes on one row more,
    # so the page's body is that one right-hand row.
    last = words(58, 40, "жоспар туралы") + words(58, 320, "деятельности агентства по") + words(72, 320, "делам религий за год")
    pages = [PageGlyphs(1, 595.0, 842.0, first, 0), PageGlyphs(2, 595.0, 842.0, last, 0)]
    laid = [layout for _, layout in layout_pages(pages)]
    assert [(ln.text, col) for ln, col in laid[1].lines] == [
        ("жоспар туралы", "L"),
        ("деятельности агентства по", "R"),
        ("делам религий за год", "R"),
    ]
