"""Real-browser journeys of the barometer's answering page: a partner and a citizen answer on a
phone (390 × 844), in French and in English, with no account; the page offers nothing but the
questionnaire; a browser on the open link changes its own answer after a reload; and the link
works as the first visit of a server just started, under both ways of starting it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from metrics.base import clock
from metrics.base.access import Actor
from metrics.domain import barometer
from metrics.presentation.i18n import t
from metrics.storage.store import Store
from metrics.usecases import auth
from metrics.usecases import barometer as survey
from tests import lake
from tests.conftest import CHROMIUM
from tests.lake import db_at
from tests.test_browser import running_app
from tests.test_browser_entry import COMMANDS, started

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (CI installs it)",
    ),
]

ALLIANCE = auth.DEMO_ALLIANCE
PERIOD = "T4 2026"
PHONE = {"width": 390, "height": 844}
TEXT = {
    "fr": {
        "send": "Envoyer",
        "thanks": "Merci ! Votre réponse est enregistrée.",
        "dont_know": "Je ne sais pas",
        "wrong": "Ce lien ne correspond à aucun questionnaire",
    },
    "en": {
        "send": "Send",
        "thanks": "Thank you! Your answer is recorded.",
        "dont_know": "Don't know",
        "wrong": "This link matches no questionnaire",
    },
}


@dataclass(frozen=True)
class Links:
    personal: list[str]
    open_link: str


def with_wave(db: str) -> Links:
    """The demo, then a wave of the demo alliance with personal links and the open link."""
    with Store(db) as store:
        auth.seed_demo(store)
        opened = survey.open_wave(
            store,
            Actor.system("test"),
            ALLIANCE,
            PERIOD,
            {"association": 4},
            citizens=True,
            closes_on=clock.now().date() + dt.timedelta(days=30),
        )
    store.close()
    personal = [token for _, token, kind in opened.links if kind != "citizen"]
    return Links(personal, next(token for _, token, kind in opened.links if kind == "citizen"))


def answers(db: str) -> pd.DataFrame:
    """The wave's answers, read while the app runs on ``db``."""
    with Store(db) as store:
        wave = store.surveys.wave(Actor.system("test"), ALLIANCE, survey.period_of(PERIOD))
        assert wave is not None
        return store.surveys.answers(int(wave["id"]))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Links]]:
    """The app (``python -m ui.serve``) on the demo with a wave open."""
    folder = tmp_path_factory.mktemp("survey")
    db = db_at(folder / "impact.duckdb")
    lake.keep(db)
    links = with_wave(db)
    with running_app(folder / "server", {"IMPACT_DB": str(db)}) as url:
        yield url, db, links


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context
    context.close()


def pick(page, lang: str, scores: dict[str, int | None]) -> None:  # type: ignore[no-untyped-def]
    """Tap each question's score (``None``: don't know), as a respondent does."""
    for code, score in scores.items():
        label = str(score) if score is not None else TEXT[lang]["dont_know"]
        group = page.get_by_role("radiogroup", name=question_text(code, lang))
        group.get_by_text(label, exact=True).tap()
        group.get_by_role("radio", name=label, exact=True).wait_for(state="attached")


def question_text(code: str, lang: str) -> str:
    return t(f"survey.q.{code}", lang)


