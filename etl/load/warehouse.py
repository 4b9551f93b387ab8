"""Opening the DuckDB warehouse: storage version, schema migrations, locks.

Storage version
---------------
DuckDB 2.0 writes new database files in its own storage format (storage
version 69+), which no DuckDB before 2.0 can open. Analysts open the
warehouse from the DuckDB CLI and DBeaver, whose bundled DuckDB often lags
behind, so a new warehouse is created with ``STORAGE_VERSION = "v1.1.0"``:
storage format 64 with catalog serialization of DuckDB 1.1. That file opens
in **DuckDB 1.1.0 and every later release** (1.1, 1.2, 1.3, 1.4 LTS, 1.5,
2.x), the same floor as the ``duckdb>=1.1`` this package requires. What it
costs is the newer compression methods of 1.2+; a letter warehouse is small.

The version is fixed when the file is created and kept by every later
writer: DuckDB never upgrades an existing file on its own. A file created by
another tool keeps whatever version it has.

Writing needs DuckDB 1.2 or later: the loader deletes and re-inserts a
letter's keys in one transaction, which DuckDB 1.1 refuses as a duplicate key.
"""

from __future__ import annotations

import errno
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

import duckdb

from ..errors import BadQuery, EtlError, WarehouseLocked

STORAGE_VERSION = "v1.1.0"
"""DuckDB storage compatibility of a newly created warehouse (readable by DuckDB >= 1.1.0)."""

MIN_WRITER_DUCKDB = (1, 2)
"""Oldest DuckDB that can write the warehouse (delete and re-insert a key in one transaction)."""

DEFAULT_PATH = "warehouse/warehouse.duckdb"

_MIGRATION_MARK = re.compile(r"^-- migration (\d+): *(.*)$", re.MULTILINE)
_LOCK_HOLDER = re.compile(r"held in (?P<exe>.+?) \(PID (?P<pid>\d+)\)")


class WarehouseError(EtlError):
    """The warehouse cannot be used as asked."""


class WarehouseMissing(WarehouseError):
    """A read-only open of a warehouse file that does not exist."""


class SchemaTooNew(WarehouseError):
    """The warehouse was migrated by a newer kkru-etl than this one."""


class NotAWarehouse(WarehouseError):
    """The file is a database of something else: kkru-etl leaves it alone."""


@dataclass(frozen=True)
class Migration:
    version: int
    title: str
    sql: str


def schema_sql() -> str:
    """The text of schemas/warehouse.sql, read as package data."""
    return resources.files("schemas").joinpath("warehouse.sql").read_text(encoding="utf-8")


def parse_migrations(sql: str) -> tuple[str, list[Migration]]:
    """Split the DDL into its bootstrap and its numbered migrations, in order."""
    marks = list(_MIGRATION_MARK.finditer(sql))
    bootstrap = sql[: marks[0].start()] if marks else sql
    migrations: list[Migration] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(sql)
        migrations.append(Migration(int(m.group(1)), m.group(2).strip(), sql[m.end() : end]))
    versions = [m.version for m in migrations]
    # Numbers only go up; one may be missing, as when branches that each
    # took a number are merged one at a time.
    if versions and (versions[0] != 1 or any(b <= a for a, b in zip(versions, versions[1:]))):
        raise WarehouseError(f"warehouse.sql: migrations must be numbered in rising order from 1; found {versions}")
    return bootstrap, migrations


