"""The one store of the app's process, and what cached reads are keyed by: the database and its
data version, read once per script run."""

from __future__ import annotations

import threading
from typing import NamedTuple

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from metrics.base import config
from metrics.storage.store import Store
from metrics.usecases import auth
from ui.language import tr

VERSION_KEY = "app_data_version"  # (the script run it was read in, Data)


def _waiting() -> None:
    """Said while a run waits for another process (an import from the command line) to let
    go of the database file."""
    if get_script_run_ctx() is not None:  # a page's run, not a thread of its own
        st.toast(tr("app.waiting_db"), icon=":material/hourglass_top:")


_STORES: dict[str, Store] = {}
_OPENING = threading.Lock()


def store_at(path: str) -> Store:
    """The process-wide store of the database at ``path``, opened once, by the first run that
    needs it (the others wait for it).

    Not one of Streamlit's cached resources: opening may wait for another process to let go
    of the file and say so (``_waiting``), and a cached function replays what it showed at
    every later call, which a notice cannot be (the process would fail at every run until
    restarted). An open that gives up (the file still held) keeps nothing: the next run tries
    again.
    """
    with _OPENING:
        found = _STORES.get(path)
        if found is None:
            # The file let go a second after the last run: a burst of reruns keeps DuckDB's
            # cache warm, and a command waiting for the file gets it as soon as pages are idle.
            found = Store(path, waiting=_waiting, linger=1.0)
            # A database nobody has used yet becomes the demo; a real install (``init``)
            # never does.
            if found.is_empty() and found.setting(auth.INSTALLATION) is None:
                auth.seed_demo(found)
            _STORES[path] = found
        return found


def store() -> Store:
    """The process-wide store for the configured database (the demo on a first start)."""
    return store_at(config.db_target())


def this_run() -> object:
    """An object that stands for the current script run (app.py and its page share it)."""
    ctx = get_script_run_ctx()
    return ctx.cursors if ctx is not None else None


class Data(NamedTuple):
    """What cached reads are keyed by: the database and its data version, so that a write in
    any process (an import from the command line, another app process) is seen at the next
    rerun, not when a cache expires."""

    path: str
    version: tuple[int, ...]

    @property
    def store(self) -> Store:
        """The store of this database (a cached read's door to it)."""
        return store_at(self.path)


def db() -> Data:
    """The database and its data version, read once per script run (a page asks many times)."""
    path = config.db_target()
    run = this_run()
    known = st.session_state.get(VERSION_KEY)
    if run is None or known is None or known[0] is not run or known[1].path != path:
        known = (run, Data(path, store_at(path).data_version()))
        st.session_state[VERSION_KEY] = known
    data: Data = known[1]
    return data
