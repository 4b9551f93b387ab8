"""The HTML review page, opened in a real browser (headless Chromium).

The report of a small run — a letter with several numbers changed (one of
them next to a `<script>` written in the letter's text), the clean sample and
a file that is no PDF — is opened in Chromium (over its DevTools pipe,
`tests/browser.py`) with a probe script that scrolls through the findings,
waits for the page images, tries the filters and the keyboard, and returns
what it saw in the DOM.
A screenshot is saved for a person to look at (see SCREENSHOTS), and the
page is printed to PDF to see one card per printed page.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from etl import pipeline, report
from etl.fixtures.letter import load_sample, substitute
from etl.fixtures.render import render_pdf

from .browser import Browser

ROOT = Path(__file__).resolve().parent.parent
# Where the screenshots go: kept after the run, for a person (or CI) to look at.
SCREENSHOTS = Path(os.environ.get("KKRU_SCREENSHOTS", ROOT / "build" / "screenshots"))

# (language, old, new): numbers changed in one language of the sample.
EDITS = [
    ("kk", "1046", "1064"),
    ("ru", "916", "<script>document.title='pwned'</script> 961"),
    ("kk", "59", "95"),
    ("ru", "596", "569"),
    ("kk", "90", "900"),
    # Two numbers the Kazakh text lacks: cards with one side only.
    ("ru", "51", "51 (из них 3 в 2016 году)"),
]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The letters, their check (as data) and the HTML report written by the CLI."""
    tmp = tmp_path_factory.mktemp("html")
    letters = tmp / "letters"
    letters.mkdir()
    doc = load_sample()
    for lang, old, new in EDITS:
        doc = substitute(doc, lang, "appendix", old, new)
    render_pdf(doc, letters / "edited.pdf", backend="reportlab")
    shutil.copy(ROOT / "raw" / "mvd-2017-11-13-2914-D.pdf", letters / "clean.pdf")
    (letters / "notes.pdf").write_bytes(b"PK\x03\x04 not a pdf")
    out = tmp / "report.html"
    with out.open("w") as fh:
        proc = subprocess.run(
            [sys.executable, "-m", "etl", "check", str(letters), "--format", "html", "-j", "1"],
            stdout=fh, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )
    assert proc.returncode == 1, proc.stderr
    rep = pipeline.check([letters], slim=True)
    return tmp, out, rep


# Scrolls to each card, waits for its images to be set and decoded, then
# reports what a reader sees; then tries the status filter and the j key.
PROBE = """
(async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const imgs = Array.from(document.querySelectorAll('img.page'));
  const result = {lazyAtStart: imgs.filter((i) => i.hasAttribute('src')).length, cards: [], title: document.title};
  for (const card of document.querySelectorAll('article.card')) {
    card.scrollIntoView();
    const own = Array.from(card.querySelectorAll('img.page'));
    for (let t = 0; t < 100 && !own.every((i) => i.hasAttribute('src')); t++) await sleep(50);
    await Promise.all(own.map((i) => i.decode().catch(() => null)));
  }
  for (const card of document.querySelectorAll('article.card')) {
    result.cards.push({
      id: card.id, status: card.dataset.status, letter: card.dataset.letter,
      heading: card.querySelector('h3').textContent,
      sides: Array.from(card.querySelectorAll('.side h4')).map((h) => h.textContent),
      sentences: Array.from(card.querySelectorAll('.sentence')).map((b) => b.textContent),
      marks: Array.from(card.querySelectorAll('mark')).map((m) => m.textContent),
      images: Array.from(card.querySelectorAll('img.page')).map((i) => ({complete: i.complete, width: i.naturalWidth, height: i.naturalHeight, alt: i.alt})),
    });
  }
  result.scripts = document.scripts.length;
  const status = document.getElementById('f-status');
  status.value = 'changed';
  status.dispatchEvent(new Event('change'));
  result.shownChanged = Array.from(document.querySelectorAll('article.card')).filter((c) => !c.hidden).length;
  result.output = document.getElementById('shown').textContent;
  status.value = '';
  status.dispatchEvent(new Event('change'));
  document.body.focus();
  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true}));
  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true}));
  result.focusAfterJJ = document.activeElement.id;
  return result;
})()
"""


