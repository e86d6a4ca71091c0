"""Sign-in: password, single sign-on when configured, and the demo accounts of a demo install."""

from __future__ import annotations

import streamlit as st

from metrics.base.errors import MetricsError
from metrics.usecases import auth
from ui import database, language, reads, session
from ui.language import tr

st.title(tr("signin.title"))
store = database.store()

notice = st.session_state.pop(session.NOTICE_KEY, None)
if notice:
    # A catalog key (expired, signed out), or a refusal already in the user's language.
    if notice.startswith("signin."):
        st.info(tr(notice))
    else:
        st.error(notice)

left, right = st.columns([3, 2], gap="large")
with left:
    if not store.has_accounts():
        st.info(tr("signin.no_account"))
    with st.form("sign_in_form", border=True):
        st.subheader(tr("signin.with_password"))
        email = st.text_input(tr("signin.email"), key="sign_in_email", max_chars=200)
        password = st.text_input(
            tr("signin.password"), type="password", key="sign_in_password", max_chars=200
        )
        submitted = st.form_submit_button(tr("signin.submit"), type="primary")
    if submitted:
        try:
            opened = auth.sign_in(store, email, password, client=session.client())
        except MetricsError as e:
            st.error(language.said(e))
        else:
            session.start(opened)
            st.rerun()
    if session.sso_configured():
        st.subheader(tr("signin.sso"))
        st.caption(tr("signin.sso_help"))
        if st.session_state.get(session.SSO_REFUSED_KEY) is not None:
            if st.button(tr("signin.sso_other"), key="sign_in_sso_out"):
                st.logout()
        elif st.button(tr("signin.sso_button"), key="sign_in_sso", icon=":material/key:"):
            st.login()

if reads.is_demo():
    with right:
        st.subheader(tr("signin.demo"))
        st.caption(tr("signin.demo_help"))
        for account in auth.DEMO_ACCOUNTS:
            target = account.alliance or account.portfolio
            label = tr(f"role.{account.role}") + (f" · {target}" if target else "")
            if st.button(
                label,
                key=f"sign_in_demo_{account.role}",
                help=tr(f"role_help.{account.role}"),
                width="stretch",
            ):
                session.start(auth.demo_sign_in(store, account.email))
                st.rerun()
