"""Data passed between the pipeline stages.

Closed vocabularies are named once here and reused by the dataclasses, the
pandera schemas and the warehouse DDL, so the lists cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal, get_args

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
PairStatus = Literal["match", "changed", "missing_kk", "missing_ru", "swapped"]
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

LANGS: tuple[str, ...] = get_args(Lang)
PARTS: tuple[str, ...] = get_args(Part)
FIGURE_KINDS: tuple[str, ...] = get_args(FigureKind)
PAIR_STATUSES: tuple[str, ...] = get_args(PairStatus)
DOC_STATUSES: tuple[str, ...] = get_args(DocStatus)
REJECT_REASONS: tuple[str, ...] = get_args(RejectReason)


@dataclass(frozen=True)
class Paragraph:
    lang: Lang
    part: Part
    para_no: int  # 1-based within (lang, part)
    page: int  # 1-based page where the paragraph starts
    text: str


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
class Letter:
    """A letter as read from its PDF: metadata and tagged paragraphs."""

    path: str
    sha256: str
    pages: int
    meta: LetterMeta
    paragraphs: tuple[Paragraph, ...]


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


@dataclass(frozen=True)
class FigurePair:
    doc_id: str
    kk: Figure | None
    ru: Figure | None
    status: PairStatus

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

    def slim(self) -> DocumentResult:
        """What a run report still needs once the rows are in the warehouse:
        metadata, counts and the findings. An archive run keeps only this per
        letter, so its memory does not grow with the letters' text."""
        return DocumentResult(
            letter=replace(self.letter, paragraphs=()),
            figures=[],
            pairs=self.findings,
            skipped=self.skipped,
            counts=(self.n_paragraphs, self.n_figures, self.n_pairs),
        )

    @property
    def findings(self) -> list[FigurePair]:
        return [p for p in self.pairs if p.status != "match"]

    @property
    def status(self) -> DocStatus:
        return "mismatch" if self.findings else "clean"


@dataclass
class RunReport:
    documents: list[DocumentResult] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Halves of two-file letters still waiting for their other half: not rejects.
    waiting: list[Waiting] = field(default_factory=list)

    @property
    def findings(self) -> list[tuple[DocumentResult, FigurePair]]:
        return [(d, p) for d in self.documents for p in d.findings]

    @property
    def exit_code(self) -> int:
        if self.findings:
            return 1
        if self.rejects:
            return 3
        return 0
