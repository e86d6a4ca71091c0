"""Empty states: a page with nothing to show says what to do next, by who reads it (the rule
on ``metrics.presentation.empty``, then the pages in AppTest, in both languages)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics.base import config
from metrics.base.access import Actor
from metrics.presentation.empty import NextStep, next_step
from metrics.presentation.i18n import t
from metrics.storage.store import Store
from metrics.usecases import auth
from tests.conftest import ADMIN, signed_in, xlsx
from tests.test_app import TIMEOUT, app, wkey
from ui.markdown import md

NONE = pd.DataFrame({"name": [], "observations": []})
NORD = pd.DataFrame({"name": ["Alliance Nord"], "observations": [0]})
BOTH = pd.DataFrame({"name": ["Sud", "Nord"], "observations": [0, 0]})
ADMINS = ["admin@example.org", "second@example.org"]


def roles(*pairs: tuple[str, str]) -> frozenset[tuple[str, str]]:
    return frozenset(pairs)


def test_nothing_to_say_when_an_alliance_has_a_value() -> None:
    some = pd.DataFrame({"name": ["Nord", "Sud"], "observations": [0, 3]})
    assert next_step(Actor("v@x.org", roles=roles(("Nord", "viewer"))), some, ADMINS) is None


def test_a_new_install_tells_the_admin_to_fill_the_template_and_import() -> None:
    step = next_step(Actor("a@x.org", admin=True), NONE, ADMINS, here="home")
    assert step == NextStep("empty.install", {}, "data", template=True)
    # on the data page itself, the step points to no other page: the import is there
    assert next_step(Actor("a@x.org", admin=True), NONE, ADMINS, here="data") == NextStep(
        "empty.install", {}, None, template=True
    )


def test_an_editor_whose_alliance_is_not_declared_yet_is_told_to_declare_it() -> None:
    # An editor of an alliance no upload declared yet reads no alliance at all.
    editor = Actor("e@x.org", roles=roles(("Nord", "editor"), ("Sud", "viewer")))
    step = next_step(editor, NONE, ADMINS)
    assert step == NextStep("empty.declare", {"alliances": "Nord"}, "data", template=True)


def test_a_funder_with_an_empty_portfolio_is_told_whom_to_ask() -> None:
    funder = Actor("f@x.org", portfolios=frozenset({"Sud", "Est"}))
    step = next_step(funder, NONE, ADMINS)
    assert step == NextStep(
        "empty.portfolio",
        {"portfolios": "Est, Sud", "admins": "admin@example.org, second@example.org"},
    )
    assert step.page is None and not step.template


def test_an_account_with_no_role_asks_an_admin_and_a_dash_stands_for_none_known() -> None:
    step = next_step(Actor("n@x.org"), NONE, [])
    assert step == NextStep("empty.no_role", {"admins": "—"})


def test_alliances_without_values_by_role() -> None:
    listed = {"alliances": "Nord, Sud", "count": 2}
    editor = Actor("e@x.org", roles=roles(("Nord", "editor")))
    assert next_step(editor, BOTH, ADMINS) == NextStep(
        "empty.no_values_import", listed, "data", template=True
    )
    funder = Actor("f@x.org", funded=frozenset({"Nord", "Sud"}), portfolios=frozenset({"P"}))
    assert next_step(funder, BOTH, ADMINS) == NextStep("empty.no_values_validated", listed)
    # a viewer waits for whoever imports; a funder who is also a viewer of one reads all of it
    for reader in (
        Actor("v@x.org", roles=roles(("Nord", "viewer"), ("Sud", "viewer"))),
        Actor("m@x.org", roles=roles(("Nord", "viewer")), funded=frozenset({"Nord", "Sud"})),
    ):
        step = next_step(reader, BOTH, ADMINS)
        assert step is not None and step.key == "empty.no_values_wait"
        assert step.params["admins"] == "admin@example.org, second@example.org"
        assert step.page is None and not step.template


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["Pas encore de valeur validée pour Nord, Sud.", "« donnees »", "Données"]),
        ("en", ["No validated values yet for Nord, Sud.", "“observations”", "Data page"]),
    ],
)
def test_every_next_step_reads_in_both_languages_with_its_names(
    lang: str, words: list[str]
) -> None:
    funder = Actor("f@x.org", funded=frozenset({"Nord", "Sud"}), portfolios=frozenset({"P"}))
    validated = next_step(funder, BOTH, ADMINS)
    assert validated is not None
    assert words[0] in t(validated.key, lang, **validated.params)
    editor = Actor("e@x.org", roles=roles(("Alliance Nord", "editor")))
    to_import = next_step(editor, NORD, ADMINS)
    assert to_import is not None
    sentence = t(to_import.key, lang, **to_import.params)
    assert "Alliance Nord" in sentence and words[1] in sentence and words[2] in sentence
    for key, params in [
        ("empty.install", {}),
        ("empty.declare", {"alliances": "Nord"}),
        ("empty.portfolio", {"portfolios": "P", "admins": ADMINS[0]}),
        ("empty.no_role", {"admins": ADMINS[0]}),
        ("empty.no_values_wait", {"alliances": "Nord", "count": 1, "admins": ADMINS[0]}),
    ]:
        sentence = t(key, lang, **params)
        assert "{" not in sentence and all(str(v) in sentence for v in params.values() if v != 1)


def test_the_administrators_to_ask_are_those_who_can_sign_in(fresh_store: Store) -> None:
    auth.init_install(fresh_store, "zed@example.org", "Zed", "Secret-pass-2026")
    for email in ("amy@example.org", "gone@example.org", "bob@example.org"):
        fresh_store.add_account(ADMIN, email, email)
        fresh_store.grant(ADMIN, email, "admin")
    fresh_store.add_account(ADMIN, "lead@example.org", "Lead")
    fresh_store.set_status(ADMIN, "gone@example.org", "disabled")
    assert fresh_store.administrators() == ["amy@example.org", "bob@example.org", "zed@example.org"]
    assert fresh_store.administrators(at_most=1) == ["amy@example.org"]


# The pages -----------------------------------------------------------------------------------

PASSWORD = "Secret-pass-2026"


def real_install(isolated: Path) -> Store:
    """A real install (its first admin, no sample data), open on the test's database."""
    store = Store(str(isolated))
    auth.init_install(store, "admin@example.org", "Admin", PASSWORD)
    return store


