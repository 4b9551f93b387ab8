"""Command line: parse options, call the library, format what it returns.

This is the only module that prints or exits. Progress and messages go to
stderr; stdout carries the result (tables, JSON, JUnit XML, CSV) so it can be
piped.
"""

from __future__ import annotations

import gc
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from .cli_options import (
    engine_option,
    jobs_option,
    limits_of,
    max_memory_option,
    need_paths,
    ocr_option,
    pair_option,
    password_option,
    warehouse_option,
)
from .errors import BadQuery, EtlError, NoLetters, WarehouseLocked
from .lazy import Deferred, DeferredConsole, deferred_callable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from rich.text import Text

    from . import pipeline, report
    from .models import RunReport
    from .report.safe import json_text, literal, number_text


if not TYPE_CHECKING:
    pipeline = Deferred("etl.pipeline")
    report = Deferred("etl.report")
    Text = deferred_callable("rich.text", "Text")
    json_text = deferred_callable("etl.report.safe", "json_text")
    number_text = deferred_callable("etl.report.safe", "number_text")
    literal = deferred_callable("etl.report.safe", "literal")


# Exit codes; 1 (mismatch) and 3 (rejected file) come from RunReport.exit_code.
EXIT_USAGE = 2
EXIT_ERROR = 4
# The paths hold no PDF at all (a mistyped path in CI): not a pass.
EXIT_NO_LETTERS = 5
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM

# Piped output is for files and other programs: don't squeeze tables to 80 columns.
# Markup, emoji codes and highlighting are off: every string printed holds
# data (letter text, paths, query results), which must print as written; the
# few styles of our own are set on Text objects.
out: Console = DeferredConsole(  # type: ignore[assignment]
    width=None if sys.stdout.isatty() else 240, markup=False, emoji=False, highlight=False
)
# Messages on stderr are one line each, whatever the width: CI logs are grepped.
err: Console = DeferredConsole(  # type: ignore[assignment]
    stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True
)


def _line(prefix: str, style: str, message: str) -> Text:
    text = Text(prefix, style=style)
    text.append(" " + literal(message))
    return text


def _fail(message: str, code: int) -> NoReturn:
    # One line whatever the terminal width: CI logs are grepped line by line.
    err.print(_line("etl:", "bold red", message), soft_wrap=True)
    sys.exit(code)


class _Terminated(BaseException):
    """SIGTERM (a scheduler or a container stop), raised where the run is, like Ctrl-C."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def _guard(debug: bool, fn: Callable[[], int]) -> NoReturn:
    """Run a command body; turn library errors into one line and an exit code."""
    try:
        code = fn()
    except click.ClickException:
        raise
    except WarehouseLocked as exc:
        _fail(str(exc), EXIT_ERROR)
    except BadQuery as exc:
        _fail(str(exc), EXIT_USAGE)
    except NoLetters as exc:
        _fail(str(exc), EXIT_NO_LETTERS)
    except EtlError as exc:
        if debug:
            traceback.print_exc()
        _fail(str(exc), EXIT_ERROR)
    except KeyboardInterrupt:
        _fail(
            "interrupted; letters already loaded are complete, the rest will load on the next run", EXIT_INTERRUPTED
        )
    except _Terminated:
        _fail(
            "terminated (SIGTERM); letters already loaded are complete, the rest will load on the next run",
            EXIT_TERMINATED,
        )
    except Exception as exc:
        if debug:
            traceback.print_exc()
        from . import load  # only now: `etl check` never needs DuckDB

        problem = load.environment_problem(exc)
        if problem:
            # The machine refused (disk full, read-only folder): not a bug of ours.
            _fail(f"{problem} ({type(exc).__name__}: {exc})", EXIT_ERROR)
        _fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", EXIT_ERROR)
    sys.exit(code)


def _reported(code: int, debug: bool, render: Callable[[], None]) -> int:
    """Print a run's report; a failure while printing it never hides the run's exit code."""
    try:
        render()
    except Exception as exc:
        if debug:
            traceback.print_exc()
        err.print(
            _line("etl:", "bold red", f"could not print the report ({type(exc).__name__}: {exc}); exit code of the run: {code}"),
            soft_wrap=True,
        )
    return code


def _print_run_notes(rep: RunReport) -> None:
    """What a run was given but did not read: stored mismatches of skipped letters, files left out."""
    for path in rep.skipped_mismatches:
        err.print(_line("stored mismatch", "red", f"{path}: skipped (unchanged), its stored status is mismatch; --force re-checks it"), soft_wrap=True)
    if rep.left_out:
        names = ", ".join(Path(p).name for p in rep.left_out[:5]) + (", …" if len(rep.left_out) > 5 else "")
        err.print(_line("left out", "yellow", f"{len(rep.left_out)} file(s) that are not PDFs: {names}"), soft_wrap=True)


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
    etl series                 every series the letters state (--suggest: catalogue entries)

    Exit codes: 0 clean; 1 a kk/ru mismatch was found (also one stored for a
    letter skipped as unchanged); 2 usage error or bad query; 3 some file was
    rejected (and no mismatch); 4 the warehouse is locked, not a kkru-etl
    warehouse, the machine refused (disk full, read-only folder) or another
    error; 5 no PDF found; 130 Ctrl-C; 143 SIGTERM.
    """
    ctx.obj = {"debug": debug}
    # From here on SIGTERM ends a run as Ctrl-C does: one line, exit 143.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    # The modules imported so far are never garbage. Moving them out of the
    # collector's sight makes every collection during PDF parsing, which
    # allocates millions of objects, cheaper: about 12 % off an ingest.
    # Worker processes forked later inherit it.
    gc.collect()
    gc.freeze()


