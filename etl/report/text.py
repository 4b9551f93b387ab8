"""Terminal reports: rich tables of a letter's findings and pairs, and a run's summary."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..models import DocumentResult, Figure, RunReport
from .findings import STATUS_WORDS, ocr_note, table_location
from .safe import literal


def _highlight(context: str, surface: str) -> Text:
    # Offsets are taken on the escaped text: that is what is printed.
    shown, mark = literal(context, multiline=True), literal(surface)
    text = Text(shown)
    i = shown.find(mark)
    if i >= 0:
        text.stylize("bold red", i, i + len(mark))
    return text


def _cell(value: object) -> Text:
    # A Text is never parsed as markup, whatever the console's settings.
    return Text(literal(value, multiline=True))


def findings_table(doc: DocumentResult) -> Table:
    """A rich table of one letter's findings: both surfaces and both sentences."""
    table = Table(
        title=Text(f"{literal(doc.letter.path)} — {len(doc.findings)} finding(s)"), show_lines=True, expand=True
    )
    table.add_column("status")
    table.add_column("kk", no_wrap=True)
    table.add_column("kk sentence", ratio=1)
    table.add_column("ru", no_wrap=True)
    table.add_column("ru sentence", ratio=1)
    for pair in doc.findings:
        where = table_location(pair)
        note = ocr_note(pair)
        table.add_row(
            _cell(STATUS_WORDS[pair.status] + (f"\n{where}" if where else "") + (f"\n{note}" if note else "")),
            _cell(f"{literal(pair.kk.surface)}\np.{pair.kk.page}") if pair.kk else Text("—"),
            _highlight(pair.kk.context, pair.kk.surface) if pair.kk else Text("—"),
            _cell(f"{literal(pair.ru.surface)}\np.{pair.ru.page}") if pair.ru else Text("—"),
            _highlight(pair.ru.context, pair.ru.surface) if pair.ru else Text("—"),
        )
    return table


def _place(f: Figure | None) -> str:
    """The paragraph number, or table/row/column of a cell ("t1 r2 c3")."""
    if f is None:
        return ""
    if f.table_no is not None:
        return f"t{f.table_no} r{f.row_no} c{f.col_no}"
    return str(f.para_no)


def pairs_table(doc: DocumentResult) -> Table:
    """Every aligned figure side by side (kk | ru | status), for `etl show`."""
    table = Table(title=Text(f"{literal(doc.letter.path)} — {len(doc.pairs)} figure pair(s)"), expand=False)
    for col in ("part", "¶kk", "kk", "¶ru", "ru", "kind", "status"):
        table.add_column(col, no_wrap=col != "kk" and col != "ru")
    for pair in doc.pairs:
        f = pair.kk or pair.ru
        assert f is not None
        style = None if pair.status == "match" else "bold red"
        table.add_row(
            f.part,
            _place(pair.kk),
            _cell(pair.kk.surface) if pair.kk else "—",
            _place(pair.ru),
            _cell(pair.ru.surface) if pair.ru else "—",
            pair.kind,
            STATUS_WORDS[pair.status] + (f" ({where})" if (where := table_location(pair)) else ""),
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


def summary_table(rep: RunReport, warehouse: str | None) -> Table:
    """The one-row summary of an ingest (with its warehouse) or a check."""
    table = Table(title="kkru-etl ingest" if warehouse else "kkru-etl check", show_header=True)
    for col in ("letters", "pages", "paragraphs", "figures", "findings", "skipped", "rejected", "time"):
        table.add_column(col, justify="right")
    table.add_row(
        str(len(rep.documents)),
        str(sum(d.letter.pages for d in rep.documents)),
        str(sum(d.n_paragraphs for d in rep.documents)),
        str(sum(d.n_figures for d in rep.documents)),
        str(len(rep.findings)),
        str(len(rep.skipped)),
        str(len(rep.rejects)),
        f"{rep.seconds:.1f} s",
    )
    if warehouse:
        table.caption = Text(f"warehouse: {literal(warehouse)}")
    return table
