"""Worker processes that read letters under limits the parser cannot slip past.

The parsers spend their time and memory inside native code (pdfium, zlib,
pdfminer's C-accelerated loops), where no Python signal or exception reaches.
So the limits are enforced from outside the code that reads a letter:

- memory: each worker sets its own address-space limit (RLIMIT_AS) to what it
  has mapped when it starts plus `max_memory`; an allocation past it fails,
  and the worker either turns it into a reject (MemoryError) or dies;
- time: the parent kills a worker whose current letter has run past
  `max_seconds` (SIGKILL, which native code cannot ignore).

A worker tells the parent which letter of its task it is on before it starts
each one, so when it dies or is killed the parent knows the one letter it
was on: the task comes back as `Lost(index, cause)`, and a new worker takes
the next task. The pool never forks while the caller holds the warehouse:
workers are started and replaced only inside `wait()`.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait as wait_any
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MiB = 1024 * 1024
# What one worker may allocate beyond what it maps at start. The 22-page
# sample needs about 110 MiB of it; 2 GiB leaves room for letters of hundreds
# of pages and refuses a bomb long before the machine swaps.
DEFAULT_MAX_MEMORY = 2048 * MiB
# Wall-clock budget for one letter. Generous (the 22-page sample takes about
# 2 s): it only stops a file that would stall the run.
DEFAULT_MAX_SECONDS = 600.0
# A worker that hit MemoryError outside a letter's reading exits with this code.
EXIT_OUT_OF_MEMORY = 97
# Words every reject of a letter that exhausted a limit carries; a re-run
# finds those letters by them (see pipeline.ingest).
OUT_OF_MEMORY = "out of memory"
TIME_LIMIT = "time limit"


@dataclass(frozen=True)
class Limits:
    max_memory: int = DEFAULT_MAX_MEMORY  # bytes, on top of the worker's start
    max_seconds: float = DEFAULT_MAX_SECONDS  # per letter


@dataclass(frozen=True)
class Lost:
    """A task whose worker died or was killed while on item `index` (None: between items)."""

    index: int | None
    cause: str  # one line, holding OUT_OF_MEMORY or TIME_LIMIT


# ------------------------------------------------------------ in the worker

_conn: Connection | None = None
_task_id = -1


def starting(index: int | None) -> None:
    """Tell the parent the worker begins item `index` of its task (None: the
    work after the items); restarts the item's clock. A no-op outside a worker."""
    if _conn is not None:
        _conn.send(("at", _task_id, index))


def mapped_bytes() -> int | None:
    """The address space this process has mapped (Linux), or None."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _warm_up() -> None:
    # Allocators that reserve address space on first use (pyarrow's mimalloc
    # reserves 1 GiB it never touches) do it now, inside the baseline, not
    # against the letter that happens to use them first.
    try:
        import pyarrow

        pyarrow.array([0])
    except Exception:
        pass


def cap_memory(max_memory: int) -> None:
    """Limit this process's address space to what it maps now plus `max_memory`."""
    import resource

    base = mapped_bytes()
    if base is None or not hasattr(resource, "RLIMIT_AS"):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = base + max_memory
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _exit_with_parent(parent: int) -> None:
    """End this worker when the run that started it dies (SIGKILL, OOM
    killer): left alone it would hold the run's stdout and stderr open."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _worker_main(conn: Connection, fn: Callable[[Any], Any], limits: Limits, parent: int) -> None:
    global _conn, _task_id
    # Ctrl-C reaches the whole process group; the parent decides, and ends us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the CLI's SIGTERM handler; the parent ends its
    # workers itself, so a worker simply dies on SIGTERM.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A worker that dies is reported by the parent, in one line: no dump of
    # its stack on stderr (pytest, for one, turns faulthandler on).
    faulthandler.disable()
    _exit_with_parent(parent)
    _warm_up()
    cap_memory(limits.max_memory)
    _conn = conn
    try:
        while True:
            try:
                msg = conn.recv()
            except EOFError:
                return
            if msg is None:
                return
            _task_id, task = msg
            try:
                result = fn(task)
            except MemoryError:
                os._exit(EXIT_OUT_OF_MEMORY)
            conn.send(("done", _task_id, result))
    except MemoryError:
        os._exit(EXIT_OUT_OF_MEMORY)
    except (BrokenPipeError, EOFError, KeyboardInterrupt):
        return


# ------------------------------------------------------------ in the parent


class Ticket(Generic[R]):
    """A submitted task; `result` is the task's value or a `Lost`."""

    def __init__(self, task: Any) -> None:
        self.task = task
        self.result: R | Lost | None = None
        self.finished = False


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ticket: Ticket[Any] | None = None
    index: int | None = None
    since: float = 0.0


def _death_cause(exitcode: int | None, limits: Limits) -> str:
    cap = f"{limits.max_memory // MiB} MiB"
    if exitcode == EXIT_OUT_OF_MEMORY:
        return f"{OUT_OF_MEMORY}: reading it needed more than the {cap} a worker may use (--max-memory)"
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the reading process died ({name}): {OUT_OF_MEMORY} (the cap is {cap}, --max-memory) or a parser crash"
    return f"the reading process ended (exit {exitcode}): {OUT_OF_MEMORY} (the cap is {cap}, --max-memory) or a parser crash"


