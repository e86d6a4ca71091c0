"""Data: download the template, check and import a file, read the upload history, roll back."""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from metrics.base import limits
from metrics.base.access import Actor
from metrics.base.errors import ValidationError
from metrics.base.periods import from_canonical
from metrics.presentation import flags, formatting
from metrics.presentation.problems import as_row
from metrics.presentation.summaries import import_summary
from metrics.sheets import isolation, workbook
from metrics.sheets.problem import Problem
from metrics.storage.store import Plan, Store
from metrics.usecases import plausibility
from ui import barometer, database, language, pickers, public, reads, session, views, widgets
from ui.language import tr, tr_plain

WRAPPED_ROWS = 100
# Values shown of the data as it stood after an upload (the count says how many there were).
AS_OF_SHOWN = 5_000


# -- tables --------------------------------------------------------------------------------


def problems_table(problems: list[Problem], lang: str) -> pd.DataFrame:
    return pd.DataFrame([as_row(p, lang) for p in problems])


def clean(value: Any) -> str:
    """A cell for display: empty for a missing value."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def period_text(canonical: str, lang: str) -> str:
    """``T1 2023`` / ``Q1 2023``, ``mai 2023``, as the pages write periods (not ``2023-Q1``)."""
    try:
        return formatting.period_label(from_canonical(canonical), lang)
    except ValueError:
        return canonical


def number(value: Any, lang: str) -> str:
    """A value of the dry run, blank when missing."""
    return formatting.number(value, lang) if pd.notna(value) else ""


def diff_row(row: dict[str, Any], names: dict[str, str], lang: str) -> dict[str, str]:
    """One change of the dry run, as the user reads it."""
    observation = row["kind"] == "observations"
    old = row.get("old_value") if observation else row.get("old_target")
    new = row.get("value") if observation else row.get("target")
    indicator = clean(row.get("indicator"))
    return {
        tr("data.col.change"): tr(f"change.{row['change']}"),
        tr("data.col.kind"): tr(f"kind.{row['kind']}"),
        tr("data.col.alliance"): clean(row.get("alliance")),
        tr("data.col.indicator"): names.get(indicator, indicator),
        tr("data.col.period"): period_text(
            clean(row.get("period")) or clean(row.get("target_period")), lang
        ),
        # A contract's rows (rate card, payers…) name their contract there.
        tr("data.col.stakeholder_or_contract"): clean(row.get("stakeholder")),
        tr("data.col.old"): number(old, lang),
        tr("data.col.new"): number(new, lang),
        tr("data.col.source"): formatting.colon(lang).join(
            (str(row.get("source_sheet")), str(row.get("source_row")))
        ),
    }


def diff_table(plan: Plan, lang: str) -> pd.DataFrame:
    diff = plan.diff
    shown = diff[diff["change"] != "unchanged"]
    # Indicators the file defines are named by their label too, before they are stored.
    names = reads.indicator_labels() | {
        str(r.values["indicator"]): str(r.values.get(f"label_{lang}") or r.values["indicator"])
        for r in plan.parsed.records.get("indicators", [])
        if r.values.get("indicator")
    }
    rows = [diff_row(row, names, lang) for row in widgets.rows(shown)]
    return pd.DataFrame(rows)


def observations_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    names = reads.indicator_labels()
    return pd.DataFrame(
        {
            tr("data.col.alliance"): frame["alliance"],
            tr("data.col.indicator"): frame["indicator"].map(lambda c: names.get(c, c)),
            tr("data.col.period"): frame["period"].map(
                {p: period_text(p, lang) for p in frame["period"].unique()}
            ),
            tr("data.col.stakeholder"): frame["stakeholder"],
            tr("data.col.value"): frame["value"].map(lambda v: formatting.number(v, lang)),
            tr("data.col.upload"): frame["upload_id"],
        }
    )


def status_text(row: dict[str, Any], lang: str) -> str:
    """Submitted, validated (when) or rolled back (when); by whom is ``decided_by``."""
    if row["status"] == "rolled_back":
        when = formatting.timestamp(row["rolled_back_at"], lang)
        return tr_plain("data.status.rolled_back", when=when)
    if row["status"] == "validated":
        when = formatting.timestamp(row["validated_at"], lang)
        return tr_plain("data.status.validated", when=when)
    return tr("status.submitted")


def decided_by(row: dict[str, Any]) -> str:
    """Who validated or rolled back the upload (blank while it waits)."""
    if row["status"] == "rolled_back":
        return clean(row["rolled_back_by"])
    return clean(row["validated_by"]) if row["status"] == "validated" else ""


def file_label(row: dict[str, Any]) -> str:
    """The file name, or why it is not shown (the file also holds other alliances' rows)."""
    return str(row["file_name"]) if row["others"] == 0 else tr("data.other_alliances")


def count(value: Any, lang: str) -> str:
    return "—" if value is None or pd.isna(value) else formatting.number(value, lang)


def uploads_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = widgets.rows(frame)
    return pd.DataFrame(
        {
            tr("data.col.upload"): frame["id"],
            tr("data.col.when"): frame["uploaded_at"].map(lambda v: formatting.timestamp(v, lang)),
            tr("data.col.file"): [file_label(r) for r in rows],
            tr("data.col.status"): [status_text(r, lang) for r in rows],
            tr("data.col.who"): frame["uploaded_by"],
            tr("data.col.decided_by"): [decided_by(r) for r in rows],
            tr("data.count.added"): [count(r["added"], lang) for r in rows],
            tr("data.count.changed"): [count(r["changed"], lang) for r in rows],
            tr("data.count.unchanged"): [count(r["unchanged"], lang) for r in rows],
            tr("data.col.missing"): [count(r["missing"], lang) for r in rows],
            tr("data.col.alliances"): [", ".join(r["alliances"]) for r in rows],
        }
    )


def history_columns() -> dict[str, Any]:
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


# -- the template and the upload -----------------------------------------------------------


def template_section(lang: str) -> None:
    st.subheader(tr("data.template"))
    st.markdown(tr("data.template_help"))
    widgets.download_button(
        tr("data.template_button"),
        workbook.template(lang),
        {"kind": "template"},
        file_name=tr("data.template_file"),
        mime=widgets.XLSX,
        key="data_template",
    )


def upload_section(store: Store, who: Actor, state: tuple[int, int], lang: str) -> None:
    """The uploader (for an account that may import somewhere), then the file's check and,
    when it passes, its dry run and the import."""
    st.subheader(tr("data.upload"))
    if not who.uploads_somewhere:
        st.info(tr("data.read_only"))
        return
    writable = tr("data.all_alliances") if who.admin else ", ".join(who.writable())
    st.caption(tr("data.uploading_as", who=who.email, alliances=writable))
    widgets.uploader_in_french()
    upload = st.file_uploader(
        tr("data.file"),
        type=["csv", "txt", "xlsx", "xls", "ods", "json"],
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
            plan, to_check = check(store, who, content, upload.name, state, lang)
            show_plan(store, who, (plan, to_check), content, upload.name, lang)


def check(
    store: Store, who: Actor, content: bytes, name: str, state: tuple[int, int], lang: str
) -> tuple[Plan, pd.DataFrame]:
    """Check the file once per content, language and state of the data: its plan, and the
    values it adds or changes that are to check."""
    cache_key = (hashlib.sha256(content).hexdigest(), name, lang, state, who)
    cached = st.session_state.get("data_plan")
    if cached and cached[0] == cache_key:
        return cached[1], cached[2]
    bar = st.progress(0.0, text=tr("progress.reading"))

    def progress(fraction: float, stage: str) -> None:
        bar.progress(min(1.0, fraction), text=tr(stage))

    try:
        plan = store.check(content, name, who, progress=progress)
        to_check = plausibility.file_flags(store, plan, who) if plan.ok else pd.DataFrame()
    finally:
        bar.empty()
    st.session_state["data_plan"] = (cache_key, plan, to_check)
    return plan, to_check


def show_problems(plan: Plan, name: str, lang: str) -> None:
    """A refused file: its problems, row by row, and as a file to download."""
    parsed = plan.parsed
    st.error(tr("err.refused", count=len(parsed.problems)))
    problems = problems_table(parsed.problems, lang)
    if len(problems) <= WRAPPED_ROWS:
        # A static table wraps long reasons instead of cutting them.
        widgets.table(problems.set_index(problems.columns[0]))
    else:
        st.caption(tr("data.problems_many", count=WRAPPED_ROWS))
        widgets.dataframe(problems)
    widgets.download_button(
        tr("data.problems_download"),
        workbook.to_csv(problems, "en"),
        {"kind": "problems", "file": name, "rows": len(problems)},
        file_name="problemes.csv" if lang == "fr" else "problems.csv",
        mime="text/csv",
        key="data_problems_download",
    )


def show_counts(plan: Plan, lang: str) -> None:
    """What the file holds: the sheets read, and the values added, changed, unchanged and
    missing."""
    parsed = plan.parsed
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


def show_flags(to_check: pd.DataFrame, lang: str) -> None:
    """The values of the file to check before it is imported (a flag never stops it), and
    how they were found."""
    if to_check.empty:
        return
    st.warning(tr("data.to_check", count=len(to_check)))
    table = flags.table(to_check, lang, reads.indicator_labels())
    widgets.table(table.set_index(table.columns[0]))
    st.caption(tr("data.to_check_help"))


def show_plan(
    store: Store,
    who: Actor,
    checked: tuple[Plan, pd.DataFrame],
    content: bytes,
    name: str,
    lang: str,
) -> None:
    """The file's check: its problems, or what it would change, the values to check, and the
    button to import it."""
    plan, to_check = checked
    if not plan.ok:
        show_problems(plan, name, lang)
        return
    show_counts(plan, lang)
    if not plan.writes:
        st.info(tr("data.nothing_new"))
        return
    st.markdown(tr("data.dry_run_intro"))
    widgets.dataframe(diff_table(plan, lang))
    if plan.not_shown:
        st.caption(tr("data.not_shown", count=formatting.number(plan.not_shown, lang)))
    show_flags(to_check, lang)
    if st.button(tr("data.confirm"), type="primary", key="data_confirm"):
        try:
            result = store.import_file(content, name, who)
        except ValidationError as e:
            st.error(language.said(e))
            return
        alliances = result.plan.alliances
        st.session_state[pickers.ALLIANCE_KEY] = alliances[0] if alliances else None
        reads.data_changed()
        st.session_state.pop("data_plan", None)
        st.session_state["data_message"] = import_summary(result, lang)
        st.rerun()


# -- the history -----------------------------------------------------------------------------


def pick_upload(history: pd.DataFrame, lang: str) -> dict[str, Any] | None:
    """The upload chosen in the history (the newest until another is chosen)."""
    records = {int(r["id"]): r for r in widgets.rows(history)}
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
    return None if picked is None else records[int(picked)]


def original_file(store: Store, who: Actor, row: dict[str, Any], lang: str) -> None:
    """The uploaded file itself, for an account that may download every alliance in it."""
    picked, whole = int(row["id"]), row["others"] == 0
    if whole and who.may_all("download", list(row["alliances"])):
        # Read (and written to the audit log) only when the button is clicked.
        st.download_button(
            tr("data.original"),
            lambda: store.upload_file(picked, who)[1],
            file_name=str(row["file_name"]),
            key="data_history_download",
            on_click="ignore",
        )
    elif not whole:
        st.caption(tr("data.original_hidden"))


def as_of(who: Actor, picked: int, lang: str) -> None:
    """The data as it stood right after upload ``picked``: read from the whole history, so
    only when asked (an expander's content runs anyway)."""
    if not st.toggle(tr("data.as_of", upload=picked), key=f"data_as_of_{picked}"):
        return
    values = reads.observations(database.db(), who.scope, None, picked)
    total = formatting.number(len(values), lang)
    if len(values) > AS_OF_SHOWN:
        shown = formatting.number(AS_OF_SHOWN, lang)
        st.caption(tr("data.as_of_first", count=total, shown=shown))
    else:
        st.caption(tr("data.as_of_help", count=total))
    widgets.dataframe(observations_table(values.head(AS_OF_SHOWN), lang))


def decisions(store: Store, who: Actor, row: dict[str, Any], lang: str) -> None:
    """Validation and rollback of the upload, by role (over every alliance the file holds)."""
    picked, alliances = int(row["id"]), list(row["alliances"])
    whole = row["others"] == 0
    if row["status"] == "submitted" and whole and who.may_all("validate", alliances):
        st.markdown(tr("data.validate_help"))
        if st.button(tr("data.validate", upload=picked), key="data_validate", type="primary"):
            store.validate(picked, who)
            st.session_state["data_message"] = tr("summary.validated", upload=picked)
            reads.data_changed()
            st.rerun()
    if row["status"] != "rolled_back" and whole and who.may_all("rollback", alliances):
        st.markdown(tr("data.rollback_help"))
        sure = st.checkbox(tr("data.rollback_confirm", upload=picked), key="data_rollback_confirm")
        if st.button(tr("data.rollback", upload=picked), disabled=not sure, key="data_rollback"):
            store.rollback(picked, who)
            reads.data_changed()
            st.session_state["data_message"] = tr("summary.rolled_back", upload=picked)
            st.session_state.pop("data_rollback_confirm", None)
            st.rerun()


def history_section(store: Store, who: Actor, history: pd.DataFrame, lang: str) -> None:
    """The uploads the account may list; for the chosen one, its file, the data as it stood
    right after it, and (by role) validation and rollback."""
    st.subheader(tr("data.history"))
    if history.empty:
        st.info(tr("data.no_history"))
        return
    widgets.dataframe(uploads_table(history, lang), column_config=history_columns())
    row = pick_upload(history, lang)
    if row is None:
        return
    original_file(store, who, row, lang)
    as_of(who, int(row["id"]), lang)
    decisions(store, who, row, lang)


def to_check_section(store: Store, who: Actor, lang: str) -> None:
    """An alliance's values to check and, for who may upload its values, the mark "checked:
    correct" (kept with its author and date); a wrong value is fixed by a new upload."""
    st.subheader(tr("data.to_check_title"))
    alliance = pickers.alliance_picker("data_check")
    if alliance is None:
        return
    found = views.to_check(database.db(), session.scope(), alliance)
    if found.empty:
        st.success(tr("data.to_check_none"))
        return
    still, done = found[~found["checked"]], found[found["checked"]]
    st.caption(tr("data.to_check_count", open=len(still), checked=len(done)))
    labels = reads.indicator_labels()
    alliance_column = tr_plain("data.col.alliance")
    if len(still):
        widgets.dataframe(flags.table(still, lang, labels).drop(columns=alliance_column))
        if who.may("upload", alliance):
            mark_checked(store, who, alliance, still, labels)
    if len(done):
        with st.expander(tr("data.checked_list", count=len(done))):
            table = flags.table(done, lang, labels).drop(columns=alliance_column)
            table[tr_plain("data.col.checked_by")] = list(done["checked_by_name"])
            table[tr_plain("data.col.checked_at")] = [
                formatting.timestamp(t, lang) for t in done["checked_at"]
            ]
            widgets.dataframe(table)
    st.caption(tr("data.to_check_help"))


def mark_checked(
    store: Store, who: Actor, alliance: str, still: pd.DataFrame, labels: dict[str, str]
) -> None:
    """Pick a value to check and mark it "checked: correct": each of its flags (a value may
    break a rule and be far from its series), so that it is offered once."""
    value_key = ["indicator", "stakeholder", "period", "value"]
    values = still.drop_duplicates(value_key).to_dict("records")

    def named(i: int) -> str:
        row = values[i]
        parts = [labels.get(row["indicator"], row["indicator"]), row["stakeholder"]]
        parts += [flags.period(row["period"], lang), formatting.number(row["value"], lang)]
        return " · ".join(p for p in parts if p)

    picked = st.selectbox(
        tr("data.to_check_pick"), range(len(values)), format_func=named, key="data_check_pick"
    )
    if st.button(tr("data.to_check_mark"), key="data_check_mark"):
        chosen = values[int(picked)]
        same = (still[value_key] == pd.Series({k: chosen[k] for k in value_key})).all(axis=1)
        for reason in still.loc[same, "reason"]:
            indicator, stakeholder, period, value = (chosen[k] for k in value_key)
            store.check_flag(who, alliance, indicator, stakeholder, period, value, reason)
        reads.data_changed()
        st.session_state["data_message"] = tr("data.to_check_marked", value=named(int(picked)))
        st.rerun()


lang = language.lang()
st.title(tr("data.title"))
st.markdown(tr("data.intro"))

with widgets.guard():
    who = session.actor()
    store = database.store()
    history = reads.uploads(database.db(), who.scope)
    state = (len(history), int((history["status"] != "submitted").sum()))
    message = st.session_state.pop("data_message", None)
    if message:
        st.success(message)
    template_section(lang)
    upload_section(store, who, state, lang)
    history_section(store, who, history, lang)
    to_check_section(store, who, lang)
    barometer.waves_section()
    public.settings_section()