def utcnow() -> datetime:
    """Now, in UTC, without time zone (the warehouse's TIMESTAMP convention)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied to the warehouse, 0 for an empty file."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


_MIGRATIONS_COLUMNS = ["version", "title", "applied_at"]


def check_identity(con: duckdb.DuckDBPyConnection, path: str, first_title: str) -> None:
    """Refuse a non-empty database that is not a kkru-etl warehouse, before anything is written.

    A database is ours when it is empty, holds only our (empty) migrations
    table, or records our first migration under its title.
    """
    names = sorted(
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal"
        ).fetchall()
    )
    if not names:
        return
    if "schema_migrations" in names:
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
                "AND schema_name = 'main' AND table_name = 'schema_migrations' ORDER BY column_index"
            ).fetchall()
        ]
        if columns == _MIGRATIONS_COLUMNS:
            row = con.execute("SELECT title FROM schema_migrations WHERE version = 1").fetchone()
            if (row is None and names == ["schema_migrations"]) or (row is not None and row[0] == first_title):
                return
    shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
    raise NotAWarehouse(
        f"{path} is not a kkru-etl warehouse (it holds {len(names)} other table(s) or view(s): {shown}); "
        "it was left untouched: give --warehouse a new file"
    )


def _applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    if schema_version(con) == 0:
        return set()
    return {int(r[0]) for r in con.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection, path: str = "the database") -> list[int]:
    """Apply the migrations the warehouse lacks, each in its own transaction."""
    bootstrap, migrations = parse_migrations(schema_sql())
    if migrations:
        check_identity(con, path, migrations[0].title)
    current = schema_version(con)
    latest = migrations[-1].version if migrations else 0
    if current > latest:
        raise SchemaTooNew(
            f"warehouse schema is at version {current}, this kkru-etl knows up to {latest}; upgrade kkru-etl"
        )
    done = _applied_versions(con)
    if all(m.version in done for m in migrations):
        return []
    con.execute(bootstrap)
    applied: list[int] = []
    for m in migrations:
        # By number, not by the highest applied: a migration that landed
        # after a higher-numbered one is still applied once.
        if m.version in done:
            continue
        con.begin()
        try:
            con.execute(m.sql)
            con.execute(
                "INSERT INTO schema_migrations (version, title, applied_at) VALUES (?, ?, ?)",
                [m.version, m.title, utcnow()],
            )
            con.commit()
        except BaseException:
            con.rollback()
            raise
        applied.append(m.version)
        # A WAL that holds schema DDL cannot be replayed by DuckDB 2.0 when
        # a tool opens the file by path (it then wants to download its own
        # functions, offline too). The readers here attach it (see `_open`);
        # for analysts' own tools each migration goes to the file as soon as
        # it is committed, so only a kill in between leaves such a WAL.
        con.execute("CHECKPOINT")
    return applied


def _duckdb_version() -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", duckdb.__version__)[:2])


def _lock_message(path: str, err: duckdb.Error, waited: float) -> str:
    m = _LOCK_HOLDER.search(str(err))
    holder = f"process {m.group('pid')} ({m.group('exe')})" if m else "another process"
    return f"warehouse {path} is locked by {holder}; gave up after {waited:.1f}s"


def _is_lock_error(err: duckdb.Error) -> bool:
    # Quoted paths left out: a folder named "blocks" is no lock.
    return isinstance(err, duckdb.IOException) and "lock" in _QUOTED_PATH.sub("", str(err)).lower()


# The writer only appends a few letters' rows at a time, while the extraction
# workers own the cores: one thread. (A memory limit would keep its memory
# flatter, but DuckDB fails a checkpoint outright when a row group does not
# fit, so none is set.)
WRITER_CONFIG: dict[str, str | bool | int | float | list[str]] = {"threads": 1}
# Every commit's checkpoint rewrites each table's last, partly filled row
# group, so the writer's memory grows until that row group is full; smaller
# row groups keep a run's memory flat (DuckDB's default is 122 880 rows).
WRITER_ROW_GROUP_SIZE = 16_384


# What an `etl sql` query may not do: touch any file but the warehouse
# (ATTACH, COPY ... TO, EXPORT DATABASE, read_text/read_csv, INSTALL), load
# extensions, or change these settings back (lock_configuration).
LOCKED_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


def _no_progress_bar(con: duckdb.DuckDBPyConnection) -> None:
    # DuckDB draws its own progress bar on stdout for a statement that runs
    # a few seconds (a migration's backfill, a big query): the CLI prints its
    # own progress, and `etl sql` writes its results to stdout.
    con.execute("SET enable_progress_bar = false")


def _open(path: str, read_only: bool, locked: bool = False) -> duckdb.DuckDBPyConnection:
    literal = "'" + path.replace("'", "''") + "'"
    if read_only:
        # Attached to an in-memory database rather than opened by path: DuckDB
        # 2.0 replays a WAL that holds schema DDL before its own functions are
        # loaded when the file is opened directly, and then tries to download
        # them (a run killed between a migration's commit and its checkpoint
        # leaves such a WAL). Attached, the replay finds them.
        config = {k: v for k, v in LOCKED_CONFIG.items() if k not in ("lock_configuration", "enable_external_access")}
        con = duckdb.connect(":memory:", config=config if locked else {})
        try:
            _no_progress_bar(con)
            con.execute(f"ATTACH {literal} AS warehouse (READ_ONLY)")
            con.execute("USE warehouse")
            if locked:
                # Every file but the warehouse, shut off once it is attached;
                # then no setting can change (a locked configuration takes no SET).
                con.execute("SET enable_external_access = false")
                con.execute("SET lock_configuration = true")
        except BaseException:
            con.close()
            raise
        return con
    con = duckdb.connect(":memory:", config=WRITER_CONFIG)
    _no_progress_bar(con)
    # The storage version is chosen when the file is created; an existing
    # file keeps its own.
    options = [] if Path(path).exists() else [f"STORAGE_VERSION '{STORAGE_VERSION}'"]
    try:
        try:
            sized = ", ".join([*options, f"ROW_GROUP_SIZE {WRITER_ROW_GROUP_SIZE}"])
            con.execute(f"ATTACH {literal} AS warehouse ({sized})")
        except (duckdb.BinderException, duckdb.ParserException, duckdb.NotImplementedException):
            # A DuckDB without the option writes default row groups.
            con.execute(f"ATTACH {literal} AS warehouse" + (f" ({options[0]})" if options else ""))
        con.execute("USE warehouse")
    except BaseException:
        con.close()
        raise
    return con


def connect(
    path: str | os.PathLike[str],
    *,
    read_only: bool = False,
    lock_timeout: float = 10.0,
    locked: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; for writing, create it (and its folder) and migrate it.

    DuckDB lets one process write a file, or many processes read it. When
    another process holds it, the open is retried until `lock_timeout`
    seconds have passed, then WarehouseLocked names the holder (DuckDB's
    error gives its PID). In one process, a read-only and a writing
    connection to the same file cannot coexist: WarehouseLocked at once.
    `locked` (read-only only) also shuts the connection off from every other
    file and locks its configuration (LOCKED_CONFIG), for queries typed by users.
    """
    spath = os.fspath(path)
    if not read_only and _duckdb_version() < MIN_WRITER_DUCKDB:
        need = ".".join(map(str, MIN_WRITER_DUCKDB))
        raise WarehouseError(f"writing the warehouse needs DuckDB >= {need}; this is DuckDB {duckdb.__version__}")
    if read_only and not Path(spath).exists():
        raise WarehouseMissing(f"warehouse {spath} does not exist; run `etl ingest` first")
    if not read_only:
        Path(spath).parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    delay = 0.05
    while True:
        try:
            con = _open(spath, read_only, locked)
            break
        except duckdb.Error as err:
            # The same file open in this process in the other mode: DuckDB
            # names it a configuration or file handle conflict.
            if any(s in str(err) for s in ("different configuration", "already attached")):
                raise WarehouseLocked(
                    f"warehouse {spath} is already open in this process "
                    f"{'for writing' if read_only else 'read-only'}; close that connection first"
                ) from err
            if not _is_lock_error(err):
                if "not a valid DuckDB database file" in str(err):
                    raise NotAWarehouse(f"{spath} is not a DuckDB database file; it was left untouched") from err
                raise
            waited = time.monotonic() - started
            if waited >= lock_timeout:
                exc = WarehouseLocked(_lock_message(spath, err, waited))
                m = _LOCK_HOLDER.search(str(err))
                exc.pid = int(m.group("pid")) if m else None  # type: ignore[attr-defined]
                raise exc from err
            time.sleep(min(delay, max(0.0, lock_timeout - waited)))
            delay = min(delay * 2, 0.5)
    if not read_only:
        try:
            migrate(con, spath)
        except BaseException:
            con.close()
            raise
    return con


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[object, ...]]
    # Rows the query returned beyond `limit`, counted and not kept.
    left_out: int = 0


