"""Stage 4 — validate: run the pairs table through its pandera model.

The model (`schemas.pairs.PairsModel`) states the cross-language rule and the
table's integrity as named checks. Validation is lazy, so every failure case
is collected; each one carries the row index of the pair that broke a rule.
Failures of the agreement rules are the letter's findings; a failure of any
other rule (status outside the vocabulary, a figure in two pairs, a status
that contradicts the sides) means the aligner produced an impossible table,
which is raised as `PairsInvariantError` rather than reported as a finding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pandas as pd
import pandera.errors

from schemas.pairs import AGREEMENT_RULES, PairsModel

from .errors import EtlError
from .models import FigurePair

PAIR_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "kk_figure_id",
    "ru_figure_id",
    "status",
    "kind",
    "metric",
    "value_kk",
    "value_ru",
    "scale_kk",
    "scale_ru",
)


class PairsInvariantError(EtlError):
    """The pairs table breaks a rule no letter can break: a bug upstream.

    `failures` maps each broken rule to the row indices (pair positions)
    that broke it; `None` stands for a failure not tied to a row.
    """

    def __init__(self, failures: dict[str, list[int | None]]) -> None:
        summary = "; ".join(f"{rule} (rows {rows[:5]})" for rule, rows in sorted(failures.items()))
        super().__init__(f"pairs table is inconsistent: {summary}")
        self.failures = failures

    def __reduce__(self) -> tuple[type[PairsInvariantError], tuple[dict[str, list[int | None]]]]:
        # Crosses from a worker process intact.
        return PairsInvariantError, (self.failures,)


def pairs_frame(pairs: Sequence[FigurePair]) -> pd.DataFrame:
    """The pairs as a table with the columns of `PAIR_COLUMNS`, one row per pair."""
    rows = [
        {
            "doc_id": p.doc_id,
            "kk_figure_id": p.kk.figure_id if p.kk else None,
            "ru_figure_id": p.ru.figure_id if p.ru else None,
            "status": p.status,
            "kind": p.kind,
            "metric": p.metric,
            "value_kk": p.kk.value if p.kk else None,
            "value_ru": p.ru.value if p.ru else None,
            "scale_kk": p.kk.scale if p.kk else None,
            "scale_ru": p.ru.scale if p.ru else None,
        }
        for p in pairs
    ]
    frame = pd.DataFrame(rows, columns=list(PAIR_COLUMNS))
    for col in ("kk_figure_id", "ru_figure_id", "metric"):
        frame[col] = frame[col].astype(object)
    for col in ("value_kk", "value_ru", "scale_kk", "scale_ru"):
        frame[col] = frame[col].astype(float)
    return frame


def failed_rules(pairs: Sequence[FigurePair]) -> dict[int, tuple[str, ...]]:
    """Pair position -> the agreement rules it broke, for the pairs that broke any.

    Raises `PairsInvariantError` when an integrity rule fails.
    """
    frame = pairs_frame(pairs)
    try:
        PairsModel.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return {}
    by_row: dict[int, set[str]] = defaultdict(set)
    bugs: dict[str, list[int | None]] = defaultdict(list)
    for check, index in zip(cases["check"], cases["index"], strict=True):
        rule = str(check)
        row = None if pd.isna(index) else int(index)
        if rule in AGREEMENT_RULES and row is not None:
            by_row[row].add(rule)
        elif row not in bugs[rule]:
            bugs[rule].append(row)
    if bugs:
        raise PairsInvariantError(dict(bugs))
    return {row: tuple(sorted(rules)) for row, rules in sorted(by_row.items())}


def validate_pairs(pairs: Sequence[FigurePair]) -> list[FigurePair]:
    """The findings: pairs whose status is not match or whose amounts differ, in order."""
    return [pairs[row] for row in failed_rules(pairs)]
