"""The review page: a run's findings as one self-contained HTML file.

Each finding is a card: its status in words, the Kazakh and the Russian
sentence side by side with the figure marked, and the figure's place on its
page, drawn from the PDF (`pages`). Everything is inline (styles, script,
images as data: URIs), so the file works opened from disk or as a CI
artefact, and a Content-Security-Policy forbids any network use. Every string
that comes from a letter is escaped; the one script carries a per-file nonce,
so markup that slipped through could not run.

Images are held in `data-src` and set as `src` only when their card scrolls
near the viewport (or before printing), so a report of many letters opens
without decoding every image.
"""

from __future__ import annotations

import base64
import html
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timezone

from ..models import DocumentResult, Figure, FigurePair, Reject, RunReport
from .pages import SCALE, PageImage, PageImageError, open_letter

LANG_NAMES = {"kk": "Kazakh", "ru": "Russian"}
STATUS_LABELS = {
    "changed": "changed",
    "missing_kk": "missing in Kazakh",
    "missing_ru": "missing in Russian",
    "swapped": "swapped",
}


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def status_words(pair: FigurePair) -> str:
    """The finding in words, e.g. "changed: 128 in Kazakh, 182 in Russian"."""
    kk = f"{pair.kk.surface} in Kazakh" if pair.kk else "nothing in Kazakh"
    ru = f"{pair.ru.surface} in Russian" if pair.ru else "nothing in Russian"
    words = f"{STATUS_LABELS.get(pair.status, pair.status)}: {kk}, {ru}"
    if pair.status == "swapped":
        words += " (the same number, bound to another role)"
    return words


def _page_of(f: Figure) -> int:
    return f.boxes[0].page if f.boxes else f.page


def _sort_key(pair: FigurePair) -> tuple[int, int]:
    pages = [_page_of(f) for f in (pair.kk, pair.ru) if f is not None]
    return min(pages), max(pages)


def _marked(context: str, surface: str) -> str:
    """The sentence, escaped, with the figure in <mark> (its first occurrence
    not inside a longer number)."""
    for m in re.finditer(re.escape(surface), context):
        a, b = m.span()
        if (a == 0 or not context[a - 1].isdigit()) and (b == len(context) or not context[b].isdigit()):
            return f"{_e(context[:a])}<mark>{_e(surface)}</mark>{_e(context[b:])}"
    return _e(context)


def _data_uri(img: PageImage) -> str:
    return "data:image/png;base64," + base64.b64encode(img.png).decode("ascii")


def _kb(n: int) -> str:
    return f"{max(1, round(n / 1024))} KB"


def _side(fig: Figure | None, lang: str, image: PageImage | str | None, card: str) -> str:
    name = LANG_NAMES[lang]
    if fig is None:
        return (
            f'<section class="side" aria-label="{name}"><h4>{name} ({lang})</h4>'
            f'<p class="none">No counterpart in the {name} text.</p></section>'
        )
    page = _page_of(fig)
    parts = [
        f'<section class="side" aria-label="{name}">',
        f'<h4>{name} ({lang}) · page {page} · ¶{fig.para_no} of the {_e(fig.part)}</h4>',
        f'<blockquote lang="{lang}" class="sentence">{_marked(fig.context, fig.surface)}</blockquote>',
    ]
    if isinstance(image, PageImage):
        alt = f"Page {image.page} of the {name} text, with {fig.surface} boxed"
        # Shown at the page's printed size (96 CSS px per 72 pt), sharp on dense screens.
        css = 96 / 72 / SCALE
        parts.append(
            f'<figure><img id="{card}-{lang}-img" class="page" alt="{_e(alt)}" '
            f'width="{round(image.width * css)}" height="{round(image.height * css)}" '
            f'data-src="{_data_uri(image)}" decoding="async">'
            f"<figcaption>page {image.page}, {_e(fig.surface)} boxed</figcaption></figure>"
        )
    elif image:
        parts.append(f'<p class="noimage">No page image: {_e(image)}.</p>')
    parts.append("</section>")
    return "".join(parts)


