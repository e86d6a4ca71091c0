"""The lead's side of an alliance's public page, on the data page: turn it on or off, the links
it gives (its crowdfunding, its forum), and its address to share. The page itself is
``pages/public.py``; what it shows is ``metrics.usecases.public``'s."""

from __future__ import annotations

import streamlit as st

from metrics.presentation import formatting
from metrics.usecases import public
from ui import database, language, pickers, session, widgets
from ui.language import tr


def settings_section() -> None:
    """For a lead (or an admin): each alliance it leads, its public page on or off and links."""
    who, lang = session.actor(), language.lang()
    if not who.may_somewhere("publish"):
        return
    st.subheader(tr("public.settings_title"))
    st.markdown(tr("public.settings_help"))
    alliance = pickers.alliance_where("publish", "data_public_alliance")
    if alliance is None:
        return
    store = database.store()
    page = store.public.public_page(alliance)
    if page["enabled"]:
        st.success(tr("public.is_on"))
        st.code(public.address(alliance), language=None)
    else:
        st.info(tr("public.is_off"))
    if page["changed_by"]:
        when = formatting.timestamp(page["changed_at"], lang)
        st.caption(tr("public.changed", who=page["changed_by"], when=when))
    with st.form(f"public_form_{alliance}", border=False):
        enabled = st.toggle(
            tr("public.enable"), value=page["enabled"], key=f"data_public_on_{alliance}"
        )
        text = st.text_area(
            tr("public.links"),
            value=public.links_text(page["links"]),
            help=tr("public.links_help"),
            max_chars=public.MOST_LINKS * (public.LONGEST_URL + public.LONGEST_LABEL + 3),
            key=f"data_public_links_{alliance}",
        )
        if not st.form_submit_button(tr("public.save"), type="primary"):
            return
    with widgets.guard():
        public.set_public_page(store, who, alliance, enabled, text)
        st.rerun()
