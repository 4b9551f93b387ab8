"""Renderers of a RunReport: pure functions from the report to text.

The CLI picks one; none of them prints. JSON follows the contract in the
README (`{"documents": [...], "findings": [...], "rejects": [...]}`).
`findings` turns pairs into data and words, `machine` renders JSON, JUnit and
GitHub annotations, `text` the rich tables of the terminal (and
`warehouse_tables` those of `etl sql`, `trends` and `series`), `html` the review
page (one self-contained file; `pages` draws each figure's place on its page
from the PDF, so a run keeps only each finding's path and boxes).
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .findings import STATUS_WORDS, case_name, document_dict, finding_dict
    from .html import to_html
    from .machine import junit_chunks, to_github, to_json, to_junit
    from .text import findings_table, pairs_table, summary_table, text_report
    from .warehouse_tables import metric_table, result_table, series_table, trends_table

# Each renderer is imported when first asked for: `etl check --format json`
# needs neither rich nor the page renderer, and `etl.report.safe` (what the
# CLI escapes data with) costs nothing to import.
_WHERE = {
    "STATUS_WORDS": "findings",
    "case_name": "findings",
    "document_dict": "findings",
    "finding_dict": "findings",
    "to_html": "html",
    "to_github": "machine",
    "to_json": "machine",
    "to_junit": "machine",
    "junit_chunks": "machine",
    "findings_table": "text",
    "pairs_table": "text",
    "text_report": "text",
    "summary_table": "text",
    "metric_table": "warehouse_tables",
    "result_table": "warehouse_tables",
    "series_table": "warehouse_tables",
    "trends_table": "warehouse_tables",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    if name in set(_WHERE.values()) | {"pages", "safe"}:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "STATUS_WORDS",
    "case_name",
    "document_dict",
    "finding_dict",
    "findings_table",
    "junit_chunks",
    "metric_table",
    "pairs_table",
    "result_table",
    "series_table",
    "summary_table",
    "text_report",
    "to_html",
    "to_github",
    "to_json",
    "to_junit",
    "trends_table",
]
