"""Data passed between the pipeline stages.

Closed vocabularies are named once here and reused by the dataclasses, the
pandera schemas and the warehouse DDL, so the lists cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal, NamedTuple, get_args

Lang = Literal["kk", "ru"]
Part = Literal["cover", "appendix"]
FigureKind = Literal[
    "statistic",
    "money",
    "date",
    "year",
    "year_range",
    "duration",
    "identifier",
    "legal_ref",
    "count",
    "ratio",
]
FigureSource = Literal["text", "ocr"]
PairStatus = Literal["match", "changed", "missing_kk", "missing_ru", "swapped", "period_differs"]
DocStatus = Literal["clean", "mismatch"]
RejectReason = Literal[
    "not_pdf",
    "empty",
    "corrupt",
    "encrypted",
    "no_text",
    "bad_encoding",
    "one_language",
    "no_figures",
    "too_large",
    "internal_error",
]

# The letters Kazakh has and Russian lacks: what tells the two texts apart.
KAZAKH_ONLY_LETTERS = "әғқңөұүһі"
RUSSIAN_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"

# Words a dot follows as an abbreviation, not as a sentence's end ("тыс.
# тенге", "г. Алматы", "2019-2020 жж."): any word of one or two letters, and
# these. Used where a stage decides where a sentence ends (figure contexts,
# a table's title).
ABBREVIATIONS = frozenset(
    "обл тыс млн млрд трлн руб ед им см др пр исх гг жж тг ст шт чел кв км га".split()
)


def is_abbreviation(word: str) -> bool:
    """Whether a dot after `word` marks an abbreviation rather than a sentence's end."""
    return word.isalpha() and len(word) <= 2 or word.lower() in ABBREVIATIONS

LANGS: tuple[str, ...] = get_args(Lang)
FIGURE_SOURCES: tuple[str, ...] = get_args(FigureSource)
PARTS: tuple[str, ...] = get_args(Part)
FIGURE_KINDS: tuple[str, ...] = get_args(FigureKind)
# A date figure's value is YYYYMMDD, or MMDD when the text gives no year:
# below this, a date has no year.
DATE_YEAR_FACTOR = 10_000
PAIR_STATUSES: tuple[str, ...] = get_args(PairStatus)
DOC_STATUSES: tuple[str, ...] = get_args(DocStatus)
REJECT_REASONS: tuple[str, ...] = get_args(RejectReason)

Engine = Literal["pdfplumber", "pdfium"]
ENGINES: tuple[str, ...] = get_args(Engine)
# pdfium reads pages several times faster than pdfminer and gives the same
# paragraphs, figures and findings on every test letter (tests/test_engines.py).
DEFAULT_ENGINE: Engine = "pdfium"

# Which pages are read by OCR: auto = those without a text layer.
OcrMode = Literal["auto", "always", "never"]
OCR_MODES: tuple[str, ...] = get_args(OcrMode)
DEFAULT_OCR: OcrMode = "auto"


class Box(NamedTuple):
    """A rectangle on a page, in PDF points from the page's top-left corner."""

    page: int  # 1-based
    x0: float
    top: float
    x1: float
    bottom: float


class TextLine(NamedTuple):
    """Where one line of a paragraph sits: what lets a figure be boxed on its page.

    `words` are (start, end, x0, x1) of each glyph run, with offsets into the
    line's own text; the line's text starts at `start` in the paragraph text.
    """

    start: int
    box: Box
    words: tuple[tuple[int, int, float, float], ...]


@dataclass(frozen=True)
class Paragraph:
    lang: Lang
    part: Part
    para_no: int  # 1-based within (lang, part)
    page: int  # 1-based page where the paragraph starts
    text: str
    # Where the paragraph is: one box per page it covers. Not part of its
    # identity (the two engines place glyphs a hair apart).
    boxes: tuple[Box, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Table:
    """A table as read from the page: a header row and data rows of cell texts.

    `header[0]` heads the row-label column; `rows[i][0]` is row i's label.
    Empty cells are "". `table_no` counts from 1 within the language, in
    reading order; `para_no` is the paragraph of (lang, part) the table
    follows (the first one when it opens the part), which its figures cite.
    """

    lang: Lang
    part: Part
    table_no: int
    page: int  # where the table starts
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    ruled: bool = True
    pages: tuple[int, ...] = ()  # every page it runs over
    para_no: int = 1
    row_pages: tuple[int, ...] = ()  # the page of each data row

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.rows), len(self.header))


