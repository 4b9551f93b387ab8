"""The pipeline: chain the stages over many files and return a RunReport.

Extraction (the slow part, CPU-bound) runs in worker processes, a few letters
per batch, each batch's figure pairs and rows checked by pandera at once; a
single writer in this process loads the batches in input order, whole letters
per transaction, and holds the warehouse only while it writes, never while it
waits for the workers.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from .chain import letter_result
from .errors import NoLetters, RejectedFile
from .extract import DEFAULT_ENGINE, DEFAULT_OCR, Engine, OcrMode, OneLanguage, extract_letter
from .models import DocumentResult, Reject, RunReport
from . import pairing
from .pairing import Half
from .extract import MAX_FILE_BYTES, too_large_detail
from .validate import validate_pairs
from .workers import OUT_OF_MEMORY, TIME_LIMIT, Limits, Lost, Pool, Ticket, starting

T = TypeVar("T")
# What reading one file gives: a letter, a reject, or one half of a two-file letter.
Outcome = DocumentResult | Reject | Half


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    path: str
    outcome: str  # "loaded", "checked", "skipped", "rejected", "duplicate"


ProgressFn = Callable[[Progress], None]


@dataclass(frozen=True)
class Scan:
    """What a run takes from the paths it was given, and what it left out."""

    files: list[str]
    left_out: list[str]


def _starts_like_pdf(path: Path) -> bool:
    # The reader's own test (see extract.limits): %PDF- in the first 1 KiB.
    try:
        with open(path, "rb") as fh:
            return b"%PDF-" in fh.read(1024)
    except OSError:
        return False


def scan_paths(paths: Iterable[str | os.PathLike[str]]) -> Scan:
    """Files named on the command line, and the letters under named folders, sorted.

    A file named on the command line is always read (and rejected if it is no
    PDF). In a folder, a file is a letter when its name ends in `.pdf` (any
    case), or when it has no extension and starts like a PDF (a letter saved
    without its extension); every other file (`notes.txt`, `Thumbs.db`) is left
    out and listed in `left_out`. A broken symbolic link that would be a letter
    by its name is taken, so that it is rejected by name rather than vanish.
    Hidden files and folders (a leading dot) are not looked at.
    """
    found: list[str] = []
    left_out: list[str] = []
    for p in paths:
        path = Path(p)
        if not path.is_dir():
            found.append(str(path))
            continue
        for sub in sorted(path.rglob("*")):
            if any(part.startswith(".") for part in sub.relative_to(path).parts) or sub.is_dir():
                continue
            named_pdf = sub.name.lower().endswith(".pdf")
            if sub.is_symlink() and not sub.exists():
                (found if named_pdf or not sub.suffix else left_out).append(str(sub))
            elif not sub.is_file():
                left_out.append(str(sub))
            elif named_pdf or (not sub.suffix and _starts_like_pdf(sub)):
                found.append(str(sub))
            else:
                left_out.append(str(sub))
    # A file named twice is read once.
    return Scan(list(dict.fromkeys(found)), list(dict.fromkeys(left_out)))


def find_pdfs(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The files `scan_paths` takes as letters."""
    return scan_paths(paths).files


def _scan_or_fail(paths: Iterable[str | os.PathLike[str]]) -> Scan:
    names = [os.fspath(p) for p in paths]
    scan = scan_paths(names)
    if not scan.files:
        others = f"; {len(scan.left_out)} other file(s) left out" if scan.left_out else ""
        raise NoLetters(f"no PDF found in {', '.join(names)}{others}")
    return scan


def _unreadable(path: str, exc: OSError) -> Reject:
    if os.path.islink(path) and not os.path.exists(path):
        target = os.readlink(path)
        return Reject(path, None, "corrupt", f"cannot read file: broken symbolic link (its target {target} does not exist)")
    return Reject(path, None, "corrupt", f"cannot read file ({exc.strerror or exc})")


def process_bytes(
    path: str,
    data: bytes,
    *,
    password: str | None = None,
    engine: Engine = DEFAULT_ENGINE,
    sha256: str | None = None,
    ocr: OcrMode = DEFAULT_OCR,
) -> DocumentResult:
    """Extract, read figures, align and validate one letter (no warehouse)."""
    result = _read_letter(path, data, password=password, engine=engine, sha256=sha256, ocr=ocr)
    validate_pairs(result.pairs)
    return result


