"""Data: download the template, check and import a file, read the upload history, roll back."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from metrics.base import limits
from metrics.base.errors import ValidationError
from metrics.base.periods import from_canonical
from metrics.presentation import formatting
from metrics.sheets import isolation, workbook
from metrics.storage.store import Plan
from ui import database, language, pickers, reads, session, widgets
from ui.language import tr, tr_plain

WRAPPED_ROWS = 100
# Values shown of the data as it stood after an upload (the count says how many there were).
AS_OF_SHOWN = 5_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
lang = language.lang()
st.title(tr("data.title"))
st.markdown(tr("data.intro"))


def problems_table(plan_problems: list) -> pd.DataFrame:  # type: ignore[type-arg]
    return pd.DataFrame([p.as_row(lang) for p in plan_problems])


def clean(value: object) -> str:
    """A cell for display: empty for a missing value."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def period_text(canonical: str) -> str:
    """``T1 2023`` / ``Q1 2023``, ``mai 2023``, as the pages write periods (not ``2023-Q1``)."""
    try:
        return formatting.period_label(from_canonical(canonical), lang)
    except ValueError:
        return canonical


def diff_table(plan: Plan) -> pd.DataFrame:
    diff = plan.diff
    shown = diff[diff["change"] != "unchanged"].copy()
    # Indicators the file defines are named by their label too, before they are stored.
    names = reads.indicator_labels() | {
        str(r.values["indicator"]): str(r.values.get(f"label_{lang}") or r.values["indicator"])
        for r in plan.parsed.records.get("indicators", [])
        if r.values.get("indicator")
    }
    colon = " : " if lang == "fr" else ": "
    rows = []
    for row in shown.to_dict("records"):
        old = row.get("old_value") if row["kind"] == "observations" else row.get("old_target")
        new = row.get("value") if row["kind"] == "observations" else row.get("target")
        indicator = clean(row.get("indicator"))
        period = period_text(clean(row.get("period")) or clean(row.get("target_period")))
        rows.append(
            {
                tr("data.col.change"): tr(f"change.{row['change']}"),
                tr("data.col.kind"): tr(f"kind.{row['kind']}"),
                tr("data.col.alliance"): clean(row.get("alliance")),
                tr("data.col.indicator"): names.get(indicator, indicator),
                tr("data.col.period"): period,
                # A contract's rows (rate card, payers…) name their contract there.
                tr("data.col.stakeholder_or_contract"): clean(row.get("stakeholder")),
                tr("data.col.old"): formatting.number(old, lang) if pd.notna(old) else "",
                tr("data.col.new"): formatting.number(new, lang) if pd.notna(new) else "",
                tr("data.col.source"): f"{row.get('source_sheet')}{colon}{row.get('source_row')}",
            }
        )
    return pd.DataFrame(rows)


def observations_table(frame: pd.DataFrame) -> pd.DataFrame:
    names = reads.indicator_labels()
    table = pd.DataFrame(
        {
            tr("data.col.alliance"): frame["alliance"],
            tr("data.col.indicator"): frame["indicator"].map(lambda c: names.get(c, c)),
            tr("data.col.period"): frame["period"].map(
                {p: period_text(p) for p in frame["period"].unique()}
            ),
            tr("data.col.stakeholder"): frame["stakeholder"],
            tr("data.col.value"): frame["value"].map(lambda v: formatting.number(v, lang)),
            tr("data.col.upload"): frame["upload_id"],
        }
    )
    return table


def status_text(row: dict) -> str:  # type: ignore[type-arg]
    """Submitted, validated (when) or rolled back (when); by whom is ``decided_by``."""
    if row["status"] == "rolled_back":
        when = formatting.timestamp(row["rolled_back_at"], lang)
        return tr_plain("data.status.rolled_back", when=when)
    if row["status"] == "validated":
        when = formatting.timestamp(row["validated_at"], lang)
        return tr_plain("data.status.validated", when=when)
    return tr("status.submitted")


def decided_by(row: dict) -> str:  # type: ignore[type-arg]
    """Who validated or rolled back the upload (blank while it waits)."""
    if row["status"] == "rolled_back":
        return clean(row["rolled_back_by"])
    return clean(row["validated_by"]) if row["status"] == "validated" else ""


def file_label(row: dict) -> str:  # type: ignore[type-arg]
    """The file name, or why it is not shown (the file also holds other alliances' rows)."""
    return str(row["file_name"]) if row["others"] == 0 else tr("data.other_alliances")


def count(value: object) -> str:
    return "—" if value is None or pd.isna(value) else formatting.number(value, lang)


