"""Trust barometer: the prerequisites of co-construction and citizen participation."""

from __future__ import annotations

import streamlit as st

from metrics.base import catalog
from metrics.domain import impact
from metrics.presentation import charts
from metrics.usecases import reports
from ui import database, language, pickers, reads, session, widgets
from ui.language import tr

PAGE = "trust"
PARTICIPATION = (
    "forum_contributions",
    "crowdfunding_backers",
    "crowdfunding_amount",
    "volunteer_hours",
)
lang = language.lang()
st.title(tr("trust.title"))
st.markdown(tr("trust.intro"))

with widgets.guard():
    database.store()
    alliance = pickers.alliance_picker(PAGE)
    if alliance is None:
        st.stop()
    granularity, start, end = pickers.period_filters(PAGE, alliance)
    indicators = reads.indicators(database.db(), session.actor())
    alliance_level = reads.aggregated(
        database.db(), session.actor(), alliance, granularity, start, end
    )
    owners = reads.aggregated(
        database.db(), session.actor(), alliance, granularity, start, end, "stakeholder"
    )
    scores = alliance_level[
        alliance_level["indicator"].isin([*catalog.PREREQUISITES, "partner_trust"])
    ]

    left, right = st.columns([1, 1])
    with left:
        st.plotly_chart(
            charts.prerequisites_lines(scores, indicators, granularity, lang),
            key="trust_prerequisites",
        )
    with right:
        latest, previous = impact.latest_two(scores)
        st.plotly_chart(
            charts.radar(latest, previous, indicators, granularity, lang), key="trust_radar"
        )

    st.subheader(tr("trust.gap"))
    st.markdown(tr("trust.gap_help"))
    by_type = impact.by_stakeholder_type(owners)
    st.plotly_chart(charts.type_gap_bars(by_type, indicators, granularity, lang), key="trust_gap")

    st.subheader(tr("trust.participation"))
    goals = reads.targets(database.db(), session.actor(), alliance)
    participation = impact.with_progress(
        alliance_level[alliance_level["indicator"].isin(PARTICIPATION)], goals, granularity
    )
    # The committee's notes and the imported comments, as on the dashboard's grids.
    notes = reads.notes(database.db(), session.actor(), alliance)
    raw = reads.alliance_observations(database.db(), session.actor(), alliance)
    figure = charts.indicator_grid(
        participation,
        indicators,
        granularity,
        lang,
        columns=2,
        notes=reports.notes_in_view(notes, granularity),
        comments=reports.comments_in_view(raw, granularity),
    )
    figure.update_layout(title_text=tr("chart.participation_title"))
    st.plotly_chart(figure, key="trust_participation")

    with st.expander(tr("dashboard.how")):
        st.markdown(tr("trust.how_text"))
