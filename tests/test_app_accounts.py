"""AppTest journeys of accounts: sign-in, expiry, pages by role, validation, accounts, audit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics import auth, config
from metrics.access import Actor
from metrics.store import Store

TIMEOUT = 60


def app(lang: str = "fr", who: str | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["app_lang"] = lang
    if who:
        at.session_state["app_account"] = who
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def texts(at: AppTest) -> str:
    kinds = ("title", "subheader", "markdown", "caption", "info", "success", "error", "warning")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_demo_lands_on_the_sign_in_page(lang: str) -> None:
    at = app(lang)
    assert not at.exception
    assert at.title[0].value == ("Connexion" if lang == "fr" else "Sign in")
    assert ("Démonstration" if lang == "fr" else "Demo:") in at.warning[0].value
    demo = [b for b in at.button if str(b.key).startswith("sign_in_demo")]
    assert len(demo) == len(auth.DEMO_ACCOUNTS)
    at.button(key="sign_in_demo_lead").click().run()
    assert not at.exception
    assert at.session_state["app_account"] == "lead@demo.example"
    at.switch_page("pages/home.py").run()
    assert list(at.dataframe[0].value.iloc[:, 0]) == ["Sambre Emploi Solidaire"]


def test_password_sign_in_from_the_form(isolated: Path) -> None:
    at = app("en")  # creates the demo database
    with Store(isolated) as store:
        store.add_account(
            Actor.system("t"), "ana@example.org", "Ana", password_hash=auth.hash_password("x" * 12)
        )
        store.grant(Actor.system("t"), "ana@example.org", "viewer", "Recycl'Armor")
    at.text_input(key="sign_in_email").input("ana@example.org")
    at.text_input(key="sign_in_password").input("wrong password")
    at.button[0].click().run()
    assert at.error[0].value == "Wrong e-mail address or password."
    assert "app_account" not in at.session_state
    at.text_input(key="sign_in_password").input("x" * 12)
    at.button[0].click().run()
    assert not at.exception and at.session_state["app_account"] == "ana@example.org"
    at.switch_page("pages/home.py").run()
    assert list(at.dataframe[0].value.iloc[:, 0]) == ["Recycl'Armor"]


def test_an_idle_session_expires(isolated: Path) -> None:
    at = app("en", "viewer@demo.example")
    assert at.title[0].value != "Sign in"
    at.session_state["app_last_seen"] = time.time() - auth.idle_timeout().total_seconds() - 5
    at.run()
    assert not at.dataframe and "app_account" not in at.session_state  # nothing shown
    assert at.session_state["app_notice"] == "signin.expired"
    with Store(isolated) as store:
        assert store.audit(Actor.system("t"))["action"].iloc[-1] == "session_expired"


def test_a_disabled_account_is_signed_out_at_once(isolated: Path) -> None:
    at = app("en", "editor@demo.example")
    with Store(isolated) as store:
        store.set_status(Actor.system("t"), "editor@demo.example", "disabled")
    at.run()
    assert not at.dataframe and "app_account" not in at.session_state
    assert at.session_state["app_notice"] == "signin.disabled"


def test_the_lead_validates_the_pending_upload_and_the_funder_then_sees_it() -> None:
    funder = app("en", "funder@demo.example", "pages/dashboard.py")
    lead = app("en", "lead@demo.example", "pages/data.py")
    history = next(d.value for d in lead.dataframe if "Status" in d.value.columns)
    assert history.iloc[0]["Status"] == "submitted, to be validated"
    assert history.iloc[1]["File"] == "(file also holding other alliances)"
    lead.button(key="data_validate").click().run()
    assert not lead.exception
    assert any("validated" in s.value for s in lead.success)
    history = next(d.value for d in lead.dataframe if "Status" in d.value.columns)
    assert history.iloc[0]["Status"].startswith("validated on")
    # the editor may roll back its alliance's upload but not validate; the viewer only reads
    editor = app("en", "editor@demo.example", "pages/data.py")
    assert not [b for b in editor.button if b.key == "data_validate"]
    assert [b for b in editor.button if b.key == "data_rollback"]
    viewer = app("en", "viewer@demo.example", "pages/data.py")
    assert "Your role (viewer)" in texts(viewer)
    assert not viewer.get("file_uploader")
    assert not [b for b in viewer.button if b.key not in ("app_sign_out", None)]
    # October's figures now count for the funder too
    funder.run()
    assert not funder.exception


def test_the_lead_adds_an_account_to_its_alliance(isolated: Path) -> None:
    at = app("en", "lead@demo.example", "pages/accounts.py")
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    assert set(shown["E-mail"]) == {
        "lead@demo.example",
        "editor@demo.example",
        "viewer@demo.example",
    }
    at.text_input(key="accounts_new_email").input("new@example.org")
    at.text_input(key="accounts_new_name").input("New member")
    at.selectbox(key="accounts_new_role__en").select("editor")
    at.button(key="accounts_add").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "new@example.org" in set(at.dataframe[0].value["E-mail"])
    with Store(isolated) as store:
        actor = store.actor("new@example.org")
        assert actor is not None and actor.roles == frozenset(
            {("Sambre Emploi Solidaire", "editor")}
        )


def test_the_admin_reads_and_filters_the_audit_log() -> None:
    at = app("fr", "admin@demo.example", "pages/audit.py")
    assert not at.exception and not at.error
    log = at.dataframe[0].value
    assert {"compte créé", "rôle donné", "import"} <= set(log["Action"])
    at.multiselect(key="audit_actions__fr").select("upload").run()
    assert set(at.dataframe[0].value["Action"]) == {"import"}
    assert len(at.get("download_button")) == 1


def test_the_admin_grants_revokes_and_disables_from_the_page(isolated: Path) -> None:
    at = app("en", "admin@demo.example", "pages/accounts.py")
    at.selectbox(key="accounts_grant_email").select("viewer@demo.example")
    at.selectbox(key="accounts_grant_role__en").select("funder").run()
    at.selectbox(key="accounts_grant_portfolio").select(auth.DEMO_PORTFOLIO)
    at.button(key="accounts_grant").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Store(isolated) as store:
        viewer = store.actor("viewer@demo.example")
        assert viewer is not None and viewer.portfolios == frozenset({auth.DEMO_PORTFOLIO})
    picker = at.selectbox(key="accounts_revoke_pick")
    label = next(
        i
        for i, text in enumerate(picker.options)
        if "viewer@demo.example" in text and "Funder" in text
    )
    picker.set_value(label)
    at.button(key="accounts_revoke").click().run()
    at.selectbox(key="accounts_status_email").select("viewer@demo.example").run()
    at.button(key="accounts_disable").click().run()
    assert not at.exception and not at.error
    with Store(isolated) as store:
        assert store.actor("viewer@demo.example") is None
        log = store.audit(Actor.system("t"))
    assert list(log["action"][-3:]) == ["grant", "revoke", "account_disable"]


def test_the_accounts_page_shows_a_locked_account(isolated: Path) -> None:
    app("en")  # creates the demo database
    with Store(isolated) as store:
        store.add_account(
            Actor.system("t"), "ana@example.org", "Ana", password_hash=auth.hash_password("x" * 12)
        )
        for _ in range(5):
            with pytest.raises(auth.AccessDenied):
                auth.sign_in(store, "ana@example.org", "wrong password")
    at = app("en", "admin@demo.example", "pages/accounts.py")
    table = at.dataframe[0].value.set_index("E-mail")
    assert table.at["ana@example.org", "Status"].startswith("locked (failed sign-ins) until")
    assert table.at["lead@demo.example", "Status"] == "active"
