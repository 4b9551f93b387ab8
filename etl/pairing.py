"""Two-file letters: a Kazakh-only and a Russian-only file read as one letter.

Halves pair when the user names them together (`--pair KK.pdf RU.pdf`), else
when one Kazakh and one Russian half carry the same registration line
(outgoing number and date). A pair becomes one `DocumentResult` whose doc_id
is derived from both files' hashes (`extract.pair_id`), checked exactly as a
one-file letter. A half left over waits: `check` lists it; `ingest` records
it in `pending_halves` and pairs it when its other half comes in a later run.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from .align import align
from .errors import RejectedFile
from .extract import join_halves
from .figures import build_figures
from .models import DocumentResult, Lang, Letter, Reject, Waiting
from .validate import validate_pairs


@dataclass(frozen=True)
class Half:
    """What a one-language file gave: its half of the letter, as read."""

    path: str
    sha256: str
    size: int
    lang: Lang
    letter: Letter
    registration: str | None

    @property
    def key(self) -> tuple[str, date] | None:
        """The registration line halves are paired by: (outgoing number, date)."""
        meta = self.letter.meta
        if meta.outgoing_no and meta.letter_date:
            return meta.outgoing_no, meta.letter_date
        return None

    def waiting(self) -> Waiting:
        meta = self.letter.meta
        return Waiting(self.path, self.sha256, self.lang, meta.outgoing_no, meta.letter_date)


@dataclass(frozen=True)
class Pair:
    kk: Half
    ru: Half


def _same(a: str, b: str) -> bool:
    return os.path.normpath(os.path.abspath(a)) == os.path.normpath(os.path.abspath(b))


def match_halves(
    halves: list[Half], named: list[tuple[str, str]] = ()  # type: ignore[assignment]
) -> tuple[list[Pair], list[Half], list[Reject]]:
    """Pair the halves: those named together first, then by registration line.

    Returns the pairs, the halves left waiting and rejects (halves named
    together that are not one Kazakh and one Russian file). Several halves of
    one language with the same registration line pair in path order.
    """
    pairs: list[Pair] = []
    rejects: list[Reject] = []
    left = sorted(halves, key=lambda h: h.path)
    for a_path, b_path in named:
        a = next((h for h in left if _same(h.path, a_path)), None)
        b = next((h for h in left if _same(h.path, b_path)), None)
        if a is None or b is None:
            continue  # a whole letter, or a file rejected on its own: reported as such
        left = [h for h in left if h is not a and h is not b]
        if a.lang == b.lang:
            lang = "Kazakh" if a.lang == "kk" else "Russian"
            for h, other in ((a, b), (b, a)):
                detail = f"named with --pair together with {other.path}, but both files are {lang} only"
                rejects.append(Reject(h.path, h.sha256, "one_language", detail))
            continue
        pairs.append(Pair(*(sorted((a, b), key=lambda h: h.lang))))
    by_key: dict[tuple[str, date], dict[str, list[Half]]] = defaultdict(lambda: {"kk": [], "ru": []})
    waiting: list[Half] = []
    for h in left:
        if h.key is None:
            waiting.append(h)
        else:
            by_key[h.key][h.lang].append(h)
    for sides in by_key.values():
        kk, ru = sides["kk"], sides["ru"]
        pairs.extend(Pair(a, b) for a, b in zip(kk, ru))
        n = min(len(kk), len(ru))
        waiting.extend(kk[n:] + ru[n:])
    waiting.sort(key=lambda h: h.path)
    return pairs, waiting, rejects


def read_pair(pair: Pair) -> DocumentResult:
    """The two halves as one checked letter, as `pipeline.process_bytes` gives a one-file letter."""
    letter = join_halves(pair.kk.letter, pair.ru.letter, pair.kk.registration, pair.ru.registration)
    figures = build_figures(letter.sha256, letter.paragraphs, letter.meta.letter_date)
    if not figures:
        raise RejectedFile(pair.kk.path, "no_figures", f"no figures found in either language (with {pair.ru.path})")
    result = DocumentResult(letter=letter, figures=figures, pairs=align(figures, letter.paragraphs))
    validate_pairs(result.pairs)
    return result
