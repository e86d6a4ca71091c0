"""Where the database lives: one setting shared by the app and the CLI."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "impact.duckdb"
SAMPLE_WORKBOOK = ROOT / "sample_data" / "alliances_exemple.xlsx"
ENV_DB = "IMPACT_DB"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` if given, else ``$IMPACT_DB``, else ``data/impact.duckdb`` (git-ignored)."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(ENV_DB)
    if from_env:
        return Path(from_env)
    return DEFAULT_DB
