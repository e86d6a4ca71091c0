"""The store's side of accounts: accounts, grants, portfolios, settings and the audit log.

A mixin of ``Store`` (the one door to the database): its queries run on the store's cursors and
transactions, with bound parameters. Every change takes the acting account and checks its right
before anything is written; every change and every refusal is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

import duckdb
import pandas as pd

from metrics.base import clock
from metrics.base.access import ALLIANCE_ROLES, ROLES, Actor, normalise_email, valid_email
from metrics.base.errors import AccessDenied, MetricsError
from metrics.storage import backend
from metrics.storage.backend import retried

LANGS = ("fr", "en")

GRANTS = """
SELECT g.email, g.role, a.name AS alliance, p.name AS portfolio, g.granted_at, g.granted_by
FROM access_grant g
LEFT JOIN alliance a ON a.id = g.alliance_id
LEFT JOIN portfolio p ON p.id = g.portfolio_id
WHERE ($email IS NULL OR g.email = $email)
ORDER BY g.email, g.role, alliance, portfolio
"""

FUNDED = """
SELECT p.name AS portfolio, a.name AS alliance
FROM access_grant g
JOIN portfolio p ON p.id = g.portfolio_id
JOIN portfolio_alliance pa ON pa.portfolio_id = p.id
JOIN alliance a ON a.id = pa.alliance_id
WHERE g.email = ? AND g.role = 'funder'
"""

ACCOUNTS = """
SELECT email, name, lang, status, password_hash IS NOT NULL AS has_password, demo,
       created_at, created_by, last_seen_at
