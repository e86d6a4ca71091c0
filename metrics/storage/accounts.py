"""Accounts, their grants, and the funders' portfolios.

Every change takes the acting account and checks its right before anything is written; every
change and every refusal is written to the audit log, in the change's transaction.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from metrics.base import clock
from metrics.base.access import ALLIANCE_ROLES, ROLES, Actor, normalise_email, valid_email
from metrics.base.errors import AccessDenied, MetricsError
from metrics.storage import backend
from metrics.storage.audit import AuditLog
from metrics.storage.backend import retried
from metrics.storage.database import Database
from metrics.storage.sessions import end_other_sessions

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
SET_LANGUAGE = "UPDATE account SET lang = ? WHERE email = ? AND lang <> ?"
ACCOUNT_FIELDS = ("email", "name", "lang", "status", "password_hash", "demo", "last_seen_at")
ACCOUNT = f"SELECT {', '.join(ACCOUNT_FIELDS)} FROM account WHERE email = ?"
ANY_ACCOUNT = "SELECT 1 FROM account LIMIT 1"
ACCOUNT_EXISTS = "SELECT 1 FROM account WHERE email = ?"
CREATED_BY = "SELECT created_by FROM account WHERE email = ?"
IS_ADMIN = "SELECT 1 FROM access_grant WHERE email = ? AND role = 'admin'"
INSERT_ACCOUNT = (
    "INSERT INTO account (email, name, lang, password_hash, demo, created_at, created_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
SET_PASSWORD = "UPDATE account SET password_hash = ? WHERE email = ?"
SET_STATUS = "UPDATE account SET status = ? WHERE email = ?"
OTHER_ACTIVE_ADMINS = (
    "SELECT count(*) FROM access_grant g JOIN account c ON c.email = g.email "
    "WHERE g.role = 'admin' AND c.status = 'active' AND g.email <> ?"
)
# Whom a signed-in account asks for access: the administrators who can sign in.
ADMINISTRATORS = (
    "SELECT DISTINCT c.email FROM access_grant g JOIN account c ON c.email = g.email "
    "WHERE g.role = 'admin' AND c.status = 'active' AND NOT c.demo ORDER BY c.email LIMIT ?"
)

ALLIANCE_ID = "SELECT id FROM alliance WHERE name = ?"
PORTFOLIO_ID = "SELECT id FROM portfolio WHERE name = ?"
# One grant, by account, role and what it is on (NULL matching NULL).
_THE_GRANT = (
    "email = ? AND role = ? AND alliance_id IS NOT DISTINCT FROM ? "
    "AND portfolio_id IS NOT DISTINCT FROM ?"
)
COUNT_GRANT = "SELECT count(*) FROM access_grant WHERE " + _THE_GRANT
DELETE_GRANT = "DELETE FROM access_grant WHERE " + _THE_GRANT
# The grant a new one replaces: the account's role on the alliance, or the same role on the
# same portfolio (or none).
REPLACED_ALLIANCE_ROLE = "DELETE FROM access_grant WHERE email = ? AND alliance_id = ?"
REPLACED_ROLE = (
    "DELETE FROM access_grant WHERE email = ? AND role = ? AND portfolio_id IS NOT DISTINCT FROM ?"
)
INSERT_GRANT = "INSERT INTO access_grant VALUES (?, ?, ?, ?, ?, ?)"

PORTFOLIOS = """
SELECT p.name, list(a.name ORDER BY a.name) FILTER (WHERE a.name IS NOT NULL) AS alliances
FROM portfolio p
LEFT JOIN portfolio_alliance pa ON pa.portfolio_id = p.id
LEFT JOIN alliance a ON a.id = pa.alliance_id
GROUP BY p.name ORDER BY p.name
"""
INSERT_PORTFOLIO = "INSERT INTO portfolio (id, name, created_at) VALUES (?, ?, ?)"
REMOVE_FROM_PORTFOLIO = "DELETE FROM portfolio_alliance WHERE portfolio_id = ? AND alliance_id = ?"
ADD_TO_PORTFOLIO = "INSERT INTO portfolio_alliance VALUES (?, ?)"


def _require_account(cur: duckdb.DuckDBPyConnection, email: str) -> None:
    if not cur.execute(ACCOUNT_EXISTS, [email]).fetchone():
        raise MetricsError.of("err.no_such_account", email=email)


def _keep_an_admin(cur: duckdb.DuckDBPyConnection, email: str) -> None:
    """Refuse a change that would leave no active admin."""
    others = cur.execute(OTHER_ACTIVE_ADMINS, [email]).fetchone()
    is_admin = cur.execute(IS_ADMIN, [email]).fetchone()
    if is_admin and others is not None and others[0] == 0:
        raise MetricsError.of("err.last_admin")


def _target_ids(
    cur: duckdb.DuckDBPyConnection, role: str, alliance: str | None, portfolio: str | None
) -> tuple[int | None, int | None]:
    """The alliance or portfolio a role is granted on, checked against the role."""
    if role not in ROLES:
        raise MetricsError.of("err.bad_role", role=role, roles=", ".join(ROLES))
    if role in ALLIANCE_ROLES:
        if not alliance or portfolio:
            raise MetricsError.of("err.role_needs_alliance", role=role)
        row = cur.execute(ALLIANCE_ID, [alliance]).fetchone()
        if row is None:
            raise MetricsError.of("err.unknown_alliance_name", name=alliance)
        return int(row[0]), None
    if role == "funder":
        if not portfolio or alliance:
            raise MetricsError.of("err.role_needs_portfolio")
        row = cur.execute(PORTFOLIO_ID, [portfolio]).fetchone()
        if row is None:
            raise MetricsError.of("err.no_such_portfolio", name=portfolio)
        return None, int(row[0])
    if alliance or portfolio:
        raise MetricsError.of("err.admin_no_target")
    return None, None


def _may_grant(actor: Actor, role: str, alliance: str | None) -> bool:
    """Admins grant anything; a lead grants alliance roles on the alliances it leads."""
    return actor.admin or (
        role in ALLIANCE_ROLES and alliance is not None and actor.may("manage", alliance)
    )


class Accounts:
    """Accounts, grants and portfolios, changed by an acting account."""

    def __init__(self, db: Database, log: AuditLog) -> None:
        self.db = db
        self.log = log

    # -- reads ---------------------------------------------------------------------------------

    def account(self, email: str) -> dict[str, Any] | None:
        """The stored account (with its password hash), or ``None``."""
        with self.db.cursor() as cur:
            row = cur.execute(ACCOUNT, [normalise_email(email)]).fetchone()
        return None if row is None else dict(zip(ACCOUNT_FIELDS, row))

    def administrators(self, at_most: int = 3) -> list[str]:
        """The e-mails of the installation's administrators who can sign in (not a demo
        account), the first ``at_most``: whom a page tells an account to ask for access."""
        with self.db.cursor() as cur:
            return [row[0] for row in cur.execute(ADMINISTRATORS, [at_most]).fetchall()]

    def has_accounts(self) -> bool:
        with self.db.cursor() as cur:
            return cur.execute(ANY_ACCOUNT).fetchone() is not None

    def actor(self, email: str) -> Actor | None:
        """The account as an actor, with its grants as they stand now; ``None`` for an
        unknown or disabled account."""
        account = self.account(email)
        if account is None or account["status"] != "active":
            return None
        grants = self.db.frame(GRANTS, {"email": account["email"]})
        with self.db.cursor() as cur:
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

    def accounts(self, actor: Actor) -> pd.DataFrame:
        """The accounts ``actor`` manages, with their grants: every account for an admin, the
        accounts holding a role on its alliances for a lead."""
        if not actor.admin and not actor.managed():
            raise AccessDenied.of("err.manage_denied")
        frame = self.db.frame(ACCOUNTS)
        if not actor.admin:
            grants = self.db.frame(GRANTS, {"email": None})
            mine = set(grants.loc[grants["alliance"].isin(actor.managed()), "email"])
            frame = frame[[e in mine and self._manages_account(actor, e) for e in frame["email"]]]
        return frame.reset_index(drop=True)

    def grants(self, actor: Actor) -> pd.DataFrame:
        """Every grant an admin sees; the grants on its alliances for a lead (those given to an
        address that has no account yet too: a lead cannot tell them apart)."""
        if not actor.admin and not actor.managed():
            raise AccessDenied.of("err.manage_denied")
        frame = self.db.frame(GRANTS, {"email": None})
        if not actor.admin:
            frame = frame[frame["alliance"].isin(actor.managed())]
        return frame.reset_index(drop=True)

    def portfolios(self, actor: Actor) -> pd.DataFrame:
        """Portfolios and their alliances: all of them for an admin, its own for a funder."""
        frame = self.db.frame(PORTFOLIOS)
        if not actor.admin:
            frame = frame[frame["name"].isin(actor.portfolios)]
        return frame.reset_index(drop=True)

    # -- who manages whom ----------------------------------------------------------------------

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
        grants = self.db.frame(GRANTS, {"email": email})
        if not (
            len(grants) > 0
            and bool(grants["role"].isin(ALLIANCE_ROLES).all())
            and set(grants["alliance"]) <= set(actor.managed())
        ):
            return False
        with self.db.cursor() as cur:
            row = cur.execute(CREATED_BY, [email]).fetchone()
        if row is None:
            return False
        creator = str(row[0])
        givers = set(grants["granted_by"])
        return creator == actor.email or creator in givers or any(map(self._vouches, givers))

    def _vouches(self, name: str) -> bool:
        """Whether a grant given by ``name`` was given by an admin: an admin account, or one
        who holds the database (the CLI and installs act under a name that is no account)."""
        with self.db.cursor() as cur:
            account = cur.execute(ACCOUNT_EXISTS, [name]).fetchone()
            admin = cur.execute(IS_ADMIN, [name]).fetchone()
        return account is None or admin is not None

    # -- accounts ------------------------------------------------------------------------------

    @retried
    def add_account(
        self,
        actor: Actor,
        email: str,
        name: str,
        *,
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
            self.log.record(actor, "account_add", email, outcome="refused")
            raise AccessDenied.of("err.manage_denied")
        if not valid_email(email):
            raise MetricsError.of("err.bad_email", email=email)
        if not name.strip():
            raise MetricsError.of("err.account_name")
        with self.db.transaction() as cur:
            exists = cur.execute(ACCOUNT_EXISTS, [email]).fetchone()
            if exists and not actor.admin:
                self.log.add(cur, actor, "account_add", email, {"exists": True}, "refused")
                return email
            if exists:
                raise MetricsError.of("err.account_exists", email=email)
            language = language if language in LANGS else "fr"
            cur.execute(
                INSERT_ACCOUNT,
                [email, name.strip(), language, password_hash, demo, clock.now(), actor.email],
            )
            self.log.add(cur, actor, "account_add", email, {"name": name.strip()})
        return email

    @retried
    def set_language(self, actor: Actor, language: str) -> None:
        """The language ``actor`` chose for itself, applied at its next sign-in. Without the
        store's turn: it changes one field of the account's own row, and checks nothing."""
        if language not in LANGS:
            raise MetricsError.of("err.bad_language", language=language)
        with self.db.transaction(turn=False) as cur:
            cur.execute(SET_LANGUAGE, [language, normalise_email(actor.email), language])

    @retried
    def set_password(
        self, actor: Actor, email: str, password_hash: str, *, keep: str | None = None
    ) -> None:
        """Set an account's password (its owner, an admin, a lead of an account it manages).
        Every session of the account ends, but the one whose token is ``keep`` when the owner
        sets its own password."""
        email = normalise_email(email)
        if actor.email != email and not self._manages_account(actor, email):
            self.log.record(actor, "password_set", email, outcome="refused")
            raise AccessDenied.of("err.manage_denied")
        with self.db.transaction() as cur:
            _require_account(cur, email)
            cur.execute(SET_PASSWORD, [password_hash, email])
            ended = end_other_sessions(cur, email, keep if actor.email == email else None)
            self.log.add(cur, actor, "password_set", email, {"sessions_ended": ended})

    @retried
    def unlock(self, actor: Actor, email: str) -> None:
        """Lift the sign-in throttle of an account (admins, a lead of an account it manages):
        its failures so far no longer count, from any client."""
        email = normalise_email(email)
        if not self._manages_account(actor, email):
            self.log.record(actor, "sign_in_unlock", email, outcome="refused")
            raise AccessDenied.of("err.manage_denied")
        with self.db.transaction() as cur:
            _require_account(cur, email)
            self.log.add(cur, actor, "sign_in_unlock", email)

    @retried
    def set_status(self, actor: Actor, email: str, status: str) -> None:
        """Disable (``disabled``) or enable (``active``) an account."""
        email = normalise_email(email)
        action = "account_disable" if status == "disabled" else "account_enable"
        if status not in ("active", "disabled"):
            raise ValueError(status)
        if not self._manages_account(actor, email):
            self.log.record(actor, action, email, outcome="refused")
            raise AccessDenied.of("err.manage_denied")
        with self.db.transaction() as cur:
            _require_account(cur, email)
            if status == "disabled":
                _keep_an_admin(cur, email)
            cur.execute(SET_STATUS, [status, email])
            details = (
                {"sessions_ended": end_other_sessions(cur, email)} if status != "active" else {}
            )
            self.log.add(cur, actor, action, email, details)

    # -- grants --------------------------------------------------------------------------------

    def _check_grant_right(
        self,
        actor: Actor,
        action: str,
        email: str,
        role: str,
        alliance: str | None,
        portfolio: str | None,
    ) -> str:
        """The normalised e-mail if ``actor`` may grant or revoke ``role`` there; else the
        refusal is written to the audit log and raised."""
        email = normalise_email(email)
        if not _may_grant(actor, role, alliance):
            details = {"role": role, "on": alliance or portfolio}
            self.log.record(actor, action, email, details, outcome="refused")
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
    ) -> None:
        """Give ``role`` to an account (on ``alliance`` for viewer / editor / lead, on
        ``portfolio`` for funder). An alliance role replaces the account's previous role on
        that alliance.

        A lead's grant answers the same whether or not the address has an account: to an
        unknown address it is kept as an invitation (the account created later with that
        address holds it), and the audit log says the address was unknown. Giving a role to
        an existing account does not make it the lead's to manage (``_manages_account``)."""
        email = self._check_grant_right(actor, "grant", email, role, alliance, portfolio)
        if not valid_email(email):
            raise MetricsError.of("err.bad_email", email=email)
        with self.db.cursor() as cur:
            known = cur.execute(ACCOUNT_EXISTS, [email]).fetchone()
        if known is None and actor.admin:
            details = {"role": role, "on": alliance or portfolio, "unknown": True}
            self.log.record(actor, "grant", email, details, outcome="refused")
            raise MetricsError.of("err.no_such_account", email=email)
        with self.db.transaction() as cur:
            alliance_id, portfolio_id = _target_ids(cur, role, alliance, portfolio)
            if role in ALLIANCE_ROLES:
                cur.execute(REPLACED_ALLIANCE_ROLE, [email, alliance_id])
            else:
                cur.execute(REPLACED_ROLE, [email, role, portfolio_id])
            cur.execute(
                INSERT_GRANT, [email, role, alliance_id, portfolio_id, clock.now(), actor.email]
            )
            details = {"role": role, "on": alliance or portfolio} | (
                {"unknown": True} if known is None else {}
            )
            self.log.add(cur, actor, "grant", email, details)

    @retried
    def revoke(
        self,
        actor: Actor,
        email: str,
        role: str,
        alliance: str | None = None,
        portfolio: str | None = None,
    ) -> None:
        email = self._check_grant_right(actor, "revoke", email, role, alliance, portfolio)
        with self.db.transaction() as cur:
            if actor.admin:  # a lead revokes an invitation as a role: no word on the account
                _require_account(cur, email)
            alliance_id, portfolio_id = _target_ids(cur, role, alliance, portfolio)
            if role == "admin":
                _keep_an_admin(cur, email)
            params = [email, role, alliance_id, portfolio_id]
            row = cur.execute(COUNT_GRANT, params).fetchone()
            if not row or row[0] == 0:
                raise MetricsError.of("err.no_such_grant", email=email, role=role)
            cur.execute(DELETE_GRANT, params)
            details = {"role": role, "on": alliance or portfolio}
            self.log.add(cur, actor, "revoke", email, details)

    # -- portfolios ----------------------------------------------------------------------------

    @retried
    def add_to_portfolio(self, actor: Actor, name: str, alliances: list[str]) -> None:
        """Create the portfolio ``name`` if needed and add ``alliances`` to it (admins)."""
        if not actor.admin:
            details = {"alliances": alliances}
            self.log.record(actor, "portfolio_add", name, details, outcome="refused")
            raise AccessDenied.of("err.admin_only")
        if not name.strip():
            raise MetricsError.of("err.portfolio_name")
        with self.db.transaction() as cur:
            existing = cur.execute(PORTFOLIO_ID, [name.strip()]).fetchone()
            portfolio_id = int(existing[0]) if existing else backend.next_id(cur, "portfolio")
            if existing is None:
                cur.execute(INSERT_PORTFOLIO, [portfolio_id, name.strip(), clock.now()])
            for alliance in alliances:
                alliance_row = cur.execute(ALLIANCE_ID, [alliance]).fetchone()
                if alliance_row is None:
                    raise MetricsError.of("err.unknown_alliance_name", name=alliance)
                cur.execute(REMOVE_FROM_PORTFOLIO, [portfolio_id, alliance_row[0]])
                cur.execute(ADD_TO_PORTFOLIO, [portfolio_id, alliance_row[0]])
            self.log.add(cur, actor, "portfolio_add", name, {"alliances": alliances})
