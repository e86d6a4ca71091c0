"""Stakeholder balance: what each partner gets from the alliance, and who reports data."""

from __future__ import annotations

import streamlit as st

from ui import database, language, markdown, pickers, reads, session, views, widgets
from ui.language import tr

PAGE = "stakeholders"
lang = language.lang()
st.title(tr("stakeholders.title"))
st.markdown(tr("stakeholders.intro"))


def chart(name: str, shown: views.Shown, code: str | None = None) -> None:
    """A figure of the page (``views.stakeholders_chart``), drawn once for everyone who reads
    it."""
    figure = views.stakeholders_chart(database.db(), session.scope(), shown, lang, name, code)
    st.plotly_chart(figure, key=f"stakeholders_{name}")


with widgets.guard():
    database.store()
    alliance = pickers.alliance_picker(PAGE)
    if alliance is None:
        st.stop()
    granularity, start, end = pickers.period_filters(PAGE, alliance)
    shown = views.Shown(alliance, granularity, start, end)
    labels = reads.indicator_labels()
    performance = sorted(
        views.partners_performance(database.db(), session.scope(), shown), key=labels.__getitem__
    )

    st.subheader(tr("stakeholders.gains"))
    if not performance:
        st.info(tr("stakeholders.no_performance"))
    else:
        code = st.selectbox(
            tr("stakeholders.indicator"),
            performance,
            format_func=labels.__getitem__,
            key=language.wkey("stakeholders_indicator"),
        )
        meta = reads.indicators(database.db(), session.scope()).set_index("code")
        st.caption(markdown.md(meta.at[code, f"description_{lang}"]))
        left, right = st.columns(2)
        with left:
            chart("lines", shown, code)
        with right:
            chart("types", shown, code)

    st.subheader(tr("stakeholders.balance"))
    st.markdown(tr("stakeholders.balance_help"))
    chart("changes", shown)

    st.subheader(tr("stakeholders.reporting"))
    counts = views.reporting(database.db(), session.scope(), alliance, start, end)
    silent = sorted(
        set(counts["stakeholder"]) - set(counts.loc[counts["values"] > 0, "stakeholder"])
    )
    if silent:
        st.warning(tr("stakeholders.silent", names=", ".join(silent)))
    chart("reporting", shown)

    with st.expander(tr("dashboard.how")):
        st.markdown(tr("stakeholders.how_text"))
