"""Entry point: page config, language, shared sidebar, navigation."""

from __future__ import annotations

import streamlit as st

from ui import common

st.set_page_config(
    page_title="Impact des alliances", page_icon=":material/handshake:", layout="wide"
)

# Narrower side margins than Streamlit's wide layout, so that tables fit on a laptop screen.
st.html(
    "<style>[data-testid='stMainBlockContainer']"
    "{padding-left: 2.5rem; padding-right: 2.5rem;}</style>"
)
common.lang()
pages = [
    st.Page("pages/home.py", title=common.tr("nav.home"), icon=":material/home:", default=True),
    st.Page(
        "pages/dashboard.py",
        title=common.tr("nav.dashboard"),
        icon=":material/monitoring:",
        url_path="tableau-de-bord",
    ),
    st.Page(
        "pages/stakeholders.py",
        title=common.tr("nav.stakeholders"),
        icon=":material/groups:",
        url_path="partenaires",
    ),
    st.Page(
        "pages/trust.py",
        title=common.tr("nav.trust"),
        icon=":material/handshake:",
        url_path="confiance",
    ),
    st.Page(
        "pages/scaling.py",
        title=common.tr("nav.scaling"),
        icon=":material/hub:",
        url_path="changement-d-echelle",
    ),
    st.Page(
        "pages/contracts.py",
        title=common.tr("nav.contracts"),
        icon=":material/request_quote:",
        url_path="contrats",
    ),
    st.Page(
        "pages/portfolio.py",
        title=common.tr("nav.portfolio"),
        icon=":material/table_view:",
        url_path="portefeuille",
    ),
    st.Page(
        "pages/comparison.py",
        title=common.tr("nav.comparison"),
        icon=":material/compare_arrows:",
        url_path="comparer",
    ),
    st.Page(
        "pages/data.py",
        title=common.tr("nav.data"),
        icon=":material/upload_file:",
        url_path="donnees",
    ),
]
navigation = st.navigation(pages)
common.language_switch()
navigation.run()