@dataclass(frozen=True)
class LetterMeta:
    outgoing_no: str | None = None
    letter_date: date | None = None
    inquiry_no: str | None = None
    inquiry_date: date | None = None
    sender: str | None = None
    addressees: str | None = None
    signatory: str | None = None


@dataclass(frozen=True)
class OcrPage:
    """A page read by OCR: the resolution it was rendered at and the skew undone."""

    number: int
    skew: float  # degrees, counter-clockwise
    dpi: int


@dataclass(frozen=True)
class OcrWord:
    """A word OCR read, in PDF points on the deskewed page, with its confidence (0-100)."""

    page: int
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float
    # The box of its digits alone, when it holds any (what a re-read looks at).
    digits_box: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Letter:
    """A letter as read from its PDF: metadata and tagged paragraphs."""

    path: str
    sha256: str
    pages: int
    meta: LetterMeta
    paragraphs: tuple[Paragraph, ...]
    # Per paragraph (same order), its lines with their word positions: read
    # by the figures stage to box each figure, then dropped (see
    # chain.letter_result) so they are never kept or sent between processes.
    lines: tuple[tuple[TextLine, ...], ...] = field(default=(), compare=False, repr=False)
    tables: tuple[Table, ...] = ()
    # Pages read by OCR (none for a letter with a text layer) and their words.
    ocr_pages: tuple[OcrPage, ...] = ()
    ocr_words: tuple[OcrWord, ...] = ()


@dataclass(frozen=True)
class NumberToken:
    """A number as the figures reader finds it in one paragraph's text.

    `value` is the number as written (14 for "14 млн."); `value * scale` is
    the amount. `start`/`end` index the paragraph text. `role` is the label
    the number is bound to when one can be told ("registered", "solved"...),
    shared by both languages so that kk and ru figures compare.
    """

    surface: str
    start: int
    end: int
    value: float
    scale: float
    unit: str | None
    kind: FigureKind
    role: str | None = None
    from_words: bool = False


@dataclass(frozen=True)
class Figure:
    figure_id: str
    doc_id: str
    lang: Lang
    part: Part
    para_no: int
    page: int
    surface: str
    value: float
    scale: float
    unit: str | None
    kind: FigureKind
    metric: str | None
    period_start: date | None
    period_end: date | None
    context: str
    start: int = 0
    role: str | None = None
    from_words: bool = False
    months: int | None = None
    # Where the figure is drawn (one box per line it covers) and the box of its
    # paragraph on that page; empty when the layout is not known.
    boxes: tuple[Box, ...] = field(default=(), compare=False, repr=False)
    para_box: Box | None = field(default=None, compare=False, repr=False)
    # A table cell's coordinates (None for a figure of running text); rows
    # and columns count from 1, column 1 being the row labels.
    table_no: int | None = None
    row_no: int | None = None
    col_no: int | None = None
    row_label: str | None = None
    col_label: str | None = None
    # "ocr" when read from a scanned page, with the OCR word confidence (0-100).
    source: FigureSource = "text"
    confidence: float | None = None
    # What the figure measures (etl.figures.series): the key, read from the
    # Russian text (a Kazakh figure takes its pair's), and the readable label
    # in the figure's own language.
    series: str | None = None
    series_label: str | None = None


@dataclass(frozen=True)
class FigurePair:
    doc_id: str
    kk: Figure | None
    ru: Figure | None
    status: PairStatus
    # For a table: "cell", or "row" / "column" / "table" when the pair is one
    # cell of a row, column or table present in one language only; such
    # pairs make a single finding (see `finding_key`).
    scope: str | None = None

    @property
    def finding_key(self) -> tuple[object, ...] | None:
        """Pairs with the same key are reported as one finding."""
        f = self.kk or self.ru
        if f is None or self.scope in (None, "cell"):
            return None
        where: object = {"row": f.row_no, "column": f.col_no}.get(self.scope or "")
        return (self.scope, self.status, f.lang, f.table_no, where)

    @property
    def kind(self) -> str:
        return (self.kk or self.ru).kind  # type: ignore[union-attr]

    @property
    def metric(self) -> str | None:
        # Both languages must name the same metric: a label read in one text
        # only is too weak to put a number in a time series.
        if self.kk and self.ru:
            return self.kk.metric if self.kk.metric == self.ru.metric else None
        return (self.kk or self.ru).metric  # type: ignore[union-attr]