def test_report_in_chromium(run):
    tmp, out, rep = run
    with Browser(tmp / "profile-dom") as browser:
        browser.open(out.as_uri(), 1280, 800)
        seen = browser.evaluate(PROBE)
    findings = sorted(rep.findings, key=lambda dp: dp[0].letter.path)
    assert len(findings) >= len(EDITS)
    assert {p.status for _, p in findings} == {"changed", "missing_kk"}
    # One card per finding, in letter and page order.
    assert len(seen["cards"]) == len(findings)
    pages = [min(f.boxes[0].page for f in (p.kk, p.ru) if f) for _, p in findings]
    card_pages = [min(int(p) for h in c["sides"] for p in re.findall(r"page (\d+)", h)) for c in seen["cards"]]
    assert card_pages == sorted(pages)
    by_heading = {c["heading"]: c for c in seen["cards"]}
    for _, pair in findings:
        heading = report.html.status_words(pair).replace(report.html.STATUS_LABELS[pair.status] + ":", "").strip()
        card = next(c for h, c in by_heading.items() if h.endswith(heading))
        assert card["status"] == pair.status
        # Both sentences, each with its figure marked, and both page images decoded.
        sides = [f for f in (pair.kk, pair.ru) if f is not None]
        assert card["sentences"] == [f.context for f in sides]
        assert [m for m in card["marks"]] == [f.surface for f in sides]
        assert len(card["images"]) == len(sides)
        for img in card["images"]:
            assert img["complete"] and img["width"] > 100 and img["height"] > 20, img
    # The letter's "<script>" is text: shown, never run.
    assert any("<script>document.title='pwned'</script>" in s for c in seen["cards"] for s in c["sentences"])
    assert seen["scripts"] == 1 and seen["title"] == "kkru-etl check"
    # Images wait until their card comes near the viewport.
    assert seen["lazyAtStart"] < sum(len(c["images"]) for c in seen["cards"])
    n_changed = sum(1 for _, p in findings if p.status == "changed")
    assert seen["shownChanged"] == n_changed and seen["output"] == f"{n_changed} of {len(findings)} findings shown"
    assert seen["focusAfterJJ"] == seen["cards"][1]["id"]


def test_report_content(run):
    _, out, rep = run
    page = out.read_text(encoding="utf-8")
    # Self-contained: nothing fetched, nothing but data: images.
    assert not re.search(r"""(?:src|href)=(?!["'](?:data:|#))""", page)
    assert "http://" not in page and "https://" not in page
    assert "default-src 'none'" in page
    # Rejected files with their reason; every letter's metadata and counts.
    assert "notes.pdf" in page and "not_pdf" in page
    for doc in rep.documents:
        assert html.escape(doc.letter.path) in page
        assert f"{doc.n_figures} figures in {doc.n_pairs} pairs" in page or not doc.findings
    missing = sum(1 for _, p in rep.findings if p.status == "missing_kk")
    assert missing >= 1 and page.count("No counterpart in the Kazakh text.") == missing
    # Each card states its size.
    assert page.count("This finding takes") == len(rep.findings)
    # The raw letter text never reaches the page unescaped.
    assert "<script>document.title" not in page and page.count("<script") == 1


def test_screenshot_of_a_finding(run):
    tmp, out, _ = run
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with Browser(tmp / "profile-shot") as browser:
        browser.open(out.as_uri(), 1280, 900)
        # The first card's images come into view on their own.
        browser.evaluate(
            "(async () => { for (let t = 0; t < 100 && !Array.from(document.querySelectorAll('#f1 img'))"
            ".every((i) => i.complete && i.naturalWidth); t++) await new Promise((r) => setTimeout(r, 50)); })()"
        )
        shot = browser.screenshot(SCREENSHOTS / "report.png")
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 900)
    # The boxes drawn around the figures on the page images are on screen:
    # the images loaded and were painted.
    px = image.tobytes()
    red = sum(1 for i in range(0, len(px), 3) if px[i] > 180 and px[i + 1] < 40 and px[i + 2] < 40)
    assert red > 200, red


def test_prints_one_card_per_page(run):
    tmp, out, rep = run
    # A fresh page, nothing scrolled: printing loads every image itself.
    with Browser(tmp / "profile-print") as browser:
        browser.open(out.as_uri(), 1280, 900)
        printed = browser.print_pdf(tmp / "printed.pdf")
    pdf = pdfium.PdfDocument(str(printed))
    texts = [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    images = [sum(1 for o in pdf[i].get_objects(max_depth=3) if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE) for i in range(len(pdf))]
    pages_of_cards = []
    for _, pair in rep.findings:
        words = report.html.status_words(pair).split(": ", 1)[1]
        on = [i for i, t in enumerate(texts) if words in t]
        assert len(on) == 1, (words, on)
        pages_of_cards.append(on[0])
        assert images[on[0]] == sum(1 for f in (pair.kk, pair.ru) if f), (words, images)
    assert len(set(pages_of_cards)) == len(pages_of_cards)


def test_clean_run_says_so_in_one_line(sample_pdf):
    rep = pipeline.check([sample_pdf], slim=True)
    page = report.to_html(rep)
    assert "Clean: all 1 letter(s) checked" in page
    assert "<article" not in page and "Rejected files" not in page


def test_show_writes_one_letters_page(run):
    tmp, _, rep = run
    letter = next(d for d in rep.documents if d.findings)
    out = tmp / "show.html"
    proc = subprocess.run(
        [sys.executable, "-m", "etl", "show", letter.letter.path, "--findings", "--html", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 1, proc.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count('<article class="card"') == len(letter.findings)
    assert page.count('data-src="data:image/png;base64,') == sum(
        1 for p in letter.findings for f in (p.kk, p.ru) if f is not None
    )
    assert "review page written to" in proc.stderr
