"""Shared fixtures: the sample letter rendered once per layout and producer."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.fixtures.letter import LetterDoc, load_sample
from etl.fixtures.render import render_pdf

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
RENDERINGS = [
    ("one_column", "fpdf2"),
    ("one_column", "reportlab"),
    ("two_column", "fpdf2"),
    ("two_column", "reportlab"),
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files under tests/golden/ from the current output (review the diff).",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def sample_doc() -> LetterDoc:
    return load_sample()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, sample_doc: LetterDoc) -> dict[tuple[str, str], Path]:
    """The sample letter as PDF, one file per (layout, backend)."""
    out = tmp_path_factory.mktemp("rendered")
    return {
        (layout, backend): render_pdf(sample_doc, out / f"sample-{layout}-{backend}.pdf", layout=layout, backend=backend)
        for layout, backend in RENDERINGS
    }


@pytest.fixture(scope="session")
def sample_pdf() -> Path:
    return ROOT / "raw" / "mvd-2017-11-13-2914-D.pdf"


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory, sample_pdf: Path) -> Path:
    """A warehouse holding the bundled sample letter, built once (treat as read-only)."""
    from etl.pipeline import ingest

    path = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    report = ingest([sample_pdf], path, jobs=1)
    assert report.exit_code == 0, report
    return path
