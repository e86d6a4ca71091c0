"""Signing in and installing: Argon2id passwords and what a new one must not be, the sign-in
throttle, sessions' lifetimes, single sign-on, demo and real installs.

- A wrong password and an unknown account get the same message (and take the same time).
- A new password (NIST SP 800-63B): at least ``MIN_PASSWORD`` characters, any characters, no
  composition rule; refused when it is in zxcvbn's list of common and leaked passwords or too
  easy to guess (repeats, sequences, keyboard walks, common words: zxcvbn's score under
  ``MIN_SCORE``), or when it holds the account's e-mail address, its local part or the
  product's name.
- The throttle counts failed sign-ins per client (its address, the one a trusted proxy forwards
  behind a proxy) and e-mail: ``FREE_FAILURES`` go free, then each failure makes the next try
  wait twice as long (``FIRST_DELAY``, up to ``MAX_DELAY``). Another client is not slowed, so
  nobody locks an account out from their own machine. Account-wide, ``ACCOUNT_LIMIT``
  consecutive failures (from any client) stop password sign-in for the e-mail until an admin
  or a lead of the account unlocks it (``python -m metrics users unlock EMAIL``, or the
  accounts page) or its owner signs in through single sign-on, which the throttle never
  blocks. Attempts are read back from the audit log, so the rules hold across server processes
  and restarts, and whether or not an account has the e-mail.
- A session ends after ``idle_timeout()`` without activity and ``session_lifetime()`` after
  its sign-in whatever the activity, on sign-out (for every browser holding its token), and
  when the account's password is set (every session but the one that set its own).
- Single sign-on (OpenID Connect) matches an account by its e-mail, which the identity provider
  must have verified.
- A demo install holds the sample alliances and one account per role, offered on the sign-in
  page; a real install (``python -m metrics init --admin EMAIL``) holds neither.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from metrics.base import clock
from metrics.base.access import Actor, normalise_email, valid_email
from metrics.base.errors import AccessDenied, MetricsError
from metrics.sheets import sample
from metrics.usecases import barometer, seeding

if TYPE_CHECKING:
    from metrics.storage.store import Store

FREE_FAILURES = 5  # per client and e-mail, before the first delay
FIRST_DELAY = dt.timedelta(minutes=1)
MAX_DELAY = dt.timedelta(hours=1)
CLIENT_WINDOW = dt.timedelta(hours=24)  # a client's failures older than this are forgotten
ACCOUNT_LIMIT = 100  # consecutive failures, any client: password sign-in stops until unlocked
MIN_PASSWORD = 15  # NIST SP 800-63B-4, a password used alone
MAX_PASSWORD = 200
MIN_SCORE = 3  # zxcvbn: "safely unguessable" (about 10^8 guesses and more)
ZXCVBN_MAX = 72  # the longest password zxcvbn estimates
PRODUCT_NAMES = ("Impact des alliances", "alliance-impact", "alliance impact")
IDLE_MINUTES = 30
LIFETIME_HOURS = 12
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


def session_lifetime() -> dt.timedelta:
    """How long a session lives at most, active or not: ``$IMPACT_SESSION_HOURS``, else 12 h
    (never shorter than the idle timeout)."""
    try:
        hours = float(os.environ.get("IMPACT_SESSION_HOURS", LIFETIME_HOURS))
    except ValueError:
        hours = LIFETIME_HOURS
    return max(dt.timedelta(hours=hours), idle_timeout())


def _letters(text: str) -> str:
    """``text`` compared as people read it: case, accents' forms and punctuation aside."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str | None = None) -> tuple[str, dict[str, int]] | None:
    """Why ``password`` may not be set for the account ``email`` (a catalogue key and its
    parameters), or ``None``.

    >>> password_problem("aaaaaaaaaaaaaaa")[0]
    'err.password_guessable'
    >>> password_problem("correct horse battery staple") is None
    True
    """
    if len(password) < MIN_PASSWORD:
        return "err.password_short", {"length": MIN_PASSWORD}
    if len(password) > MAX_PASSWORD:
        return "err.password_long", {"length": MAX_PASSWORD}
    letters = _letters(password)
    context = [_letters(name) for name in PRODUCT_NAMES]
    if email:
        context += [_letters(email), _letters(email.split("@")[0])]
    if any(len(word) >= 3 and word in letters for word in context):
        return "err.password_context", {}
    if password.casefold() in _common_passwords() or letters in _common_passwords():
        return "err.password_common", {}
    hints = [*PRODUCT_NAMES, *(re.split(r"[@.+_-]", email) if email else [])]
    # zxcvbn refuses more than ZXCVBN_MAX characters: a longer passphrase is judged by those.
    guessed = zxcvbn(password[:ZXCVBN_MAX], user_inputs=[h for h in hints if h])
    if guessed["score"] < MIN_SCORE:
        return "err.password_guessable", {}
    return None


