"""Bad input: every kind of unusable file is rejected with its reason, the run goes on.

The bad files are made from the project's own letters: rendered with
etl.fixtures, then damaged, encrypted or stripped with pikepdf, or drawn as
pictures with Pillow and fpdf2.
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pikepdf
import pytest
from click.testing import CliRunner
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from etl.extract import limits
from etl.cli import main
from etl.errors import RejectedFile
from etl.fixtures.letter import Block, LetterDoc, from_paragraphs
from etl.fixtures.render import find_fonts, render_pdf
from etl.models import REJECT_REASONS
from etl.extract.text_layer import encoding_problem
from etl.pipeline import process_bytes

KK = [
    "Статистикалық мәліметтерге сәйкес 2015 жылы ҚК-нің 7-тарауы бойынша 128 құқық бұзушылық тіркелген "
    "(ашылғаны – 12, тергеу мерзімдерінің үзілгені 37 іс бойынша).",
    "Ағымдағы жылғы 10 айда 83 қылмыстық құқық бұзушылық тіркелген, ашылғаны – 6, ашылмай қалғаны – 19.",
]
RU = [
    "Согласно статистическим данным в 2015 году по Главе 7 УК зарегистрировано 128 правонарушений "
    "(раскрыто – 12, прерваны сроки расследования по 37 делам).",
    "За 10 месяцев т.г. зарегистрировано 83 уголовных правонарушения, раскрыто – 6, остаются нераскрытыми – 19.",
]
# How old Kazakh fonts printed the Kazakh letters: on the code points of
# Serbian, Ukrainian and Belarusian letters.
OLD_FONT = str.maketrans("әғқңөұүһӘҒҚҢӨҰҮҺ", "јўїєљњћџЈЎЇЄЉЊЋЏ")
LATIN_I = str.maketrans("іІ", "iI")


def letter(kk: list[str] | None = KK, ru: list[str] | None = RU, **kw: object) -> LetterDoc:
    return from_paragraphs(kk_appendix=kk, ru_appendix=ru, **kw)  # type: ignore[arg-type]


def kazakh_retyped(doc: LetterDoc, table: dict[int, str]) -> LetterDoc:
    """`doc` with every Kazakh block's text passed through `table`."""
    sections = {
        key: tuple(Block(b.text.translate(table), b.style) for b in blocks) if key[0] == "kk" else blocks
        for key, blocks in doc.sections.items()
    }
    return replace(doc, sections=sections)


def without_unicode_maps(src: Path, dst: Path) -> Path:
    with pikepdf.open(src) as pdf:
        removed = 0
        for page in pdf.pages:
            for _, font in (page.Resources.get("/Font") or {}).items():
                if "/ToUnicode" in font:
                    del font["/ToUnicode"]
                    removed += 1
        assert removed
        pdf.save(dst)
    return dst


def encrypted(src: Path, dst: Path, user: str = "secret") -> Path:
    with pikepdf.open(src) as pdf:
        pdf.save(dst, encryption=pikepdf.Encryption(owner="owner", user=user))
    return dst


def picture_of_text(lines: list[str]) -> Image.Image:
    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(find_fonts().regular), 28)
    for i, line in enumerate(lines):
        draw.text((120, 150 + 45 * i), line, font=font, fill=0)
    return img


def image_only(dst: Path, pages: int = 1) -> Path:
    """A scan: pages holding nothing but a picture of the letter's text."""
    pdf = FPDF(unit="mm", format="A4")
    for n in range(pages):
        pdf.add_page()
        pdf.image(picture_of_text([*KK[0].split(", ")[:3], *RU[0].split(", ")[:3], f"- {n + 1} -"]), x=0, y=0, w=210)
    pdf.output(str(dst))
    return dst


def appended(first: Path, second: Path, dst: Path) -> Path:
    with pikepdf.open(first) as a, pikepdf.open(second) as b:
        a.pages.extend(b.pages)
        a.save(dst)
    return dst


