"""Hostile files: each is rejected or read right, and a good letter beside it always loads.

Every file is built here from a letter rendered by etl.fixtures, changed with
pikepdf: forms that draw each other without end, streams that inflate to far
more than a page needs, page trees that lie about their count, text nobody
can see, rotated pages, and files that exhaust a worker's memory or time.
"""

from __future__ import annotations

import io
import re
import shutil
import zlib
from pathlib import Path

import duckdb
import pikepdf
import pytest
from click.testing import CliRunner

from etl import pipeline
from etl.cli import main
from etl.errors import RejectedFile
from etl.extract import limits
from etl.fixtures.letter import from_paragraphs
from etl.fixtures.render import render_pdf
from etl.pipeline import process_bytes
from etl.workers import Limits

from .test_rejects import KK, RU

ENGINES = ["pdfium", "pdfplumber"]


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_pdf(from_paragraphs(kk_appendix=KK, ru_appendix=RU), tmp_path_factory.mktemp("good") / "good.pdf")


def xobjects(page: pikepdf.Page) -> pikepdf.Dictionary:
    if "/XObject" not in page.Resources:
        page.Resources.XObject = pikepdf.Dictionary()
    return page.Resources.XObject


def save(pdf: pikepdf.Pdf, dst: Path, **kw: object) -> Path:
    pdf.save(dst, **kw)  # type: ignore[arg-type]
    return dst


def figures_of(path: Path, engine: str) -> list[tuple[str, str, float, str]]:
    result = process_bytes(str(path), path.read_bytes(), engine=engine)  # type: ignore[arg-type]
    return [(f.lang, f.surface, f.value, f.kind) for f in result.figures]


def rejected(path: Path, engine: str) -> RejectedFile:
    with pytest.raises(RejectedFile) as info:
        process_bytes(str(path), path.read_bytes(), engine=engine)  # type: ignore[arg-type]
    assert "\n" not in info.value.detail
    return info.value


# ------------------------------------------------------------ builders


def form_fan_out(src: Path, dst: Path, depth: int = 8, fan: int = 10) -> Path:
    """The first page draws form F0 `fan` times, F0 draws F1 `fan` times, ...: fan**depth draws."""
    with pikepdf.open(src) as pdf:
        below = None
        for level in reversed(range(depth)):
            resources = pikepdf.Dictionary()
            body = b"0 0 1 1 re f\n"
            if below is not None:
                resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(F=below))
                body = b"q /F Do Q\n" * fan
            below = pdf.make_indirect(
                pikepdf.Stream(pdf, body, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                               BBox=[0, 0, 10, 10], Resources=resources)
            )
        page = pdf.pages[0]
        xobjects(page)["/Bomb"] = below
        page.contents_add(pikepdf.Stream(pdf, b"q /Bomb Do Q\n" * fan), prepend=False)
        return save(pdf, dst)


def form_bomb(src: Path, dst: Path) -> Path:
    """A form on the first page whose content inflates to 48 MiB (48 KiB on disk)."""
    with pikepdf.open(src) as pdf:
        form = pdf.make_indirect(
            pikepdf.Stream(pdf, zlib.compress(b" " * (48 << 20), 9), Filter=pikepdf.Name.FlateDecode,
                           Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10])
        )
        page = pdf.pages[0]
        xobjects(page)["/Big"] = form
        page.contents_add(pikepdf.Stream(pdf, b"q /Big Do Q\n"), prepend=False)
        return save(pdf, dst)


def image_bomb(src: Path, dst: Path) -> Path:
    """An image that inflates to 96 MiB, drawn on the first page."""
    with pikepdf.open(src) as pdf:
        image = pdf.make_indirect(
            pikepdf.Stream(pdf, zlib.compress(b"\0" * (96 << 20), 9), Filter=pikepdf.Name.FlateDecode,
                           Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=8192, Height=4096,
                           ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8)
        )
        page = pdf.pages[0]
        xobjects(page)["/Im"] = image
        page.contents_add(pikepdf.Stream(pdf, b"q 10 0 0 10 0 0 cm /Im Do Q\n"), prepend=False)
        return save(pdf, dst)


