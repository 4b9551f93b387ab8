"""Print the sample letter with producers other than the project's own renderer.

Run by hand (not by the test suite): it needs Chromium and LibreOffice Writer,
which CI does not have, so the resulting PDFs are committed next to this file.

    python tests/producers/make.py            # all files
    python tests/producers/make.py --check    # only inspect the committed PDFs

Outputs (see README.md):
    sample-browser.pdf             HTML printed by headless Chromium, default header/footer kept
    sample-writer.pdf              flat ODT exported by LibreOffice Writer
    sample-writer-two-column.pdf   the same, kk and ru side by side in a table
    tables-browser.pdf             the letter with tables (etl.fixtures.tables) printed by Chromium
    tables-writer.pdf              the same exported by LibreOffice Writer
"""

from __future__ import annotations

import argparse
import html
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from itertools import zip_longest
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from etl.fixtures.letter import Block, LetterDoc, load_sample, without_language  # noqa: E402
from etl.fixtures.render import split_tab  # noqa: E402
from etl.fixtures.tables import table_letter  # noqa: E402

TABLE_STYLES = ("table", "table_plain")

# A fixed build directory: its path is printed in Chromium's footer (the file URL),
# so a stable name keeps that footer the same from one run to the next.
BUILD = Path(tempfile.gettempdir()) / "kkru-producers"
HALVES = HERE / "two-files"
BROWSER_TITLE = "Ответ на депутатский запрос №ДЗ-256"
KAZAKH = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"


# =========================================================================== HTML


_CSS = """
/* Chromium clips page content to the page area, so the left margin is made of a
   small page margin plus body padding: the stamp needs room to be painted. */
@page { size: A4; margin: 20mm 15mm 20mm 10mm; }
html { font-family: "DejaVu Serif", serif; font-size: 12.5pt; line-height: 1.25; }
body { margin: 0; padding-left: 20mm; }
section + section { break-before: page; }
p { margin: 0 0 0.35em 0; }
p.body { text-align: justify; text-indent: 12.5mm; }
h2.heading { text-align: center; font-weight: bold; font-size: 1em; margin: 0.6em 0; }
p.title { text-align: right; font-weight: bold; margin-bottom: 1em; }
div.address { margin-left: 45%; margin-bottom: 1em; }
div.lines { margin-bottom: 0.7em; }
div.address p, div.lines p { margin: 0; text-align: left; }
div.lines p.tab { display: flex; justify-content: space-between; }
table.table { border-collapse: collapse; margin: 0 0 0.6em 0; font-size: 0.85em; }
table.table td { border: 0.5pt solid #000; padding: 0.1em 0.5em; }
table.table_plain { border-collapse: collapse; margin: 0 0 0.6em 0; font-size: 0.85em; }
table.table_plain td { padding: 0.05em 2.5em 0.05em 0; }
td.num { text-align: right; }
p.registration { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; margin: 0 0 1.2em 0; }
/* position: fixed repeats the element on every printed page; its box is laid out
   horizontally and turned to read upwards, its left edge sitting in the margin. */
/* Side by side: a borderless two-column table, kk left, ru right, 8 mm apart. */
table.side { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 10.5pt; }
table.side td { vertical-align: top; width: 50%; padding: 0 4mm 0 0; }
table.side td + td { padding: 0 0 0 4mm; }
table.side div.address { margin-left: 0; }
div.stamp {
  position: fixed; left: 1mm; top: 210mm; width: 100mm; height: 4mm;
  transform: rotate(-90deg); transform-origin: 0 0;
  font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #595959; white-space: nowrap;
}
"""


def _html_table(block: Block) -> str:
    rows = []
    for row in block.cells:
        cells = [("<td class=num>" if k else "<td>") + f"{html.escape(c)}</td>" for k, c in enumerate(row)]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="{block.style}">' + "".join(rows) + "</table>"


