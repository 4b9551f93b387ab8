"""Swaps: matched numbers that changed roles or places between the languages (step 3c of `etl.align`)."""

from __future__ import annotations

from collections import defaultdict

from ..models import Figure, PairStatus
from .keys import roles_agree, start_of
from .paragraphs import Group

_MIN_ANCHORED = 3  # figures in a paragraph pair before a crossing counts as a swap


def mark_swaps(
    figs: list[Figure],
    group: Group,
    partner: dict[int, int],
    status: dict[int, PairStatus],
    cross_group: set[int],
) -> None:
    """Turn matched pairs of `group` whose numbers changed roles into ``swapped`` (step 3c)."""
    matched = [
        (i, partner[i])
        for i in group.kk
        if i in partner and i not in cross_group and status[i] == "match"
    ]
    # Roles exchanged between two pairs.
    for x, (i, j) in enumerate(matched):
        ri, rj = figs[i].role, figs[j].role
        if ri is None or rj is None or ri == rj or status[i] != "match":
            continue
        for i2, j2 in matched[x + 1 :]:
            if (
                status[i2] == "match"
                and figs[i2].role == rj
                and figs[j2].role == ri
                and figs[i2].kind == figs[i].kind
            ):
                status[i] = status[i2] = "swapped"
                break
    # Order exchanged inside one kk/ru paragraph pair, the rest in place.
    cells: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for i, j in matched:
        if status[i] == "match" and not figs[i].from_words and not figs[j].from_words:
            cells[figs[i].para_no, figs[j].para_no].append((i, j))
    for (kk_para, ru_para), cell in cells.items():
        if len(cell) < _MIN_ANCHORED or not _clean_cell(figs, group, kk_para, ru_para, len(cell)):
            continue
        ru_rank = {j: r for r, j in enumerate(sorted((j for _, j in cell), key=start_of(figs)))}
        moved = [(i, j) for r, (i, j) in enumerate(cell) if ru_rank[j] != r]
        if len(moved) != 2:
            continue
        (i1, j1), (i2, j2) = moved
        a, b = figs[i1], figs[i2]
        same_slot = (a.kind, a.scale, a.unit) == (b.kind, b.scale, b.unit)
        # Roles that agree and tell the two apart say the order is word order;
        # one role shared by both ("staff") says nothing.
        told_apart = roles_agree(a, figs[j1]) and roles_agree(b, figs[j2]) and a.role != b.role
        if same_slot and not told_apart:
            status[i1] = status[i2] = "swapped"

def _clean_cell(figs: list[Figure], group: Group, kk_para: int, ru_para: int, size: int) -> bool:
    """Whether a kk/ru paragraph pair is made of these matched figures and nothing else.

    The order of the other figures is what tells a swap from word order;
    with a figure of either paragraph unmatched or matched elsewhere
    that evidence is incomplete ("п.4, ч.2 ст.191 ... в 875 из 1694"
    against "190-бабы ... 1694 жағдайдың тек 875-де" is one change, not a
    change and a swap).
    """
    kk = [i for i in group.kk if figs[i].para_no == kk_para and not figs[i].from_words]
    ru = [j for j in group.ru if figs[j].para_no == ru_para and not figs[j].from_words]
    return len(kk) == len(ru) == size
