"""Pandera model of the kk/ru pairs table (`figure_pairs` plus the scales).

Every dataframe-level check is one named rule, so a failure case says which
rule a pair broke. Two families:

Agreement rules — a failure is a finding about the letter:
  cross_language_amount       a pair with both sides has kk value*scale == ru value*scale
                              (a date without its year equals the full date of its day and month)
  present_in_both_languages   the figure has a counterpart in the other language
  same_role_in_both_languages the two values are not bound to exchanged roles (status swapped)
  same_period_in_both_languages the two figures cover the same period (status period_differs)
  aligned_as_match            the aligner found the two figures equal (status match)

Integrity rules — a failure is a bug in the pipeline, never a finding:
  status vocabulary / kind vocabulary (column `isin` checks)
  status_matches_sides        missing_kk has no kk side, missing_ru no ru side, other statuses both
  one_pair_per_kk_figure      a kk figure is in at most one pair
  one_pair_per_ru_figure      likewise for ru
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from etl.models import DATE_YEAR_FACTOR, FIGURE_KINDS, PAIR_STATUSES
from schemas.text import Text

AGREEMENT_RULES: frozenset[str] = frozenset(
    {
        "cross_language_amount",
        "present_in_both_languages",
        "same_role_in_both_languages",
        "same_period_in_both_languages",
        "aligned_as_match",
    }
)

# Amounts are compared with a relative tolerance: values such as 3.6 or
# 14 * 1e6 go through float arithmetic on both sides ("3,6 млн." and
# "3 600 000" are equal amounts up to float rounding).
_REL_TOL = 1e-9


def equal_amounts(df: pd.DataFrame) -> np.ndarray:
    """Per row, whether value_kk * scale_kk equals value_ru * scale_ru (False when a side is missing).

    A date one language gives without its year ("14 қарашадан", "10 августа
    т.г.", MMDD) equals the other's full date of the same day and month
    (YYYYMMDD): the year is left to the context, not changed.
    """
    kk = (df["value_kk"] * df["scale_kk"]).to_numpy(dtype=float)
    ru = (df["value_ru"] * df["scale_ru"]).to_numpy(dtype=float)
    same = np.isclose(kk, ru, rtol=_REL_TOL, atol=0.0)
    dates = (df["kind"] == "date").to_numpy()
    if not dates.any():
        return same
    with np.errstate(invalid="ignore"):
        y = DATE_YEAR_FACTOR
        yearless = dates & ((kk < y) != (ru < y)) & (np.mod(kk, y) == np.mod(ru, y))
    return same | yearless



def sides_match_status(df: pd.DataFrame) -> pd.Series:
    """missing_kk has only a ru side, missing_ru only a kk side, every other status both.

    Shared with the warehouse model of `figure_pairs` (schemas/tables.py).
    """
    has_kk = df["kk_figure_id"].notna()
    has_ru = df["ru_figure_id"].notna()
    status = df["status"]
    return (
        ((status == "missing_kk") & ~has_kk & has_ru)
        | ((status == "missing_ru") & has_kk & ~has_ru)
        | (status.isin(["match", "changed", "swapped", "period_differs"]) & has_kk & has_ru)
    )


class PairsModel(pa.DataFrameModel):
    doc_id: Series[Text]
    kk_figure_id: Series[Text] = pa.Field(nullable=True)
    ru_figure_id: Series[Text] = pa.Field(nullable=True)
    status: Series[Text] = pa.Field(isin=list(PAIR_STATUSES))
    kind: Series[Text] = pa.Field(isin=list(FIGURE_KINDS))
    metric: Series[Text] = pa.Field(nullable=True)
    value_kk: Series[float] = pa.Field(nullable=True)
    value_ru: Series[float] = pa.Field(nullable=True)
    scale_kk: Series[float] = pa.Field(nullable=True, gt=0)
    scale_ru: Series[float] = pa.Field(nullable=True, gt=0)

    class Config:
        coerce = True

    # -- agreement rules ----------------------------------------------------

    @pa.dataframe_check(name="cross_language_amount")
    def cross_language_amount(cls, df: pd.DataFrame) -> Series[bool]:
        both = df["value_kk"].notna() & df["value_ru"].notna()
        return pd.Series(~both.to_numpy() | equal_amounts(df), index=df.index)

    @pa.dataframe_check(name="present_in_both_languages")
    def present_in_both_languages(cls, df: pd.DataFrame) -> Series[bool]:
        return df["kk_figure_id"].notna() & df["ru_figure_id"].notna()

    @pa.dataframe_check(name="same_role_in_both_languages")
    def same_role_in_both_languages(cls, df: pd.DataFrame) -> Series[bool]:
        return df["status"] != "swapped"

    @pa.dataframe_check(name="same_period_in_both_languages")
    def same_period_in_both_languages(cls, df: pd.DataFrame) -> Series[bool]:
        return df["status"] != "period_differs"

    @pa.dataframe_check(name="aligned_as_match")
    def aligned_as_match(cls, df: pd.DataFrame) -> Series[bool]:
        return df["status"] == "match"

    # -- integrity rules ----------------------------------------------------

    @pa.dataframe_check(name="status_matches_sides")
    def status_matches_sides(cls, df: pd.DataFrame) -> Series[bool]:
        return sides_match_status(df)

    @pa.dataframe_check(name="one_pair_per_kk_figure")
    def one_pair_per_kk_figure(cls, df: pd.DataFrame) -> Series[bool]:
        ids = df["kk_figure_id"]
        return ids.isna() | ~ids.duplicated(keep=False)

    @pa.dataframe_check(name="one_pair_per_ru_figure")
    def one_pair_per_ru_figure(cls, df: pd.DataFrame) -> Series[bool]:
        ids = df["ru_figure_id"]
        return ids.isna() | ~ids.duplicated(keep=False)
