"""What figures are compared by: keys for matching, and the slot a figure is bound to."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from ..figures.compounds import is_compound
from ..models import DATE_YEAR_FACTOR, Figure


def amount(f: Figure) -> float:
    return round(f.value * f.scale, 9)


def exact_key(f: Figure) -> Hashable:
    return (f.kind, f.value, f.scale, f.unit)


def loose_key(f: Figure) -> Hashable:
    return amount(f)


def other_currency(a: Figure, b: Figure) -> bool:
    """Two sums of money that name different currencies: never the same figure,
    whatever their amounts ("2,5 трлн долларға" / "2,5 трлн тенге"). A sum whose
    currency only one language names ("14 млн" / "14 млн тенге") may be."""
    return a.kind == b.kind == "money" and a.unit is not None and b.unit is not None and a.unit != b.unit


def yearless_twin(a: Figure, b: Figure) -> bool:
    """Two dates of one day and month, one of them without its year ("14 қарашадан"
    / "14 ноября 2014 года"); two full dates are never twins by this rule. The
    gate's amount rule says the same of a pair's values (schemas.pairs.equal_amounts)."""
    y = DATE_YEAR_FACTOR
    return a.kind == b.kind == "date" and (a.value < y) != (b.value < y) and a.value % y == b.value % y


def article_like(f: Figure) -> bool:
    return f.from_words and amount(f) == 1


def needs_no_twin(f: Figure) -> bool:
    """A figure that is no finding when nothing pairs with it: the article "бір"/"один",
    a count inside a compound word ("екіжылдық" = "биеннале"; see etl.figures.compounds)."""
    return article_like(f) or (f.from_words and is_compound(f.surface))


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


def slot(f: Figure) -> str | None:
    """What a figure is bound to: its role, or a legal reference's level."""
    if f.role is not None or f.kind != "legal_ref":
        return f.role
    surface = f.surface.lower()
    for level, markers in _LEGAL_LEVELS:
        if any(m in surface for m in markers):
            return level
    return None


def role_cost(a: Figure, b: Figure) -> int:
    sa, sb = slot(a), slot(b)
    if sa is not None and sa == sb:
        return 0
    if sa is None or sb is None:
        return 1
    return 2


def roles_agree(a: Figure, b: Figure) -> bool:
    return a.role is not None and a.role == b.role


def start_of(figs: list[Figure]) -> Callable[[int], tuple[int, int, int]]:
    return lambda j: (figs[j].para_no, figs[j].start, j)
