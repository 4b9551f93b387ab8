"""Letters read in batches in the worker processes, and their outcomes in input order.

A worker reads a batch of letters (`_work`), each announced before it is
read so a worker killed on a letter costs only that letter, and checks the
batch's figure pairs (and, for an ingest, its warehouse rows) with pandera at
once. `Results` hands the batches back in input order, re-reading what a
lost worker left and turning the letter it died on into a reject."""

from __future__ import annotations

import hashlib
import itertools
import os
import traceback
from collections.abc import Callable, Iterator
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from .chain import letter_result
from .errors import RejectedFile
from .extract import DEFAULT_OCR, Engine, OcrMode, OneLanguage, extract_letter
from .models import DocumentResult, Reject
from .pairing import Half
from .extract import MAX_FILE_BYTES, too_large_detail
from .validate import validate_pairs
from .workers import OUT_OF_MEMORY, Limits, Lost, Pool, Ticket, starting


T = TypeVar("T")
# What reading one file gives: a letter, a reject, or one half of a two-file letter.
Outcome = DocumentResult | Reject | Half


def unreadable(path: str, exc: OSError) -> Reject:
    if os.path.islink(path) and not os.path.exists(path):
        target = os.readlink(path)
        return Reject(path, None, "corrupt", f"cannot read file: broken symbolic link (its target {target} does not exist)")
    return Reject(path, None, "corrupt", f"cannot read file ({exc.strerror or exc})")


@dataclass(frozen=True)
class Job:
    path: str
    # Known when the writer already hashed the file to look for duplicates.
    sha256: str | None = None


@dataclass(frozen=True)
class Batch:
    """A few letters one worker reads in a row: pandera checks them together."""

    jobs: tuple[Job, ...]
    password: str | None
    engine: Engine
    ocr: OcrMode = DEFAULT_OCR
    # Build and check the warehouse rows here, in the worker, so the single
    # writer only inserts.
    rows: bool = False


@dataclass
class BatchResult:
    """Per letter of a batch, in order, its result or why it was refused; and
    the checked rows of every letter read (when the batch asked for rows)."""

    outcomes: list[Outcome]
    frames: dict[str, Any] | None = None


def internal_error(path: str, sha: str | None, exc: BaseException) -> Reject:
    # A bug in a stage costs this letter, not the whole run.
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    detail = f"internal error ({type(exc).__name__}: {exc}{at}); please report it with the file"
    return Reject(path, sha, "internal_error", detail)


def read_one(
    job: Job, password: str | None, engine: Engine, ocr: OcrMode = DEFAULT_OCR
) -> tuple[Outcome, int]:
    """One letter's result (pairs not yet checked) or its reject; and the file's size."""
    path = job.path
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            # Hashed in blocks: the file is never held in memory.
            return Reject(path, sha256_of(path), "too_large", too_large_detail(size)), size
        data = Path(path).read_bytes()
    except OSError as exc:
        return unreadable(path, exc), 0
    sha = job.sha256 or hashlib.sha256(data).hexdigest()
    try:
        try:
            return read_letter(path, data, password=password, engine=engine, sha256=sha, ocr=ocr), len(data)
        except RejectedFile as exc:
            if not (password and exc.reason == "encrypted"):
                raise
            # The run's password is for other files: one encrypted only
            # against editing (no user password) opens without it.
            try:
                return read_letter(path, data, password=None, engine=engine, sha256=sha, ocr=ocr), len(data)
            except RejectedFile:
                raise exc from None
    except OneLanguage as exc:
        return Half(path, sha, len(data), exc.lang, exc.letter, exc.registration), len(data)
    except RejectedFile as exc:
        return Reject(path, sha, exc.reason, exc.detail), len(data)
    except MemoryError:
        # The worker's address-space cap (workers.cap_memory) was reached.
        detail = f"{OUT_OF_MEMORY}: reading it needed more memory than a worker may use (--max-memory)"
        return Reject(path, sha, "too_large", detail), len(data)
    except Exception as exc:
        return internal_error(path, sha, exc), len(data)