def _read_letter(
    path: str, data: bytes, *, password: str | None, engine: Engine, sha256: str | None, ocr: OcrMode = DEFAULT_OCR
) -> DocumentResult:
    """Everything but the pandera check of the pairs, which a batch runs once for all its letters."""
    letter = extract_letter(path, data, password=password, engine=engine, sha256=sha256, ocr=ocr)
    return letter_result(letter, data, password)


@dataclass(frozen=True)
class _Job:
    path: str
    # Known when the writer already hashed the file to look for duplicates.
    sha256: str | None = None


@dataclass(frozen=True)
class _Batch:
    """A few letters one worker reads in a row: pandera checks them together."""

    jobs: tuple[_Job, ...]
    password: str | None
    engine: Engine
    ocr: OcrMode = DEFAULT_OCR
    # Build and check the warehouse rows here, in the worker, so the single
    # writer only inserts.
    rows: bool = False


@dataclass
class _BatchResult:
    """Per letter of a batch, in order, its result or why it was refused; and
    the checked rows of every letter read (when the batch asked for rows)."""

    outcomes: list[Outcome]
    frames: dict[str, Any] | None = None


def _internal_error(path: str, sha: str | None, exc: BaseException) -> Reject:
    # A bug in a stage costs this letter, not the whole run.
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    detail = f"internal error ({type(exc).__name__}: {exc}{at}); please report it with the file"
    return Reject(path, sha, "internal_error", detail)


def _read_one(
    job: _Job, password: str | None, engine: Engine, ocr: OcrMode = DEFAULT_OCR
) -> tuple[Outcome, int]:
    """One letter's result (pairs not yet checked) or its reject; and the file's size."""
    path = job.path
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            # Hashed in blocks: the file is never held in memory.
            return Reject(path, _sha256_of(path), "too_large", too_large_detail(size)), size
        data = Path(path).read_bytes()
    except OSError as exc:
        return _unreadable(path, exc), 0
    sha = job.sha256 or hashlib.sha256(data).hexdigest()
    try:
        try:
            return _read_letter(path, data, password=password, engine=engine, sha256=sha, ocr=ocr), len(data)
        except RejectedFile as exc:
            if not (password and exc.reason == "encrypted"):
                raise
            # The run's password is for other files: one encrypted only
            # against editing (no user password) opens without it.
            try:
                return _read_letter(path, data, password=None, engine=engine, sha256=sha, ocr=ocr), len(data)
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
        return _internal_error(path, sha, exc), len(data)


def _checked(
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
                res = _internal_error(res.letter.path, res.doc_id, exc)
        out.append(res)
    return out, check(good) if good else None


def _work(batch: _Batch) -> _BatchResult:
    """A batch, in a worker: each letter announced before it is read, so
    that a worker killed on a letter costs only that letter."""
    read = []
    for i, job in enumerate(batch.jobs):
        starting(i)
        read.append(_read_one(job, batch.password, batch.engine, batch.ocr))
    starting(None)
    try:
        return _check_batch(batch, read)
    except Exception as exc:
        # Only letters that pass alone but not together get here (see _checked).
        return _BatchResult(
            [res if not isinstance(res, DocumentResult) else _internal_error(res.letter.path, res.doc_id, exc) for res, _ in read]
        )


def _check_batch(batch: _Batch, read: list[tuple[Outcome, int]]) -> _BatchResult:
    # The same bytes twice in a batch are checked and written once, under the first path.
    first: dict[str, tuple[Outcome, int]] = {}
    for res, size in read:
        if isinstance(res, DocumentResult):
            first.setdefault(res.doc_id, (res, size))
    unique = list(first.values())
    # The gate's pandera check, once for the batch (figure ids are unique across letters).
    checked, _ = _checked(unique, lambda rs: validate_pairs([p for r, _ in rs for p in r.pairs]))
    frames = None
    if batch.rows:
        from . import load

        good = [pair for pair, res in zip(unique, checked) if isinstance(res, DocumentResult)]
        rows_checked, frames = _checked(good, load.batch_frames)
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
    return _BatchResult(outcomes, frames)


# Letters per batch: enough to spread pandera's per-call cost, few enough that
# every worker gets several batches and progress moves.
MAX_BATCH = 8


def _batches(
    jobs_list: list[_Job],
    jobs: int,
    password: str | None,
    engine: Engine,
    rows: bool,
    size: int | None,
    ocr: OcrMode = DEFAULT_OCR,
) -> list[_Batch]:
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
        _Batch(tuple(jobs_list[a:b]), password, engine, ocr, rows) for a, b in zip(bounds, bounds[1:]) if b > a
    ]