def opened(who: str, lang: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["app_lang"] = lang
    signed_in(at, who)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_new_install_offers_the_template_and_the_data_page(lang: str, isolated: Path) -> None:
    real_install(isolated).close()
    for page in (None, "pages/dashboard.py", "pages/portfolio.py"):
        at = opened("admin@example.org", lang, page)
        assert not at.exception and not at.error
        assert t("empty.install", lang) in [i.value for i in at.info]
        assert not at.dataframe and not at.get("plotly_chart")
        assert at.get("download_button"), page  # the template, right there
        links = [link.proto.label for link in at.get("page_link")]
        assert t("empty.to_data", lang) in links


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_funder_whose_portfolio_lost_its_alliance_is_told_whom_to_ask(
    lang: str, isolated: Path
) -> None:
    store = real_install(isolated)
    declared = [["Alliance Sud", "Arles", "13004", 5000, "emploi", "2021", ""]]
    upload = store.import_file(xlsx({"alliances": declared}), "sud.xlsx", ADMIN)
    store.add_to_portfolio(ADMIN, "Sud", ["Alliance Sud"])
    store.add_account(ADMIN, "funder@example.org", "Funder", language=lang)
    store.grant(ADMIN, "funder@example.org", "funder", portfolio="Sud")
    store.rollback(int(upload.upload_id), ADMIN)
    store.close()
    at = opened("funder@example.org", lang, "pages/portfolio.py")
    assert not at.exception and not at.error
    admins = md("admin@example.org")  # as the page writes it (never a mailto link)
    expected = t("empty.portfolio", lang, portfolios="Sud", admins=admins)
    assert [i.value for i in at.info] == [expected]
    assert not at.dataframe and not at.get("download_button") and not at.get("page_link")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_portfolio_filters_that_match_nothing_offer_to_clear_them(lang: str) -> None:
    at = app(lang, "pages/portfolio.py")
    at.multiselect(key="portfolio_themes").select("mobilité").run()
    at.multiselect(key=wkey("portfolio_stages", at)).select("consolidation").run()
    assert not at.dataframe  # no mobility alliance of the sample is at consolidation
    assert t("portfolio.no_match", lang) in [i.value for i in at.info]
    assert not at.get("plotly_chart")
    at.button(key="portfolio_clear").click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 7 and at.multiselect(key="portfolio_themes").value == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_audit_filter_that_matches_nothing_says_what_to_change(lang: str) -> None:
    at = app(lang, "pages/audit.py")
    assert at.dataframe  # the demo's seeding is logged
    at.text_input(key="audit_account").input("nobody@nowhere.example").run()
    assert not at.exception and not at.dataframe
    assert t("audit.no_match", lang) in [i.value for i in at.info]
    at.text_input(key="audit_account").input("").run()
    assert at.dataframe
