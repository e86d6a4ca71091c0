"""Data: download the template, check and import a file, read the upload history, roll back."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from metrics import formatting, workbook
from metrics.errors import ValidationError
from metrics.store import Plan
from ui import common
from ui.common import tr

WRAPPED_ROWS = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
lang = common.lang()
st.title(tr("data.title"))
st.markdown(tr("data.intro"))


def problems_table(plan_problems: list) -> pd.DataFrame:  # type: ignore[type-arg]
    return pd.DataFrame([p.as_row(lang) for p in plan_problems])


def clean(value: object) -> str:
    """A cell for display: empty for a missing value."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def diff_table(plan: Plan) -> pd.DataFrame:
    diff = plan.diff
    shown = diff[diff["change"] != "unchanged"].copy()
    names = common.indicator_labels()
    rows = []
    for row in shown.to_dict("records"):
        old = row.get("old_value") if row["kind"] == "observations" else row.get("old_target")
        new = row.get("value") if row["kind"] == "observations" else row.get("target")
        indicator = clean(row.get("indicator"))
        period = clean(row.get("period")) or clean(row.get("target_period"))
        rows.append(
            {
                tr("data.col.change"): tr(f"change.{row['change']}"),
                tr("data.col.kind"): tr(f"kind.{row['kind']}"),
                tr("data.col.alliance"): clean(row.get("alliance")),
                tr("data.col.indicator"): names.get(indicator, indicator),
                tr("data.col.period"): period,
                tr("data.col.stakeholder"): clean(row.get("stakeholder")),
                tr("data.col.old"): formatting.number(old, lang) if pd.notna(old) else "",
                tr("data.col.new"): formatting.number(new, lang) if pd.notna(new) else "",
                tr("data.col.source"): f"{row.get('source_sheet')} : {row.get('source_row')}",
            }
        )
    return pd.DataFrame(rows)


def observations_table(frame: pd.DataFrame) -> pd.DataFrame:
    names = common.indicator_labels()
    table = pd.DataFrame(
        {
            tr("data.col.alliance"): frame["alliance"],
            tr("data.col.indicator"): frame["indicator"].map(lambda c: names.get(c, c)),
            tr("data.col.period"): frame["period"],
            tr("data.col.stakeholder"): frame["stakeholder"],
            tr("data.col.value"): frame["value"].map(lambda v: formatting.number(v, lang)),
            tr("data.col.upload"): frame["upload_id"],
        }
    )
    return table


def uploads_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("data.col.upload"): frame["id"],
            tr("data.col.when"): frame["uploaded_at"].map(lambda v: formatting.timestamp(v, lang)),
            tr("data.col.file"): frame["file_name"],
            tr("data.col.who"): frame["uploaded_by"],
            tr("data.count.added"): frame["added"],
            tr("data.count.changed"): frame["changed"],
            tr("data.count.unchanged"): frame["unchanged"],
            tr("data.col.missing"): frame["missing"],
            tr("data.col.status"): [
                tr("data.status.rolled_back", when=formatting.timestamp(at, lang), who=who)
                if pd.notna(at)
                else tr("data.status.active")
                for at, who in zip(frame["rolled_back_at"], frame["rolled_back_by"])
            ],
        }
    )


def check(content: bytes, name: str, state: tuple[int, int]) -> Plan:
    """Check the file once per content, language and state of the data."""
    cache_key = (hashlib.sha256(content).hexdigest(), name, lang, state)
    cached = st.session_state.get("data_plan")
    if cached and cached[0] == cache_key:
        return cached[1]  # type: ignore[no-any-return]
    bar = st.progress(0.0, text=tr("progress.reading"))

    def progress(fraction: float, stage: str) -> None:
        bar.progress(min(1.0, fraction), text=tr(stage))

    plan = common.store().check(content, name, lang, progress)
    bar.empty()
    st.session_state["data_plan"] = (cache_key, plan)
    return plan