def uploads_table(frame: pd.DataFrame) -> pd.DataFrame:
    rows = frame.to_dict("records")
    return pd.DataFrame(
        {
            tr("data.col.upload"): frame["id"],
            tr("data.col.when"): frame["uploaded_at"].map(lambda v: formatting.timestamp(v, lang)),
            tr("data.col.file"): [file_label(r) for r in rows],
            tr("data.col.status"): [status_text(r) for r in rows],
            tr("data.col.who"): frame["uploaded_by"],
            tr("data.col.decided_by"): [decided_by(r) for r in rows],
            tr("data.count.added"): [count(r["added"]) for r in rows],
            tr("data.count.changed"): [count(r["changed"]) for r in rows],
            tr("data.count.unchanged"): [count(r["unchanged"]) for r in rows],
            tr("data.col.missing"): [count(r["missing"]) for r in rows],
            tr("data.col.alliances"): [", ".join(r["alliances"]) for r in rows],
        }
    )


def history_columns() -> dict[str, object]:
    """Widths that keep the status in view on a laptop screen; long lists come last."""
    small = st.column_config.TextColumn(width="small")
    return {
        tr("data.col.upload"): st.column_config.NumberColumn(width="small"),
        tr("data.col.status"): st.column_config.TextColumn(width=215),
        **{
            tr(k): small for k in ("data.count.added", "data.count.changed", "data.count.unchanged")
        },
        tr("data.col.alliances"): st.column_config.TextColumn(width="large"),
    }


def writable_text() -> str:
    """The alliances the account may import into, for the upload section's caption."""
    return tr("data.all_alliances") if who.admin else ", ".join(who.writable())


def check(content: bytes, name: str, state: tuple[int, int]) -> Plan:
    """Check the file once per content, language and state of the data."""
    cache_key = (hashlib.sha256(content).hexdigest(), name, lang, state, who)
    cached = st.session_state.get("data_plan")
    if cached and cached[0] == cache_key:
        return cached[1]  # type: ignore[no-any-return]
    bar = st.progress(0.0, text=tr("progress.reading"))

    def progress(fraction: float, stage: str) -> None:
        bar.progress(min(1.0, fraction), text=tr(stage))

    try:
        plan = database.store().check(content, name, who, lang, progress)
    finally:
        bar.empty()
    st.session_state["data_plan"] = (cache_key, plan)
    return plan


def show_plan(plan: Plan, content: bytes, name: str) -> None:
    parsed = plan.parsed
    if not plan.ok:
        st.error(tr("err.refused", count=len(parsed.problems)))
        problems = problems_table(parsed.problems)
        if len(problems) <= WRAPPED_ROWS:
            # A static table wraps long reasons instead of cutting them.
            widgets.table(problems.set_index(problems.columns[0]))
        else:
            st.caption(tr("data.problems_many", count=WRAPPED_ROWS))
            widgets.dataframe(problems)
        widgets.download_button(
            tr("data.problems_download"),
            workbook.to_csv(problems),
            {"kind": "problems", "file": name, "rows": len(problems)},
            file_name="problemes.csv" if lang == "fr" else "problems.csv",
            mime="text/csv",
            key="data_problems_download",
        )
        return
    read = ", ".join(f"{sheet} ({tr(f'kind.{kind}')})" for sheet, kind in parsed.sheets_read)
    st.caption(tr("data.sheets_read", sheets=read))
    if parsed.sheets_ignored:
        st.caption(tr("data.sheets_ignored", sheets=", ".join(parsed.sheets_ignored)))
    counts = plan.counts
    columns = st.columns(4)
    columns[0].metric(tr("data.count.added"), formatting.number(counts["added"], lang))
    columns[1].metric(tr("data.count.changed"), formatting.number(counts["changed"], lang))
    columns[2].metric(tr("data.count.unchanged"), formatting.number(counts["unchanged"], lang))
    columns[3].metric(tr("data.col.missing"), formatting.number(len(parsed.missing), lang))
    if parsed.missing:
        with st.expander(tr("data.missing_list", count=len(parsed.missing))):
            widgets.dataframe(
                pd.DataFrame(
                    parsed.missing,
                    columns=[tr("col.sheet"), tr("col.row"), tr("col.column"), tr("col.value")],
                ),
            )
    if not plan.writes:
        st.info(tr("data.nothing_new"))
        return
    st.markdown(tr("data.dry_run_intro"))
    widgets.dataframe(diff_table(plan))
    if plan.not_shown:
        st.caption(tr("data.not_shown", count=formatting.number(plan.not_shown, lang)))
    if st.button(tr("data.confirm"), type="primary", key="data_confirm"):
        try:
            result = database.store().import_file(content, name, who, lang)
        except ValidationError as e:
            st.error(language.said(e))
            return
        st.session_state[pickers.ALLIANCE_KEY] = (result.plan.alliances or [None])[0]
        reads.data_changed()
        st.session_state.pop("data_plan", None)
        st.session_state["data_message"] = result.summary(lang)
        st.rerun()