@dataclass
class _Slot:
    """One batch, in input order, while its letters are read.

    A batch whose worker died comes back in parts: the letter the worker was
    on becomes a reject, the others of the batch are read again."""

    batch: _Batch
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    frames: list[dict[str, Any]] = field(default_factory=list)
    parts: list[tuple[list[int], Ticket[_BatchResult]]] = field(default_factory=list)


class _Results:
    """Batch results in input order; `ready()` says whether the next one can
    be taken without waiting, so the writer writes what is ready under one lock.

    Letters are always read in worker processes (one with `--jobs 1`), each
    under the memory and time limits of `limits`: a letter that exhausts them
    costs its worker, never the run.
    """

    def __init__(self, batches: list[_Batch], jobs: int, limits: Limits | None = None) -> None:
        self._limits = limits or Limits()
        self._batches = iter(batches)
        self._slots: deque[_Slot] = deque()
        self._pool: Pool[_Batch, _BatchResult] = Pool(_work, jobs, self._limits)
        # Only a few batches are in flight at a time, so results the writer
        # has not taken yet cannot pile up in memory.
        for batch in itertools.islice(self._batches, 2 * max(1, jobs)):
            self._add(batch)

    def __enter__(self) -> _Results:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.close()

    def _add(self, batch: _Batch) -> None:
        slot = _Slot(batch)
        self._submit(slot, list(range(len(batch.jobs))))
        self._slots.append(slot)

    def _submit(self, slot: _Slot, indices: list[int]) -> None:
        part = replace(slot.batch, jobs=tuple(slot.batch.jobs[i] for i in indices))
        slot.parts.append((indices, self._pool.submit(part)))

    def _lost(self, slot: _Slot, index: int, cause: str) -> None:
        job = slot.batch.jobs[index]
        try:
            sha = job.sha256 or _sha256_of(job.path)
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

    def __iter__(self) -> Iterator[_BatchResult]:
        return self

    def __next__(self) -> _BatchResult:
        if not self._slots:
            raise StopIteration
        slot = self._slots[0]
        self._settle(slot, block=True)
        self._slots.popleft()
        for batch in itertools.islice(self._batches, 1):
            self._add(batch)
        outcomes = [slot.outcomes[i] for i in range(len(slot.batch.jobs))]
        return _BatchResult(outcomes, _merged(slot.frames))


def _merged(frames: list[dict[str, Any]]) -> dict[str, Any] | None:
    if len(frames) <= 1:
        return frames[0] if frames else None
    import pandas as pd

    return {key: pd.concat([f[key] for f in frames], ignore_index=True) for key in frames[0]}


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def check(
    paths: Iterable[str | os.PathLike[str]],
    *,
    password: str | None = None,
    jobs: int = 1,
    engine: Engine = DEFAULT_ENGINE,
    on_progress: ProgressFn | None = None,
    batch: int | None = None,
    slim: bool = False,
    limits: Limits | None = None,
    ocr: OcrMode = DEFAULT_OCR,
    pairs: Sequence[tuple[str, str]] = (),
) -> RunReport:
    """Extract and check letters; write nothing.

    `batch` caps the letters a worker reads and checks together (default:
    up to MAX_BATCH, split evenly so that each worker gets four batches or more).
    `slim` keeps of each letter only its metadata, counts and findings (with
    their sentences and page boxes), not its paragraphs and matching pairs:
    what every report but JUnit's (a test case per pair) and `etl show` needs.
    `limits`: each worker's memory cap and each letter's time limit.
    `pairs` names (kk, ru) files that are one letter (see `pairing`); halves
    are paired by registration line too, and those left over are `waiting`.
    """
    started = time.perf_counter()
    scan = _scan_or_fail([*paths, *(p for pair in pairs for p in pair)])
    files = scan.files
    report = RunReport(left_out=scan.left_out)
    halves: list[Half] = []
    batches = _batches([_Job(f) for f in files], jobs, password, engine, rows=False, size=batch, ocr=ocr)
    done = 0
    with _Results(batches, jobs, limits) as results:
        for res in (res for result in results for res in result.outcomes):
            done += 1
            if isinstance(res, Reject):
                report.rejects.append(res)
            elif isinstance(res, Half):
                halves.append(res)
            else:
                report.documents.append(res.slim() if slim else res)
            if on_progress:
                outcome = "rejected" if isinstance(res, Reject) else "half" if isinstance(res, Half) else "checked"
                path = res.letter.path if isinstance(res, DocumentResult) else res.path
                on_progress(Progress(done, len(files), path, outcome))
    matched, left, refused = pairing.match_halves(halves, list(pairs))
    report.rejects.extend(refused)
    for pair in matched:
        res2 = _read_pair(pair)
        (report.rejects if isinstance(res2, Reject) else report.documents).append(res2)  # type: ignore[arg-type]
    report.waiting = [h.waiting() for h in left]
    report.seconds = time.perf_counter() - started
    return report


