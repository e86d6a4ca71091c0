"""Uploads: the files imported, who sent them and when, their status (submitted, validated,
rolled back) and their original bytes. Rolling back an upload hides its rows (each key falls
back to its previous value); validating it lets funders read them. Both keep the kept tables
(``metrics.storage.kept``) and the reference data (``reference.restore_references``) in step,
in their transaction."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from metrics.base import clock
from metrics.base.access import Actor, Reader
from metrics.base.errors import AccessDenied, StoreError
from metrics.storage import kept
from metrics.storage.audit import AuditLog
from metrics.storage.backend import retried
from metrics.storage.database import Database
from metrics.storage.reference import restore_references
from metrics.storage.scope import MEMBER_FILTER, scoped

# The uploads an account may list: those holding rows of an alliance it reads in full. An upload
# that also holds other alliances' rows is listed without its file name, hash and counts
# (``others`` > 0): they would tell about alliances the account cannot read.
UPLOADS = f"""
WITH touched AS (
    SELECT ua.upload_id,
           list(a.name ORDER BY a.name) FILTER (WHERE {MEMBER_FILTER}) AS alliances,
           count(*) FILTER (WHERE NOT {MEMBER_FILTER}) AS others
    FROM upload_alliance ua JOIN alliance a ON a.id = ua.alliance_id
    GROUP BY ua.upload_id
),
shown AS (
    SELECT u.*, coalesce(t.alliances, []) AS alliances, coalesce(t.others, 0) AS others
    FROM upload u LEFT JOIN touched t ON t.upload_id = u.id
    WHERE $all_scope OR len(coalesce(t.alliances, [])) > 0
)
SELECT id,
       CASE WHEN others = 0 THEN file_name END AS file_name,
       CASE WHEN others = 0 THEN sha256 END AS sha256,
       CASE WHEN others = 0 THEN size END AS size,
       uploaded_by, uploaded_at,
       CASE WHEN others = 0 THEN added END AS added,
       CASE WHEN others = 0 THEN changed END AS changed,
       CASE WHEN others = 0 THEN unchanged END AS unchanged,
       CASE WHEN others = 0 THEN missing END AS missing,
       rolled_back_at, rolled_back_by, validated_at, validated_by,
       CASE WHEN rolled_back_at IS NOT NULL THEN 'rolled_back'
            WHEN validated_at IS NOT NULL THEN 'validated'
            ELSE 'submitted' END AS status,
       alliances, others
FROM shown
ORDER BY id DESC
"""

# The latest upload (not rolled back) that brought an alliance values, among those the account
# reads: a funder, the latest validated one.
LATEST_UPLOAD = """
SELECT u.id, u.uploaded_at,
       CASE WHEN u.validated_at IS NOT NULL THEN 'validated' ELSE 'submitted' END AS status
FROM upload u
JOIN upload_alliance ua ON ua.upload_id = u.id
JOIN alliance a ON a.id = ua.alliance_id
WHERE a.name = $alliance AND u.rolled_back_at IS NULL
  AND ($all_scope OR list_contains($full, a.name)
       OR (u.validated_at IS NOT NULL AND list_contains($validated, a.name)))
