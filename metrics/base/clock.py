"""Time as the database records it: UTC, without a zone (DuckDB ``TIMESTAMP``)."""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
