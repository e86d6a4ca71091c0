"""Signing in: Argon2id, the same message for unknown and wrong, the lockout rule, single sign-on,
sessions, demo and real installs."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest

from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, MetricsError
from metrics.presentation.i18n import said
from metrics.storage.store import Store
from metrics.usecases import auth
from tests.lake import db_at

T0 = dt.datetime(2026, 3, 2, 9, 0)
SETUP = Actor.system("setup")
PASSWORD = "a long enough password"


def minutes(*offsets: float) -> list[dt.datetime]:
    return [T0 + dt.timedelta(minutes=m) for m in offsets]


def test_a_client_waits_longer_after_each_failure_past_the_free_ones() -> None:
    # Replaces the old rule (five failures locked the e-mail for everybody): the wait is the
    # client's own, and it doubles.
    assert auth.client_wait(minutes(0, 1, 2, 3)) is None
    assert auth.client_wait(minutes(0, 1, 2, 3, 4)) == minutes(5)[0]
    assert auth.client_wait(minutes(0, 1, 2, 3, 4, 6)) == minutes(8)[0]
    assert auth.client_wait(minutes(0, 1, 2, 3, 4, 6, 9)) == minutes(13)[0]
    assert auth.client_wait(minutes(*range(60))) == minutes(59)[0] + auth.MAX_DELAY


@pytest.mark.parametrize(
    ("peer", "headers", "trusted", "client"),
    [
        # no proxy trusted: forwarded headers are the client's own words, never believed
        ("203.0.113.9", {"X-Forwarded-For": ["1.2.3.4"]}, "", "203.0.113.9"),
        (None, {"X-Real-IP": ["1.2.3.4"]}, "", "127.0.0.1"),
        # behind a trusted proxy on this machine (Streamlit says None for the loopback)
        (None, {"x-forwarded-for": ["198.51.100.7"]}, "127.0.0.1", "198.51.100.7"),
        (None, {"X-Real-IP": ["198.51.100.7"]}, "127.0.0.1", "198.51.100.7"),
        # a forged hop at the left is skipped: the right-most untrusted one is the client
        (None, {"X-Forwarded-For": ["6.6.6.6, 198.51.100.7"]}, "127.0.0.1", "198.51.100.7"),
        (
            "10.0.0.2",
            {"X-Forwarded-For": ["198.51.100.7, 10.0.0.3"]},
            "10.0.0.2,10.0.0.3",
            "198.51.100.7",
        ),
        # a peer that is not the trusted proxy: its headers are not believed
        ("203.0.113.9", {"X-Forwarded-For": ["1.2.3.4"]}, "10.0.0.2", "203.0.113.9"),
        (None, {"X-Forwarded-For": ["not an address"]}, "127.0.0.1", "127.0.0.1"),
    ],
)
def test_the_client_address(
    peer: str | None,
    headers: dict[str, list[str]],
    trusted: str,
    client: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IMPACT_TRUSTED_PROXIES", trusted)
    assert auth.client_address(peer, headers, auth.trusted_proxies()) == client


def test_passwords_are_argon2id_hashes() -> None:
    hashed = auth.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert auth.verify(hashed, PASSWORD) and not auth.verify(hashed, PASSWORD + "!")
    assert not auth.verify(None, PASSWORD)
    assert not auth.verify("not a hash", PASSWORD)
    with pytest.raises(MetricsError) as caught:
        auth.hash_password("short")
    assert "at least 15 characters" in said(caught.value, "en")


@pytest.mark.parametrize(
    ("password", "reason_fr", "reason_en"),
    [
        ("aaaaaaaaaaaaaaa", "trop facile à deviner", "too easy to guess"),
        ("123456789012345", "trop facile à deviner", "too easy to guess"),
        (" " * 15, "trop facile à deviner", "too easy to guess"),
        ("qwertyuiopasdfg", "trop facile à deviner", "too easy to guess"),
        ("ana.martin@example.org", "adresse e-mail", "e-mail address"),
        ("Ana.Martin-1984-Ana.Martin", "adresse e-mail", "e-mail address"),
        ("Impact des alliances 2026!", "nom de l'application", "application's name"),
        ("passwordpassword", "trop facile à deviner", "too easy to guess"),
        ("iloveyou", "trop court : au moins 15", "too short: at least 15"),
    ],
)
def test_weak_passwords_are_refused_saying_why(
    password: str, reason_fr: str, reason_en: str
) -> None:
    for lang, reason in (("fr", reason_fr), ("en", reason_en)):
        with pytest.raises(MetricsError) as caught:
            auth.hash_password(password, "Ana.Martin@example.org")
        assert reason in said(caught.value, lang), said(caught.value, lang)


def test_the_examples_of_the_report_and_a_common_password_are_refused() -> None:
    # The passwords a tester had set (ten characters were enough then), at the new length too.
    for password in ("aaaaaaaaaa", "1234567890", " " * 10, "ana@example.org"):
        with pytest.raises(MetricsError):
            auth.hash_password(password, "ana@example.org")
    assert auth.password_problem("baseball12345678") is not None  # a leaked one, extended
    assert auth.password_problem("1qaz2wsx3edc4rfv")[0] == "err.password_common"  # type: ignore[index]


def test_a_passphrase_is_accepted() -> None:
    for password in ("correct horse battery staple", "un vélo rouge sous la pluie d'été"):
        assert auth.password_problem(password, "ana@example.org") is None
        assert auth.verify(auth.hash_password(password, "ana@example.org"), password)


def test_a_passphrase_longer_than_the_estimator_takes_is_judged_not_refused() -> None:
    """zxcvbn estimates at most 72 characters (it raises beyond): a longer passphrase is judged
    by its first 72, and a long repetition is still refused."""
    long = "les vélos rouges de la Sambre roulent sous la pluie fine de novembre, vers Maubeuge"
    assert len(long) > auth.ZXCVBN_MAX and auth.password_problem(long) is None
    assert auth.password_problem("ab" * 60) is not None


def test_the_server_believes_forwarded_addresses_only_from_the_trusted_proxies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """uvicorn, under Streamlit, believes X-Forwarded-For from the loopback unless told:
    ``python -m ui.serve`` tells it the app's trusted proxies, none by default."""
    from uvicorn.config import Config
    from uvicorn.middleware.proxy_headers import _TrustedHosts

    from ui import serve

    monkeypatch.delenv("IMPACT_TRUSTED_PROXIES", raising=False)
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "")  # restored after the test, then unset
    monkeypatch.delenv("FORWARDED_ALLOW_IPS")
    assert "127.0.0.1" in _TrustedHosts(Config(app=None).forwarded_allow_ips)  # left to itself
    serve.trust_proxies()
    assert "127.0.0.1" not in _TrustedHosts(Config(app=None).forwarded_allow_ips)
    monkeypatch.setenv("IMPACT_TRUSTED_PROXIES", "10.0.0.2")
    serve.trust_proxies()
    trusted = _TrustedHosts(Config(app=None).forwarded_allow_ips)
    assert "10.0.0.2" in trusted and "127.0.0.1" not in trusted


