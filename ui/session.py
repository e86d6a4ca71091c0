"""Who is signed in: the session's state, its cookie, single sign-on, and the check against the
database at every run.

Who the account is comes from ``current()`` (password, demo or single sign-on), checked against
the database at every run, so that a revoked role or a disabled account takes effect at once.
"""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from metrics.base import clock
from metrics.base.access import Actor, Scope
from metrics.base.errors import AccessDenied
from metrics.storage.store import Store
from metrics.usecases import auth
from ui import language
from ui.database import store, this_run
from ui.language import said

ACCOUNT_KEY = "app_account"
ACTOR_KEY = "app_actor"
METHOD_KEY = "app_sign_in_method"
SEEN_KEY = "app_last_seen"
TOUCHED_KEY = "app_touched"
NOTICE_KEY = "app_notice"
SSO_REFUSED_KEY = "app_sso_refused"
TOKEN_KEY = "app_session_token"  # "" once signed out: the old cookie is not tried again
COOKIE_KEY = "app_cookie_pending"
COOKIE_NAME = "impact_session"
CHECKED_KEY = "app_checked_in_run"
TOUCH_EVERY = 60.0
# What a session keeps of its account, forgotten when it ends.
_SIGNED_IN = (ACCOUNT_KEY, ACTOR_KEY, METHOD_KEY, SEEN_KEY, TOUCHED_KEY, SSO_REFUSED_KEY)


# -- single sign-on --------------------------------------------------------------------------


