"""A client that speaks Streamlit's WebSocket protocol as the browser does, for the load
benchmark (``bench_load.py``): each ``Tab`` is one browser tab of one signed-in person.

The browser's own messages: on a page's first visit and at every click, a ``BackMsg`` with
``rerun_script`` (the page's address and the state of every widget the tab shows, the changed one
included); the server answers with ``ForwardMsg``s (the page's elements as deltas) until
``script_finished``. The session is the app's own cookie (``impact_session``), as a browser
sends it with the WebSocket's handshake.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

COOKIE = "impact_session"
# script_finished's values (ForwardMsg.ScriptFinishedStatus): a rerun asked for during the run
# (a callback, st.rerun) is followed by another run, which the browser waits for too.
FINISHED_RERUN = 2
FINISHED_WITH_COMPILE_ERROR = 1


@dataclass
class Run:
    """What one run sent back: how long it took, its elements by kind, its widgets, the
    exceptions and notices it showed."""

    seconds: float
    elements: Counter[str] = field(default_factory=Counter)
    widgets: dict[str, WidgetState] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False

    @property
    def charts(self) -> int:
        return self.elements["plotly_chart"]

    @property
    def failed(self) -> bool:
        return bool(self.exceptions) or self.page_not_found


def element_kind(msg: ForwardMsg) -> str | None:
    """The kind of element a delta adds (``plotly_chart``, ``button_group``…), or a block's."""
    delta = msg.delta
    which = delta.WhichOneof("type")
    if which == "new_element":
        return str(delta.new_element.WhichOneof("type"))
    if which == "add_block":
        return f"block:{delta.add_block.WhichOneof('type')}"
    return None


def widget_of(msg: ForwardMsg) -> tuple[str, Any] | None:
    """(id, proto) of the widget a delta adds, if it is one (its proto has an ``id``)."""
    if msg.delta.WhichOneof("type") != "new_element":
        return None
    element = msg.delta.new_element
    proto = getattr(element, str(element.WhichOneof("type")))
    widget_id = getattr(proto, "id", "")
    return (widget_id, proto) if isinstance(widget_id, str) and widget_id else None


class Tab:
    """One browser tab of one signed-in person (their session's token), on the app at
    ``base`` (``http://host:port``)."""

    def __init__(self, base: str, token: str, timeout: float = 300.0) -> None:
        self.base = base
        self.timeout = timeout
        self.socket: ClientConnection = connect(
            base.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers={"Cookie": f"{COOKIE}={token}", "Origin": base},
            max_size=None,
            open_timeout=timeout,
            compression=None,
        )
        self.address = ""
        self.shown: dict[str, Any] = {}  # the widgets the page shows, by id
        self.states: dict[str, WidgetState] = {}  # what the person changed on this page

    def close(self) -> None:
        self.socket.close()

    def open(self, address: str) -> Run:
        """A visit to the page at ``address`` (``""``: home), as a click in the menu."""
        self.address = address
        self.shown, self.states = {}, {}
        return self._rerun({})

    def click(self, key: str, state: WidgetState) -> Run:
        """A change of the widget whose key ends with ``key`` (the page's own key: its
        element id carries it) to ``state``; the other widgets keep theirs."""
        found = [wid for wid in self.shown if wid.endswith(key)]
        if len(found) != 1:
            raise LookupError(f"{key!r}: {found or 'no such widget'} on /{self.address}")
        state.id = found[0]
        return self._rerun({found[0]: state})

    def widget(self, key: str) -> Any:
        """The proto of the widget whose key ends with ``key`` on the page shown."""
        return next(proto for wid, proto in self.shown.items() if wid.endswith(key))

    def _rerun(self, changed: dict[str, WidgetState]) -> Run:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = ""
        rerun.page_script_hash = ""
        rerun.page_name = self.address
        rerun.context_info.timezone = "Europe/Paris"
        rerun.context_info.locale = "fr-FR"
        rerun.context_info.url = f"{self.base}/{self.address}"
        self.states.update(changed)
        for wid, state in self.states.items():
            if state.WhichOneof("value") == "trigger_value" and wid not in changed:
                continue  # a button is pressed only in the run its click starts
            rerun.widget_states.widgets.append(state)
        start = time.perf_counter()
        self.socket.send(msg.SerializeToString())
        run = self._answer(start)
        self.shown = run.widgets
        return run

    def _answer(self, start: float) -> Run:
        run = Run(0.0)
        while True:
            raw = self.socket.recv(timeout=self.timeout)
            msg = ForwardMsg()
            msg.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            which = msg.WhichOneof("type")
            if which == "delta":
                kind = element_kind(msg)
                if kind is not None:
                    run.elements[kind] += 1
                if kind == "exception":
                    run.exceptions.append(msg.delta.new_element.exception.message)
                widget = widget_of(msg)
                if widget is not None:
                    run.widgets[widget[0]] = widget[1]
            elif which == "page_not_found":
                run.page_not_found = True
            elif which == "script_finished":
                if msg.script_finished == FINISHED_RERUN:
                    continue  # another run follows at once
                run.seconds = time.perf_counter() - start
                return run