def blank_pages(dst: Path, n: int) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    for _ in range(n - 1):
        pdf.pages.append(pdf.pages[0])
    pdf.save(dst)
    return dst


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_pdf(letter(), tmp_path_factory.mktemp("small") / "small.pdf")


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory, small: Path) -> dict[str, tuple[Path, str, str]]:
    """One file of every bad kind: name -> (path, reason code, words the message must hold)."""
    d = tmp_path_factory.mktemp("bad")
    data = small.read_bytes()
    (d / "minutes.pdf").write_bytes(b"PK\x03\x04" + b"\x00" * 200)  # a .docx saved as .pdf
    (d / "empty.pdf").write_bytes(b"")
    (d / "truncated.pdf").write_bytes(data[: len(data) // 3])
    # The header survives, nothing after it is PDF.
    (d / "corrupt.pdf").write_bytes(data[:9] + bytes(range(256)) * 40)
    encrypted(small, d / "encrypted.pdf")
    image_only(d / "scan.pdf")
    without_unicode_maps(small, d / "cid.pdf")
    render_pdf(kazakh_retyped(letter(), OLD_FONT), d / "old-font.pdf")
    render_pdf(letter(kk=None, kk_cover=[]), d / "russian-only.pdf")
    render_pdf(
        letter(
            kk=["Қазіргі уақытта әкімшілік істер қаралуда."],
            ru=["В настоящее время рассматриваются дела."],
            default_covers=False,
            outgoing_no=None,
            letter_date=None,
        ),
        d / "no-figures.pdf",
    )
    return {
        "not_pdf": (d / "minutes.pdf", "not_pdf", "not a PDF"),
        "empty": (d / "empty.pdf", "empty", "empty file"),
        "truncated": (d / "truncated.pdf", "corrupt", "corrupt or truncated"),
        "corrupt": (d / "corrupt.pdf", "corrupt", "corrupt"),
        "encrypted": (d / "encrypted.pdf", "encrypted", "needs a password"),
        "scan": (d / "scan.pdf", "no_text", "ocrmypdf -l kaz+rus"),
        "cid": (d / "cid.pdf", "bad_encoding", "no Unicode"),
        "old_font": (d / "old-font.pdf", "bad_encoding", "wrong code points"),
        "one_language": (d / "russian-only.pdf", "one_language", "no Kazakh text"),
        "no_figures": (d / "no-figures.pdf", "no_figures", "no figures"),
    }


KINDS = ["not_pdf", "empty", "truncated", "corrupt", "encrypted", "scan", "cid", "old_font", "one_language", "no_figures"]


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_bad_kind_is_rejected_with_its_reason(bad_files, kind, engine):
    path, reason, words = bad_files[kind]
    # OCR off: the scan is the image-only file of the bad kinds (tests/test_ocr.py reads scans).
    with pytest.raises(RejectedFile) as info:
        process_bytes(str(path), path.read_bytes(), engine=engine, ocr="never")
    assert info.value.reason == reason
    assert words in info.value.detail
    assert "\n" not in info.value.detail and len(info.value.detail) < 300


def test_the_good_letter_behind_the_bad_files_loads(small):
    result = process_bytes(str(small), small.read_bytes())
    assert {p.lang for p in result.letter.paragraphs} == {"kk", "ru"}
    assert result.status == "clean" and len(result.figures) >= 14


def test_password_opens_an_encrypted_letter(bad_files, small):
    path = bad_files["encrypted"][0]
    opened = process_bytes(str(path), path.read_bytes(), password="secret")
    plain = process_bytes(str(small), small.read_bytes())
    assert [(f.surface, f.value) for f in opened.figures] == [(f.surface, f.value) for f in plain.figures]
    with pytest.raises(RejectedFile) as info:
        process_bytes(str(path), path.read_bytes(), password="wrong")
    assert info.value.reason == "encrypted" and "does not open it" in info.value.detail


def test_owner_password_only_needs_no_password(tmp_path, small):
    # Permissions-only encryption: anyone may open and read the file.
    path = encrypted(small, tmp_path / "owner-only.pdf", user="")
    assert process_bytes(str(path), path.read_bytes()).status == "clean"


def test_latin_i_typed_for_kazakh_i_is_read_not_rejected(tmp_path):
    doc = kazakh_retyped(letter(), LATIN_I)
    kazakh = " ".join(doc.texts("kk", "appendix"))
    assert "i" in kazakh and "і" not in kazakh
    path = render_pdf(doc, tmp_path / "latin-i.pdf")
    result = process_bytes(str(path), path.read_bytes())
    assert {p.lang for p in result.letter.paragraphs} == {"kk", "ru"}
    assert result.status == "clean"


def test_mostly_scanned_letter_is_rejected_but_a_blank_page_is_not(tmp_path, small):
    scans = image_only(tmp_path / "scans.pdf", pages=5)
    mixed = appended(small, scans, tmp_path / "mixed.pdf")
    with pytest.raises(RejectedFile) as info:
        process_bytes(str(mixed), mixed.read_bytes(), ocr="never")
    assert info.value.reason == "no_text"
    assert "5 of 9 pages (pages 5-9)" in info.value.detail and "ocrmypdf" in info.value.detail

    with_blank = appended(small, blank_pages(tmp_path / "blank.pdf", 1), tmp_path / "with-blank.pdf")
    assert process_bytes(str(with_blank), with_blank.read_bytes()).letter.pages == 5


# ------------------------------------------------------------ the detector's rules


def kazakh_text(n: int) -> str:
    return " ".join([KK[0]] * n)


def test_encoding_detector_accepts_readable_text():
    assert encoding_problem(kazakh_text(20) + " " + RU[0]) is None
    # Latin look-alikes read right: "бiлiм", "ə" for "ә".
    assert encoding_problem(kazakh_text(20).replace("і", "i").replace("ә", "ə")) is None
    # A Ukrainian name, a Serbian word and units with superscripts in a long letter.
    assert encoding_problem(kazakh_text(20) + " Київ, Євген, Југославија, 120 м², 5 м³, № 12, 45 %, «К»") is None
    # A single unmapped glyph (a bullet) does not sink a long letter.
    assert encoding_problem("\ufffd " + kazakh_text(20)) is None


def test_encoding_detector_rejects_misplaced_kazakh_letters():
    garbled = kazakh_text(3).translate(OLD_FONT)
    problem = encoding_problem(garbled + " " + RU[0])
    assert problem and "wrong code points" in problem and "'ї'" in problem
    # Symbols inside Cyrillic words are as wrong as foreign letters.
    assert "wrong code points" in (encoding_problem(kazakh_text(3).replace("і", "¿")) or "")


def test_encoding_detector_rejects_unmapped_glyphs_and_mojibake():
    assert "no Unicode value" in (encoding_problem("(cid:12)(cid:7)(cid:44) " * 10 + RU[0]) or "")
    assert "no Unicode value" in (encoding_problem("\x18\x19\x1a\x1b " * 10 + RU[0]) or "")
    mojibake = RU[0].encode("cp1251").decode("latin-1")
    assert "accented Latin" in (encoding_problem(mojibake) or "")


# ------------------------------------------------------------ limits


def test_too_many_pages_rejected_before_parsing(tmp_path):
    path = blank_pages(tmp_path / "many.pdf", limits.MAX_PAGES + 1)
    with pytest.raises(RejectedFile) as info:
        process_bytes(str(path), path.read_bytes())
    assert info.value.reason == "too_large" and f"{limits.MAX_PAGES}-page limit" in info.value.detail


def test_page_content_that_inflates_past_the_limit_is_rejected(tmp_path):
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    # A few kilobytes on disk, far more once inflated.
    pdf.pages[0].Contents = pikepdf.Stream(pdf, b" " * (limits.MAX_PAGE_CONTENT_BYTES + 1024))
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=True)
    data = buf.getvalue()
    assert len(data) < 200_000
    with pytest.raises(RejectedFile) as info:
        process_bytes("bomb.pdf", data)
    assert info.value.reason == "too_large" and "decompressed" in info.value.detail


def test_paragraph_with_thousands_of_numbers_is_refused_and_hundreds_are_read(tmp_path):
    many = ", ".join(str(100 + i) for i in range(4000))
    path = render_pdf(letter(kk=[f"2016 жылы тіркелген: {many}."], ru=[f"В 2016 году зарегистрировано: {many}."]),
                      tmp_path / "many.pdf")
    with pytest.raises(RejectedFile) as info:
        process_bytes(str(path), path.read_bytes())
    assert info.value.reason == "too_large" and "characters, over the" in info.value.detail

    some = ", ".join(str(100 + i) for i in range(600))
    path = render_pdf(letter(kk=[f"2016 жылы тіркелген: {some}."], ru=[f"В 2016 году зарегистрировано: {some}."]),
                      tmp_path / "some.pdf")
    result = process_bytes(str(path), path.read_bytes())
    assert {f.value for f in result.figures} >= {100.0, 699.0}


def test_number_with_hundreds_of_digits_is_read_as_a_finite_value(tmp_path):
    big = "9" * 400
    path = render_pdf(letter(kk=[f"2016 жылы {big} құқық бұзушылық тіркелді."],
                             ru=[f"В 2016 году зарегистрировано {big} правонарушений."]), tmp_path / "big.pdf")
    result = process_bytes(str(path), path.read_bytes())
    assert result.status == "clean"
    assert all(abs(f.value) < 1e300 and f.value == f.value for f in result.figures)


def test_oversized_file_rejected_without_reading_it(tmp_path):
    path = tmp_path / "huge.pdf"
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: no disk or time spent
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json", "--jobs", "1"])
    assert result.exit_code == 3
    assert '"reason": "too_large"' in result.stdout and "MiB limit" in result.stderr


def test_a_file_over_the_time_limit_is_rejected_and_the_run_goes_on(sample_pdf, small):
    from etl import pipeline
    from etl.workers import Limits

    # The sample takes a second or more to read; a hundredth of one is far too
    # little. The limit is kept by the parent, which kills the worker: nothing
    # is raised inside the reading process, whatever it is doing at the time.
    report = pipeline.check([sample_pdf], jobs=1, limits=Limits(max_seconds=0.01))
    (reject,) = report.rejects
    assert reject.reason == "too_large" and reject.detail.startswith("time limit: reading it took longer than")
    assert pipeline.check([small], jobs=1).exit_code == 0


# ------------------------------------------------------------ through `etl ingest`

TABLES = ("documents", "document_paths", "paragraphs", "figures", "figure_pairs", "rejects", "metrics")


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_folder_of_bad_files_ingests_the_sample_rejects_the_rest_and_reruns_idempotently(
    tmp_path, bad_files, sample_pdf
):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(sample_pdf, raw / sample_pdf.name)
    for path, _, _ in bad_files.values():
        shutil.copy(path, raw / path.name)
    db = tmp_path / "warehouse.duckdb"
    # A Russian-only file is half of a two-file letter: it waits for its
    # Kazakh half (one line, a pending_halves row), it is not rejected.
    half = bad_files["one_language"][0]
    expected = {str(raw / path.name): reason for path, reason, _ in bad_files.values() if path != half}

    first = CliRunner().invoke(main, ["ingest", str(raw), "--warehouse", str(db), "--jobs", "1", "--ocr", "never"])
    assert first.exit_code == 3, first.stderr
    assert "Traceback" not in first.stderr + first.stdout
    lines = first.stderr.strip().splitlines()
    assert len(lines) == len(expected) + 1
    for path, _, words in bad_files.values():
        (line,) = [ln for ln in lines if str(raw / path.name) in ln]
        if path == half:
            assert line.startswith("waiting") and "Russian half" in line and "Kazakh half has not come" in line
        else:
            assert words in line
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT path, lang FROM pending_halves").fetchall() == [(str(raw / half.name), "ru")]
    after_first = counts(db)
    assert after_first["documents"] == 1 and after_first["figures"] == 322
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT path, sha256, reason, detail FROM rejects").fetchall()
    assert {path: reason for path, _, reason, _ in rows} == expected
    for path, sha, reason, detail in rows:
        assert detail and reason in REJECT_REASONS
        assert (sha is not None) and re.fullmatch(r"[0-9a-f]{64}", sha)

    # A second run re-reads the rejected files (a password or a fixed file
    # may cure them), reports them again, and changes no row count.
    second = CliRunner().invoke(main, ["ingest", str(raw), "--warehouse", str(db), "--jobs", "1", "--ocr", "never"])
    assert second.exit_code == 3
    assert len(second.stderr.strip().splitlines()) == len(expected) + 1
    assert counts(db) == after_first

    # With the password, the encrypted letter loads and its reject goes.
    third = CliRunner().invoke(
        main, ["ingest", str(raw), "--warehouse", str(db), "--jobs", "1", "--password", "secret", "--ocr", "never"]
    )
    assert third.exit_code == 3
    now = counts(db)
    assert now["documents"] == 2 and now["rejects"] == len(expected) - 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM rejects WHERE reason = 'encrypted'").fetchone()[0] == 0


def test_a_letter_in_another_language_is_one_language_not_bad_encoding(tmp_path):
    doc = from_paragraphs(
        outgoing_no="EN-1",
        letter_date="01.01.2018",
        default_covers=False,
        appendix_titles=False,
        kk_appendix=["In 2016, 128 offences were registered and 12 were solved."],
        ru_appendix=["In 2017, 113 offences were registered."],
    )
    path = render_pdf(doc, tmp_path / "english.pdf")
    with pytest.raises(RejectedFile) as info:
        process_bytes(str(path), path.read_bytes())
    assert info.value.reason == "one_language"
    assert "Latin script" in info.value.detail
