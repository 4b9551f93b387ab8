"""Name the statistic a figure reports, from the catalogue in schemas/metrics.toml.

A metric is a topic (what the paragraph is about), a role (the label the
number is bound to, read by the figures stage) and, for breakdowns, a
category found in the figure's own clause. Precision comes first: a figure
that does not clearly match keeps no metric rather than a wrong one.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import EtlError
from ..models import Lang, NumberToken

METRIC_KINDS = frozenset({"statistic", "count"})


@dataclass(frozen=True)
class Metric:
    key: str
    description: str
    unit: str | None
    topic: str
    roles: tuple[str, ...]
    category: str | None
    near: dict[str, re.Pattern[str]]
    as_of: bool
    any_role: bool = False  # every statistic of the topic, whatever its label


@dataclass(frozen=True)
class Catalogue:
    topics: dict[str, dict[str, re.Pattern[str]]]  # topic -> lang -> pattern
    no_carry: frozenset[str]  # topics that do not carry over to the next paragraph
    categories: dict[str, dict[str, re.Pattern[str]]]
    metrics: tuple[Metric, ...]
    descriptions: dict[str, str]
    # [[series]] entries: series key -> canonical metric (several keys may
    # name one metric: the same measure worded differently).
    series_map: dict[str, str] = field(default_factory=dict)
    source: str = "schemas/metrics.toml"
    sha256: str = ""


CATALOGUE_FILE = "metrics.toml"


class CatalogueError(EtlError, ValueError):
    """A catalogue file that cannot be read or does not follow the format."""


def _pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{w})" for w in words), re.IGNORECASE)


def parse_catalogue(text: str, source: str = "schemas/metrics.toml") -> Catalogue:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CatalogueError(f"{source}: not a valid TOML catalogue ({err})") from err
    topics = {t["key"]: {lang: _pattern(t[lang]) for lang in ("kk", "ru")} for t in data.get("topic", [])}
    categories = {c["key"]: {lang: _pattern(c[lang]) for lang in ("kk", "ru")} for c in data.get("category", [])}
    metrics = []
    for m in data.get("metric", []):
        if m["topic"] not in topics:
            raise ValueError(f"metric {m['key']}: unknown topic {m['topic']!r}")
        if m.get("category") and m["category"] not in categories:
            raise ValueError(f"metric {m['key']}: unknown category {m['category']!r}")
        near = {lang: _pattern(m["near"][lang]) for lang in ("kk", "ru")} if "near" in m else {}
        metrics.append(
            Metric(
                key=m["key"],
                description=m["description"],
                unit=m.get("unit"),
                topic=m["topic"],
                roles=tuple(m.get("roles", ())),
                category=m.get("category"),
                near=near,
                as_of=bool(m.get("as_of", False)),
                any_role=bool(m.get("any_role", False)),
            )
        )
    keys = [m.key for m in metrics]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate metric keys in the catalogue")
    no_carry = frozenset(t["key"] for t in data.get("topic", []) if not t.get("carry", True))
    descriptions = {m.key: m.description for m in metrics}
    series_map: dict[str, str] = {}
    for entry in data.get("series", []):
        name = entry.get("metric")
        keys = entry.get("series")
        if not isinstance(name, str) or not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise CatalogueError(f"{source}: a [[series]] entry needs metric = \"name\" and series = [\"key\", ...]")
        for key in keys:
            if series_map.get(key, name) != name:
                raise CatalogueError(f"{source}: series {key!r} is mapped to both {series_map[key]!r} and {name!r}")
            series_map[key] = name
        descriptions.setdefault(name, entry.get("description", ""))
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Catalogue(topics, no_carry, categories, tuple(metrics), descriptions, series_map, source, sha)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue shipped with the package (schemas/metrics.toml)."""
    text = resources.files("schemas").joinpath("metrics.toml").read_text(encoding="utf-8")
    return parse_catalogue(text)


