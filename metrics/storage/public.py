"""Alliances' public pages for their citizens: whether a lead has turned one on, and the links
it gives (its crowdfunding, its forum). What the page shows of the alliance is read as a funder
reads it, validated data only (``metrics.usecases.public``).

Each change adds a row (the latest is the page as it stands), with its line of the audit log.
"""

from __future__ import annotations

import json
from typing import Any

from metrics.base import clock
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, MetricsError
from metrics.storage.audit import AuditLog
from metrics.storage.backend import retried
from metrics.storage.database import Database

LATEST = """
SELECT p.enabled, p.links, p.changed_by, p.changed_at
FROM alliance_public p JOIN alliance a ON a.id = p.alliance_id
WHERE a.name = ?
ORDER BY p.changed_at DESC
LIMIT 1
"""
ALLIANCE_ID = "SELECT id FROM alliance WHERE name = ?"
INSERT = "INSERT INTO alliance_public VALUES (?, ?, ?, ?, ?)"


class PublicPages:
    """Which alliances show a public page, and its links (see the module)."""

    def __init__(self, db: Database, log: AuditLog) -> None:
        self.db = db
        self.log = log

    def public_page(self, alliance: str) -> dict[str, Any]:
        """The alliance's public page: ``enabled`` (off until a lead turns it on) and its
        ``links`` (label, url), with who changed it last and when."""
        with self.db.cursor() as cur:
            row = cur.execute(LATEST, [alliance]).fetchone()
        if row is None:
            return {"enabled": False, "links": [], "changed_by": None, "changed_at": None}
        enabled, links, by, at = row
        return {
            "enabled": bool(enabled),
            "links": json.loads(links),
            "changed_by": by,
            "changed_at": at,
        }

    @retried
    def set_public_page(
        self, actor: Actor, alliance: str, enabled: bool, links: list[dict[str, str]]
    ) -> None:
        """Turn the alliance's public page on or off, with its links: a lead of the alliance
        or an admin."""
        if not actor.may("publish", alliance):
            raise AccessDenied.of("err.public_denied", alliance=alliance)
        now = clock.now()
        with self.db.transaction() as cur:
            row = cur.execute(ALLIANCE_ID, [alliance]).fetchone()
            if row is None:
                raise MetricsError.of("err.unknown_alliance", name=alliance)
            text = json.dumps(links, ensure_ascii=False)
            cur.execute(INSERT, [row[0], enabled, text, actor.email, now])
            details = {"enabled": enabled, "links": links}
            self.log.add(cur, actor, "public_page", alliance, details)