def to_unicode_bomb(src: Path, dst: Path) -> Path:
    """Every font's ToUnicode map replaced by one that inflates to 96 MiB."""
    with pikepdf.open(src) as pdf:
        cmap = pdf.make_indirect(
            pikepdf.Stream(pdf, zlib.compress(b"%" * (96 << 20), 9), Filter=pikepdf.Name.FlateDecode)
        )
        n = 0
        for page in pdf.pages:
            for _, font in (page.Resources.get("/Font") or {}).items():
                font["/ToUnicode"] = cmap
                n += 1
        assert n
        return save(pdf, dst)


def with_count(src: Path, dst: Path, count: str) -> Path:
    """The page tree's /Count set to `count`, in place in the bytes (qpdf would repair it on save)."""
    with pikepdf.open(src) as pdf:
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = buf.getvalue()
    match = re.search(rb"<< /Count (\d+) /Kids", data)
    assert match
    new = b"<</Count " + count.encode() + b"/Kids"
    new = new.replace(b"/Kids", b" " * (len(match.group()) - len(new)) + b"/Kids")
    assert len(new) == len(match.group())
    dst.write_bytes(data[: match.start()] + new + data[match.end() :])
    return dst


def without_a_page(src: Path, dst: Path) -> Path:
    """The second page's entry in the page tree points at an object that is no page."""
    with pikepdf.open(src) as pdf:
        n = len(pdf.pages)
        kids = pdf.Root.Pages.Kids
        kids[1] = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot))
        pdf.Root.Pages.Count = n
        return save(pdf, dst)