class Pool(Generic[T, R]):
    """`jobs` worker processes running `fn(task)` under `limits`, tasks in submission order."""

    def __init__(self, fn: Callable[[T], R], jobs: int, limits: Limits) -> None:
        self._fn = fn
        self._jobs = max(1, jobs)
        self._limits = limits
        self._ctx = multiprocessing.get_context()
        self._workers: list[_Worker] = []
        self._queue: deque[Ticket[R]] = deque()
        self._ids = 0
        self._tickets: dict[int, Ticket[R]] = {}

    def submit(self, task: T) -> Ticket[R]:
        ticket: Ticket[R] = Ticket(task)
        self._queue.append(ticket)
        return ticket

    def done(self, ticket: Ticket[R]) -> bool:
        """Whether `ticket` is finished, looking at what the workers sent; never forks."""
        if not ticket.finished:
            self._step(0.0, spawn=False)
        return ticket.finished

    def wait(self, ticket: Ticket[R]) -> R | Lost:
        while not ticket.finished:
            self._step(0.5, spawn=True)
        assert ticket.result is not None
        return ticket.result

    def close(self) -> None:
        """End every worker: idle ones are asked to stop, busy ones killed."""
        for w in self._workers:
            try:
                if w.ticket is None:
                    w.conn.send(None)
                else:
                    w.process.kill()
            except (OSError, ValueError):
                pass
        for w in self._workers:
            w.process.join(5)
            if w.process.exitcode is None:
                w.process.kill()
                w.process.join()
            w.conn.close()
        self._workers = []

    def __enter__(self) -> Pool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --------------------------------------------------------------- internals

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._ctx.Pipe()
        process = self._ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(child_end, self._fn, self._limits, os.getpid()), daemon=True
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self._workers.append(worker)
        return worker

    def _assign(self, spawn: bool) -> None:
        while self._queue:
            idle = next((w for w in self._workers if w.ticket is None), None)
            if idle is None:
                if not spawn or len(self._workers) >= self._jobs:
                    return
                idle = self._spawn()
            ticket = self._queue.popleft()
            self._ids += 1
            self._tickets[self._ids] = ticket
            try:
                idle.conn.send((self._ids, ticket.task))
            except (OSError, ValueError):
                # Died while idle: the task goes back, the worker is buried below.
                self._queue.appendleft(ticket)
                self._bury(idle, None)
                continue
            idle.ticket, idle.index, idle.since = ticket, None, time.monotonic()

    def _finish(self, ticket: Ticket[R], result: R | Lost) -> None:
        ticket.result, ticket.finished = result, True
        for key, t in list(self._tickets.items()):
            if t is ticket:
                del self._tickets[key]

    def _bury(self, worker: _Worker, cause: str | None) -> None:
        """Take away a dead (or killed) worker; its task, if any, comes back Lost."""
        worker.process.join(5)
        if cause is None:
            cause = _death_cause(worker.process.exitcode, self._limits)
        if worker.ticket is not None:
            self._finish(worker.ticket, Lost(worker.index, cause))
        worker.conn.close()
        self._workers.remove(worker)

    def _read(self, worker: _Worker) -> bool:
        """Take one message from `worker`; False when it is gone."""
        try:
            kind, task_id, value = worker.conn.recv()
        except (EOFError, OSError):
            return False
        ticket = self._tickets.get(task_id)
        if ticket is None or ticket is not worker.ticket:
            return True
        assert ticket is not None
        if kind == "at":
            worker.index, worker.since = value, time.monotonic()
        else:
            self._finish(ticket, value)
            worker.ticket, worker.index = None, None
        return True

    def _step(self, timeout: float, spawn: bool) -> None:
        self._assign(spawn)
        busy = [w for w in self._workers if w.ticket is not None]
        if not busy:
            return
        now = time.monotonic()
        deadline = min(w.since for w in busy) + self._limits.max_seconds
        waits: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = wait_any(waits, timeout=max(0.0, min(timeout, deadline - now)))
        for w in busy:
            if w.conn in ready:
                while w.conn.poll():
                    if not self._read(w):
                        break
                    if w.ticket is None:
                        break
            if w.process.sentinel in ready or not w.process.is_alive():
                # Whatever it sent before it died counts.
                while w.ticket is not None and w.conn.poll():
                    if not self._read(w):
                        break
                if w.ticket is None and w.process.exitcode is None:
                    continue
                self._bury(w, None)
        now = time.monotonic()
        for w in [w for w in self._workers if w.ticket is not None]:
            if now - w.since > self._limits.max_seconds:
                w.process.kill()
                limit = f"{self._limits.max_seconds:g} s"
                self._bury(w, f"{TIME_LIMIT}: reading it took longer than {limit}, the limit per file")
        self._assign(spawn)
