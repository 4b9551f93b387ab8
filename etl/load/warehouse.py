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

import os
import re
import time
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
    # Numbers rise; a gap is allowed (migrations written on parallel
    # branches are numbered ahead and merged in any order).
    if any(a >= b for a, b in zip(versions, versions[1:])) or (versions and versions[0] < 1):
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


def _applied(con: duckdb.DuckDBPyConnection) -> set[int]:
    if schema_version(con) == 0:
        return set()
    return {int(r[0]) for r in con.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations the warehouse lacks, each in its own transaction."""
    bootstrap, migrations = parse_migrations(schema_sql())
    current = schema_version(con)
    latest = migrations[-1].version if migrations else 0
    if current > latest:
        raise SchemaTooNew(
            f"warehouse schema is at version {current}, this kkru-etl knows up to {latest}; upgrade kkru-etl"
        )
    done = _applied(con)
    if all(m.version in done for m in migrations):
        return []
    con.execute(bootstrap)
    applied: list[int] = []
    for m in migrations:
        # By the versions recorded, not the highest: a migration merged in
        # below one already applied (a gap filled later) still runs.
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
    return applied


def _duckdb_version() -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", duckdb.__version__)[:2])


def _lock_message(path: str, err: duckdb.Error, waited: float) -> str:
    m = _LOCK_HOLDER.search(str(err))
    holder = f"process {m.group('pid')} ({m.group('exe')})" if m else "another process"
    return f"warehouse {path} is locked by {holder}; gave up after {waited:.1f}s"


def _is_lock_error(err: duckdb.Error) -> bool:
    return isinstance(err, duckdb.IOException) and "lock" in str(err).lower()


# The writer only appends a few letters' rows at a time, while the extraction
# workers own the cores: one thread. (A memory limit would keep its memory
# flatter, but DuckDB fails a checkpoint outright when a row group does not
# fit, so none is set.)
WRITER_CONFIG: dict[str, str | bool | int | float | list[str]] = {"threads": 1}
# Every commit's checkpoint rewrites each table's last, partly filled row
# group, so the writer's memory grows until that row group is full; smaller
# row groups keep a run's memory flat (DuckDB's default is 122 880 rows).
WRITER_ROW_GROUP_SIZE = 16_384


def _open(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    if read_only:
        return duckdb.connect(path, read_only=True)
    con = duckdb.connect(":memory:", config=WRITER_CONFIG)
    literal = "'" + path.replace("'", "''") + "'"
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
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; for writing, create it (and its folder) and migrate it.

    DuckDB lets one process write a file, or many processes read it. When
    another process holds it, the open is retried until `lock_timeout`
    seconds have passed, then WarehouseLocked names the holder (DuckDB's
    error gives its PID). In one process, a read-only and a writing
    connection to the same file cannot coexist: WarehouseLocked at once.
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
            con = _open(spath, read_only)
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
            migrate(con)
        except BaseException:
            con.close()
            raise
    return con


def read_only_query(
    path: str | os.PathLike[str], sql: str, *, lock_timeout: float = 10.0
) -> tuple[list[str], list[tuple[object, ...]]]:
    """Run `sql` on a read-only connection: (column names, rows).

    A statement DuckDB refuses (syntax, unknown name, any write) raises
    BadQuery with DuckDB's own message.
    """
    with connect(path, read_only=True, lock_timeout=lock_timeout) as con:
        try:
            cur = con.execute(sql)
            if cur.description is None:
                return [], []
            columns = [d[0] for d in cur.description]
            return columns, cur.fetchall()
        except duckdb.Error as err:
            raise BadQuery(str(err)) from err
