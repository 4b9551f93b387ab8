"""Pair the kk and ru tables of a letter, then their cells by (row, column).

Tables are paired inside each part, in order, by a small dynamic programme
whose score is the share of cell amounts the two tables have in common, plus
a bonus for the same shape: a table present in one language only is left
over, and each of its cells becomes a pair of scope "table" (one finding).

Inside a pair of tables, columns are paired first — by identical header text
(years read the same in both languages) and by the values they hold — then
rows by the values of the paired columns; both programmes prefer the
diagonal, so tables of the same shape pair row i with row i. A row or a
column found in one language only gives pairs of scope "row" / "column"
(one finding each). Paired cells compare their amounts (value * scale) and
units: equal is `match`, different `changed`, a number against an empty
cell `missing_kk` / `missing_ru`. Two changed cells of one row (or column)
whose values are exchanged are `swapped`: two pairs, each value with itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from ..models import PARTS, Figure, FigurePair, Table

_Cells = dict[tuple[int, int], Figure]
_MIN_TABLE_SCORE = 0.25


def _amount(f: Figure) -> tuple[float, str | None]:
    return (round(f.value * f.scale, 6), f.unit)


def _same(a: Figure, b: Figure) -> bool:
    return _amount(a) == _amount(b)


def _dp(n: int, m: int, score: Callable[[int, int], float]) -> list[tuple[int, int]]:
    """Order-preserving pairing of 0..n-1 with 0..m-1 maximising the summed score (> 0 only)."""
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    step = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [(best[i + 1][j], 1), (best[i][j + 1], 2)]
            s = score(i, j)
            if s > 0:
                options.append((best[i + 1][j + 1] + s, 0))
            best[i][j], step[i][j] = max(options, key=lambda o: (o[0], o[1] == 0))
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if step[i][j] == 0:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif step[i][j] == 1:
            i += 1
        else:
            j += 1
    return pairs


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def align_tables(doc_id: str, tables: Sequence[Table], figures: Sequence[Figure]) -> list[FigurePair]:
    """Pairs for every cell figure of the letter's tables (see the module doc)."""
    cells: dict[tuple[str, int], _Cells] = {}
    for f in figures:
        if f.table_no is not None and f.row_no is not None and f.col_no is not None:
            cells.setdefault((f.lang, f.table_no), {})[(f.row_no, f.col_no)] = f
    pairs: list[FigurePair] = []
    for part in PARTS:
        kk = [t for t in tables if t.lang == "kk" and t.part == part]
        ru = [t for t in tables if t.lang == "ru" and t.part == part]

        def score(i: int, j: int) -> float:
            a = cells.get(("kk", kk[i].table_no), {})
            b = cells.get(("ru", ru[j].table_no), {})
            shared = sum((Counter(map(_amount, a.values())) & Counter(map(_amount, b.values()))).values())
            s = shared / max(1, len(a), len(b))
            s += 0.3 if kk[i].shape == ru[j].shape else 0.0
            s += 0.05 if i == j else 0.0
            return s if s >= _MIN_TABLE_SCORE else 0.0

        matched = _dp(len(kk), len(ru), score)
        paired_kk = {i for i, _ in matched}
        paired_ru = {j for _, j in matched}
        for i, j in matched:
            pairs.extend(
                _pair_cells(doc_id, kk[i], ru[j], cells.get(("kk", kk[i].table_no), {}), cells.get(("ru", ru[j].table_no), {}))
            )
        for i, t in enumerate(kk):
            if i not in paired_kk:
                pairs.extend(_one_sided(doc_id, cells.get(("kk", t.table_no), {}), "kk", "table"))
        for j, t in enumerate(ru):
            if j not in paired_ru:
                pairs.extend(_one_sided(doc_id, cells.get(("ru", t.table_no), {}), "ru", "table"))
    return pairs


def _one_sided(doc_id: str, cells: _Cells | list[Figure], lang: str, scope: str) -> list[FigurePair]:
    figs = sorted(cells.values() if isinstance(cells, dict) else cells, key=lambda f: (f.row_no, f.col_no))
    if lang == "kk":
        return [FigurePair(doc_id, f, None, "missing_ru", scope) for f in figs]
    return [FigurePair(doc_id, None, f, "missing_kk", scope) for f in figs]


