"""Text that comes from data, made safe to print.

A letter's text, a file name, a warehouse value or a DuckDB message is data:
it must reach a terminal or a CI log as the characters it holds, never as
rich markup, terminal control sequences (an ESC starts a title-setting or
screen-clearing sequence) or a bidi override that reorders what follows.
`literal` shows each such character as a visible escape (`\\x1b`, `\\u202e`);
the renderers pass every value from data through it, and the consoles of
the CLI are built with markup and emoji codes off.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls but tab and newline, DEL and C1 (0x9b is an 8-bit CSI), the bidi
# embeddings, overrides and isolates, and what XML 1.0 cannot carry at all
# (lone surrogates, U+FFFE, U+FFFF).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
_NEWLINE = re.compile("\n")


def _escape_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def literal(value: object, *, multiline: bool = False) -> str:
    """`value` as printable text: control and bidi characters shown as escapes.

    Newlines are kept only with `multiline` (a table cell, a JUnit failure
    body); a one-line message shows them as `\\n`, so no data can start a
    line of its own in a log.
    """
    text = "" if value is None else str(value)
    text = _UNSAFE.sub(_escape_char, text)
    if not multiline:
        text = _NEWLINE.sub("\\\\n", text)
    return text


# Inside JSON strings these are legal but reach a terminal raw when the JSON
# is printed; json.dumps leaves them as they are with ensure_ascii=False.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(payload: Any, **kwargs: Any) -> str:
    """json.dumps, with the characters above written as \\u escapes (the same data once parsed)."""
    text = json.dumps(payload, ensure_ascii=False, **kwargs)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def number_text(v: float) -> str:
    """A count or an amount as the terminal shows it: 12 345, 3.6."""
    return f"{int(v):,}".replace(",", " ") if float(v).is_integer() else f"{v:g}"
