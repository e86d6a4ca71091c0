"""Home: what the product is, and the alliances the account reads."""

from __future__ import annotations

import streamlit as st

from metrics.base import catalog
from metrics.presentation import formatting
from ui import database, empty, language, navigation, reads, session, widgets
from ui.language import tr

lang = language.lang()
st.title(tr("home.title"))
st.markdown(tr("home.intro"))

with widgets.guard():
    database.store()
    frame = reads.alliances(database.db(), session.scope())
    updates = reads.last_updates(database.db(), session.scope())

    columns = st.columns(3)
    columns[0].metric(tr("home.alliances"), formatting.number(len(frame), lang))
    columns[1].metric(tr("home.values"), formatting.number(int(frame["observations"].sum()), lang))
    columns[2].metric(
        tr("home.last_upload"),
        formatting.date(updates.max(), lang) if len(updates) else "—",
    )

    st.subheader(tr("home.list"))
    nothing = empty.said("home", frame)  # no value yet: what to do next
    if not frame.empty:
        table = frame.assign(
            territory=[
                f"{name} ({code})" if code else name
                for name, code in zip(
                    frame["territory"].fillna(""), frame["territory_code"].fillna("")
                )
            ],
            stage=frame["stage"].map(lambda s: catalog.STAGES.get(s, {}).get(lang, s or "")),
            theme=frame["theme"].map(lambda v: catalog.theme_label(v, lang)),
            population=frame["population"].map(lambda v: formatting.number(v, lang)),
            last_period=frame["last_period"].map(lambda v: formatting.month(v, lang)),
        )[
            # What tells the alliances apart first; the sizes, which a laptop screen may show
            # by scrolling sideways, last.
            [
                "name",
                "territory",
                "theme",
                "stage",
                "last_period",
                "stakeholders",
                "indicators",
                "population",
            ]
        ]
        table.columns = [tr(f"home.col.{c}") for c in table.columns]
        # Wide enough for their headers, in both languages.
        narrow = {
            tr("home.col.last_period"): st.column_config.TextColumn(width=112),
            tr("home.col.stakeholders"): st.column_config.NumberColumn(width=104),
            tr("home.col.indicators"): st.column_config.NumberColumn(
                width=96, help=tr("home.indicators_help")
            ),
            tr("home.col.population"): st.column_config.TextColumn(width=96),
        }
        widgets.dataframe(table, column_config=narrow)
        st.caption(tr("home.caption"))
    if not nothing and navigation.opens(session.actor(), "data"):
        data = navigation.page("data")
        st.page_link(data.file, label=tr("home.to_data"), icon=data.material_icon)
