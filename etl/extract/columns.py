"""Side-by-side pages: the gutter between a Kazakh and a Russian column."""

from __future__ import annotations

import bisect
import itertools



def find_gutter(
    rows: list[list[tuple[float, float]]], width: float, size: float, share: float = 0.5
) -> float | None:
    """x of the vertical gap between two side-by-side columns, or None.

    `rows` holds each baseline's word extents. A page is two-column when a
    vertical line in the middle of the page cuts through (almost) no word
    while most baselines have words on both sides of it. Justified text has
    wide gaps too, but never at the same x on most lines. `share` is the part
    of the baselines that must have words on both sides: a lower one gives a
    candidate that the caller checks against the columns' languages.
    """
    rows = [r for r in rows if r]
    if len(rows) < 6:
        return None
    min_gap = max(8.0, 0.9 * size)
    need = max(4, share * len(rows))
    lo_x, hi_x = width * 0.3, width * 0.7
    # Only x that lie in a gutter-wide gap on most rows can pass the full
    # test below: count, for each x of the grid, the rows with such a gap.
    grid = [lo_x + 2.0 * i for i in range(int((hi_x - lo_x) / 2.0) + 1)]
    # Per row, the grid cells inside a wide gap; most rows of a one-column
    # page have none, and the page is done without a pass over the grid.
    wide = [
        [
            (max(0, int((a[1] - lo_x) / 2.0) + 1), min(len(grid) - 1, int((b[0] - lo_x) / 2.0)))
            for a, b in zip(r, r[1:])
            if b[0] - a[1] >= min_gap and a[1] < hi_x and b[0] > lo_x
        ]
        for r in rows
    ]
    if sum(1 for cells in wide if cells) < need:
        return None
    cover = [0] * len(grid)
    for cells in wide:
        seen: set[int] = set()
        for first, last in cells:
            seen.update(range(first, last + 1))
        for i in seen:
            cover[i] += 1
    candidates = [x for x, c in zip(grid, cover) if c >= need]
    if not candidates:
        return None
    # Per row: span starts in order, the furthest end reached by the spans up
    # to each start, the first end and the last start; a candidate x is then
    # tested with one bisection per row.
    tests = []
    for spans in rows:
        ordered = sorted(spans)
        ends = list(itertools.accumulate((x1 for _, x1 in ordered), max))
        tests.append(([x0 for x0, _ in ordered], ends, min(x1 for _, x1 in spans), ordered[-1][0]))
    best: tuple[int, int, float] | None = None
    for x in candidates:
        crossing = both = 0
        for starts, ends, first_end, last_start in tests:
            k = bisect.bisect_left(starts, x)  # spans before k start left of x
            if k and ends[k - 1] > x:
                crossing += 1
            elif first_end <= x <= last_start:
                both += 1
        if best is None or (both - 3 * crossing) > (best[0] - 3 * best[1]):
            best = (both, crossing, x)
    assert best is not None
    both, crossing, gx = best
    if crossing > 0.05 * len(rows) + 1 or both < need:
        return None
    lo = max((x1 for r in rows for _, x1 in r if x1 <= gx), default=gx)
    hi = min((x0 for r in rows for x0, _ in r if x0 >= gx), default=gx)
    # A gutter is wider than a word space: repeated or tabular text can line
    # its word gaps up, but not into an empty band of most of an em.
    if hi - lo < min_gap:
        return None
    return (lo + hi) / 2


def crosses(spans: list[tuple[float, float]], x: float) -> bool:
    """Whether a word of the row straddles x."""
    return any(x0 < x < x1 for x0, x1 in spans)
