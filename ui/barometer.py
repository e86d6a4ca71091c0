"""The trust barometer in the app: a wave's results on the trust page (who answered, how the
answers spread, the gap between stakeholder types, the change since the last wave, the citizens'
words a lead kept), and the lead's waves on the data page (opening one with its links, a CSV to
send and a QR code for the open link; adding links; closing it; reading the citizens' words).

The rules (who runs a wave, what is withheld, what the close writes) are
``metrics.usecases.barometer``'s and the store's; this module only draws them.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
import segno
import streamlit as st

from metrics.base import catalog, clock
from metrics.base.access import Actor
from metrics.presentation import barometer as shown
from metrics.presentation import formatting
from metrics.presentation.barometer import period_label
from metrics.presentation.summaries import survey_closed
from metrics.usecases import barometer
from ui import database, language, pickers, reads, session, views, widgets
from ui.language import tr, tr_plain

OPENED_KEY = "data_survey_opened"  # the links of the wave just opened: shown once, to this session
# The stakeholder types a lead sends personal links to (citizens answer through the open link,
# cohorts are an outcome contract's).
LINK_TYPES = barometer.LINK_TYPES
DEFAULT_DAYS_OPEN = 21


# -- the trust page ----------------------------------------------------------------------------


def results_section(alliance: str) -> None:
    """The alliance's barometer waves as the account reads them, the chosen one's results."""
    lang, store, data, scope = language.lang(), database.store(), database.db(), session.scope()
    st.subheader(tr("survey.title"))
    if barometer.close_due(store):
        reads.data_changed()
    answers, today = store.surveys.version(), clock.today()
    waves = views.survey_waves(data, scope, views.Wave(alliance, None, answers, today))
    if waves.empty:
        st.info(tr("survey.none_yet"))
        return
    periods = sorted(waves["period"], key=barometer.period_start, reverse=True)
    period = st.selectbox(
        tr("survey.wave"),
        periods,
        format_func=lambda p: period_label(p, lang),
        key=language.wkey(f"survey_wave_{alliance}"),
    )
    wave = views.Wave(alliance, str(period), answers, today)
    result = views.survey_results(data, scope, wave)
    st.markdown(shown.status_line(result, lang))  # catalogue text, dates and numbers only
    st.plotly_chart(views.survey_chart(data, scope, wave, lang, "response"), key="survey_response")
    st.caption(tr("chart.survey_response_subtitle"))
    if result["status"] == "open":
        st.info(tr("survey.results_at_close", least=result["minimum"]))
        return
    if result["items"] == "withheld":
        st.warning(tr("survey.results_withheld", least=result["minimum"]))
        return
    labels = shown.item_labels(int(result["version"]), lang)
    st.plotly_chart(views.survey_chart(data, scope, wave, lang, "spread"), key="survey_spread")
    st.caption(tr("chart.survey_spread_subtitle"))
    change_table(result, labels, lang)
    st.plotly_chart(views.survey_chart(data, scope, wave, lang, "types"), key="survey_types")
    withheld = [k for k, v in result["by_type"].items() if v == "withheld"]
    if withheld:
        names = ", ".join(catalog.STAKEHOLDER_TYPES.get(k, {}).get(lang, k) for k in withheld)
        st.caption(tr("survey.types_withheld_list", types=names, least=result["minimum"]))
    expectations(result)
    with st.expander(tr("survey.how")):
        st.markdown(tr("survey.how_text", least=result["minimum"]))


def change_table(result: dict[str, Any], labels: dict[str, str], lang: str) -> None:
    """Each item's mean, answers and change since the previous wave the account reads."""
    if result["previous"]:
        st.caption(tr("survey.change_since", period=period_label(result["previous"], lang)))
    widgets.dataframe(pd.DataFrame(shown.rows(result, labels, lang), columns=shown.header(lang)))


def expectations(result: dict[str, Any]) -> None:
    """What citizens expect of the alliance, as a lead kept it."""
    if not result["citizens"]:
        return
    st.markdown(f"**{tr('survey.expectations')}**")
    if not result["expectations"]:
        st.caption(tr("survey.expectations_none", least=result["minimum"]))
        return
    for words in result["expectations"]:
        st.text(f"« {words} »" if language.lang() == "fr" else f"“{words}”")


