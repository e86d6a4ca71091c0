"""The barometer's answering page, for whoever holds a link (``/enquete?jeton=…``), with no
account: the questionnaire of the link's wave only, in the respondent's language. An answer
may be changed until the close by sending again; the form shows what this browser sent, never
what the store holds of a personal link (whoever holds the link would read it).

Every question asked needs an answer, "Don't know" included (as a survey tool's required
question with an opt-out): each answer then counts in every item's figures, and a question
skipped by mistake is pointed out rather than lost.
"""

from __future__ import annotations

import math
from typing import Any, NoReturn

import streamlit as st

from metrics.base import config, limits
from metrics.base.periods import parse_period
from metrics.domain import barometer
from metrics.presentation import formatting
from metrics.usecases import barometer as survey
from ui import database, language, respondent
from ui.language import tr, tr_plain, wkey

DONT_KNOW = 0  # the choice "Don't know", stored as no score
CHOICES = (*barometer.SCORES, DONT_KNOW)
SENT_KEY = "survey_sent"  # the token whose answer this session has just sent
FILLED_KEY = "survey_filled"  # the token whose answer given before the form shows
MISSING_KEY = "survey_missing"  # the questions left unanswered at the last try to send
WORDS = "survey_words"
GIVEN_KEY = "survey_given"  # what this browser sent on a personal link, to change it

# The questions read as the page's text, not as small field labels; less room above the page
# and a smaller title on a phone.
STYLE = """<style>
[class*='st-key-survey_'] [data-testid='stWidgetLabel'] p {font-size: 1rem; font-weight: 600;}
[data-testid='stMainBlockContainer'] {padding-top: 3rem;}
@media (max-width: 640px) {
  [data-testid='stMainBlockContainer'] {padding-top: 2rem;}
  h1 {font-size: 2rem !important;}
}
</style>"""

st.set_page_config(page_title=tr_plain("respond.title"))
st.html(STYLE)
lang = language.lang()
language.language_switch(on_page=True)
store = database.store()


def refuse(key: str) -> NoReturn:
    """The link opens no questionnaire: why, and nothing else."""
    st.error(tr(key))
    st.stop()


def fill(link: dict[str, Any], secret: str) -> None:
    """The answer given before (if any) in the form, once per visit and after each send. On the
    open link, this browser's answer (its secret is its own). A personal link's answer is never
    read back from the store: whoever holds the link, the lead who sent it too, would read it;
    only this browser's own copy of what it sent comes back."""
    token = respondent.token()
    if st.session_state.get(FILLED_KEY) == token:
        return
    if link["open_link"]:
        scores, words = store.surveys.given(int(link["wave"]), secret)
    else:
        scores, words = st.session_state.get(GIVEN_KEY, {}).get(token, ({}, ""))
    for code, score in scores.items():
        st.session_state[wkey(f"survey_{code}")] = DONT_KNOW if score is None else int(score)
    st.session_state[wkey(WORDS)] = words
    st.session_state[FILLED_KEY] = token


def heading(link: dict[str, Any]) -> None:
    """The wave's alliance and period, its closing date, and who sees what."""
    st.title(tr("respond.title"), anchor=False)
    period = parse_period(link["period"])
    shown = formatting.period_label(period, lang) if period else str(link["period"])
    st.markdown(tr("respond.wave", alliance=link["alliance"], period=shown))
    if link["closes_on"] is not None:
        st.markdown(tr("respond.until", date=formatting.long_date(link["closes_on"], lang)))
    least = barometer.minimum(config.survey_min())
    st.info(f"{tr('respond.anonymous')}  \n{tr('respond.who_sees', least=least)}")


def thanks(link: dict[str, Any]) -> None:
    """The answer is in: thanks, and until when it may be changed."""
    st.success(tr("respond.thanks"), icon=":material/check_circle:")
    if link["closes_on"] is not None:
        date = formatting.long_date(link["closes_on"], lang)
        st.markdown(tr("respond.change_until", date=date))
    else:
        st.markdown(tr("respond.change_open"))
    if st.button(tr("respond.change"), key="survey_change"):
        st.session_state.pop(SENT_KEY, None)
        st.rerun()


def questions(items: tuple[barometer.Item, ...], words: bool) -> None:
    """Each item's scale, then (citizens) their own words; a question left unanswered at the
    last try to send is pointed out until it is answered."""
    st.markdown(tr("respond.scale"))
    missing = st.session_state.get(MISSING_KEY, ())
    dont_know = tr_plain("respond.dont_know")
    for item in items:
        key = wkey(f"survey_{item.code}")
        with st.container(border=True):
            st.radio(
                tr(f"survey.q.{item.code}"),
                CHOICES,
                index=None,
                key=key,
                format_func=lambda choice: dont_know if choice == DONT_KNOW else str(choice),
                horizontal=True,
            )
            if item.code in missing and st.session_state.get(key) is None:
                st.markdown(tr("respond.missing_item"))
    if words:
        st.text_area(
            tr("respond.expectations"),
            key=wkey(WORDS),
            max_chars=limits.MAX_SURVEY_WORDS,
        )
        st.caption(tr("respond.expectations_help"))


def unanswered(items: tuple[barometer.Item, ...]) -> list[str]:
    """The questions of ``items`` with no choice yet."""
    return [i.code for i in items if st.session_state.get(wkey(f"survey_{i.code}")) is None]


def send(link: dict[str, Any], items: tuple[barometer.Item, ...], secret: str) -> None:
    """Send the form: every question answered (else each one left is pointed out), then (on
    the open link) within the hour's allowance of this connection; the answer replaces the one
    given before."""
    st.session_state[MISSING_KEY] = unanswered(items)
    if st.session_state[MISSING_KEY]:
        st.rerun()
    chosen = {item.code: st.session_state[wkey(f"survey_{item.code}")] for item in items}
    wait = respondent.wait_before_answer(link)
    if wait > 0:
        st.error(tr("respond.too_many", minutes=max(1, math.ceil(wait / 60))))
        return
    scores = {code: None if choice == DONT_KNOW else int(choice) for code, choice in chosen.items()}
    words = str(st.session_state.get(wkey(WORDS)) or "")[: limits.MAX_SURVEY_WORDS]
    survey.answer(store, respondent.token(), scores, words, secret=secret)
    st.session_state[GIVEN_KEY] = {respondent.token(): (scores, words)}
    st.session_state[SENT_KEY] = respondent.token()
    st.session_state.pop(FILLED_KEY, None)  # shown again as sent, if they change it
    st.rerun()


token = respondent.token()
if not token:
    refuse("respond.no_link")
link = store.surveys.link(token)
if link is None:
    refuse("survey.wrong_link")
if not link["is_open"]:
    refuse("survey.closed_link")
heading(link)
if st.session_state.get(SENT_KEY) == token:
    thanks(link)
    st.stop()
secret = respondent.secret(link, token)
fill(link, secret)
audience = barometer.audience(str(link["respondent"]))
questionnaire = barometer.QUESTIONNAIRES[int(link["version"])]
items = questionnaire.asked(audience)
questions(items, questionnaire.expectations and audience == "citizen")
if st.button(tr("respond.send"), key="survey_send", type="primary"):
    send(link, items, secret)
left = [code for code in unanswered(items) if code in st.session_state.get(MISSING_KEY, ())]
if left:
    st.error(tr("respond.missing", count=len(left)))
respondent.keep_cookie()
