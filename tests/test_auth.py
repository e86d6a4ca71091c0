"""Signing in: Argon2id, the same message for unknown and wrong, the lockout rule, single sign-on,
sessions, demo and real installs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from metrics import auth
from metrics.access import Actor
from metrics.errors import AccessDenied, MetricsError
from metrics.store import Store
from tests.lake import db_at

T0 = dt.datetime(2026, 3, 2, 9, 0)
SETUP = Actor.system("setup")
PASSWORD = "a long enough password"


def minutes(*offsets: float) -> list[dt.datetime]:
    return [T0 + dt.timedelta(minutes=m) for m in offsets]


@pytest.mark.parametrize(
    ("failures", "now", "until"),
    [
        # five failures within 15 minutes: locked 15 minutes from the fifth
        ((0, 1, 2, 3, 4), 5, 19),
        ((0, 1, 2, 3, 4), 19.5, None),
        # four are not enough
        ((0, 1, 2, 3), 4, None),
        # five spread over more than 15 minutes are not either
        ((0, 4, 8, 12, 16), 17, None),
        # the window slides: failures at 4..16 are five within 12 minutes
        ((0, 4, 8, 12, 14, 16), 17, 31),
    ],
)
def test_lockout_rule(failures: tuple[float, ...], now: float, until: float | None) -> None:
    events = [(at, "sign_in_failed") for at in minutes(*failures)]
    expected = None if until is None else minutes(until)[0]
    assert auth.locked_until(events, minutes(now)[0]) == expected


def test_a_successful_sign_in_clears_earlier_failures() -> None:
    events = [(at, "sign_in_failed") for at in minutes(0, 1, 2, 3)]
    events += [(minutes(3.5)[0], "sign_in"), (minutes(4)[0], "sign_in_failed")]
    assert auth.locked_until(events, minutes(5)[0]) is None


def test_passwords_are_argon2id_hashes() -> None:
    hashed = auth.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert auth.verify(hashed, PASSWORD) and not auth.verify(hashed, PASSWORD + "!")
    assert not auth.verify(None, PASSWORD)
    assert not auth.verify("not a hash", PASSWORD)
    with pytest.raises(MetricsError) as caught:
        auth.hash_password("short", "en")
    assert "at least 10 characters" in caught.value.message


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
            auth.sign_in(accounts, email, password, "en")
        messages.append(caught.value.message)
    assert messages[0] == messages[1] == "Wrong e-mail address or password."
    # an account without a password (single sign-on) cannot sign in with one
    with pytest.raises(AccessDenied):
        auth.sign_in(accounts, "sso@example.org", "", "en")


def test_sign_in_opens_a_session_and_is_audited(accounts: Store) -> None:
    opened = auth.sign_in(accounts, " ANA@example.org", PASSWORD, now=T0)
    assert opened.actor.email == "ana@example.org" and opened.method == "password"
    idle = dt.timedelta(minutes=30)
    assert accounts.resume_session(opened.token, T0 + dt.timedelta(minutes=29), idle) == (
        "ana@example.org",
        "password",
    )
    accounts.touch_session(opened.token, "ana@example.org", T0 + dt.timedelta(minutes=29))
    # active at 09:29, so still alive at 09:58; idle 31 minutes later it has expired
    assert accounts.resume_session(opened.token, T0 + dt.timedelta(minutes=58), idle)
    assert accounts.resume_session(opened.token, T0 + dt.timedelta(minutes=90), idle) == "expired"
    assert accounts.resume_session(opened.token, T0 + dt.timedelta(minutes=91), idle) is None
    assert accounts.resume_session("forged token", T0, idle) is None
    log = accounts.audit(SETUP)
    assert list(log["action"][-2:]) == ["sign_in", "session_expired"]


def test_five_failures_lock_even_the_right_password(accounts: Store) -> None:
    for i in range(5):
        with pytest.raises(AccessDenied):
            auth.sign_in(
                accounts, "ana@example.org", "wrong password", now=T0 + dt.timedelta(minutes=i)
            )
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in(accounts, "ana@example.org", PASSWORD, "en", now=T0 + dt.timedelta(minutes=5))
    assert "locked" in caught.value.message and "15 min" in caught.value.message
    # 15 minutes after the fifth failure, the right password works again
    auth.sign_in(
        accounts, "ana@example.org", PASSWORD, now=T0 + dt.timedelta(minutes=19, seconds=1)
    )
    actions = list(accounts.audit(SETUP)["action"])
    assert actions.count("sign_in_failed") == 5 and actions.count("sign_in_locked") == 1


def test_a_disabled_account_cannot_sign_in(accounts: Store) -> None:
    accounts.set_status(SETUP, "ana@example.org", "disabled")
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in(accounts, "ana@example.org", PASSWORD, "en")
    assert "disabled" in caught.value.message


def test_single_sign_on_needs_a_verified_known_address(accounts: Store) -> None:
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in_sso(accounts, "sso@example.org", verified=False, lang="en")
    assert "did not confirm" in caught.value.message
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in_sso(accounts, "stranger@example.org", verified=True, lang="en")
    assert "No account for stranger@example.org" in caught.value.message
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
