"""Audit log (admins): who signed in, imported, validated, rolled back, exported, changed rights."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

from metrics.base import clock
from metrics.base.access import ACTIONS
from metrics.presentation import formatting, i18n
from metrics.sheets import workbook
from ui import database, language, session, widgets
from ui.language import tr

lang = language.lang()
st.title(tr("audit.title"))
st.markdown(tr("audit.intro"))


def details_text(raw: str) -> str:
    """``{"role": "editor", "on": "A"}`` -> ``role: editor, on: A``; a refusal's reason,
    recorded as its catalogue key and parameters, in the reader's language."""
    try:
        details = json.loads(raw or "{}")
    except ValueError:
        return raw
    reason = details.get("reason") if isinstance(details, dict) else None
    if isinstance(reason, str) and i18n.known(reason):
        params = {k: v for k, v in details.items() if k != "reason"}
        return i18n.t(reason, lang, **params)
    return ", ".join(
        f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else '—' if v is None else v}"
        for k, v in details.items()
    )


with widgets.guard():
    who = session.actor()
    store = database.store()
    left, middle, right = st.columns([1, 2, 2])
    since = left.date_input(
        tr("audit.since"),
        value=clock.today() - dt.timedelta(days=30),
        format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD",
        key="audit_since",
    )
    start = formatting.day_start(since) if isinstance(since, dt.date) else None
    log = store.audit(who, start)
    labels = {a: tr(f"action.{a}") for a in ACTIONS}
    actions = middle.multiselect(
        tr("audit.actions"),
        [a for a in ACTIONS if a in set(log["action"])],
        format_func=labels.__getitem__,
        placeholder=tr("portfolio.all"),
        key=language.wkey("audit_actions"),
    )
    account = right.text_input(tr("audit.account"), key="audit_account")
    if actions:
        log = log[log["action"].isin(actions)]
    if account.strip():
        log = log[log["account"].str.contains(account.strip(), case=False, regex=False)]
    log = log.sort_values("id", ascending=False)
    table = pd.DataFrame(
        {
            tr("audit.col.time"): log["time"].map(lambda v: formatting.timestamp(v, lang, True)),
            tr("audit.col.account"): log["account"],
            tr("audit.col.action"): log["action"].map(lambda a: labels.get(a, a)),
            tr("audit.col.object"): log["object"],
            tr("audit.col.outcome"): log["outcome"].map(lambda o: tr(f"audit.outcome.{o}")),
            tr("audit.col.details"): log["details"].map(details_text),
        }
    )
    st.caption(tr("audit.count", count=formatting.number(len(table), lang)))
    if table.empty:  # no empty table: what would bring lines back
        st.info(tr("audit.no_match"), icon=":material/filter_alt_off:")
        st.stop()
    widths = {
        tr("audit.col.time"): st.column_config.TextColumn(width=190),
        tr("audit.col.account"): st.column_config.TextColumn(width=180),
        tr("audit.col.action"): st.column_config.TextColumn(width=150),
        tr("audit.col.object"): st.column_config.TextColumn(width=180),
        tr("audit.col.outcome"): st.column_config.TextColumn(width=80),
        tr("audit.col.details"): st.column_config.TextColumn(width="large"),
    }
    widgets.dataframe(table, column_config=widths)
    stem = "journal" if lang == "fr" else "audit_log"
    widgets.download_button(
        tr("audit.csv"),
        # (a file's times: ISO 8601 with the zone's offset, for any program that reads it)
        workbook.to_csv(
            table.assign(**{tr("audit.col.time"): log["time"].map(formatting.instant)}), lang
        ),
        {"rows": len(table), "since": since, "actions": actions, "account": account.strip()},
        file_name=f"{stem}_{clock.today().isoformat()}.csv",
        mime="text/csv",
        key="audit_csv",
        action="audit_export",
    )
