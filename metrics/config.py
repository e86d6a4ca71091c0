"""Where the database lives: one setting shared by the app and the CLI."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "impact.duckdb"
SAMPLE_WORKBOOK = ROOT / "sample_data" / "alliances_exemple.xlsx"
ENV_DB = "IMPACT_DB"
# DuckDB's memory for one process: beyond it, large sorts, joins and inserts spill to a
# temporary folder beside the database instead of growing. A DuckDB size ("1GB", "512MB").
ENV_MEMORY = "IMPACT_DB_MEMORY"
DEFAULT_MEMORY = "1GB"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` if given, else ``$IMPACT_DB``, else ``data/impact.duckdb`` (git-ignored)."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(ENV_DB)
    if from_env:
        return Path(from_env)
    return DEFAULT_DB


def db_memory() -> str:
    """``$IMPACT_DB_MEMORY`` if set, else 1 GB."""
    return os.environ.get(ENV_MEMORY) or DEFAULT_MEMORY
