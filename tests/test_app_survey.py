"""AppTest: the barometer's answering page, run through ``app.py`` as a respondent's session
(no account): the questionnaire of the link, its answer stored, shown again and changed, every
question required, the open link's browsers and their hourly allowance, and the links that open
nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics.base import clock, config, limits
from metrics.base.access import Actor
from metrics.domain import barometer
from metrics.presentation import formatting
from metrics.storage.store import Store
from metrics.usecases import barometer as survey
from tests.conftest import built, signed_in
from tests.lake import copy_db
from tests.test_access import ADMIN, LEAD, A, plant
from ui import navigation, respondent
from ui.database import store_at

TIMEOUT = 60
PERIOD = "T4 2026"
PARTNER_CODES = [item.code for item in barometer.QUESTIONNAIRES[1].asked("partner")]
CITIZEN_CODES = [item.code for item in barometer.QUESTIONNAIRES[1].asked("citizen")]
READER = Actor.system("test")


@dataclass(frozen=True)
class Wave:
    """A copy of the database with a wave open: its personal links and its open link."""

    db: str
    personal: list[str]
    open_link: str
    closes_on: dt.date

    def answers(self) -> pd.DataFrame:
        store = store_at(self.db)
        found = store.surveys.wave(READER, A, survey.period_of(PERIOD))
        assert found is not None
        return store.surveys.answers(int(found["id"]))

    def texts(self) -> list[str]:
        store = store_at(self.db)
        found = store.surveys.wave(READER, A, survey.period_of(PERIOD))
        assert found is not None
        return [str(body) for body in store.surveys.texts(int(found["id"]))["body"]]


@pytest.fixture(scope="module")
def _wave_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str], str, dt.date]:
    closes_on = clock.now().date() + dt.timedelta(days=30)
    made: dict[str, survey.Opened] = {}

    def fill(store: Store) -> None:
        plant(store)
        lead = store.actor(LEAD)
        assert lead is not None
        made["wave"] = survey.open_wave(
            store, lead, A, PERIOD, {"association": 3}, citizens=True, closes_on=closes_on
        )

    db = built(tmp_path_factory.mktemp("survey") / "survey.duckdb", fill)
    links = made["wave"].links
    personal = [token for _, token, kind in links if kind != "citizen"]
    citizen = next(token for _, token, kind in links if kind == "citizen")
    return db, personal, citizen, closes_on


@pytest.fixture
def wave(
    _wave_file: tuple[str, list[str], str, dt.date],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Wave:
    """The wave on a copy of the database, which the app opens; a new hourly allowance."""
    source, personal, citizen, closes_on = _wave_file
    db = copy_db(source, tmp_path)
    monkeypatch.setenv(config.ENV_DB, db)
    monkeypatch.setattr(respondent, "ANSWERS", respondent.Throttle(respondent.PER_HOUR, 3600.0))
    return Wave(db, personal, citizen, closes_on)


def opened(token: str | None, lang: str | None = None, *, signed_in_as: str = "") -> AppTest:
    """The app as a browser opening ``/enquete?jeton=token[&lang=…]`` runs it."""
    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state[navigation.VISITOR_KEY] = navigation.SURVEY.name  # what /enquete sets
    if signed_in_as:
        signed_in(at, signed_in_as)
    if token is not None:
        at.query_params["jeton"] = token
    if lang is not None:
        at.query_params["lang"] = lang
    return at.run()


def radio_key(code: str, at: AppTest) -> str:
    return f"survey_{code}__{at.session_state['app_lang']}"


def choose(at: AppTest, scores: dict[str, int]) -> None:
    """Pick each score (0: don't know), as a respondent clicks."""
    for code, score in scores.items():
        at.radio(key=radio_key(code, at)).set_value(score)
    at.run()


def send(at: AppTest) -> AppTest:
    return at.button(key="survey_send").click().run()


def shown(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("title", "markdown", "caption", "info", "success", "error")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


# -- a personal link ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_personal_link_shows_its_questionnaire_only(wave: Wave, lang: str) -> None:
    at = opened(wave.personal[0], lang)
    assert not at.exception
    text = shown(at)
    assert at.title[0].value == ("Baromètre de confiance" if lang == "fr" else "Trust barometer")
    assert A in text and ("T4 2026" if lang == "fr" else "Q4 2026") in text
    assert formatting.long_date(wave.closes_on, lang) in text
    assert "5" in at.info[0].value  # the smallest group shown
    assert [r.key for r in at.radio] == [f"survey_{c}__{lang}" for c in PARTNER_CODES]
    dont_know = "Je ne sais pas" if lang == "fr" else "Don't know"
    assert at.radio[0].options == ["1", "2", "3", "4", "5", dont_know]
    assert all(r.value is None for r in at.radio)
    assert not at.text_area  # a partner's link asks no words
    assert [b.label for b in at.button] == ["Envoyer" if lang == "fr" else "Send"]
    # No account, no menu, no page of the app's: the sidebar holds nothing.
    assert not at.sidebar.children
    assert "app_account" not in at.session_state


def test_an_answer_is_stored_and_changed_but_never_read_back_by_another_session(
    wave: Wave,
) -> None:
    at = opened(wave.personal[0])
    choose(at, dict(zip(PARTNER_CODES, [4, 5, 3, 2, 0, 1], strict=True)))
    send(at)
    assert not at.exception
    assert "Merci" in at.success[0].value
    assert formatting.long_date(wave.closes_on, "fr") in shown(at)
    assert not at.radio
    held = wave.answers()
    assert held["response"].nunique() == 1
    scores = {item: None if pd.isna(s) else int(s) for item, s in zip(held["item"], held["score"])}
    assert scores == dict(zip(PARTNER_CODES, [4, 5, 3, 2, None, 1], strict=True))

    # From the thanks, "change my answer" opens the form again, as this browser sent it.
    at.button(key="survey_change").click().run()
    assert [r.value for r in at.radio] == [4, 5, 3, 2, 0, 1]  # 0: "Je ne sais pas"

    # The same link in another session (another browser, or whoever sent the link: the lead
    # holds every token): the answer is never read back, the form is blank; answering again
    # replaces it.
    again = opened(wave.personal[0])
    assert [r.value for r in again.radio] == [None] * len(PARTNER_CODES)
    choose(again, dict(zip(PARTNER_CODES, [1, 1, 1, 1, 1, 1], strict=True)))
    send(again)
    held = wave.answers()
    assert held["response"].nunique() == 1  # replaced, not added
    assert dict(zip(held["item"], held["score"], strict=True))["shared_vision"] == 1


def test_every_question_needs_an_answer_dont_know_included(wave: Wave) -> None:
    at = opened(wave.personal[1], "en")
    choose(at, {"shared_vision": 3, "mutual_respect": 0})
    send(at)
    assert not at.exception
    assert "4 question(s) have no answer yet" in at.error[0].value
    assert shown(at).count("Answer this question") == 4
    assert wave.answers().empty
    # Each question answered drops its mark; the last one sends.
    choose(at, {"openness_to_difference": 2, "shared_values": 2, "partner_trust": 0})
    assert "1 question(s) have no answer yet" in at.error[0].value
    choose(at, {"partner_engagement": 5})
    send(at)
    assert "Thank you" in at.success[0].value
    assert len(wave.answers()) == len(PARTNER_CODES)


def test_a_change_of_language_keeps_the_choices(wave: Wave) -> None:
    at = opened(wave.personal[0])
    choose(at, {"shared_vision": 4, "mutual_respect": 0})
    at.segmented_control(key="app_lang_choice").set_value("en").run()
    assert at.title[0].value == "Trust barometer"
    assert at.query_params["lang"] == "en" and at.query_params["jeton"] == wave.personal[0]
    assert at.radio(key="survey_shared_vision__en").value == 4
    assert at.radio(key="survey_mutual_respect__en").value == 0  # don't know


def test_a_signed_in_browser_opening_a_link_sees_no_account(wave: Wave) -> None:
    at = opened(wave.personal[2], signed_in_as=ADMIN)
    assert not at.exception
    assert not at.sidebar.children  # no account box, no sign-out, no menu
    assert len(at.radio) == len(PARTNER_CODES)


# -- the citizens' open link --------------------------------------------------------------------


def test_the_open_link_asks_citizens_and_their_words(wave: Wave) -> None:
    at = opened(wave.open_link)
    assert [r.key for r in at.radio] == [f"survey_{c}__fr" for c in CITIZEN_CODES]
    assert at.text_area[0].max_chars == limits.MAX_SURVEY_WORDS
    choose(at, {"citizen_trust": 4, "citizen_involvement": 0})
    at.text_area[0].input("  Des bus le matin.  ").run()
    send(at)
    assert "Merci" in at.success[0].value
    assert wave.texts() == ["Des bus le matin."]
    # The same browser (its session) changes its answer; another browser adds one.
    at.button(key="survey_change").click().run()
    assert at.text_area[0].value == "Des bus le matin."
    choose(at, {"citizen_trust": 2})
    send(at)
    assert wave.answers()["response"].nunique() == 1
    other = opened(wave.open_link)
    assert all(r.value is None for r in other.radio)
    choose(other, {"citizen_trust": 5, "citizen_involvement": 5})
    send(other)
    assert wave.answers()["response"].nunique() == 2


def test_the_open_link_takes_a_few_answers_an_hour_from_one_address(wave: Wave) -> None:
    for _ in range(respondent.PER_HOUR):
        at = opened(wave.open_link, "en")
        choose(at, {"citizen_trust": 3, "citizen_involvement": 3})
        send(at)
        assert "Thank you" in at.success[0].value
    at = opened(wave.open_link, "en")
    choose(at, {"citizen_trust": 1, "citizen_involvement": 1})
    send(at)
    assert not at.exception and not at.success
    assert "Too many answers sent from this connection" in at.error[0].value
    assert at.radio(key="survey_citizen_trust__en").value == 1  # the choices stay
    assert wave.answers()["response"].nunique() == respondent.PER_HOUR
    # A personal link is never held back.
    personal = opened(wave.personal[0], "en")
    choose(personal, dict.fromkeys(PARTNER_CODES, 3))
    send(personal)
    assert "Thank you" in personal.success[0].value


def test_the_allowance_is_per_address_and_hour() -> None:
    throttle = respondent.Throttle(2, 3600.0)
    assert [throttle.take("a", t) for t in (0.0, 10.0, 20.0)] == [0.0, 0.0, 3580.0]
    assert throttle.take("b", 20.0) == 0.0  # another address
    assert throttle.take("a", 3600.0) == 0.0  # an hour after its first
    assert throttle.take("a", 3601.0) == 9.0


# -- links that open nothing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "lang", "message"),
    [
        (None, "fr", "Ce lien est incomplet"),
        ("", "en", "This link is incomplete"),
        ("not-a-token", "fr", "Ce lien ne correspond à aucun questionnaire"),
        ("x" * 500, "en", "This link is incomplete"),
    ],
)
def test_a_link_that_opens_nothing_says_so_and_shows_nothing_else(
    wave: Wave, token: str | None, lang: str, message: str
) -> None:
    at = opened(token, lang)
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith(message)
    assert not at.radio and not at.button and not at.title and not at.sidebar.children


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_closed_wave_takes_no_more_answers(wave: Wave, lang: str) -> None:
    at = opened(wave.personal[0], lang)
    choose(at, dict.fromkeys(PARTNER_CODES, 4))
    store = store_at(wave.db)
    lead = store.actor(LEAD)
    assert lead is not None
    survey.close_wave(store, lead, A, PERIOD)
    send(at)  # closed while the form was open: a message, no traceback
    assert not at.exception
    closed = "Ce questionnaire est clos" if lang == "fr" else "This questionnaire is closed"
    assert at.error[0].value.startswith(closed)
    again = opened(wave.personal[0], lang)
    assert [e.value[: len(closed)] for e in again.error] == [closed]
    assert not again.radio and not again.button


# -- the trust page, while the wave is open ------------------------------------------------------


def test_the_trust_page_counts_each_answer_as_it_comes(wave: Wave) -> None:
    # The page's results are cached for every session, keyed by the survey tables' version too:
    # an answer (which makes no upload) shows at the next run, not ten minutes later.
    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["app_lang"] = "en"
    signed_in(at, LEAD)
    at.run()
    at.switch_page("pages/trust.py").run()
    assert "0 answer(s) for 3 personal link(s)" in shown(at)
    store_at(wave.db).surveys.answer(wave.personal[0], dict.fromkeys(PARTNER_CODES, 4), "")
    at.run()
    assert not at.exception
    assert "1 answer(s) for 3 personal link(s)" in shown(at)
