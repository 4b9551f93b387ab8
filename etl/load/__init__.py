"""Stage 5 — load: checked letters into the DuckDB warehouse, whole letters per transaction.

In: `DocumentResult`s (a letter, its figures and pairs) and `Reject`s. Out:
rows in the warehouse tables. `warehouse` opens the file (locks, storage
version, migrations from `schemas/warehouse.sql`) and runs read-only queries;
`frames` builds and checks the row frames (pandera models in
`schemas/tables.py`), `writer` writes them, keyed by each file's SHA-256.
"""

import importlib

from .warehouse import (
    DEFAULT_PATH,
    STORAGE_VERSION,
    NotAWarehouse,
    QueryResult,
    QueryStream,
    SchemaTooNew,
    WarehouseError,
    WarehouseMissing,
    connect,
    environment_problem,
    read_only_query,
    streamed_query,
)
from .pending import drop_pending, pending_halves, record_pending
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalogue import apply_catalogue
    from .frames import InvalidRows, batch_frames, frames_of
    from .writer import (
        add_path,
        document_statuses,
        file_fingerprint,
        known_documents,
        known_paths,
        known_rejects,
        load_batch,
        load_document,
        record_reject,
        sync_metrics,
    )

# The writer and the re-keying need pandas and pandera; a read-only query
# (`etl sql`, `etl trends`) needs neither, so they are imported on first use.
_LAZY = {
    **{
        name: "writer"
        for name in (
            "add_path document_statuses file_fingerprint known_documents "
            "known_paths known_rejects load_batch load_document record_reject sync_metrics"
        ).split()
    },
    **{name: "frames" for name in ("InvalidRows", "batch_frames", "frames_of")},
    "apply_catalogue": "catalogue",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f"{__name__}.{_LAZY[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_PATH",
    "InvalidRows",
    "NotAWarehouse",
    "QueryResult",
    "QueryStream",
    "STORAGE_VERSION",
    "SchemaTooNew",
    "WarehouseError",
    "WarehouseMissing",
    "add_path",
    "apply_catalogue",
    "batch_frames",
    "connect",
    "document_statuses",
    "drop_pending",
    "environment_problem",
    "file_fingerprint",
    "frames_of",
    "known_documents",
    "known_paths",
    "known_rejects",
    "load_batch",
    "load_document",
    "pending_halves",
    "read_only_query",
    "record_pending",
    "record_reject",
    "streamed_query",
    "sync_metrics",
]