def load_catalogue(path: str | os.PathLike[str]) -> Catalogue:
    """A user's catalogue file, in the format of schemas/metrics.toml."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CatalogueError(f"{path}: cannot read the catalogue ({err})") from err
    try:
        return parse_catalogue(text, os.fspath(path))
    except (KeyError, ValueError, re.error) as err:
        if isinstance(err, CatalogueError):
            raise
        raise CatalogueError(f"{path}: bad catalogue entry ({err})") from err


def resolve_catalogue(metrics_file: str | os.PathLike[str] | None, warehouse: str | os.PathLike[str] | None) -> Catalogue:
    """The catalogue a run uses: `--metrics FILE`, else metrics.toml beside the warehouse, else the shipped one."""
    if metrics_file is not None:
        return load_catalogue(metrics_file)
    if warehouse is not None:
        beside = Path(warehouse).parent / CATALOGUE_FILE
        if beside.is_file():
            return load_catalogue(beside)
    return catalogue()


# Clauses of an enumeration: "в т.ч. 703 – экстремистского характера, 402 – ...".
_CLAUSE_BREAK = re.compile(r"[,;()]|\s(?:и|және|а также)\s", re.IGNORECASE)


def _clauses(text: str) -> list[tuple[int, int]]:
    bounds = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(text)] + [len(text) + 1]
    return [(a, b) for a, b in zip(bounds, bounds[1:])]




def _topic_marks(text: str, lang: Lang, cat: Catalogue) -> list[tuple[int, str]]:
    """(start, topic) of every topic wording in `text`, in text order."""
    return sorted((m.start(), key) for key, pats in cat.topics.items() for m in pats[lang].finditer(text))


def _last_before(marks: list[tuple[int, str]], pos: int, start: int = 0) -> str | None:
    i = bisect.bisect_left(marks, (pos, "")) - 1
    if i >= 0 and marks[i][0] >= start:
        return marks[i][1]
    return None


class MetricReader:
    """Assigns metrics paragraph by paragraph, remembering the last topic.

    A paragraph that names no topic ("За 10 месяцев т.г. зарегистрировано 83
    ...") continues the topic of the paragraph before it in the same
    language and part.
    """

    def __init__(self, cat: Catalogue | None = None) -> None:
        self.cat = cat or catalogue()
        self._carry: dict[tuple[str, str], str | None] = {}

    def paragraph(self, text: str, lang: Lang, part: str, tokens: list[NumberToken]) -> list[Metric | None]:
        carried = self._carry.get((lang, part))
        clauses = _clauses(text)
        starts = [a for a, _ in clauses]
        numbered = [False] * len(clauses)
        for t in tokens:
            if t.kind in METRIC_KINDS:
                numbered[bisect.bisect_right(starts, t.start) - 1] = True
        marks = _topic_marks(text, lang, self.cat)
        out: list[Metric | None] = []
        for tok in tokens:
            if tok.kind not in METRIC_KINDS:
                out.append(None)
                continue
            idx = bisect.bisect_right(starts, tok.start) - 1
            # Named before the number, or right after it in its own clause
            # ("выявлено 1419 зарубежных противозаконных ресурсов").
            named = _last_before(marks, tok.start) or _last_before(marks, clauses[idx][1], start=tok.end)
            topic = named or carried
            out.append(self._match(text, lang, tok, topic, clauses, numbered, idx, bool(named)) if topic else None)
        last = _last_before(marks, len(text) + 1)
        if last in self.cat.no_carry:
            last = None
            carried = None
        if last or tokens:
            self._carry[(lang, part)] = last or carried
        return out

    def _match(
        self,
        text: str,
        lang: Lang,
        tok: NumberToken,
        topic: str,
        clauses: list[tuple[int, int]],
        numbered: list[bool],
        idx: int,
        named_here: bool,
    ) -> Metric | None:
        # The figure's clause, plus following clauses without a number of
        # their own ("171 материал, пропагандирующих суицид ...").
        end = idx + 1
        while end < len(clauses) and not numbered[end]:
            end += 1
        clause = text[clauses[idx][0] : clauses[end - 1][1]]
        candidates = [m for m in self.cat.metrics if m.topic == topic]
        for m in candidates:
            if m.category and self.cat.categories[m.category][lang].search(clause):
                return m
        # A topic carried over from an earlier paragraph is too weak to take
        # every number: there a figure needs its own role or category.
        if named_here:
            for m in candidates:
                if m.any_role and not m.category:
                    return m
        if tok.role is None:
            return None
        for m in candidates:
            if m.category or tok.role not in m.roles:
                continue
            # "составляет 59 единиц": the wording sits right before the number.
            if m.near and not m.near[lang].search(text, max(0, tok.start - 40), tok.start):
                continue
            return m
        return None