def show_plan(plan: Plan, content: bytes, name: str, user: str) -> None:
    parsed = plan.parsed
    if not plan.ok:
        st.error(tr("err.refused", count=len(parsed.problems)))
        problems = problems_table(parsed.problems)
        if len(problems) <= WRAPPED_ROWS:
            # A static table wraps long reasons instead of cutting them.
            st.table(problems.set_index(problems.columns[0]))
        else:
            st.caption(tr("data.problems_many", count=WRAPPED_ROWS))
            st.dataframe(problems, hide_index=True, width="stretch")
        st.download_button(
            tr("data.problems_download"),
            workbook.to_csv(problems),
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
            st.dataframe(
                pd.DataFrame(
                    parsed.missing, columns=[tr("col.sheet"), tr("col.row"), tr("col.column")]
                ),
                hide_index=True,
                width="stretch",
            )
    if not plan.writes:
        st.info(tr("data.nothing_new"))
        return
    st.markdown(tr("data.dry_run_intro"))
    st.dataframe(diff_table(plan), hide_index=True, width="stretch")
    if st.button(tr("data.confirm"), type="primary", key="data_confirm"):
        try:
            result = common.store().import_file(content, name, user or tr("data.anonymous"), lang)
        except ValidationError as e:
            st.error(e.message)
            return
        common.data_changed()
        st.session_state.pop("data_plan", None)
        st.session_state["data_message"] = result.summary(lang)
        st.rerun()


with common.guard():
    store = common.store()
    history = common.uploads(common.db(), common.scope())
    state = (len(history), int(history["rolled_back_at"].notna().sum()))

    message = st.session_state.pop("data_message", None)
    if message:
        st.success(message)

    st.subheader(tr("data.template"))
    st.markdown(tr("data.template_help"))
    st.download_button(
        tr("data.template_button"),
        workbook.template(lang),
        file_name=tr("data.template_file"),
        mime=XLSX,
        key="data_template",
    )

    st.subheader(tr("data.upload"))
    user = st.text_input(tr("data.user"), key="data_user", max_chars=80)
    upload = st.file_uploader(
        tr("data.file"),
        type=["csv", "txt", "xlsx", "xls", "ods"],
        key="data_upload",
        help=tr("data.file_help"),
    )
    if upload is not None:
        content = upload.getvalue()
        plan = check(content, upload.name, state)
        show_plan(plan, content, upload.name, user.strip())

    st.subheader(tr("data.history"))
    if history.empty:
        st.info(tr("data.no_history"))
    else:
        st.dataframe(uploads_table(history), hide_index=True, width="stretch")
        ids = list(history["id"])
        by_id = history.set_index("id")
        choices = {
            i: tr(
                "data.pick_label",
                upload=i,
                file=by_id.at[i, "file_name"],
                when=formatting.timestamp(by_id.at[i, "uploaded_at"], lang),
            )
            for i in ids
        }
        # The key changes with each new upload, so the choice resets to the newest one.
        picked = st.selectbox(
            tr("data.pick"),
            ids,
            key=common.wkey(f"data_history_pick_{state[0]}"),
            format_func=choices.__getitem__,
        )
        if picked is not None:
            picked = int(picked)
            file_name, original = store.upload_file(picked, common.scope(), lang)
            st.download_button(
                tr("data.original"), original, file_name=file_name, key="data_history_download"
            )
            with st.expander(tr("data.as_of", upload=picked)):
                as_of = common.observations(common.db(), common.scope(), None, picked)
                st.caption(tr("data.as_of_help", count=formatting.number(len(as_of), lang)))
                st.dataframe(observations_table(as_of), hide_index=True, width="stretch")
            if pd.isna(by_id.at[picked, "rolled_back_at"]):
                st.markdown(tr("data.rollback_help"))
                sure = st.checkbox(
                    tr("data.rollback_confirm", upload=picked), key="data_rollback_confirm"
                )
                if st.button(
                    tr("data.rollback", upload=picked), disabled=not sure, key="data_rollback"
                ):
                    done = store.rollback(picked, user.strip() or tr("data.anonymous"), lang)
                    common.data_changed()
                    st.session_state["data_message"] = done
                    st.session_state.pop("data_rollback_confirm", None)
                    st.rerun()