# -- the data page -----------------------------------------------------------------------------


def waves_section() -> None:
    """For a lead (or an admin): the waves of the alliances it leads, the form that opens one
    or adds links to it, its close, and the citizens' words to read."""
    who, lang = session.actor(), language.lang()
    if not who.may_somewhere("survey"):
        return
    st.subheader(tr("survey.run_title"))
    st.markdown(tr("survey.run_help"))
    alliance = pickers.alliance_where("survey", "data_survey_alliance")
    if alliance is None:
        return
    message = st.session_state.pop("data_survey_message", None)
    if message:
        st.success(message)
    links_just_made(lang)
    store = database.store()
    if barometer.close_due(store):
        reads.data_changed()
    waves = store.surveys.waves(who, alliance)
    if not waves.empty:
        widgets.dataframe(waves_table(waves, lang))
    with st.expander(tr("survey.open_form"), icon=":material/add_link:"):
        open_form(who, alliance, lang)
    for row in widgets.rows(waves[waves["closed_at"].isna()]):
        open_link(row, lang)
        close_button(who, alliance, row, lang)
    for row in widgets.rows(waves[waves["closed_at"].notna()]):
        words_to_read(who, alliance, row, lang)


def waves_table(waves: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The alliance's waves as the lead follows them: period, state, answers, links."""
    rows = widgets.rows(waves)
    return pd.DataFrame(
        {
            tr_plain("survey.col.period"): [period_label(r["period"], lang) for r in rows],
            tr_plain("survey.col.status"): [wave_state(r, lang) for r in rows],
            tr_plain("survey.col.answered"): [
                formatting.number(r["answered"] - r["citizens_answered"], lang) for r in rows
            ],  # the open link's citizens apart: personal links are for partners only
            tr_plain("survey.col.invited"): [formatting.number(r["invited"], lang) for r in rows],
            tr_plain("survey.col.open_link"): [
                formatting.number(r["citizens_answered"], lang) if r["citizens"] else "—"
                for r in rows
            ],
            tr_plain("survey.col.opened"): [
                f"{formatting.timestamp(r['opened_at'], lang)} · {r['opened_by']}" for r in rows
            ],
        }
    )


def wave_state(row: dict[str, Any], lang: str) -> str:
    """Open (until when), past its closing date, or closed (and the upload it became)."""
    if row["is_open"]:
        until = row["closes_on"]
        if until is None or pd.isna(until):
            return tr_plain("survey.state_open")
        return tr_plain("survey.state_open_until", date=formatting.date(until, lang))
    if pd.isna(row["closed_at"]):
        return tr_plain("survey.state_due")
    upload = row["upload_id"]
    if upload is None or pd.isna(upload):
        return tr_plain("survey.state_closed")
    return tr_plain("survey.state_closed_upload", upload=int(upload))


def open_form(who: Actor, alliance: str, lang: str) -> None:
    """A wave for a period: links per stakeholder type, the citizens' open link, the closing
    date. An open wave of that period gets the new links."""
    st.caption(tr("survey.open_help"))
    with st.form("survey_open", border=False):
        left, right = st.columns(2)
        period = left.text_input(
            tr("survey.period"),
            value=str(clock.now().year),
            help=tr("survey.period_help"),
            key="data_survey_period",
        )
        today = clock.today()
        closes = right.date_input(
            tr("survey.closes"),
            value=today + dt.timedelta(days=DEFAULT_DAYS_OPEN),
            min_value=today,
            format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD",
            key="data_survey_closes",
        )
        st.markdown(tr("survey.links_per_type"))
        columns = st.columns(3)
        links = {
            kind: int(
                columns[i % 3].number_input(
                    catalog.STAKEHOLDER_TYPES[kind][lang],
                    min_value=0,
                    max_value=500,
                    step=1,
                    key=f"data_survey_links_{kind}",
                )
            )
            for i, kind in enumerate(LINK_TYPES)
        }
        citizens = st.checkbox(
            tr("survey.citizens_link"), help=tr("survey.citizens_help"), key="data_survey_open"
        )
        if not st.form_submit_button(tr("survey.open_button"), type="primary"):
            return
    with widgets.guard():
        opened = barometer.open_wave(
            database.store(), who, alliance, period, links, citizens, closes
        )
        st.session_state[OPENED_KEY] = opened
        key = "survey.opened" if opened.new else "survey.links_added"
        st.session_state["data_survey_message"] = tr(
            key, period=period_label(opened.period, lang), count=len(opened.links)
        )
        st.rerun()


def links_just_made(lang: str) -> None:
    """The links of the wave this session just opened: the CSV to send and the open link's QR
    code. Shown to this session only: the store keeps no token to show them again."""
    opened: barometer.Opened | None = st.session_state.get(OPENED_KEY)
    if opened is None:
        return
    with st.container(border=True):
        st.markdown(tr("survey.links_once", count=len(opened.links)))
        stem = f"liens {opened.alliance} {opened.period}"
        widgets.download_button(
            tr("survey.links_download"),
            opened.csv(),
            {"kind": "survey_links", "alliance": opened.alliance, "period": opened.period},
            file_name=f"{stem}.csv",
            mime="text/csv",
            key="survey_links_download",
        )
        if st.button(tr("survey.links_done"), key="survey_links_done"):
            st.session_state.pop(OPENED_KEY, None)
            st.rerun()


def open_link(row: dict[str, Any], lang: str) -> None:
    """An open wave's link for citizens, written out and as a QR code for a poster or a
    meeting room (public by design: the wave keeps it)."""
    token = row["open_token"]
    if not row["is_open"] or token is None or pd.isna(token):
        return
    label = period_label(row["period"], lang)
    with st.expander(tr("survey.open_link_title", period=label), icon=":material/qr_code_2:"):
        qr_code(str(row["alliance"]), str(row["period"]), barometer.link_address(str(token)))


def qr_code(alliance: str, period: str, link: str) -> None:
    """The citizens' open link, written out and as a QR code for a poster or a meeting room."""
    st.markdown(tr("survey.open_link_is"))
    st.code(link, language=None)
    code = segno.make(link, error="m")
    png = io.BytesIO()
    code.save(png, kind="png", scale=8, border=4)
    st.image(png.getvalue(), width=220, caption=tr_plain("survey.qr_caption"))
    svg = io.BytesIO()
    code.save(svg, kind="svg", scale=8, border=4)
    widgets.download_button(
        tr("survey.qr_download"),
        svg.getvalue(),
        {"kind": "survey_qr", "alliance": alliance, "period": period},
        file_name=f"qr {alliance} {period}.svg",
        mime="image/svg+xml",
        key=f"survey_qr_download_{period}",
    )


def close_button(who: Actor, alliance: str, row: dict[str, Any], lang: str) -> None:
    """Close a wave that is not closed yet, once the lead confirms it."""
    period = str(row["period"])
    label = period_label(period, lang)
    sure = st.checkbox(tr("survey.close_confirm", period=label), key=f"survey_close_sure_{period}")
    if st.button(tr("survey.close", period=label), disabled=not sure, key=f"survey_close_{period}"):
        with widgets.guard():
            closed = barometer.close_wave(database.store(), who, alliance, period)
            reads.data_changed()
            st.session_state["data_survey_message"] = survey_closed(closed, lang)
            st.rerun()


def words_to_read(who: Actor, alliance: str, row: dict[str, Any], lang: str) -> None:
    """The citizens' words of a closed wave that no lead has read yet: kept for the
    committee, or hidden (a name, an insult, anything that could identify someone). Not
    before the close: a lead who sees someone answer would know whose words just came."""
    texts = database.store().surveys.texts(int(row["id"]))
    unread = texts[texts["status"] == "unread"]
    if unread.empty:
        return
    label = period_label(row["period"], lang)
    with st.expander(tr("survey.words_to_read", period=label, count=len(unread))):
        st.caption(tr("survey.words_help"))
        for text in widgets.rows(unread):
            box = st.container(border=True)
            box.text(str(text["body"]))
            keep, hide = box.columns(2)
            decided = None
            if keep.button(tr("survey.keep"), key=f"survey_keep_{text['id']}"):
                decided = True
            if hide.button(tr("survey.hide"), key=f"survey_hide_{text['id']}"):
                decided = False
            if decided is not None:
                database.store().surveys.read_text(who, alliance, int(text["id"]), decided)
                st.rerun()
