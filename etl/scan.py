"""What a run is given: the letters in the paths, and the files left out.

A folder gives files named `*.pdf` (any case) and files without an extension
that start like a PDF; everything else is left out and counted, and a
broken symbolic link is named, never skipped silently."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import NoLetters


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


def scan_or_fail(paths: Iterable[str | os.PathLike[str]]) -> Scan:
    names = [os.fspath(p) for p in paths]
    scan = scan_paths(names)
    if not scan.files:
        others = f"; {len(scan.left_out)} other file(s) left out" if scan.left_out else ""
        raise NoLetters(f"no PDF found in {', '.join(names)}{others}")
    return scan
