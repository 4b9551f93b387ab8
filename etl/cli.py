"""Command line: parse options, call the library, format what it returns.

This is the only module that prints or exits. Progress and messages go to
stderr; stdout carries the result (tables, JSON, JUnit XML, CSV) so it can be
piped.
"""

from __future__ import annotations

import gc
import importlib
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .errors import BadQuery, EtlError, NoLetters, WarehouseLocked
from .models import DEFAULT_ENGINE, DEFAULT_OCR, ENGINES, OCR_MODES
from .workers import Limits

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table
    from rich.text import Text

    from . import pipeline, report
    from .models import RunReport
    from .report.safe import json_text, literal


class _Deferred:
    """A module imported on first use.

    A command imports only what it uses: `etl --help` never pays for rich,
    pandas, pandera, DuckDB or the PDF engines, `etl sql` never for the
    pipeline.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


class _DeferredConsole:
    """A rich Console made on first use (rich costs a tenth of a second to import)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def real(self) -> Console:
        """The Console itself, for rich objects that take one (a progress bar)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.real(), attr)


def _deferred_callable(module: str, name: str) -> Any:
    """`name` of `module`, imported when first called (a class or a function)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return call


if not TYPE_CHECKING:
    pipeline = _Deferred("etl.pipeline")
    report = _Deferred("etl.report")
    Table = _deferred_callable("rich.table", "Table")
    Text = _deferred_callable("rich.text", "Text")
    json_text = _deferred_callable("etl.report.safe", "json_text")
    literal = _deferred_callable("etl.report.safe", "literal")