def _read_pair(pair: pairing.Pair) -> DocumentResult | Reject:
    """A two-file letter, or the reject its Kazakh file stands for."""
    try:
        return pairing.read_pair(pair)
    except RejectedFile as exc:
        return Reject(exc.path, pair.kk.sha256, exc.reason, exc.detail)
    except Exception as exc:
        return _internal_error(pair.kk.path, pair.kk.sha256, exc)


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    warehouse: str | os.PathLike[str],
    *,
    force: bool = False,
    password: str | None = None,
    jobs: int = 1,
    engine: Engine = DEFAULT_ENGINE,
    lock_timeout: float = 10.0,
    on_progress: ProgressFn | None = None,
    batch: int | None = None,
    limits: Limits | None = None,
    ocr: OcrMode = DEFAULT_OCR,
    metrics_file: str | os.PathLike[str] | None = None,
    pairs: Sequence[tuple[str, str]] = (),
) -> RunReport:
    """Extract, check and load letters into the warehouse, a batch of letters per transaction.

    `batch` and `limits` as for `check`. A file that exhausted a limit
    (memory, time) on an earlier run is not read again unless `force`: its
    bytes are known by their hash, and it is reported from its `rejects` row.
    `metrics_file`: the catalogue to key metrics with (default: metrics.toml
    beside the warehouse, else the shipped one); a catalogue other than the
    one the warehouse was keyed with re-keys every letter from its stored
    paragraphs. `pairs` as for `check`: a half whose other half has not come
    is recorded in `pending_halves` and paired when that half comes in a
    later run.
    """
    from . import load
    from .figures import resolve_catalogue

    started = time.perf_counter()
    scan = _scan_or_fail([*paths, *(p for pair in pairs for p in pair)])
    files = scan.files
    halves: list[Half] = []
    report = RunReport(left_out=scan.left_out)
    warehouse = str(warehouse)
    cat = resolve_catalogue(metrics_file, warehouse)
    with load.connect(warehouse, lock_timeout=lock_timeout) as con:
        load.sync_metrics(con, cat)
        seen = load.known_paths(con)
        known_docs = load.known_documents(con)
        stored = load.document_statuses(con)
        known_bad = {sha: why for sha, why in load.known_rejects(con).items() if _exhausted_a_limit(*why)}
    todo: list[_Job] = []
    stats: dict[str, tuple[int, int]] = {}
    done = 0

    def tick(path: str, outcome: str) -> None:
        nonlocal done
        done += 1
        if on_progress:
            on_progress(Progress(done, len(files), path, outcome))

    for path in files:
        try:
            size, mtime = load.file_fingerprint(path)
        except OSError as exc:
            report.rejects.append(_unreadable(path, exc))
            tick(path, "rejected")
            continue
        stats[path] = (size, mtime)
        known = seen.get(path)
        # Unchanged since the last run: decided without opening the file.
        if not force and known and known[1:] == (size, mtime):
            report.skipped.append(path)
            if stored.get(known[0]) == "mismatch":
                report.skipped_mismatches.append(path)
            tick(path, "skipped")
            continue
        sha = None
        if not force:
            sha = _sha256_of(path)
            if sha in known_docs:
                with load.connect(warehouse, lock_timeout=lock_timeout) as con:
                    load.add_path(con, sha, path, size, mtime)
                report.skipped.append(path)
                if stored.get(sha) == "mismatch":
                    report.skipped_mismatches.append(path)
                tick(path, "duplicate")
                continue
            if sha in known_bad:
                # Reading it again would cost a worker again.
                reason, detail = known_bad[sha]
                note = "; not read again (known from an earlier run; --force reads it)"
                reject = Reject(path, sha, reason, detail if note in detail else detail + note)  # type: ignore[arg-type]
                with load.connect(warehouse, lock_timeout=lock_timeout) as con:
                    load.record_reject(con, reject)
                report.rejects.append(reject)
                tick(path, "rejected")
                continue
        todo.append(_Job(path, sha))

    loaded_now: set[str] = set()
    with _Results(_batches(todo, jobs, password, engine, rows=True, size=batch, ocr=ocr), jobs, limits) as results:
        for result in results:
            # The lock is held while rows are written: this batch and any
            # that are ready by then; it is let go while workers read.
            written: list[tuple[Outcome, str]] = []
            with load.connect(warehouse, lock_timeout=lock_timeout) as con:
                written += _write_batch(con, result, stats, loaded_now)
                while results.ready():
                    written += _write_batch(con, next(results), stats, loaded_now)
            for res, outcome in written:
                if isinstance(res, Half):
                    halves.append(res)
                    tick(res.path, outcome)
                elif isinstance(res, Reject):
                    report.rejects.append(res)
                    tick(res.path, outcome)
                else:
                    if outcome == "loaded":
                        report.documents.append(res.slim())
                    else:
                        report.skipped.append(res.letter.path)
                    tick(res.letter.path, outcome)
    def read_again(path: str) -> Half | None:
        res, _ = _read_one(_Job(path), password, engine, ocr)
        return res if isinstance(res, Half) else None

    pairing.settle_in_warehouse(report, halves, pairs, stats, warehouse, lock_timeout, read_again, _read_pair)
    with load.connect(warehouse, lock_timeout=lock_timeout) as con:
        load.apply_catalogue(con, cat, [d.doc_id for d in report.documents])
    report.seconds = time.perf_counter() - started
    return report