def check_each(
    outcomes: list[tuple[Outcome, int]], check: Callable[[list[tuple[DocumentResult, int]]], T]
) -> tuple[list[Outcome], T | None]:
    """Run `check` once over all the letters read, and return its value too.

    When it fails, it runs letter by letter, so only the letters that break
    it become (internal error) rejects, then once more over the others.
    """
    read = [(res, size) for res, size in outcomes if isinstance(res, DocumentResult)]
    if not read:
        return [res for res, _ in outcomes], None
    try:
        return [res for res, _ in outcomes], check(read)
    except Exception:
        pass
    out: list[Outcome] = []
    good: list[tuple[DocumentResult, int]] = []
    for res, size in outcomes:
        if isinstance(res, DocumentResult):
            try:
                check([(res, size)])
                good.append((res, size))
            except Exception as exc:
                res = internal_error(res.letter.path, res.doc_id, exc)
        out.append(res)
    return out, check(good) if good else None


def _work(batch: Batch) -> BatchResult:
    """A batch, in a worker: each letter announced before it is read, so
    that a worker killed on a letter costs only that letter."""
    read = []
    for i, job in enumerate(batch.jobs):
        starting(i)
        read.append(read_one(job, batch.password, batch.engine, batch.ocr))
    starting(None)
    try:
        return _check_batch(batch, read)
    except Exception as exc:
        # Only letters that pass alone but not together get here (see checked).
        return BatchResult(
            [res if not isinstance(res, DocumentResult) else internal_error(res.letter.path, res.doc_id, exc) for res, _ in read]
        )


def _check_batch(batch: Batch, read: list[tuple[Outcome, int]]) -> BatchResult:
    # The same bytes twice in a batch are checked and written once, under the first path.
    first: dict[str, tuple[Outcome, int]] = {}
    for res, size in read:
        if isinstance(res, DocumentResult):
            first.setdefault(res.doc_id, (res, size))
    unique = list(first.values())
    # The gate's pandera check, once for the batch (figure ids are unique across letters).
    checked, _ = check_each(unique, lambda rs: validate_pairs([p for r, _ in rs for p in r.pairs]))
    frames = None
    if batch.rows:
        from . import load

        good = [pair for pair, res in zip(unique, checked) if isinstance(res, DocumentResult)]
        rows_checked, frames = check_each(good, load.batch_frames)
        checked = [*(res for res in checked if isinstance(res, Reject)), *rows_checked]
    failed = {res.path: res for res in checked if isinstance(res, Reject)}
    outcomes: list[Outcome] = []
    for res, _ in read:
        if isinstance(res, DocumentResult):
            own = first[res.doc_id][0]
            assert isinstance(own, DocumentResult)
            # A second copy of a letter that failed fails with it.
            reject = failed.get(own.letter.path)
            res = Reject(res.letter.path, res.doc_id, reject.reason, reject.detail) if reject else res
        outcomes.append(res)
    return BatchResult(outcomes, frames)


# Letters per batch: enough to spread pandera's per-call cost, few enough that
# every worker gets several batches and progress moves.
MAX_BATCH = 8


