"""The error hierarchy: everything the domain refuses is a ``MetricsError``.

An error carries a catalogue key and its parameters, never a sentence: pages, the CLI and the
pack say it in the reader's language (``metrics.presentation.i18n.said``). Nobody sees a
traceback.
"""

from __future__ import annotations

from typing import Any, Self


class MetricsError(Exception):
    """Base class: ``key`` names the catalogue string that says what to fix, ``params`` fill
    it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    @classmethod
    def of(cls, key: str, **params: Any) -> Self:
        """The error of the catalogue string ``key`` with ``params``."""
        return cls(key, **params)

    def __str__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        return f"{self.key}({shown})" if shown else self.key


class SpreadsheetError(MetricsError):
    """The file could not be read as a spreadsheet at all."""


class ValidationError(MetricsError):
    """The file was read but some rows are wrong; ``problems`` lists them all."""

    def __init__(self, key: str, problems: list[Any] | None = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.problems = problems or []


class StoreError(MetricsError):
    """The database could not be opened, migrated or written."""


class AccessDenied(MetricsError):
    """The caller's scope does not include what they asked for."""