def hash_password(password: str, email: str | None = None) -> str:
    """The Argon2id hash of a new password for the account ``email``; refused (saying why)
    when ``password_problem`` finds one."""
    problem = password_problem(password, email)
    if problem is not None:
        raise MetricsError.of(problem[0], **problem[1])
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


def client_wait(failures: list[dt.datetime]) -> dt.datetime | None:
    """Until when a client must wait before its next try on an e-mail, or ``None``.

    ``failures``: the times of its failed sign-ins on that e-mail (within ``CLIENT_WINDOW``,
    after its last success and the last unlock), oldest first. ``FREE_FAILURES`` go free; then
    the wait after the last failure doubles at each one, from ``FIRST_DELAY`` to ``MAX_DELAY``.

    >>> t0 = dt.datetime(2026, 1, 1, 9, 0)
    >>> client_wait([t0] * 4) is None
    True
    >>> [client_wait([t0] * n) - t0 for n in (5, 6, 7)] == [
    ...     dt.timedelta(minutes=m) for m in (1, 2, 4)]
    True
    >>> client_wait([t0] * 40) - t0 == MAX_DELAY
    True
    """
    extra = len(failures) - FREE_FAILURES
    if extra < 0:
        return None
    delay: dt.timedelta = min(FIRST_DELAY * 2 ** min(extra, 20), MAX_DELAY)
    return failures[-1] + delay


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def trusted_proxies() -> frozenset[str]:
    """The addresses of the reverse proxies whose forwarded client address is believed:
    ``$IMPACT_TRUSTED_PROXIES``, comma-separated (``127.0.0.1`` for a proxy on the same
    machine); none by default."""
    names = os.environ.get("IMPACT_TRUSTED_PROXIES", "")
    return frozenset(name.strip() for name in names.split(",") if name.strip())


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip().strip("[]")))
    except ValueError:
        return None


def client_address(
    peer: str | None, headers: Mapping[str, Iterable[str]], trusted: frozenset[str]
) -> str:
    """The client's address as the throttle counts it.

    ``peer``: the address the connection comes from (Streamlit says ``None`` for the
    loopback); ``headers``: the request's headers, each name with its values. Only when the
    peer is a trusted proxy are its ``X-Forwarded-For`` (the right-most address that is not a
    trusted proxy: the one the proxy saw) and ``X-Real-IP`` believed; a client sending them
    itself changes nothing.

    >>> client_address("203.0.113.9", {"X-Forwarded-For": ["1.2.3.4"]}, frozenset())
    '203.0.113.9'
    >>> client_address(None, {"X-Forwarded-For": ["1.2.3.4, 198.51.100.7"]},
    ...                frozenset({"127.0.0.1"}))
    '198.51.100.7'
    """
    direct = peer or "127.0.0.1"
    is_trusted = direct in trusted or (peer is None and bool(trusted & LOOPBACK))
    if not is_trusted:
        return direct
    lowered = {name.lower(): list(values) for name, values in headers.items()}
    hops = [
        hop
        for value in lowered.get("x-forwarded-for", [])
        for hop in (_address(part) for part in value.split(","))
        if hop is not None
    ]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    real = [a for a in (_address(v) for v in lowered.get("x-real-ip", [])) if a is not None]
    return real[-1] if real else direct


