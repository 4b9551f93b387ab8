"""Command line: parse options, call the library, format what it returns.

This is the only module that prints or exits. Progress and messages go to
stderr; stdout carries the result (tables, JSON, JUnit XML, CSV) so it can be
piped.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import pipeline, report
from .errors import BadQuery, EtlError, WarehouseLocked
from .extract import DEFAULT_ENGINE, ENGINES
from .models import RunReport

DEFAULT_WAREHOUSE = "warehouse/warehouse.duckdb"
# Exit codes; 1 (mismatch) and 3 (rejected file) come from RunReport.exit_code.
EXIT_USAGE = 2
EXIT_ERROR = 4

# Piped output is for files and other programs: don't squeeze tables to 80 columns.
out = Console(width=None if sys.stdout.isatty() else 240)
err = Console(stderr=True)


def _fail(message: str, code: int) -> NoReturn:
    # One line whatever the terminal width: CI logs are grepped line by line.
    err.print(f"[bold red]etl:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    sys.exit(code)


def _guard(debug: bool, fn: Callable[[], int]) -> NoReturn:
    """Run a command body; turn library errors into one line and an exit code."""
    try:
        code = fn()
    except WarehouseLocked as exc:
        _fail(str(exc), EXIT_ERROR)
    except BadQuery as exc:
        _fail(str(exc), EXIT_USAGE)
    except EtlError as exc:
        if debug:
            traceback.print_exc()
        _fail(str(exc), EXIT_ERROR)
    except KeyboardInterrupt:
        _fail("interrupted; letters already loaded are complete, the rest will load on the next run", 130)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        _fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", EXIT_ERROR)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kkru-etl", prog_name="etl")
@click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """kkru-etl: bilingual (Kazakh + Russian) ministry letters in PDF -> checked figures -> DuckDB.

    \b
    etl ingest raw/            extract, check and load letters into the warehouse
    etl check raw/             check kk/ru figures only (for CI), no writes
    etl show LETTER.pdf        the aligned kk | ru figures of one letter
    etl sql "SELECT ..."       read-only query against the warehouse
    etl trends [METRIC]        a metric by period, from the trends view

    Exit codes: 0 clean; 1 a kk/ru mismatch was found; 2 usage error or bad
    query; 3 some file was rejected (and no mismatch); 4 the warehouse is
    locked or another error.
    """
    ctx.obj = {"debug": debug}
    # The modules imported so far are never garbage. Moving them out of the
    # collector's sight makes every collection during PDF parsing, which
    # allocates millions of objects, cheaper: about 12 % off an ingest.
    # Worker processes forked later inherit it.
    gc.collect()
    gc.freeze()


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}", style="dim"),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _run_with_progress(label: str, run: Callable[[pipeline.ProgressFn], RunReport]) -> RunReport:
    with _progress_bar() as bar:
        task = bar.add_task(label, total=None, current="")

        def on_progress(p: pipeline.Progress) -> None:
            bar.update(task, total=p.total, completed=p.done, current=Path(p.path).name)

        return run(on_progress)


def _print_rejects(rep: RunReport) -> None:
    for r in rep.rejects:
        err.print(f"[yellow]rejected[/] {escape(r.path)}: {escape(r.detail)}", highlight=False, soft_wrap=True)


_pair_option = click.option(
    "--pair",
    "pairs",
    nargs=2,
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    metavar="KK.pdf RU.pdf",
    help="A Kazakh-only and a Russian-only file that are one letter (repeatable).",
)


def _need_paths(paths: tuple[str, ...], pairs: tuple[tuple[str, str], ...]) -> None:
    if not paths and not pairs:
        raise click.UsageError("give at least one PATH or --pair KK.pdf RU.pdf")


def _print_waiting(rep: RunReport) -> None:
    for w in rep.waiting:
        err.print(f"[cyan]waiting[/] {escape(w.line)}", highlight=False, soft_wrap=True)


_jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for extraction [default: number of CPUs].",
)
_engine_option = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="PDF parser: pdfium (pypdfium2, several times faster) or pdfplumber (pdfminer); both give the same results.",
)
_password_option = click.option(
    "--password", default=None, help="Password for encrypted PDFs (the same for every file of the run)."
)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--warehouse",
    "-w",
    default=DEFAULT_WAREHOUSE,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="DuckDB file to load (created if missing).",
)
@click.option("--force", is_flag=True, help="Reload letters even when they are unchanged since the last run.")
@_password_option
@_jobs_option
@_engine_option
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    help="Seconds to wait while another process holds the warehouse.",
)
@_pair_option
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    warehouse: str,
    force: bool,
    password: str | None,
    jobs: int | None,
    engine: str,
    lock_timeout: float,
    pairs: tuple[tuple[str, str], ...],
) -> None:
    """Extract, check and load letters (PDF files or folders of them) into the warehouse.

    Each letter is loaded in one transaction keyed by the SHA-256 of its bytes:
    re-runs skip unchanged files, a killed run leaves only whole letters.
    Letters whose kk and ru figures disagree are loaded all the same, with
    status 'mismatch', and the run exits 1.
    """

    def body() -> int:
        rep = _run_with_progress(
            "ingest",
            lambda cb: pipeline.ingest(
                paths,
                warehouse,
                force=force,
                password=password,
                jobs=jobs or pipeline.default_jobs(),
                engine=engine,  # type: ignore[arg-type]
                lock_timeout=lock_timeout,
                on_progress=cb,
                pairs=pairs,
            ),
        )
        for doc in rep.documents:
            if doc.findings:
                out.print(report.findings_table(doc))
        _print_rejects(rep)
        _print_waiting(rep)
        out.print(_summary_table(rep, warehouse))
        return rep.exit_code

    _need_paths(paths, pairs)
    _guard(ctx.obj["debug"], body)


def _summary_table(rep: RunReport, warehouse: str | None) -> Table:
    table = Table(title="kkru-etl ingest" if warehouse else "kkru-etl check", show_header=True)
    for col in ("letters", "pages", "paragraphs", "figures", "findings", "skipped", "rejected", "time"):
        table.add_column(col, justify="right")
    table.add_row(
        str(len(rep.documents)),
        str(sum(d.letter.pages for d in rep.documents)),
        str(sum(d.n_paragraphs for d in rep.documents)),
        str(sum(d.n_figures for d in rep.documents)),
        str(len(rep.findings)),
        str(len(rep.skipped)),
        str(len(rep.rejects)),
        f"{rep.seconds:.1f} s",
    )
    if warehouse:
        table.caption = f"warehouse: {warehouse}"
    return table


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit", "github"]),
    default="text",
    show_default=True,
    help="Report format on stdout.",
)
@_password_option
@_jobs_option
@_engine_option
@_pair_option
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    password: str | None,
    jobs: int | None,
    engine: str,
    pairs: tuple[tuple[str, str], ...],
) -> None:
    """Check that every figure agrees between the kk and ru text; write nothing.

    Exits 1 on any disagreement, 3 when a file was rejected (and no
    disagreement), 0 when clean. The text report shows both surfaces, both
    sentences and their pages; json, junit and github are for CI.
    """

    def body() -> int:
        rep = _run_with_progress(
            "check",
            lambda cb: pipeline.check(
                paths,
                password=password,
                jobs=jobs or pipeline.default_jobs(),
                engine=engine,  # type: ignore[arg-type]
                on_progress=cb,
                pairs=pairs,
            ),
        )
        if fmt == "json":
            click.echo(report.to_json(rep))
        elif fmt == "junit":
            click.echo(report.to_junit(rep))
        elif fmt == "github":
            text = report.to_github(rep)
            if text:
                click.echo(text)
        else:
            out.print(report.text_report(rep))
        if fmt != "github":
            _print_rejects(rep)
            _print_waiting(rep)
        return rep.exit_code

    _need_paths(paths, pairs)
    _guard(ctx.obj["debug"], body)


@main.command()
@click.argument("letter", type=click.Path(exists=True, dir_okay=False))
@_password_option
@_engine_option
@click.option("--all/--findings", "show_all", default=True, help="Show every pair, or only the findings.")
@click.pass_context
def show(ctx: click.Context, letter: str, password: str | None, engine: str, show_all: bool) -> None:
    """Show a letter's aligned figures side by side (kk | ru | status)."""

    def body() -> int:
        rep = pipeline.check([letter], password=password, jobs=1, engine=engine)  # type: ignore[arg-type]
        _print_rejects(rep)
        for doc in rep.documents:
            m = doc.letter.meta
            out.print(
                f"[bold]{doc.letter.path}[/]  № {m.outgoing_no or '—'} of {m.letter_date or '—'}, "
                f"answering {m.inquiry_no or '—'} of {m.inquiry_date or '—'}; {doc.letter.pages} pages",
                highlight=False,
            )
            out.print(report.pairs_table(doc) if show_all else report.findings_table(doc))
        return rep.exit_code

    _guard(ctx.obj["debug"], body)