ORDER BY u.id DESC
LIMIT 1
"""

# The alliances an upload holds rows of.
UPLOAD_ALLIANCES = """
SELECT a.name FROM upload_alliance ua JOIN alliance a ON a.id = ua.alliance_id
WHERE ua.upload_id = ? ORDER BY a.name
"""
UPLOAD_FILE = "SELECT file_name, content FROM upload WHERE id = ?"
UPLOAD_STATE = "SELECT rolled_back_at, validated_at FROM upload WHERE id = ?"

# Rolling back or validating an upload: who and when.
MARK_UPLOAD = {
    "rollback": "UPDATE upload SET rolled_back_at = ?, rolled_back_by = ? WHERE id = ?",
    "validate": "UPDATE upload SET validated_at = ?, validated_by = ? WHERE id = ?",
}

# Everything an upload or a note can change, in one small query.
DATA_VERSION = (
    "SELECT count(*), coalesce(max(id), 0), count(rolled_back_at), "
    "count(validated_at), (SELECT count(*) FROM note_version), "
    "(SELECT count(*) FROM flag_check) FROM upload"
)


def _upload_state(cur: duckdb.DuckDBPyConnection, upload_id: int) -> tuple[Any, Any]:
    """When the upload was rolled back and validated (``None`` for not yet)."""
    row = cur.execute(UPLOAD_STATE, [upload_id]).fetchone()
    if row is None:
        raise StoreError.of("err.no_such_upload", upload=upload_id)
    return row[0], row[1]


class Uploads:
    """The uploads an account reads, their files, their rollback and validation."""

    def __init__(self, db: Database, log: AuditLog) -> None:
        self.db = db
        self.log = log

    def uploads(self, actor: Reader) -> pd.DataFrame:
        """The uploads holding rows of an alliance the account reads in full, newest first,
        with their status (``submitted``, ``validated``, ``rolled_back``)."""
        params = actor.read_params()
        return self.db.frame(UPLOADS, {"all_scope": params["all_scope"], "full": params["full"]})

    def latest_upload(self, actor: Reader, alliance: str) -> dict[str, Any] | None:
        """The latest upload that brought ``alliance`` values (``id``, ``uploaded_at``,
        ``status``), as ``actor`` reads the alliance (a funder: validated uploads only); None
        when there is none."""
        rows = self.db.frame(LATEST_UPLOAD, scoped(actor, alliance)).to_dict("records")
        return {str(k): v for k, v in rows[0].items()} if rows else None

    def upload_alliances(self, upload_id: int) -> list[str]:
        with self.db.cursor() as cur:
            return [r[0] for r in cur.execute(UPLOAD_ALLIANCES, [upload_id]).fetchall()]

    def upload_file(self, upload_id: int, actor: Actor) -> tuple[str, bytes]:
        """The original file of an upload, byte for byte: only for an account that may read
        every alliance the file holds rows of. Written to the audit log, refused or not."""
        with self.db.cursor() as cur:
            row = cur.execute(UPLOAD_FILE, [upload_id]).fetchone()
        if row is None:
            raise StoreError.of("err.no_such_upload", upload=upload_id)
        self._check_upload_right(actor, "download", upload_id)
        self.log.record(actor, "download", f"#{upload_id}", {"file": str(row[0])})
        return str(row[0]), bytes(row[1])

    def data_version(self) -> tuple[int, ...]:
        """A fingerprint of everything an upload, a note or a checked value can change, read in
        one small query: any import, rollback, validation, note or check, in any process, gives
        another one (caches are keyed by it)."""
        with self.db.cursor() as cur:
            row = cur.execute(DATA_VERSION).fetchone()
        return tuple(int(x) for x in row) if row else ()

    def rollback(self, upload_id: int, actor: Actor) -> None:
        """Hide an upload's values: each key falls back to its previous value. Needs the
        ``rollback`` right (editor, lead) on every alliance the upload holds rows of."""
        self._mark_upload(upload_id, actor, "rollback")

    def validate(self, upload_id: int, actor: Actor) -> None:
        """Mark an upload as checked by the steering committee: funders then read it. Needs
        the ``validate`` right (lead) on every alliance the upload holds rows of."""
        self._mark_upload(upload_id, actor, "validate")

    def _check_upload_right(self, actor: Actor, right: str, upload_id: int) -> list[str]:
        """The alliances the upload holds rows of, if ``actor`` may ``right`` on every one of
        them (an upload of no alliance's rows, such as indicators alone, is the admin's);
        else the refusal is written to the audit log and raised."""
        alliances = self.upload_alliances(upload_id)
        if actor.admin or (alliances and actor.may_all(right, alliances)):
            return alliances
        details = {"refused": actor.refused(right, alliances)}
        self.log.record(actor, right, f"#{upload_id}", details, outcome="refused")
        raise AccessDenied.of(f"err.{right}_upload_denied", upload=upload_id)

    @retried
    def _mark_upload(self, upload_id: int, actor: Actor, right: str) -> None:
        """Roll back or validate an upload: it must exist, the account must have the right on
        every alliance it holds rows of, and it must not be rolled back (nor, to validate,
        validated already); written with its line of the audit log."""
        with self.db.cursor() as cur:
            _upload_state(cur, upload_id)  # "does not exist" before "refused"
        self._check_upload_right(actor, right, upload_id)
        with self.db.transaction() as cur:
            rolled_back, validated = _upload_state(cur, upload_id)
            if rolled_back is not None:
                key = (
                    "err.already_rolled_back" if right == "rollback" else "err.validate_rolled_back"
                )
                raise StoreError.of(key, upload=upload_id)
            if right == "validate" and validated is not None:
                raise StoreError.of("err.already_validated", upload=upload_id)
            # The statements are constants chosen by ``right``; the values are bound.
            cur.execute(MARK_UPLOAD[right], [clock.now(), actor.email, upload_id])
            if right == "rollback":
                restore_references(cur, upload_id)
            kept.refresh(cur, kept.touched_by(cur, upload_id))
            self.log.add(cur, actor, right, f"#{upload_id}")
