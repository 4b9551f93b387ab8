"""Typed errors raised by the library; only the CLI turns them into messages."""

from __future__ import annotations

from .models import RejectReason


class EtlError(Exception):
    """Base of every error kkru-etl raises on purpose."""


class RejectedFile(EtlError):
    """A file that cannot be ingested; `reason` is a code from REJECT_REASONS."""

    def __init__(self, path: str, reason: RejectReason, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.reason = reason
        self.detail = detail


class WarehouseLocked(EtlError):
    """Another process holds the warehouse for writing."""


class BadQuery(EtlError):
    """A read-only query the warehouse refused."""


class NoLetters(EtlError):
    """The paths given hold no PDF at all: nothing checked is not a pass."""
