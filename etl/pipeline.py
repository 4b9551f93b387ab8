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
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .align import align
from .errors import RejectedFile
from .extract import DEFAULT_ENGINE, Engine, OneLanguage, extract_letter
from .figures import build_figures
from .models import DocumentResult, Reject, RunReport
from . import pairing
from .pairing import Half
from .extract import MAX_FILE_BYTES, too_large_detail
from .validate import validate_pairs

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


def find_pdfs(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files named on the command line, and every file under named folders, sorted.

    Folders are searched for every file, not only *.pdf: a letter saved
    without its extension, or a broken download, must show up as a reject
    rather than vanish silently. Hidden files are left out.
    """
    found: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for sub in sorted(path.rglob("*")):
                if sub.is_file() and not any(part.startswith(".") for part in sub.relative_to(path).parts):
                    if sub.name.lower() in ("readme.md", "readme.txt", "readme"):
                        continue
                    found.append(str(sub))
        else:
            found.append(str(path))
    # A file named twice is read once.
    return list(dict.fromkeys(found))


def process_bytes(
    path: str,
    data: bytes,
    *,
    password: str | None = None,
    engine: Engine = DEFAULT_ENGINE,
    sha256: str | None = None,
) -> DocumentResult:
    """Extract, read figures, align and validate one letter (no warehouse)."""
    result = _read_letter(path, data, password=password, engine=engine, sha256=sha256)
    validate_pairs(result.pairs)
    return result


def _read_letter(
    path: str, data: bytes, *, password: str | None, engine: Engine, sha256: str | None
) -> DocumentResult:
    """Everything but the pandera check of the pairs, which a batch runs once for all its letters."""
    letter = extract_letter(path, data, password=password, engine=engine, sha256=sha256)
    figures = build_figures(letter.sha256, letter.paragraphs, letter.meta.letter_date)
    if not figures:
        raise RejectedFile(path, "no_figures", "no figures found in either language")
    return DocumentResult(letter=letter, figures=figures, pairs=align(figures, letter.paragraphs))


# Wall-clock budget for one file. Generous (the 22-page sample takes about
# 2 s): it only stops a file that would stall the run, e.g. nested forms the
# parser would redraw millions of times.
MAX_SECONDS_PER_FILE = 600.0


class _FileTimeout(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` in a stage swallows it."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the body after `seconds` (main thread on POSIX only; elsewhere no limit)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum: int, frame: object) -> None:
        raise _FileTimeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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


def _read_one(job: _Job, password: str | None, engine: Engine) -> tuple[Outcome, int]:
    """One letter's result (pairs not yet checked) or its reject; and the file's size."""
    path = job.path
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            # Hashed in blocks: the file is never held in memory.
            return Reject(path, _sha256_of(path), "too_large", too_large_detail(size)), size
        data = Path(path).read_bytes()
    except OSError as exc:
        return Reject(path, None, "corrupt", f"cannot read file ({exc.strerror or exc})"), 0
    sha = job.sha256 or hashlib.sha256(data).hexdigest()
    try:
        with _deadline(MAX_SECONDS_PER_FILE):
            return _read_letter(path, data, password=password, engine=engine, sha256=sha), len(data)
    except OneLanguage as exc:
        return Half(path, sha, len(data), exc.lang, exc.letter, exc.registration), len(data)
    except RejectedFile as exc:
        return Reject(path, sha, exc.reason, exc.detail), len(data)
    except _FileTimeout:
        detail = f"reading took longer than {MAX_SECONDS_PER_FILE:.0f} s, the limit per file"
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
    read = [_read_one(job, batch.password, batch.engine) for job in batch.jobs]
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
    jobs_list: list[_Job], jobs: int, password: str | None, engine: Engine, rows: bool, size: int | None
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
        _Batch(tuple(jobs_list[a:b]), password, engine, rows) for a, b in zip(bounds, bounds[1:]) if b > a
    ]


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the run that started it dies.

    A killed `etl ingest` (SIGKILL, OOM killer) cannot stop its workers; left
    alone they would wait for work forever, holding the run's stdout and
    stderr open, so whatever waits for the run's output would hang.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class _Results:
    """Batch results in input order; `ready()` says whether the next one can
    be taken without waiting, so the writer writes what is ready under one lock.

    With one job (or a single batch) the batches are read here, one after the
    other, so `--jobs 1` keeps to one core."""

    def __init__(self, batches: list[_Batch], jobs: int) -> None:
        self._batches = iter(batches)
        self._pending: deque[Future[_BatchResult]] = deque()
        self._pool: ProcessPoolExecutor | None = None
        if jobs > 1 and len(batches) > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=max(1, jobs), initializer=_exit_with_parent, initargs=(os.getpid(),)
            )
            # Only a few batches are in flight at a time, so results the
            # writer has not taken yet cannot pile up in memory.
            for batch in itertools.islice(self._batches, 2 * max(1, jobs)):
                self._pending.append(self._pool.submit(_work, batch))

    def __enter__(self) -> _Results:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def ready(self) -> bool:
        return bool(self._pending) and self._pending[0].done()

    def __iter__(self) -> Iterator[_BatchResult]:
        return self

    def __next__(self) -> _BatchResult:
        if self._pool is None:
            return _work(next(self._batches))
        if not self._pending:
            raise StopIteration
        result = self._pending.popleft().result()
        for batch in itertools.islice(self._batches, 1):
            self._pending.append(self._pool.submit(_work, batch))
        return result


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
    pairs: Sequence[tuple[str, str]] = (),
) -> RunReport:
    """Extract and check letters; write nothing.

    `batch` caps the letters a worker reads and checks together (default:
    up to MAX_BATCH, split evenly so that each worker gets four batches or more).
    `pairs` names (kk, ru) files that are one letter (see `pairing`); halves
    are paired by registration line too, and those left over are `waiting`.
    """
    started = time.perf_counter()
    files = find_pdfs([*paths, *(p for pair in pairs for p in pair)])
    report = RunReport()
    halves: list[Half] = []
    batches = _batches([_Job(f) for f in files], jobs, password, engine, rows=False, size=batch)
    done = 0
    with _Results(batches, jobs) as results:
        for res in (res for result in results for res in result.outcomes):
            done += 1
            if isinstance(res, Reject):
                report.rejects.append(res)
            elif isinstance(res, Half):
                halves.append(res)
            else:
                report.documents.append(res)
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
    pairs: Sequence[tuple[str, str]] = (),
) -> RunReport:
    """Extract, check and load letters into the warehouse, a batch of letters per transaction.

    `batch`: letters per worker batch, as for `check`; `pairs` as for
    `check`. A half whose other half has not come is recorded in
    `pending_halves` and paired when that half comes in a later run.
    """
    from . import load

    started = time.perf_counter()
    files = find_pdfs([*paths, *(p for pair in pairs for p in pair)])
    halves: list[Half] = []
    report = RunReport()
    warehouse = str(warehouse)
    with load.connect(warehouse, lock_timeout=lock_timeout) as con:
        load.sync_metrics(con)
        seen = load.known_paths(con)
        known_docs = load.known_documents(con)
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
            report.rejects.append(Reject(path, None, "corrupt", f"cannot read file ({exc.strerror or exc})"))
            tick(path, "rejected")
            continue
        stats[path] = (size, mtime)
        known = seen.get(path)
        # Unchanged since the last run: decided without opening the file.
        if not force and known and known[1:] == (size, mtime):
            report.skipped.append(path)
            tick(path, "skipped")
            continue
        sha = None
        if not force:
            sha = _sha256_of(path)
            if sha in known_docs:
                with load.connect(warehouse, lock_timeout=lock_timeout) as con:
                    load.add_path(con, sha, path, size, mtime)
                report.skipped.append(path)
                tick(path, "duplicate")
                continue
        todo.append(_Job(path, sha))

    loaded_now: set[str] = set()
    with _Results(_batches(todo, jobs, password, engine, rows=True, size=batch), jobs) as results:
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
        res, _ = _read_one(_Job(path), password, engine)
        return res if isinstance(res, Half) else None

    pairing.settle_in_warehouse(report, halves, pairs, stats, warehouse, lock_timeout, read_again, _read_pair)
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


def _sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
