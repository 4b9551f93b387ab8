"""The options several commands share, and the values they parse to.

Kept apart from the commands (etl/cli.py) so each command's signature reads
as a list of what it takes; nothing here prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from .models import DEFAULT_ENGINE, DEFAULT_OCR, ENGINES, OCR_MODES

if TYPE_CHECKING:
    from .workers import Limits

DEFAULT_WAREHOUSE = "warehouse/warehouse.duckdb"


def warehouse_option(help: str | None = None) -> Any:
    """--warehouse/-w: the DuckDB file a command reads (or, for ingest, loads)."""
    return click.option(
        "--warehouse", "-w", default=DEFAULT_WAREHOUSE, show_default=True, type=click.Path(dir_okay=False), help=help
    )


pair_option = click.option(
    "--pair",
    "pairs",
    nargs=2,
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    metavar="KK.pdf RU.pdf",
    help="A Kazakh-only and a Russian-only file that are one letter (repeatable).",
)


def need_paths(paths: tuple[str, ...], pairs: tuple[tuple[str, str], ...]) -> None:
    if not paths and not pairs:
        raise click.UsageError("give at least one PATH or --pair KK.pdf RU.pdf")


jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for extraction [default: number of CPUs].",
)
engine_option = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="PDF parser: pdfium (pypdfium2, several times faster) or pdfplumber (pdfminer); both give the same results.",
)


class Size(click.ParamType):
    """A memory size: 2G, 1.5G, 512M, or plain MiB (512)."""

    name = "SIZE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B").removesuffix("I")
        scale = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}.get(text[-1:], 1024**2)
        number = text[:-1] if text[-1:] in "KMGT" else text
        try:
            size = int(float(number) * scale)
        except ValueError:
            self.fail(f"{value!r} is not a size such as 2G or 512M", param, ctx)
        if size < 64 * 1024**2:
            self.fail(f"{value!r} is below 64M, too little to read any letter", param, ctx)
        return size


def limits_of(max_memory: int) -> Limits:
    # The worker pool (multiprocessing) is imported by the commands that start
    # one, not by `etl sql` or `etl --help`.
    from .workers import Limits

    return Limits(max_memory=max_memory)


max_memory_option = click.option(
    "--max-memory",
    type=Size(),
    default="2G",
    show_default=True,
    help="Memory each worker may take on top of its start (2G, 512M...); a letter needing more is rejected.",
)


ocr_option = click.option(
    "--ocr",
    type=click.Choice(OCR_MODES),
    default=DEFAULT_OCR,
    show_default=True,
    help="Read pages by OCR (Tesseract, kaz+rus): auto = pages without a text layer, always = every page, never.",
)


password_option = click.option(
    "--password", default=None, help="Password for encrypted PDFs (the same for every file of the run)."
)