# Rows fetched at a time by a streamed query: DuckDB's vector size, so a
# batch of wide rows (paragraph text) stays a few megabytes.
BATCH_ROWS = 2048


class QueryStream:
    """The rows of a running query, a batch at a time (see `streamed_query`).

    Iterating yields lists of at most `batch_rows` row tuples, the same values
    `fetchall` gives, until `limit` rows; the rows past it are then counted
    (never kept) into `left_out`. An error DuckDB raises part-way (a failed
    cast at row five million) is BadQuery, like one raised at the start.
    """

    def __init__(
        self, cursor: duckdb.DuckDBPyConnection | None, columns: list[str], limit: int | None, batch_rows: int
    ) -> None:
        self._cursor = cursor
        self.columns = columns
        self._limit = limit
        self._batch_rows = max(1, batch_rows)
        # Rows handed out so far, and those past `limit` counted once it was reached.
        self.rows = 0
        self.left_out = 0

    def __iter__(self) -> Iterator[list[tuple[object, ...]]]:
        if self._cursor is None:
            return
        cur, todo = self._cursor, self._limit
        try:
            while todo is None or todo > 0:
                rows = cur.fetchmany(self._batch_rows if todo is None else min(self._batch_rows, todo))
                if not rows:
                    return
                if todo is not None:
                    todo -= len(rows)
                self.rows += len(rows)
                yield rows
            while chunk := cur.fetchmany(10_000):
                self.left_out += len(chunk)
        except duckdb.Error as err:
            raise BadQuery(str(err)) from err


