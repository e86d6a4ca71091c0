"""AppTest journeys of accounts: sign-in, expiry, pages by role, validation, accounts, audit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.base import clock, config
from metrics.base.access import Actor
from metrics.storage.store import Store
from metrics.usecases import auth
from tests.conftest import signed_in

TIMEOUT = 60
GOOD_PASSWORD = "a long enough password"


def app(lang: str = "fr", who: str | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["app_lang"] = lang
    if who:
        signed_in(at, who)
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


def viewer_with_password(db: Path, email: str, name: str, language: str = "fr") -> None:
    """An account signing in with ``GOOD_PASSWORD``, viewer of Recycl'Armor."""
    with Store(db) as store:
        hashed = auth.hash_password(GOOD_PASSWORD)
        store.add_account(Actor.system("t"), email, name, password_hash=hashed, language=language)
        store.grant(Actor.system("t"), email, "viewer", "Recycl'Armor")


def test_password_sign_in_from_the_form(isolated: Path) -> None:
    at = app("en")  # creates the demo database
    viewer_with_password(isolated, "ana@example.org", "Ana")
    at.text_input(key="sign_in_email").input("ana@example.org")
    at.text_input(key="sign_in_password").input("wrong password")
    at.button[0].click().run()
    assert at.error[0].value == "Wrong e-mail address or password."
    assert "app_account" not in at.session_state
    at.text_input(key="sign_in_password").input(GOOD_PASSWORD)
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


def test_the_accounts_page_shows_a_locked_account_and_unlocks_it(isolated: Path) -> None:
    # Five failures no longer lock an account for everybody (that was the bug): the page
    # shows the account-wide limit, which an admin lifts.
    app("en")  # creates the demo database
    email = "ana@example.org"
    with Store(isolated) as store:
        hashed = auth.hash_password(GOOD_PASSWORD)
        store.add_account(Actor.system("t"), email, "Ana", password_hash=hashed)
        with store.db.transaction() as cur:
            for i in range(auth.ACCOUNT_LIMIT):
                details = {"method": "password", "client": f"192.0.2.{i}"}
                store.audit_log.add(cur, email, "sign_in_failed", email, details, "refused")
    at = app("en", "admin@demo.example", "pages/accounts.py")
    table = at.dataframe[0].value.set_index("E-mail")
    assert table.at[email, "Status"] == "password sign-in suspended (100 failed attempts)"
    assert table.at["lead@demo.example", "Status"] == "active"
    at.selectbox(key="accounts_status_email").select(email).run()
    at.button(key="accounts_unlock").click().run()
    assert not at.exception and "Sign-in restored for" in texts(at)
    with Store(isolated) as store:
        assert auth.sign_in(store, email, GOOD_PASSWORD).actor.email == email


def test_sign_out_in_one_tab_signs_the_other_out(isolated: Path) -> None:
    first = app("en", "viewer@demo.example")
    # a second tab (or a browser that replayed the cookie) resumed the same session
    second = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=TIMEOUT)
    second.session_state["app_lang"] = "en"
    second.session_state["app_account"] = "viewer@demo.example"
    second.session_state["app_session_token"] = first.session_state["app_session_token"]
    second.run()
    assert second.title[0].value != "Sign in"
    # the first tab signs out (what its button does: AppTest does not click the sidebar's)
    with Store(isolated) as store:
        token = first.session_state["app_session_token"]
        store.end_session(token, clock.now(), "sign_out", "viewer@demo.example")
    second.run()
    assert "app_account" not in second.session_state and not second.dataframe
    assert second.session_state["app_notice"] == "signin.ended"


def test_a_new_password_signs_the_other_sessions_out(isolated: Path) -> None:
    mine = app("en", "admin@demo.example", "pages/accounts.py")
    elsewhere = app("en", "admin@demo.example")  # another browser of the same account
    mine.selectbox(key="accounts_status_email").select("admin@demo.example").run()
    mine.text_input(key="accounts_reset_password").input("a brand new passphrase here").run()
    mine.button(key="accounts_set_password").click().run()
    assert not mine.exception and not mine.error
    elsewhere.run()
    assert "app_account" not in elsewhere.session_state and not elsewhere.dataframe
    assert elsewhere.session_state["app_notice"] == "signin.ended"
    mine.run()  # the owner who changed it stays signed in
    assert mine.session_state["app_account"] == "admin@demo.example"


def test_a_session_is_its_row_not_the_session_state(isolated: Path) -> None:
    # A session state naming an account, with no live session behind it, is signed out.
    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["app_lang"] = "en"
    at.session_state["app_account"] = "admin@demo.example"
    at.run()
    assert "app_account" not in at.session_state and at.title[0].value == "Sign in"
    assert not at.dataframe


def test_an_account_signs_in_to_its_own_language_and_the_switch_remembers(
    isolated: Path,
) -> None:
    at = app("fr")  # the French sign-in page
    assert at.title[0].value == "Connexion"
    viewer_with_password(isolated, "kate@example.org", "Kate", language="en")
    at.text_input(key="sign_in_email").input("kate@example.org")
    at.text_input(key="sign_in_password").input(GOOD_PASSWORD)
    at.button[0].click().run()
    assert not at.exception and at.session_state["app_lang"] == "en"
    assert at.title[0].value == "Sign in"  # the same page, now in the account's language
    # Later, in another browser: the switch still changes the language, and remembers it.
    later = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=60)
    later.session_state["app_lang"] = "en"
    signed_in(later, "kate@example.org")
    later.run()
    assert later.title[0].value == "Impact dashboard for territorial alliances"
    later.segmented_control(key="app_lang_choice").set_value("fr").run()
    assert not later.exception and later.session_state["app_lang"] == "fr"
    assert later.title[0].value.startswith("Tableau de bord")
    with Store(isolated) as store:
        account = store.account("kate@example.org")
        assert account is not None and account["lang"] == "fr"


def test_a_demo_account_keeps_the_visitors_language(isolated: Path) -> None:
    """A demo account is shared by every visitor: signing in keeps the page's language (the
    demo accounts are French), and a visitor's choice is not kept on it for the next one."""
    at = app("en")
    at.button(key="sign_in_demo_admin").click().run()
    assert not at.exception and at.session_state["app_lang"] == "en"
    later = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=60)
    later.session_state["app_lang"] = "fr"
    signed_in(later, "admin@demo.example")
    later.run()
    later.segmented_control(key="app_lang_choice").set_value("en").run()
    assert not later.exception and later.session_state["app_lang"] == "en"
    with Store(isolated) as store:
        account = store.account("admin@demo.example")
        assert account is not None and account["lang"] == "fr"
