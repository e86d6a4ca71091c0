"""Settings of the installation, by name (its marker of a first start, single sign-on…)."""

from __future__ import annotations

from metrics.storage.backend import retried
from metrics.storage.database import Database

SETTING = "SELECT value FROM setting WHERE name = ?"
DELETE_SETTING = "DELETE FROM setting WHERE name = ?"
INSERT_SETTING = "INSERT INTO setting VALUES (?, ?)"


class Settings:
    """Named text values kept in the database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def setting(self, name: str) -> str | None:
        with self.db.cursor() as cur:
            row = cur.execute(SETTING, [name]).fetchone()
        return None if row is None else str(row[0])

    @retried
    def set_setting(self, name: str, value: str) -> None:
        with self.db.transaction() as cur:
            cur.execute(DELETE_SETTING, [name])
            cur.execute(INSERT_SETTING, [name, value])
