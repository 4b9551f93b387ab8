"""What an engine gives the layout stage: upright glyphs, page by page.

Both engines (`pdfplumber`, `pdfium`) produce the same `PageGlyphs`, so
everything after them is engine-agnostic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Glyph(NamedTuple):
    """A character, or a word of characters that share font, size and line."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False


class Rule(NamedTuple):
    """A drawn horizontal or vertical segment (a table border), in points from the top-left."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True, slots=True)
class PageGlyphs:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    rotated: int  # characters dropped because they are not upright
    # Non-space upright characters; kept apart from `glyphs`, which the
    # extractor clears once a page is laid out.
    n_chars: int = -1
    # Axis-aligned drawn segments: what ruled tables are found from.
    rules: tuple[Rule, ...] = ()

    def __post_init__(self) -> None:
        if self.n_chars < 0:
            object.__setattr__(self, "n_chars", sum(1 for g in self.glyphs if not g.text.isspace()))
