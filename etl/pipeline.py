"""The pipeline: chain the stages over many files and return a RunReport.

Extraction (the slow part, CPU-bound in the PDF parser) runs in worker
processes; a single writer in this process loads each letter in its own
transaction, so the warehouse is locked only while a letter's rows are written.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .align import align
from .errors import RejectedFile
from .extract import DEFAULT_ENGINE, Engine, extract_letter
from .figure_rows import build_figures
from .models import DocumentResult, Reject, RunReport
from .pdf_text import MAX_FILE_BYTES, too_large_detail
from .validate import validate_pairs


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
    letter = extract_letter(path, data, password=password, engine=engine, sha256=sha256)
    figures = build_figures(letter.sha256, letter.paragraphs, letter.meta.letter_date)
    if not figures:
        raise RejectedFile(path, "no_figures", "no figures found in either language")
    pairs = align(figures, letter.paragraphs)
    validate_pairs(pairs)
    return DocumentResult(letter=letter, figures=figures, pairs=pairs)


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
    password: str | None
    engine: Engine
    # Build and check the warehouse rows here, in the worker, so the single
    # writer only inserts.
    rows: bool = False
    # Known when the writer already hashed the file to look for duplicates.
    sha256: str | None = None


@dataclass
class _Loadable:
    result: DocumentResult
    frames: dict[str, Any]


def _work(job: _Job) -> DocumentResult | _Loadable | Reject:
    path = job.path
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            # Hashed in blocks: the file is never held in memory.
            return Reject(path, _sha256_of(path), "too_large", too_large_detail(size))
        data = Path(path).read_bytes()
    except OSError as exc:
        return Reject(path, None, "corrupt", f"cannot read file ({exc.strerror or exc})")
    sha = job.sha256 or hashlib.sha256(data).hexdigest()
    try:
        with _deadline(MAX_SECONDS_PER_FILE):
            result = process_bytes(path, data, password=job.password, engine=job.engine, sha256=sha)
            if not job.rows:
                return result
            from . import load

            return _Loadable(result, load.document_frames(result, size=len(data)))
    except RejectedFile as exc:
        return Reject(path, sha, exc.reason, exc.detail)
    except _FileTimeout:
        detail = f"reading took longer than {MAX_SECONDS_PER_FILE:.0f} s, the limit per file"
        return Reject(path, sha, "too_large", detail)
    except Exception as exc:
        # A bug in a stage costs this letter, not the whole run.
        where = traceback.extract_tb(exc.__traceback__)[-1]
        detail = (
            f"internal error ({type(exc).__name__}: {exc} at {Path(where.filename).name}:{where.lineno}); "
            "please report it with the file"
        )
        return Reject(path, sha, "internal_error", detail)


def _results(jobs_list: list[_Job], jobs: int) -> Iterator[DocumentResult | _Loadable | Reject]:
    if jobs <= 1 or len(jobs_list) <= 1:
        yield from map(_work, jobs_list)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # Results come back in input order, so output is identical whatever
        # `jobs` is; only a few letters are in flight at a time, so results
        # the writer has not taken yet cannot pile up in memory.
        window = 2 * jobs
        pending: deque[Future[DocumentResult | _Loadable | Reject]] = deque()
        items = iter(jobs_list)
        for job in itertools.islice(items, window):
            pending.append(pool.submit(_work, job))
        while pending:
            result = pending.popleft().result()
            for job in itertools.islice(items, 1):
                pending.append(pool.submit(_work, job))
            yield result


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def check(
    paths: Iterable[str | os.PathLike[str]],
    *,
    password: str | None = None,
    jobs: int = 1,
    engine: Engine = DEFAULT_ENGINE,
    on_progress: ProgressFn | None = None,
) -> RunReport:
    """Extract and check letters; write nothing."""
    started = time.perf_counter()
    files = find_pdfs(paths)
    report = RunReport()
    for done, res in enumerate(_results([_Job(f, password, engine) for f in files], jobs), start=1):
        if isinstance(res, Reject):
            report.rejects.append(res)
            outcome = "rejected"
        else:
            # check() never asks for rows, so no _Loadable comes back.
            assert not isinstance(res, _Loadable)
            report.documents.append(res)
            outcome = "checked"
        if on_progress:
            on_progress(Progress(done, len(files), res.path if isinstance(res, Reject) else res.letter.path, outcome))
    report.seconds = time.perf_counter() - started
    return report


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
) -> RunReport:
    """Extract, check and load letters into the warehouse, one transaction each."""
    from . import load

    started = time.perf_counter()
    files = find_pdfs(paths)
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
        todo.append(_Job(path, password, engine, rows=True, sha256=sha))

    loaded_now: set[str] = set()
    for item in _results(todo, jobs):
        if isinstance(item, Reject):
            res: DocumentResult | Reject = item
        elif isinstance(item, _Loadable):
            res, frames = item.result, item.frames
        else:
            res, frames = item, None
        if isinstance(res, Reject):
            with load.connect(warehouse, lock_timeout=lock_timeout) as con:
                load.record_reject(con, res)
            report.rejects.append(res)
            tick(res.path, "rejected")
            continue
        path = res.letter.path
        size, mtime = stats[path]
        with load.connect(warehouse, lock_timeout=lock_timeout) as con:
            if res.doc_id in loaded_now:
                # The same bytes under a second path in this run.
                load.add_path(con, res.doc_id, path, size, mtime)
                report.skipped.append(path)
                tick(path, "duplicate")
                continue
            load.load_document(con, res, size=size, mtime=mtime, frames=frames)
        loaded_now.add(res.doc_id)
        report.documents.append(res.slim())
        tick(path, "loaded")
    report.seconds = time.perf_counter() - started
    return report


def _sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
