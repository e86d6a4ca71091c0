"""The audit log: every change and every refusal, with who, when, on what, and details as keys
and parameters (never sentences: the audit page says them in its reader's language)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import duckdb
import pandas as pd

from metrics.base import clock
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied
from metrics.storage import backend
from metrics.storage.backend import retried
from metrics.storage.database import Database

ADD_LINE = (
    "INSERT INTO audit_log (id, logged_at, account, action, object, outcome, details) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
AUDIT = """
SELECT id, logged_at AS time, account, action, object, outcome, details
FROM audit_log
WHERE ($since IS NULL OR logged_at >= $since)
ORDER BY id
"""


class AuditLog:
    """Writes (inside a caller's transaction, or in one of its own) and reads of the log."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def add(
        cur: duckdb.DuckDBPyConnection,
        who: Actor | str,
        action: str,
        obj: str = "",
        details: dict[str, Any] | None = None,
        outcome: str = "ok",
        at: dt.datetime | None = None,
    ) -> None:
        """One line of the audit log, inside the caller's transaction."""
        account = who.email if isinstance(who, Actor) else who
        cur.execute(
            ADD_LINE,
            [
                backend.time_id(),
                at or clock.now(),
                account,
                action,
                obj,
                outcome,
                json.dumps(details or {}, ensure_ascii=False, default=str, sort_keys=True),
            ],
        )

    @retried
    def record(
        self,
        who: Actor | str,
        action: str,
        obj: str = "",
        details: dict[str, Any] | None = None,
        outcome: str = "ok",
        at: dt.datetime | None = None,
    ) -> None:
        """One line of the audit log, in a transaction of its own (sign-ins, refusals, reads
        that are recorded such as downloads and exports). Without the store's turn: its id
        needs no check (``backend.time_id``), and an import running elsewhere need not start
        again for it."""
        with self.db.transaction(turn=False) as cur:
            self.add(cur, who, action, obj, details, outcome, at)

    def audit(self, actor: Actor, since: dt.datetime | None = None) -> pd.DataFrame:
        """The audit log from ``since`` on, oldest first: admins only."""
        if not actor.admin:
            raise AccessDenied.of("err.admin_only")
        return self.db.frame(AUDIT, {"since": since})

    def audit_iter(
        self, actor: Actor, since: dt.datetime | None = None
    ) -> Iterator[dict[str, Any]]:
        """The audit log as dictionaries (JSON lines for the CLI)."""
        for row in self.audit(actor, since).to_dict("records"):
            yield {str(k): v for k, v in row.items()} | {
                "details": json.loads(str(row["details"] or "{}"))
            }