@pytest.fixture
def accounts(tmp_path: Path) -> Store:
    store = Store(db_at(tmp_path / "a.duckdb"))
    store.add_account(SETUP, "Ana@Example.org ", "Ana", password_hash=auth.hash_password(PASSWORD))
    store.add_account(SETUP, "sso@example.org", "Sso")
    return store


def test_unknown_account_and_wrong_password_get_the_same_message(accounts: Store) -> None:
    messages = []
    for email, password in (
        ("ana@example.org", "wrong password"),
        ("nobody@example.org", PASSWORD),
    ):
        with pytest.raises(AccessDenied) as caught:
            auth.sign_in(accounts, email, password)
        messages.append(said(caught.value, "en"))
    assert messages[0] == messages[1] == "Wrong e-mail address or password."
    # an account without a password (single sign-on) cannot sign in with one
    with pytest.raises(AccessDenied):
        auth.sign_in(accounts, "sso@example.org", "")


IDLE = dt.timedelta(minutes=30)
LIFETIME = dt.timedelta(hours=12)


def at(minutes_: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes_)


def test_sign_in_opens_a_session_and_is_audited(accounts: Store) -> None:
    opened = auth.sign_in(accounts, " ANA@example.org", PASSWORD, now=T0)
    assert opened.actor.email == "ana@example.org" and opened.method == "password"
    assert accounts.resume_session(opened.token, at(29), IDLE, LIFETIME) == (
        "ana@example.org",
        "password",
    )
    accounts.touch_session(opened.token, "ana@example.org", at(29))
    # active at 09:29, so still alive at 09:58; idle 31 minutes later it has expired
    assert accounts.resume_session(opened.token, at(58), IDLE, LIFETIME)
    assert accounts.resume_session(opened.token, at(90), IDLE, LIFETIME) == "expired"
    assert accounts.resume_session(opened.token, at(91), IDLE, LIFETIME) is None
    assert accounts.resume_session("forged token", T0, IDLE, LIFETIME) is None
    log = accounts.audit(SETUP)
    assert list(log["action"][-2:]) == ["sign_in", "session_expired"]