def _progress_bar() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        # The current file's name is data: never markup.
        TextColumn("{task.fields[current]}", style="dim", markup=False),
        console=err.real(),  # type: ignore[attr-defined]
        transient=True,
        disable=not err.is_terminal,
    )


def _run_with_progress(label: str, run: Callable[[pipeline.ProgressFn], RunReport]) -> RunReport:
    with _progress_bar() as bar:
        task = bar.add_task(label, total=None, current="")

        def on_progress(p: pipeline.Progress) -> None:
            bar.update(task, total=p.total, completed=p.done, current=literal(Path(p.path).name))

        return run(on_progress)


def _print_rejects(rep: RunReport) -> None:
    for r in rep.rejects:
        err.print(_line("rejected", "yellow", f"{r.path}: {r.detail}"), soft_wrap=True)


def _print_waiting(rep: RunReport) -> None:
    for w in rep.waiting:
        err.print(_line("waiting", "cyan", w.line), soft_wrap=True)


def _need_ocr(ocr: str) -> None:
    """--ocr always on a machine without OCR is a usage error, said before any file is read."""
    from .extract.ocr import ocr_problem

    if ocr == "always" and (problem := ocr_problem()):
        _fail(f"--ocr always: {problem}", EXIT_USAGE)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@warehouse_option(help="DuckDB file to load (created if missing).")
@click.option("--force", is_flag=True, help="Reload letters even when they are unchanged since the last run.")
@password_option
@jobs_option
@engine_option
@max_memory_option
@ocr_option
@click.option(
    "--metrics",
    "metrics_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    metavar="FILE",
    help="Metric catalogue to key figures with (default: metrics.toml beside the warehouse, else the shipped one).",
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    help="Seconds to wait while another process holds the warehouse.",
)
@pair_option
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    warehouse: str,
    force: bool,
    password: str | None,
    jobs: int | None,
    engine: str,
    max_memory: int,
    ocr: str,
    metrics_file: str | None,
    lock_timeout: float,
    pairs: tuple[tuple[str, str], ...],
) -> None:
    """Extract, check and load letters (PDF files or folders of them) into the warehouse.

    Each letter is loaded in one transaction keyed by the SHA-256 of its bytes:
    re-runs skip unchanged files, a killed run leaves only whole letters.
    Letters whose kk and ru figures disagree are loaded all the same, with
    status 'mismatch', and the run exits 1.
    """

    _need_ocr(ocr)

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
                ocr=ocr,  # type: ignore[arg-type]
                lock_timeout=lock_timeout,
                on_progress=cb,
                limits=limits_of(max_memory),
                metrics_file=metrics_file,
                pairs=pairs,
            ),
        )

        def render() -> None:
            for doc in rep.documents:
                if doc.findings:
                    out.print(report.findings_table(doc))
            _print_rejects(rep)
            _print_waiting(rep)
            _print_run_notes(rep)
            out.print(report.summary_table(rep, warehouse))
            if rep.skipped:
                out.print(
                    f"{len(rep.skipped)} skipped (unchanged), {len(rep.skipped_mismatches)} with stored mismatches"
                )

        return _reported(rep.exit_code, ctx.obj["debug"], render)

    need_paths(paths, pairs)
    _guard(ctx.obj["debug"], body)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit", "github", "html"]),
    default="text",
    show_default=True,
    help="Report format on stdout (html: one self-contained review page, e.g. > report.html).",
)
@password_option
@jobs_option
@engine_option
@max_memory_option
@ocr_option
@pair_option
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    password: str | None,
    jobs: int | None,
    engine: str,
    max_memory: int,
    ocr: str,
    pairs: tuple[tuple[str, str], ...],
) -> None:
    """Check that every figure agrees between the kk and ru text; write nothing.

    Exits 1 on any disagreement, 3 when a file was rejected (and no
    disagreement), 0 when clean. The text report shows both surfaces, both
    sentences and their pages; json, junit and github are for CI; html is a
    review page with each figure's place on its page.
    """

    _need_ocr(ocr)

    def body() -> int:
        rep = _run_with_progress(
            "check",
            lambda cb: pipeline.check(
                paths,
                password=password,
                jobs=jobs or pipeline.default_jobs(),
                engine=engine,  # type: ignore[arg-type]
                ocr=ocr,  # type: ignore[arg-type]
                on_progress=cb,
                # Each letter's counts and findings only, whatever the report:
                # JUnit's test case per pair takes its name alone.
                slim=True,
                case_name=report.case_name if fmt == "junit" else None,
                limits=limits_of(max_memory),
                pairs=pairs,
            ),
        )

        def render() -> None:
            if fmt == "html":
                click.echo(report.to_html(rep, password=password), nl=False)
            elif fmt == "json":
                click.echo(report.to_json(rep))
            elif fmt == "junit":
                # A suite at a time: thousands of letters' cases are never one string.
                for chunk in report.junit_chunks(rep):
                    click.echo(chunk, nl=False)
                click.echo()
            elif fmt == "github":
                text = report.to_github(rep)
                if text:
                    click.echo(text)
            else:
                out.print(report.text_report(rep))
            if fmt != "github":
                _print_rejects(rep)
                _print_waiting(rep)
            _print_run_notes(rep)

        return _reported(rep.exit_code, ctx.obj["debug"], render)

    need_paths(paths, pairs)
    _guard(ctx.obj["debug"], body)


