"""Renderers of a RunReport: pure functions from the report to text.

The CLI picks one; none of them prints. JSON follows the contract in the
README (`{"documents": [...], "findings": [...], "rejects": [...]}`).
`findings` turns pairs into data and words, `machine` renders JSON, JUnit and
GitHub annotations, `text` the rich tables of the terminal, `html` the review
page (one self-contained file; `pages` draws each figure's place on its page
from the PDF, so a run keeps only each finding's path and boxes).
"""

from .findings import STATUS_WORDS, document_dict, finding_dict
from .html import to_html
from .machine import to_github, to_json, to_junit
from .text import findings_table, pairs_table, text_report

__all__ = [
    "STATUS_WORDS",
    "document_dict",
    "finding_dict",
    "findings_table",
    "pairs_table",
    "text_report",
    "to_html",
    "to_github",
    "to_json",
    "to_junit",
]