def history_section(history: pd.DataFrame) -> None:
    """The uploads the account may list; for the chosen one, its file, the data as it stood
    right after it, and (by role) validation and rollback."""
    widgets.dataframe(uploads_table(history), column_config=history_columns())
    records = {int(r["id"]): r for r in history.to_dict("records")}
    choices = {
        i: tr_plain(
            "data.pick_label",
            upload=i,
            file=file_label(r),
            when=formatting.timestamp(r["uploaded_at"], lang),
        )
        for i, r in records.items()
    }
    # The key changes with each new upload, so the choice resets to the newest one.
    picked = st.selectbox(
        tr("data.pick"),
        list(records),
        key=language.wkey(f"data_history_pick_{len(history)}"),
        format_func=choices.__getitem__,
    )
    if picked is None:
        return
    picked = int(picked)
    row = records[picked]
    alliances = list(row["alliances"])
    whole = row["others"] == 0
    if whole and who.may_all("download", alliances):
        # Read (and written to the audit log) only when the button is clicked.
        st.download_button(
            tr("data.original"),
            lambda: store.upload_file(picked, who, lang)[1],
            file_name=str(row["file_name"]),
            key="data_history_download",
            on_click="ignore",
        )
    elif not whole:
        st.caption(tr("data.original_hidden"))
    # Read from the whole history, so only when asked (an expander's content runs anyway).
    if st.toggle(tr("data.as_of", upload=picked), key=f"data_as_of_{picked}"):
        as_of = reads.observations(database.db(), who, None, picked)
        count = formatting.number(len(as_of), lang)
        if len(as_of) > AS_OF_SHOWN:
            shown = formatting.number(AS_OF_SHOWN, lang)
            st.caption(tr("data.as_of_first", count=count, shown=shown))
        else:
            st.caption(tr("data.as_of_help", count=count))
        table = observations_table(as_of.head(AS_OF_SHOWN))
        widgets.dataframe(table)
    if row["status"] == "submitted" and whole and who.may_all("validate", alliances):
        st.markdown(tr("data.validate_help"))
        if st.button(tr("data.validate", upload=picked), key="data_validate", type="primary"):
            st.session_state["data_message"] = store.validate(picked, who, lang)
            reads.data_changed()
            st.rerun()
    if row["status"] != "rolled_back" and whole and who.may_all("rollback", alliances):
        st.markdown(tr("data.rollback_help"))
        sure = st.checkbox(tr("data.rollback_confirm", upload=picked), key="data_rollback_confirm")
        if st.button(tr("data.rollback", upload=picked), disabled=not sure, key="data_rollback"):
            done = store.rollback(picked, who, lang)
            reads.data_changed()
            st.session_state["data_message"] = done
            st.session_state.pop("data_rollback_confirm", None)
            st.rerun()


with widgets.guard():
    who = session.actor()
    store = database.store()
    history = reads.uploads(database.db(), who)
    state = (len(history), int((history["status"] != "submitted").sum()))

    message = st.session_state.pop("data_message", None)
    if message:
        st.success(message)

    st.subheader(tr("data.template"))
    st.markdown(tr("data.template_help"))
    widgets.download_button(
        tr("data.template_button"),
        workbook.template(lang),
        {"kind": "template"},
        file_name=tr("data.template_file"),
        mime=XLSX,
        key="data_template",
    )

    st.subheader(tr("data.upload"))
    if not who.uploads_somewhere:
        st.info(tr("data.read_only"))
    else:
        st.caption(tr("data.uploading_as", who=who.email, alliances=writable_text()))
        widgets.uploader_in_french()
        upload = st.file_uploader(
            tr("data.file"),
            type=["csv", "txt", "xlsx", "xls", "ods"],
            key="data_upload",
            help=tr("data.file_help"),
            max_upload_size=limits.MAX_FILE_MB,
        )
        isolation.warm()  # a worker ready to read the file the user is about to choose
        st.caption(
            tr(
                "data.limits",
                size=limits.MAX_FILE_MB,
                sheets=limits.MAX_SHEETS,
                rows=formatting.number(limits.MAX_ROWS, lang),
                columns=limits.MAX_COLUMNS,
                cell=formatting.number(limits.MAX_CELL, lang),
            )
        )
        if upload is not None:
            content = upload.getvalue()
            with widgets.guard():
                plan = check(content, upload.name, state)
                show_plan(plan, content, upload.name)

    st.subheader(tr("data.history"))
    if history.empty:
        st.info(tr("data.no_history"))
    else:
        history_section(history)
