"""Streamlit glue shared by pages: the one cached store, the signed-in account, the session
language, cached reads.

Pages call these instead of touching the store or the session keys directly. Who the account is
comes from ``session()`` (password, demo or single sign-on), checked against the database at
every run, so that a revoked role or a disabled account takes effect at once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from metrics.base import clock, config
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied
from metrics.domain import compare, finance, outcomes
from metrics.presentation import pack
from metrics.presentation.i18n import LANGUAGES, t
from metrics.storage.store import Store
from metrics.usecases import auth

LANG_KEY = "app_lang"
CHOICE_KEY = "app_lang_choice"
LANG_SEPARATOR = "__"
CACHE_TTL = 600
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
VERSION_KEY = "app_data_version"  # (the script run it was read in, Data)
VISIT_KEY = "app_visit"  # (address, account) of the page the previous run showed
TOUCH_EVERY = 60.0


def _waiting() -> None:
    """Said while a run waits for another process (an import from the command line) to let
    go of the database file."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx() is not None:  # a page's run, not a thread of its own
        st.toast(tr("app.waiting_db"), icon=":material/hourglass_top:")


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    # The file let go a second after the last run: a burst of reruns keeps DuckDB's cache
    # warm, and a command waiting for the file gets it as soon as the pages are idle.
    store = Store(path, waiting=_waiting, linger=1.0)
    # A database nobody has used yet becomes the demo; a real install (``init``) never does.
    if store.is_empty() and store.setting(auth.INSTALLATION) is None:
        auth.seed_demo(store)
    return store


def store() -> Store:
    """The process-wide store for the configured database (the demo on a first start)."""
    return _store(config.db_target())


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def _installation(db: Data) -> str | None:
    """``demo`` or ``production`` (set once, when the database is made): asked once."""
    return _store(db.path).setting(auth.INSTALLATION)


def is_demo() -> bool:
    return _installation(db()) == "demo"


# -- the signed-in account -------------------------------------------------------------------


