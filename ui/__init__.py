"""Streamlit glue shared by the pages: the pages' list, the session, the language, the store and
its cached reads, the elements pages share (``metrics`` never imports it).

The app lists its pages with ``st.navigation``. Because a ``pages/`` folder sits beside
``app.py``, Streamlit runs the first session of each server process in its older multipage
mode, where that folder's files are the pages, each run without ``app.py``'s gate, and an
address such as ``/tableau-de-bord`` is "not found" (streamlit#9992); from the second session
on, ``st.navigation`` has switched that mode off. Every page and ``app.py`` import this package
first: in that first session it switches the older mode off and runs the visit again through
``app.py``, which then opens the address asked for (``navigation.resume_first_visit``).
``python -m ui.serve`` switches the mode off before the first session.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

FIRST_ADDRESS_KEY = "app_first_address"  # the address the first visit asked for

if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    _run = get_script_run_ctx()
    if _run is not None:
        st.session_state[FIRST_ADDRESS_KEY] = _run.pages_manager.intended_page_name or ""
        st.rerun()
