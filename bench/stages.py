"""Where an ingest's CPU goes: each pipeline stage timed around its own calls.

Runs the ingest's own worker and writer functions (`etl.batches._work`,
`etl.pipeline._write_batch`) in one process over a folder of letters, with
each stage's entry point wrapped by a timer that counts CPU time
(`time.process_time`) exclusively: a stage called from inside another one
pauses the outer stage's clock, so the shares add up to the whole. The
wrapping costs a few microseconds per call, on calls made per page or per
letter, never per glyph.

    python bench/stages.py FOLDER [--engine pdfium|pdfplumber] [--json]

bench/ingest.py runs it on its corpus (step `stages`). Prints CPU seconds and
the share of each stage, the per-letter cost, and what the same pages cost
bare pypdfium2 (text of every page, the floor no reader gets under).
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_CLOCK: list[str] = []  # stages open, innermost last
_SPENT: dict[str, float] = {}
_CALLS: dict[str, int] = {}
_MARK = [0.0]


def _switch(to: str | None, leave: bool = False) -> None:
    """Charge the time since the last switch to the innermost open stage."""
    now = time.process_time()
    if _CLOCK:
        _SPENT[_CLOCK[-1]] = _SPENT.get(_CLOCK[-1], 0.0) + now - _MARK[0]
    _MARK[0] = now
    if leave:
        _CLOCK.pop()
    elif to is not None:
        _CLOCK.append(to)


def _timed(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def gen(*args: Any, **kwargs: Any) -> Iterator[Any]:
            it = fn(*args, **kwargs)
            while True:
                # Each step of the generator is the stage's; what the caller
                # does with an item is not.
                _switch(stage)
                try:
                    item = next(it)
                except StopIteration:
                    return
                finally:
                    _switch(None, leave=True)
                _CALLS[stage] = _CALLS.get(stage, 0) + 1
                yield item

        return gen

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        _switch(stage)
        _CALLS[stage] = _CALLS.get(stage, 0) + 1
        try:
            return fn(*args, **kwargs)
        finally:
            _switch(None, leave=True)

    return call


# (stage, module, attribute): the name each stage's caller looks up.
STAGES = [
    ("read file, hash", "etl.batches", "read_one"),
    ("pdf: structure check (pdfminer)", "etl.extract.pdfium", "check_structure"),
    ("pdf: structure check (pdfminer)", "etl.extract.pdfplumber", "page_objects"),
    ("pdf: glyphs (pdfium)", "etl.extract.letter", "read_pages_pdfium"),
    ("pdf: glyphs (pdfplumber)", "etl.extract.letter", "read_pages"),
    ("pdf: drawn lines", "etl.extract.pdfium", "pdfium_rules"),
    ("pdf: drawn lines", "etl.extract.pdfplumber", "plumber_rules"),
    ("tables: find", "etl.extract.letter", "find_tables"),
    ("tables: join, tag", "etl.extract.letter", "letter_tables"),
    ("OCR", "etl.extract.ocr", "PageImages.ocr"),
    ("layout: lines, columns", "etl.extract.letter", "layout_pages"),
    ("paragraphs, language, metadata", "etl.batches", "read_letter"),
    ("figures: text", "etl.chain", "build_figures"),
    ("figures: table cells", "etl.chain", "build_cell_figures"),
    ("align: text", "etl.chain", "align"),
    ("align: tables", "etl.chain", "align_tables"),
    ("align: periods, keys", "etl.chain", "settle_pairs"),
    ("gate: pandera pair check", "etl.batches", "validate_pairs"),
    ("rows: frames", "etl.load", "batch_frames"),
    ("rows: pandera checks", "etl.load.frames", "validated"),
    ("warehouse: DuckDB write", "etl.load", "load_batch"),
    ("warehouse: DuckDB connect, close", "etl.load", "connect"),
]


def _install() -> None:
    import importlib

    import etl.load  # noqa: F401  (its exports are lazy: resolve them before wrapping)

    for stage, module_name, dotted in STAGES:
        owner: Any = importlib.import_module(module_name)
        *outer, attr = dotted.split(".")
        for name in outer:
            owner = getattr(owner, name)
        fn = getattr(owner, attr, None)
        if fn is None:
            # Left unwrapped, its time would go to the stage around it unseen.
            raise SystemExit(f"bench/stages.py: {module_name}.{dotted} is gone; update STAGES")
        if attr == "connect":
            fn = _timed_context(stage, fn)
        else:
            fn = _timed(stage, fn)
        setattr(owner, attr, fn)


def _timed_context(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """A context manager factory whose enter and exit are the stage's, not the block inside."""
    import contextlib

    @contextlib.contextmanager
    def wrapped(*args: Any, **kwargs: Any) -> Iterator[Any]:
        _switch(stage)
        try:
            cm = fn(*args, **kwargs)
            con = cm.__enter__()
        finally:
            _switch(None, leave=True)
        _CALLS[stage] = _CALLS.get(stage, 0) + 1
        try:
            yield con
        except BaseException:
            _switch(stage)
            try:
                if not cm.__exit__(*sys.exc_info()):
                    raise
            finally:
                _switch(None, leave=True)
        else:
            _switch(stage)
            try:
                cm.__exit__(None, None, None)
            finally:
                _switch(None, leave=True)

    return wrapped


