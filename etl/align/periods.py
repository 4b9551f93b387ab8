"""After pairing: share series keys across languages, flag periods stated differently.

A series key is read from the Russian text (etl.figures.series), so a Kazakh
figure takes the key of the Russian figure it is paired with and keeps its
own words as its label. A matched pair whose two figures both state a period,
and not the same one ("в 2023 году" against "2022 жылы"), is a translation
error of its own: status ``period_differs``.

Decision — one wrong year is one finding. A figure's period is read from the
year its sentence names ("2012 жылдың соңында ... X марапаттау"), so a year
typed wrong changes the periods of every figure after it as well. When the
two periods differ exactly as the years of a ``changed`` year pair of the
same two paragraphs do, that pair is the finding and the echo stays a match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..models import Figure, FigurePair


def settle_pairs(figures: Sequence[Figure], pairs: Sequence[FigurePair]) -> tuple[list[Figure], list[FigurePair]]:
    """(figures, pairs) with each paired Kazakh figure keyed like its Russian one and period findings set."""
    kk_series: dict[str, str | None] = {}
    changed_years = {
        (p.kk.part, p.kk.para_no, p.ru.para_no, _year(p.kk), _year(p.ru))
        for p in pairs
        if p.status == "changed" and p.kk is not None and p.ru is not None and _year(p.kk) and _year(p.ru)
    }
    out_pairs: list[FigurePair] = []
    for p in pairs:
        kk, ru, status = p.kk, p.ru, p.status
        if kk is not None and ru is not None:
            if kk.series_label is not None or ru.series is not None:
                kk = replace(kk, series=ru.series)
                kk_series[kk.figure_id] = ru.series
            if (
                status == "match"
                and kk.period_start is not None
                and ru.period_start is not None
                and (kk.period_start, kk.period_end) != (ru.period_start, ru.period_end)
                and not _echo(kk, ru, changed_years)
            ):
                status = "period_differs"
            if kk is not p.kk or status != p.status:
                p = replace(p, kk=kk, status=status)
        out_pairs.append(p)
    out_figures = [replace(f, series=kk_series[f.figure_id]) if f.figure_id in kk_series else f for f in figures]
    return out_figures, out_pairs


def _year(f: Figure) -> int | None:
    """The year a year figure states ("2012 жылы"; each end of "2012–2014 годы" is a figure of its own)."""
    if f.kind in ("year", "year_range") and 1000 <= f.value < 10000:
        return int(f.value)
    return None


def _echo(kk: Figure, ru: Figure, changed_years: set[tuple[str, int, int, int | None, int | None]]) -> bool:
    """Whether two periods differ only as the years of a changed year pair of the same paragraphs do."""
    assert kk.period_start and kk.period_end and ru.period_start and ru.period_end
    ends = ((kk.period_start.year, ru.period_start.year), (kk.period_end.year, ru.period_end.year))
    return any((kk.part, kk.para_no, ru.para_no, a, b) in changed_years for a, b in ends if a != b)
