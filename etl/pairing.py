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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from .chain import letter_result
from .errors import RejectedFile
from .extract import join_halves
from .models import DocumentResult, Lang, Letter, Reject, RunReport, Waiting
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
    halves: list[Half], named: Sequence[tuple[str, str]] = ()
) -> tuple[list[Pair], list[Half], list[Reject]]:
    """Pair the halves: those named together first, then by registration line.

    Returns the pairs, the halves left waiting and rejects (halves named
    together that are not one Kazakh and one Russian file). Several halves of
    one language with the same registration line pair in path order.
    """
    pairs: list[Pair] = []
    rejects: list[Reject] = []
    # A file named twice (in a folder and with --pair, spelt two ways) is one half.
    unique = {os.path.normpath(os.path.abspath(h.path)): h for h in reversed(halves)}
    left = sorted(unique.values(), key=lambda h: h.path)
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
    try:
        result = letter_result(letter)
    except RejectedFile as exc:
        raise RejectedFile(pair.kk.path, exc.reason, f"{exc.detail} (with {pair.ru.path})") from None
    validate_pairs(result.pairs)
    return result


def settle_in_warehouse(
    report: RunReport,
    halves: list[Half],
    pairs: Sequence[tuple[str, str]],
    stats: dict[str, tuple[int, int]],
    warehouse: str,
    lock_timeout: float,
    read_again: Callable[[str], Half | None],
    read: Callable[[Pair], DocumentResult | Reject],
) -> None:
    """Pair an ingest run's halves with each other and with those waiting
    from earlier runs; load each pair as one letter, record the rest as
    waiting (in `report.waiting` too).

    `stats` holds each path's (size, mtime) and gets those of halves read
    again; `read_again` reads a waiting file again (None when it is no half
    any more); `read` makes the checked letter of a pair, or its reject.
    """
    from . import load

    with load.connect(warehouse, lock_timeout=lock_timeout) as con:
        earlier = load.pending_halves(con)
    here = {h.path for h in halves}
    wanted = {(h.key, "ru" if h.lang == "kk" else "kk") for h in halves if h.key}
    gone: list[str] = []
    kept: list[tuple[Waiting, int, int]] = []
    for path, (w, size, mtime) in earlier.items():
        if path in here:
            continue
        try:
            now = load.file_fingerprint(path)
        except OSError:
            gone.append(path)  # the file went: nothing waits any more
            continue
        key = (w.outgoing_no, w.letter_date) if w.outgoing_no and w.letter_date else None
        if (key, w.lang) not in wanted and now == (size, mtime):
            kept.append((w, size, mtime))
            continue
        # Its other half may have come, or the file changed: read it again.
        again = read_again(path)
        if again is not None:
            halves.append(again)
            stats[path] = now
        else:
            gone.append(path)  # now a whole letter or a reject: read as such when named
    matched, left, refused = match_halves(halves, list(pairs))
    report.rejects.extend(refused)
    with load.connect(warehouse, lock_timeout=lock_timeout) as con:
        load.drop_pending(con, gone)
        for r in refused:
            load.record_reject(con, r)
        for pair in matched:
            res = read(pair)
            if isinstance(res, Reject):
                load.record_reject(con, res)
                report.rejects.append(res)
                continue
            kk_size, kk_mtime = stats[pair.kk.path]
            ru_size, ru_mtime = stats[pair.ru.path]
            frames = load.batch_frames([(res, kk_size + ru_size)])
            load.load_batch(
                con, [(res, kk_size, kk_mtime)], frames, more_paths=[(res.doc_id, pair.ru.path, ru_size, ru_mtime)]
            )
            report.documents.append(res.slim())
        waiting = [(h.waiting(), *stats[h.path]) for h in left]
        report.waiting = sorted(
            load.record_pending(con, waiting) + [w for w, _, _ in kept], key=lambda w: w.path
        )
