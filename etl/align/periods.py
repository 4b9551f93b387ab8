"""After pairing: share series keys across languages, flag periods stated differently.

A series key is read from the Russian text (etl.figures.series), so a Kazakh
figure takes the key of the Russian figure it is paired with and keeps its
own words as its label. A matched pair whose two figures both state a period,
and not the same one ("в 2023 году" against "2022 жылы"), is a translation
error of its own: status ``period_differs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..models import Figure, FigurePair


def settle_pairs(figures: Sequence[Figure], pairs: Sequence[FigurePair]) -> tuple[list[Figure], list[FigurePair]]:
    """(figures, pairs) with each paired Kazakh figure keyed like its Russian one and period findings set."""
    kk_series: dict[str, str | None] = {}
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
            ):
                status = "period_differs"
            if kk is not p.kk or status != p.status:
                p = replace(p, kk=kk, status=status)
        out_pairs.append(p)
    out_figures = [replace(f, series=kk_series[f.figure_id]) if f.figure_id in kk_series else f for f in figures]
    return out_figures, out_pairs
