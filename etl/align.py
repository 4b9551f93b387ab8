"""Stage 3 — align: pair the Kazakh and Russian figures of one letter.

The two texts say the same thing in different words, so figures are paired in
three steps, each narrowing where a figure's counterpart may be:

1. **Parts.** Cover with cover, appendix with appendix.
2. **Paragraphs.** The paragraphs that carry figures are aligned by a dynamic
   programme over both sequences. A step takes 1-1, 1-0, 0-1 or a merge
   (2-1, 1-2, 3-1, 1-3, 2-2, for a paragraph split or merged in one
   language) and scores the figure amounts the two sides share, how close
   their text lengths are, and a bonus that makes plain 1-1 steps the default.
   The programme runs in a band around the diagonal, so it stays linear in
   practice.
3. **Figures**, inside each aligned group of paragraphs:
   a. exact matches on (kind, value, scale, unit), then on the amount
      (value * scale) alone, as multisets — word order differs between the
      languages ("лишь в 875 из 1694" = "1694 жағдайдың тек 875-де"). Among
      equal candidates the one with the same role, then the nearest relative
      position, wins;
   b. a figure left over in a group finds its twin among the leftovers of
      the groups up to two steps away (paragraph borders do not always fall
      at the same sentence in both languages);
   c. swaps: two matched pairs whose roles are exchanged (kk "registered"
      with ru "solved" and the other way round), or — for figures without
      agreeing roles — two figures of the same kind, scale and unit whose
      order is exchanged inside one kk/ru paragraph pair while at least one
      other figure of that paragraph pair keeps its place, and every figure
      of the two paragraphs is matched within the pair. A crossing with
      nothing else to anchor the order is taken for word order;
   d. residuals: same kind and same role, then same kind and the nearest
      place among the matched figures -> ``changed`` (a new value, scale or
      unit: "14 млн." vs "14 млрд" is changed); a single residual on each
      side of a group is also ``changed`` whatever its kind;
   e. what is left is ``missing_ru`` (kk figure only) or ``missing_kk``.

Decision — the word "one". A figure read from a word with the amount 1
("бір", "один") that has no counterpart is not a finding: Kazakh uses "бір"
as an indefinite article ("бір реттік нөмір" = "разовые номера"). Such a
figure is left out of the pairs entirely (it stays in the figures table):
a ``match`` with one side empty would contradict the cross-language rule the
validator checks, and a one-sided pair is by definition a finding. Every
other figure ends in exactly one pair.

The result is deterministic: every choice breaks ties on input order. A
letter with 500 figures per language in 100 paragraphs aligns in about 20 ms.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from .models import PARTS, Figure, FigurePair, Paragraph, PairStatus

# Paragraph DP: (kk paragraphs, ru paragraphs, bonus) per step. A 1-1 step
# always beats skipping both paragraphs; a merge must earn its place with
# shared figures or a clearly better length ratio.
_STEPS: tuple[tuple[int, int, float], ...] = (
    (1, 1, 1.0),
    (1, 0, 0.0),
    (0, 1, 0.0),
    (2, 1, 0.6),
    (1, 2, 0.6),
    (2, 2, 0.7),
    (3, 1, 0.3),
    (1, 3, 0.3),
)
_SHARED_WEIGHT = 1.0
_MIN_BAND = 10
_MIN_COMMON = 6  # an amount in more paragraphs than this (or a tenth of them) is common
_CHARS_PER_FIGURE = 60  # length stand-in when paragraph texts are not given
_MIN_ANCHORED = 3  # figures in a paragraph pair before a crossing counts as a swap


def _amount(f: Figure) -> float:
    return round(f.value * f.scale, 9)


def _exact_key(f: Figure) -> Hashable:
    return (f.kind, f.value, f.scale, f.unit)


def _loose_key(f: Figure) -> Hashable:
    return _amount(f)


def _article_like(f: Figure) -> bool:
    return f.from_words and _amount(f) == 1


@dataclass
class _Unit:
    """One paragraph that carries figures: its figures in reading order."""

    para_no: int
    figs: list[int]
    length: int
    keys: Counter[Hashable]


@dataclass
class _Group:
    kk_units: list[_Unit]
    ru_units: list[_Unit]

    @property
    def kk(self) -> list[int]:  # figure indices in reading order
        return [i for u in self.kk_units for i in u.figs]

    @property
    def ru(self) -> list[int]:
        return [j for u in self.ru_units for j in u.figs]


def align(
    figures: Sequence[Figure], paragraphs: Sequence[Paragraph] | None = None
) -> list[FigurePair]:
    """Pair the kk and ru figures of one letter; see the module docstring."""
    figs = list(figures)
    if not figs:
        return []
    lengths: dict[tuple[str, str, int], int] = {
        (p.lang, p.part, p.para_no): len(p.text) for p in paragraphs or ()
    }
    parts = list(PARTS) + sorted({f.part for f in figs} - set(PARTS))
    pairs: list[FigurePair] = []
    for part in parts:
        kk = [i for i, f in enumerate(figs) if f.lang == "kk" and f.part == part]
        ru = [i for i, f in enumerate(figs) if f.lang == "ru" and f.part == part]
        if kk or ru:
            pairs.extend(_PartAligner(figs, kk, ru, lengths).run())
    return pairs


class _PartAligner:
    def __init__(
        self,
        figs: list[Figure],
        kk: list[int],
        ru: list[int],
        lengths: dict[tuple[str, str, int], int],
    ) -> None:
        self.figs = figs
        self.kk_units = self._units(kk, lengths)
        self.ru_units = self._units(ru, lengths)
        self._drop_common_keys()
        self.kk_len = _prefix_sums([u.length for u in self.kk_units])
        self.ru_len = _prefix_sums([u.length for u in self.ru_units])
        self.partner: dict[int, int] = {}  # kk index <-> ru index, both ways
        self.status: dict[int, PairStatus] = {}  # keyed by kk index
        self.group_of: dict[int, int] = {}
        self.cross_group: set[int] = set()  # kk indices matched across groups
        self.char_pos: dict[int, float] = {}  # share of its group's text before a figure

    def _units(self, idxs: list[int], lengths: dict[tuple[str, str, int], int]) -> list[_Unit]:
        by_para: dict[int, list[int]] = defaultdict(list)
        for i in idxs:
            by_para[self.figs[i].para_no].append(i)
        units = []
        for para_no in sorted(by_para):
            members = sorted(by_para[para_no], key=lambda i: (self.figs[i].start, i))
            f0 = self.figs[members[0]]
            length = lengths.get((f0.lang, f0.part, para_no), _CHARS_PER_FIGURE * len(members))
            keys = Counter(_loose_key(self.figs[i]) for i in members)
            end = max(self.figs[i].start + len(self.figs[i].surface) for i in members)
            units.append(_Unit(para_no, members, max(length, end, 1), keys))
        return units

    def _drop_common_keys(self) -> None:
        """Forget, for paragraph alignment only, amounts found in many paragraphs.

        A year such as 2016 or a small count such as 2 recurs all over a
        letter and says nothing about which paragraphs correspond; left in,
        it only invites wrong merges (and costs time).
        """
        units = self.kk_units + self.ru_units
        spread = Counter(k for u in units for k in u.keys)
        limit = max(_MIN_COMMON, len(units) // 10)
        for u in units:
            u.keys = Counter({k: c for k, c in u.keys.items() if spread[k] <= limit})

    # -- paragraphs ---------------------------------------------------------

    def _groups(self) -> list[_Group]:
        A, B = self.kk_units, self.ru_units
        n, m = len(A), len(B)
        if n == 0 or m == 0:
            return [_Group(A, B)]
        one_to_one = self._pairwise_shared()
        band = max(_MIN_BAND, abs(n - m) + 5)

        def in_band(i: int, j: int) -> bool:
            return abs(j - i * m / n) <= band

        neg = float("-inf")
        score = [[neg] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
        score[0][0] = 0.0
        for i in range(n + 1):
            for j in range(m + 1):
                if (i or j) and not in_band(i, j):
                    continue
                best, arg = score[i][j], back[i][j]
                for di, dj, bonus in _STEPS:
                    pi, pj = i - di, j - dj
                    if pi < 0 or pj < 0 or score[pi][pj] == neg:
                        continue
                    s = score[pi][pj] + self._step_score(pi, i, pj, j, bonus, one_to_one)
                    if s > best:
                        best, arg = s, (di, dj)
                score[i][j], back[i][j] = best, arg
        steps: list[tuple[int, int, int, int]] = []
        i, j = n, m
        while i or j:
            step = back[i][j]
            assert step is not None  # the band always contains a path
            di, dj = step
            steps.append((i - di, i, j - dj, j))
            i, j = i - di, j - dj
        steps.reverse()
        return [_Group(A[a0:a1], B[b0:b1]) for a0, a1, b0, b1 in steps]

    def _pairwise_shared(self) -> dict[tuple[int, int], int]:
        index: dict[Hashable, list[int]] = defaultdict(list)
        for b, u in enumerate(self.ru_units):
            for k in u.keys:
                index[k].append(b)
        shared: dict[tuple[int, int], int] = defaultdict(int)
        for a, u in enumerate(self.kk_units):
            for k, c in u.keys.items():
                for b in index.get(k, ()):
                    shared[a, b] += min(c, self.ru_units[b].keys[k])
        return shared

    def _step_score(
        self, a0: int, a1: int, b0: int, b1: int, bonus: float, one: dict[tuple[int, int], int]
    ) -> float:
        if a0 == a1 or b0 == b1:
            return bonus
        if a1 - a0 == 1 and b1 - b0 == 1:
            shared = one.get((a0, b0), 0)
        elif any((a, b) in one for a in range(a0, a1) for b in range(b0, b1)):
            shared = _merged_shared(self.kk_units[a0:a1], self.ru_units[b0:b1])
        else:
            shared = 0
        la = self.kk_len[a1] - self.kk_len[a0]
        lb = self.ru_len[b1] - self.ru_len[b0]
        return bonus + _SHARED_WEIGHT * shared + min(la, lb) / max(la, lb)

    # -- figures ------------------------------------------------------------

    def _match(self, kk: list[int], ru: list[int], key: Callable[[Figure], Hashable]) -> None:
        """Pair unmatched figures with equal keys.

        A value found once on each side pairs at once. A value found more
        than once ("до 3 лет – 2, от 3 до 5 лет") goes to the candidate with
        the same role, then the same matched neighbours before it, then the
        nearest place in the group.
        """
        figs = self.figs
        free_kk = [i for i in kk if i not in self.partner]
        free_ru = [j for j in ru if j not in self.partner]
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
                self._pair(kk_by_key[k][0], ru_by_key[k][0], "match")
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
                _role_cost(figs[i], figs[j]),
                len(before_kk[i] ^ before_ru[j]),
                round(abs(pos_kk[i] - pos_ru[j]), 9),
                i,
                j,
            )
            for k in crowded
            for i in kk_by_key[k]
            for j in ru_by_key[k]
        ]
        candidates.sort()
        for *_, i, j in candidates:
            if i not in self.partner and j not in self.partner:
                self._pair(i, j, "match")

    def _pair(self, i: int, j: int, status: PairStatus) -> None:
        self.partner[i] = j
        self.partner[j] = i
        self.status[i] = status

    def _rescue_across_groups(self, groups: list[_Group]) -> None:
        for g, group in enumerate(groups):
            for h in (g - 1, g + 1, g - 2, g + 2):
                if 0 <= h < len(groups):
                    left = [i for i in group.kk if i not in self.partner]
                    before = set(left)
                    self._match(left, groups[h].ru, _exact_key)
                    self._match(left, groups[h].ru, _loose_key)
                    self.cross_group.update(i for i in before if i in self.partner)

    def _mark_swaps(self, group: _Group) -> None:
        figs = self.figs
        matched = [
            (i, self.partner[i])
            for i in group.kk
            if i in self.partner and i not in self.cross_group and self.status[i] == "match"
        ]
        # Roles exchanged between two pairs.
        for x, (i, j) in enumerate(matched):
            ri, rj = figs[i].role, figs[j].role
            if ri is None or rj is None or ri == rj or self.status[i] != "match":
                continue
            for i2, j2 in matched[x + 1 :]:
                if (
                    self.status[i2] == "match"
                    and figs[i2].role == rj
                    and figs[j2].role == ri
                    and figs[i2].kind == figs[i].kind
                ):
                    self.status[i] = self.status[i2] = "swapped"
                    break
        # Order exchanged inside one kk/ru paragraph pair, the rest in place.
        cells: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        for i, j in matched:
            if self.status[i] == "match" and not figs[i].from_words and not figs[j].from_words:
                cells[figs[i].para_no, figs[j].para_no].append((i, j))
        for (kk_para, ru_para), cell in cells.items():
            if len(cell) < _MIN_ANCHORED or not self._clean_cell(group, kk_para, ru_para, len(cell)):
                continue
            ru_rank = {j: r for r, j in enumerate(sorted((j for _, j in cell), key=_start_of(figs)))}
            moved = [(i, j) for r, (i, j) in enumerate(cell) if ru_rank[j] != r]
            if len(moved) != 2:
                continue
            (i1, j1), (i2, j2) = moved
            a, b = figs[i1], figs[i2]
            same_slot = (a.kind, a.scale, a.unit) == (b.kind, b.scale, b.unit)
            # Roles that agree and tell the two apart say the order is word order;
            # one role shared by both ("staff") says nothing.
            told_apart = _roles_agree(a, figs[j1]) and _roles_agree(b, figs[j2]) and a.role != b.role
            if same_slot and not told_apart:
                self.status[i1] = self.status[i2] = "swapped"

    def _clean_cell(self, group: _Group, kk_para: int, ru_para: int, size: int) -> bool:
        """Whether a kk/ru paragraph pair is made of these matched figures and nothing else.

        The order of the other figures is what tells a swap from word order;
        with a figure of either paragraph unmatched or matched elsewhere
        that evidence is incomplete ("п.4, ч.2 ст.191 ... в 875 из 1694"
        against "190-бабы ... 1694 жағдайдың тек 875-де" is one change, not a
        change and a swap).
        """
        figs = self.figs
        kk = [i for i in group.kk if figs[i].para_no == kk_para and not figs[i].from_words]
        ru = [j for j in group.ru if figs[j].para_no == ru_para and not figs[j].from_words]
        return len(kk) == len(ru) == size

    def _pair_residuals(self, group: _Group) -> None:
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
                same_role = _role_cost(a, b) == 0
                drift = len(before_kk[i] ^ before_ru[j])
                candidates.append((0 if same_role else 1, drift, i, j))
        candidates.sort()
        for _, _, i, j in candidates:
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
        groups = self._groups()
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
            self._match(group.kk, group.ru, _exact_key)
            self._match(group.kk, group.ru, _loose_key)
        self._rescue_across_groups(groups)
        for group in groups:
            self._mark_swaps(group)
            self._pair_residuals(group)

        order = {x: p for group in groups for p, x in enumerate(group.kk)}
        order.update({x: p for group in groups for p, x in enumerate(group.ru)})
        rows: list[tuple[tuple[int, int, int, int], FigurePair]] = []
        for group in groups:
            for i in group.kk:
                f = figs[i]
                if i in self.partner:
                    pair = FigurePair(f.doc_id, f, figs[self.partner[i]], self.status[i])
                elif _article_like(f):
                    continue
                else:
                    pair = FigurePair(f.doc_id, f, None, "missing_ru")
                rows.append(((self.group_of[i], order[i], 0, i), pair))
            for j in group.ru:
                f = figs[j]
                if j in self.partner or _article_like(f):
                    continue
                rows.append(((self.group_of[j], order[j], 1, j), FigurePair(f.doc_id, None, f, "missing_kk")))
        rows.sort(key=lambda r: r[0])
        return [pair for _, pair in rows]


def _prefix_sums(values: list[int]) -> list[int]:
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


def _merged_shared(a: list[_Unit], b: list[_Unit]) -> int:
    """Multiset intersection size of the amounts of two runs of paragraphs."""
    if len(a) > 1 and len(b) > 1:
        ka: Counter[Hashable] = Counter()
        for u in a:
            ka.update(u.keys)
        kb: Counter[Hashable] = Counter()
        for u in b:
            kb.update(u.keys)
        return sum((ka & kb).values())
    single, many = (a[0], b) if len(a) == 1 else (b[0], a)
    return sum(min(c, sum(u.keys.get(k, 0) for u in many)) for k, c in single.keys.items())


# The level of a legal reference, read from its marker. The figures reader
# gives roles to amounts only; without the level, "п.190, ч.2 ст.190" against
# "190-бабы 4-тармағы, 2-бөлігі" would pair the article with the point.
_LEGAL_LEVELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("subpoint", ("подп", "пп.", "тармақша")),
    ("article", ("ст.", "стат", "бап", "баб")),
    ("point", ("п.", "пункт", "тармақ", "тармағ")),
    ("part", ("ч.", "част", "бөлі", "бөлік")),
    ("chapter", ("глав", "тарау")),
)


def _slot(f: Figure) -> str | None:
    """What a figure is bound to: its role, or a legal reference's level."""
    if f.role is not None or f.kind != "legal_ref":
        return f.role
    surface = f.surface.lower()
    for level, markers in _LEGAL_LEVELS:
        if any(m in surface for m in markers):
            return level
    return None


def _role_cost(a: Figure, b: Figure) -> int:
    sa, sb = _slot(a), _slot(b)
    if sa is not None and sa == sb:
        return 0
    if sa is None or sb is None:
        return 1
    return 2


def _roles_agree(a: Figure, b: Figure) -> bool:
    return a.role is not None and a.role == b.role


def _start_of(figs: list[Figure]) -> Callable[[int], tuple[int, int, int]]:
    return lambda j: (figs[j].para_no, figs[j].start, j)
