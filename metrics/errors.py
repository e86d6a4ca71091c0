"""The error hierarchy: everything the domain refuses is a ``MetricsError``.

Pages and the CLI catch the base class at the edge and show its message; nobody sees a traceback.
"""

from __future__ import annotations

from typing import Any, Self


class MetricsError(Exception):
    """Base class: ``message`` is already in the user's language and says what to fix."""

    def __init__(
        self, message: str, key: str | None = None, params: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.key = key
        self.params = params or {}

    @classmethod
    def of(cls, key: str, lang: str, **params: Any) -> Self:
        """The error of the catalog string ``key``, in ``lang`` (and in any other later)."""
        from metrics.i18n import t

        return cls(t(key, lang, **params), key, params)

    def message_in(self, lang: str) -> str:
        """The message in ``lang`` when it was raised from a catalog key, else as raised."""
        if self.key is None:
            return self.message
        from metrics.i18n import t

        return t(self.key, lang, **self.params)


class SpreadsheetError(MetricsError):
    """The file could not be read as a spreadsheet at all."""


class ValidationError(MetricsError):
    """The file was read but some rows are wrong; ``problems`` lists them all."""

    def __init__(self, message: str, problems: list | None = None) -> None:  # type: ignore[type-arg]
        super().__init__(message)
        self.problems = problems or []


class StoreError(MetricsError):
    """The database could not be opened, migrated or written."""


class AccessDenied(MetricsError):
    """The caller's scope does not include what they asked for."""