def sso_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` configures single sign-on (an ``[auth]`` section)."""
    try:
        section = st.secrets.get("auth")
    except Exception:  # no secrets file at all
        return False
    return section is not None and bool(section) and "redirect_uri" in section


def _sso_identity() -> tuple[str | None, bool, float | None] | None:
    """(e-mail, verified, issued-at) from the identity provider's cookie, if signed in there."""
    if not sso_configured() or not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    issued = st.user.get("iat")
    return (
        str(email) if email else None,
        st.user.get("email_verified") is True,
        float(issued) if isinstance(issued, (int, float)) else None,
    )


def _stale(issued: float | None, last_seen: dt.datetime | None) -> bool:
    """Whether the provider's cookie is too old to open a session: neither signed in there nor
    active here within the idle timeout."""
    recent = [
        x
        for x in (issued, last_seen.replace(tzinfo=dt.UTC).timestamp() if last_seen else None)
        if x is not None
    ]
    return bool(recent) and time.time() - max(recent) > auth.idle_timeout().total_seconds()


def _sso_session(store_: Store) -> bool:
    """Open a session for the account the identity provider vouches for, if any.

    Its cookie from an earlier visit opens a session only while it is fresh (signed in there,
    or active here, within the idle timeout); otherwise the provider is asked again.
    """
    identity = _sso_identity()
    if identity is None:
        return False
    email, verified, issued = identity
    if st.session_state.get(SSO_REFUSED_KEY) == (email or ""):
        return False
    account = store_.account(email) if email else None
    if account is not None and _stale(issued, account["last_seen_at"]):
        st.session_state[NOTICE_KEY] = "signin.expired"
        st.logout()
        return False
    try:
        opened = auth.sign_in_sso(store_, email, verified)
    except AccessDenied as e:
        st.session_state[SSO_REFUSED_KEY] = email or ""
        st.session_state[NOTICE_KEY] = said(e)
        return False
    start(opened)
    return True


# -- the session and its cookie --------------------------------------------------------------


def token() -> str | None:
    """This browser's session token (to keep its session when its owner sets a password)."""
    return st.session_state.get(TOKEN_KEY) or None


def start(opened: auth.Session) -> None:
    """Remember a signed-in session; its browser keeps the token in a cookie (set by
    ``keep_cookie`` on the next run) so that a reload keeps the session."""
    st.session_state[ACCOUNT_KEY] = opened.actor.email
    st.session_state[METHOD_KEY] = opened.method
    st.session_state[TOKEN_KEY] = opened.token
    st.session_state[SEEN_KEY] = time.time()
    st.session_state[COOKIE_KEY] = opened.token
    st.session_state.pop(NOTICE_KEY, None)
    account = store().account(opened.actor.email)
    if account is not None and not account["demo"]:
        # The account's own language, whichever page it signed in from. (A demo account is
        # shared by every visitor: the visitor's language stays.)
        language.use(str(account["lang"]))


def remember_language(chosen: str) -> None:
    """Keep the signed-in account's choice of language for its next sign-in (not a demo
    account's, shared by every visitor; nothing for a session that has ended meanwhile)."""
    who = current()
    account = store().account(who.email) if who is not None else None
    if who is not None and account is not None and not account["demo"]:
        store().set_language(who, chosen)


def _resume(store_: Store) -> bool:
    """A session opened earlier in this browser (its cookie), if still live."""
    try:
        token = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # no browser behind this run (tests, bare mode)
        token = None
    if not token or st.session_state.get(TOKEN_KEY) == "":
        return False
    live = _live(store_, str(token))
    if not isinstance(live, tuple):
        if live == "expired":
            st.session_state[NOTICE_KEY] = "signin.expired"
        st.session_state[COOKIE_KEY] = ""
        st.session_state[TOKEN_KEY] = ""
        return False
    email, method = live
    st.session_state[ACCOUNT_KEY] = email
    st.session_state[METHOD_KEY] = method
    st.session_state[TOKEN_KEY] = str(token)
    st.session_state[SEEN_KEY] = time.time()
    return True


def _live(store_: Store, token: str) -> tuple[str, str] | str | None:
    """The session of ``token`` as the store has it now (``Store.resume_session``)."""
    return store_.resume_session(token, clock.now(), auth.idle_timeout(), auth.session_lifetime())


def client() -> str:
    """The address of this browser as the sign-in throttle counts it (``auth.client_address``:
    behind a trusted proxy, the address it forwards)."""
    try:
        peer = st.context.ip_address
        headers = st.context.headers
        forwarded = {str(name): list(headers.get_all(name)) for name in headers}
    except Exception:  # no browser behind this run (tests, bare mode)
        return ""
    if not isinstance(peer, str | None) or not all(
        isinstance(v, str) for values in forwarded.values() for v in values
    ):
        return ""  # AppTest's stand-in context
    return auth.client_address(peer, forwarded, auth.trusted_proxies())


def _forget(notice: str) -> None:
    """The session's account forgotten, its cookie cleared, ``notice`` kept for the sign-in
    page; single sign-on signs out of the identity provider's cookie too (else it would open
    a new session at once). The browser is sent to the provider's sign-out and back: a rerun
    here could reach the browser before that redirect and cancel it."""
    method = st.session_state.get(METHOD_KEY)
    for name in _SIGNED_IN:
        st.session_state.pop(name, None)
    st.session_state[TOKEN_KEY] = ""
    st.session_state[COOKIE_KEY] = ""
    st.session_state[NOTICE_KEY] = notice
    if method == "sso":
        st.logout()
        st.stop()


def _ended(store_: Store, email: str, live: tuple[str, str] | str | None) -> None:
    """Forget a session that ended elsewhere (signed out in another browser, its password set,
    expired, its account disabled): nothing more to write."""
    if live == "expired":
        _forget("signin.expired")
    elif store_.actor(email) is None:
        _forget("signin.disabled")
    else:  # signed out in another tab or browser, or its password was set
        _forget("signin.ended")


def current() -> Actor | None:
    """The signed-in account as it stands in the database now, or ``None``.

    The session's row is read at every run: it ends when signed out in any browser holding
    its token, when the account's password is set, after ``auth.idle_timeout()`` without
    activity or ``auth.session_lifetime()`` after its sign-in, and at once when the account is
    disabled.
    """
    store_ = store()
    if ACCOUNT_KEY not in st.session_state and not (_resume(store_) or _sso_session(store_)):
        return None
    email = str(st.session_state[ACCOUNT_KEY])
    live = _live(store_, str(st.session_state.get(TOKEN_KEY) or ""))
    if not isinstance(live, tuple) or live[0] != email:
        _ended(store_, email, live)
        return None
    now = time.time()
    if now - float(st.session_state.get(SEEN_KEY, now)) > auth.idle_timeout().total_seconds():
        end_session("session_expired", "signin.expired")
        return None
    actor_ = store_.actor(email)
    if actor_ is None:
        end_session("sign_out", "signin.disabled")
        return None
    st.session_state[SEEN_KEY] = now
    st.session_state[ACTOR_KEY] = actor_
    st.session_state[CHECKED_KEY] = this_run()
    if now - float(st.session_state.get(TOUCHED_KEY, 0.0)) > TOUCH_EVERY:
        token_ = str(st.session_state.get(TOKEN_KEY) or "")
        if store_.touch_session(token_, email, clock.now()):  # else at a later run
            st.session_state[TOUCHED_KEY] = now
    return actor_


def keep_cookie() -> None:
    """Write (or clear) the session cookie in the browser, once after a sign-in or sign-out.
    The token is ours (random, server-made), so the script carries no user input."""
    token = st.session_state.pop(COOKIE_KEY, None)
    if token is None:
        return
    # No longer than the session may live: a copy of the cookie is worth nothing after it.
    age = int(auth.session_lifetime().total_seconds()) if token else 0
    set_cookie(COOKIE_NAME, token, age)


def set_cookie(name: str, value: str, max_age: int) -> None:
    """Write (``max_age`` 0: clear) a cookie of the app's in the browser, for every address of
    the app (Streamlit reads cookies when a page connects), sent back from its own pages only.
    ``value`` is ours (random, server-made), so the script carries no user input."""
    secure = "; Secure" if str(st.context.url or "").startswith("https:") else ""
    st.html(
        f"<script>document.cookie = '{name}={value}; Path=/; Max-Age={max_age}; "
        f"SameSite=Strict{secure}';</script>",
        unsafe_allow_javascript=True,
    )


def end_session(action: str = "sign_out", notice: str = "signin.signed_out") -> None:
    """Sign out (``action`` is written to the audit log); the browser's cookie is cleared, and
    single sign-on signs out of the identity provider's cookie too."""
    email = st.session_state.get(ACCOUNT_KEY)
    token = st.session_state.get(TOKEN_KEY)
    store().end_session(str(token) if token else None, clock.now(), action, email)
    _forget(notice)


def actor() -> Actor:
    """The signed-in account, checked again here: a page never relies on ``app.py`` having
    run first in the same run (a check is made once per run). Signed out: the page stops."""
    known = st.session_state.get(ACTOR_KEY)
    if not isinstance(known, Actor) or st.session_state.get(CHECKED_KEY) is not this_run():
        known = current()
    if known is None:
        st.stop()
    return known


def scope() -> Scope:
    """What the signed-in account reads (``Actor.scope``): cached reads are keyed by it, so
    that accounts reading the same rows share them."""
    return actor().scope
