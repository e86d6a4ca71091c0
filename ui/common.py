"""Streamlit glue shared by pages: the one cached store, the session language, cached reads.

Pages call these instead of touching the store or the session keys directly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from metrics import cli, config
from metrics.i18n import LANGUAGES, t
from metrics.store import ALL, Scope, Store

LANG_KEY = "app_lang"
CHOICE_KEY = "app_lang_choice"
LANG_SEPARATOR = "__"
CACHE_TTL = 600


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    store = Store(path)
    if store.is_empty():
        cli.seed(store)
    return store


def store() -> Store:
    """The process-wide store for the configured database, seeded on first start."""
    return _store(str(config.db_path()))


def scope() -> Scope:
    """What the current user may see; every alliance until users and roles exist."""
    return ALL


def lang() -> str:
    """The session's language: the sidebar choice, else ``?lang=``, else French."""
    if LANG_KEY not in st.session_state:
        asked = st.query_params.get("lang", "fr")
        st.session_state[LANG_KEY] = asked if asked in LANGUAGES else "fr"
    return str(st.session_state[LANG_KEY])


def wkey(name: str) -> str:
    """The key of a widget whose option labels are translated: one key per language.

    Streamlit remembers such a widget's choice by its label, so a change of language would
    lose it; the language switch copies each choice to the new language's key instead.
    """
    return f"{name}{LANG_SEPARATOR}{lang()}"


def tr(key: str, **params: Any) -> str:
    """``t`` in the session's language."""
    return t(key, lang(), **params)


def language_switch() -> None:
    """The sidebar's language choice. The widget has its own key; the chosen language lives in
    a plain session key so that it survives page changes (widget state does not)."""
    current = lang()
    st.sidebar.segmented_control(
        t("ui.language", current),
        options=list(LANGUAGES),
        default=current,
        key=CHOICE_KEY,
        format_func=lambda code: {"fr": "Français", "en": "English"}[code],
        on_change=_keep_language,
    )


def _keep_language() -> None:
    choice = st.session_state.get(CHOICE_KEY)
    if choice in LANGUAGES:
        before = st.session_state.get(LANG_KEY)
        suffix = f"{LANG_SEPARATOR}{before}"
        for name in list(st.session_state.keys()):
            if isinstance(name, str) and name.endswith(suffix):
                new = name[: -len(suffix)] + f"{LANG_SEPARATOR}{choice}"
                st.session_state[new] = st.session_state[name]
        st.session_state[LANG_KEY] = choice
        st.query_params["lang"] = choice
    else:
        # Clicking the selected option clears a segmented control: keep the language shown.
        st.session_state[CHOICE_KEY] = st.session_state[LANG_KEY]


# -- cached reads: keyed by database, scope and arguments; cleared after every write ----------


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def alliances(db: str, who: Scope) -> pd.DataFrame:
    return _store(db).alliances(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def uploads(db: str, who: Scope) -> pd.DataFrame:
    return _store(db).uploads(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def observations(
    db: str, who: Scope, alliance: str | None = None, as_of: int | None = None
) -> pd.DataFrame:
    return _store(db).observations(who, alliance, as_of)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def indicators(db: str) -> pd.DataFrame:
    return _store(db).indicators()


def db() -> str:
    return str(config.db_path())


def data_changed() -> None:
    """Call after any write: every cached read may be stale."""
    alliances.clear()
    uploads.clear()
    observations.clear()
    indicators.clear()
    aggregated.clear()
    targets.clear()
    stakeholders.clear()
    alliance_observations.clear()
    last_updates.clear()
    replications.clear()
    contracts.clear()
    all_observations.clear()


class guard:
    """``with guard():`` shows a domain refusal as an error message instead of a traceback."""

    def __enter__(self) -> guard:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: object
    ) -> bool:
        from metrics.errors import MetricsError

        if isinstance(error, MetricsError):
            st.error(error.message_in(lang()))
            return True
        return False


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def aggregated(
    db: str,
    who: Scope,
    alliance: str | None,
    granularity: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    level: str = "alliance",
) -> pd.DataFrame:
    return _store(db).aggregated(who, alliance, granularity, start, end, level)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def targets(db: str, who: Scope, alliance: str | None = None) -> pd.DataFrame:
    return _store(db).targets(who, alliance)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def stakeholders(db: str, who: Scope, alliance: str | None = None) -> pd.DataFrame:
    return _store(db).stakeholders(who, alliance)


ALLIANCE_KEY = "app_alliance"
GRANULARITIES = ("year", "quarter", "month")


def alliance_picker(page: str) -> str | None:
    """The alliance to show; the choice follows the user from page to page."""
    names = list(alliances(db(), scope())["name"])
    if not names:
        st.info(tr("home.empty"))
        return None
    remembered = st.session_state.get(ALLIANCE_KEY)
    widget = f"{page}_alliance"
    if st.session_state.get(widget) not in names:
        st.session_state[widget] = remembered if remembered in names else names[0]
    chosen = st.selectbox(tr("filter.alliance"), names, key=widget)
    st.session_state[ALLIANCE_KEY] = chosen
    return str(chosen)


def period_filters(page: str, alliance: str, default: str = "year") -> tuple[str, dt.date, dt.date]:
    """Granularity and year range widgets; returns (granularity, start, end)."""
    row = alliances(db(), scope()).set_index("name").loc[alliance]
    first = pd.Timestamp(row["first_period"]).year if pd.notna(row["first_period"]) else None
    last = pd.Timestamp(row["last_period"]).year if pd.notna(row["last_period"]) else None
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


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def alliance_observations(db: str, who: Scope, alliance: str) -> pd.DataFrame:
    return _store(db).observations(who, alliance)


def indicator_labels() -> dict[str, str]:
    """Indicator code -> its label in the session's language."""
    frame = indicators(db())
    return dict(zip(frame["code"], frame[f"label_{lang()}"]))


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def last_updates(db: str, who: Scope) -> pd.Series:
    return _store(db).last_updates(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def replications(db: str, who: Scope, alliance: str | None = None) -> pd.DataFrame:
    return _store(db).replications(who, alliance)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def contracts(db: str, who: Scope) -> pd.DataFrame:
    return _store(db).contracts(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def all_observations(db: str, who: Scope) -> pd.DataFrame:
    return _store(db).observations(who)