DEFAULT_WAREHOUSE = "warehouse/warehouse.duckdb"
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
out: Console = _DeferredConsole(  # type: ignore[assignment]
    width=None if sys.stdout.isatty() else 240, markup=False, emoji=False, highlight=False
)
# Messages on stderr are one line each, whatever the width: CI logs are grepped.
err: Console = _DeferredConsole(  # type: ignore[assignment]
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
        err.print(_line("waiting", "cyan", w.line), soft_wrap=True)


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


class _Size(click.ParamType):
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


def _limits(max_memory: int) -> Limits:
    return Limits(max_memory=max_memory)


_max_memory_option = click.option(
    "--max-memory",
    type=_Size(),
    default="2G",
    show_default=True,
    help="Memory each worker may take on top of its start (2G, 512M...); a letter needing more is rejected.",
)


_ocr_option = click.option(
    "--ocr",
    type=click.Choice(OCR_MODES),
    default=DEFAULT_OCR,
    show_default=True,
    help="Read pages by OCR (Tesseract, kaz+rus): auto = pages without a text layer, always = every page, never.",
)


def _need_ocr(ocr: str) -> None:
    """--ocr always on a machine without OCR is a usage error, said before any file is read."""
    from .extract.ocr import ocr_problem

    if ocr == "always" and (problem := ocr_problem()):
        _fail(f"--ocr always: {problem}", EXIT_USAGE)


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
@_max_memory_option
@_ocr_option
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
                limits=_limits(max_memory),
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
            out.print(_summary_table(rep, warehouse))
            if rep.skipped:
                out.print(
                    f"{len(rep.skipped)} skipped (unchanged), {len(rep.skipped_mismatches)} with stored mismatches"
                )

        return _reported(rep.exit_code, ctx.obj["debug"], render)

    _need_paths(paths, pairs)
    _guard(ctx.obj["debug"], body)


def _summary_table(rep: RunReport, warehouse: str | None) -> Table:
    from rich.table import Table

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
        table.caption = Text(f"warehouse: {literal(warehouse)}")
    return table


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
@_password_option
@_jobs_option
@_engine_option
@_max_memory_option
@_ocr_option
@_pair_option
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
                limits=_limits(max_memory),
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

    _need_paths(paths, pairs)
    _guard(ctx.obj["debug"], body)


@main.command()
@click.argument("letter", type=click.Path(exists=True, dir_okay=False))
@_password_option
@_engine_option
@_max_memory_option
@_ocr_option
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
            [letter], password=password, jobs=1, engine=engine, ocr=ocr, limits=_limits(max_memory)  # type: ignore[arg-type]
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
@click.option(
    "--warehouse", "-w", default=DEFAULT_WAREHOUSE, show_default=True, type=click.Path(dir_okay=False)
)
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
            _print_table(res.columns, res.rows)
            shown, left_out = len(res.rows), res.left_out
        else:
            from . import sql_output

            # Written a batch at a time: an export of millions of rows never
            # sits in memory. A file gets the values as stored, a terminal
            # gets CSV's escaped (JSON escapes control characters itself).
            escape = fmt == "csv" and out.is_terminal
            with load.streamed_query(warehouse, text, limit=cap) as stream:
                for chunk in sql_output.chunks(fmt, stream.columns, stream, escape=escape):
                    click.echo(chunk, nl=False)
                shown, left_out = stream.rows, stream.left_out
        if left_out:
            err.print(
                f"{_fmt_num(shown + left_out)} rows, {_fmt_num(shown)} shown "
                f"({_fmt_num(left_out)} left out; --limit N or --all for more)"
            )
        return 0

    _guard(ctx.obj["debug"], body)


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    # A count summed or cast to DOUBLE reads as 128, not 128.0.
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return literal(v, multiline=True)


def _print_table(columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    table = Table()
    for c in columns:
        table.add_column(Text(literal(c)))
    for row in rows:
        table.add_row(*(Text(_cell_text(v)) for v in row))
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
    help="Also draw the series to a chart file (needs matplotlib: pip install 'kkru-etl[plot]'; exit 2 without it).",
)
@click.pass_context
def trends(ctx: click.Context, metric: str | None, warehouse: str, since: int | None, plot_file: str | None) -> None:
    """Show METRIC (or every metric) by period, from the `trends` view.

    Each period's value comes from the latest letter that reports it. Partial
    years (e.g. "10 months of 2017") are labelled as such and left out of the
    sparkline, so they are never read as a fall.
    """
    from rich.table import Table

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
            s = series[0]
            table = Table(title=Text(literal(f"{s.metric} — {s.description or ''}")), caption=Text(literal(s.unit)))
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
                name = s.metric if not s.series or s.series == s.metric else f"{s.metric} ({s.series})"
                table.add_row(
                    Text(literal(name)),
                    Text(" · ".join(cells)),
                    tr.sparkline([p.value for p in s.points if not p.is_partial]),
                )
            out.print(table)
            if not series:
                err.print("no metric has a value yet")
        if plot_file:
            written = tr.plot(series, plot_file)
            err.print(Text(f"chart written to {literal(written)}"))
        return 0

    _guard(ctx.obj["debug"], body)


@main.command("series")
@click.option(
    "--warehouse", "-w", default=DEFAULT_WAREHOUSE, show_default=True, type=click.Path(dir_okay=False)
)
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
        table = Table(title=f"series ({len(found)})")
        for col in ("series", "metric", "pairs", "unit", "periods", "letters", "label ru / kk", "example ru / kk"):
            table.add_column(col, justify="right" if col in ("pairs", "letters") else "left", overflow="fold")
        for s in found:
            periods = ", ".join(sorted({str(a.year) if a.year == b.year else f"{a.year}-{b.year}" for a, b in s.periods}))
            table.add_row(
                s.series,
                s.metric if s.metric and s.metric != s.series else "",
                str(s.figures),
                s.unit or "",
                periods,
                str(s.letters),
                f"{s.label_ru or ''}\n{s.label_kk or ''}",
                f"{(s.example_ru or '')[:160]}\n{(s.example_kk or '')[:160]}",
            )
        out.print(table)
        return 0

    _guard(ctx.obj["debug"], body)
