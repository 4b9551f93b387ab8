"""Golden file: every figure of the sample letter, as the pipeline reads it.

tests/golden/sample-figures.tsv is readable on purpose: review its diff when
it changes (`python -m pytest tests/test_golden.py --update-golden`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from etl.extract import extract_letter
from etl.figures import build_figures
from etl.models import Figure

from .conftest import GOLDEN, RENDERINGS

GOLDEN_FILE = GOLDEN / "sample-figures.tsv"
COLUMNS = ["lang", "part", "para_no", "surface", "value", "scale", "unit", "kind", "metric", "period_start", "period_end"]


def _rows(figures: list[Figure]) -> list[list[str]]:
    def fmt(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, float):
            return repr(int(v)) if v.is_integer() else repr(v)
        return str(v)

    # Two-column pages read the kk column before the ru one: order by where a
    # figure sits in its language's text, not by reading order.
    ordered = sorted(figures, key=lambda f: (f.lang, f.part, f.para_no))
    return [[fmt(getattr(f, c)) for c in COLUMNS] for f in ordered]


def _tsv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buf.getvalue()


def _figures(path: Path) -> list[Figure]:
    letter = extract_letter(str(path), path.read_bytes())
    return build_figures(letter.sha256, letter.paragraphs, letter.meta.letter_date)


def test_bundled_sample_matches_golden(sample_pdf, update_golden):
    text = _tsv(_rows(_figures(sample_pdf)))
    if update_golden:
        GOLDEN_FILE.write_text(text, encoding="utf-8")
    assert text == GOLDEN_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize("layout,backend", RENDERINGS)
def test_every_layout_reads_the_same_figures(rendered, layout, backend):
    assert _tsv(_rows(_figures(rendered[(layout, backend)]))) == GOLDEN_FILE.read_text(encoding="utf-8")


def test_golden_holds_the_letters_numbers():
    rows = list(csv.DictReader(GOLDEN_FILE.open(encoding="utf-8"), delimiter="\t"))
    by_surface = {(r["lang"], r["surface"]): r for r in rows}
    assert by_surface[("kk", "45-тен")]["value"] == "45"
    assert by_surface[("kk", "875-де")]["value"] == "875"
    assert by_surface[("kk", "596-сы")]["value"] == "596"
    three_six = [r for r in rows if r["lang"] == "kk" and r["surface"].startswith("3,6")]
    assert three_six and three_six[0]["value"] == "3.6"
    fourteen = [r for r in rows if r["lang"] == "kk" and r["surface"].startswith("14 млн.")]
    assert fourteen and (fourteen[0]["value"], fourteen[0]["scale"]) == ("14", "1000000")
    # The appendix statistics are all there, in both languages.
    for lang in ("kk", "ru"):
        values = {r["value"] for r in rows if r["lang"] == lang and r["part"] == "appendix"}
        for v in ("128", "12", "37", "113", "13", "27", "83", "6", "19", "45", "7", "25", "1046", "24", "916",
                  "1694", "129", "1259", "875", "596", "63", "436", "48", "22", "141", "108", "56", "30", "819",
                  "1419", "703", "402", "259", "53", "1007", "413", "349", "171", "74", "59", "46", "90", "51", "70"):
            assert v in values, (lang, v)


PRODUCERS = Path(__file__).resolve().parent / "producers"


@pytest.mark.parametrize("name", ["sample-browser.pdf", "sample-writer.pdf", "sample-writer-two-column.pdf"])
def test_other_producers_read_the_same_figures(name):
    """The letter printed by a browser and exported by a word processor (tests/producers/README.md)."""
    assert _tsv(_rows(_figures(PRODUCERS / name))) == GOLDEN_FILE.read_text(encoding="utf-8")