FROM account ORDER BY email
"""

# One grant, by account, role and what it is on (NULL matching NULL).
_THE_GRANT = (
    "email = ? AND role = ? AND alliance_id IS NOT DISTINCT FROM ? "
    "AND portfolio_id IS NOT DISTINCT FROM ?"
)
COUNT_GRANT = "SELECT count(*) FROM access_grant WHERE " + _THE_GRANT
DELETE_GRANT = "DELETE FROM access_grant WHERE " + _THE_GRANT

PORTFOLIOS = """
SELECT p.name, list(a.name ORDER BY a.name) FILTER (WHERE a.name IS NOT NULL) AS alliances
FROM portfolio p
LEFT JOIN portfolio_alliance pa ON pa.portfolio_id = p.id
LEFT JOIN alliance a ON a.id = pa.alliance_id
GROUP BY p.name ORDER BY p.name
"""

AUDIT = """
SELECT id, logged_at AS time, account, action, object, outcome, details
FROM audit_log
WHERE ($since IS NULL OR logged_at >= $since)
ORDER BY id
"""


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


# An account's live sessions but one (its token's hash; '' for none), counted, then ended.
_OTHER_SESSIONS = "email = ? AND ended_at IS NULL AND token_hash <> ?"
COUNT_OTHER_SESSIONS = f"SELECT count(*) FROM app_session WHERE {_OTHER_SESSIONS}"
END_OTHER_SESSIONS = f"UPDATE app_session SET ended_at = ? WHERE {_OTHER_SESSIONS}"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountStore:
    """Accounts, grants, portfolios, settings and the audit log (mixed into ``Store``)."""

    # Provided by Store.
    def cursor(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        raise NotImplementedError

    def _transaction(
        self, lang: str = "fr", turn: bool = True
    ) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        raise NotImplementedError

    def _frame(self, sql: str, params: dict[str, Any] | list[Any] | None = None) -> pd.DataFrame:
        raise NotImplementedError

    # -- audit log -----------------------------------------------------------------------------

    def _audit(
        self,
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
            "INSERT INTO audit_log (id, logged_at, account, action, object, outcome, details) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                backend.next_id(cur, "audit_log"),
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
        that are recorded such as downloads and exports)."""
        with self._transaction() as cur:
            self._audit(cur, who, action, obj, details, outcome, at)

    def audit(
        self, actor: Actor, since: dt.datetime | None = None, lang: str = "fr"
    ) -> pd.DataFrame:
        """The audit log from ``since`` on, oldest first: admins only."""
        if not actor.admin:
            raise AccessDenied.of("err.admin_only")
        return self._frame(AUDIT, {"since": since})

    def sign_in_failures(
        self, email: str, client: str, since: dt.datetime
    ) -> tuple[list[dt.datetime], int]:
        """What the sign-in throttle reads for ``email``: the times of the failed sign-ins from
        ``client`` since ``since``, its last successful sign-in and the last unlock, oldest
        first; and the failures from any client since the e-mail's last successful sign-in
        or unlock."""
        email = normalise_email(email)
        with self.cursor() as cur:
            params = [email, since, client, email, client]
            mine = cur.execute(SIGN_IN_FAILURES_FROM, params).fetchall()
        return [r[0] for r in mine], self.failed_sign_ins(email)

    def failed_sign_ins(self, email: str) -> int:
        """The failed sign-ins of ``email`` since its last success or unlock, any client."""
        email = normalise_email(email)
        with self.cursor() as cur:
            row = cur.execute(CONSECUTIVE_FAILURES, [email, email]).fetchone()
        return int(row[0]) if row else 0

    # -- sessions ------------------------------------------------------------------------------

    @retried
    def open_session(self, email: str, method: str, now: dt.datetime) -> str:
        """A new session for ``email``: returns its token (only its hash is stored). The
        account is marked active at ``now`` (single sign-on reads it to resume a session)."""
        token = secrets.token_urlsafe(32)
        email = normalise_email(email)
        # Without the store's turn (``backend.TURN``): a random token needs no check, and an
        # import running in another process need not start again for a sign-in.
        with self._transaction(turn=False) as cur:
            cur.execute(
                "INSERT INTO app_session VALUES (?, ?, ?, ?, ?, NULL)",
                [_token_hash(token), email, method, now, now],
            )
            cur.execute("UPDATE account SET last_seen_at = ? WHERE email = ?", [now, email])
        return token

    def resume_session(
        self, token: str, now: dt.datetime, idle: dt.timedelta, lifetime: dt.timedelta
    ) -> tuple[str, str] | str | None:
        """(e-mail, method) of a live session; ``"expired"`` for a session idle for longer than
        ``idle`` or opened longer than ``lifetime`` ago, which ends here (written to the audit
        log); ``None`` for an unknown or ended one (signed out, or its password was set)."""
        with self.cursor() as cur:
            row = cur.execute(
                "SELECT email, method, created_at, last_seen_at FROM app_session "
                "WHERE token_hash = ? AND ended_at IS NULL",
                [_token_hash(token)],
            ).fetchone()
        if row is None:
            return None
        email, method, created, last_seen = str(row[0]), str(row[1]), row[2], row[3]
        if now - last_seen > idle or now - created > lifetime:
            self.end_session(token, now, "session_expired", email)
            return "expired"
        return email, method

    @retried
    def touch_session(self, token: str, email: str, now: dt.datetime) -> None:
        """Remember that the session (and its account) was active at ``now`` (every minute of
        activity: without the store's turn, as ``open_session``)."""
        with self._transaction(turn=False) as cur:
            cur.execute(
                "UPDATE app_session SET last_seen_at = ? WHERE token_hash = ?",
                [now, _token_hash(token)],
            )
            cur.execute("UPDATE account SET last_seen_at = ? WHERE email = ?", [now, email])

    @retried
    def end_session(
        self, token: str | None, now: dt.datetime, action: str, email: str | None
    ) -> None:
        """End a session (sign-out or expiry), written to the audit log: every browser holding
        its token is signed out at its next run."""
        with self._transaction() as cur:
            if token:
                cur.execute(
                    "UPDATE app_session SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                    [now, _token_hash(token)],
                )
            if email:
                self._audit(cur, email, action, email)

    def _end_sessions(
        self, cur: duckdb.DuckDBPyConnection, email: str, keep: str | None = None
    ) -> int:
        """End every live session of ``email`` but the one whose token is ``keep``, inside the
        caller's transaction; how many ended."""
        params = [email, _token_hash(keep) if keep else ""]
        row = cur.execute(COUNT_OTHER_SESSIONS, params).fetchone()
        cur.execute(END_OTHER_SESSIONS, [clock.now(), *params])
        return int(row[0]) if row else 0

    # -- settings ------------------------------------------------------------------------------

    def setting(self, name: str) -> str | None:
        with self.cursor() as cur:
            row = cur.execute("SELECT value FROM setting WHERE name = ?", [name]).fetchone()
        return None if row is None else str(row[0])

    @retried
    def set_setting(self, name: str, value: str) -> None:
        with self._transaction() as cur:
            cur.execute("DELETE FROM setting WHERE name = ?", [name])
            cur.execute("INSERT INTO setting VALUES (?, ?)", [name, value])

    # -- accounts ------------------------------------------------------------------------------

    def account(self, email: str) -> dict[str, Any] | None:
        """The stored account (with its password hash), or ``None``."""
        with self.cursor() as cur:
            cur.execute(
                "SELECT email, name, lang, status, password_hash, demo, last_seen_at "
                "FROM account WHERE email = ?",
                [normalise_email(email)],
            )
            row = cur.fetchone()
        if row is None:
            return None
        names = ("email", "name", "lang", "status", "password_hash", "demo", "last_seen_at")
        return dict(zip(names, row))

    def has_accounts(self) -> bool:
        with self.cursor() as cur:
            return cur.execute("SELECT 1 FROM account LIMIT 1").fetchone() is not None

    def actor(self, email: str) -> Actor | None:
        """The account as an actor, with its grants as they stand now; ``None`` for an
        unknown or disabled account."""
        account = self.account(email)
        if account is None or account["status"] != "active":
            return None
        grants = self._frame(GRANTS, {"email": account["email"]})
        with self.cursor() as cur:
            funded = cur.execute(FUNDED, [account["email"]]).fetchall()
        roles = frozenset(
            (str(g["alliance"]), str(g["role"]))
            for g in grants.to_dict("records")
            if g["role"] in ALLIANCE_ROLES and g["alliance"] is not None
        )
        return Actor(
            email=account["email"],
            name=account["name"],
            admin=bool((grants["role"] == "admin").any()),
            roles=roles,
            funded=frozenset(str(alliance) for _, alliance in funded),
            portfolios=frozenset(
                str(p) for p in grants.loc[grants["role"] == "funder", "portfolio"].dropna()
            ),
        )

    def accounts(self, actor: Actor, lang: str = "fr") -> pd.DataFrame:
        """The accounts ``actor`` manages, with their grants: every account for an admin, the
        accounts holding a role on its alliances for a lead."""
        if not actor.admin and not actor.managed():
            raise AccessDenied.of("err.manage_denied")
        frame = self._frame(ACCOUNTS)
        if not actor.admin:
            grants = self._frame(GRANTS, {"email": None})
            mine = set(grants.loc[grants["alliance"].isin(actor.managed()), "email"])
            frame = frame[[e in mine and self._manages_account(actor, e) for e in frame["email"]]]
        return frame.reset_index(drop=True)

    def grants(self, actor: Actor, lang: str = "fr") -> pd.DataFrame:
        """Every grant an admin sees; the grants on its alliances for a lead (those given to an
        address that has no account yet too: a lead cannot tell them apart)."""
        if not actor.admin and not actor.managed():
            raise AccessDenied.of("err.manage_denied")
        frame = self._frame(GRANTS, {"email": None})
        if not actor.admin:
            frame = frame[frame["alliance"].isin(actor.managed())]
        return frame.reset_index(drop=True)

    @retried
    def add_account(
        self,
        actor: Actor,
        email: str,
        name: str,
        lang: str = "fr",
        password_hash: str | None = None,
        demo: bool = False,
        language: str = "fr",
    ) -> str:
        """Create an account (admins and leads). Returns the normalised e-mail.

        A lead is told nothing about an address that already has an account: the call answers
        as for a new one and leaves the account as it is (its name, password and grants; a
        role the lead then grants is given to it), and the audit log says so."""
        email = normalise_email(email)
        if not actor.admin and not actor.managed():
            self.record(actor, "account_add", email, outcome="refused")
            raise AccessDenied.of("err.manage_denied")
        if not valid_email(email):
            raise MetricsError.of("err.bad_email", email=email)
        if not name.strip():
            raise MetricsError.of("err.account_name")
        with self._transaction(lang) as cur:
            exists = cur.execute("SELECT 1 FROM account WHERE email = ?", [email]).fetchone()
            if exists and not actor.admin:
                self._audit(cur, actor, "account_add", email, {"exists": True}, "refused")
                return email
            if exists:
                raise MetricsError.of("err.account_exists", email=email)
            cur.execute(
                "INSERT INTO account (email, name, lang, password_hash, demo, created_at, "
                "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    email,
                    name.strip(),
                    language if language in LANGS else "fr",
                    password_hash,
                    demo,
                    clock.now(),
                    actor.email,
                ],
            )
            self._audit(cur, actor, "account_add", email, {"name": name.strip()})
        return email

    def _require_account(self, cur: duckdb.DuckDBPyConnection, email: str, lang: str) -> None:
        if not cur.execute("SELECT 1 FROM account WHERE email = ?", [email]).fetchone():
            raise MetricsError.of("err.no_such_account", email=email)

    def _manages_account(self, actor: Actor, email: str) -> bool:
        """An admin manages every account. A lead manages an account made for the alliances
        it leads: every grant of the account is an alliance role on one of them (at least one;
        never an admin, never a funder), and the account was created by the lead, or one of
        those roles was given by whoever created the account or by an admin. An account that
        existed before a lead gave it a role (somebody else's, or one left without a role) is
        not the lead's: a grant does not hand over its password."""
        if actor.admin:
            return True
        email = normalise_email(email)
        grants = self._frame(GRANTS, {"email": email})
        if not (
            len(grants) > 0
            and bool(grants["role"].isin(ALLIANCE_ROLES).all())
            and set(grants["alliance"]) <= set(actor.managed())
        ):
            return False
        with self.cursor() as cur:
            row = cur.execute("SELECT created_by FROM account WHERE email = ?", [email]).fetchone()
        if row is None:
            return False
        creator = str(row[0])
        givers = set(grants["granted_by"])
        return creator == actor.email or creator in givers or any(map(self._vouches, givers))

    def _vouches(self, name: str) -> bool:
        """Whether a grant given by ``name`` was given by an admin: an admin account, or one
        who holds the database (the CLI and installs act under a name that is no account)."""
        with self.cursor() as cur:
            account = cur.execute("SELECT 1 FROM account WHERE email = ?", [name]).fetchone()
            admin = cur.execute(
                "SELECT 1 FROM access_grant WHERE email = ? AND role = 'admin'", [name]
            ).fetchone()
        return account is None or admin is not None

    @retried
    def set_password(
        self,
        actor: Actor,
        email: str,
        password_hash: str,
        lang: str = "fr",
        keep: str | None = None,
    ) -> None:
        """Set an account's password (its owner, an admin, a lead of an account it manages).
        Every session of the account ends, but the one whose token is ``keep`` when the owner
        sets its own password."""
        email = normalise_email(email)
        if actor.email != email and not self._manages_account(actor, email):
            self.record(actor, "password_set", email, outcome="refused")
            raise AccessDenied.of("err.manage_denied")
        with self._transaction(lang) as cur:
            self._require_account(cur, email, lang)
            cur.execute(
                "UPDATE account SET password_hash = ? WHERE email = ?", [password_hash, email]
            )
            ended = self._end_sessions(cur, email, keep if actor.email == email else None)
            self._audit(cur, actor, "password_set", email, {"sessions_ended": ended})

    @retried
    def unlock(self, actor: Actor, email: str, lang: str = "fr") -> None:
        """Lift the sign-in throttle of an account (admins, a lead of an account it manages):
        its failures so far no longer count, from any client."""
        email = normalise_email(email)
        if not self._manages_account(actor, email):
            self.record(actor, "sign_in_unlock", email, outcome="refused")
            raise AccessDenied.of("err.manage_denied")
        with self._transaction(lang) as cur:
            self._require_account(cur, email, lang)
            self._audit(cur, actor, "sign_in_unlock", email)

    @retried
    def set_status(self, actor: Actor, email: str, status: str, lang: str = "fr") -> None:
        """Disable (``disabled``) or enable (``active``) an account."""
        email = normalise_email(email)
        action = "account_disable" if status == "disabled" else "account_enable"
        if status not in ("active", "disabled"):
            raise ValueError(status)
        if not self._manages_account(actor, email):
            self.record(actor, action, email, outcome="refused")
            raise AccessDenied.of("err.manage_denied")
        with self._transaction(lang) as cur:
            self._require_account(cur, email, lang)
            if status == "disabled":
                self._keep_an_admin(cur, email, lang)
            cur.execute("UPDATE account SET status = ? WHERE email = ?", [status, email])
            details = (
                {"sessions_ended": self._end_sessions(cur, email)} if status != "active" else {}
            )
            self._audit(cur, actor, action, email, details)

    def _keep_an_admin(self, cur: duckdb.DuckDBPyConnection, email: str, lang: str) -> None:
        """Refuse a change that would leave no active admin."""
        others = cur.execute(
            "SELECT count(*) FROM access_grant g JOIN account c ON c.email = g.email "
            "WHERE g.role = 'admin' AND c.status = 'active' AND g.email <> ?",
            [email],
        ).fetchone()
        is_admin = cur.execute(
            "SELECT 1 FROM access_grant WHERE role = 'admin' AND email = ?", [email]
        ).fetchone()
        if is_admin and others is not None and others[0] == 0:
            raise MetricsError.of("err.last_admin")

    def _target_ids(
        self,
        cur: duckdb.DuckDBPyConnection,
        role: str,
        alliance: str | None,
        portfolio: str | None,
        lang: str,
    ) -> tuple[int | None, int | None]:
        """The alliance or portfolio a role is granted on, checked against the role."""
        if role not in ROLES:
            raise MetricsError.of("err.bad_role", role=role, roles=", ".join(ROLES))
        if role in ALLIANCE_ROLES:
            if not alliance or portfolio:
                raise MetricsError.of("err.role_needs_alliance", role=role)
            row = cur.execute("SELECT id FROM alliance WHERE name = ?", [alliance]).fetchone()
            if row is None:
                raise MetricsError.of("err.unknown_alliance_name", name=alliance)
            return int(row[0]), None
        if role == "funder":
            if not portfolio or alliance:
                raise MetricsError.of("err.role_needs_portfolio")
            row = cur.execute("SELECT id FROM portfolio WHERE name = ?", [portfolio]).fetchone()
            if row is None:
                raise MetricsError.of("err.no_such_portfolio", name=portfolio)
            return None, int(row[0])
        if alliance or portfolio:
            raise MetricsError.of("err.admin_no_target")
        return None, None

    def _may_grant(self, actor: Actor, role: str, alliance: str | None) -> bool:
        """Admins grant anything; a lead grants alliance roles on the alliances it leads."""
        return actor.admin or (
            role in ALLIANCE_ROLES and alliance is not None and actor.may("manage", alliance)
        )

    def _check_grant_right(
        self,
        actor: Actor,
        action: str,
        email: str,
        role: str,
        alliance: str | None,
        portfolio: str | None,
        lang: str,
    ) -> str:
        """The normalised e-mail if ``actor`` may grant or revoke ``role`` there; else the
        refusal is written to the audit log and raised."""
        email = normalise_email(email)
        if not self._may_grant(actor, role, alliance):
            details = {"role": role, "on": alliance or portfolio}
            self.record(actor, action, email, details, outcome="refused")
            raise AccessDenied.of("err.manage_denied")
        return email

    @retried
    def grant(
        self,
        actor: Actor,
        email: str,
        role: str,
        alliance: str | None = None,
        portfolio: str | None = None,
        lang: str = "fr",
    ) -> None:
        """Give ``role`` to an account (on ``alliance`` for viewer / editor / lead, on
        ``portfolio`` for funder). An alliance role replaces the account's previous role on
        that alliance.

        A lead's grant answers the same whether or not the address has an account: to an
        unknown address it is kept as an invitation (the account created later with that
        address holds it), and the audit log says the address was unknown. Giving a role to
        an existing account does not make it the lead's to manage (``_manages_account``)."""
        email = self._check_grant_right(actor, "grant", email, role, alliance, portfolio, lang)
        if not valid_email(email):
            raise MetricsError.of("err.bad_email", email=email)
        with self.cursor() as cur:
            known = cur.execute("SELECT 1 FROM account WHERE email = ?", [email]).fetchone()
        if known is None and actor.admin:
            details = {"role": role, "on": alliance or portfolio, "unknown": True}
            self.record(actor, "grant", email, details, outcome="refused")
            raise MetricsError.of("err.no_such_account", email=email)
        with self._transaction(lang) as cur:
            alliance_id, portfolio_id = self._target_ids(cur, role, alliance, portfolio, lang)
            if role in ALLIANCE_ROLES:
                cur.execute(
                    "DELETE FROM access_grant WHERE email = ? AND alliance_id = ?",
                    [email, alliance_id],
                )
            else:
                cur.execute(
                    "DELETE FROM access_grant WHERE email = ? AND role = ? "
                    "AND portfolio_id IS NOT DISTINCT FROM ?",
                    [email, role, portfolio_id],
                )
            cur.execute(
                "INSERT INTO access_grant VALUES (?, ?, ?, ?, ?, ?)",
                [email, role, alliance_id, portfolio_id, clock.now(), actor.email],
            )
            details = {"role": role, "on": alliance or portfolio} | (
                {"unknown": True} if known is None else {}
            )
            self._audit(cur, actor, "grant", email, details)

    @retried
    def revoke(
        self,
        actor: Actor,
        email: str,
        role: str,
        alliance: str | None = None,
        portfolio: str | None = None,
        lang: str = "fr",
    ) -> None:
        email = self._check_grant_right(actor, "revoke", email, role, alliance, portfolio, lang)
        with self._transaction(lang) as cur:
            if actor.admin:  # a lead revokes an invitation as a role: no word on the account
                self._require_account(cur, email, lang)
            alliance_id, portfolio_id = self._target_ids(cur, role, alliance, portfolio, lang)
            if role == "admin":
                self._keep_an_admin(cur, email, lang)
            params = [email, role, alliance_id, portfolio_id]
            row = cur.execute(COUNT_GRANT, params).fetchone()
            if not row or row[0] == 0:
                raise MetricsError.of("err.no_such_grant", email=email, role=role)
            cur.execute(DELETE_GRANT, params)
            self._audit(cur, actor, "revoke", email, {"role": role, "on": alliance or portfolio})

    # -- portfolios ----------------------------------------------------------------------------

    def portfolios(self, actor: Actor) -> pd.DataFrame:
        """Portfolios and their alliances: all of them for an admin, its own for a funder."""
        frame = self._frame(PORTFOLIOS)
        if not actor.admin:
            frame = frame[frame["name"].isin(actor.portfolios)]
        return frame.reset_index(drop=True)

    @retried
    def add_to_portfolio(
        self, actor: Actor, name: str, alliances: list[str], lang: str = "fr"
    ) -> None:
        """Create the portfolio ``name`` if needed and add ``alliances`` to it (admins)."""
        if not actor.admin:
            self.record(actor, "portfolio_add", name, {"alliances": alliances}, outcome="refused")
            raise AccessDenied.of("err.admin_only")
        if not name.strip():
            raise MetricsError.of("err.portfolio_name")
        with self._transaction(lang) as cur:
            existing = cur.execute(
                "SELECT id FROM portfolio WHERE name = ?", [name.strip()]
            ).fetchone()
            portfolio_id = int(existing[0]) if existing else backend.next_id(cur, "portfolio")
            if existing is None:
                cur.execute(
                    "INSERT INTO portfolio (id, name, created_at) VALUES (?, ?, ?)",
                    [portfolio_id, name.strip(), clock.now()],
                )
            for alliance in alliances:
                found = cur.execute("SELECT id FROM alliance WHERE name = ?", [alliance])
                alliance_row = found.fetchone()
                if alliance_row is None:
                    raise MetricsError.of("err.unknown_alliance_name", name=alliance)
                cur.execute(
                    "DELETE FROM portfolio_alliance WHERE portfolio_id = ? AND alliance_id = ?",
                    [portfolio_id, alliance_row[0]],
                )
                cur.execute(
                    "INSERT INTO portfolio_alliance VALUES (?, ?)", [portfolio_id, alliance_row[0]]
                )
            self._audit(cur, actor, "portfolio_add", name, {"alliances": alliances})

    def audit_iter(
        self, actor: Actor, since: dt.datetime | None = None
    ) -> Iterator[dict[str, Any]]:
        """The audit log as dictionaries (JSON lines for the CLI)."""
        for row in self.audit(actor, since).to_dict("records"):
            yield {str(k): v for k, v in row.items()} | {
                "details": json.loads(str(row["details"] or "{}"))
            }
