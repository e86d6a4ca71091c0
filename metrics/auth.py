"""Signing in and installing: Argon2id passwords, the lockout rule, single sign-on, demo and real
installs.

- A wrong password and an unknown account get the same message (and take the same time).
- Five failed sign-ins within fifteen minutes lock the e-mail for fifteen minutes, whether or not
  an account has it; the attempts are read back from the audit log, so the rule holds across
  server processes and restarts.
- Single sign-on (OpenID Connect) matches an account by its e-mail, which the identity provider
  must have verified.
- A demo install holds the sample alliances and one account per role, offered on the sign-in
  page; a real install (``python -m metrics init --admin EMAIL``) holds neither.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from metrics import clock
from metrics.access import Actor, normalise_email, valid_email
from metrics.errors import AccessDenied, MetricsError

if TYPE_CHECKING:
    from metrics.store import Store

MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
LOCK_TIME = dt.timedelta(minutes=15)
MIN_PASSWORD = 10
IDLE_MINUTES = 30
INSTALLATION = "installation"  # setting: "demo" or "production"

# Argon2id with the library's defaults (RFC 9106's second recommended parameter set).
HASHER = PasswordHasher()


def idle_timeout() -> dt.timedelta:
    """How long a session lives without activity: ``$IMPACT_SESSION_MINUTES``, else 30 min."""
    try:
        minutes = float(os.environ.get("IMPACT_SESSION_MINUTES", IDLE_MINUTES))
    except ValueError:
        minutes = IDLE_MINUTES
    return dt.timedelta(minutes=max(minutes, 1.0))


def hash_password(password: str, lang: str = "fr") -> str:
    """The Argon2id hash of a new password (at least ``MIN_PASSWORD`` characters)."""
    if len(password) < MIN_PASSWORD:
        raise MetricsError.of("err.password_short", lang, length=MIN_PASSWORD)
    return str(HASHER.hash(password))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return str(HASHER.hash("not a password of anybody"))


def verify(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``; with no hash, a dummy one is checked so that an
    unknown account takes as long to refuse as a wrong password."""
    try:
        return bool(HASHER.verify(stored or _dummy_hash(), password)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def locked_until(events: list[tuple[dt.datetime, str]], now: dt.datetime) -> dt.datetime | None:
    """When the lock on an e-mail ends, or ``None`` if it is not locked.

    ``events``: (time, ``sign_in`` or ``sign_in_failed``), oldest first. Failures before the
    last successful sign-in do not count; ``MAX_FAILURES`` failures within ``FAILURE_WINDOW``
    lock for ``LOCK_TIME`` from the last of them.

    >>> t0 = dt.datetime(2026, 1, 1, 9, 0)
    >>> fails = [(t0 + dt.timedelta(minutes=m), "sign_in_failed") for m in (0, 1, 2, 3, 4)]
    >>> locked_until(fails, t0 + dt.timedelta(minutes=5))
    datetime.datetime(2026, 1, 1, 9, 19)
    >>> locked_until(fails, t0 + dt.timedelta(minutes=20)) is None
    True
    """
    successes = [i for i, (_, action) in enumerate(events) if action == "sign_in"]
    start = successes[-1] + 1 if successes else 0
    failures = sorted(at for at, action in events[start:] if action == "sign_in_failed")
    until = None
    for i in range(MAX_FAILURES - 1, len(failures)):
        if failures[i] - failures[i - MAX_FAILURES + 1] <= FAILURE_WINDOW:
            until = failures[i] + LOCK_TIME
    return until if until is not None and until > now else None


def sign_in(
    store: Store, email: str, password: str, lang: str = "fr", now: dt.datetime | None = None
) -> Session:
    """A session for the account if ``password`` is right; else ``AccessDenied``, and the
    attempt is written to the audit log."""
    now = now or clock.now()
    email = normalise_email(email)
    events = store.sign_in_events(email, now - FAILURE_WINDOW - LOCK_TIME)
    until = locked_until(events, now)
    if until is not None:
        store.record(email, "sign_in_locked", email, outcome="refused", at=now)
        minutes = max(1, int((until - now).total_seconds() // 60) + 1)
        raise AccessDenied.of("err.sign_in_locked", lang, minutes=minutes)
    account = store.account(email)
    if not verify(account["password_hash"] if account else None, password):
        store.record(email, "sign_in_failed", email, {"method": "password"}, "refused", now)
        raise AccessDenied.of("err.sign_in_failed", lang)
    return _open_session(store, email, "password", lang, now)


@dataclass(frozen=True)
class Session:
    """A signed-in session: the account, the token its browser keeps, how it signed in."""

    actor: Actor
    token: str
    method: str


def _open_session(store: Store, email: str, method: str, lang: str, now: dt.datetime) -> Session:
    actor = store.actor(email)
    if actor is None:
        store.record(email, "sign_in", email, {"method": method, "disabled": True}, "refused", now)
        raise AccessDenied.of("err.account_disabled", lang)
    store.record(actor, "sign_in", email, {"method": method}, at=now)
    token = store.open_session(email, method, now)
    return Session(actor, token, method)


def sign_in_sso(
    store: Store,
    email: str | None,
    verified: bool,
    lang: str = "fr",
    now: dt.datetime | None = None,
) -> Session:
    """The account whose e-mail the identity provider has verified."""
    now = now or clock.now()
    if not email or not verified:
        store.record(email or "", "sign_in", email or "", {"method": "sso"}, "refused")
        raise AccessDenied.of("err.sso_unverified", lang)
    email = normalise_email(email)
    if store.account(email) is None:
        store.record(email, "sign_in", email, {"method": "sso", "unknown": True}, "refused")
        raise AccessDenied.of("err.sso_no_account", lang, email=email)
    return _open_session(store, email, "sso", lang, now)


def demo_sign_in(store: Store, email: str, lang: str = "fr") -> Session:
    """Sign in as one of the demo accounts, without a password: only in a demo install."""
    account = store.account(email)
    if store.setting(INSTALLATION) != "demo" or account is None or not account["demo"]:
        raise AccessDenied.of("err.sign_in_failed", lang)
    return _open_session(store, normalise_email(email), "demo", lang, clock.now())


# -- installs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    name: str
    alliance: str | None = None
    portfolio: str | None = None


DEMO_ALLIANCE = "Sambre Emploi Solidaire"
DEMO_PORTFOLIO = "Emploi Hauts-de-France"
DEMO_PORTFOLIO_ALLIANCES = ("Sambre Emploi Solidaire", "Roubaix Quartiers Actifs")
DEMO_ACCOUNTS = (
    DemoAccount("admin@demo.example", "admin", "Démo — administration"),
    DemoAccount("lead@demo.example", "lead", "Démo — pilotage", alliance=DEMO_ALLIANCE),
    DemoAccount("editor@demo.example", "editor", "Démo — contribution", alliance=DEMO_ALLIANCE),
    DemoAccount("viewer@demo.example", "viewer", "Démo — lecture", alliance=DEMO_ALLIANCE),
    DemoAccount("funder@demo.example", "funder", "Démo — financement", portfolio=DEMO_PORTFOLIO),
)


def seed_demo(store: Store, lang: str = "fr") -> None:
    """Turn an empty database into the demo: the sample alliances (validated), one account per
    role, an update of the demo alliance that its committee has not validated yet, and a few
    of its committee's notes (one edited)."""
    from metrics import cli, sample

    setup = Actor.system("demo")
    cli.seed(store, lang)
    store.add_to_portfolio(setup, DEMO_PORTFOLIO, list(DEMO_PORTFOLIO_ALLIANCES), lang)
    for account in DEMO_ACCOUNTS:
        store.add_account(setup, account.email, account.name, lang, demo=True)
        store.grant(setup, account.email, account.role, account.alliance, account.portfolio, lang)
    editor = store.actor("editor@demo.example")
    assert editor is not None
    store.import_file(sample.pending_update(), sample.PENDING_FILE, editor, lang)
    for email, kind, body, indicator, period in sample.DEMO_NOTES:
        author = store.actor(email)
        assert author is not None
        number = store.add_note(author, DEMO_ALLIANCE, kind, body, indicator, period, lang)
        if (email, kind, body, indicator, period) == sample.DEMO_NOTES[-1]:
            store.edit_note(author, number, kind, body + sample.DEMO_NOTE_EDIT, lang)
    store.set_setting(INSTALLATION, "demo")


def init_install(store: Store, email: str, name: str, password: str, lang: str = "fr") -> str:
    """Make a real install: its first admin, no sample data, no demo account. Refused on a
    demo database and on one that already has accounts."""
    if store.setting(INSTALLATION) == "demo":
        raise MetricsError.of("err.init_demo", lang)
    if store.has_accounts():
        raise MetricsError.of("err.init_done", lang)
    email = normalise_email(email)
    if not valid_email(email):
        raise MetricsError.of("err.bad_email", lang, email=email)
    setup = Actor.system("init")
    store.add_account(
        setup, email, name or email, lang, password_hash=hash_password(password, lang)
    )
    store.grant(setup, email, "admin", lang=lang)
    store.set_setting(INSTALLATION, "production")
    return email