@main.command()
@click.argument("letter", type=click.Path(exists=True, dir_okay=False))
@password_option
@engine_option
@max_memory_option
@ocr_option
@click.option("--all/--findings", "show_all", default=True, help="Show every pair, or only the findings.")
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    metavar="FILE",
    help="Also write the letter's review page (findings with their page images) to FILE.",
)
@click.pass_context
def show(
    ctx: click.Context,
    letter: str,
    password: str | None,
    engine: str,
    max_memory: int,
    ocr: str,
    show_all: bool,
    html_file: str | None,
) -> None:
    """Show a letter's aligned figures side by side (kk | ru | status)."""
    _need_ocr(ocr)

    def body() -> int:
        rep = pipeline.check(
            [letter], password=password, jobs=1, engine=engine, ocr=ocr, limits=limits_of(max_memory)  # type: ignore[arg-type]
        )
        if html_file:
            Path(html_file).write_text(
                report.to_html(rep, password=password, title=f"kkru-etl show {letter}"), encoding="utf-8"
            )
            err.print("review page written to " + literal(html_file))
        return _reported(rep.exit_code, ctx.obj["debug"], lambda: _show(rep, show_all))

    _guard(ctx.obj["debug"], body)


def _show(rep: RunReport, show_all: bool) -> None:
    _print_rejects(rep)
    for doc in rep.documents:
        m = doc.letter.meta
        head = Text(literal(doc.letter.path), style="bold")
        head.append(
            f"  № {literal(m.outgoing_no or '—')} of {m.letter_date or '—'}, "
            f"answering {literal(m.inquiry_no or '—')} of {m.inquiry_date or '—'}; {doc.letter.pages} pages"
            + (f", {len(doc.letter.ocr_pages)} read by OCR" if doc.letter.ocr_pages else "")
        )
        out.print(head)
        if show_all:
            out.print(report.pairs_table(doc))
        elif doc.findings:
            out.print(report.findings_table(doc))
        else:
            out.print(f"no findings: all {doc.n_pairs} figure pair(s) match")


# Rows of the table format when no --limit is given: a terminal's worth, as
# the DuckDB CLI does; csv, json and jsonl are for files and print every row.
DEFAULT_TABLE_ROWS = 40


