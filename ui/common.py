"""Streamlit glue shared by pages: the one cached store, the session language, cached reads.

Pages call these instead of touching the store or the session keys directly.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from metrics import cli, config
from metrics.i18n import LANGUAGES, t
from metrics.store import ALL, Scope, Store

LANG_KEY = "app_lang"
CHOICE_KEY = "app_lang_choice"
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


class guard:
    """``with guard():`` shows a domain refusal as an error message instead of a traceback."""

    def __enter__(self) -> guard:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: object
    ) -> bool:
        from metrics.errors import MetricsError

        if isinstance(error, MetricsError):
            st.error(error.message)
            return True
        return False