def _card(n: int, letter_no: int, doc: DocumentResult, pair: FigurePair, images: dict[str, PageImage | str]) -> str:
    card = f"f{n}"
    f = pair.kk or pair.ru
    assert f is not None
    pages = ", ".join(f"{lang} page {_page_of(x)}" for lang, x in (("kk", pair.kk), ("ru", pair.ru)) if x)
    what = [pair.kind] + ([f"metric {pair.metric}"] if pair.metric else [])
    html_ = (
        f'<article class="card" id="{card}" tabindex="0" data-status="{_e(pair.status)}" '
        f'data-letter="{letter_no}" aria-labelledby="{card}-h">'
        f'<header><h3 id="{card}-h"><span class="status">{_e(STATUS_LABELS.get(pair.status, pair.status))}</span>: '
        f"{_e(status_words(pair).split(': ', 1)[1])}</h3>"
        f'<p class="where">{_e(doc.letter.path)} · {_e(" · ".join(what))} · {_e(pages)}</p></header>'
        f'<div class="sides">{_side(pair.kk, "kk", images.get("kk"), card)}'
        f'{_side(pair.ru, "ru", images.get("ru"), card)}</div>'
    )
    n_images = sum(isinstance(i, PageImage) for i in images.values())
    size = len(html_.encode()) + 120
    return (
        f'{html_}<footer class="size">This finding takes {_kb(size)} of the file'
        f"{f' ({n_images} page image(s))' if n_images else ''}.</footer></article>"
    )


def _images(doc: DocumentResult, pairs: list[FigurePair], password: str | None) -> list[dict[str, PageImage | str]]:
    """Each finding's page images, by language; a reason in words where none could be drawn."""
    out: list[dict[str, PageImage | str]] = [{} for _ in pairs]
    try:
        with open_letter(doc.letter.path, password) as pdf:
            for slot, pair in zip(out, pairs):
                for lang, fig in (("kk", pair.kk), ("ru", pair.ru)):
                    if fig is None:
                        continue
                    try:
                        slot[lang] = pdf.draw(fig)
                    except PageImageError as exc:
                        slot[lang] = str(exc)
    except PageImageError as exc:
        for slot, pair in zip(out, pairs):
            for lang, fig in (("kk", pair.kk), ("ru", pair.ru)):
                if fig is not None:
                    slot[lang] = str(exc)
    return out


def _meta_row(no: int, doc: DocumentResult) -> str:
    m = doc.letter.meta
    cells = [
        doc.letter.path,
        m.outgoing_no or "—",
        m.letter_date.isoformat() if m.letter_date else "—",
        f"{m.inquiry_no or '—'}" + (f" of {m.inquiry_date.isoformat()}" if m.inquiry_date else ""),
        m.sender or "—",
        m.signatory or "—",
        doc.letter.pages,
        doc.n_paragraphs,
        doc.n_figures,
        doc.n_pairs,
        len(doc.findings),
    ]
    status = "clean" if not doc.findings else "mismatch"
    first = f'<td><a href="#letter{no}">{_e(cells[0])}</a></td>' if doc.findings else f"<td>{_e(cells[0])}</td>"
    return "<tr>" + first + "".join(f"<td>{_e(c)}</td>" for c in cells[1:]) + f"<td>{status}</td></tr>"


def _letters_table(docs: list[DocumentResult]) -> str:
    head = (
        "letter", "outgoing №", "date", "inquiry", "sender", "signatory", "pages", "paragraphs",
        "figures", "pairs", "findings", "status",
    )
    return (
        '<table class="letters"><caption>Letters checked</caption><thead><tr>'
        + "".join(f'<th scope="col">{h}</th>' for h in head)
        + "</tr></thead><tbody>"
        + "".join(_meta_row(i, d) for i, d in enumerate(docs))
        + "</tbody></table>"
    )


def _rejects_table(rejects: list[Reject]) -> str:
    if not rejects:
        return ""
    rows = "".join(
        f"<tr><td>{_e(r.path)}</td><td>{_e(r.reason)}</td><td>{_e(r.detail)}</td></tr>" for r in rejects
    )
    return (
        '<section id="rejects" aria-labelledby="rejects-h"><h2 id="rejects-h">Rejected files</h2>'
        '<table class="rejects"><thead><tr><th scope="col">file</th><th scope="col">reason</th>'
        f'<th scope="col">detail</th></tr></thead><tbody>{rows}</tbody></table></section>'
    )


