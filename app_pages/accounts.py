"""Accounts: who may sign in, with which roles (admins: everyone; a lead: its alliance's)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.base.access import ALLIANCE_ROLES, ROLES
from metrics.presentation import formatting
from metrics.presentation.i18n import LANGUAGES
from metrics.usecases import auth
from ui import database, language, session, widgets
from ui.language import tr, tr_plain

lang = language.lang()
st.title(tr("accounts.title"))
st.markdown(tr("accounts.intro"))
NONE = ""


def roles_text(email: str, grants: pd.DataFrame) -> str:
    mine = grants[grants["email"] == email]
    parts = []
    for g in mine.to_dict("records"):
        target = g["alliance"] if isinstance(g["alliance"], str) else g["portfolio"]
        label = tr(f"role.{g['role']}")
        parts.append(f"{label} · {target}" if isinstance(target, str) else label)
    return " ; ".join(parts) or "—"


def status_text(email: str, status: str) -> str:
    """Active, disabled, or password sign-in suspended after too many failed attempts."""
    count = store.failed_sign_ins(email)
    if status == "active" and count >= auth.ACCOUNT_LIMIT:
        return tr_plain("accounts.locked", count=count)
    return tr(f"accounts.status.{status}")


def accounts_table(accounts: pd.DataFrame, grants: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("accounts.col.email"): accounts["email"],
            tr("accounts.col.name"): accounts["name"],
            tr("accounts.col.roles"): [roles_text(e, grants) for e in accounts["email"]],
            tr("accounts.col.sign_in"): [
                tr("accounts.demo" if demo else "accounts.password" if p else "accounts.sso")
                for p, demo in zip(accounts["has_password"], accounts["demo"])
            ],
            tr("accounts.col.status"): [
                status_text(e, s) for e, s in zip(accounts["email"], accounts["status"])
            ],
            tr("accounts.col.last_seen"): accounts["last_seen_at"].map(
                lambda v: formatting.timestamp(v, lang) if pd.notna(v) else "—"
            ),
        }
    )


def role_and_target(prefix: str, optional: bool) -> tuple[str, str | None, str | None]:
    """Role, alliance and portfolio widgets: what the account may grant."""
    roles = list(ROLES) if who.admin else list(ALLIANCE_ROLES)
    options = ([NONE] if optional else []) + roles
    names = {NONE: tr("accounts.no_role"), **{r: tr(f"role.{r}") for r in ROLES}}
    left, right = st.columns(2)
    role = left.selectbox(
        tr("accounts.role"),
        options,
        format_func=names.__getitem__,
        key=language.wkey(f"{prefix}_role"),
    )
    alliance = portfolio = None
    if role in ALLIANCE_ROLES:
        choices = alliances if who.admin else who.managed()
        alliance = right.selectbox(tr("accounts.alliance"), choices, key=f"{prefix}_alliance")
    elif role == "funder":
        portfolio = right.selectbox(
            tr("accounts.portfolio"), list(portfolios["name"]), key=f"{prefix}_portfolio"
        )
    return str(role), alliance, portfolio


def done(message: str) -> None:
    st.session_state["accounts_message"] = message
    st.rerun()


with widgets.guard():
    who = session.actor()
    store = database.store()
    accounts = store.accounts(who, lang)
    grants = store.grants(who, lang)
    alliances = store.alliance_names(who)
    portfolios = store.portfolios(who)
    message = st.session_state.pop("accounts_message", None)
    if message:
        st.success(message)
    widgets.dataframe(accounts_table(accounts, grants))

    tabs = [tr("accounts.add"), tr("accounts.grant"), tr("accounts.revoke"), tr("accounts.status")]
    if who.admin:
        tabs.append(tr("accounts.portfolios"))
    add, grant, revoke, status, *rest = st.tabs(tabs)

    with add, widgets.guard():
        left, right = st.columns(2)
        email = left.text_input(tr("accounts.col.email"), key="accounts_new_email")
        name = right.text_input(tr("accounts.col.name"), key="accounts_new_name")
        left, right = st.columns(2)
        password = left.text_input(
            tr("accounts.new_password"),
            type="password",
            key="accounts_new_password",
            help=tr("accounts.new_password_help", length=auth.MIN_PASSWORD),
        )
        account_language = right.segmented_control(
            tr("ui.language"),
            list(LANGUAGES),
            default="fr",
            format_func={"fr": "Français", "en": "English"}.__getitem__,
            key="accounts_new_lang",
        )
        role, alliance, portfolio = role_and_target("accounts_new", optional=who.admin)
        if st.button(tr("accounts.add_button"), type="primary", key="accounts_add"):
            hashed = auth.hash_password(password, lang, email) if password else None
            created = store.add_account(
                who, email, name, lang, hashed, False, account_language or "fr"
            )
            if role:
                store.grant(who, created, role, alliance, portfolio, lang)
            # A lead is told the same whether or not the address already had an account.
            done(tr("summary.users_add" if who.admin else "summary.users_invite", email=created))

    emails = list(accounts["email"])
    with grant, widgets.guard():
        target = st.selectbox(
            tr("accounts.col.email"),
            emails,
            accept_new_options=True,
            key="accounts_grant_email",
            help=tr("accounts.grant_help"),
        )
        role, alliance, portfolio = role_and_target("accounts_grant", optional=False)
        if st.button(tr("accounts.grant_button"), key="accounts_grant") and target:
            store.grant(who, str(target), role, alliance, portfolio, lang)
            done(tr("summary.users_grant" if who.admin else "summary.users_invite", email=target))

    with revoke, widgets.guard():
        if grants.empty:
            st.info(tr("accounts.no_grant"))
        else:
            rows = grants.to_dict("records")
            labels = [
                f"{g['email']} — {roles_text(g['email'], grants.iloc[[i]])}"
                for i, g in enumerate(rows)
            ]
            picked = st.selectbox(
                tr("accounts.revoke_pick"),
                range(len(rows)),
                format_func=labels.__getitem__,
                key="accounts_revoke_pick",
            )
            if st.button(tr("accounts.revoke_button"), key="accounts_revoke"):
                g = rows[int(picked)]
                store.revoke(
                    who,
                    g["email"],
                    g["role"],
                    g["alliance"] if isinstance(g["alliance"], str) else None,
                    g["portfolio"] if isinstance(g["portfolio"], str) else None,
                    lang,
                )
                done(tr("summary.users_revoke", email=g["email"]))

    with status, widgets.guard():
        target = st.selectbox(tr("accounts.col.email"), emails, key="accounts_status_email")
        if target:
            row = accounts.set_index("email").loc[target]
            active = row["status"] == "active"
            if active and st.button(tr("accounts.disable"), key="accounts_disable"):
                store.set_status(who, str(target), "disabled", lang)
                done(tr("summary.users_disable", email=target))
            if not active and st.button(tr("accounts.enable"), key="accounts_enable"):
                store.set_status(who, str(target), "active", lang)
                done(tr("summary.users_enable", email=target))
            if store.failed_sign_ins(str(target)) and st.button(
                tr("accounts.unlock"), key="accounts_unlock"
            ):
                store.unlock(who, str(target), lang)
                done(tr("summary.users_unlock", email=target))
            new = st.text_input(
                tr("accounts.new_password"), type="password", key="accounts_reset_password"
            )
            if st.button(tr("accounts.set_password"), key="accounts_set_password") and new:
                hashed = auth.hash_password(new, lang, str(target))
                # Every other session of the account ends; one's own here goes on.
                store.set_password(who, str(target), hashed, lang, session.token())
                done(tr("accounts.password_set", email=target))

    for tab in rest:
        with tab, widgets.guard():
            widgets.dataframe(
                pd.DataFrame(
                    {
                        tr("accounts.portfolio"): portfolios["name"],
                        tr("accounts.alliances"): [", ".join(a) for a in portfolios["alliances"]],
                    }
                ),
            )
            name = st.selectbox(
                tr("accounts.portfolio"),
                list(portfolios["name"]),
                index=None,
                accept_new_options=True,
                placeholder=tr("accounts.portfolio_new"),
                key="accounts_portfolio_name",
            )
            members = st.multiselect(tr("accounts.alliances"), alliances, key="accounts_members")
            if st.button(tr("accounts.portfolio_button"), key="accounts_portfolio") and name:
                store.add_to_portfolio(who, str(name), members, lang)
                done(tr("summary.portfolio", name=name, count=len(members)))
