"""The pipeline: chain the stages over many files and return a RunReport.

Extraction (the slow part, CPU-bound) runs in worker processes, a few letters
per batch, each batch's figure pairs and rows checked by pandera at once; a
single writer in this process loads the batches in input order, whole letters
per transaction, and holds the warehouse only while it writes, never while it
waits for the workers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import RejectedFile
from .extract import DEFAULT_ENGINE, DEFAULT_OCR, Engine, OcrMode
from .models import DocumentResult, FigurePair, Reject, RunReport
from . import pairing
from .pairing import Half
from .validate import validate_pairs
from .workers import OUT_OF_MEMORY, TIME_LIMIT, Limits
from .batches import BatchResult, Job, Outcome, Results, batches_of, internal_error, read_letter, read_one, sha256_of, unreadable
from .scan import scan_or_fail


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    path: str
    outcome: str  # "loaded", "checked", "skipped", "rejected", "duplicate"


ProgressFn = Callable[[Progress], None]


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
    result = read_letter(path, data, password=password, engine=engine, sha256=sha256, ocr=ocr)
    validate_pairs(result.pairs)
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
    slim: bool = False,
    limits: Limits | None = None,
    ocr: OcrMode = DEFAULT_OCR,
    pairs: Sequence[tuple[str, str]] = (),
    case_name: Callable[[FigurePair], str] | None = None,
) -> RunReport:
    """Extract and check letters; write nothing.

    `batch` caps the letters a worker reads and checks together (default:
    up to MAX_BATCH, split evenly so that each worker gets four batches or more).
    `slim` keeps of each letter only its metadata, counts and findings (with
    their sentences and page boxes), not its paragraphs and matching pairs:
    what every report but `etl show` needs; with `case_name` also the name it
    gives each matching pair (`DocumentResult.cases`), which is all JUnit's
    test case per pair needs of it. So a run's memory stays flat in the
    number of letters whatever the report.
    `limits`: each worker's memory cap and each letter's time limit.
    `pairs` names (kk, ru) files that are one letter (see `pairing`); halves
    are paired by registration line too, and those left over are `waiting`.
    """
    started = time.perf_counter()
    scan = scan_or_fail([*paths, *(p for pair in pairs for p in pair)])
    files = scan.files
    report = RunReport(left_out=scan.left_out)
    halves: list[Half] = []
    batches = batches_of([Job(f) for f in files], jobs, password, engine, rows=False, size=batch, ocr=ocr)
    done = 0
    with Results(batches, jobs, limits) as results:
        for res in (res for result in results for res in result.outcomes):
            done += 1
            if isinstance(res, Reject):
                report.rejects.append(res)
            elif isinstance(res, Half):
                halves.append(res)
            else:
                report.documents.append(res.slim(case_name) if slim else res)
            if on_progress:
                outcome = "rejected" if isinstance(res, Reject) else "half" if isinstance(res, Half) else "checked"
                path = res.letter.path if isinstance(res, DocumentResult) else res.path
                on_progress(Progress(done, len(files), path, outcome))
    matched, left, refused = pairing.match_halves(halves, list(pairs))
    report.rejects.extend(refused)
    for pair in matched:
        res2 = _read_pair(pair)
        if isinstance(res2, Reject):
            report.rejects.append(res2)
        else:
            report.documents.append(res2.slim(case_name) if slim else res2)
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
        return internal_error(pair.kk.path, pair.kk.sha256, exc)


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
    warehouse = str(warehouse)
    # A bad catalogue file is named before anything else is looked at.
    cat = resolve_catalogue(metrics_file, warehouse)
    scan = scan_or_fail([*paths, *(p for pair in pairs for p in pair)])
    files = scan.files
    halves: list[Half] = []
    report = RunReport(left_out=scan.left_out)
    with load.connect(warehouse, lock_timeout=lock_timeout) as con:
        load.sync_metrics(con, cat)
        seen = load.known_paths(con)
        known_docs = load.known_documents(con)
        stored = load.document_statuses(con)
        known_bad = {sha: why for sha, why in load.known_rejects(con).items() if _exhausted_a_limit(*why)}
    todo: list[Job] = []
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
            report.rejects.append(unreadable(path, exc))
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
            sha = sha256_of(path)
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
        todo.append(Job(path, sha))

    loaded_now: set[str] = set()
    with Results(batches_of(todo, jobs, password, engine, rows=True, size=batch, ocr=ocr), jobs, limits) as results:
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
        res, _ = read_one(Job(path), password, engine, ocr)
        return res if isinstance(res, Half) else None

    pairing.settle_in_warehouse(report, halves, pairs, stats, warehouse, lock_timeout, read_again, _read_pair)
    with load.connect(warehouse, lock_timeout=lock_timeout) as con:
        load.apply_catalogue(con, cat, [d.doc_id for d in report.documents])
    report.seconds = time.perf_counter() - started
    return report


def _write_batch(
    con: Any, batch: BatchResult, stats: dict[str, tuple[int, int]], loaded_now: set[str]
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


