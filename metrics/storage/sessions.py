"""Sign-in sessions (a token's hash, its account, when it was opened and last active) and what
the sign-in throttle reads (the failed sign-ins in the audit log)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import duckdb

from metrics.base import clock
from metrics.base.access import normalise_email
from metrics.storage.audit import AuditLog
from metrics.storage.backend import retried
from metrics.storage.database import Database, Occupied

# A client's failed sign-ins on an e-mail after its last success there and the e-mail's last
# unlock; then every client's since the e-mail's last success or unlock.
SIGN_IN_FAILURES_FROM = """
SELECT logged_at FROM audit_log
WHERE object = ? AND action = 'sign_in_failed' AND logged_at >= ?
  AND coalesce(json_extract_string(details, '$.client'), '') = ?
  AND id > coalesce((
      SELECT max(id) FROM audit_log
      WHERE object = ? AND outcome = 'ok' AND (action = 'sign_in_unlock' OR (action = 'sign_in'
        AND coalesce(json_extract_string(details, '$.client'), '') = ?))
  ), -1)
ORDER BY id
"""
CONSECUTIVE_FAILURES = """
SELECT count(*) FROM audit_log
WHERE object = ? AND action = 'sign_in_failed' AND id > coalesce((
    SELECT max(id) FROM audit_log
    WHERE object = ? AND outcome = 'ok' AND action IN ('sign_in', 'sign_in_unlock')
), -1)
"""

OPEN_SESSION = "INSERT INTO app_session VALUES (?, ?, ?, ?, ?, NULL)"
SEEN = "UPDATE account SET last_seen_at = ? WHERE email = ?"
LIVE_SESSION = (
    "SELECT email, method, created_at, last_seen_at FROM app_session "
    "WHERE token_hash = ? AND ended_at IS NULL"
)
TOUCH_SESSION = "UPDATE app_session SET last_seen_at = ? WHERE token_hash = ?"
END_SESSION = "UPDATE app_session SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL"
# An account's live sessions but one (its token's hash; '' for none), counted, then ended.
_OTHER_SESSIONS = "email = ? AND ended_at IS NULL AND token_hash <> ?"
COUNT_OTHER_SESSIONS = f"SELECT count(*) FROM app_session WHERE {_OTHER_SESSIONS}"
END_OTHER_SESSIONS = f"UPDATE app_session SET ended_at = ? WHERE {_OTHER_SESSIONS}"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def end_other_sessions(cur: duckdb.DuckDBPyConnection, email: str, keep: str | None = None) -> int:
    """End every live session of ``email`` but the one whose token is ``keep``, inside the
    caller's transaction (a password set, an account disabled); how many ended."""
    params = [email, _token_hash(keep) if keep else ""]
    row = cur.execute(COUNT_OTHER_SESSIONS, params).fetchone()
    cur.execute(END_OTHER_SESSIONS, [clock.now(), *params])
    return int(row[0]) if row else 0


class Sessions:
    """Sessions, and the failed sign-ins the throttle counts."""

    def __init__(self, db: Database, log: AuditLog) -> None:
        self.db = db
        self.log = log

    def sign_in_failures(
        self, email: str, client: str, since: dt.datetime
    ) -> tuple[list[dt.datetime], int]:
        """What the sign-in throttle reads for ``email``: the times of the failed sign-ins from
        ``client`` since ``since``, its last successful sign-in and the last unlock, oldest
        first; and the failures from any client since the e-mail's last successful sign-in
        or unlock."""
        email = normalise_email(email)
        with self.db.cursor() as cur:
            params = [email, since, client, email, client]
            mine = cur.execute(SIGN_IN_FAILURES_FROM, params).fetchall()
        return [r[0] for r in mine], self.failed_sign_ins(email)

    def failed_sign_ins(self, email: str) -> int:
        """The failed sign-ins of ``email`` since its last success or unlock, any client."""
        email = normalise_email(email)
        with self.db.cursor() as cur:
            row = cur.execute(CONSECUTIVE_FAILURES, [email, email]).fetchone()
        return int(row[0]) if row else 0

    @retried
    def open_session(self, email: str, method: str, now: dt.datetime) -> str:
        """A new session for ``email``: returns its token (only its hash is stored). The
        account is marked active at ``now`` (single sign-on reads it to resume a session)."""
        token = secrets.token_urlsafe(32)
        email = normalise_email(email)
        # Without the store's turn (``backend.TURN``): a random token needs no check, and an
        # import running in another process need not start again for a sign-in.
        with self.db.transaction(turn=False) as cur:
            cur.execute(OPEN_SESSION, [_token_hash(token), email, method, now, now])
            cur.execute(SEEN, [now, email])
        return token

    def resume_session(
        self, token: str, now: dt.datetime, idle: dt.timedelta, lifetime: dt.timedelta
    ) -> tuple[str, str] | str | None:
        """(e-mail, method) of a live session; ``"expired"`` for a session idle for longer than
        ``idle`` or opened longer than ``lifetime`` ago, which ends here (written to the audit
        log); ``None`` for an unknown or ended one (signed out, or its password was set)."""
        with self.db.cursor() as cur:
            row = cur.execute(LIVE_SESSION, [_token_hash(token)]).fetchone()
        if row is None:
            return None
        email, method, created, last_seen = str(row[0]), str(row[1]), row[2], row[3]
        if now - last_seen > idle or now - created > lifetime:
            self.end_session(token, now, "session_expired", email)
            return "expired"
        return email, method

    @retried
    def touch_session(self, token: str, email: str, now: dt.datetime) -> bool:
        """Remember that the session (and its account) was active at ``now`` (every minute of
        activity: without the store's turn, as ``open_session``). Never queued behind another
        write of this process (an import of a large file): then nothing is written, ``False``
        is returned, and a later run touches it."""
        try:
            with self.db.transaction(turn=False, wait=False) as cur:
                cur.execute(TOUCH_SESSION, [now, _token_hash(token)])
                cur.execute(SEEN, [now, email])
        except Occupied:
            return False
        return True

    @retried
    def end_session(
        self, token: str | None, now: dt.datetime, action: str, email: str | None
    ) -> None:
        """End a session (sign-out or expiry), written to the audit log: every browser holding
        its token is signed out at its next run. Without the store's turn, as
        ``open_session``."""
        with self.db.transaction(turn=False) as cur:
            if token:
                cur.execute(END_SESSION, [now, _token_hash(token)])
            if email:
                self.log.add(cur, email, action, email)
