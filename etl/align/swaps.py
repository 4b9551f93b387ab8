"""Swaps: matched numbers that changed roles or places between the languages (step 3c of `etl.align`)."""

from __future__ import annotations

import re
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
    texts: dict[tuple[str, str, int], str] | None = None,
) -> None:
    """Turn matched pairs of `group` whose numbers changed roles into ``swapped`` (step 3c)."""
    texts = texts or {}
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
        if same_slot and not told_apart and not _word_order(figs, texts, (i1, i2), (j1, j2)):
            status[i1] = status[i2] = "swapped"


_WORD = re.compile(r"[^\W\d_]+")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[^\w]{0,3}$")
_WORD_AFTER = re.compile(r"[^\S\n]*([^\W\d_]+)")


def _frame(f: Figure, texts: dict[tuple[str, str, int], str]) -> tuple[str, str] | None:
    """The word right before a number and the word right after it ("ені 10 мм" -> ("ені", "мм"))."""
    text = texts.get((f.lang, f.part, f.para_no))
    if text is None:
        return None
    before = _WORD_BEFORE.search(text, max(0, f.start - 40), f.start)
    after = _WORD_AFTER.match(text, f.start + len(f.surface))
    if not before or not after:
        return None
    return before.group(1).lower(), after.group(1).lower()


def _same_frame(
    figs: list[Figure], texts: dict[tuple[str, str, int], str], kk: tuple[int, int], ru: tuple[int, int]
) -> bool:
    """Whether, in both languages, the two crossing numbers sit between the same words.

    "(ені 10 мм) ... (ені 40 мм)" against "(ширина 40 мм) ... (ширина 10 мм)":
    both numbers are widths in millimetres, so nothing binds either to a place
    and their order is word order, not a swap (a swap needs the words each
    number is bound to, not positions alone). Alike in one language only
    ("отдел «К» (11 ед.)", "отдел «К» (5 ед.)") says nothing: the other
    language may still bind each number to its own words.
    """
    for a, b in (kk, ru):
        fa, fb = _frame(figs[a], texts), _frame(figs[b], texts)
        if fa is None or fa != fb:
            return False
    return True

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


_STEM = 4  # letters two words of the two languages share to count as one word (loanwords, names)


_ITEM = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*")
_CLAUSE_END = re.compile(r"[;:()\[\]«»\n]|[.,](?!\d)")
_REACH = 4  # items (words or numbers) on each side of a number


def _neighbours(f: Figure, texts: dict[tuple[str, str, int], str]) -> set[str] | None:
    """What a number is bound to: the words (by stem) and numbers next to it within its clause.

    Numbers count as words both languages share: "до 3 лет – 2" = "3 жылға
    дейін – 2" binds 2 to the 3 of its label in either language.
    """
    text = texts.get((f.lang, f.part, f.para_no))
    if text is None:
        return None
    end = f.start + len(f.surface)
    left = _CLAUSE_END.split(text[max(0, f.start - 80) : f.start])[-1]
    right = _CLAUSE_END.split(text[end : end + 80])[0]
    items = _ITEM.findall(left)[-_REACH:] + _ITEM.findall(right)[:_REACH]
    return {("#" + w) if w.isdigit() else w.lower()[:_STEM] for w in items if w.isdigit() or len(w) >= _STEM}


def _word_order(
    figs: list[Figure], texts: dict[tuple[str, str, int], str], kk: tuple[int, int], ru: tuple[int, int]
) -> bool:
    """Whether the words next to two crossing numbers say the numbers kept their places.

    kk number a is matched with ru number a', b with b'. Each stays bound to
    the same words when a word or number next to a is also next to a' (a
    loanword, a name, another figure both languages state) and nothing ties a
    to b' or b to a': "2018 жылы 17 елде 640 грант" = "в 2018 году 640
    грантов в 17 странах". The same label and unit next to both numbers
    ("(ені 10 мм) ... (ені 40 мм)") ties neither to a place either. Otherwise
    the order is the evidence, as before.
    """
    if _same_frame(figs, texts, kk, ru):
        return True
    (a, b), (a2, b2) = kk, ru
    n = [_neighbours(figs[i], texts) for i in (a, b, a2, b2)]
    if any(x is None for x in n):
        return False
    na, nb, na2, nb2 = (x or set() for x in n)
    # Words next to both numbers in one language tell neither apart.
    na, nb = na - nb, nb - na
    na2, nb2 = na2 - nb2, nb2 - na2
    crossed = bool(na & nb2) or bool(nb & na2)
    kept = bool(na & na2) or bool(nb & nb2)
    return kept and not crossed