def _write_batch(
    con: Any, batch: _BatchResult, stats: dict[str, tuple[int, int]], loaded_now: set[str]
) -> list[tuple[Outcome, str]]:
    """Write one batch: its new letters in one transaction, then second paths
    of letters already written and the rejects. Returns each letter's outcome."""
    from . import load

    outcomes: list[tuple[Outcome, str]] = []
    new: list[tuple[DocumentResult, int, int]] = []
    for res in batch.outcomes:
        if isinstance(res, Half):
            outcomes.append((res, "half"))  # paired once the run has read every file
        elif isinstance(res, Reject):
            outcomes.append((res, "rejected"))
        elif res.doc_id in loaded_now:
            # The same bytes under a second path in this run.
            outcomes.append((res, "duplicate"))
        else:
            loaded_now.add(res.doc_id)
            new.append((res, *stats[res.letter.path]))
            outcomes.append((res, "loaded"))
    if new:
        assert batch.frames is not None
        frames = batch.frames
        if len(frames["documents"]) != len(new):
            frames = load.frames_of(frames, [res.doc_id for res, _, _ in new])
        try:
            load.load_batch(con, new, frames)
        except load.InvalidRows:
            # Whole letters only: write them one by one, up to the one that breaks.
            for res, size, mtime in new:
                load.load_batch(con, [(res, size, mtime)], load.frames_of(frames, [res.doc_id]))
    for res, outcome in outcomes:
        if outcome == "rejected":
            load.record_reject(con, res)  # type: ignore[arg-type]
        elif outcome == "duplicate":
            assert isinstance(res, DocumentResult)
            load.add_path(con, res.doc_id, res.letter.path, *stats[res.letter.path])
    return outcomes


def _exhausted_a_limit(reason: str, detail: str) -> bool:
    """Whether a reject says the file cost its worker (memory or time), see etl.workers."""
    return reason == "too_large" and (detail.startswith(OUT_OF_MEMORY) or detail.startswith(TIME_LIMIT)
                                      or f": {OUT_OF_MEMORY}" in detail)


def _sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
