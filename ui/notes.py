"""The steering committee's notes and decisions on the dashboard: the list (with each note's
versions), the form to write one, and the author's edit and withdrawal. The rules (who writes,
who edits, what is kept) are the store's."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from metrics.base import limits
from metrics.base.errors import MetricsError
from metrics.base.periods import from_canonical
from metrics.presentation import formatting
from metrics.storage.notes import KINDS
from ui import database, language, markdown, reads, session, widgets
from ui.language import tr, tr_plain

SHOWN = 10  # notes listed before "show all"


def section(alliance: str, periods: list[str], indicators: list[str]) -> None:
    """``periods``: the view's periods (canonical), offered for a new note; ``indicators``:
    the codes offered (the alliance's)."""
    who, lang = session.actor(), language.lang()
    st.subheader(tr("notes.title"))
    notes = reads.notes(database.db(), who.scope, alliance)
    may_write = who.may("note", alliance)
    st.caption(tr("notes.help" if may_write else "notes.help_read"))
    message = st.session_state.pop("notes_message", None)
    if message:
        st.success(message)
    if may_write:
        with st.expander(tr("notes.add"), icon=":material/edit_note:"):
            _add_form(alliance, periods, indicators)
    if notes.empty:
        st.info(tr("notes.none"))
        return
    labels = reads.indicator_labels()
    shown = notes
    if len(notes) > SHOWN and not st.toggle(
        tr("notes.all", count=len(notes)), key=f"notes_all_{alliance}"
    ):
        shown = notes.head(SHOWN)
    for row in widgets.rows(shown):
        _note(row, labels, lang, mine=may_write and row["author"] == who.email)


def _period_label(period: Any, lang: str) -> str:
    return formatting.period_label(from_canonical(str(period)), lang)


def _add_form(alliance: str, periods: list[str], indicators: list[str]) -> None:
    lang = language.lang()
    labels = reads.indicator_labels()
    kinds = {k: tr_plain(f"notes.kind.{k}") for k in KINDS}
    with st.form("notes_add", clear_on_submit=True, border=False):
        kind = st.segmented_control(
            tr("notes.kind"), KINDS, default="note", format_func=kinds.__getitem__
        )
        left, right = st.columns(2)
        whole = tr_plain("notes.whole_alliance")
        indicator = left.selectbox(
            tr("notes.indicator"),
            [None, *sorted(indicators, key=lambda c: labels.get(c, c))],
            format_func=lambda c: whole if c is None else labels.get(c, c),
        )
        no_period = tr_plain("notes.no_period")
        period = right.selectbox(
            tr("notes.period"),
            [None, *reversed(periods)],
            format_func=lambda p: no_period if p is None else _period_label(p, lang),
        )
        body = st.text_area(tr("notes.body"), max_chars=limits.MAX_NOTE, key="notes_add_body")
        if st.form_submit_button(tr("notes.save"), type="primary"):
            try:
                number = database.store().add_note(
                    session.actor(), alliance, kind or "note", body, indicator, period
                )
            except MetricsError as error:
                st.error(language.said(error))
                return
            _changed(tr("notes.saved", note=number))


def _note(row: dict[str, Any], labels: dict[str, str], lang: str, mine: bool) -> None:
    about = [tr(f"notes.kind.{row['kind']}")]
    if isinstance(row["indicator"], str):
        about.append(markdown.md(labels.get(row["indicator"], row["indicator"])))
    if isinstance(row["period"], str):
        about.append(_period_label(row["period"], lang))
    icon = ":material/gavel:" if row["kind"] == "decision" else ":material/sticky_note_2:"
    with st.container(border=True):
        st.markdown(f"{icon} **{' · '.join(about)}**")
        st.markdown("  \n".join(markdown.md(line) for line in str(row["body"]).splitlines()))
        written = tr(
            "notes.written",
            author=row["author_name"],
            date=formatting.timestamp(row["created_at"], lang),
            note=int(row["id"]),
        )
        if int(row["versions"]) > 1:
            written += " · " + tr(
                "notes.edited",
                date=formatting.timestamp(row["edited_at"], lang),
                count=int(row["versions"]),
            )
        st.caption(written)
        number = int(row["id"])
        if int(row["versions"]) > 1 and st.toggle(
            tr("notes.history"), key=f"notes_history_{number}"
        ):
            _history(number, lang)
        if mine:
            _edit(row, lang)


def _history(number: int, lang: str) -> None:
    history = database.store().note_history(session.actor(), number)
    table = pd.DataFrame(
        {
            tr_plain("notes.col.version"): history["version"],
            tr_plain("notes.col.when"): [
                formatting.timestamp(w, lang) for w in history["written_at"]
            ],
            tr_plain("notes.col.who"): history["written_by_name"],
            tr_plain("notes.col.kind"): [tr_plain(f"notes.kind.{k}") for k in history["kind"]],
            tr_plain("notes.col.body"): [
                tr_plain("notes.withdrawn") if w else b
                for w, b in zip(history["withdrawn"], history["body"])
            ],
        }
    )
    widgets.dataframe(table)


def _edit(row: dict[str, Any], lang: str) -> None:
    number = int(row["id"])
    kinds = {k: tr_plain(f"notes.kind.{k}") for k in KINDS}
    with st.popover(tr("notes.edit"), icon=":material/edit:"):
        with st.form(f"notes_edit_{number}", border=False):
            kind = st.segmented_control(
                tr("notes.kind"), KINDS, default=row["kind"], format_func=kinds.__getitem__
            )
            body = st.text_area(
                tr("notes.body"),
                value=row["body"],
                max_chars=limits.MAX_NOTE,
                key=f"notes_edit_body_{number}_{row['versions']}",  # each version anew
            )
            if st.form_submit_button(tr("notes.save_edit"), type="primary"):
                try:
                    database.store().edit_note(session.actor(), number, kind or row["kind"], body)
                except MetricsError as error:
                    st.error(language.said(error))
                    return
                _changed(tr("notes.edit_saved", note=number))
        st.divider()
        sure = st.checkbox(tr("notes.withdraw_confirm"), key=f"notes_withdraw_sure_{number}")
        if st.button(tr("notes.withdraw"), disabled=not sure, key=f"notes_withdraw_{number}"):
            try:
                database.store().withdraw_note(session.actor(), number)
            except MetricsError as error:
                st.error(language.said(error))
                return
            _changed(tr("notes.withdrawn_done", note=number))


def _changed(message: str) -> None:
    reads.data_changed()
    st.session_state["notes_message"] = message
    st.rerun()
