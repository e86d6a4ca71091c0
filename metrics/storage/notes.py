"""The steering committee's notes and decisions: the store's side.

A note belongs to an alliance and, optionally, to one indicator and one period. It keeps its
author and date, and every version: an edit or a withdrawal adds a version (nothing is
overwritten), and the note reads as its latest one. Who reads an alliance reads its notes;
who may write them follows the alliance roles (``note`` right: editor, lead, admin); only the
author edits or withdraws a note, while still holding that right.

Bound parameters; each write with its line of the audit log, in one transaction.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from metrics.base import clock, limits
from metrics.base.access import Actor, Reader
from metrics.base.errors import AccessDenied, MetricsError
from metrics.base.periods import parse_period
from metrics.storage import backend
from metrics.storage.audit import AuditLog
from metrics.storage.backend import retried
from metrics.storage.database import Database

KINDS = ("note", "decision")

# Each note as its latest version, with its author's name, the first and last dates, and how
# many versions it has; withdrawn notes are left out unless asked for.
NOTES = """
WITH latest AS (
    SELECT note_id, arg_max(v, version) AS v, count(*) AS versions, max(written_at) AS edited_at
    FROM note_version v GROUP BY note_id
)
SELECT n.id, a.name AS alliance, n.indicator, n.period, l.v.kind AS kind, l.v.body AS body,
       n.author, coalesce(acc.name, n.author) AS author_name, n.created_at, l.edited_at,
       l.versions, l.v.withdrawn AS withdrawn
FROM note n
JOIN alliance a ON a.id = n.alliance_id
JOIN latest l ON l.note_id = n.id
LEFT JOIN account acc ON acc.email = n.author
WHERE a.name = $alliance AND ($withdrawn OR NOT l.v.withdrawn)
ORDER BY n.created_at DESC, n.id DESC
"""

NOTE_HISTORY = """
SELECT v.version, v.kind, v.body, v.withdrawn, v.written_at, v.written_by,
       coalesce(acc.name, v.written_by) AS written_by_name
