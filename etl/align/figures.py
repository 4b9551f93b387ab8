"""Pair the figures of aligned paragraph groups: matches, swaps, changes, leftovers (step 3 of `etl.align`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence

from ..models import PARTS, Figure, FigurePair, PairStatus, Paragraph
from .keys import article_like, exact_key, loose_key, needs_no_twin, other_currency, role_cost, yearless_twin
from .paragraphs import Group, drop_common_keys, group_paragraphs, units_of
from .swaps import mark_swaps


def align(
    figures: Sequence[Figure], paragraphs: Sequence[Paragraph] | None = None
) -> list[FigurePair]:
    """Pair the kk and ru figures of one letter; see the module docstring."""
    # Table cells are paired by `align_tables`, cell by cell.
    figs = [f for f in figures if f.table_no is None]
    if not figs:
        return []
    lengths: dict[tuple[str, str, int], int] = {
        (p.lang, p.part, p.para_no): len(p.text) for p in paragraphs or ()
    }
    texts: dict[tuple[str, str, int], str] = {(p.lang, p.part, p.para_no): p.text for p in paragraphs or ()}
    parts = list(PARTS) + sorted({f.part for f in figs} - set(PARTS))
    pairs: list[FigurePair] = []
    for part in parts:
        kk = [i for i, f in enumerate(figs) if f.lang == "kk" and f.part == part]
        ru = [i for i, f in enumerate(figs) if f.lang == "ru" and f.part == part]
        if kk or ru:
            pairs.extend(_PartAligner(figs, kk, ru, lengths, texts).run())
    return pairs


class _PartAligner:
    def __init__(
        self,
        figs: list[Figure],
        kk: list[int],
        ru: list[int],
        lengths: dict[tuple[str, str, int], int],
        texts: dict[tuple[str, str, int], str] | None = None,
    ) -> None:
        self.figs = figs
        self.texts = texts or {}
        self.kk_units = units_of(figs, kk, lengths)
        self.ru_units = units_of(figs, ru, lengths)
        drop_common_keys(self.kk_units, self.ru_units)
        self.partner: dict[int, int] = {}  # kk index <-> ru index, both ways
        self.status: dict[int, PairStatus] = {}  # keyed by kk index
        self.group_of: dict[int, int] = {}
        self.cross_group: set[int] = set()  # kk indices matched across groups
        self.char_pos: dict[int, float] = {}  # share of its group's text before a figure

    def _match(
        self, kk: list[int], ru: list[int], key: Callable[[Figure], Hashable], articles: bool = True
    ) -> None:
        """Pair unmatched figures with equal keys.

        A value found once on each side pairs at once. A value found more
        than once ("до 3 лет – 2, от 3 до 5 лет") goes to the candidate with
        the same role, then the same matched neighbours before it, then the
        nearest place in the group. Sums in other currencies never pair
        here (`other_currency`): they are left to the residuals, `changed`.
        """
        figs = self.figs
        free_kk = [i for i in kk if i not in self.partner and (articles or not article_like(figs[i]))]
        free_ru = [j for j in ru if j not in self.partner and (articles or not article_like(figs[j]))]
        if not free_kk or not free_ru:
            return
        kk_by_key: dict[Hashable, list[int]] = defaultdict(list)
        for i in free_kk:
            kk_by_key[key(figs[i])].append(i)
        ru_by_key: dict[Hashable, list[int]] = defaultdict(list)
        for j in free_ru:
            ru_by_key[key(figs[j])].append(j)
        shared = [k for k in kk_by_key if k in ru_by_key]
        for k in shared:
            if len(kk_by_key[k]) == len(ru_by_key[k]) == 1:
                i, j = kk_by_key[k][0], ru_by_key[k][0]
                if not other_currency(figs[i], figs[j]):
                    self._pair(i, j, "match")
        crowded = [k for k in shared if len(kk_by_key[k]) > 1 or len(ru_by_key[k]) > 1]
        if not crowded:
            return
        before_kk = self._matched_before(kk)
        before_ru = self._matched_before(ru)
        # Place in the group: rank among its figures and share of the text before it.
        pos_kk = {i: p / max(len(kk) - 1, 1) + self.char_pos.get(i, 0.0) for p, i in enumerate(kk)}
        pos_ru = {j: p / max(len(ru) - 1, 1) + self.char_pos.get(j, 0.0) for p, j in enumerate(ru)}
        candidates = [
            (
                role_cost(figs[i], figs[j]),
                len(before_kk[i] ^ before_ru[j]),
                round(abs(pos_kk[i] - pos_ru[j]), 9),
                i,
                j,
            )
            for k in crowded
            for i in kk_by_key[k]
            for j in ru_by_key[k]
            if not other_currency(figs[i], figs[j])
        ]
        candidates.sort()
        for *_, i, j in candidates:
            if i not in self.partner and j not in self.partner:
                self._pair(i, j, "match")

    def _match_yearless_dates(self, kk: list[int], ru: list[int]) -> None:
        """A date one language gives without its year ("14 қарашадан", "10 августа т.г.")
        pairs with the other's full date of the same day and month, in text order;
        two full dates never pair here, so a changed year stays a finding."""
        figs = self.figs
        free_ru = [j for j in ru if j not in self.partner and figs[j].kind == "date"]
        for i in kk:
            a = figs[i]
            if i in self.partner or a.kind != "date":
                continue
            for j in free_ru:
                if j not in self.partner and yearless_twin(a, figs[j]):
                    self._pair(i, j, "match")
                    break

    def _pair(self, i: int, j: int, status: PairStatus) -> None:
        self.partner[i] = j
        self.partner[j] = i
        self.status[i] = status

    def _rescue_across_groups(self, groups: list[Group], articles: bool = True) -> None:
        for g, group in enumerate(groups):
            for h in (g - 1, g + 1, g - 2, g + 2):
                if 0 <= h < len(groups):
                    left = [i for i in group.kk if i not in self.partner]
                    before = set(left)
                    # A leftover whose own group still has a leftover of its
                    # kind in the other language stays there: "1,5 мм" edited
                    # to "1,7 мм" is one change at home, not a twin taken from
                    # a neighbour's cut line and a figure missing here.
                    home_kinds = {self.figs[i].kind for i in groups[h].kk if i not in self.partner}
                    there = [j for j in groups[h].ru if self.figs[j].kind not in home_kinds]
                    self._match(left, there, exact_key)
                    self._match(left, there, loose_key, articles)
                    self.cross_group.update(i for i in before if i in self.partner)

    def _pair_residuals(self, group: Group) -> None:
        figs = self.figs
        kk = [i for i in group.kk if i not in self.partner]
        ru = [j for j in group.ru if j not in self.partner]
        if not kk or not ru:
            return
        before_kk = self._matched_before(group.kk)
        before_ru = self._matched_before(group.ru)
        candidates = []
        for i in kk:
            for j in ru:
                a, b = figs[i], figs[j]
                if a.kind != b.kind:
                    continue
                same_role = role_cost(a, b) == 0
                drift = len(before_kk[i] ^ before_ru[j])
                # A "бір"/"один" article is the last to pair: "бес" edited against
                # "шести" is one change, not "бес" against "одним".
                article = article_like(a) or article_like(b)
                candidates.append((0 if same_role else 1, article, drift, i, j))
        candidates.sort()
        for _, _, _, i, j in candidates:
            if i not in self.partner and j not in self.partner:
                self._pair(i, j, "changed")
        kk = [i for i in kk if i not in self.partner]
        ru = [j for j in ru if j not in self.partner]
        if len(kk) == 1 and len(ru) == 1:
            self._pair(kk[0], ru[0], "changed")

    def _matched_before(self, order: list[int]) -> dict[int, frozenset[int]]:
        """For each figure, the kk ends of the matched pairs that precede it."""
        seen: list[int] = []
        out: dict[int, frozenset[int]] = {}
        for x in order:
            out[x] = frozenset(seen)
            if x in self.partner:
                seen.append(x if self.figs[x].lang == "kk" else self.partner[x])
        return out

    def run(self) -> list[FigurePair]:
        figs = self.figs
        groups = group_paragraphs(self.kk_units, self.ru_units)
        for group in groups:
            for units in (group.kk_units, group.ru_units):
                total = sum(u.length for u in units)
                offset = 0
                for u in units:
                    for x in u.figs:
                        self.char_pos[x] = (offset + figs[x].start) / total
                    offset += u.length
        for g, group in enumerate(groups):
            for x in group.kk + group.ru:
                self.group_of[x] = g
            self._match(group.kk, group.ru, exact_key)
            self._match(group.kk, group.ru, loose_key, articles=False)
        self._rescue_across_groups(groups, articles=False)
        # The article "бір" pairs with a digit 1 by its amount alone, so last:
        # a "1)" the other language put one paragraph earlier is the better twin.
        for group in groups:
            self._match(group.kk, group.ru, loose_key)
        self._rescue_across_groups(groups)
        for group in groups:
            self._match_yearless_dates(group.kk, group.ru)
        for group in groups:
            mark_swaps(figs, group, self.partner, self.status, self.cross_group, self.texts)
            self._pair_residuals(group)

        order = {x: p for group in groups for p, x in enumerate(group.kk)}
        order.update({x: p for group in groups for p, x in enumerate(group.ru)})
        rows: list[tuple[tuple[int, int, int, int], FigurePair]] = []
        for group in groups:
            for i in group.kk:
                f = figs[i]
                if i in self.partner:
                    pair = FigurePair(f.doc_id, f, figs[self.partner[i]], self.status[i])
                elif needs_no_twin(f):
                    continue
                else:
                    pair = FigurePair(f.doc_id, f, None, "missing_ru")
                rows.append(((self.group_of[i], order[i], 0, i), pair))
            for j in group.ru:
                f = figs[j]
                if j in self.partner or needs_no_twin(f):
                    continue
                rows.append(((self.group_of[j], order[j], 1, j), FigurePair(f.doc_id, None, f, "missing_kk")))
        rows.sort(key=lambda r: r[0])
        return [pair for _, pair in rows]
