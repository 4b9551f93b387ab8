"""Numbers whose thousands groups are set off by plain spaces.

Kazakh and Russian set off groups of three digits with a no-break, thin or
plain space (`13 628,4`). A plain space is what a text layer usually keeps,
and it is also what stands between two numbers: `12 345` alone cannot tell
12 345 from 12 and 345. The reader takes such digits as one number, by one
rule for both languages, so the two sides agree either way; the figure row
says that it was read so (`figures.grouping`), for an analyst who wants to
look again. The same test runs in SQL in migration 8 to fill older rows.
"""

from __future__ import annotations

import re

# A digit, one plain space, three digits that end the run: a group joined
# across a plain space. (RE2, in DuckDB, has no lookahead: the same pattern
# spelled with a closing `(\D|$)` there.)
_PLAIN_GROUP = re.compile(r"\d \d{3}(?:\D|$)")
AMOUNT_KINDS = ("statistic", "money")
PLAIN_SPACE = "plain_space"


def grouping_of(surface: str, kind: str) -> str | None:
    """`plain_space` for an amount read across a plain space between digit groups, else None."""
    if kind in AMOUNT_KINDS and _PLAIN_GROUP.search(surface):
        return PLAIN_SPACE
    return None
