"""The choices several pages share: the alliance to show (it follows the user from page to
page) and the period (granularity and years)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from ui import empty
from ui.database import db
from ui.language import tr, wkey
from ui.reads import alliances
from ui.session import actor, scope

ALLIANCE_KEY = "app_alliance"
GRANULARITIES = ("year", "quarter", "month")


def alliance_where(right: str, key: str) -> str | None:
    """The alliance to act on among those where the signed-in account may ``right`` (run its
    barometer, publish its page), or ``None`` (nothing is drawn) when there is none."""
    who = actor()
    names = [n for n in alliances(db(), who.scope)["name"] if who.may(right, str(n))]
    if not names:
        return None
    return str(st.selectbox(tr("survey.alliance"), names, key=key))


def alliance_picker(page: str, preferred: list[str] | None = None) -> str | None:
    """The alliance to show, among those with values (one whose every upload was rolled back
    has nothing to show); the choice follows the user from page to page. Before any choice,
    the first of ``preferred`` (else of all)."""
    table = alliances(db(), scope())
    names = list(table.loc[table["observations"] > 0, "name"])
    if not names:
        empty.said(page.partition("_")[0], table)  # what to do next
        return None
    remembered = st.session_state.get(ALLIANCE_KEY)
    widget = f"{page}_alliance"
    if remembered in names:  # chosen on another page, or just imported
        st.session_state[widget] = remembered
    elif st.session_state.get(widget) not in names:
        st.session_state[widget] = next((n for n in preferred or [] if n in names), names[0])

    def remember() -> None:  # before the next run: the other pickers then follow
        st.session_state[ALLIANCE_KEY] = st.session_state[widget]

    chosen = st.selectbox(tr("filter.alliance"), names, key=widget, on_change=remember)
    st.session_state[ALLIANCE_KEY] = chosen
    return str(chosen)


def view_by_year(page: str) -> None:
    """A button's callback: ``period_filters``' granularity set to years."""
    st.session_state[wkey(f"{page}_granularity")] = "year"


def _years(alliance: str) -> tuple[int | None, int | None]:
    """The first and last years ``alliance`` has values of (``None`` without any)."""
    row = alliances(db(), scope()).set_index("name").loc[alliance]
    return _year(row["first_period"]), _year(row["last_period"])


def _year(period: Any) -> int | None:
    return int(pd.Timestamp(period).year) if pd.notna(period) else None


def period_filters(page: str, alliance: str, default: str = "year") -> tuple[str, dt.date, dt.date]:
    """Granularity and year range widgets; returns (granularity, start, end)."""
    first, last = _years(alliance)
    left, right = st.columns([2, 1])
    # Labels are computed now: a format function must not read the session later on.
    names = {g: tr(f"granularity.{g}") for g in GRANULARITIES}
    with right:
        granularity = (
            st.segmented_control(
                tr("filter.granularity"),
                GRANULARITIES,
                default=default,
                format_func=names.__getitem__,
                key=wkey(f"{page}_granularity"),
            )
            or default
        )
    if first is None or last is None:
        return str(granularity), dt.date(1900, 1, 1), dt.date(2100, 12, 31)
    years = list(range(first, last + 1))
    with left:
        if len(years) > 1:
            start, end = st.select_slider(
                tr("filter.years"), options=years, value=(years[0], years[-1]), key=f"{page}_years"
            )
        else:
            start = end = years[0]
    return str(granularity), dt.date(int(start), 1, 1), dt.date(int(end), 12, 31)