def batches_of(
    jobs_list: list[Job],
    jobs: int,
    password: str | None,
    engine: Engine,
    rows: bool,
    size: int | None,
    ocr: OcrMode = DEFAULT_OCR,
) -> list[Batch]:
    n, jobs = len(jobs_list), max(1, jobs)
    if size:
        count = -(-n // size)
    else:
        # At least four batches per worker, a multiple of the workers, and
        # letters split evenly among them, so no worker is left with a last
        # batch while the others idle.
        count = max(4 * jobs, -(-n // MAX_BATCH))
        count = min(n, -(-count // jobs) * jobs)
    bounds = [round(i * n / count) for i in range(count + 1)] if count else [0]
    return [
        Batch(tuple(jobs_list[a:b]), password, engine, ocr, rows) for a, b in zip(bounds, bounds[1:]) if b > a
    ]


@dataclass
class _Slot:
    """One batch, in input order, while its letters are read.

    A batch whose worker died comes back in parts: the letter the worker was
    on becomes a reject, the others of the batch are read again."""

    batch: Batch
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    frames: list[dict[str, Any]] = field(default_factory=list)
    parts: list[tuple[list[int], Ticket[BatchResult]]] = field(default_factory=list)


class Results:
    """Batch results in input order; `ready()` says whether the next one can
    be taken without waiting, so the writer writes what is ready under one lock.

    Letters are always read in worker processes (one with `--jobs 1`), each
    under the memory and time limits of `limits`: a letter that exhausts them
    costs its worker, never the run.
    """

    def __init__(self, batches: list[Batch], jobs: int, limits: Limits | None = None) -> None:
        self._limits = limits or Limits()
        self._batches = iter(batches)
        self._slots: deque[_Slot] = deque()
        self._pool: Pool[Batch, BatchResult] = Pool(_work, jobs, self._limits)
        # Only a few batches are in flight at a time, so results the writer
        # has not taken yet cannot pile up in memory.
        for batch in itertools.islice(self._batches, 2 * max(1, jobs)):
            self._add(batch)

    def __enter__(self) -> Results:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.close()

    def _add(self, batch: Batch) -> None:
        slot = _Slot(batch)
        self._submit(slot, list(range(len(batch.jobs))))
        self._slots.append(slot)

    def _submit(self, slot: _Slot, indices: list[int]) -> None:
        part = replace(slot.batch, jobs=tuple(slot.batch.jobs[i] for i in indices))
        slot.parts.append((indices, self._pool.submit(part)))

    def _lost(self, slot: _Slot, index: int, cause: str) -> None:
        job = slot.batch.jobs[index]
        try:
            sha = job.sha256 or sha256_of(job.path)
        except OSError:
            sha = None
        slot.outcomes[index] = Reject(job.path, sha, "too_large", cause)

    def _settle(self, slot: _Slot, block: bool) -> bool:
        """Take the parts of `slot` that are done (all of them when `block`); True when none is left."""
        while slot.parts:
            progressed = False
            for part in list(slot.parts):
                indices, ticket = part
                if block:
                    self._pool.wait(ticket)
                elif not self._pool.done(ticket):
                    continue
                progressed = True
                slot.parts.remove(part)
                result = ticket.result
                if isinstance(result, Lost):
                    if result.index is None and len(indices) > 1:
                        # Died after reading, while checking the batch: each letter again, alone.
                        for i in indices:
                            self._submit(slot, [i])
                        continue
                    lost = indices[result.index or 0]
                    self._lost(slot, lost, result.cause)
                    rest = [i for i in indices if i != lost]
                    if rest:
                        self._submit(slot, rest)
                    continue
                assert result is not None
                for i, outcome in zip(indices, result.outcomes):
                    slot.outcomes[i] = outcome
                if result.frames is not None:
                    slot.frames.append(result.frames)
            if not progressed:
                return False
        return True

    def ready(self) -> bool:
        return bool(self._slots) and self._settle(self._slots[0], block=False)

    def __iter__(self) -> Iterator[BatchResult]:
        return self

    def __next__(self) -> BatchResult:
        if not self._slots:
            raise StopIteration
        slot = self._slots[0]
        self._settle(slot, block=True)
        self._slots.popleft()
        for batch in itertools.islice(self._batches, 1):
            self._add(batch)
        outcomes = [slot.outcomes[i] for i in range(len(slot.batch.jobs))]
        return BatchResult(outcomes, _merged(slot.frames))


def _merged(frames: list[dict[str, Any]]) -> dict[str, Any] | None:
    if len(frames) <= 1:
        return frames[0] if frames else None
    import pandas as pd

    return {key: pd.concat([f[key] for f in frames], ignore_index=True) for key in frames[0]}


def read_letter(
    path: str, data: bytes, *, password: str | None, engine: Engine, sha256: str | None, ocr: OcrMode = DEFAULT_OCR
) -> DocumentResult:
    """Everything but the pandera check of the pairs, which a batch runs once for all its letters."""
    letter = extract_letter(path, data, password=password, engine=engine, sha256=sha256, ocr=ocr)
    return letter_result(letter, data, password)


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
