"""Align the paragraphs that carry figures: a banded DP over both languages (step 2 of `etl.align`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass

from ..models import Figure
from .keys import loose_key

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


@dataclass
class Unit:
    """One paragraph that carries figures: its figures in reading order."""

    para_no: int
    figs: list[int]
    length: int
    keys: Counter[Hashable]


@dataclass
class Group:
    kk_units: list[Unit]
    ru_units: list[Unit]

    @property
    def kk(self) -> list[int]:  # figure indices in reading order
        return [i for u in self.kk_units for i in u.figs]

    @property
    def ru(self) -> list[int]:
        return [j for u in self.ru_units for j in u.figs]


def units_of(figs: list[Figure], idxs: list[int], lengths: dict[tuple[str, str, int], int]) -> list[Unit]:
    """The paragraphs of `idxs` that carry figures, each with its figures in reading order."""
    by_para: dict[int, list[int]] = defaultdict(list)
    for i in idxs:
        by_para[figs[i].para_no].append(i)
    units = []
    for para_no in sorted(by_para):
        members = sorted(by_para[para_no], key=lambda i: (figs[i].start, i))
        f0 = figs[members[0]]
        length = lengths.get((f0.lang, f0.part, para_no), _CHARS_PER_FIGURE * len(members))
        keys = Counter(loose_key(figs[i]) for i in members)
        end = max(figs[i].start + len(figs[i].surface) for i in members)
        units.append(Unit(para_no, members, max(length, end, 1), keys))
    return units


def drop_common_keys(kk_units: list[Unit], ru_units: list[Unit]) -> None:
    """Forget, for paragraph alignment only, amounts found in many paragraphs.

    A year such as 2016 or a small count such as 2 recurs all over a
    letter and says nothing about which paragraphs correspond; left in,
    it only invites wrong merges (and costs time).
    """
    units = kk_units + ru_units
    spread = Counter(k for u in units for k in u.keys)
    limit = max(_MIN_COMMON, len(units) // 10)
    for u in units:
        u.keys = Counter({k: c for k, c in u.keys.items() if spread[k] <= limit})


def group_paragraphs(kk_units: list[Unit], ru_units: list[Unit]) -> list[Group]:
    """Aligned groups of kk and ru paragraphs (1-1, 1-0, 0-1 or merges), in order."""
    return _ParagraphDP(kk_units, ru_units).groups()


class _ParagraphDP:
    """A banded dynamic programme over the kk and ru paragraphs of one part."""

    def __init__(self, kk_units: list[Unit], ru_units: list[Unit]) -> None:
        self.kk_units = kk_units
        self.ru_units = ru_units
        self.kk_len = _prefix_sums([u.length for u in kk_units])
        self.ru_len = _prefix_sums([u.length for u in ru_units])

    def groups(self) -> list[Group]:
        A, B = self.kk_units, self.ru_units
        n, m = len(A), len(B)
        if n == 0 or m == 0:
            return [Group(A, B)]
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
        return [Group(A[a0:a1], B[b0:b1]) for a0, a1, b0, b1 in steps]

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


def _prefix_sums(values: list[int]) -> list[int]:
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


def _merged_shared(a: list[Unit], b: list[Unit]) -> int:
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
