"""The gate end to end on rendered PDFs: the real letter is clean in every
layout and from every producer; edits of every kind in one language are
caught with the right status and both surfaces, and nothing else is flagged."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from etl.fixtures.letter import LetterDoc, load_sample, substitute
from etl.fixtures.render import render_pdf
from etl.pipeline import process_bytes

from .conftest import RENDERINGS

PRODUCERS = Path(__file__).resolve().parent / "producers"


def _check(path: Path):
    return process_bytes(str(path), path.read_bytes())


@pytest.mark.parametrize("layout,backend", RENDERINGS)
def test_real_letter_is_clean_in_every_layout(rendered, layout, backend):
    result = _check(rendered[(layout, backend)])
    assert result.findings == []
    assert len(result.pairs) > 150


@pytest.mark.parametrize("name", ["sample-browser.pdf", "sample-writer.pdf", "sample-writer-two-column.pdf"])
def test_real_letter_is_clean_from_other_producers(name):
    assert _check(PRODUCERS / name).findings == []


@dataclass(frozen=True)
class Case:
    name: str
    lang: str
    part: str
    old: str
    new: str
    expected: tuple[tuple[str, str | None, str | None], ...]  # (status, kk surface, ru surface)


CASES = [
    Case("statistic", "ru", "appendix", "зарегистрировано 128", "зарегистрировано 129", (("changed", "128", "129"),)),
    Case("kazakh suffix", "kk", "appendix", "45-тен", "46-дан", (("changed", "46-дан", "45"),)),
    Case("money scale", "ru", "appendix", "14 млн. тенге", "14 млрд. тенге", (("changed", "14 млн. теңгеден", "14 млрд. тенге"),)),
    Case("money value", "kk", "appendix", "500 млн. теңге", "600 млн. теңге", (("changed", "600 млн. теңге", "500 млн. тенге"),)),
    Case("enumeration", "ru", "appendix", "402 – по линии", "420 – по линии", (("changed", "402", "420"),)),
    Case("ratio", "kk", "appendix", "63/436", "63/463", (("changed", "463", "436"),)),
    Case("removed clause", "ru", "appendix", ", прерваны сроки по 25 делам", "", (("missing_ru", "25", None),)),
    Case("removed number", "kk", "appendix", "13 СИМ-карта, ", "", (("missing_kk", None, "13"),)),
    Case(
        "swap",
        "ru",
        "appendix",
        "раскрыто – 12, прерваны сроки расследования по 37",
        "раскрыто – 37, прерваны сроки расследования по 12",
        # A swap pairs each value with itself, bound to the other role.
        (("swapped", "12", "12"), ("swapped", "37", "37")),
    ),
    # The year is a changed figure, and the damage it dates is a figure of
    # another period in each language (issue 15: a finding of its own).
    Case("year", "kk", "appendix", "2011 жылы Петропавл", "2012 жылы Петропавл",
         (("changed", "2012 жылы", "2011 году"), ("period_differs", "14 млн. теңгеден", "14 млн. тенге"))),
    Case("number word", "ru", "appendix", "семи регионов", "восьми регионов", (("changed", "жеті", "восьми"),)),
    Case("decimal comma", "kk", "appendix", "3,6 жылға", "3,8 жылға", (("changed", "3,8 жылға", "3,6 годам"),)),
    Case("date", "ru", "cover", "от 25 октября 2017 года", "от 26 октября 2017 года",
         (("changed", "2017 жылғы 25 қазандағы", "25 октября 2017 года"),)),
    Case("staff count", "kk", "appendix", "(11 адам)", "(12 адам)", (("changed", "12", "11"),)),
    Case("ratio, first number", "ru", "appendix", "141/108", "114/108", (("changed", "141", "114"),)),
    Case("ten months", "ru", "appendix", "зарегистрировано 1694 мошенничеств", "зарегистрировано 1649 мошенничеств",
         (("changed", "1694", "1649"),)),
    Case("resources total", "kk", "appendix", "құқыққа қайшы 1419 шетел", "құқыққа қайшы 1491 шетел",
         (("changed", "1491", "1419"),)),
    Case("suspended cases", "ru", "appendix", "по 1259 делам", "по 1295 делам", (("changed", "1259", "1295"),)),
    Case("removed enumeration item", "ru", "appendix", " 402 – по линии противодействия наркобизнесу,", "",
         (("missing_ru", "402", None),)),
    Case("kazakh -сы suffix", "kk", "appendix", "596-сы", "569-ы", (("changed", "569-ы", "596"),)),
    Case("money, thousands", "ru", "appendix", "свыше 9 млн. тенге", "свыше 9 тыс. тенге",
         (("changed", "9 млн. тенгеден", "9 тыс. тенге"),)),
    Case("year range", "ru", "appendix", "В 2012-2014 годы", "В 2012-2015 годы", (("changed", "2014 жылдары", "2015 годы"),)),
    Case("legal reference", "ru", "appendix", "ч.2 ст.190", "ч.2 ст.191", (("changed", "190-бабы", "ст.191"),)),
    Case("kk enumeration swap", "kk", "appendix", "порнографиялық материалдарды тарату бойынша 413, экстремистік материалдар 349",
         "порнографиялық материалдарды тарату бойынша 349, экстремистік материалдар 413",
         (("swapped", "349", "349"), ("swapped", "413", "413"))),
]


def _edited(case: Case) -> LetterDoc:
    return substitute(load_sample(), case.lang, case.part, case.old, case.new)  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_edit_is_caught_through_a_pdf(tmp_path, case):
    # Alternate layouts and producers so every edit kind meets more than one.
    i = CASES.index(case)
    layout, backend = RENDERINGS[i % len(RENDERINGS)]
    pdf = render_pdf(_edited(case), tmp_path / "edited.pdf", layout=layout, backend=backend)
    findings = _check(pdf).findings
    got = sorted((p.status, p.kk.surface if p.kk else None, p.ru.surface if p.ru else None) for p in findings)
    if case.name == "date":
        # The edited date's surface is the new one on the ru side.
        expected = [("changed", "2017 жылғы 25 қазандағы", "26 октября 2017 года")]
    else:
        expected = sorted(case.expected)
    assert got == expected
