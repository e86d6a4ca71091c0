"""Trust barometer: the prerequisites of co-construction and citizen participation."""

from __future__ import annotations

import streamlit as st

from ui import barometer, database, language, pickers, session, views, widgets
from ui.language import tr

PAGE = "trust"
lang = language.lang()
st.title(tr("trust.title"))
st.markdown(tr("trust.intro"))


def chart(name: str, shown: views.Shown) -> None:
    """A figure of the page (``views.trust_chart``), drawn once for everyone who reads it."""
    figure = views.trust_chart(database.db(), session.scope(), shown, lang, name)
    st.plotly_chart(figure, key=f"trust_{name}")


with widgets.guard():
    database.store()
    alliance = pickers.alliance_picker(PAGE)
    if alliance is None:
        st.stop()
    shown = views.Shown(alliance, *pickers.period_filters(PAGE, alliance))
    left, right = st.columns([1, 1])
    with left:
        chart("prerequisites", shown)
    with right:
        chart("radar", shown)
    st.subheader(tr("trust.gap"))
    st.markdown(tr("trust.gap_help"))
    chart("gap", shown)
    st.subheader(tr("trust.participation"))
    chart("participation", shown)
    barometer.results_section(alliance)

    with st.expander(tr("dashboard.how")):
        st.markdown(tr("trust.how_text"))
