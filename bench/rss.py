"""Peak memory of a child process and of the whole tree it starts (Linux).

`ru_maxrss` from wait4 is the peak of the *largest single* process among the
child and the descendants it waited for, not their sum: `etl check --jobs 2`
is a main process and two workers alive at once, so the tree's peak is
sampled from /proc while the command runs.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    seconds: float
    exit_code: int
    # Largest sum of the RSS of the child and all its descendants seen at one sample.
    tree_peak_mb: float
    # ru_maxrss: the peak of the largest single process of the tree.
    process_peak_mb: float
    stderr: str
    # Bytes the child wrote on stdout, when asked to count them.
    stdout_bytes: int = 0
    # User + system seconds of the child and the descendants it waited for.
    cpu_seconds: float = 0.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text()
            found += [int(c) for c in text.split()]
    except OSError:
        pass
    return found


def _rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0  # the process ended between listing and reading


def tree_rss(pid: int) -> int:
    """RSS of `pid` and all its descendants now, in bytes (shared pages counted in each)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_bytes(p)
        todo += _children(p)
    return total


def run_measured(
    argv: list[str], *, stdout: int | IO[bytes] = subprocess.DEVNULL, count_stdout: bool = False, every: float = 0.05
) -> Measured:
    """Run argv to its end; wall time, exit code, peak RSS of its tree and of its largest process.

    `count_stdout` reads the child's stdout here and counts its bytes
    (keeping none), instead of sending it to `stdout`.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE if count_stdout else stdout, stderr=subprocess.PIPE)
    written = 0

    def count() -> None:
        nonlocal written
        assert proc.stdout is not None
        while block := proc.stdout.read(1 << 20):
            written += len(block)

    counter = threading.Thread(target=count, daemon=True) if count_stdout else None
    if counter:
        counter.start()
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            done.wait(every)

    # stderr is read while the child runs, so a chatty child never blocks on a full pipe.
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stderr.read() if proc.stderr else b""), daemon=True)
    sampler = threading.Thread(target=sample, daemon=True)
    reader.start()
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    reader.join()
    if counter:
        counter.join()
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        seconds=seconds,
        exit_code=proc.returncode,
        tree_peak_mb=peak / 2**20,
        # ru_maxrss is in KiB on Linux.
        process_peak_mb=usage.ru_maxrss / 1024,
        stderr=b"".join(chunks).decode(errors="replace"),
        stdout_bytes=written,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
    )