def bare_pdfium(files: list[str]) -> float:
    """CPU seconds of pypdfium2 reading every page's text: the floor."""
    import pypdfium2 as pdfium

    t = time.process_time()
    for path in files:
        pdf = pdfium.PdfDocument(path)
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
        pdf.close()
    return time.process_time() - t


def run(folder: Path, engine: str = "pdfium", batch: int = 8) -> dict[str, Any]:
    """Ingest every PDF of `folder` into a new warehouse, stage by stage; CPU seconds per stage."""
    t0 = time.process_time()
    import etl.batches as batches
    import etl.pipeline as pipeline
    from etl import load

    imports = time.process_time() - t0
    files = sorted(str(p) for p in folder.rglob("*.pdf"))
    floor = bare_pdfium(files)
    _install()
    stats = {}
    for f in files:
        st = os.stat(f)
        stats[f] = (st.st_size, st.st_mtime_ns)
    with tempfile.TemporaryDirectory(prefix="kkru-stages-") as tmp:
        warehouse = str(Path(tmp) / "w.duckdb")
        with load.connect(warehouse) as con:  # the schema, before the clock starts
            pass
        loaded: set[str] = set()
        _SPENT.clear()
        _CALLS.clear()
        _MARK[0] = time.process_time()
        _CLOCK[:] = ["other"]
        start = time.process_time()
        for i in range(0, len(files), batch):
            jobs = tuple(batches.Job(f) for f in files[i : i + batch])
            result = batches._work(batches.Batch(jobs, None, engine, "auto", rows=True))  # type: ignore[arg-type]
            with load.connect(warehouse) as con:
                pipeline._write_batch(con, result, stats, loaded)
        _switch(None)
        total = time.process_time() - start
    pages = _pages(files)
    return {
        "letters": len(files),
        "pages": pages,
        "engine": engine,
        "imports_s": imports,
        "bare_pdfium_s": floor,
        "total_s": total,
        "stages": dict(sorted(_SPENT.items(), key=lambda kv: -kv[1])),
        "calls": dict(_CALLS),
    }


def _pages(files: list[str]) -> int:
    import pypdfium2 as pdfium

    n = 0
    for f in files:
        pdf = pdfium.PdfDocument(f)
        n += len(pdf)
        pdf.close()
    return n


def render(res: dict[str, Any]) -> str:
    total = res["total_s"]
    out = [
        f"{res['letters']} letters, {res['pages']} pages, engine {res['engine']}: "
        f"{total:.2f} s CPU in the stages ({1000 * total / max(res['letters'], 1):.0f} ms per letter), "
        f"{res['bare_pdfium_s']:.2f} s bare pypdfium2 ({total / max(res['bare_pdfium_s'], 1e-9):.1f}×); "
        f"imports {res['imports_s']:.2f} s once per process",
        "",
        f"{'stage':<36}{'CPU s':>8}{'share':>8}",
    ]
    for stage, s in res["stages"].items():
        out.append(f"{stage:<36}{s:>8.2f}{100 * s / total:>7.1f}%")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--engine", default="pdfium", choices=["pdfium", "pdfplumber"])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    res = run(args.folder, args.engine)
    print(json.dumps(res) if args.json else render(res))


if __name__ == "__main__":
    main()