def _pair_cells(doc_id: str, a: Table, b: Table, ca: _Cells, cb: _Cells) -> list[FigurePair]:
    rows_a, rows_b = len(a.rows), len(b.rows)
    cols_a, cols_b = len(a.header), len(b.header)

    def col_score(i: int, j: int) -> float:
        # Column numbers are 1-based with the labels first; i, j index value columns.
        ci, cj = i + 2, j + 2
        s = 0.5
        ha, hb = _norm(a.header[ci - 1]), _norm(b.header[cj - 1])
        if ha and ha == hb and any(ch.isdigit() for ch in ha):
            s += 2.0
        for r in range(1, min(rows_a, rows_b) + 1):
            fa, fb = ca.get((r, ci)), cb.get((r, cj))
            if fa is not None and fb is not None and _same(fa, fb):
                s += 1.0
        return s

    col_pairs = [(i + 2, j + 2) for i, j in _dp(cols_a - 1, cols_b - 1, col_score)]

    def row_score(i: int, j: int) -> float:
        s = 0.5
        for ci, cj in col_pairs:
            fa, fb = ca.get((i + 1, ci)), cb.get((j + 1, cj))
            if fa is not None and fb is not None and _same(fa, fb):
                s += 1.0
        return s

    row_pairs = [(i + 1, j + 1) for i, j in _dp(rows_a, rows_b, row_score)]
    out: list[FigurePair] = []
    rows_kk = {i for i, _ in row_pairs}
    rows_ru = {j for _, j in row_pairs}
    cols_kk = {i for i, _ in col_pairs}
    cols_ru = {j for _, j in col_pairs}
    grid: dict[tuple[int, int], FigurePair] = {}
    for ra, rb in row_pairs:
        for ka, kb in col_pairs:
            fa, fb = ca.get((ra, ka)), cb.get((rb, kb))
            if fa is None and fb is None:
                continue
            if fa is not None and fb is not None:
                pair = FigurePair(doc_id, fa, fb, "match" if _same(fa, fb) else "changed", "cell")
            elif fa is not None:
                pair = FigurePair(doc_id, fa, None, "missing_ru", "cell")
            else:
                pair = FigurePair(doc_id, None, fb, "missing_kk", "cell")
            grid[(ra, ka)] = pair
        # Columns of this row found in one language only.
        out_cols_kk = [ca[(ra, k)] for k in range(2, cols_a + 1) if k not in cols_kk and (ra, k) in ca]
        out_cols_ru = [cb[(rb, k)] for k in range(2, cols_b + 1) if k not in cols_ru and (rb, k) in cb]
        for f in out_cols_kk:
            grid[(ra, 1000 + (f.col_no or 0))] = FigurePair(doc_id, f, None, "missing_ru", "column")
        for f in out_cols_ru:
            grid[(ra, 2000 + (f.col_no or 0))] = FigurePair(doc_id, None, f, "missing_kk", "column")
    _mark_swaps(grid, row_pairs, col_pairs)
    out.extend(grid[k] for k in sorted(grid))
    for r in range(1, rows_a + 1):
        if r not in rows_kk:
            out.extend(_one_sided(doc_id, [f for (rr, _), f in ca.items() if rr == r], "kk", "row"))
    for r in range(1, rows_b + 1):
        if r not in rows_ru:
            out.extend(_one_sided(doc_id, [f for (rr, _), f in cb.items() if rr == r], "ru", "row"))
    return out


def _mark_swaps(
    grid: dict[tuple[int, int], FigurePair], row_pairs: list[tuple[int, int]], col_pairs: list[tuple[int, int]]
) -> None:
    """Two changed cells of one row or one column holding each other's values become swapped pairs."""
    lines = [[(ra, ka) for ka, _ in col_pairs] for ra, _ in row_pairs]
    lines += [[(ra, ka) for ra, _ in row_pairs] for ka, _ in col_pairs]
    for line in lines:
        changed = [k for k in line if k in grid and grid[k].status == "changed"]
        for x in range(len(changed)):
            for y in range(x + 1, len(changed)):
                p, q = grid[changed[x]], grid[changed[y]]
                if p.status != "changed" or q.status != "changed":
                    continue
                assert p.kk and p.ru and q.kk and q.ru
                if _same(p.kk, q.ru) and _same(q.kk, p.ru):
                    grid[changed[x]] = FigurePair(p.doc_id, p.kk, q.ru, "swapped", "cell")
                    grid[changed[y]] = FigurePair(q.doc_id, q.kk, p.ru, "swapped", "cell")
