"""Scaling (changement d'échelle): replication sites, map, readiness, reach."""

from __future__ import annotations

import streamlit as st

from metrics.base import catalog, clock
from metrics.base.access import MIN_PEERS
from metrics.domain import scaling
from metrics.presentation import charts, formatting
from ui import database, language, pickers, reads, session, widgets
from ui.language import tr

PAGE = "scaling"
lang = language.lang()
st.title(tr("scaling.title"))
st.markdown(tr("scaling.intro"))

with widgets.guard():
    database.store()
    alliance = pickers.alliance_picker(PAGE)
    if alliance is None:
        st.stop()
    alliances = reads.alliances(database.db(), session.scope())
    origin = alliances.set_index("name").loc[alliance].to_dict()
    origin["name"] = alliance
    sites = reads.replications(database.db(), session.scope(), alliance)

    active = sites[sites["status"] == "active"]
    columns = st.columns(4)
    columns[0].metric(tr("scaling.active_sites"), formatting.number(len(active), lang))
    columns[1].metric(
        tr("scaling.planned_sites"),
        formatting.number(int((sites["status"] == "planned").sum()), lang),
    )
    columns[2].metric(
        tr("scaling.territories"),
        formatting.number(sites.loc[sites["status"] != "planned", "territory"].nunique(), lang),
    )
    columns[3].metric(
        tr("scaling.reach"),
        formatting.number(active["beneficiaries"].sum(min_count=1), lang) or "—",
    )

    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(charts.sites_map(origin, sites, lang), key="scaling_map")
    with right:
        st.plotly_chart(
            charts.replication_bars(scaling.sites_by_year(sites, clock.today()), lang),
            key="scaling_bars",
        )
    missing = sites[sites["latitude"].isna()]
    if len(missing):
        st.caption(tr("scaling.not_on_map", names=", ".join(missing["territory"])))

    left, right = st.columns(2)
    with left:
        values = reads.aggregated(database.db(), session.scope(), alliance, "year")
        peers = reads.peer_medians(database.db(), session.scope(), alliance, catalog.READINESS)
        table = scaling.readiness(values, alliance, peers)
        st.plotly_chart(
            charts.readiness_radar(table, reads.indicators(database.db(), session.scope()), lang),
            key="scaling_readiness",
        )
        if not table["peer_count"].max():
            st.caption(tr("scaling.no_peers"))
        elif table["peers"].isna().all():
            st.caption(
                tr("scaling.few_peers", count=int(table["peer_count"].max()), minimum=MIN_PEERS)
            )
    with right:
        st.plotly_chart(charts.reach_bars(scaling.reach(sites), lang), key="scaling_reach")

    st.subheader(tr("scaling.sites"))
    if sites.empty:
        st.info(tr("chart.no_sites"))
    else:
        widgets.dataframe(
            {
                tr("scaling.col.mode"): [charts.mode_name(m, lang) for m in sites["mode"]],
                tr("scaling.col.territory"): sites["territory"],
                tr("scaling.col.started"): [formatting.date(d, lang) for d in sites["started"]],
                tr("scaling.col.status"): [tr(f"site.{s}") for s in sites["status"]],
                tr("scaling.col.beneficiaries"): [
                    formatting.number(v, lang) for v in sites["beneficiaries"]
                ],
                tr("scaling.col.note"): sites["note"],
            },
        )
    with st.expander(tr("dashboard.how")):
        modes = "\n".join(
            f"- **{labels[lang]}**: {tr(f'scaling.mode_help.{code}')}"
            for code, labels in catalog.SCALING_MODES.items()
        )
        st.markdown(modes + "\n\n" + tr("scaling.how_text"))