def _html_block(block: Block) -> str:
    if block.style in TABLE_STYLES:
        return _html_table(block)
    text = html.escape(block.text)
    if block.style == "body":
        return f'<p class="body">{text}</p>'
    if block.style == "heading":
        return f'<h2 class="heading">{text}</h2>'
    if block.style == "title":
        return f'<p class="title">{text}</p>'
    lines = []
    for line in block.text.split("\n"):
        tab = split_tab(line)
        if tab:
            lines.append(f'<p class="tab"><span>{html.escape(tab[0])}</span><span>{html.escape(tab[1])}</span></p>')
        else:
            lines.append(f"<p>{html.escape(line) or '&nbsp;'}</p>")
    return f'<div class="{block.style}">' + "".join(lines) + "</div>"


def letter_html(doc: LetterDoc, columns: str = "none") -> str:
    """The letter as HTML; `columns` "all" sets kk beside ru in a borderless
    table on every page, "cover" only the cover, "none" every part on its own."""
    parts = []
    registration = f'<p class="registration">{html.escape(doc.registration or "")}</p>'
    for part in ("cover", "appendix"):
        if columns == "all" or (columns == "cover" and part == "cover"):
            kk, ru = doc.section("kk", part), doc.section("ru", part)  # type: ignore[arg-type]
            if not (kk or ru):
                continue
            rows = "\n".join(
                "<tr>" + "".join(f"<td>{_html_block(b) if b else ''}</td>" for b in pair) + "</tr>"
                for pair in zip_longest(kk, ru)
            )
            parts.append(f'<section class="{part}">\n{registration}\n<table class="side">\n{rows}\n</table>\n</section>')
            continue
        for (lang, p), blocks in doc.ordered_sections():
            if p != part:
                continue
            body = [registration] + [_html_block(b) for b in blocks]
            parts.append(f'<section lang="{lang}" class="{part}">\n' + "\n".join(body) + "\n</section>")
    stamp = f'<div class="stamp">{html.escape(doc.stamp or "")}</div>\n' if doc.stamp else ""
    return (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">'
        f"<title>{html.escape(BROWSER_TITLE)}</title><style>{_CSS}</style></head>\n<body>\n"
        + stamp
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    raise SystemExit("Chromium not found: apt-get install -y chromium")


def print_browser(doc: LetterDoc, out: Path, columns: str = "none") -> None:
    # The file URL is printed in the footer: the first file keeps its old name.
    src = BUILD / ("sample-letter.html" if out.name == "sample-browser.pdf" else f"{out.stem}.html")
    src.write_text(letter_html(doc, columns), encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        subprocess.run(
            [
                chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", f"--print-to-pdf={out}", src.as_uri(),
            ],
            check=True, capture_output=True, timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


# =========================================================================== flat ODT

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text"'
)

_SERIF = "Liberation Serif"  # Times New Roman metrics; version 2 has the Kazakh letters


def _odt_styles(size: float) -> str:
    return f"""
 <office:font-face-decls>
  <style:font-face style:name="{_SERIF}" svg:font-family="'{_SERIF}'" style:font-family-generic="roman" style:font-pitch="variable"/>
  <style:font-face style:name="DejaVu Sans" svg:font-family="'DejaVu Sans'" style:font-family-generic="swiss" style:font-pitch="variable"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:hyphenation-ladder-count="no-limit" style:writing-mode="lr-tb"/>
   <style:text-properties style:font-name="{_SERIF}" fo:font-size="{size}pt" fo:language="ru" fo:country="RU" fo:hyphenate="false"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
  <!-- Without a parent "Frame" style Writer imports a draw:frame as a drawing shape,
       whose text drops its paragraph and character styles. -->
  <style:style style:name="Frame" style:family="graphic"/>
  <style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="justify" fo:text-indent="1.25cm" fo:margin-bottom="0.1cm" fo:line-height="115%"/>
  </style:style>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center" fo:margin-top="0.3cm" fo:margin-bottom="0.3cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="end" fo:margin-bottom="0.5cm"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Lines" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="start" fo:margin-bottom="0cm">
    <style:tab-stops><style:tab-stop style:position="{{tab}}" style:type="right"/></style:tab-stops>
   </style:paragraph-properties>
  </style:style>
  <style:style style:name="Lines_end" style:family="paragraph" style:parent-style-name="Lines">
   <style:paragraph-properties fo:margin-bottom="0.3cm"/>
  </style:style>
  <style:style style:name="Address" style:family="paragraph" style:parent-style-name="Lines">
   <style:paragraph-properties fo:margin-left="{{address}}"/>
  </style:style>
  <style:style style:name="Address_end" style:family="paragraph" style:parent-style-name="Address">
   <style:paragraph-properties fo:margin-bottom="0.5cm"/>
  </style:style>
  <style:style style:name="Registration" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-bottom="0.4cm"/>
   <style:text-properties style:font-name="DejaVu Sans" fo:font-size="9pt"/>
  </style:style>
  <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="10pt"/>
  </style:style>
  <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-size="2pt"/>
  </style:style>
  <style:style style:name="Stamp" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="start"/>
   <style:text-properties style:font-name="DejaVu Sans" fo:font-size="8pt" fo:color="#595959"/>
  </style:style>
 </office:styles>"""


def _odt_automatic(two_column: bool) -> str:
    cols = ""
    if two_column:
        # Word's default cell margins (0.19 cm each side), the table pulled left by one
        # margin so that the kk text starts at the page margin: 3.8 mm between columns.
        cols = """
  <style:style style:name="Grid" style:family="table">
   <style:table-properties style:width="16.88cm" fo:margin-left="-0.19cm" table:align="left"/>
  </style:style>
  <style:style style:name="Grid.A" style:family="table-column">
   <style:table-column-properties style:column-width="8.44cm"/>
  </style:style>
  <style:style style:name="Grid.cell" style:family="table-cell">
   <style:table-cell-properties fo:padding-left="0.19cm" fo:padding-right="0.19cm" fo:padding-top="0cm" fo:padding-bottom="0.1cm" fo:border="none"/>
  </style:style>"""
    return f"""
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait"
     fo:margin-top="1.2cm" fo:margin-bottom="1.0cm" fo:margin-left="3cm" fo:margin-right="1.5cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="0.1cm" fo:margin-bottom="0.7cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.4cm" fo:margin-top="0.5cm"/></style:footer-style>
  </style:page-layout>
  <style:style style:name="Part" style:family="paragraph" style:parent-style-name="Registration">
   <style:paragraph-properties fo:break-before="page"/>
  </style:style>
  <style:style style:name="StampFrame" style:family="graphic" style:parent-style-name="Frame">
   <style:graphic-properties style:wrap="run-through" style:run-through="foreground"
     style:vertical-pos="from-top" style:vertical-rel="page" style:horizontal-pos="from-left" style:horizontal-rel="page"
     fo:padding="0cm" fo:border="none" style:background-transparency="100%" draw:fill="none"/>
  </style:style>
  <style:style style:name="TCell.ruled" style:family="table-cell">
   <style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/>
  </style:style>
  <style:style style:name="TCell.plain" style:family="table-cell">
   <style:table-cell-properties fo:padding="0.1cm" fo:border="none"/>
  </style:style>
  <style:style style:name="TText" style:family="paragraph" style:parent-style-name="Lines">
   <style:paragraph-properties fo:text-align="start" fo:margin-bottom="0cm"/>
   <style:text-properties fo:font-size="10pt"/>
  </style:style>
  <style:style style:name="TNum" style:family="paragraph" style:parent-style-name="Lines">
   <style:paragraph-properties fo:text-align="end" fo:margin-bottom="0cm"/>
   <style:text-properties fo:font-size="10pt"/>
  </style:style>
  <style:style style:name="StampText" style:family="text">
   <style:text-properties style:text-rotation-angle="90" style:text-rotation-scale="fixed"/>
  </style:style>{cols}
 </office:automatic-styles>"""


def _odt_master(stamp: str | None) -> str:
    frame = ""
    if stamp:
        # A frame in the header is drawn on every page; anchored to the page (not
        # the header) it sits in the left margin, its text turned to read upwards.
        frame = (
            '<draw:frame draw:style-name="StampFrame" draw:name="Stamp" text:anchor-type="paragraph" '
            'svg:x="1.1cm" svg:y="11cm" svg:width="0.6cm" svg:height="8cm" draw:z-index="0">'
            '<draw:text-box fo:min-height="8cm">'
            f'<text:p text:style-name="Stamp"><text:span text:style-name="StampText">{escape(stamp)}</text:span></text:p>'
            "</draw:text-box></draw:frame>"
        )
    return f"""
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Header">{frame}</text:p></style:header>
   <style:footer><text:p text:style-name="Footer"><text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>
  </style:master-page>
 </office:master-styles>"""


_TABLE_NO = itertools.count(1)


def _odt_table(block: Block) -> str:
    cell = "TCell.ruled" if block.style == "table" else "TCell.plain"
    rows = block.cells
    n = len(rows[0])
    body = []
    for row in rows:
        cells = [
            f'<table:table-cell table:style-name="{cell}" office:value-type="string">'
            f'<text:p text:style-name="{"TNum" if k else "TText"}">{escape(c)}</text:p></table:table-cell>'
            for k, c in enumerate(row)
        ]
        body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    return (
        f'<table:table table:name="T{next(_TABLE_NO)}">'
        f'<table:table-column table:number-columns-repeated="{n}"/>' + "".join(body) + "</table:table>"
    )


def _odt_paragraphs(block: Block, in_cell: bool = False) -> list[str]:
    """ODT paragraphs of a block; in a table cell the address block is not indented."""

    def para(style: str, inner: str) -> str:
        return f'<text:p text:style-name="{style}">{inner}</text:p>'

    if block.style in TABLE_STYLES:
        return [_odt_table(block)]

    if block.style in ("body", "heading", "title"):
        name = {"body": "Body", "heading": "Heading", "title": "Title"}[block.style]
        return [para(name, escape(block.text))]
    base = "Address" if block.style == "address" and not in_cell else "Lines"
    lines = block.text.split("\n")
    out = []
    for i, line in enumerate(lines):
        tab = split_tab(line)
        inner = f"{escape(tab[0])}<text:tab/>{escape(tab[1])}" if tab else escape(line)
        out.append(para(base + ("_end" if i == len(lines) - 1 else ""), inner))
    return out


def letter_fodt(doc: LetterDoc, two_column: bool = False) -> str:
    size = 10.5 if two_column else 13.0
    body: list[str] = []
    registration = escape(doc.registration or "")
    if not two_column:
        for i, (_, blocks) in enumerate(doc.ordered_sections()):
            body.append(f'<text:p text:style-name="{"Part" if i else "Registration"}">{registration}</text:p>')
            for block in blocks:
                body.extend(_odt_paragraphs(block))
    else:
        first = True
        for part in ("cover", "appendix"):
            kk, ru = doc.section("kk", part), doc.section("ru", part)  # type: ignore[arg-type]
            if not (kk or ru):
                continue
            body.append(f'<text:p text:style-name="{"Registration" if first else "Part"}">{registration}</text:p>')
            first = False
            rows = []
            for a, b in zip_longest(kk, ru):
                cells = []
                for block in (a, b):
                    paras = _odt_paragraphs(block, in_cell=True) if block else ['<text:p text:style-name="Standard"/>']
                    cells.append(
                        '<table:table-cell table:style-name="Grid.cell" office:value-type="string">'
                        + "".join(paras)
                        + "</table:table-cell>"
                    )
                rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
            body.append(
                f'<table:table table:name="{part}" table:style-name="Grid">'
                '<table:table-column table:style-name="Grid.A" table:number-columns-repeated="2"/>'
                + "".join(rows)
                + "</table:table>"
            )
    # Tab stop of signature lines at the right edge of the text (or of a cell).
    tab = "8.06cm" if two_column else "16.5cm"
    styles = _odt_styles(size).replace("{tab}", tab).replace("{address}", "7.4cm")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<office:document {_NS}>\n"
        f" <office:meta><dc:title>{escape(doc.registration or '')}</dc:title></office:meta>"
        + styles
        + _odt_automatic(two_column)
        + _odt_master(doc.stamp)
        + "\n <office:body><office:text>\n"
        + "\n".join(body)
        + "\n </office:text></office:body>\n</office:document>\n"
    )


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        exe = shutil.which(name)
        if exe:
            return exe
    raise SystemExit("LibreOffice not found: apt-get install -y libreoffice-writer-nogui")


def export_writer(doc: LetterDoc, out: Path, two_column: bool = False) -> None:
    src = BUILD / (out.stem + ".fodt")
    src.write_text(letter_fodt(doc, two_column), encoding="utf-8")
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run(
            [
                soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                "--convert-to", "pdf", "--outdir", str(BUILD), str(src),
            ],
            check=True, capture_output=True, timeout=300,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    shutil.copyfile(BUILD / (out.stem + ".pdf"), out)


# =========================================================================== checks


def check(path: Path, doc: LetterDoc) -> list[str]:
    """A short account of a PDF's text layer; raises SystemExit when a check fails."""
    import pdfplumber

    problems: list[str] = []
    notes: list[str] = [f"{path.name}: {path.stat().st_size // 1024} KiB"]
    stamp_chars = set((doc.stamp or "").replace(" ", ""))
    with pdfplumber.open(path) as pdf:
        notes.append(f"  {len(pdf.pages)} pages, producer={pdf.metadata.get('Producer')!r}")
        all_text = []
        raw = set()
        for page in pdf.pages:
            raw.update(c["text"] for c in page.chars)
            text = page.extract_text() or ""
            all_text.append(text)
            if not text.strip():
                problems.append(f"page {page.page_number}: no text")
            if "(cid:" in text:
                problems.append(f"page {page.page_number}: (cid:NN) glyphs")
            # The stamp: characters left of the text block (x < 25 mm), below a running
            # header and above a running footer (those may start in the margin too).
            mm = 72 / 25.4
            margin = [c for c in page.chars if c["x1"] < 25 * mm and 15 * mm < c["top"] < 282 * mm]
            upright = [c for c in margin if c["upright"]]
            stamp = "".join(c["text"] for c in sorted(margin, key=lambda c: -c["top"]))
            if doc.stamp and not margin:
                problems.append(f"page {page.page_number}: no stamp characters in the left margin")
            if upright:
                problems.append(f"page {page.page_number}: {len(upright)} upright stamp characters")
            if doc.stamp and margin and set(stamp.replace(" ", "")) - stamp_chars:
                problems.append(f"page {page.page_number}: unexpected margin text {stamp!r}")
            if page.page_number == 1 and margin:
                m = margin[0]["matrix"]
                notes.append(
                    f"  stamp p1: {stamp!r} x0={margin[0]['x0']:.1f} matrix={tuple(round(v, 2) for v in m)}"
                )
        joined = "\n".join(all_text)
        written = " ".join(b.text for _, blocks in doc.ordered_sections() for b in blocks)
        missing = [ch for ch in KAZAKH.lower() if ch in written and ch not in joined]
        if missing and any(lang == "kk" for lang, _ in doc.sections):
            problems.append(f"Kazakh letters missing from the text layer: {missing}")
        odd = {f"U+{ord(ch):04X}" for ch in "".join(raw) if ch in "\u00ad\u00a0\u2009\u200b\ufb01\ufb02\ufb00\u2011"}
        notes.append(f"  special characters among page.chars: {sorted(odd) or 'none'}")
        for n in (1, len(pdf.pages)):
            lines = pdf.pages[n - 1].extract_text().splitlines()
            notes.append(f"  page {n} first/last lines: {lines[:2]} ... {lines[-2:]}")
        missing_blocks = _missing_blocks(pdf, doc, two_column="two-column" in path.name)
        notes.append(f"  blocks found in the text layer: {_block_count(doc) - len(missing_blocks)}/{_block_count(doc)}")
        problems += [f"block not found: {t[:70]!r}" for t in missing_blocks]
    if problems:
        raise SystemExit("\n".join([*notes, *problems]))
    return notes


def _squash(text: str) -> str:
    return "".join(text.split())


def _block_count(doc: LetterDoc) -> int:
    return sum(len(blocks) for _, blocks in doc.ordered_sections())


def _missing_blocks(pdf, doc: LetterDoc, two_column: bool) -> list[str]:  # type: ignore[no-untyped-def]
    """Blocks whose text (whitespace aside) is not a run of the body text of the PDF.

    The body is what lies between the running header and footer, upright only
    (the stamp is rotated); two-column pages are read column by column.
    """
    mm = 72 / 25.4
    columns: dict[str, list[str]] = {"kk": [], "ru": []}
    for page in pdf.pages:
        body = page.crop((0, 15 * mm, page.width, 282 * mm)).filter(lambda o: o.get("upright", True))
        if two_column:
            mid = page.width * (30 + 82.5) / 210  # the table's column boundary
            columns["kk"].append(body.crop((0, body.bbox[1], mid, body.bbox[3])).extract_text())
            columns["ru"].append(body.crop((mid, body.bbox[1], page.width, body.bbox[3])).extract_text())
        else:
            columns["kk"].append(body.extract_text())
    flat = {k: _squash("".join(v)) for k, v in columns.items()}
    # A file with only its cover side by side holds blocks either way.
    whole = _squash("".join(page.crop((0, 15 * mm, page.width, 282 * mm)).filter(
        lambda o: o.get("upright", True)).extract_text() for page in pdf.pages)) if two_column else ""
    missing = []
    for (lang, _), blocks in doc.ordered_sections():
        for block in blocks:
            where = flat[lang if two_column else "kk"]
            if block.style in TABLE_STYLES:
                missing += [c for row in block.cells for c in row if c and _squash(c) not in where]
            elif _squash(block.text) not in where and _squash(block.text) not in whole:
                missing.append(block.text)
    return missing


def _half_maker(producer: str, half: LetterDoc) -> Callable[[Path], None]:
    if producer == "browser":
        return lambda out: print_browser(half, out)
    return lambda out: export_writer(half, out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only inspect the committed PDFs")
    ap.add_argument(
        "--only",
        choices=(
            "browser", "writer", "two-column", "browser-two-column", "browser-cover-two-column", "browser-kk", "browser-ru",
            "writer-kk", "writer-ru", "tables-browser", "tables-writer",
        ),
        action="append",
    )
    args = ap.parse_args()
    doc = load_sample()
    tables = table_letter(long_rows=60)
    targets = {
        "browser": (HERE / "sample-browser.pdf", doc, lambda out: print_browser(doc, out)),
        "writer": (HERE / "sample-writer.pdf", doc, lambda out: export_writer(doc, out)),
        "two-column": (HERE / "sample-writer-two-column.pdf", doc, lambda out: export_writer(doc, out, True)),
        "tables-browser": (HERE / "tables-browser.pdf", tables, lambda out: print_browser(tables, out)),
        "tables-writer": (HERE / "tables-writer.pdf", tables, lambda out: export_writer(tables, out)),
        "browser-two-column": (HERE / "sample-browser-two-column.pdf", doc, lambda out: print_browser(doc, out, "all")),
        "browser-cover-two-column": (
            HERE / "sample-browser-cover-two-column.pdf", doc, lambda out: print_browser(doc, out, "cover")
        ),
    }
    # A letter as two files, one per language (kept apart: each alone is one language).
    halves = {
        f"{producer}-{lang}": without_language(doc, "ru" if lang == "kk" else "kk")
        for producer in ("browser", "writer")
        for lang in ("kk", "ru")
    }
    for name, half in halves.items():
        producer = name.split("-")[0]
        make_half = _half_maker(producer, half)
        targets[name] = (HALVES / f"sample-{name}.pdf", half, make_half)
    BUILD.mkdir(parents=True, exist_ok=True)
    HALVES.mkdir(exist_ok=True)
    for name in args.only or list(targets):
        out, letter, make = targets[name]
        if not args.check:
            make(out)
        print("\n".join(check(out, letter)))


if __name__ == "__main__":
    os.environ.setdefault("TZ", "UTC")
    main()
