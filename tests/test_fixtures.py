"""The fixture generator: the letter text format, the real sample and the PDFs it renders."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.fixtures import (
    SAMPLE_PDF_NAME,
    Block,
    LetterDoc,
    LetterFormatError,
    dump_letter,
    find_text,
    from_paragraphs,
    load_sample,
    parse_letter,
    render_pdf,
    replace_text,
    substitute,
    swap_text,
    without_language,
)
from etl.fixtures.__main__ import main as fixtures_main
from etl.fixtures.render import LEFT, COL_W, GUTTER, PAGE_NO_Y, REG_Y

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_TXT = ROOT / "etl" / "fixtures" / "sample_letter.txt"
MM = 72 / 25.4
STAMP = "15.11.2017 Копия электронного документа."
REGISTRATION = "№ исх: 1-3-6-43/2914-Д   от: 13.11.2017"

# Figures of the real letter, as written in each language (seed text, not corrected).
KK_APPENDIX_FIGURES = [
    "128 құқық бұзушылық", "ашылғаны – 12", "37 іс", "тіркелгені – 113", "10 айда 83",
    "45-тен", "1046", "– 916", "1694 тіркелген", "– 129", "1259 істер", "190-бабы 4-тармағы, 2-бөлігі",
    "875-де", "596-сы", "63/436", "48/22", "141/108", "56/30", "Қалған 819", "14 млн.", "8 млн.",
    "2013-14", "40-тан", "500 млн.", "7 млн.", "3,6 жылға", "15 ұялы телефон", "жеті өңіріндегі",
    "34 алаяқтық", "1419 шетел", "– 703", "– 402", "– 259", "– 53", "– 2.", "1007 интернет-ресурстар",
    "413", "349", "171", "74", "59 адам", "– 13", "– 46 адам", "2017-2020", "90 клиентінің",
    "9 млн.", "51 клиенттің", "70-тен", "2014 жылғы 23 желтоқсанда", "2016 жылғы 28 наурызда",
    "2.1.13-тармағын", "12-бабы, 2-тармағы", "№ 171", "19-тармағында",
]
RU_APPENDIX_FIGURES = [
    "128 правонарушений", "раскрыто – 12", "37 делам", "– 113", "10 месяцев т.г. зарегистрировано 83",
    "из 45 зарегистрированных", "– 1046", "нераскрыты- 916", "1694 мошенничеств", "129", "1259 делам",
    "п.4, ч.2 ст.190", "лишь в 875 из 1694", "596", "63/436", "48/22", "141/108", "56/30", "819",
    "14 млн.", "8 млн.", "2013-14 гг.", "500 млн.", "более 40", "7 млн.", "3,6 годам", "15 сотовых",
    "семи регионов", "34 мошенничеств", "1419 зарубежных", "703", "402", "259", "53", "2 – по",
    "1007 противоправных", "59 единиц", "23.12.2014г", "28.03.2016г.", "п.2.1.13", "ст.12, ч.2",
    "п.19", "24 февраля 2015 года № 171", "70 иностранных",
]
KAZAKH_LETTERS = "әғқңөұүһі"


@pytest.fixture(scope="module")
def sample() -> LetterDoc:
    return load_sample()


# --------------------------------------------------------------------------- text format


def test_sample_file_is_in_canonical_form(sample: LetterDoc) -> None:
    assert dump_letter(sample) == SAMPLE_TXT.read_text(encoding="utf-8")
    assert parse_letter(dump_letter(sample)) == sample


def test_sample_metadata_and_sections(sample: LetterDoc) -> None:
    assert sample.outgoing_no == "1-3-6-43/2914-Д"
    assert sample.letter_date == "13.11.2017"
    assert sample.stamp == STAMP
    assert sample.registration == REGISTRATION
    assert [k for k, _ in sample.ordered_sections()] == [
        ("kk", "cover"), ("ru", "cover"), ("kk", "appendix"), ("ru", "appendix")
    ]
    kk, ru = sample.section("kk", "appendix"), sample.section("ru", "appendix")
    assert kk[0] == Block("Қосымша", "title") and ru[0] == Block("Приложение", "title")
    # Paragraph i of kk translates paragraph i of ru; kk ends with the signing ministry.
    assert len(kk) == len(ru) + 1 and kk[-1] == Block("Ішкі істер министрлігі", "lines")
    assert [i for i, b in enumerate(kk) if b.style == "heading"] == [
        i for i, b in enumerate(ru) if b.style == "heading"
    ]
    assert {b.text for b in ru if b.style == "heading"} == {
        "Взаимодействие с госорганами и частным сектором", "Международное сотрудничество", "Проблемные вопросы",
    }
    assert Block("Министр             Қ. Қасымов", "lines") in sample.section("kk", "cover")
    assert Block("орын.: Р.Дүйсетаев\nтел.: 72-22-37", "lines") in sample.section("kk", "cover")


@pytest.mark.parametrize(("lang", "figures"), [("kk", KK_APPENDIX_FIGURES), ("ru", RU_APPENDIX_FIGURES)])
def test_sample_keeps_every_figure(sample: LetterDoc, lang: str, figures: list[str]) -> None:
    text = "\n".join(sample.texts(lang, "appendix"))  # type: ignore[arg-type]
    missing = [f for f in figures if f not in text]
    assert not missing


def test_sample_has_no_extraction_artefacts(sample: LetterDoc) -> None:
    for (lang, part), blocks in sample.ordered_sections():
        for block in blocks:
            assert "исх:" not in block.text
            assert "Копия" not in block.text
            assert len(block.text) > 1, (lang, part, block)
            if block.style == "body":
                assert "  " not in block.text and block.text == block.text.strip()
                # Words broken at a line end are joined back; hyphenated compounds keep the hyphen.
                assert not re.search(r"-\s[а-яәғқңөұүһі]", block.text), block.text
    kk = "\n".join(sample.texts("kk", "appendix"))
    ru = "\n".join(sample.texts("ru", "appendix"))
    for word in ("іс-қимыл", "интернет-ресурстар", "Интернет-дүкендердің", "SIM-картаның", "интернет-провайдерлердің"):
        assert word in kk
    for word in ("интернет-мошенничества", "IP-адреса"):
        assert word in ru
    assert set(KAZAKH_LETTERS) <= set(kk)


def test_plain_multiline_block_is_lines_and_markers_cannot_mix() -> None:
    doc = parse_letter("=== kk cover\nбірінші жол\nекінші жол\n")
    assert doc.section("kk", "cover") == (Block("бірінші жол\nекінші жол", "lines"),)
    with pytest.raises(LetterFormatError, match="line 2"):
        parse_letter("=== kk cover\n| бір\n> екі\n")
    with pytest.raises(LetterFormatError, match="unknown metadata"):
        parse_letter("@sender МВД\n=== kk cover\nмәтін\n")
    with pytest.raises(LetterFormatError, match="before the first"):
        parse_letter("мәтін\n=== kk cover\n")
    with pytest.raises(LetterFormatError, match="twice"):
        parse_letter("=== kk cover\nа\n\n=== kk cover\nә\n")


_text = st.text(
    alphabet=st.sampled_from(list("аәқ Ққ19.,–-#>|\\=/@ ") + ["№", "«", "»"]), min_size=1, max_size=30
)
_line = _text.map(str.rstrip)
_one_line = _text.map(str.strip).filter(bool)


@st.composite
def _blocks(draw: st.DrawFn) -> Block:
    style = draw(st.sampled_from(["body", "heading", "title", "lines", "address"]))
    if style in ("lines", "address"):
        return Block("\n".join(draw(st.lists(_line, min_size=1, max_size=4))), style)
    return Block(draw(_one_line), style)


@settings(max_examples=150, deadline=None)
@given(
    sections=st.dictionaries(
        st.sampled_from([("kk", "cover"), ("ru", "cover"), ("kk", "appendix"), ("ru", "appendix")]),
        st.lists(_blocks(), max_size=5).map(tuple),
    ),
    outgoing=st.none() | _one_line,
)
def test_text_format_round_trips(sections: dict, outgoing: str | None) -> None:
    doc = LetterDoc(outgoing_no=outgoing, letter_date="01.02.2016", stamp=None, sections=sections)
    assert parse_letter(dump_letter(doc)) == doc


# --------------------------------------------------------------------------- editing


def test_substitute_changes_one_language_only(sample: LetterDoc) -> None:
    changed = substitute(sample, "ru", "appendix", "128", "129")
    assert changed.section("kk", "appendix") == sample.section("kk", "appendix")
    assert changed.section("ru", "cover") == sample.section("ru", "cover")
    before, after = sample.section("ru", "appendix"), changed.section("ru", "appendix")
    diffs = [(a.text, b.text) for a, b in zip(before, after) if a != b]
    assert len(diffs) == 1 and diffs[0][1] == diffs[0][0].replace("128", "129", 1)
    assert sample.section("ru", "appendix") == before  # the original is untouched


def test_find_text_matches_whole_numbers(sample: LetterDoc) -> None:
    i, start = find_text(sample, "kk", "appendix", "1694")
    assert sample.section("kk", "appendix")[i].text[start : start + 4] == "1694"
    assert find_text(sample, "kk", "appendix", "1694", 2)[0] == i + 1  # "1694 жағдайдың" next paragraph
    with pytest.raises(KeyError):
        find_text(sample, "ru", "appendix", "12", 99)
    with pytest.raises(KeyError):  # "36" is only a part of "3,6"/"436"
        find_text(sample, "ru", "appendix", "36")


def test_replace_text_delete_and_swap(sample: LetterDoc) -> None:
    i, start = find_text(sample, "kk", "appendix", "45-тен")
    deleted = replace_text(sample, "kk", "appendix", i, start, start + len("45-тен,"), "")
    assert "45-тен" not in deleted.section("kk", "appendix")[i].text
    assert deleted.section("ru", "appendix") == sample.section("ru", "appendix")
    swapped = swap_text(sample, "ru", "appendix", "1046", "916")
    text = "\n".join(swapped.texts("ru", "appendix"))
    assert "совершено – 916" in text and "нераскрыты- 1046" in text
    with pytest.raises(IndexError):
        replace_text(sample, "kk", "appendix", 999, 0, 1, "x")


def test_synthetic_yearly_letters() -> None:
    letters = [
        from_paragraphs(
            outgoing_no=f"1-3-6-43/{100 + k}-Д",
            letter_date=date(2014 + k, 11, 13),
            kk_appendix=[f"{2014 + k} жылы {120 + k} құқық бұзушылық тіркелген."],
            ru_appendix=[f"В {2014 + k} году зарегистрировано {120 + k} правонарушений."],
            inquiry_no=f"ДЗ-{200 + k}",
            inquiry_date=date(2014 + k, 10, 25),
        )
        for k in range(3)
    ]
    last = letters[-1]
    assert last.registration == "№ исх: 1-3-6-43/102-Д   от: 13.11.2016"
    assert last.stamp == "15.11.2016 Копия электронного документа."
    assert last.section("kk", "appendix")[0] == Block("Қосымша", "title")
    assert "2016 жылғы 25 қазандағы\n№ДЗ-202 депутаттық сауалға" in last.texts("kk", "cover")
    assert "На депутатский запрос\nот 25 октября 2016 года\n№ДЗ-202" in last.texts("ru", "cover")
    assert parse_letter(dump_letter(last)) == last
    kk_only = from_paragraphs(kk_appendix=["Мәтін 5."], ru_appendix=None, default_covers=False, stamp=None)
    assert list(kk_only.sections) == [("kk", "appendix")] and kk_only.stamp is None


# --------------------------------------------------------------------------- rendering


@pytest.fixture(scope="module", params=[
    ("one_column", "fpdf2"), ("one_column", "reportlab"), ("two_column", "fpdf2"), ("two_column", "reportlab"),
], ids=lambda p: f"{p[0]}-{p[1]}")
def rendered(request: pytest.FixtureRequest, sample: LetterDoc, tmp_path_factory: pytest.TempPathFactory):
    layout, backend = request.param
    path = render_pdf(sample, tmp_path_factory.mktemp("pdf") / "letter.pdf", layout, backend)
    with pdfplumber.open(path) as pdf:
        pages = [
            {
                "width": p.width,
                "height": p.height,
                "chars": p.chars,
                "text": p.extract_text(),
                "words": p.extract_words(),
            }
            for p in pdf.pages
        ]
    return layout, backend, path, pages


def _upright(page: dict) -> list[dict]:
    return [c for c in page["chars"] if c["upright"]]


def test_page_count(rendered) -> None:
    layout, _, _, pages = rendered
    low, high = (16, 28) if layout == "one_column" else (10, 20)
    assert low <= len(pages) <= high


def test_stamp_is_rotated_on_every_page(rendered) -> None:
    _, _, _, pages = rendered
    for page in pages:
        rotated = [c for c in page["chars"] if not c["upright"]]
        assert "".join(c["text"] for c in rotated) == STAMP
        for c in rotated:
            a, b, c_, d = c["matrix"][:4]
            assert abs(a) < 1e-6 and abs(d) < 1e-6 and b > 0  # turned 90° counter-clockwise
            assert c["x1"] < LEFT * MM  # in the left margin
        # Nothing upright sits in the margin where the stamp is.
        assert all(ch["x0"] >= LEFT * MM - 1 for ch in _upright(page))


def test_page_numbers_and_registration_line(rendered) -> None:
    layout, _, _, pages = rendered
    for n, page in enumerate(pages, start=1):
        low = [w for w in page["words"] if w["bottom"] > page["height"] - (PAGE_NO_Y + 5) * MM]
        assert [w["text"] for w in low] == [str(n)]
        assert abs((low[0]["x0"] + low[0]["x1"]) / 2 - page["width"] / 2) < 2
    reg_pages = [n for n, p in enumerate(pages, start=1) if "№ исх: 1-3-6-43/2914-Д от: 13.11.2017" in p["text"]]
    assert reg_pages[0] == 1
    assert len(reg_pages) == (4 if layout == "one_column" else 2)
    first = pages[0]
    reg = [w for w in first["words"] if w["text"] == "№"][0]
    assert abs(reg["bottom"] - REG_Y * MM) < 3 and abs(reg["x0"] - LEFT * MM) < 1


def test_body_text_is_upright_and_complete(rendered) -> None:
    layout, _, _, pages = rendered
    text = "\n".join(p["text"] for p in pages)
    for needle in ("Қосымша", "Приложение", "Құрметті депутаттар!", "Уважаемые депутаты!", "63/436", "3,6", "875-де"):
        assert needle in text
    assert set(KAZAKH_LETTERS) <= set(text)
    if layout == "one_column":
        starts = [next(n for n, p in enumerate(pages) if s in p["text"]) for s in
                  ("Құрметті депутаттар!", "Уважаемые депутаты!", "Қосымша\n", "Приложение\n")]
        assert starts == sorted(starts) and len(set(starts)) == 4


def test_two_columns_put_kk_left_and_ru_right(rendered) -> None:
    layout, _, _, pages = rendered
    if layout != "two_column":
        assert all(max(c["x1"] for c in _upright(p)) > (LEFT + COL_W + GUTTER) * MM for p in pages if _upright(p))
        return
    middle = (LEFT + COL_W + GUTTER / 2) * MM
    page = next(p for p in pages if any(w["text"] == "Қосымша" for w in p["words"]))
    words = {w["text"]: w for w in page["words"]}
    assert words["Қосымша"]["x1"] < middle < words["Приложение"]["x0"]
    assert abs(words["Қосымша"]["top"] - words["Приложение"]["top"]) < 1
    for p in pages:
        for c in _upright(p):
            if c["top"] > 25 * MM and c["bottom"] < p["height"] - 15 * MM:
                assert not (c["x0"] < middle < c["x1"])  # nothing straddles the gutter


def test_rendering_is_deterministic(rendered, sample: LetterDoc, tmp_path: Path) -> None:
    layout, backend, path, _ = rendered
    again = render_pdf(sample, tmp_path / "again.pdf", layout, backend)
    assert again.read_bytes() == path.read_bytes()


def test_one_language_change_shows_in_pdf(sample: LetterDoc, tmp_path: Path) -> None:
    doc = substitute(sample, "ru", "appendix", "128", "129")
    path = render_pdf(without_language(doc, "kk"), tmp_path / "ru.pdf", "one_column", "reportlab", stamp=False)
    with pdfplumber.open(path) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
        assert all(c["upright"] for p in pdf.pages for c in p.chars)
    assert "129 правонарушений" in text and "128 правонарушений" not in text
    assert "Қосымша\n" not in text and "Приложение" in text


def test_cli_writes_the_requested_layout(tmp_path: Path, sample: LetterDoc) -> None:
    out = tmp_path / "two.pdf"
    assert fixtures_main([str(out), "--layout", "two_column", "--backend", "reportlab"]) == 0
    letter = tmp_path / "letter.txt"
    letter.write_text(dump_letter(from_paragraphs(kk_appendix=["Барлығы 7."], ru_appendix=["Всего 7."])), "utf-8")
    small = tmp_path / "small.pdf"
    assert fixtures_main([str(small), "--letter", str(letter), "--no-page-numbers"]) == 0
    with pdfplumber.open(out) as pdf, pdfplumber.open(small) as pdf2:
        assert "Приложение" in pdf.pages[-1].extract_text() or len(pdf.pages) > 10
        assert len(pdf2.pages) == 4
        assert "Барлығы 7." in pdf2.pages[2].extract_text()
    assert fixtures_main([str(tmp_path / "x.pdf"), "--letter", str(tmp_path / "missing.txt")]) == 1


def test_bundled_sample_pdf_matches_the_sample_text(sample: LetterDoc, tmp_path: Path) -> None:
    bundled = ROOT / "raw" / SAMPLE_PDF_NAME
    fresh = render_pdf(sample, tmp_path / "fresh.pdf")
    with pdfplumber.open(bundled) as a, pdfplumber.open(fresh) as b:
        assert len(a.pages) == len(b.pages)
        for pa, pb in zip(a.pages, b.pages):
            assert pa.extract_text() == pb.extract_text()


@pytest.mark.parametrize("backend", ["fpdf2", "reportlab"])
def test_row_taller_than_a_page_splits_across_pages(backend: str, tmp_path: Path) -> None:
    sentence = "Ағымдағы жылғы 10 айда 83 қылмыстық құқық бұзушылық тіркелген."
    doc = from_paragraphs(
        kk_appendix=[" ".join([sentence] * 90), "Соңғы 5."],
        ru_appendix=["За 10 месяцев т.г. зарегистрировано 83 уголовных правонарушения."],
        default_covers=False,
    )
    path = render_pdf(doc, tmp_path / "long.pdf", "two_column", backend)
    with pdfplumber.open(path) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
        assert len(pdf.pages) >= 3
    assert text.count("83") == 91 and "Соңғы 5." in text
