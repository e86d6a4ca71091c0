"""Alliance dashboard: the three impacts against their targets, for the steering committee."""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics.base import catalog, clock
from metrics.base.periods import from_canonical
from metrics.domain import impact
from metrics.presentation import charts, flags, formatting
from metrics.usecases import reports
from ui import database, language, markdown, pickers, reads, session, views, widgets
from ui import notes as ui_notes
from ui.language import tr, tr_plain

PAGE = "dashboard"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
lang = language.lang()
TODAY = clock.today()
st.title(tr("dashboard.title"))


def comments_table(said: pd.DataFrame) -> pd.DataFrame:
    """The comments imported with the values: indicator, period, partner, comment."""
    labels = reads.indicator_labels()
    return pd.DataFrame(
        {
            tr_plain("dashboard.col.indicator"): said["indicator"].map(labels),
            tr_plain("dashboard.col.period"): [
                formatting.period_label(from_canonical(p), lang) for p in said["period"]
            ],
            tr_plain("dashboard.col.stakeholder"): said["stakeholder"],
            tr_plain("dashboard.col.comment"): said["comment"],
        }
    )


def caption(alliance: str) -> None:
    """The alliance's territory, theme and stage, under the picker."""
    info = reads.alliances(database.db(), session.scope()).set_index("name").loc[alliance]
    stage = catalog.STAGES.get(info["stage"] or "", {}).get(lang, "")
    parts = (info["territory"], catalog.theme_label(info["theme"], lang), stage)
    st.caption(" · ".join(markdown.md(x) for x in parts if isinstance(x, str) and x))


def view_chart(chart: str) -> go.Figure:
    """A figure of the dashboard as this run shows it (``views.dashboard_chart``)."""
    return views.dashboard_chart(database.db(), session.scope(), shown, TODAY, lang, chart)


def empty_card(row: reports.Card, yearly_only: bool, name: str) -> None:
    """A dimension with no score in view: why, and the way to years when only yearly values
    would give it one."""
    st.metric(name, "—", border=True, help=tr("dashboard.card_help"))
    if yearly_only:
        st.caption(tr("dashboard.yearly_only"))
        st.button(
            tr("dashboard.to_yearly"),
            key=f"dashboard_to_yearly_{row.dimension}",
            on_click=pickers.view_by_year,
            args=(PAGE,),
        )
    else:
        st.caption(tr("dashboard.no_score"))


def card(row: reports.Card, name: str) -> None:
    """A dimension's score in the latest period, its change since the one before."""
    change = (
        None
        if math.isnan(row.change)
        else tr_plain("dashboard.points", points=formatting.number(100 * row.change, lang, 0))
    )
    st.metric(
        name,
        f"{formatting.number(100 * row.score, lang, 0)}{charts.percent_suffix(lang)}",
        delta=change,
        border=True,
        help=tr("dashboard.card_help"),
    )
    period = formatting.period_label(from_canonical(str(row.period)), lang)
    previous = (
        formatting.period_label(from_canonical(row.previous_period), lang)
        if isinstance(row.previous_period, str)
        else "—"
    )
    st.caption(
        tr("dashboard.card_caption", period=period, previous=previous, n=row.n, total=row.total)
    )


def cards(view: reports.Page) -> None:
    for column, row in zip(st.columns(3), view.cards, strict=False):
        name = catalog.DIMENSIONS[row.dimension][lang]
        with column:
            if row.n == 0:
                empty_card(row, row.dimension in view.yearly_only, name)
            else:
                card(row, name)


def indicator_tabs(view: reports.Page) -> None:
    """The indicators of each dimension, one tab each. Only the open tab's grid is drawn
    (choosing another tab reruns the page): building a figure of small multiples is most of
    a rerun's time."""
    st.subheader(tr("dashboard.indicators"))
    tabs = st.tabs(
        [catalog.DIMENSIONS[d][lang] for d in impact.DIMENSION_ORDER],
        on_change="rerun",
        key=f"dashboard_tab_{lang}",  # labels are translated: a new language opens the first
    )
    for tab, dimension in zip(tabs, impact.DIMENSION_ORDER, strict=True):
        if not tab.open:
            continue
        with tab:
            part = view.progressed[view.progressed["dimension"] == dimension]
            st.plotly_chart(view_chart(dimension), key=f"dashboard_grid_{dimension}")
            said = view.comments[view.comments["indicator"].isin(set(part["indicator"]))]
            if len(said):
                with st.expander(tr("dashboard.comments", count=len(said))):
                    widgets.dataframe(comments_table(said))
            to_check(view.flags, part)