def _summary(report: RunReport) -> str:
    docs = report.documents
    clean = sum(1 for d in docs if not d.findings)
    if not report.findings and not report.rejects:
        return (
            f'<p class="clean" role="status">Clean: all {len(docs)} letter(s) checked, every figure agrees '
            "between the Kazakh and the Russian text.</p>"
        )
    return (
        f'<p class="summary" role="status">{len(docs)} letter(s) checked: {clean} clean, '
        f"{len(docs) - clean} with mismatches ({len(report.findings)} finding(s)); "
        f"{len(report.rejects)} file(s) rejected.</p>"
    )


def _filters(docs: list[tuple[int, DocumentResult]], statuses: Iterable[str], total: int) -> str:
    status_opts = "".join(f'<option value="{_e(s)}">{_e(STATUS_LABELS.get(s, s))}</option>' for s in statuses)
    letter_opts = "".join(f'<option value="{i}">{_e(d.letter.path)}</option>' for i, d in docs)
    return (
        '<form class="filters" role="search" aria-label="Filter findings">'
        '<label for="f-status">Status</label> <select id="f-status"><option value="">all</option>'
        f"{status_opts}</select> "
        '<label for="f-letter">Letter</label> <select id="f-letter"><option value="">all</option>'
        f"{letter_opts}</select> "
        f'<output id="shown" aria-live="polite">{total} of {total} findings shown</output>'
        '<p class="keys">Keys: <kbd>j</kbd> next finding, <kbd>k</kbd> previous; <kbd>Tab</kbd> moves too.</p>'
        "</form>"
    )


def to_html(report: RunReport, *, password: str | None = None, title: str = "kkru-etl check") -> str:
    """The whole report as one HTML document (see the module doc)."""
    nonce = secrets.token_urlsafe(16)
    docs = sorted(report.documents, key=lambda d: d.letter.path)
    with_findings = [(i, d) for i, d in enumerate(docs) if d.findings]
    statuses = sorted({p.status for _, d in with_findings for p in d.findings})
    total = sum(len(d.findings) for _, d in with_findings)
    body: list[str] = []
    n = 0
    for i, doc in with_findings:
        pairs = sorted(doc.findings, key=_sort_key)
        images = _images(doc, pairs, password)
        m = doc.letter.meta
        about = ", ".join(
            x
            for x in (
                f"№ {m.outgoing_no}" if m.outgoing_no else "",
                f"of {m.letter_date.isoformat()}" if m.letter_date else "",
                f"answering {m.inquiry_no}" if m.inquiry_no else "",
                f"{doc.letter.pages} pages",
                f"{doc.n_figures} figures in {doc.n_pairs} pairs",
                f"{len(pairs)} finding(s)",
            )
            if x
        )
        body.append(
            f'<section class="letter" id="letter{i}" data-letter="{i}" aria-labelledby="letter{i}-h">'
            f'<h2 id="letter{i}-h">{_e(doc.letter.path)}</h2><p class="about">{_e(about)}</p>'
        )
        for pair, imgs in zip(pairs, images):
            n += 1
            body.append(_card(n, i, doc, pair, imgs))
        body.append("</section>")
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    csp = f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'"
    return "".join(
        [
            "<!DOCTYPE html>\n",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
            '<a class="skip" href="#findings">Skip to the findings</a>',
            f"<header class=\"top\"><h1>{_e(title)}</h1>{_summary(report)}"
            f'<p class="meta">Generated {generated}; {report.seconds:.1f} s.</p></header>',
            "<main>",
            _filters(with_findings, statuses, total) if total else "",
            f'<div id="findings">{"".join(body)}</div>',
            _rejects_table(report.rejects),
            f'<details class="index"{" open" if not total else ""}><summary>Letters ({len(docs)})</summary>'
            f"{_letters_table(docs)}</details>" if docs else "",
            "</main>",
            f'<script nonce="{nonce}">{_JS}</script>',
            "</body></html>\n",
        ]
    )