FROM note_version v LEFT JOIN account acc ON acc.email = v.written_by
WHERE v.note_id = $note ORDER BY v.version
"""

NOTE_OWNER = (
    "SELECT a.name, n.author FROM note n JOIN alliance a ON a.id = n.alliance_id WHERE n.id = ?"
)

ALLIANCE_ID = "SELECT id FROM alliance WHERE name = ?"
INDICATOR_EXISTS = "SELECT 1 FROM indicator WHERE code = ?"
INSERT_NOTE = (
    "INSERT INTO note (id, alliance_id, indicator, period, author, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
LATEST_VERSION = (
    "SELECT arg_max(v, version), max(version) + 1 FROM note_version v WHERE note_id = ?"
)
ADD_VERSION = (
    "INSERT INTO note_version (note_id, version, kind, body, withdrawn, written_at, written_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


class Notes:
    """Notes and decisions (see the module)."""

    def __init__(self, db: Database, log: AuditLog) -> None:
        self.db = db
        self.log = log

    def notes(self, actor: Reader, alliance: str, withdrawn: bool = False) -> pd.DataFrame:
        """The notes of ``alliance``, newest first: ``id``, ``indicator`` and ``period`` (or
        None), ``kind``, ``body``, ``author`` (e-mail) and ``author_name``, ``created_at``,
        ``edited_at``, ``versions``, ``withdrawn``."""
        self._readable(actor, alliance)
        return self.db.frame(NOTES, {"alliance": alliance, "withdrawn": withdrawn})

    def note_history(self, actor: Reader, note_id: int) -> pd.DataFrame:
        """Every version of a note, oldest first (whoever reads its alliance reads them)."""
        alliance, _ = self._note(note_id)
        self._readable(actor, alliance)
        return self.db.frame(NOTE_HISTORY, {"note": note_id})

    @retried
    def add_note(
        self,
        actor: Actor,
        alliance: str,
        kind: str,
        body: str,
        indicator: str | None = None,
        period: Any = None,
    ) -> int:
        """Write a note (``kind`` note or decision) on ``alliance``, optionally on one indicator
        and one period (``2024``, ``T2 2024``, ``2024-05``…); returns its number."""
        if not actor.may("note", alliance):  # written to the audit log, as every refusal
            self.log.record(actor, "note_add", alliance, {"kind": kind}, outcome="refused")
            if not actor.reads(alliance):
                raise AccessDenied.of("err.access_denied", name=alliance)
            raise AccessDenied.of("err.note_denied", name=alliance)
        body = self._checked(kind, body)
        shown = None
        if period is not None and str(period).strip():
            parsed = parse_period(period)
            if parsed is None:
                raise MetricsError.of("err.note_period", period=period)
            shown = parsed.canonical
        with self.db.transaction() as cur:
            row = cur.execute(ALLIANCE_ID, [alliance]).fetchone()
            if row is None:
                raise AccessDenied.of("err.access_denied", name=alliance)
            if indicator is not None:
                known = cur.execute(INDICATOR_EXISTS, [indicator])
                if known.fetchone() is None:
                    raise MetricsError.of("err.note_indicator", code=indicator)
            now = clock.now()
            note_id = backend.next_id(cur, "note")
            cur.execute(INSERT_NOTE, [note_id, row[0], indicator, shown, actor.email, now])
            cur.execute(ADD_VERSION, [note_id, 1, kind, body, False, now, actor.email])
            self.log.add(
                cur, actor, "note_add", f"note #{note_id}", {"alliance": alliance, "kind": kind}
            )
        return note_id

    def edit_note(self, actor: Actor, note_id: int, kind: str, body: str) -> None:
        """A new version of a note: by its author only, who must still hold the right to write
        notes on its alliance; the earlier versions stay."""
        self._new_version(actor, note_id, "note_edit", kind=kind, body=body)

    # =kind, body=body)

    def withdraw_note(self, actor: Actor, note_id: int) -> None:
        """Take a note off the dashboard and the pack (by its author; its versions stay)."""
        self._new_version(actor, note_id, "note_withdraw")

    # -- helpers -------------------------------------------------------------------------------

    def _readable(self, actor: Reader, alliance: str) -> None:
        if not actor.reads(alliance):
            raise AccessDenied.of("err.access_denied", name=alliance)

    def _note(self, note_id: int) -> tuple[str, str]:
        """The alliance and the author of a note."""
        with self.db.cursor() as cur:
            row = cur.execute(NOTE_OWNER, [note_id]).fetchone()
        if row is None:
            raise MetricsError.of("err.no_such_note", note=note_id)
        return str(row[0]), str(row[1])

    @staticmethod
    def _checked(kind: str, body: str) -> str:
        if kind not in KINDS:
            raise MetricsError.of("err.note_kind", kind=kind)
        body = (body or "").strip()
        if not body:
            raise MetricsError.of("err.note_empty")
        if len(body) > limits.MAX_NOTE:
            raise MetricsError.of("err.note_long", limit=limits.MAX_NOTE, length=len(body))
        return body

    @retried
    def _new_version(
        self,
        actor: Actor,
        note_id: int,
        action: str,
        kind: str | None = None,
        body: str | None = None,
    ) -> None:
        alliance, author = self._note(note_id)
        if author != actor.email or not actor.may("note", alliance):
            self.log.record(
                actor, action, f"note #{note_id}", {"author": author}, outcome="refused"
            )
            self._readable(actor, alliance)
            raise AccessDenied.of("err.note_not_author", note=note_id)
        if body is not None:
            body = self._checked(kind or "", body)
        with self.db.transaction() as cur:
            latest = cur.execute(LATEST_VERSION, [note_id]).fetchone()
            assert latest is not None
            was, version = latest[0], int(latest[1])
            if was["withdrawn"]:
                raise MetricsError.of("err.note_withdrawn", note=note_id)
            withdrawn = action == "note_withdraw"
            cur.execute(
                ADD_VERSION,
                [
                    note_id,
                    version,
                    kind or was["kind"],
                    body if body is not None else was["body"],
                    withdrawn,
                    clock.now(),
                    actor.email,
                ],
            )
            self.log.add(cur, actor, action, f"note #{note_id}", {"version": version})
