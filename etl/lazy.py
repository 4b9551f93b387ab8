"""Modules, callables and consoles imported on first use.

A command imports only what it uses: `etl --help` never pays for rich,
pandas, pandera, DuckDB or the PDF engines, `etl sql` never for the pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class Deferred:
    """A module imported on first use."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


class DeferredConsole:
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


def deferred_callable(module: str, name: str) -> Any:
    """`name` of `module`, imported when first called (a class or a function)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return call