_CSS = """
:root { --ink: #1b1b1b; --muted: #555; --line: #bbb; --mark: #ffe36e; --bad: #b00000; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); background: #f4f4f2; }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .4rem; z-index: 2; }
header.top, main { max-width: 1400px; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 1.4rem; margin: 1rem 0 .3rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 .2rem; word-break: break-all; }
.summary, .clean { font-size: 1.05rem; margin: .2rem 0; } .clean { font-weight: 600; }
.meta, .about, .where, .size, .keys { color: var(--muted); font-size: .85rem; margin: .2rem 0; }
.filters { position: sticky; top: 0; z-index: 1; background: #f4f4f2; padding: .6rem 0; border-bottom: 1px solid var(--line); }
.filters select { font: inherit; max-width: 40ch; } .filters output { margin-left: 1rem; }
.card { background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--bad); border-radius: 4px; margin: .8rem 0; padding: .7rem 1rem; }
.card:focus { outline: 3px solid #1a5fb4; outline-offset: 2px; }
.card h3 { font-size: 1.05rem; margin: 0; }
.status { display: inline-block; border: 2px solid var(--bad); color: var(--bad); border-radius: 3px; padding: 0 .35rem; font-weight: 700; text-transform: uppercase; font-size: .8rem; letter-spacing: .03em; vertical-align: .1em; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin-top: .5rem; }
@media (max-width: 900px) { .sides { grid-template-columns: 1fr; } }
.side h4 { margin: 0 0 .3rem; font-size: .9rem; }
.sentence { margin: 0 0 .5rem; padding: .4rem .6rem; border-left: 3px solid var(--line); background: #fafafa; }
mark { background: var(--mark); color: inherit; font-weight: 700; text-decoration: underline; text-decoration-thickness: 2px; padding: 0 .1em; }
figure { margin: 0; } img.page { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); background: #fff; }
figcaption { color: var(--muted); font-size: .8rem; }
.none, .noimage { font-style: italic; color: var(--muted); }
table { border-collapse: collapse; background: #fff; font-size: .85rem; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .2rem .45rem; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
details.index { margin: 1.5rem 0 2rem; } details.index summary { cursor: pointer; font-weight: 600; }
@media print {
  body { background: #fff; font-size: 11pt; }
  .filters, .skip, details.index summary { display: none; }
  .card { break-inside: avoid; break-after: page; border: 1px solid #000; border-left: 6px solid #000; }
  .status { border-color: #000; color: #000; }
  .sides { grid-template-columns: 1fr 1fr; }
}
"""

_JS = """
(() => {
  const cards = Array.from(document.querySelectorAll('article.card'));
  const lazy = Array.from(document.querySelectorAll('img[data-src]'));
  const load = (img) => { if (img.dataset.src) { img.src = img.dataset.src; delete img.dataset.src; } };
  if ('IntersectionObserver' in window) {
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) { if (e.isIntersecting) { load(e.target); io.unobserve(e.target); } }
    }, { rootMargin: '600px 0px' });
    lazy.forEach((img) => io.observe(img));
  } else {
    lazy.forEach(load);
  }
  window.addEventListener('beforeprint', () => lazy.forEach(load));
  const status = document.getElementById('f-status');
  const letter = document.getElementById('f-letter');
  const shown = document.getElementById('shown');
  const apply = () => {
    let n = 0;
    for (const c of cards) {
      const ok = (!status.value || c.dataset.status === status.value) && (!letter.value || c.dataset.letter === letter.value);
      c.hidden = !ok;
      if (ok) n += 1;
    }
    for (const s of document.querySelectorAll('section.letter')) {
      s.hidden = !Array.from(s.querySelectorAll('article.card')).some((c) => !c.hidden);
    }
    shown.textContent = n + ' of ' + cards.length + ' findings shown';
  };
  if (status && letter) { status.addEventListener('change', apply); letter.addEventListener('change', apply); }
  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || (e.key !== 'j' && e.key !== 'k')) return;
    if (e.target instanceof Element && e.target.closest('select, input, textarea')) return;
    const visible = cards.filter((c) => !c.hidden);
    if (!visible.length) return;
    const at = visible.indexOf(document.activeElement instanceof Element ? document.activeElement.closest('article.card') : null);
    const next = e.key === 'j' ? visible[at + 1] || visible[0] : visible[at - 1] || visible[visible.length - 1];
    next.focus();
    e.preventDefault();
  });
})();
"""