def to_check(found: pd.DataFrame, part: pd.DataFrame) -> None:
    """The values still to check among those of a tab's grid (each ringed on it), and how
    they were found (they are checked on the data page)."""
    if found.empty:
        return
    shown = found[~found["checked"] & found["indicator"].isin(set(part["indicator"]))]
    shown = shown[shown["view_period"].isin(set(part["period"]))]
    if shown.empty:
        return
    with st.expander(tr("dashboard.to_check", count=len(shown))):
        table = flags.table(shown, lang, reads.indicator_labels())
        widgets.dataframe(table.drop(columns=tr_plain("data.col.alliance")))
        st.caption(tr("data.to_check_help"))


def completeness_section(view: reports.Page, alliance: str) -> None:
    """What is missing, partial or pending, and when an upload last brought the alliance
    values (not any alliance's last upload)."""
    st.subheader(tr("dashboard.completeness"))
    updated = reads.last_updates(database.db(), session.scope()).get(alliance)
    last_upload = (
        "—" if updated is None or pd.isna(updated) else formatting.timestamp(updated, lang)
    )
    st.markdown(
        tr(
            "dashboard.completeness_summary",
            missing=view.counts["missing"],
            partial=view.counts["partial"],
            pending=view.counts["pending"],
            upload=last_upload,
        )
    )
    st.plotly_chart(view_chart("completeness"), key="dashboard_completeness")


def pack_section(alliance: str, end: dt.date) -> None:
    """The pack for the steering committee: built when asked (a few seconds), then
    downloaded."""
    st.subheader(tr("pack.section"))
    year = end.year if end.year < 2100 else clock.today().year
    st.caption(tr("pack.section_help", year=year))
    made = st.session_state.get("dashboard_pack")
    wanted = (database.db(), alliance, year, lang)
    if st.button(
        tr("pack.build", year=year), key="dashboard_pack_build", icon=":material/picture_as_pdf:"
    ):
        with st.spinner(tr("pack.building")):
            built = reads.pack_files(database.db(), session.scope(), alliance, year, lang)
            made = (wanted, built)
        st.session_state["dashboard_pack"] = made
    if made is None or made[0] != wanted:
        return
    name = re.sub(r'[\\/:*?"<>|]', "-", tr_plain("pack.file", alliance=alliance, year=year))
    files = (
        ("pdf", "pack.download", "application/pdf", "primary"),
        ("pptx", "pack.download_slides", PPTX, "secondary"),
    )
    for column, (kind, label, mime, look) in zip(st.columns(2), files, strict=True):
        with column:
            widgets.download_button(
                tr(label),
                made[1][kind],
                {"kind": "pack", "alliance": alliance, "year": year},
                file_name=f"{name}.{kind}",
                mime=mime,
                key=f"dashboard_pack_{kind}",
                type=look,
            )


with widgets.guard():
    database.store()
    alliance = pickers.alliance_picker(PAGE)
    if alliance is None:
        st.stop()
    caption(alliance)
    granularity, start, end = pickers.period_filters(PAGE, alliance)
    values = reads.aggregated(database.db(), session.scope(), alliance, granularity, start, end)
    shown = views.Shown(alliance, granularity, start, end)
    view = views.dashboard(database.db(), session.scope(), shown, TODAY)
    cards(view)
    st.plotly_chart(view_chart("scores"), key="dashboard_scores")
    indicator_tabs(view)
    ui_notes.section(
        alliance,
        sorted(set(view.progressed["period"])),
        sorted(set(values["indicator"])),
    )
    completeness_section(view, alliance)
    with st.expander(tr("dashboard.how")):
        st.markdown(tr("dashboard.how_text"))
    pack_section(alliance, end)
