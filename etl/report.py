"""Renderers of a RunReport: pure functions from the report to text.

The CLI picks one; none of them prints. JSON follows the contract in the
README (`{"documents": [...], "findings": [...], "rejects": [...]}`).
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rich.console import Group
from rich.table import Table
from rich.text import Text

from .models import DocumentResult, Figure, FigurePair, RunReport

STATUS_WORDS = {
    "match": "match",
    "changed": "changed",
    "missing_kk": "missing in kk",
    "missing_ru": "missing in ru",
    "swapped": "swapped",
}




def _side(f: Figure | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "figure_id": f.figure_id,
        "surface": f.surface,
        "value": f.value,
        "scale": f.scale,
        "unit": f.unit,
        "kind": f.kind,
        "part": f.part,
        "para_no": f.para_no,
        "page": f.page,
        "context": f.context,
    }


def _doc_name(doc: DocumentResult) -> str:
    return doc.letter.path


def finding_dict(doc: DocumentResult, pair: FigurePair) -> dict[str, Any]:
    return {
        "doc": _doc_name(doc),
        "doc_id": doc.doc_id,
        "status": pair.status,
        "kind": pair.kind,
        "metric": pair.metric,
        "kk": _side(pair.kk),
        "ru": _side(pair.ru),
    }


def document_dict(doc: DocumentResult) -> dict[str, Any]:
    m = doc.letter.meta
    return {
        "path": doc.letter.path,
        "doc_id": doc.doc_id,
        "outgoing_no": m.outgoing_no,
        "letter_date": m.letter_date.isoformat() if m.letter_date else None,
        "inquiry_no": m.inquiry_no,
        "inquiry_date": m.inquiry_date.isoformat() if m.inquiry_date else None,
        "pages": doc.letter.pages,
        "paragraphs": doc.n_paragraphs,
        "figures": doc.n_figures,
        "pairs": doc.n_pairs,
        "findings": len(doc.findings),
        "status": doc.status,
    }


def to_json(report: RunReport) -> str:
    payload = {
        "documents": [document_dict(d) for d in report.documents],
        "findings": [finding_dict(d, p) for d, p in report.findings],
        "rejects": [
            {"path": r.path, "sha256": r.sha256, "reason": r.reason, "detail": r.detail} for r in report.rejects
        ],
        "exit_code": report.exit_code,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _one_line(pair: FigurePair) -> str:
    kk = f"kk {pair.kk.surface!r} (p.{pair.kk.page})" if pair.kk else "kk —"
    ru = f"ru {pair.ru.surface!r} (p.{pair.ru.page})" if pair.ru else "ru —"
    return f"{STATUS_WORDS[pair.status]}: {kk} vs {ru}"


def to_github(report: RunReport) -> str:
    """GitHub Actions workflow commands: one ::error per finding and reject."""
    lines = []
    for doc, pair in report.findings:
        msg = f"{_one_line(pair)} | kk: {pair.kk.context if pair.kk else '—'} | ru: {pair.ru.context if pair.ru else '—'}"
        lines.append(f"::error file={_gh_escape_prop(doc.letter.path)},title=kk/ru {pair.status}::{_gh_escape(msg)}")
    for r in report.rejects:
        lines.append(f"::error file={_gh_escape_prop(r.path)},title=rejected ({r.reason})::{_gh_escape(r.detail)}")
    return "\n".join(lines)


def _gh_escape(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_prop(s: str) -> str:
    return _gh_escape(s).replace(":", "%3A").replace(",", "%2C")


def to_junit(report: RunReport) -> str:
    """JUnit XML: a test suite per letter, a test case per figure pair."""
    suites = []
    for doc in report.documents:
        cases = []
        for pair in doc.pairs:
            name = _case_name(pair)
            if pair.status == "match":
                cases.append(f"    <testcase classname={quoteattr(doc.letter.path)} name={quoteattr(name)}/>")
            else:
                body = escape(
                    f"kk: {pair.kk.context if pair.kk else '—'}\nru: {pair.ru.context if pair.ru else '—'}"
                )
                cases.append(
                    f"    <testcase classname={quoteattr(doc.letter.path)} name={quoteattr(name)}>\n"
                    f"      <failure type={quoteattr(pair.status)} message={quoteattr(_one_line(pair))}>{body}</failure>\n"
                    f"    </testcase>"
                )
        suites.append(
            f"  <testsuite name={quoteattr(doc.letter.path)} tests=\"{len(doc.pairs)}\" "
            f"failures=\"{len(doc.findings)}\" errors=\"0\">\n" + "\n".join(cases) + "\n  </testsuite>"
        )
    for r in report.rejects:
        suites.append(
            f"  <testsuite name={quoteattr(r.path)} tests=\"1\" failures=\"0\" errors=\"1\">\n"
            f"    <testcase classname={quoteattr(r.path)} name=\"read letter\">\n"
            f"      <error type={quoteattr(r.reason)} message={quoteattr(r.detail)}/>\n"
            f"    </testcase>\n  </testsuite>"
        )
    return '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kkru-etl check">\n' + "\n".join(suites) + "\n</testsuites>"


def _case_name(pair: FigurePair) -> str:
    f = pair.kk or pair.ru
    assert f is not None
    return f"{f.part} ¶{f.para_no} {pair.kind} {pair.kk.surface if pair.kk else '—'} / {pair.ru.surface if pair.ru else '—'}"


def _highlight(context: str, surface: str) -> Text:
    text = Text(context)
    i = context.find(surface)
    if i >= 0:
        text.stylize("bold red", i, i + len(surface))
    return text


def findings_table(doc: DocumentResult) -> Table:
    """A rich table of one letter's findings: both surfaces and both sentences."""
    table = Table(title=f"{doc.letter.path} — {len(doc.findings)} finding(s)", show_lines=True, expand=True)
    table.add_column("status", no_wrap=True)
    table.add_column("kk", no_wrap=True)
    table.add_column("kk sentence", ratio=1)
    table.add_column("ru", no_wrap=True)
    table.add_column("ru sentence", ratio=1)
    for pair in doc.findings:
        table.add_row(
            STATUS_WORDS[pair.status],
            f"{pair.kk.surface}\np.{pair.kk.page}" if pair.kk else "—",
            _highlight(pair.kk.context, pair.kk.surface) if pair.kk else Text("—"),
            f"{pair.ru.surface}\np.{pair.ru.page}" if pair.ru else "—",
            _highlight(pair.ru.context, pair.ru.surface) if pair.ru else Text("—"),
        )
    return table