def sso_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` configures single sign-on (an ``[auth]`` section)."""
    try:
        section = st.secrets.get("auth")
    except Exception:  # no secrets file at all
        return False
    return bool(section) and "redirect_uri" in section


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


def _sso_session(store: Store) -> bool:
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
    account = store.account(email) if email else None
    last_seen = account["last_seen_at"] if account else None
    recent = [
        x
        for x in (issued, last_seen.replace(tzinfo=dt.UTC).timestamp() if last_seen else None)
        if x is not None
    ]
    stale = bool(recent) and time.time() - max(recent) > auth.idle_timeout().total_seconds()
    if account is not None and stale:
        st.session_state[NOTICE_KEY] = "signin.expired"
        st.logout()
        return False
    try:
        opened = auth.sign_in_sso(store, email, verified, lang())
    except AccessDenied as e:
        st.session_state[SSO_REFUSED_KEY] = email or ""
        st.session_state[NOTICE_KEY] = said(e)
        return False
    start(opened)
    return True


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


def _resume(store: Store) -> bool:
    """A session opened earlier in this browser (its cookie), if still live."""
    try:
        token = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # no browser behind this run (tests, bare mode)
        token = None
    if not token or st.session_state.get(TOKEN_KEY) == "":
        return False
    live = _live(store, str(token))
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


def _live(store: Store, token: str) -> tuple[str, str] | str | None:
    """The session of ``token`` as the store has it now (``Store.resume_session``)."""
    return store.resume_session(token, clock.now(), auth.idle_timeout(), auth.session_lifetime())


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


def _ended(notice: str) -> None:
    """Forget a session that ended elsewhere (signed out in another browser, its password set,
    expired): nothing more to write; the cookie is cleared."""
    method = st.session_state.get(METHOD_KEY)
    for name in (ACCOUNT_KEY, ACTOR_KEY, METHOD_KEY, SEEN_KEY, TOUCHED_KEY, SSO_REFUSED_KEY):
        st.session_state.pop(name, None)
    st.session_state[TOKEN_KEY] = ""
    st.session_state[COOKIE_KEY] = ""
    st.session_state[NOTICE_KEY] = notice
    if method == "sso":  # else the provider's cookie would open a new session at once
        st.logout()
        st.stop()


def session() -> Actor | None:
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
        if live == "expired":
            _ended("signin.expired")
        elif store_.actor(email) is None:
            _ended("signin.disabled")
        else:  # signed out in another tab or browser, or its password was set
            _ended("signin.ended")
        return None
    now = time.time()
    if now - float(st.session_state.get(SEEN_KEY, now)) > auth.idle_timeout().total_seconds():
        end_session("session_expired", "signin.expired")
        return None
    actor = store_.actor(email)
    if actor is None:
        end_session("sign_out", "signin.disabled")
        return None
    st.session_state[SEEN_KEY] = now
    st.session_state[ACTOR_KEY] = actor
    st.session_state[CHECKED_KEY] = _this_run()
    if now - float(st.session_state.get(TOUCHED_KEY, 0.0)) > TOUCH_EVERY:
        store_.touch_session(str(st.session_state.get(TOKEN_KEY) or ""), email, clock.now())
        st.session_state[TOUCHED_KEY] = now
    return actor


def keep_cookie() -> None:
    """Write (or clear) the session cookie in the browser, once after a sign-in or sign-out.
    The token is ours (random, server-made), so the script carries no user input."""
    token = st.session_state.pop(COOKIE_KEY, None)
    if token is None:
        return
    # No longer than the session may live: a copy of the cookie is worth nothing after it.
    age = int(auth.session_lifetime().total_seconds()) if token else 0
    secure = "; Secure" if str(st.context.url or "").startswith("https:") else ""
    st.html(
        f"<script>document.cookie = '{COOKIE_NAME}={token}; Path=/; Max-Age={age}; "
        f"SameSite=Strict{secure}';</script>",
        unsafe_allow_javascript=True,
    )


def end_session(action: str = "sign_out", notice: str = "signin.signed_out") -> None:
    """Sign out (``action`` is written to the audit log); the browser's cookie is cleared, and
    single sign-on signs out of the identity provider's cookie too."""
    email = st.session_state.get(ACCOUNT_KEY)
    method = st.session_state.get(METHOD_KEY)
    token = st.session_state.get(TOKEN_KEY)
    store().end_session(str(token) if token else None, clock.now(), action, email)
    for name in (ACCOUNT_KEY, ACTOR_KEY, METHOD_KEY, SEEN_KEY, TOUCHED_KEY, SSO_REFUSED_KEY):
        st.session_state.pop(name, None)
    st.session_state[TOKEN_KEY] = ""
    st.session_state[COOKIE_KEY] = ""
    st.session_state[NOTICE_KEY] = notice
    if method == "sso":
        # The browser is sent to the provider's sign-out and back: a rerun here could reach
        # the browser before that redirect and cancel it.
        st.logout()
        st.stop()


def actor() -> Actor:
    """The signed-in account, checked again here: a page never relies on ``app.py`` having
    run first (Streamlit may run a page file on its own, e.g. on a server's very first run,
    when it still treats ``pages/`` as a folder of pages). Signed out: the page stops."""
    current = st.session_state.get(ACTOR_KEY)
    if not isinstance(current, Actor) or st.session_state.get(CHECKED_KEY) is not _this_run():
        current = session()
    if current is None:
        st.stop()
    return current


def _this_run() -> object:
    """An object that stands for the current script run (app.py and its page share it)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.cursors if ctx is not None else None


def lang() -> str:
    """The session's language: the sidebar choice, else ``?lang=``, else French."""
    if LANG_KEY not in st.session_state:
        asked = st.query_params.get("lang", "fr")
        st.session_state[LANG_KEY] = asked if asked in LANGUAGES else "fr"
    return str(st.session_state[LANG_KEY])


PRINT_STYLE = (Path(__file__).parent / "print.css").read_text(encoding="utf-8")
PRINT_SCRIPT = (Path(__file__).parent / "print.js").read_text(encoding="utf-8")


def printable_charts() -> None:
    """The script that lets the print style scale charts to the page (``print.js``)."""
    st.html(f"<script>{PRINT_SCRIPT}</script>", unsafe_allow_javascript=True)


def uploader_in_french() -> None:
    """Streamlit writes its file uploader's button and limits in English whatever the page's
    language: in French, a style puts French words in their place (the texts are ours, set
    in CSS; the button and the drop zone work as before)."""
    if lang() != "fr":
        return
    zone = "[data-testid='stFileUploaderDropzone']"
    button = f"{zone} [data-testid='stBaseButton-secondary'] [data-testid='stMarkdownContainer'] p"
    limits_ = "[data-testid='stFileUploaderDropzoneInstructions'] span"
    # A CSS string: quoted and escaped as JSON writes it (an apostrophe stays a character).
    button_text = json.dumps(t("data.upload_button", "fr"), ensure_ascii=False)
    limits_text = json.dumps(t("data.upload_limits", "fr"), ensure_ascii=False)
    st.html(
        "<style>"
        f"{button}, {limits_} {{font-size: 0;}}"
        f"{button}::after {{content: {button_text}; font-size: 14px;}}"
        f"{limits_}::after {{content: {limits_text}; font-size: 14px;}}"
        "</style>"
    )


def not_allowed() -> None:
    """The page at the address of a page the account may not see (``refused_page`` writes
    the visit to the audit log)."""
    st.title(tr("nav.not_allowed"))
    st.info(tr("nav.not_allowed_text"))


def new_visit(address: str, who: Actor | None) -> bool:
    """Whether this run opens the page at ``address`` for ``who`` anew: not a rerun of the
    page the session already showed them (a change of language, a click on the page)."""
    visit = (address, who.email if who is not None else None)
    before = st.session_state.get(VISIT_KEY)
    st.session_state[VISIT_KEY] = visit
    return before != visit


def refused_page(who: Actor, page: str, address: str) -> None:
    """A signed-in account at the address of ``page`` (its file's name), which it may not see
    (``Actor.sees``): written to the audit log, refused."""
    store().record(who, "page_open", page, {"address": f"/{address}"}, outcome="refused")


def download_button(
    label: str,
    data: Any,
    what: dict[str, Any],
    *,
    file_name: str,
    key: str,
    action: str = "export",
    **options: Any,
) -> bool:
    """``st.download_button`` whose every click is written to the audit log: ``action``
    (an export, unless said otherwise), the file's name, and ``what`` was downloaded (its
    kind, its alliance or alliances…) with the file's format.

    The line is written by the click's callback, at the start of the rerun the click asks
    for; the file itself (its bytes, or ``data`` called on the click) goes to the browser
    whatever the rerun does."""
    details = what | {"format": Path(file_name).suffix.lstrip(".").lower()}
    return st.download_button(
        label,
        data,
        file_name=file_name,
        key=key,
        on_click=downloaded,
        args=(store(), actor(), action, file_name, details),
        **options,
    )


def downloaded(
    store_: Store, who: Actor, action: str, file_name: str, details: dict[str, Any]
) -> None:
    """A download button's callback: the download written to the audit log."""
    store_.record(who, action, file_name, details)


def keep_language_in_address() -> None:
    """``?lang=`` in the address of every page: a page change clears it (Streamlit's
    navigation drops the query), so a reload, a bookmark or a link passed on would open in
    French whatever the language chosen."""
    if st.query_params.get("lang") != lang():
        st.query_params["lang"] = lang()


def wkey(name: str) -> str:
    """The key of a widget whose option labels are translated: one key per language.

    Streamlit remembers such a widget's choice by its label, so a change of language would
    lose it; the language switch copies each choice to the new language's key instead.
    """
    return f"{name}{LANG_SEPARATOR}{lang()}"


# Characters Streamlit's Markdown gives a meaning to: emphasis, links and images, HTML, code,
# LaTeX ($), coloured text and icons (:red[...], :material/...:), tables, headings, lists.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


# Streamlit's Markdown also turns a bare address into a link after escapes are read (GFM's
# autolink literals): a word joiner (U+2060, invisible, zero width) inside "://" and "www."
# keeps an address written in a name as text; before "@", an e-mail address (which would be a
# "mailto:" link: GFM links a name, "@" and a domain written together).
_ADDRESS = re.compile(r"(?i)(:)(//)|\b(www)(\\?\.)")
JOINER = "\u2060"


def md(text: Any) -> str:
    """Text from a spreadsheet or an account (a name, a description, a file name, an e-mail
    address) as it must appear in Markdown: every character shown as itself, nothing
    interpreted (no remote image, no link, no colour, no formula)."""
    escaped = _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", " ").replace("@", JOINER + "@")
    return _ADDRESS.sub(lambda m: JOINER.join(g for g in m.groups() if g), escaped)


def tr(key: str, **params: Any) -> str:
    """``t`` in the session's language, for Markdown (captions, messages, labels): the text
    it is given is escaped (``md``), the catalogue's own Markdown is kept."""
    return t(key, lang(), **{k: md(v) if isinstance(v, str) else v for k, v in params.items()})


def dataframe(data: Any, **options: Any) -> Any:
    """``st.dataframe`` as the pages show tables: full width, no index, and "—" in a cell
    that has no value (Streamlit writes "None" there)."""
    options.setdefault("hide_index", True)
    options.setdefault("width", "stretch")
    options.setdefault("placeholder", "—")
    return st.dataframe(data, **options)


def table(data: Any, index: str | None = None) -> None:
    """``st.table``, which draws its cells and headers as Markdown: every text in it (names,
    values from a file, reasons) escaped first (``md``). ``index``: the column shown first, as
    row labels (else the rows are numbered)."""
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    if index is not None:
        frame = frame.set_index(index)

    def shown(value: Any) -> Any:
        return md(value) if isinstance(value, str) else value

    escaped = frame.map(shown)
    escaped.columns = [shown(c) for c in frame.columns]
    escaped.index = pd.Index([shown(i) for i in frame.index], name=shown(frame.index.name))
    st.table(escaped)


def said(error: Any) -> str:
    """A refusal (``MetricsError``) for Markdown, in the session's language: the names and
    values it quotes are escaped like ``tr``'s."""
    if getattr(error, "key", None) is None:
        return md(getattr(error, "message", error))
    return tr(error.key, **error.params)


def tr_plain(key: str, **params: Any) -> str:
    """``t`` in the session's language for where nothing is read as Markdown: table cells and
    column names, file names, chart titles (charts escape their own way)."""
    return t(key, lang(), **params)


def language_switch() -> None:
    """The sidebar's language choice. The widget has its own key; the chosen language lives in
    a plain session key so that it survives page changes (widget state does not)."""
    current = lang()
    st.sidebar.segmented_control(
        t("ui.language", current),
        options=list(LANGUAGES),
        default=current,
        key=CHOICE_KEY,
        format_func=lambda code: {"fr": "Français", "en": "English"}[code],
        on_change=_keep_language,
    )


def _keep_language() -> None:
    choice = st.session_state.get(CHOICE_KEY)
    if choice in LANGUAGES:
        before = st.session_state.get(LANG_KEY)
        suffix = f"{LANG_SEPARATOR}{before}"
        for name in list(st.session_state.keys()):
            if isinstance(name, str) and name.endswith(suffix):
                new = name[: -len(suffix)] + f"{LANG_SEPARATOR}{choice}"
                st.session_state[new] = st.session_state[name]
        st.session_state[LANG_KEY] = choice
        st.query_params["lang"] = choice
    else:
        # Clicking the selected option clears a segmented control: keep the language shown.
        st.session_state[CHOICE_KEY] = st.session_state[LANG_KEY]


def account_box(who: Actor) -> None:
    """The sidebar's account: who is signed in, with which roles, and the sign-out button."""
    roles = [tr("role.admin")] if who.admin else []
    roles += [f"{tr('role.' + role)} · {name}" for name, role in sorted(who.roles)]
    roles += [f"{tr('role.funder')} · {name}" for name in sorted(who.portfolios)]
    box = st.sidebar.container(border=True)
    # Plain text, never Markdown: names are typed by people.
    box.text(f"{who.name or who.email}\n{who.email}")
    box.text("\n".join(roles))
    if box.button(tr("signin.sign_out"), key="app_sign_out", icon=":material/logout:"):
        end_session()
        st.rerun()


# -- cached reads: keyed by database, account and arguments; cleared after every write -------


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def alliances(db: Data, who: Actor) -> pd.DataFrame:
    return _store(db.path).alliances(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def uploads(db: Data, who: Actor) -> pd.DataFrame:
    return _store(db.path).uploads(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def observations(
    db: Data, who: Actor, alliance: str | None = None, as_of: int | None = None
) -> pd.DataFrame:
    return _store(db.path).observations(who, alliance, as_of)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def indicators(db: Data, who: Actor) -> pd.DataFrame:
    return _store(db.path).indicators(who)


class Data(NamedTuple):
    """What cached reads are keyed by: the database and its data version, so that a write in
    any process (an import from the command line, another app process) is seen at the next
    rerun, not when a cache expires."""

    path: str
    version: tuple[int, ...]


def db() -> Data:
    """The database and its data version, read once per script run (a page asks many times)."""
    path = config.db_target()
    run = _this_run()
    known = st.session_state.get(VERSION_KEY)
    if run is None or known is None or known[0] is not run or known[1].path != path:
        known = (run, Data(path, _store(path).data_version()))
        st.session_state[VERSION_KEY] = known
    return known[1]


def data_changed() -> None:
    """Call after any write: every cached read may be stale, and so is this run's version."""
    st.session_state.pop(VERSION_KEY, None)
    alliances.clear()
    uploads.clear()
    observations.clear()
    indicators.clear()
    aggregated.clear()
    targets.clear()
    stakeholders.clear()
    alliance_observations.clear()
    last_updates.clear()
    portfolio.clear()
    completeness.clear()
    replications.clear()
    contracts.clear()
    peer_medians.clear()
    notes.clear()
    contract_rows.clear()
    rate_card_curve.clear()
    improvement_curve.clear()


class guard:
    """``with guard():`` shows a domain refusal as an error message instead of a traceback."""

    def __enter__(self) -> guard:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: object
    ) -> bool:
        from metrics.base.errors import MetricsError

        if isinstance(error, MetricsError):
            st.error(said(error))
            return True
        return False


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def aggregated(
    db: Data,
    who: Actor,
    alliance: str | None,
    granularity: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    level: str = "alliance",
    indicators: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    codes = list(indicators) if indicators is not None else None
    return _store(db.path).aggregated(who, alliance, granularity, start, end, level, codes)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def targets(db: Data, who: Actor, alliance: str | None = None) -> pd.DataFrame:
    return _store(db.path).targets(who, alliance)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def stakeholders(db: Data, who: Actor, alliance: str | None = None) -> pd.DataFrame:
    return _store(db.path).stakeholders(who, alliance)


ALLIANCE_KEY = "app_alliance"
GRANULARITIES = ("year", "quarter", "month")


def alliance_picker(page: str, preferred: list[str] | None = None) -> str | None:
    """The alliance to show, among those with values (one whose every upload was rolled back
    has nothing to show); the choice follows the user from page to page. Before any choice,
    the first of ``preferred`` (else of all)."""
    table = alliances(db(), actor())
    names = list(table.loc[table["observations"] > 0, "name"])
    if not names:
        st.info(tr("home.empty"))
        return None
    remembered = st.session_state.get(ALLIANCE_KEY)
    widget = f"{page}_alliance"
    if remembered in names:  # chosen on another page, or just imported
        st.session_state[widget] = remembered
    elif st.session_state.get(widget) not in names:
        st.session_state[widget] = next((n for n in preferred or [] if n in names), names[0])

    def remember() -> None:  # before the next run: the other pickers then follow
        st.session_state[ALLIANCE_KEY] = st.session_state[widget]

    chosen = st.selectbox(tr("filter.alliance"), names, key=widget, on_change=remember)
    st.session_state[ALLIANCE_KEY] = chosen
    return str(chosen)


def view_by_year(page: str) -> None:
    """A button's callback: ``period_filters``' granularity set to years."""
    st.session_state[wkey(f"{page}_granularity")] = "year"


def period_filters(page: str, alliance: str, default: str = "year") -> tuple[str, dt.date, dt.date]:
    """Granularity and year range widgets; returns (granularity, start, end)."""
    row = alliances(db(), actor()).set_index("name").loc[alliance]
    first = pd.Timestamp(row["first_period"]).year if pd.notna(row["first_period"]) else None
    last = pd.Timestamp(row["last_period"]).year if pd.notna(row["last_period"]) else None
    left, right = st.columns([2, 1])
    # Labels are computed now: a format function must not read the session later on.
    names = {g: tr(f"granularity.{g}") for g in GRANULARITIES}
    with right:
        granularity = (
            st.segmented_control(
                tr("filter.granularity"),
                GRANULARITIES,
                default=default,
                format_func=names.__getitem__,
                key=wkey(f"{page}_granularity"),
            )
            or default
        )
    if first is None or last is None:
        return str(granularity), dt.date(1900, 1, 1), dt.date(2100, 12, 31)
    years = list(range(first, last + 1))
    with left:
        if len(years) > 1:
            start, end = st.select_slider(
                tr("filter.years"), options=years, value=(years[0], years[-1]), key=f"{page}_years"
            )
        else:
            start = end = years[0]
    return str(granularity), dt.date(int(start), 1, 1), dt.date(int(end), 12, 31)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def alliance_observations(db: Data, who: Actor, alliance: str) -> pd.DataFrame:
    return _store(db.path).observations(who, alliance)


def indicator_labels() -> dict[str, str]:
    """Indicator code -> its label in the session's language."""
    frame = indicators(db(), actor())
    return dict(zip(frame["code"], frame[f"label_{lang()}"]))


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def notes(db: Data, who: Actor, alliance: str) -> pd.DataFrame:
    return _store(db.path).notes(who, alliance)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def last_updates(db: Data, who: Actor) -> pd.Series:
    return _store(db.path).last_updates(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def dimension_scores(db: Data, who: Actor) -> pd.DataFrame:
    """Yearly dimension scores of every alliance (``Store.dimension_scores``)."""
    return _store(db.path).dimension_scores(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def reported(db: Data, who: Actor) -> pd.DataFrame:
    """Which indicators each alliance has yearly values of (``Store.reported``)."""
    return _store(db.path).reported(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def completeness(db: Data, who: Actor) -> pd.DataFrame:
    """Completeness by year of every alliance (``Store.completeness_by_year``)."""
    return _store(db.path).completeness_by_year(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def portfolio(db: Data, who: Actor, year: int) -> pd.DataFrame:
    """The portfolio table (``compare.portfolio``, one row per alliance): computed once per data
    version, not at every filter change."""
    return compare.portfolio(
        dimension_scores(db, who),
        completeness(db, who),
        alliances(db, who),
        last_updates(db, who),
        year,
    )


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def pack_files(db: Data, who: Actor, alliance: str, year: int, lang: str) -> dict[str, bytes]:
    """The steering committee's pack as PDF and slides (``pack.build_all``), once per data
    version (a note is a new version)."""
    return pack.build_all(_store(db.path), who, alliance, year, lang)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def portfolio_pdf(db: Data, who: Actor, names: tuple[str, ...], lang: str) -> bytes:
    """The funders' one-pager of the alliances ``names`` (the portfolio page's rows)."""
    table = portfolio(db, who, dt.date.today().year)
    shown = table[table["alliance"].isin(names)]
    return pack.portfolio_pdf(shown, None, lang, dt.date.today())


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def replications(db: Data, who: Actor, alliance: str | None = None) -> pd.DataFrame:
    return _store(db.path).replications(who, alliance)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def contracts(db: Data, who: Actor) -> pd.DataFrame:
    return _store(db.path).contracts(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def rate_card_curve(
    db: Data,
    who: Actor,
    contract: str,
    factors: tuple[float, ...],
    _terms: outcomes.Terms,
    _card: finance.RateCard,
) -> pd.DataFrame:
    """``finance.sensitivity`` of a rate-card contract (a quarter of a second for 41
    scenarios), once per data version, not at each move of the what-if slider; ``_terms``
    and ``_card`` are those of ``contract`` (not part of the key)."""
    return finance.sensitivity(_terms, _card, list(factors))


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def improvement_curve(
    db: Data,
    who: Actor,
    contract: str,
    gains: tuple[float, ...],
    _terms: outcomes.Terms,
    _cohorts: dict[str, float],
    _results: pd.DataFrame,
    _draws: list[outcomes.Draw],
) -> pd.DataFrame:
    """``finance.improvement_sensitivity`` of a contract paid on one improvement, once per
    data version, the IRR at every fifth gain (each runs the tranches: 3 ms); the arguments
    after ``gains`` are those of ``contract`` (not part of the key)."""
    return finance.improvement_sensitivity(_terms, _cohorts, _results, _draws, list(gains), every=5)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def contract_rows(db: Data, who: Actor) -> dict[str, pd.DataFrame]:
    """The contracts' rate cards, payers, investments and payments (``Store.contract_rows``)."""
    return _store(db.path).contract_sheets(who)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def peer_medians(db: Data, who: Actor, alliance: str, codes: tuple[str, ...]) -> pd.DataFrame:
    return _store(db.path).peer_medians(who, alliance, list(codes))
