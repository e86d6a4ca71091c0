"""Stakeholder balance: what each partner gets from the alliance, and who reports data."""

from __future__ import annotations

import streamlit as st

from metrics.domain import impact
from metrics.presentation import charts
from ui import database, language, markdown, pickers, reads, session, widgets
from ui.language import tr

PAGE = "stakeholders"
lang = language.lang()
st.title(tr("stakeholders.title"))
st.markdown(tr("stakeholders.intro"))

with widgets.guard():
    database.store()
    alliance = pickers.alliance_picker(PAGE)
    if alliance is None:
        st.stop()
    granularity, start, end = pickers.period_filters(PAGE, alliance)
    values = reads.aggregated(
        database.db(), session.actor(), alliance, granularity, start, end, "stakeholder"
    )
    indicators = reads.indicators(database.db(), session.actor())
    meta = indicators.set_index("code")
    owned = values[values["stakeholder"] != ""]
    labels = reads.indicator_labels()
    performance = sorted(
        set(owned.loc[owned["dimension"] == "performance", "indicator"]), key=labels.__getitem__
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
        indicator = meta.loc[code].copy()
        indicator["code"] = code
        st.caption(markdown.md(indicator[f"description_{lang}"]))
        left, right = st.columns(2)
        mine = values[values["indicator"] == code]
        with left:
            st.plotly_chart(
                charts.stakeholder_lines(mine, indicator, granularity, lang),
                key="stakeholders_lines",
            )
        with right:
            st.plotly_chart(
                charts.type_bars(impact.by_stakeholder_type(mine), indicator, granularity, lang),
                key="stakeholders_types",
            )

    st.subheader(tr("stakeholders.balance"))
    st.markdown(tr("stakeholders.balance_help"))
    changes = impact.stakeholder_changes(owned[owned["dimension"] == "performance"])
    st.plotly_chart(charts.change_heatmap(changes, indicators, lang), key="stakeholders_heatmap")

    st.subheader(tr("stakeholders.reporting"))
    partners = reads.stakeholders(database.db(), session.actor(), alliance)
    raw = reads.alliance_observations(database.db(), session.actor(), alliance)
    raw = raw[(raw["period_start"] >= str(start)) & (raw["period_end"] <= str(end))]
    counts = impact.reporting(raw, partners, list(range(start.year, end.year + 1)))
    silent = sorted(
        set(counts["stakeholder"]) - set(counts.loc[counts["values"] > 0, "stakeholder"])
    )
    if silent:
        st.warning(tr("stakeholders.silent", names=", ".join(silent)))
    st.plotly_chart(charts.reporting_heatmap(counts, lang), key="stakeholders_reporting")

    with st.expander(tr("dashboard.how")):
        st.markdown(tr("stakeholders.how_text"))
