"""Entry point: page config, sign-in gate, language, shared sidebar, navigation by role.

The pages and the right each needs are declared in ``ui/navigation.py``; the barometer's
answering page and an alliance's public page, opened from a link with no account, are offered
alone (``navigation.visitor``).
"""

from __future__ import annotations

import streamlit as st

from ui import frame, language, navigation, session
from ui.database import store
from ui.widgets import guard

# A visitor's page (a questionnaire, a public page) reads best in a column; the app's tables
# want the width.
visiting = navigation.visitor()
st.set_page_config(
    page_title="Impact des alliances",
    page_icon=":material/handshake:",
    layout="centered" if visiting else "wide",
)
language.lang()

# The database is opened once for the whole run and let go at its end, so that another
# process (an import from the command line) can open it between runs.
if visiting:
    # A respondent or a citizen: the page of their link, with no account read, no menu, no
    # page of the app's.
    with guard(), store().held():
        page = st.navigation(navigation.visitor_pages(visiting), position="hidden")
        language.keep_language_in_address()
        page.run()
else:
    frame.page_style()
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
        language.language_switch(remember=session.remember_language if who else None)
        page.run()
