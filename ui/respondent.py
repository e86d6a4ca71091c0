"""What the answering page knows of a respondent, who has no account: the link in the address,
the browser's own secret on the citizens' open link (kept in a cookie, so that a reload or a
later visit changes the same answer instead of adding one), and how many answers one client
address sends (``ANSWERS``: at most ``PER_HOUR`` an hour, counted in this process)."""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import deque
from typing import Any

import streamlit as st

from metrics.usecases.barometer import TOKEN_PARAMETER
from ui.session import client, set_cookie

SECRET_KEY = "survey_secret"
COOKIE_KEY = "survey_cookie_pending"
COOKIE_NAME = "impact_survey"
# The cookie outlives any wave: the secret opens nothing but this browser's own answers, and
# a close clears them of it (``metrics.storage.surveys``).
COOKIE_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
_SECRET = re.compile(r"[A-Za-z0-9_-]{32,64}")
LONGEST_TOKEN = 64  # a link's token is 22 characters; anything much longer is not one
PER_HOUR = 5


class Throttle:
    """At most ``most`` events per ``window`` seconds for each key (a client address), counted
    in this process; a key quiet for ``window`` is forgotten.

    >>> throttle = Throttle(2, 60.0)
    >>> [throttle.take("a", now) for now in (0.0, 1.0, 2.0, 61.0)]
    [0.0, 0.0, 58.0, 0.0]
    """

    def __init__(self, most: int, window: float) -> None:
        self.most = most
        self.window = window
        self._times: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Count one event of ``key`` if it is under the limit (``0.0``); else the seconds
        before it may have one more, and nothing counted."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._forget(now)
            times = self._times.setdefault(key, deque())
            if len(times) >= self.most:
                return times[0] + self.window - now
            times.append(now)
            return 0.0

    def _forget(self, now: float) -> None:
        for key in list(self._times):
            times = self._times[key]
            while times and now - times[0] >= self.window:
                times.popleft()
            if not times:
                del self._times[key]


ANSWERS = Throttle(PER_HOUR, 3600.0)


def token() -> str:
    """The link's token, from the address (empty when it has none, or not one)."""
    found = st.query_params.get(TOKEN_PARAMETER, "")
    return found.strip() if 0 < len(found) <= LONGEST_TOKEN else ""


def browser_secret() -> str:
    """This browser's own secret: the session's, else its cookie's, else a new one (which
    ``keep_cookie`` writes to the cookie)."""
    known = st.session_state.get(SECRET_KEY)
    if isinstance(known, str):
        return known
    try:
        cookie = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # no browser behind this run (tests, bare mode)
        cookie = None
    if isinstance(cookie, str) and _SECRET.fullmatch(cookie):
        known = cookie
    else:
        known = secrets.token_urlsafe(32)
        st.session_state[COOKIE_KEY] = known
    st.session_state[SECRET_KEY] = known
    return known


def keep_cookie() -> None:
    """Write a new secret to the browser's cookie, once, at the end of the page (the script
    that writes it takes a line's room)."""
    new = st.session_state.pop(COOKIE_KEY, None)
    if isinstance(new, str):
        set_cookie(COOKIE_NAME, new, COOKIE_AGE)


def secret(link: dict[str, Any], token: str) -> str:
    """What may change the answer of ``link``: a personal link's token; on the open link, this
    browser's secret for that wave (a browser answering two waves is not one ballot)."""
    if not link["open_link"]:
        return token
    return f"{link['wave']}:{browser_secret()}"


def wait_before_answer(link: dict[str, Any]) -> float:
    """Seconds this client must wait before its answer on the open link is taken (``0.0``:
    taken now, and counted); a personal link answers whenever."""
    return ANSWERS.take(client()) if link["open_link"] else 0.0
