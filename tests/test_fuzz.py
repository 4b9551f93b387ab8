"""Fuzzing: random text into the number and date readers, damaged bytes into the pipeline.

Whatever the input, the readers return well-formed tokens and the pipeline
returns a result or raises RejectedFile, never anything else. Examples are
derandomized so that a run is repeatable, and few enough to stay quick.
"""

from __future__ import annotations

import io
import math
import random
import re
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.errors import RejectedFile
from etl.figures import read_numbers
from etl.fixtures.letter import from_paragraphs
from etl.fixtures.render import render_pdf
from etl.models import FIGURE_KINDS, DocumentResult
from etl.figures.numwords import find_number_words, words_to_number
from etl.figures.periods import period_markers
from etl.pipeline import process_bytes

TEXT_SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
PDF_SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

# Pieces letters are made of, so that random text often looks like a figure.
PIECES = [
    "128", "45-тен", "875-де", "3,6", "14 млн.", "тыс.", "млрд", "63/436", "2013-14", "23.12.2014г",
    "2014 жылғы 23 желтоқсанда", "25 октября 2017 года", "№ДЗ-256", "ст.190", "190-бабы", "п.4, ч.2",
    "жеті", "семи", "екі мәрте", "дважды", "бір мың алты жүз", "две тысячи", "за 10 месяцев т.г.",
    "ағымдағы жылғы 10 айда", "за прошлый год", "өткен жылы", "с начала т.г.", "2015 году", "2015 жылы",
    "%", "теңге", "тенге", " – ", "-", ",", ".", " ", "  ", "\n", "(", ")", "«", "»", "0", "00", "9" * 40,
    "1 419", "1.2.3.4.5", "//", "--", "г.", "ж.", "ҚК-нің", "УК", "7-тарауы", "Главе 7",
]  # fmt: skip
TEXT = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(alphabet="0123456789.,-–/ №%жылғыгодаәқңіүАЯ", max_size=12)),
    max_size=40,
).map("".join) | st.text(max_size=300)
LANG = st.sampled_from(["kk", "ru"])


@TEXT_SETTINGS
@given(text=TEXT, lang=LANG)
def test_read_numbers_returns_well_formed_tokens(text: str, lang: str) -> None:
    tokens = read_numbers(text, lang)  # type: ignore[arg-type]
    previous_end = 0
    for tok in tokens:
        assert 0 <= tok.start < tok.end <= len(text)
        assert tok.start >= previous_end, "spans overlap or are out of order"
        previous_end = tok.end
        assert tok.surface == text[tok.start : tok.end]
        assert tok.kind in FIGURE_KINDS
        assert math.isfinite(tok.value) and tok.value >= 0
        assert math.isfinite(tok.scale) and tok.scale > 0
    # Dates and periods are read from the same tokens, against any letter date.
    for letter_date in (None, date(2017, 11, 13)):
        for start, end, period in period_markers(text, lang, tokens, letter_date):  # type: ignore[arg-type]
            assert 0 <= start < end <= len(text)
            assert period.start <= period.end


@TEXT_SETTINGS
@given(text=TEXT, lang=LANG)
def test_number_words_return_spans_of_the_text(text: str, lang: str) -> None:
    for start, end, value in find_number_words(text, lang):  # type: ignore[arg-type]
        assert 0 <= start < end <= len(text)
        assert isinstance(value, int) and value >= 0
    value = words_to_number(text, lang)  # type: ignore[arg-type]
    assert value is None or (isinstance(value, int) and value >= 0)


# ------------------------------------------------------------ damaged PDFs