@main.command()
@click.argument("query")
@click.option(
    "--warehouse", "-w", default=DEFAULT_WAREHOUSE, show_default=True, type=click.Path(dir_okay=False)
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
@click.pass_context
def sql(ctx: click.Context, query: str, warehouse: str, fmt: str) -> None:
    """Run a read-only SQL QUERY against the warehouse.

    \b
    etl sql "SELECT metric, period_start, value FROM trends"
    etl sql --format csv "SELECT * FROM mismatches" > mismatches.csv
    """
    from . import load

    def body() -> int:
        if not Path(warehouse).exists():
            _fail(f"{warehouse}: no warehouse yet (run `etl ingest raw/` first)", EXIT_USAGE)
        columns, rows = load.read_only_query(warehouse, query)
        _emit_rows(columns, rows, fmt)
        return 0

    _guard(ctx.obj["debug"], body)


def _emit_rows(columns: list[str], rows: list[tuple[Any, ...]], fmt: str, title: str | None = None) -> None:
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    elif fmt == "json":
        click.echo(
            json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=2, default=str)
        )
    else:
        table = Table(title=title)
        for c in columns:
            table.add_column(c)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)


def _fmt_num(v: float) -> str:
    return f"{int(v):,}".replace(",", " ") if float(v).is_integer() else f"{v:g}"