def pairs_table(doc: DocumentResult) -> Table:
    """Every aligned figure side by side (kk | ru | status), for `etl show`."""
    table = Table(title=f"{doc.letter.path} — {len(doc.pairs)} figure pair(s)", expand=False)
    for col in ("part", "¶kk", "kk", "¶ru", "ru", "kind", "status"):
        table.add_column(col, no_wrap=col != "kk" and col != "ru")
    for pair in doc.pairs:
        f = pair.kk or pair.ru
        assert f is not None
        style = None if pair.status == "match" else "bold red"
        table.add_row(
            f.part,
            str(pair.kk.para_no) if pair.kk else "",
            pair.kk.surface if pair.kk else "—",
            str(pair.ru.para_no) if pair.ru else "",
            pair.ru.surface if pair.ru else "—",
            pair.kind,
            STATUS_WORDS[pair.status],
            style=style,
        )
    return table


def text_report(report: RunReport) -> Group:
    parts: list[Any] = []
    for doc in report.documents:
        if doc.findings:
            parts.append(findings_table(doc))
    clean = sum(1 for d in report.documents if not d.findings)
    summary = Text(
        f"{len(report.documents)} letter(s) checked: {clean} clean, "
        f"{len(report.documents) - clean} with mismatches ({len(report.findings)} finding(s)), "
        f"{len(report.rejects)} rejected."
    )
    parts.append(summary)
    return Group(*parts)
