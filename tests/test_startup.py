"""Start-up: a command imports only what it uses.

`etl --help`, `etl --version` and `etl sql` are what CI jobs and analysts run
most often and should start in a fraction of a second: they never import
pandas, pandera or the PDF engines. `etl check` writes nothing, so it never
imports the warehouse writer. Each case runs in a fresh interpreter, since
the test session itself has imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "pandera", "pyarrow", "pdfplumber", "pdfminer", "pypdfium2", "etl.pipeline", "etl.load.writer")

PROBE = """
import json, sys
from etl.cli import main
try:
    main({args!r}, standalone_mode=True)
except SystemExit as exc:
    code = exc.code
print(json.dumps({{"code": code, "modules": sorted(m for m in sys.modules if m.split(".")[0] in
    ("pandas", "pandera", "pyarrow", "pdfplumber", "pdfminer", "pypdfium2", "duckdb", "etl", "rich"))}}))
"""


def imported_by(*args: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args))], capture_output=True, text=True, timeout=120
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["code"], set(result["modules"])


def loaded(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["sql", "--help"], ["check", "--help"]])
def test_help_and_version_import_nothing_heavy(args: list[str]) -> None:
    code, modules = imported_by(*args)
    assert code == 0
    assert [name for name in HEAVY if loaded(modules, name)] == []
    assert not loaded(modules, "duckdb") and not loaded(modules, "rich")


@pytest.mark.slow
def test_sql_needs_duckdb_only(sample_warehouse: Path) -> None:
    code, modules = imported_by("sql", "--format", "csv", "-w", str(sample_warehouse), "SELECT count(*) FROM documents")
    assert code == 0
    assert loaded(modules, "duckdb")
    assert [name for name in HEAVY if loaded(modules, name)] == []
    # A CSV export needs no console and no worker pool (multiprocessing).
    assert not loaded(modules, "rich") and not loaded(modules, "etl.workers")


@pytest.mark.slow
def test_check_never_imports_the_writer(sample_pdf: Path) -> None:
    code, modules = imported_by("check", "--jobs", "1", "--format", "json", str(sample_pdf))
    assert code == 0
    # Letters are read in a worker process, so the PDF engines load there.
    assert loaded(modules, "etl.pipeline")
    assert not loaded(modules, "etl.load.writer") and not loaded(modules, "duckdb")


@pytest.mark.slow
def test_a_letter_with_a_text_layer_never_imports_tesseract(sample_pdf: Path) -> None:
    # OCR is asked for only by a page without text: finding out whether it
    # is installed imports Tesseract, which such a letter never needs.
    probe = (
        "import sys; from etl.extract import extract_letter; p = sys.argv[1]; "
        "letter = extract_letter(p, open(p, 'rb').read()); "
        "print(len(letter.paragraphs), 'tesserocr' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(sample_pdf)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    paragraphs, imported = done.stdout.split()
    assert int(paragraphs) > 0
    assert imported == "False"
