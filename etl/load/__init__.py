"""Stage 5 — load: checked letters into the DuckDB warehouse, whole letters per transaction.

In: `DocumentResult`s (a letter, its figures and pairs) and `Reject`s. Out:
rows in the warehouse tables. `warehouse` opens the file (locks, storage
version, migrations from `schemas/warehouse.sql`) and runs read-only queries;
`writer` builds and checks the row frames (pandera models in
`schemas/tables.py`) and writes them, keyed by each file's SHA-256.
"""

from .warehouse import (
    DEFAULT_PATH,
    STORAGE_VERSION,
    SchemaTooNew,
    WarehouseError,
    WarehouseMissing,
    connect,
    read_only_query,
)
from .pending import drop_pending, pending_halves, record_pending
from .writer import (
    InvalidRows,
    add_path,
    batch_frames,
    file_fingerprint,
    frames_of,
    known_documents,
    known_paths,
    load_batch,
    load_document,
    record_reject,
    sync_metrics,
)

__all__ = [
    "DEFAULT_PATH",
    "STORAGE_VERSION",
    "InvalidRows",
    "SchemaTooNew",
    "WarehouseError",
    "WarehouseMissing",
    "add_path",
    "batch_frames",
    "drop_pending",
    "connect",
    "file_fingerprint",
    "frames_of",
    "known_documents",
    "known_paths",
    "load_batch",
    "load_document",
    "pending_halves",
    "read_only_query",
    "record_pending",
    "record_reject",
    "sync_metrics",
]
