"""Pandera models of the rows loaded into the warehouse.

The loader validates each letter's frames with these models before it writes
a single row, so a bad row fails loudly in Python (with the offending values)
rather than half-way through an INSERT. The allowed values come from the
tuples in etl.models, the same lists the CHECK constraints of warehouse.sql
spell out.

Column dtypes are the ones etl.load builds: strings as object (checked as
`schemas.text.Text`, one type inference per column), nullable
integers as Int64, nullable booleans as boolean, dates as datetime.date
objects (pandera's Date), timestamps as datetime64[ns].
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from etl.models import DOC_STATUSES, FIGURE_KINDS, FIGURE_SOURCES, LANGS, PAIR_STATUSES, PARTS, REJECT_REASONS
from schemas.pairs import equal_amounts, sides_match_status
from schemas.text import Text

SHA256_HEX = r"^[0-9a-f]{64}$"


class DocumentRows(pa.DataFrameModel):
    doc_id: Series[Text] = pa.Field(str_matches=SHA256_HEX, unique=True)
    path: Series[Text] = pa.Field(str_length={"min_value": 1})
    outgoing_no: Series[Text] = pa.Field(nullable=True)
    letter_date: Series[pa.Date] = pa.Field(nullable=True)
    inquiry_no: Series[Text] = pa.Field(nullable=True)
    inquiry_date: Series[pa.Date] = pa.Field(nullable=True)
    sender: Series[Text] = pa.Field(nullable=True)
    addressees: Series[Text] = pa.Field(nullable=True)
    signatory: Series[Text] = pa.Field(nullable=True)
    pages: Series[int] = pa.Field(ge=1)
    size: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    status: Series[Text] = pa.Field(isin=DOC_STATUSES)
    n_paragraphs: Series[int] = pa.Field(ge=0)
    n_figures: Series[int] = pa.Field(ge=0)
    n_findings: Series[int] = pa.Field(ge=0)
    ocr_pages: Series[int] = pa.Field(ge=0)  # pages read by OCR
    ingested_at: Series[pa.DateTime]

    class Config:
        strict = True
        ordered = False


class ParagraphRows(pa.DataFrameModel):
    doc_id: Series[Text] = pa.Field(str_matches=SHA256_HEX)
    lang: Series[Text] = pa.Field(isin=LANGS)
    part: Series[Text] = pa.Field(isin=PARTS)
    para_no: Series[int] = pa.Field(ge=1)
    page: Series[int] = pa.Field(ge=1)
    text: Series[Text]

    class Config:
        strict = True
        unique = ["doc_id", "lang", "part", "para_no"]


class FigureRows(pa.DataFrameModel):
    figure_id: Series[Text] = pa.Field(unique=True, str_length={"min_value": 1})
    doc_id: Series[Text] = pa.Field(str_matches=SHA256_HEX)
    lang: Series[Text] = pa.Field(isin=LANGS)
    part: Series[Text] = pa.Field(isin=PARTS)
    para_no: Series[int] = pa.Field(ge=1)
    page: Series[int] = pa.Field(ge=1)
    surface: Series[Text] = pa.Field(str_length={"min_value": 1})
    value: Series[float]
    scale: Series[float] = pa.Field(gt=0)
    unit: Series[Text] = pa.Field(nullable=True)
    kind: Series[Text] = pa.Field(isin=FIGURE_KINDS)
    metric: Series[Text] = pa.Field(nullable=True)
    period_start: Series[pa.Date] = pa.Field(nullable=True)
    period_end: Series[pa.Date] = pa.Field(nullable=True)
    context: Series[Text]
    role: Series[Text] = pa.Field(nullable=True)
    months: Series[pd.Int64Dtype] = pa.Field(ge=1, le=1200, nullable=True)
    is_partial: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    char_start: Series[int] = pa.Field(ge=0)
    from_words: Series[bool]
    table_no: Series[pd.Int64Dtype] = pa.Field(ge=1, nullable=True)
    row_no: Series[pd.Int64Dtype] = pa.Field(ge=1, nullable=True)
    col_no: Series[pd.Int64Dtype] = pa.Field(ge=2, nullable=True)
    row_label: Series[Text] = pa.Field(nullable=True)
    col_label: Series[Text] = pa.Field(nullable=True)
    source: Series[Text] = pa.Field(isin=FIGURE_SOURCES)
    ocr_confidence: Series[float] = pa.Field(ge=0, le=100, nullable=True)
    series: Series[Text] = pa.Field(nullable=True)
    series_label: Series[Text] = pa.Field(nullable=True)
    grouping: Series[Text] = pa.Field(isin=["plain_space"], nullable=True)

    class Config:
        strict = True

    @pa.dataframe_check(name="a cell has table, row and column")
    @classmethod
    def _cell_coordinates(cls, df: pd.DataFrame) -> Series[bool]:
        present = df[["table_no", "row_no", "col_no"]].notna()
        return present.all(axis=1) | ~present.any(axis=1)

    @pa.check("value", name="finite")
    @classmethod
    def _finite(cls, value: Series[float]) -> Series[bool]:
        return pd.Series(pd.notna(value) & ~value.isin([float("inf"), float("-inf")]), index=value.index)

    @pa.dataframe_check(name="period_start <= period_end")
    @classmethod
    def _period_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        start = pd.to_datetime(df["period_start"])
        end = pd.to_datetime(df["period_end"])
        return start.isna() | end.isna() | (start <= end)

    @pa.dataframe_check(name="partial only with a period")
    @classmethod
    def _partial_needs_period(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_partial"].isna() | (df["period_start"].notna() & df["period_end"].notna())


class TableRows(pa.DataFrameModel):
    doc_id: Series[Text] = pa.Field(str_matches=SHA256_HEX)
    lang: Series[Text] = pa.Field(isin=LANGS)
    part: Series[Text] = pa.Field(isin=PARTS)
    table_no: Series[int] = pa.Field(ge=1)
    page: Series[int] = pa.Field(ge=1)
    last_page: Series[int] = pa.Field(ge=1)
    n_rows: Series[int] = pa.Field(ge=1)
    n_cols: Series[int] = pa.Field(ge=1)
    title: Series[Text]
    header: Series[Text]
    ruled: Series[bool]

    class Config:
        strict = True
        # Most letters have no table: an empty frame's columns carry no string dtype.
        coerce = True
        unique = ["doc_id", "lang", "table_no"]


class FigurePairRows(pa.DataFrameModel):
    doc_id: Series[Text] = pa.Field(str_matches=SHA256_HEX)
    pair_no: Series[int] = pa.Field(ge=1)
    kk_figure_id: Series[Text] = pa.Field(nullable=True)
    ru_figure_id: Series[Text] = pa.Field(nullable=True)
    status: Series[Text] = pa.Field(isin=PAIR_STATUSES)
    kind: Series[Text] = pa.Field(isin=FIGURE_KINDS)
    metric: Series[Text] = pa.Field(nullable=True)
    value_kk: Series[float] = pa.Field(nullable=True)
    value_ru: Series[float] = pa.Field(nullable=True)
    scale_kk: Series[float] = pa.Field(gt=0, nullable=True)
    scale_ru: Series[float] = pa.Field(gt=0, nullable=True)
    series: Series[Text] = pa.Field(nullable=True)

    class Config:
        strict = True
        unique = ["doc_id", "pair_no"]

    @pa.dataframe_check(name="sides present as the status says")
    @classmethod
    def _sides(cls, df: pd.DataFrame) -> Series[bool]:
        return sides_match_status(df)

    @pa.dataframe_check(name="match means equal amounts")
    @classmethod
    def _match_equal(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series((df["status"] != "match").to_numpy() | equal_amounts(df), index=df.index)


class RejectRows(pa.DataFrameModel):
    path: Series[Text] = pa.Field(str_length={"min_value": 1}, unique=True)
    sha256: Series[Text] = pa.Field(str_matches=SHA256_HEX, nullable=True)
    reason: Series[Text] = pa.Field(isin=REJECT_REASONS)
    detail: Series[Text]
    rejected_at: Series[pa.DateTime]

    class Config:
        strict = True


# Table name -> model, for callers that validate by name.
MODELS: dict[str, type[pa.DataFrameModel]] = {
    "documents": DocumentRows,
    "paragraphs": ParagraphRows,
    "figures": FigureRows,
    "figure_pairs": FigurePairRows,
    "rejects": RejectRows,
}

__all__ = [
    "DocumentRows",
    "ParagraphRows",
    "FigureRows",
    "FigurePairRows",
    "RejectRows",
    "MODELS",
    "SHA256_HEX",
]