def only_the_questionnaire(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """No sidebar, no menu, no link to another page, nothing wider than the phone."""
    assert page.locator("[data-testid='stSidebar']").count() == 0
    assert page.locator("[data-testid='stSidebarNav'], [data-testid='stTopNav']").count() == 0
    for href in page.locator("a[href]").evaluate_all("links => links.map(a => a.href)"):
        assert urlsplit(href).path == "/enquete", href
    assert page.get_by_role("button", name="Se déconnecter").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(
        "[...document.querySelectorAll('[data-testid=stMain] *')]"
        ".every(e => e.getBoundingClientRect().right <= window.innerWidth + 1)"
    )


@pytest.mark.parametrize(("lang", "number"), [("fr", 0), ("en", 1)])
def test_a_partner_answers_on_a_phone(  # type: ignore[no-untyped-def]
    server, phone, lang: str, number: int
) -> None:
    url, db, links = server
    page = phone.new_page()
    token = links.personal[number]
    page.goto(f"{url}/enquete?jeton={token}" + ("&lang=en" if lang == "en" else ""))
    send = page.get_by_role("button", name=TEXT[lang]["send"], exact=True)
    send.wait_for(timeout=60_000)
    only_the_questionnaire(page, url)
    assert ALLIANCE in page.inner_text("body")
    assert ("T4 2026" if lang == "fr" else "Q4 2026") in page.inner_text("body")
    partner = [item.code for item in barometer.QUESTIONNAIRES[1].asked("partner")]
    scores: dict[str, int | None] = dict(zip(partner, [4, 5, 3, None, 2, 1], strict=True))
    before = answers(db)["response"].nunique()
    pick(page, lang, scores)
    send.tap()
    page.get_by_text(TEXT[lang]["thanks"]).wait_for(timeout=30_000)
    only_the_questionnaire(page, url)
    assert "jeton=" in page.url and "/enquete" in page.url
    held = answers(db)
    assert held["response"].nunique() == before + 1
    mine = held[held["response"] == held["response"].iloc[0]]  # any one response's shape
    assert set(mine["item"]) == set(partner)
    stored = {
        (item, None if pd.isna(score) else int(score))
        for item, score in zip(held["item"], held["score"], strict=True)
    }
    assert set(scores.items()) <= stored


def test_a_citizen_answers_then_changes_it_after_a_reload(server, phone) -> None:  # type: ignore[no-untyped-def]
    url, db, links = server
    page = phone.new_page()
    page.goto(f"{url}/enquete?jeton={links.open_link}&lang=en")
    send = page.get_by_role("button", name="Send", exact=True)
    send.wait_for(timeout=60_000)
    only_the_questionnaire(page, url)
    before = answers(db)["response"].nunique()
    pick(page, "en", {"citizen_trust": 4, "citizen_involvement": None})
    page.get_by_role("textbox").fill("More buses in the morning.")
    send.tap()
    page.get_by_text(TEXT["en"]["thanks"]).wait_for(timeout=30_000)
    assert answers(db)["response"].nunique() == before + 1
    # The same phone, later: its cookie finds its answer, shown again to be changed.
    page.reload()
    send.wait_for(timeout=60_000)
    trust = page.get_by_role("radiogroup", name=question_text("citizen_trust", "en"))
    assert trust.get_by_role("radio", name="4", exact=True).is_checked()
    assert page.get_by_role("textbox").input_value() == "More buses in the morning."
    pick(page, "en", {"citizen_trust": 2})
    send.tap()
    page.get_by_text(TEXT["en"]["thanks"]).wait_for(timeout=30_000)
    held = answers(db)
    assert held["response"].nunique() == before + 1  # changed, not added
    assert 2 in set(held.loc[held["item"] == "citizen_trust", "score"].dropna())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_wrong_link_says_so_and_nothing_else(server, phone, lang: str) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = server
    page = phone.new_page()
    page.goto(f"{url}/enquete?jeton=not-a-token" + ("&lang=en" if lang == "en" else ""))
    page.get_by_text(TEXT[lang]["wrong"]).wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    only_the_questionnaire(page, url)
    assert page.get_by_role("radiogroup").count() == 1  # the language switch alone
    assert page.get_by_role("button", name=TEXT[lang]["send"]).count() == 0


@pytest.mark.skipif(lake.LAKE, reason="starts the app on a new embedded database")
@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_link_opened_first_after_a_start_opens_the_questionnaire(  # type: ignore[no-untyped-def]
    browser, tmp_path: Path, name: str
) -> None:
    """The first visit of a server just started is a respondent's link: the questionnaire, its
    token kept in the address, and no sign-in (under ``streamlit run``, Streamlit's own "Page
    not found" notice once over it, as for any first address: ``test_browser_entry``)."""
    links = with_wave(str(tmp_path / "impact.duckdb"))
    with started(COMMANDS[name], tmp_path) as url:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        try:
            page.goto(f"{url}/enquete?jeton={links.personal[0]}&lang=en")
            send = page.get_by_role("button", name="Send", exact=True)
            send.wait_for(timeout=60_000)
            page.keyboard.press("Escape")
            assert f"jeton={links.personal[0]}" in page.url and "/enquete" in page.url
            assert page.get_by_role("heading", name="Sign in").count() == 0
            pick(page, "en", {"shared_vision": 3})
            send.tap()
            page.get_by_text("5 question(s) have no answer yet").wait_for(timeout=30_000)
        finally:
            context.close()