@main.command()
@click.argument("metric", required=False)
@click.option(
    "--warehouse", "-w", default=DEFAULT_WAREHOUSE, show_default=True, type=click.Path(dir_okay=False)
)
@click.option("--since", type=int, default=None, metavar="YEAR", help="Only periods ending in YEAR or later.")
@click.option(
    "--plot",
    "plot_file",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    metavar="FILE.png|FILE.svg",
    help="Also draw the series to a chart file (needs the 'plot' extra).",
)
@click.pass_context
def trends(ctx: click.Context, metric: str | None, warehouse: str, since: int | None, plot_file: str | None) -> None:
    """Show METRIC (or every metric) by period, from the `trends` view.

    Each period's value comes from the latest letter that reports it. Partial
    years (e.g. "10 months of 2017") are labelled as such and left out of the
    sparkline, so they are never read as a fall.
    """
    from . import trends as tr

    def body() -> int:
        if not Path(warehouse).exists():
            _fail(f"{warehouse}: no warehouse yet (run `etl ingest raw/` first)", EXIT_USAGE)
        series = tr.read_trends(warehouse, metric, since)
        if metric and not series:
            known = tr.known_metrics(warehouse)
            if metric not in known:
                _fail(f"unknown metric {metric!r}; known: {', '.join(known) or 'none'}", EXIT_USAGE)
            err.print(f"no figures for {metric} yet")
            return 0
        if metric:
            s = series[0]
            table = Table(title=f"{s.metric} — {s.description or ''}", caption=s.unit)
            for col in ("period", "value", "months", "letters", "revised", "latest letter"):
                table.add_column(col, justify="right" if col in ("value", "months", "letters") else "left")
            for p in s.points:
                table.add_row(
                    tr.period_label(p),
                    _fmt_num(p.value),
                    "" if p.months is None else str(p.months),
                    str(p.n_letters),
                    "yes" if p.disagree else "",
                    "" if p.letter_date is None else p.letter_date.isoformat(),
                )
            out.print(table)
            out.print(tr.sparkline([p.value for p in s.points if not p.is_partial]))
        else:
            table = Table(title="trends (value of the latest letter per period)")
            for col in ("metric", "series", "trend"):
                table.add_column(col)
            for s in series:
                cells = [f"{tr.period_label(p)}: {_fmt_num(p.value)}{' ✎' if p.disagree else ''}" for p in s.points]
                table.add_row(s.metric, " · ".join(cells), tr.sparkline([p.value for p in s.points if not p.is_partial]))
            out.print(table)
            if not series:
                err.print("no metric has a value yet")
        if plot_file:
            written = tr.plot(series, plot_file)
            err.print(f"chart written to {written}")
        return 0

    _guard(ctx.obj["debug"], body)