@pytest.fixture(scope="module")
def small_letter(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    doc = from_paragraphs(
        kk_appendix=["Ағымдағы жылғы 10 айда 83 қылмыстық құқық бұзушылық тіркелген, ашылғаны – 6, ашылмай қалғаны – 19."],
        ru_appendix=["За 10 месяцев т.г. зарегистрировано 83 уголовных правонарушения, раскрыто – 6, остаются нераскрытыми – 19."],
    )
    return render_pdf(doc, tmp_path_factory.mktemp("fuzz") / "small.pdf").read_bytes()


@st.composite
def damage(draw: st.DrawFn, size: int) -> tuple[str, int, int, int]:
    """One byte-level injury: (kind, at, length, seed)."""
    kind = draw(st.sampled_from(["truncate", "flip", "cut", "duplicate"]))
    at = draw(st.integers(0, size - 1))
    length = draw(st.integers(1, max(1, size // 4)))
    seed = draw(st.integers(1, 255))
    return kind, at, length, seed


def injure(data: bytes, how: tuple[str, int, int, int]) -> bytes:
    kind, at, length, seed = how
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        out = bytearray(data)
        # A handful of bytes spread from `at`, each XORed with a non-zero mask.
        for i in range(min(8, length)):
            out[(at + i * 9973) % len(out)] ^= seed
        return bytes(out)
    if kind == "cut":
        return data[:at] + data[at + length :]
    return data[: at + length] + data[at : at + length] + data[at + length :]


def result_or_reject(path: str, data: bytes) -> str:
    try:
        result = process_bytes(path, data)
    except RejectedFile as exc:
        assert exc.reason and exc.detail and "\n" not in exc.detail
        return exc.reason
    assert isinstance(result, DocumentResult)
    assert all(math.isfinite(f.value) for f in result.figures)
    return "loaded"


def test_damaged_small_letters_end_in_a_result_or_a_reject(small_letter: bytes) -> None:
    outcomes: list[str] = []

    @PDF_SETTINGS
    @given(how=damage(len(small_letter)))
    def run(how: tuple[str, int, int, int]) -> None:
        outcomes.append(result_or_reject("damaged.pdf", injure(small_letter, how)))

    run()
    print(sorted(Counter(outcomes).items()))
    # The damage reaches both outcomes: some files survive it, some do not.
    assert "loaded" in outcomes and "corrupt" in outcomes


def test_damaged_sample_ends_in_a_result_or_a_reject(sample_pdf: Path) -> None:
    data = sample_pdf.read_bytes()

    @settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(how=damage(len(data)))
    def run(how: tuple[str, int, int, int]) -> None:
        result_or_reject(sample_pdf.name, injure(data, how))

    run()


# ------------------------------------------------------------ a folder of fuzzed letters

N_FUZZED = 200


def structural_injury(data: bytes, rng: random.Random) -> tuple[bytes, int]:
    """A change of structure a byte flip rarely makes: a page count, a rotation, a page lost or
    doubled; and how many pages the letter has after it (a page lost is still a page of it)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        kind = rng.choice(["rotate", "drop", "double", "count"])
        if kind == "rotate":
            pdf.pages[rng.randrange(len(pdf.pages))].Rotate = rng.choice([90, 180, 270, 45, -90])
        elif kind == "drop":
            # The tree still counts the page, its entry points at no page.
            kids = pdf.Root.Pages.Kids
            kids[rng.randrange(len(kids))] = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot))
            pdf.Root.Pages.Count = len(kids)
        elif kind == "double":
            pdf.Root.Pages.Kids.append(pdf.Root.Pages.Kids[rng.randrange(len(pdf.pages))])
            pdf.Root.Pages.Count = len(pdf.Root.Pages.Kids)
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    out = buf.getvalue()
    if kind == "count":
        # In place, as qpdf would repair the count on save.
        out = re.sub(rb"/Count (\d)", lambda m: b"/Count " + str(rng.choice([0, 1, 2, 3, 5, 9])).encode(), out, count=1)
    return out, 5 if kind == "double" else 4


def test_a_folder_of_fuzzed_letters_never_loads_part_of_one_nor_stops(tmp_path, small_letter):
    """A few hundred damaged copies of a letter, and the letter itself, through `etl ingest`:
    every copy is loaded whole or rejected with a reason, the run ends with its own exit code."""
    from click.testing import CliRunner

    from etl.cli import main

    rng = random.Random(18)
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "000-good.pdf").write_bytes(small_letter)
    expected = {str(folder / "000-good.pdf"): 4}
    for n in range(1, N_FUZZED + 1):
        expected[str(folder / f"{n:03d}.pdf")] = 4
        if n % 4 == 0:
            data, expected[str(folder / f"{n:03d}.pdf")] = structural_injury(small_letter, rng)
        else:
            size = len(small_letter)
            how = (rng.choice(["truncate", "flip", "cut", "duplicate"]), rng.randrange(size),
                   rng.randrange(1, size // 4), rng.randrange(1, 256))
            data = injure(small_letter, how)
        (folder / f"{n:03d}.pdf").write_bytes(data)
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(main, ["ingest", str(folder), "-w", str(db), "-j", "2"])
    output = result.output + result.stderr
    assert result.exit_code in (0, 1, 3), output
    assert "Traceback" not in output and "internal error" not in output
    with duckdb.connect(str(db), read_only=True) as con:
        pages = dict(con.execute("SELECT p.path, d.pages FROM document_paths AS p JOIN documents AS d USING (doc_id)").fetchall())
        rejects = dict(con.execute("SELECT path, reason FROM rejects").fetchall())
    # Every file is accounted for, once; the good letter loads.
    assert len(pages) + len(rejects) == N_FUZZED + 1 and not set(pages) & set(rejects)
    assert str(folder / "000-good.pdf") in pages
    # No partial load: whatever loaded has all the letter's pages.
    assert {p: n for p, n in pages.items() if n != expected[p]} == {}
    assert "internal_error" not in rejects.values()
    print(len(pages), "loaded;", sorted(Counter(rejects.values()).items()))


def test_both_engines_load_or_reject_the_same_damaged_copies(small_letter):
    """Where one engine loads a damaged copy, the other loads it with the same figures; where one
    rejects it, so does the other (the reason may differ: pdfium gives up on some files whose
    fonts pdfminer recovers in part, which the text-layer rules then refuse)."""

    def outcome(data: bytes, engine: str) -> tuple[object, ...]:
        try:
            result = process_bytes("copy.pdf", data, engine=engine)  # type: ignore[arg-type]
        except RejectedFile:
            return ("rejected",)
        return ("loaded", result.letter.pages, tuple((f.lang, f.surface, f.value) for f in result.figures))

    rng = random.Random(7)
    outcomes = []
    for n in range(32):
        if n % 4 == 0:
            data, _ = structural_injury(small_letter, rng)
        else:
            size = len(small_letter)
            how = (rng.choice(["truncate", "flip", "cut", "duplicate"]), rng.randrange(size),
                   rng.randrange(1, size // 4), rng.randrange(1, 256))
            data = injure(small_letter, how)
        pdfium, pdfplumber = outcome(data, "pdfium"), outcome(data, "pdfplumber")
        assert pdfium == pdfplumber, n
        outcomes.append(pdfium[0])
    assert "loaded" in outcomes and "rejected" in outcomes
