"""The installation's settings from its environment, shared by the app and the CLI: where the
database lives, its memory and waits, its address, its time zone."""

from __future__ import annotations

import functools
import os
import zoneinfo
from pathlib import Path

from metrics.base.errors import MetricsError

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = ROOT / "data" / "impact.duckdb"
SAMPLE_WORKBOOK = ROOT / "sample_data" / "alliances_exemple.xlsx"
ENV_DB = "IMPACT_DB"
# DuckDB's memory for one process: beyond it, large sorts, joins and inserts spill to a
# temporary folder beside the database instead of growing. A DuckDB size ("1GB", "512MB").
ENV_MEMORY = "IMPACT_DB_MEMORY"
DEFAULT_MEMORY = "1GB"
# How long a process waits for another to let go of the database file (an import from the
# command line while the app computes a page, or the reverse), in seconds.
ENV_WAIT = "IMPACT_DB_WAIT"
DEFAULT_WAIT = 60.0
# The shared backend's data files (a DuckLake's folder), given when the lake is created.
ENV_DATA_PATH = "IMPACT_DATA_PATH"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` if given, else ``$IMPACT_DB``, else ``data/impact.duckdb`` (git-ignored)."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(ENV_DB)
    if from_env:
        return Path(from_env)
    return DEFAULT_DB


def db_target(explicit: str | os.PathLike[str] | None = None) -> str:
    """Where the data lives, as given: a DuckDB file's path (``db_path``) or a shared backend's
    address, ``ducklake:postgres:dbname=impact host=...``."""
    if explicit and str(explicit).startswith("ducklake:"):
        return str(explicit)
    from_env = os.environ.get(ENV_DB)
    if not explicit and from_env and from_env.startswith("ducklake:"):
        return from_env
    return str(db_path(explicit))


# The installation's time zone: times are stored in UTC and shown in it.
ENV_TIMEZONE = "IMPACT_TIMEZONE"
DEFAULT_TIMEZONE = "Europe/Paris"


def timezone() -> zoneinfo.ZoneInfo:
    """``$IMPACT_TIMEZONE`` (an IANA name such as ``Europe/Paris``), else Europe/Paris."""
    name = os.environ.get(ENV_TIMEZONE) or DEFAULT_TIMEZONE
    try:
        return _zone(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as e:
        raise MetricsError.of("err.bad_timezone", zone=name, variable=ENV_TIMEZONE) from e


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def data_path() -> str | None:
    """``$IMPACT_DATA_PATH``: where a new shared backend keeps its data files."""
    return os.environ.get(ENV_DATA_PATH) or None


def db_memory() -> str:
    """``$IMPACT_DB_MEMORY`` if set, else 1 GB."""
    return os.environ.get(ENV_MEMORY) or DEFAULT_MEMORY


def db_wait() -> float:
    """``$IMPACT_DB_WAIT`` if set, else 60 seconds."""
    return float(os.environ.get(ENV_WAIT) or DEFAULT_WAIT)


# The address people open the app at, for the links the barometer sends (``/enquete?jeton=``).
ENV_BASE_URL = "IMPACT_BASE_URL"
DEFAULT_BASE_URL = "http://localhost:8501"
# The fewest answers a barometer group is shown with (never below 5: ``barometer.MINIMUM``).
ENV_SURVEY_MIN = "IMPACT_SURVEY_MIN"


def base_url() -> str:
    """``$IMPACT_BASE_URL`` (without a trailing slash), else ``http://localhost:8501``."""
    return (os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).rstrip("/")


def survey_min() -> int | None:
    """``$IMPACT_SURVEY_MIN`` as a number, if it is one (the barometer never goes below 5)."""
    text = os.environ.get(ENV_SURVEY_MIN, "").strip()
    return int(text) if text.isdigit() else None