def sign_in(
    store: Store,
    email: str,
    password: str,
    now: dt.datetime | None = None,
    client: str = "",
) -> Session:
    """A session for the account if ``password`` is right; else ``AccessDenied``, and the
    attempt is written to the audit log. ``client``: the address the throttle counts."""
    now = now or clock.now()
    email = normalise_email(email)
    failures, consecutive = store.sign_in_failures(email, client, now - CLIENT_WINDOW)
    if consecutive >= ACCOUNT_LIMIT:
        details = {"client": client, "failures": consecutive}
        store.record(email, "sign_in_locked", email, details, "refused", now)
        raise AccessDenied.of("err.sign_in_account_locked", count=consecutive)
    until = client_wait(failures)
    if until is not None and until > now:
        store.record(email, "sign_in_locked", email, {"client": client}, "refused", now)
        minutes = max(1, int((until - now).total_seconds() // 60) + 1)
        raise AccessDenied.of("err.sign_in_locked", minutes=minutes)
    account = store.account(email)
    if not verify(account["password_hash"] if account else None, password):
        details = {"method": "password", "client": client}
        store.record(email, "sign_in_failed", email, details, "refused", now)
        raise AccessDenied.of("err.sign_in_failed")
    return _open_session(store, email, "password", now, client)


@dataclass(frozen=True)
class Session:
    """A signed-in session: the account, the token its browser keeps, how it signed in."""

    actor: Actor
    token: str
    method: str


def _open_session(
    store: Store, email: str, method: str, now: dt.datetime, client: str = ""
) -> Session:
    actor = store.actor(email)
    if actor is None:
        store.record(email, "sign_in", email, {"method": method, "disabled": True}, "refused", now)
        raise AccessDenied.of("err.account_disabled")
    details = {"method": method, **({"client": client} if client else {})}
    store.record(actor, "sign_in", email, details, at=now)
    token = store.open_session(email, method, now)
    return Session(actor, token, method)


def sign_in_sso(
    store: Store,
    email: str | None,
    verified: bool,
    now: dt.datetime | None = None,
) -> Session:
    """The account whose e-mail the identity provider has verified."""
    now = now or clock.now()
    if not email or not verified:
        store.record(email or "", "sign_in", email or "", {"method": "sso"}, "refused")
        raise AccessDenied.of("err.sso_unverified")
    email = normalise_email(email)
    if store.account(email) is None:
        store.record(email, "sign_in", email, {"method": "sso", "unknown": True}, "refused")
        raise AccessDenied.of("err.sso_no_account", email=email)
    return _open_session(store, email, "sso", now)


def demo_sign_in(store: Store, email: str) -> Session:
    """Sign in as one of the demo accounts, without a password: only in a demo install."""
    account = store.account(email)
    if store.setting(INSTALLATION) != "demo" or account is None or not account["demo"]:
        raise AccessDenied.of("err.sign_in_failed")
    return _open_session(store, normalise_email(email), "demo", clock.now())


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


def seed_demo(store: Store) -> None:
    """Turn an empty database into the demo: the sample alliances (validated), one account per
    role, an update of the demo alliance that its committee has not validated yet, a few
    of its committee's notes (one edited) and this year's trust barometer under way."""
    setup = Actor.system("demo")
    seeding.seed(store)
    store.add_to_portfolio(setup, DEMO_PORTFOLIO, list(DEMO_PORTFOLIO_ALLIANCES))
    for account in DEMO_ACCOUNTS:
        store.add_account(setup, account.email, account.name, demo=True)
        store.grant(setup, account.email, account.role, account.alliance, account.portfolio)
    editor = store.actor("editor@demo.example")
    assert editor is not None
    store.import_file(sample.pending_update(), sample.PENDING_FILE, editor)
    for email, kind, body, indicator, period in sample.DEMO_NOTES:
        author = store.actor(email)
        assert author is not None
        number = store.add_note(author, DEMO_ALLIANCE, kind, body, indicator, period)
        if (email, kind, body, indicator, period) == sample.DEMO_NOTES[-1]:
            store.edit_note(author, number, kind, body + sample.DEMO_NOTE_EDIT)
    barometer.seed_demo_wave(store, setup, DEMO_ALLIANCE)
    store.set_setting(INSTALLATION, "demo")


def init_install(store: Store, email: str, name: str, password: str) -> str:
    """Make a real install: its first admin, no sample data, no demo account. Refused on a
    demo database and on one that already has accounts."""
    if store.setting(INSTALLATION) == "demo":
        raise MetricsError.of("err.init_demo")
    if store.has_accounts():
        raise MetricsError.of("err.init_done")
    email = normalise_email(email)
    if not valid_email(email):
        raise MetricsError.of("err.bad_email", email=email)
    setup = Actor.system("init")
    store.add_account(setup, email, name or email, password_hash=hash_password(password, email))
    store.grant(setup, email, "admin")
    store.set_setting(INSTALLATION, "production")
    return email