@contextmanager
def streamed_query(
    path: str | os.PathLike[str],
    sql: str,
    *,
    lock_timeout: float = 10.0,
    limit: int | None = None,
    batch_rows: int | None = None,
) -> Iterator[QueryStream]:
    """Run `sql` on a read-only, locked connection (see `connect`) and stream its rows.

    DuckDB hands a query's result over as it is produced, so rows read a
    batch at a time are never all in memory: a ten-million-row export stays
    flat. `batch_rows` defaults to BATCH_ROWS. The warehouse is held open
    until the `with` block ends. A statement DuckDB refuses (syntax, unknown
    name, any write, any file access) and an empty one raise BadQuery with
    DuckDB's own message.
    """
    if not sql.strip():
        raise BadQuery("empty query: give an SQL statement, e.g. etl sql \"SELECT * FROM documents\"")
    with connect(path, read_only=True, lock_timeout=lock_timeout, locked=True) as con:
        try:
            cur = con.execute(sql)
        except duckdb.Error as err:
            raise BadQuery(str(err)) from err
        if cur is None:
            # Only comments or semicolons: DuckDB runs nothing.
            raise BadQuery("empty query: no SQL statement in it")
        size = batch_rows or BATCH_ROWS
        if cur.description is None:
            yield QueryStream(None, [], limit, size)
            return
        yield QueryStream(cur, [d[0] for d in cur.description], limit, size)


def read_only_query(
    path: str | os.PathLike[str], sql: str, *, lock_timeout: float = 10.0, limit: int | None = None
) -> QueryResult:
    """Run `sql` as `streamed_query` does and keep its rows: at most `limit` of them."""
    with streamed_query(path, sql, lock_timeout=lock_timeout, limit=limit, batch_rows=10_000) as stream:
        rows = [row for batch in stream for row in batch]
        return QueryResult(stream.columns, rows, stream.left_out)


# What the machine refused, in the words of errno and of DuckDB's messages.
_ENVIRONMENT = (
    (errno.EROFS, "Read-only file system", "read-only file system"),
    (errno.ENOSPC, "No space left on device", "disk full (no space left on device)"),
    (errno.EDQUOT, "Disk quota exceeded", "disk quota exceeded"),
    (errno.EACCES, "Permission denied", "permission denied"),
    (errno.EPERM, "Operation not permitted", "operation not permitted"),
    (errno.ENOTDIR, "Not a directory", "a file stands where a folder is needed"),
    (errno.EEXIST, "File exists", "a file stands where a folder is needed"),
    (errno.ENOENT, "No such file or directory", "no such file or folder"),
)
_QUOTED_PATH = re.compile(r'"([^"]+)"')


def environment_problem(exc: BaseException) -> str | None:
    """A one-line account of an error of the user's machine (disk full, a
    read-only or missing folder...), naming the path; None for anything else."""
    if isinstance(exc, OSError) and exc.errno is not None:
        for code, _, words in _ENVIRONMENT:
            if exc.errno == code:
                return f"{exc.filename or 'a file'}: {words}" if exc.filename else words
        return None
    if isinstance(exc, duckdb.Error) and not isinstance(exc, (duckdb.ParserException, duckdb.BinderException)):
        message = str(exc)
        for _, text, words in _ENVIRONMENT:
            if text in message:
                # A file's path, not the name of an attached database ("warehouse").
                paths = [q for q in _QUOTED_PATH.findall(message) if "/" in q or "\\" in q]
                return f"{paths[0]}: {words}" if paths else words
    return None