def heavy_page(src: Path, dst: Path) -> Path:
    """A page with 24 MiB of drawing operators (70 KiB on disk): under the stream limits, yet
    pdfminer needs minutes for it and pdfium half a gigabyte."""
    with pikepdf.open(src) as pdf:
        pdf.pages[0].contents_add(pikepdf.Stream(pdf, b"0 0 m 1 1 l S\n" * ((24 << 20) // 14)), prepend=False)
        return save(pdf, dst, compress_streams=True)


# ------------------------------------------------------------ limits on streams and draws


@pytest.mark.parametrize("engine", ENGINES)
def test_forms_drawing_each_other_are_refused_before_they_are_drawn(tmp_path, good, engine):
    path = form_fan_out(good, tmp_path / "fan-out.pdf")
    assert path.stat().st_size < 100_000
    reject = rejected(path, engine)
    assert reject.reason == "too_large" and "page 1 draws form XObjects more than" in reject.detail
    # A form drawn a few times is what letters do (a logo, a stamp): read as before.
    few = form_fan_out(good, tmp_path / "few.pdf", depth=2, fan=3)
    assert figures_of(few, engine) == figures_of(good, engine)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("build,words", [
    (form_bomb, "page 1's content exceeds"),
    (image_bomb, "page 1's image exceeds"),
    (to_unicode_bomb, "page 1's font's ToUnicode map exceeds"),
])
def test_streams_other_than_the_page_content_are_inflated_under_a_cap(tmp_path, good, engine, build, words):
    path = build(good, tmp_path / "bomb.pdf")
    assert path.stat().st_size < 1_000_000
    reject = rejected(path, engine)
    assert reject.reason == "too_large" and words in reject.detail and "decompressed" in reject.detail


# ------------------------------------------------------------ never part of a letter


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("count,words", [("3.5", "declares 3.5 pages"), ("2", "declares 2 pages but 4 can be read"),
                                         ("7", "declares 7 pages but 4 can be read (page 5 onwards")])
def test_a_page_count_that_lies_rejects_the_letter(tmp_path, good, engine, count, words):
    path = with_count(good, tmp_path / "lie.pdf", count)
    reject = rejected(path, engine)
    assert reject.reason == "corrupt" and words in reject.detail


@pytest.mark.parametrize("engine", ENGINES)
def test_a_page_that_cannot_be_read_rejects_the_whole_letter(tmp_path, good, engine):
    path = without_a_page(good, tmp_path / "hole.pdf")
    reject = rejected(path, engine)
    assert reject.reason == "corrupt" and "page" in reject.detail


# ------------------------------------------------------------ workers: memory and time


def test_a_letter_over_the_time_limit_costs_its_worker_not_the_run(tmp_path, good):
    # pdfminer needs minutes for the slow page, the good letter a second or two
    # (more on a loaded machine): 20 s tells them apart.
    folder = tmp_path / "raw"
    folder.mkdir()
    slow = heavy_page(good, folder / "a-slow.pdf")
    shutil.copy(good, folder / "b-good.pdf")
    report = pipeline.check([folder], jobs=1, engine="pdfplumber", limits=Limits(max_seconds=20))
    assert len(report.rejects) == 1, report.rejects
    (reject,) = report.rejects
    assert reject.path == str(slow) and reject.reason == "too_large"
    assert reject.detail.startswith("time limit:") and "20 s" in reject.detail
    (doc,) = report.documents
    assert doc.letter.path == str(folder / "b-good.pdf") and doc.status == "clean"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_letter_that_exhausts_the_memory_cap_is_rejected_and_the_run_goes_on(tmp_path, good, sample_pdf, jobs):
    folder = tmp_path / "raw"
    folder.mkdir()
    dense = heavy_page(good, folder / "b-dense.pdf")
    shutil.copy(good, folder / "a-good.pdf")
    shutil.copy(sample_pdf, folder / "c-sample.pdf")
    report = pipeline.check([folder], jobs=jobs, limits=Limits(max_memory=300 << 20), batch=3)
    (reject,) = report.rejects
    assert reject.path == str(dense) and reject.reason == "too_large" and "out of memory" in reject.detail
    assert sorted(Path(d.letter.path).name for d in report.documents) == ["a-good.pdf", "c-sample.pdf"]
    assert all(d.status == "clean" for d in report.documents)


def test_ingest_records_the_letter_that_cost_a_worker_and_skips_it_on_a_rerun(tmp_path, good):
    folder = tmp_path / "raw"
    folder.mkdir()
    dense = heavy_page(good, folder / "dense.pdf")
    shutil.copy(good, folder / "good.pdf")
    db = tmp_path / "w.duckdb"
    args = ["ingest", str(folder), "-w", str(db), "-j", "2", "--max-memory", "300M"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 3, first.output
    assert "Traceback" not in first.output and f"rejected {dense}: " in first.stderr
    assert "out of memory" in first.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
        assert con.execute("SELECT reason FROM rejects").fetchall() == [("too_large",)]
    # Known by its hash: not read again (which would cost a worker again) ...
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 3 and "not read again" in second.stderr
    # ... unless forced.
    third = CliRunner().invoke(main, [*args, "--force"])
    assert third.exit_code == 3 and "not read again" not in third.stderr and "out of memory" in third.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM rejects").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)


def test_max_memory_option_reads_sizes():
    result = CliRunner().invoke(main, ["check", ".", "--max-memory", "12K"])
    assert result.exit_code == 2 and "below 64M" in result.output


# ------------------------------------------------------------ text nobody can see

# What a hidden copy says, if read: other numbers in each language, so reading
# any of it changes the figures and makes findings.
HIDDEN_KK = ["2019 жылы 777 құқық бұзушылық тіркелген, ашылғаны – 55."]
HIDDEN_RU = ["В 2019 году зарегистрировано 999 правонарушений, раскрыто – 44."]


def _rewrite(pdf: pikepdf.Pdf, page: pikepdf.Page, how: str) -> None:
    """Make the text of `page` invisible (`how`: mode3, white, off_page)."""
    ops = []
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if how == "white" and name in ("g", "rg", "k", "sc", "scn", "cs"):
            continue
        ops.append((operands, op))
        if name == "BT":
            if how == "mode3":
                ops.append(([3], pikepdf.Operator("Tr")))
            elif how == "white":
                ops.append(([1], pikepdf.Operator("g")))
    if how == "off_page":
        ops = [([1, 0, 0, 1, 0, 900], pikepdf.Operator("cm")), *ops]
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


def with_hidden_copy(src: Path, hidden_src: Path, dst: Path, how: str) -> Path:
    """`src` with the text of another letter drawn over each page, invisibly."""
    with pikepdf.open(src) as pdf, pikepdf.open(hidden_src) as other:
        for page in other.pages:
            _rewrite(other, page, how)
        for page, hidden in zip(pdf.pages, other.pages):
            page.add_overlay(hidden)
        return save(pdf, dst)


def ocr_layer(src: Path, dst: Path, image: bool = True) -> Path:
    """`src` as OCR software leaves a scan: a page image, the text invisible (mode 3) over it."""
    with pikepdf.open(src) as pdf:
        picture = pdf.make_stream(b"\x80" * 16, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                                  Width=4, Height=4, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)
        for page in pdf.pages:
            _rewrite(pdf, page, "mode3")
            if image:
                xobjects(page)["/Scan"] = picture
                page.contents_add(pdf.make_stream(b"q 595 0 0 842 0 0 cm /Scan Do Q\n"), prepend=True)
        return save(pdf, dst)


def rotated(src: Path, dst: Path, angle: int) -> Path:
    with pikepdf.open(src) as pdf:
        for page in pdf.pages:
            page.Rotate = angle
        return save(pdf, dst)


@pytest.fixture(scope="module")
def hidden_letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    doc = from_paragraphs(kk_appendix=HIDDEN_KK, ru_appendix=HIDDEN_RU)
    return render_pdf(doc, tmp_path_factory.mktemp("hidden") / "hidden.pdf")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("how", ["mode3", "white", "off_page"])
def test_text_nobody_can_see_is_left_out(tmp_path, good, hidden_letter, engine, how):
    path = with_hidden_copy(good, hidden_letter, tmp_path / f"{how}.pdf", how)
    # The hidden copy is there to be read: made visible, it changes the figures.
    shown = with_hidden_copy(good, hidden_letter, tmp_path / "shown.pdf", "none")
    assert "777" in {s for _, s, _, _ in figures_of(shown, engine)}
    assert figures_of(path, engine) == figures_of(good, engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_ocr_layer_over_a_page_image_is_read_and_invisible_text_alone_is_not(tmp_path, good, engine):
    scan = ocr_layer(good, tmp_path / "ocr.pdf")
    assert figures_of(scan, engine) == figures_of(good, engine)
    bare = ocr_layer(good, tmp_path / "bare.pdf", image=False)
    assert rejected(bare, engine).reason == "no_text"


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_rotated_pages_read_the_same_in_both_engines(tmp_path, good, angle):
    path = rotated(good, tmp_path / f"rotated-{angle}.pdf", angle)
    expected = figures_of(good, "pdfium")
    assert figures_of(path, "pdfium") == expected
    assert figures_of(path, "pdfplumber") == expected


def test_a_worker_that_dies_leaves_one_line_on_stderr(tmp_path, good):
    """What the terminal shows of a worker killed by its memory cap: the reject line, no stack dump."""
    import subprocess
    import sys

    folder = tmp_path / "raw"
    folder.mkdir()
    dense = heavy_page(good, folder / "dense.pdf")
    shutil.copy(good, folder / "good.pdf")
    proc = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-m", "etl", "check", str(folder), "-j", "1", "--max-memory", "300M"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 3, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"rejected {dense}: ") and "out of memory" in line
