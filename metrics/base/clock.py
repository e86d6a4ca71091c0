"""Time as the database records it (UTC, without a zone: DuckDB ``TIMESTAMP``) and the day as
the installation's people live it (its time zone)."""

from __future__ import annotations

import datetime as dt

from metrics.base import config


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def today() -> dt.date:
    """The date in the installation's time zone: at 00:30 in Paris it is already tomorrow
    there, while UTC and the machine's clock may still say today. Read from ``now`` (a test
    that moves the clock moves the day too)."""
    return now().replace(tzinfo=dt.UTC).astimezone(config.timezone()).date()