@main.command()
@click.argument("query")
@warehouse_option()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json", "jsonl"]), default="table", show_default=True
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    help=f"Print at most N rows [default: {DEFAULT_TABLE_ROWS} for table, every row otherwise].",
)
@click.option("--all", "all_rows", is_flag=True, help="Print every row, also as a table.")
@click.pass_context
def sql(ctx: click.Context, query: str, warehouse: str, fmt: str, limit: int | None, all_rows: bool) -> None:
    """Run a read-only SQL QUERY against the warehouse ('-' reads it from stdin).

    The query sees the warehouse only: no other file (ATTACH, COPY ... TO,
    read_csv, read_parquet) and no setting changes; use the DuckDB CLI for
    those.

    \b
    etl sql "SELECT metric, period_start, value FROM trends"
    etl sql --format csv "SELECT * FROM mismatches" > mismatches.csv
    etl sql - < query.sql
    """
    from . import load

    def body() -> int:
        text = sys.stdin.read() if query == "-" else query
        if all_rows and limit is not None:
            raise click.UsageError("--limit and --all exclude each other")
        if not text.strip():
            raise click.UsageError("empty query: give an SQL statement, or '-' to read one from stdin")
        if not Path(warehouse).exists():
            _fail(f"{warehouse}: no warehouse yet (run `etl ingest raw/` first)", EXIT_USAGE)
        cap = None if all_rows else limit if limit is not None else DEFAULT_TABLE_ROWS if fmt == "table" else None
        if fmt == "table":
            res = load.read_only_query(warehouse, text, limit=cap)
            out.print(report.result_table(res.columns, res.rows))
            shown, left_out = len(res.rows), res.left_out
        else:
            from . import sql_output

            # Written a batch at a time: an export of millions of rows never
            # sits in memory. A file gets the values as stored, a terminal
            # gets CSV's escaped (JSON escapes control characters itself).
            # Asked of stdout itself: the console, and rich, are not needed.
            escape = fmt == "csv" and sys.stdout.isatty()
            with load.streamed_query(warehouse, text, limit=cap) as stream:
                for chunk in sql_output.chunks(fmt, stream.columns, stream, escape=escape):
                    click.echo(chunk, nl=False)
                shown, left_out = stream.rows, stream.left_out
        if left_out:
            err.print(
                f"{number_text(shown + left_out)} rows, {number_text(shown)} shown "
                f"({number_text(left_out)} left out; --limit N or --all for more)"
            )
        return 0

    _guard(ctx.obj["debug"], body)


@main.command()
@click.argument("metric", required=False)
@warehouse_option()
@click.option("--since", type=int, default=None, metavar="YEAR", help="Only periods ending in YEAR or later.")
@click.option(
    "--plot",
    "plot_file",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    metavar="FILE.png|FILE.svg",
    help="Also draw the series to a chart file (needs matplotlib: pip install 'kkru-etl[plot]'; exit 2 without it).",
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
        # Said before any output, so no table is printed for a chart that cannot be drawn.
        if plot_file and Path(plot_file).suffix.lower() not in (".png", ".svg"):
            raise click.BadParameter("the chart file must end in .png or .svg", param_hint="--plot")
        if plot_file and not tr.can_plot():
            _fail(tr.PLOT_NEEDS, EXIT_USAGE)
        if not Path(warehouse).exists():
            _fail(f"{warehouse}: no warehouse yet (run `etl ingest raw/` first)", EXIT_USAGE)
        series = tr.read_trends(warehouse, metric, since)
        if metric and not series:
            known = tr.known_metrics(warehouse)
            if metric not in known:
                _fail(f"unknown metric {metric!r}; known: {', '.join(known) or 'none'}", EXIT_USAGE)
            since_words = f" ending in {since} or later" if since is not None else ""
            err.print(
                Text(literal(f"metric {metric} is known, but the trends view has no period{since_words} for it yet"))
            )
            return 0
        if metric:
            out.print(report.metric_table(series[0]))
            out.print(tr.sparkline([p.value for p in series[0].points if not p.is_partial]))
        else:
            out.print(report.trends_table(series))
            if not series:
                err.print("no metric has a value yet")
        if plot_file:
            written = tr.plot(series, plot_file)
            err.print(Text(f"chart written to {literal(written)}"))
        return 0

    _guard(ctx.obj["debug"], body)


@main.command("series")
@warehouse_option()
@click.option("--suggest", is_flag=True, help="Print catalogue entries for series that look like one measure.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def series_cmd(ctx: click.Context, warehouse: str, suggest: bool, fmt: str) -> None:
    """List the series found in the letters: what each statistic measures.

    Each series with its catalogue metric (if any), how many kk/ru pairs state
    it, unit, periods, letters, its label and one example sentence in each
    language. With --suggest, [[series]] entries for metrics.toml that merge
    series looking like one measure (same unit, label and breakdown, close
    wording), for you to review and paste.
    """
    from . import trends as tr

    def body() -> int:
        if not Path(warehouse).exists():
            _fail(f"{warehouse}: no warehouse yet (run `etl ingest raw/` first)", EXIT_USAGE)
        found = tr.read_series(warehouse)
        if suggest:
            click.echo(tr.suggestion_toml(tr.suggest(found)), nl=False)
            return 0
        if fmt == "json":
            click.echo(
                json_text(
                    [
                        {
                            **{k: v for k, v in vars(s).items() if k != "periods"},
                            "periods": [[a.isoformat(), b.isoformat()] for a, b in s.periods],
                        }
                        for s in found
                    ],
                    indent=1,
                )
            )
            return 0
        out.print(report.series_table(found))
        return 0

    _guard(ctx.obj["debug"], body)
