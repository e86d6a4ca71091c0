"""Entry point: page config, sign-in gate, language, shared sidebar, navigation by role.

The pages and the right each needs are declared in ``ui/navigation.py``."""

from __future__ import annotations

import streamlit as st

from ui import frame, language, navigation, session
from ui.database import store
from ui.widgets import guard

st.set_page_config(
    page_title="Impact des alliances", page_icon=":material/handshake:", layout="wide"
)
frame.page_style()
language.lang()

# The database is opened once for the whole run and let go at its end, so that another
# process (an import from the command line) can open it between runs.
with guard(), store().held():
    who = session.current()
    session.keep_cookie()
    frame.demo_banner()
    pages = navigation.menu(who)
    page = st.navigation(pages)
    navigation.resume_first_visit(pages, page)
    navigation.record_visit(page.url_path, who)
    language.keep_language_in_address()
    if who is not None:
        frame.account_box(who)
    language.language_switch()
    page.run()