@dataclass(frozen=True)
class Reject:
    path: str
    sha256: str | None
    reason: RejectReason
    detail: str


@dataclass(frozen=True)
class Waiting:
    """One half of a two-file letter whose other half has not come (yet)."""

    path: str
    sha256: str
    lang: Lang
    outgoing_no: str | None
    letter_date: date | None
    since: datetime | None = None  # first recorded as waiting (ingest only)

    @property
    def line(self) -> str:
        """The one line a run prints for it."""
        have, want = ("Kazakh", "Russian") if self.lang == "kk" else ("Russian", "Kazakh")
        reg = f"№ {self.outgoing_no} of {self.letter_date:%d.%m.%Y}" if self.outgoing_no and self.letter_date else "no registration line"
        since = f", waiting since {self.since:%Y-%m-%d %H:%M} UTC" if self.since else ""
        return (
            f"{self.path}: {have} half of a letter ({reg}); its {want} half has not come{since} "
            f"(pair by hand: --pair KK.pdf RU.pdf)"
        )


@dataclass
class DocumentResult:
    """Everything the pipeline learnt about one letter."""

    letter: Letter
    figures: list[Figure]
    pairs: list[FigurePair]
    skipped: bool = False  # already in the warehouse, unchanged
    # Set by slim(): the counts of what was dropped.
    counts: tuple[int, int, int] | None = None
    # Set by slim(case_name=...), for a report that lists every pair (JUnit):
    # the name of each of `listed_pairs` in order, None where a finding
    # stands (the findings are kept whole).
    cases: tuple[str | None, ...] | None = None

    @property
    def doc_id(self) -> str:
        return self.letter.sha256

    @property
    def n_paragraphs(self) -> int:
        return self.counts[0] if self.counts else len(self.letter.paragraphs)

    @property
    def n_figures(self) -> int:
        return self.counts[1] if self.counts else len(self.figures)

    @property
    def n_pairs(self) -> int:
        return self.counts[2] if self.counts else len(self.pairs)

    def slim(self, case_name: Callable[[FigurePair], str] | None = None) -> DocumentResult:
        """What a run report still needs once the rows are in the warehouse:
        metadata, counts and the findings. An archive run keeps only this per
        letter, so its memory does not grow with the letters' text.

        `case_name` also keeps, as `cases`, the name it gives each matching
        pair: a few bytes a pair instead of two figures with their sentences.
        """
        cases = self.cases
        # Names are taken from the pairs themselves, so only before they are dropped.
        if case_name is not None and self.counts is None:
            cases = tuple(None if p.status != "match" else case_name(p) for p in self.listed_pairs)
        return DocumentResult(
            letter=replace(self.letter, paragraphs=(), lines=(), tables=(), ocr_words=()),
            figures=[],
            pairs=self.findings,
            skipped=self.skipped,
            counts=(self.n_paragraphs, self.n_figures, self.n_pairs),
            cases=cases,
        )

    @property
    def listed_pairs(self) -> list[FigurePair]:
        """Every pair as a report that lists them shows them: a row, column or
        table missing in one language once, by the cell its finding stands for.
        Those that do not match are `findings`, in the same order."""
        shown = {id(p) for p in self.findings}
        return [p for p in self.pairs if p.finding_key is None or id(p) in shown]

    @property
    def findings(self) -> list[FigurePair]:
        # A row, column or table missing in one language is one finding,
        # stood for by its first cell.
        out: list[FigurePair] = []
        seen: set[tuple[object, ...]] = set()
        for p in self.pairs:
            if p.status == "match":
                continue
            key = p.finding_key
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            out.append(p)
        return out

    @property
    def status(self) -> DocStatus:
        return "mismatch" if self.findings else "clean"


@dataclass
class RunReport:
    documents: list[DocumentResult] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Skipped (unchanged) letters whose stored status is a mismatch: a re-run
    # must not turn a red CI job green.
    skipped_mismatches: list[str] = field(default_factory=list)
    # Files in the folders scanned that were not taken as letters (see etl.scan).
    left_out: list[str] = field(default_factory=list)
    # Halves of two-file letters still waiting for their other half: not rejects.
    waiting: list[Waiting] = field(default_factory=list)

    @property
    def findings(self) -> list[tuple[DocumentResult, FigurePair]]:
        return [(d, p) for d in self.documents for p in d.findings]

    @property
    def exit_code(self) -> int:
        if self.findings or self.skipped_mismatches:
            return 1
        if self.rejects:
            return 3
        return 0