def test_an_active_session_ends_at_its_lifetime(accounts: Store) -> None:
    opened = auth.sign_in(accounts, "ana@example.org", PASSWORD, now=T0)
    for minute in range(20, 12 * 60, 20):  # active every 20 minutes, all day long
        assert accounts.resume_session(opened.token, at(minute), IDLE, LIFETIME), minute
        accounts.touch_session(opened.token, "ana@example.org", at(minute))
    assert accounts.resume_session(opened.token, at(12 * 60 + 1), IDLE, LIFETIME) == "expired"
    assert accounts.resume_session(opened.token, at(12 * 60 + 2), IDLE, LIFETIME) is None


def test_the_minute_touch_never_waits_for_a_write_under_way(accounts: Store) -> None:
    """A session's touch while a write of the same process holds the store (an import) gives
    up at once, writing nothing, and the next one lands: a page's run never queues behind an
    import for it."""
    opened = auth.sign_in(accounts, "ana@example.org", PASSWORD, now=T0)
    writing, done = threading.Event(), threading.Event()

    def import_under_way() -> None:
        with accounts.db.transaction():
            writing.set()
            done.wait(timeout=30)

    writer = threading.Thread(target=import_under_way)
    writer.start()
    writing.wait(timeout=30)
    started = time.monotonic()
    touched = accounts.touch_session(opened.token, "ana@example.org", at(29))
    waited = time.monotonic() - started
    done.set()
    writer.join()
    assert touched is False and waited < 5  # it did not wait for the write (30 s at most)
    assert accounts.touch_session(opened.token, "ana@example.org", at(29)) is True
    assert accounts.resume_session(opened.token, at(58), IDLE, LIFETIME)


def test_the_lifetime_is_configurable_and_never_under_the_idle_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert auth.session_lifetime() == dt.timedelta(hours=12)
    monkeypatch.setenv("IMPACT_SESSION_HOURS", "2")
    assert auth.session_lifetime() == dt.timedelta(hours=2)
    monkeypatch.setenv("IMPACT_SESSION_MINUTES", "300")
    assert auth.session_lifetime() == dt.timedelta(minutes=300)


def test_sign_out_ends_the_session_for_every_browser_holding_its_token(accounts: Store) -> None:
    # A second tab, or a browser that replayed the cookie, holds the same token.
    opened = auth.sign_in(accounts, "ana@example.org", PASSWORD, now=T0)
    other = auth.sign_in(accounts, "ana@example.org", PASSWORD, now=T0)  # another device
    assert accounts.resume_session(opened.token, at(1), IDLE, LIFETIME)
    accounts.end_session(opened.token, at(2), "sign_out", "ana@example.org")
    assert accounts.resume_session(opened.token, at(3), IDLE, LIFETIME) is None
    assert accounts.resume_session(other.token, at(3), IDLE, LIFETIME)  # its own sign-out


def test_a_new_password_ends_the_other_sessions(accounts: Store) -> None:
    ana = auth.sign_in(accounts, "ana@example.org", PASSWORD, now=T0)
    stolen = auth.sign_in(accounts, "ana@example.org", PASSWORD, now=T0)
    new = "a brand new passphrase here"
    # the owner changing its own password keeps the session it changed it from
    accounts.set_password(ana.actor, "ana@example.org", auth.hash_password(new), keep=ana.token)
    assert accounts.resume_session(stolen.token, at(1), IDLE, LIFETIME) is None
    assert accounts.resume_session(ana.token, at(1), IDLE, LIFETIME)
    # an admin's reset ends every session, the owner's too
    accounts.set_password(SETUP, "ana@example.org", auth.hash_password(PASSWORD), keep="x")
    assert accounts.resume_session(ana.token, at(2), IDLE, LIFETIME) is None
    log = accounts.audit(SETUP)
    assert list(log.loc[log["action"] == "password_set", "details"]) == [
        '{"sessions_ended": 1}',
        '{"sessions_ended": 1}',
    ]
    # disabling an account ends its sessions too
    again = auth.sign_in(accounts, "ana@example.org", PASSWORD, now=at(3))
    accounts.set_status(SETUP, "ana@example.org", "disabled")
    assert accounts.resume_session(again.token, at(4), IDLE, LIFETIME) is None


ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def test_failures_from_one_client_do_not_lock_out_another(accounts: Store) -> None:
    for i in range(auth.FREE_FAILURES):
        with pytest.raises(AccessDenied):
            auth.sign_in(accounts, "ana@example.org", "wrong password", now=at(i), client=ATTACKER)
    # the attacking client now waits, even with the right password...
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in(accounts, "ana@example.org", PASSWORD, now=at(4.5), client=ATTACKER)
    assert "from this device" in said(caught.value, "en") and "1 min" in said(caught.value, "en")
    # ...while the owner, elsewhere, signs in at once
    auth.sign_in(accounts, "ana@example.org", PASSWORD, now=at(5), client=OWNER)
    # the owner's success does not give the attacker its free tries back; each failure of
    # the attacker after its wait doubles the next wait
    with pytest.raises(AccessDenied):
        auth.sign_in(accounts, "ana@example.org", "wrong again", now=at(6), client=ATTACKER)
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in(accounts, "ana@example.org", PASSWORD, now=at(7), client=ATTACKER)
    assert "2 min" in said(caught.value, "en")
    auth.sign_in(
        accounts,
        "ana@example.org",
        PASSWORD,
        now=at(
            8,
        ),
        client=ATTACKER,
    )
    actions = list(accounts.audit(SETUP)["action"])
    assert actions.count("sign_in_failed") == 6 and actions.count("sign_in_locked") == 2


