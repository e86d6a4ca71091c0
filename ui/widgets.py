"""Streamlit's elements as the pages use them: tables with every text escaped, downloads
written to the audit log, refusals shown as messages, the uploader's words in French."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from metrics.base.access import Actor
from metrics.base.errors import MetricsError, StoreError
from metrics.presentation.i18n import t
from metrics.storage import backend
from metrics.storage.store import Store
from ui.database import store
from ui.language import lang, said
from ui.markdown import md
from ui.session import actor

# Set while a run that met a lost connection to the shared backend runs once more.
RUN_AGAIN = "app_lost_connection_rerun"


class guard:
    """``with guard():`` shows a domain refusal as an error message instead of a traceback. A
    run that lost its connection to a shared backend's catalog (PostgreSQL restarted) runs
    once more, its next opening reconnecting; a second loss in a row is said."""

    def __enter__(self) -> guard:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: object
    ) -> bool:
        if error is None:
            st.session_state.pop(RUN_AGAIN, None)
        if backend.lost(error):
            if not st.session_state.pop(RUN_AGAIN, False):
                st.session_state[RUN_AGAIN] = True
                st.rerun()
            error = StoreError.of("err.db_lost")
        if isinstance(error, MetricsError):
            st.error(said(error))
            return True
        return False


# The media type of the workbooks the pages offer (the template, exports).
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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

    Bytes given: the line is written by the click's callback, at the start of the rerun the
    click asks for. A file made on the click (``data`` a callable): the line is written once
    the file is made, and the click asks for no rerun. Streamlit makes such a file apart from
    the page's runs, and a rerun revokes the file the button offered before it: on a busy
    server, a click's own rerun could come first and the browser would wait for nothing."""
    details = what | {"format": Path(file_name).suffix.lstrip(".").lower()}
    logged = (store(), actor(), action, file_name, details)
    if not callable(data):
        return st.download_button(
            label, data, file_name=file_name, key=key, on_click=downloaded, args=logged, **options
        )

    def made() -> Any:
        file = data()
        downloaded(*logged)
        return file

    return st.download_button(
        label, made, file_name=file_name, key=key, on_click="ignore", **options
    )


def downloaded(
    store_: Store, who: Actor, action: str, file_name: str, details: dict[str, Any]
) -> None:
    """A download button's callback: the download written to the audit log."""
    store_.record(who, action, file_name, details)


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


def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows, each a dict by column name, as pages walk them."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
