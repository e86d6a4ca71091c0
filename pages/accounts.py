"""Accounts: who may sign in, with which roles (admins: everyone; a lead: its alliance's)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from metrics.base.access import ALLIANCE_ROLES, ROLES, Actor
from metrics.presentation import formatting
from metrics.presentation.i18n import LANGUAGES
from metrics.storage.store import Store
from metrics.usecases import auth
from ui import database, language, session, widgets
from ui.language import tr, tr_plain

NONE = ""


@dataclass(frozen=True)
class Managed:
    """What the page works on, read once per run: the store, the account managing, the
    accounts and grants it may list, the alliances and portfolios it may grant."""

    store: Store
    who: Actor
    lang: str
    accounts: pd.DataFrame
    grants: pd.DataFrame
    alliances: list[str]
    portfolios: pd.DataFrame

    @classmethod
    def read(cls, store: Store, who: Actor, lang: str) -> Managed:
        return cls(
            store,
            who,
            lang,
            store.accounts(who),
            store.grants(who),
            store.alliance_names(who),
            store.portfolios(who),
        )


def roles_text(email: str, grants: pd.DataFrame) -> str:
    mine = grants[grants["email"] == email]
    parts = []
    for g in widgets.rows(mine):
        target = g["alliance"] if isinstance(g["alliance"], str) else g["portfolio"]
        label = tr(f"role.{g['role']}")
        parts.append(f"{label} · {target}" if isinstance(target, str) else label)
    return " ; ".join(parts) or "—"


def status_text(store: Store, email: str, status: str) -> str:
    """Active, disabled, or password sign-in suspended after too many failed attempts."""
    count = store.failed_sign_ins(email)
    if status == "active" and count >= auth.ACCOUNT_LIMIT:
        return tr_plain("accounts.locked", count=count)
    return tr(f"accounts.status.{status}")


def accounts_table(m: Managed) -> pd.DataFrame:
    accounts = m.accounts
    return pd.DataFrame(
        {
            tr("accounts.col.email"): accounts["email"],
            tr("accounts.col.name"): accounts["name"],
            tr("accounts.col.roles"): [roles_text(e, m.grants) for e in accounts["email"]],
            tr("accounts.col.sign_in"): [
                tr("accounts.demo" if demo else "accounts.password" if p else "accounts.sso")
                for p, demo in zip(accounts["has_password"], accounts["demo"], strict=True)
            ],
            tr("accounts.col.status"): [
                status_text(m.store, e, s)
                for e, s in zip(accounts["email"], accounts["status"], strict=True)
            ],
            tr("accounts.col.last_seen"): accounts["last_seen_at"].map(
                lambda v: formatting.timestamp(v, m.lang) if pd.notna(v) else "—"
            ),
        }
    )


def role_and_target(m: Managed, prefix: str, optional: bool) -> tuple[str, str | None, str | None]:
    """Role, alliance and portfolio widgets: what the account may grant."""
    roles = list(ROLES) if m.who.admin else list(ALLIANCE_ROLES)
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
        choices = m.alliances if m.who.admin else m.who.managed()
        alliance = right.selectbox(tr("accounts.alliance"), choices, key=f"{prefix}_alliance")
    elif role == "funder":
        portfolio = right.selectbox(
            tr("accounts.portfolio"), list(m.portfolios["name"]), key=f"{prefix}_portfolio"
        )
    return str(role), alliance, portfolio


def done(message: str) -> None:
    st.session_state["accounts_message"] = message
    st.rerun()


def add_tab(m: Managed) -> None:
    """A new account: its address, name, password (else single sign-on), language and role."""
    store, who = m.store, m.who
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
        format_func=language.NAMES.__getitem__,
        key="accounts_new_lang",
    )
    role, alliance, portfolio = role_and_target(m, "accounts_new", optional=who.admin)
    if st.button(tr("accounts.add_button"), type="primary", key="accounts_add"):
        hashed = auth.hash_password(password, email) if password else None
        created = store.add_account(
            who, email, name, password_hash=hashed, language=account_language or "fr"
        )
        if role:
            store.grant(who, created, role, alliance, portfolio)
        # A lead is told the same whether or not the address already had an account.
        done(tr("summary.users_add" if who.admin else "summary.users_invite", email=created))


def grant_tab(m: Managed) -> None:
    """A role given to an account, new or known."""
    target = st.selectbox(
        tr("accounts.col.email"),
        list(m.accounts["email"]),
        accept_new_options=True,
        key="accounts_grant_email",
        help=tr("accounts.grant_help"),
    )
    role, alliance, portfolio = role_and_target(m, "accounts_grant", optional=False)
    if st.button(tr("accounts.grant_button"), key="accounts_grant") and target:
        m.store.grant(m.who, str(target), role, alliance, portfolio)
        done(tr("summary.users_grant" if m.who.admin else "summary.users_invite", email=target))


def revoke_tab(m: Managed) -> None:
    """A role taken back, among the grants the account may list."""
    grants = m.grants
    if grants.empty:
        st.info(tr("accounts.no_grant"))
        return
    rows = widgets.rows(grants)
    labels = [
        f"{g['email']} — {roles_text(g['email'], grants.iloc[[i]])}" for i, g in enumerate(rows)
    ]
    picked = st.selectbox(
        tr("accounts.revoke_pick"),
        range(len(rows)),
        format_func=labels.__getitem__,
        key="accounts_revoke_pick",
    )
    if st.button(tr("accounts.revoke_button"), key="accounts_revoke"):
        g = rows[int(picked)]
        m.store.revoke(
            m.who,
            g["email"],
            g["role"],
            g["alliance"] if isinstance(g["alliance"], str) else None,
            g["portfolio"] if isinstance(g["portfolio"], str) else None,
        )
        done(tr("summary.users_revoke", email=g["email"]))


def status_tab(m: Managed) -> None:
    """An account disabled or enabled again, unlocked, or given a new password."""
    store, who = m.store, m.who
    target = st.selectbox(
        tr("accounts.col.email"), list(m.accounts["email"]), key="accounts_status_email"
    )
    if not target:
        return
    row = m.accounts.set_index("email").loc[target]
    active = row["status"] == "active"
    if active and st.button(tr("accounts.disable"), key="accounts_disable"):
        store.set_status(who, str(target), "disabled")
        done(tr("summary.users_disable", email=target))
    if not active and st.button(tr("accounts.enable"), key="accounts_enable"):
        store.set_status(who, str(target), "active")
        done(tr("summary.users_enable", email=target))
    if store.failed_sign_ins(str(target)) and st.button(
        tr("accounts.unlock"), key="accounts_unlock"
    ):
        store.unlock(who, str(target))
        done(tr("summary.users_unlock", email=target))
    new = st.text_input(tr("accounts.new_password"), type="password", key="accounts_reset_password")
    if st.button(tr("accounts.set_password"), key="accounts_set_password") and new:
        hashed = auth.hash_password(new, str(target))
        # Every other session of the account ends; one's own here goes on.
        store.set_password(who, str(target), hashed, keep=session.token())
        done(tr("accounts.password_set", email=target))


def portfolios_tab(m: Managed) -> None:
    """The portfolios (admins): their alliances, and alliances added to one, new or known."""
    portfolios = m.portfolios
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
    members = st.multiselect(tr("accounts.alliances"), m.alliances, key="accounts_members")
    if st.button(tr("accounts.portfolio_button"), key="accounts_portfolio") and name:
        m.store.add_to_portfolio(m.who, str(name), members)
        done(tr("summary.portfolio", name=name, count=len(members)))


lang = language.lang()
st.title(tr("accounts.title"))
st.markdown(tr("accounts.intro"))

with widgets.guard():
    managed = Managed.read(database.store(), session.actor(), lang)
    message = st.session_state.pop("accounts_message", None)
    if message:
        st.success(message)
    widgets.dataframe(accounts_table(managed))

    tabs = {
        "accounts.add": add_tab,
        "accounts.grant": grant_tab,
        "accounts.revoke": revoke_tab,
        "accounts.status": status_tab,
    }
    if managed.who.admin:
        tabs["accounts.portfolios"] = portfolios_tab
    for tab, show in zip(st.tabs([tr(k) for k in tabs]), tabs.values(), strict=True):
        with tab, widgets.guard():
            show(managed)
