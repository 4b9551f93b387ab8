"""Machine-readable reports for CI: JSON, GitHub workflow commands, JUnit XML."""

from __future__ import annotations

from collections.abc import Iterator
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_quoteattr

from ..models import DocumentResult, FigurePair, RunReport
from .findings import case_name, document_dict, finding_dict, one_line
from .safe import json_text, literal


def escape(s: str) -> str:
    # XML 1.0 cannot carry most control characters even as references: they
    # are shown as visible escapes first, so the report stays well-formed.
    return _xml_escape(literal(s, multiline=True))


def quoteattr(s: str) -> str:
    return _xml_quoteattr(literal(s, multiline=True))


def to_json(report: RunReport) -> str:
    payload = {
        "documents": [document_dict(d) for d in report.documents],
        "findings": [finding_dict(d, p) for d, p in report.findings],
        "rejects": [
            {"path": r.path, "sha256": r.sha256, "reason": r.reason, "detail": r.detail} for r in report.rejects
        ],
        "waiting": [
            {
                "path": w.path, "sha256": w.sha256, "lang": w.lang, "outgoing_no": w.outgoing_no,
                "letter_date": w.letter_date.isoformat() if w.letter_date else None, "detail": w.line,
            }
            for w in report.waiting
        ],
        "exit_code": report.exit_code,
    }
    return json_text(payload, indent=2)


def to_github(report: RunReport) -> str:
    """GitHub Actions workflow commands: one ::error per finding and reject."""
    lines = []
    for doc, pair in report.findings:
        msg = f"{one_line(pair)} | kk: {pair.kk.context if pair.kk else '—'} | ru: {pair.ru.context if pair.ru else '—'}"
        lines.append(f"::error file={_gh_escape_prop(doc.letter.path)},title=kk/ru {pair.status}::{_gh_escape(msg)}")
    for r in report.rejects:
        lines.append(f"::error file={_gh_escape_prop(r.path)},title=rejected ({_gh_escape_prop(r.reason)})::{_gh_escape(r.detail)}")
    for w in report.waiting:
        lines.append(f"::warning file={_gh_escape_prop(w.path)},title=half of a two-file letter::{_gh_escape(w.line)}")
    return "\n".join(lines)


def _gh_escape(s: str) -> str:
    # Control codes would reach the log viewer raw (colours, cursor moves).
    return literal(s, multiline=True).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_prop(s: str) -> str:
    return _gh_escape(s).replace(":", "%3A").replace(",", "%2C")


def junit_cases(doc: DocumentResult) -> list[tuple[str, FigurePair | None]]:
    """A letter's JUnit test cases in order: each one's name and, for a failure, its finding.

    A letter slimmed with `case_name` kept the names of its matching pairs
    (`cases`) and its findings; any other lists its pairs (`listed_pairs`).
    """
    if doc.cases is None:
        return [(case_name(p), None if p.status == "match" else p) for p in doc.listed_pairs]
    findings = iter(doc.findings)
    out: list[tuple[str, FigurePair | None]] = []
    for name in doc.cases:
        if name is None:
            finding = next(findings)
            out.append((case_name(finding), finding))
        else:
            out.append((name, None))
    return out


def to_junit(report: RunReport) -> str:
    """JUnit XML: a test suite per letter, a test case per figure pair."""
    return "".join(junit_chunks(report))


def junit_chunks(report: RunReport) -> Iterator[str]:
    """The text of `to_junit` a test suite at a time: the report of thousands
    of letters, tens of megabytes, is never held as one string to be printed."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kkru-etl check">\n'
    for i, suite in enumerate(_junit_suites(report)):
        yield ("\n" if i else "") + suite
    yield "\n</testsuites>"


def _junit_suites(report: RunReport) -> Iterator[str]:
    for doc in report.documents:
        cases = []
        # A row, column or table missing in one language is one finding: one
        # failed case, named after its first cell.
        listed = junit_cases(doc)
        for name, pair in listed:
            if pair is None:
                cases.append(f"    <testcase classname={quoteattr(doc.letter.path)} name={quoteattr(name)}/>")
            else:
                body = escape(
                    f"kk: {pair.kk.context if pair.kk else '—'}\nru: {pair.ru.context if pair.ru else '—'}"
                )
                cases.append(
                    f"    <testcase classname={quoteattr(doc.letter.path)} name={quoteattr(name)}>\n"
                    f"      <failure type={quoteattr(pair.status)} message={quoteattr(one_line(pair))}>{body}</failure>\n"
                    f"    </testcase>"
                )
        yield (
            f"  <testsuite name={quoteattr(doc.letter.path)} tests=\"{len(listed)}\" "
            f"failures=\"{len(doc.findings)}\" errors=\"0\">\n" + "\n".join(cases) + "\n  </testsuite>"
        )
    for r in report.rejects:
        yield (
            f"  <testsuite name={quoteattr(r.path)} tests=\"1\" failures=\"0\" errors=\"1\">\n"
            f"    <testcase classname={quoteattr(r.path)} name=\"read letter\">\n"
            f"      <error type={quoteattr(r.reason)} message={quoteattr(r.detail)}/>\n"
            f"    </testcase>\n  </testsuite>"
        )
