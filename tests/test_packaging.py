"""The wheel carries everything the installed command needs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (whl,) = out.glob("kkru_etl-*.whl")
    return whl


def test_wheel_ships_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "etl/cli.py",
        "etl/py.typed",
        "etl/figures/__init__.py",
        "etl/fixtures/sample_letter.txt",
        "schemas/__init__.py",
        "schemas/warehouse.sql",
        "schemas/metrics.toml",
        "schemas/pairs.py",
        "schemas/tables.py",
    ):
        assert needed in names, needed
    assert not any(n.startswith("tests/") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "etl = etl.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_runs(wheel, tmp_path):
    # Unpacked next to nothing but the dependencies, the command still finds
    # its SQL and catalogue: they are read as package resources.
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import etl.load.warehouse, etl.figures.metrics; "
        "assert 'CREATE TABLE documents' in etl.load.warehouse.schema_sql(); "
        "assert etl.figures.metrics.catalogue().metrics; "
        "assert etl.__file__.startswith(sys.argv[1]), etl.__file__"
    )
    subprocess.run([sys.executable, "-c", code, str(target)], check=True, cwd=tmp_path)


def test_installed_wheel_reads_a_catalogue_beside_the_warehouse(wheel, tmp_path):
    # After a normal install the shipped catalogue is inside the package; a
    # user's metrics.toml beside the warehouse names series all the same.
    from etl.fixtures.render import render_pdf
    from tests.ministries import ministry_letters

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    raw = tmp_path / "raw"
    raw.mkdir()
    letter = next(m for m in ministry_letters() if m.ministry == "education")
    render_pdf(letter.doc, raw / letter.name)
    warehouse = tmp_path / "w" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    (warehouse.parent / "metrics.toml").write_text(
        '[[series]]\nmetric = "new_schools"\nseries = ["новый_школа/построить"]\n', encoding="utf-8"
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import etl; "
        "assert etl.__file__.startswith(sys.argv[1]), etl.__file__; "
        "from etl.cli import main; main(sys.argv[2:])"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(target), "ingest", str(raw), "-w", str(warehouse), "-j", "1"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT value FROM trends WHERE metric = 'new_schools'").fetchall() == [(217.0,)]