def fail_from_many_clients(store: Store, email: str, count: int) -> None:
    """``count`` failed sign-ins on ``email``, one per client, as ``auth.sign_in`` writes them
    (without paying for Argon2 and a transaction each time)."""
    with store.db.transaction() as cur:
        for i in range(count):
            details = {"method": "password", "client": f"192.0.2.{i % 250}"}
            store.audit_log.add(cur, email, "sign_in_failed", email, details, "refused", at(i / 10))


def test_the_account_wide_limit_and_the_ways_back_in(accounts: Store) -> None:
    fail_from_many_clients(accounts, "ana@example.org", auth.ACCOUNT_LIMIT - 1)
    auth.sign_in(accounts, "ana@example.org", PASSWORD, now=at(20), client=OWNER)
    # a success clears the count: the limit is of consecutive failures
    fail_from_many_clients(accounts, "ana@example.org", auth.ACCOUNT_LIMIT)
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in(accounts, "ana@example.org", PASSWORD, now=at(30), client=OWNER)
    assert "suspended for this account after 100 failed attempts" in said(caught.value, "en")
    assert accounts.failed_sign_ins("ana@example.org") == auth.ACCOUNT_LIMIT
    # single sign-on is never held back by the password throttle
    accounts.add_account(SETUP, "sso2@example.org", "Sso")
    fail_from_many_clients(accounts, "sso2@example.org", auth.ACCOUNT_LIMIT)
    assert auth.sign_in_sso(accounts, "sso2@example.org", verified=True).method == "sso"
    # an admin (or the account's lead) unlocks: written to the audit log
    accounts.unlock(SETUP, "ana@example.org")
    assert auth.sign_in(accounts, "ana@example.org", PASSWORD, now=at(31), client=OWNER)
    log = accounts.audit(SETUP)
    assert "sign_in_unlock" in set(log["action"])


def test_a_disabled_account_cannot_sign_in(accounts: Store) -> None:
    accounts.set_status(SETUP, "ana@example.org", "disabled")
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in(accounts, "ana@example.org", PASSWORD)
    assert "disabled" in said(caught.value, "en")


def test_single_sign_on_needs_a_verified_known_address(accounts: Store) -> None:
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in_sso(accounts, "sso@example.org", verified=False)
    assert "did not confirm" in said(caught.value, "en")
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in_sso(accounts, "stranger@example.org", verified=True)
    assert "No account for stranger@example.org" in said(caught.value, "en")
    opened = auth.sign_in_sso(accounts, "SSO@example.org", verified=True)
    assert opened.actor.email == "sso@example.org" and opened.method == "sso"


def test_demo_accounts_only_in_a_demo(tmp_path: Path) -> None:
    with Store(db_at(tmp_path / "demo.duckdb")) as store:
        auth.seed_demo(store)
        opened = auth.demo_sign_in(store, "funder@demo.example")
        assert opened.actor.funded == frozenset(auth.DEMO_PORTFOLIO_ALLIANCES)
        roles = {a.role for a in auth.DEMO_ACCOUNTS}
        assert roles == {"admin", "lead", "editor", "viewer", "funder"}
        # the demo's pending upload: submitted by the editor, waiting for the lead
        pending = store.uploads(Actor.system("t")).set_index("id").loc[2]
        assert (pending["status"], pending["uploaded_by"]) == ("submitted", "editor@demo.example")
        with pytest.raises(MetricsError):
            auth.init_install(store, "admin@example.org", "Admin", PASSWORD)
    with Store(db_at(tmp_path / "real.duckdb")) as store:
        auth.init_install(store, "Admin@Example.org", "Admin", PASSWORD)
        with pytest.raises(AccessDenied):
            auth.demo_sign_in(store, "admin@demo.example")
        assert store.alliances(Actor.system("t")).empty  # no sample data
        assert auth.sign_in(store, "admin@example.org", PASSWORD).actor.admin
        with pytest.raises(MetricsError):
            auth.init_install(store, "other@example.org", "Other", PASSWORD)
