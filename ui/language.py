"""The session's language: read from the sidebar's switch or the address, kept in the address,
and the catalogue's sentences in it (``tr`` for Markdown, ``tr_plain`` elsewhere)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from metrics.presentation.i18n import LANGUAGES, t
from ui.markdown import md

LANG_KEY = "app_lang"
CHOICE_KEY = "app_lang_choice"
LANG_SEPARATOR = "__"
NAMES = {"fr": "Français", "en": "English"}


def lang() -> str:
    """The session's language: the sidebar choice, else ``?lang=``, else French."""
    if LANG_KEY not in st.session_state:
        asked = st.query_params.get("lang", "fr")
        st.session_state[LANG_KEY] = asked if asked in LANGUAGES else "fr"
    return str(st.session_state[LANG_KEY])


def tr(key: str, **params: Any) -> str:
    """``t`` in the session's language, for Markdown (captions, messages, labels): the text
    it is given is escaped (``md``), the catalogue's own Markdown is kept."""
    return t(key, lang(), **{k: md(v) if isinstance(v, str) else v for k, v in params.items()})


def tr_plain(key: str, **params: Any) -> str:
    """``t`` in the session's language for where nothing is read as Markdown: table cells and
    column names, file names, chart titles (charts escape their own way)."""
    return t(key, lang(), **params)


def said(error: Any) -> str:
    """A refusal (``MetricsError``) for Markdown, in the session's language: the names and
    values it quotes are escaped like ``tr``'s."""
    if getattr(error, "key", None) is None:
        return md(getattr(error, "message", error))
    return tr(error.key, **error.params)


def wkey(name: str) -> str:
    """The key of a widget whose option labels are translated: one key per language.

    Streamlit remembers such a widget's choice by its label, so a change of language would
    lose it; the language switch copies each choice to the new language's key instead.
    """
    return f"{name}{LANG_SEPARATOR}{lang()}"


def language_switch(on_page: bool = False, remember: Callable[[str], None] | None = None) -> None:
    """The language choice, in the sidebar (``on_page``: at this point of the page, its label
    unsaid, for a page without a sidebar). The widget has its own key; the chosen language
    lives in a plain session key so that it survives page changes (widget state does not).
    ``remember``: called with a new choice (kept on the signed-in account)."""
    current = lang()
    if st.session_state.get(CHOICE_KEY) not in (None, current):  # set by ``use`` since
        st.session_state[CHOICE_KEY] = current
    (st if on_page else st.sidebar).segmented_control(
        t("ui.language", current),
        options=list(LANGUAGES),
        default=current,
        key=CHOICE_KEY,
        format_func=NAMES.__getitem__,
        on_change=_keep_language,
        args=(remember,),
        label_visibility="collapsed" if on_page else "visible",
    )


def use(choice: str) -> None:
    """Show the app in ``choice`` from now on, each widget's choice kept (``wkey``)."""
    before = st.session_state.get(LANG_KEY)
    if choice not in LANGUAGES or choice == before:
        return
    suffix = f"{LANG_SEPARATOR}{before}"
    for name in list(st.session_state.keys()):
        if isinstance(name, str) and name.endswith(suffix):
            new = name[: -len(suffix)] + f"{LANG_SEPARATOR}{choice}"
            st.session_state[new] = st.session_state[name]
    st.session_state[LANG_KEY] = choice
    st.query_params["lang"] = choice


def _keep_language(remember: Callable[[str], None] | None) -> None:
    choice = st.session_state.get(CHOICE_KEY)
    if choice in LANGUAGES:
        use(str(choice))
        if remember is not None:
            remember(str(choice))
    else:
        # Clicking the selected option clears a segmented control: keep the language shown.
        st.session_state[CHOICE_KEY] = st.session_state[LANG_KEY]


def keep_language_in_address() -> None:
    """``?lang=`` in the address of every page: a page change clears it (Streamlit's
    navigation drops the query), so a reload, a bookmark or a link passed on would open in
    French whatever the language chosen."""
    if st.query_params.get("lang") != lang():
        st.query_params["lang"] = lang()
