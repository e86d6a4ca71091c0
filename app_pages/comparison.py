"""Comparison: like with like, with the data's completeness in view before any ranking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from metrics.base import catalog
from metrics.domain import compare
from metrics.presentation import charts, formatting
from metrics.sheets import workbook
from ui import database, language, pickers, reads, session, widgets
from ui.language import tr, tr_plain

PAGE = "comparison"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
lang = language.lang()
st.title(tr("comparison.title"))
st.markdown(tr("comparison.intro"))


def labelled(codes: pd.Series, text: Callable[[str], str]) -> pd.Series:
    """Each code's ``text``, made once per distinct code; blank for none."""
    texts = {c: text(c) for c in codes.dropna().unique() if c}
    return codes.map(lambda c: texts.get(c, ""))


def unit_of(code: str) -> str:
    row = reads.indicators(database.db(), session.actor()).set_index("code").loc[code]
    return catalog.unit_label(str(row["unit"]), lang)


with widgets.guard():
    database.store()
    alliances = reads.alliances(database.db(), session.actor())
    goals = reads.targets(database.db(), session.actor())
    names = list(alliances["name"])
    if not names:
        st.info(tr("home.empty"))
        st.stop()

    # Who is compared.
    modes = {"peers": tr("comparison.mode.peers"), "choose": tr("comparison.mode.choose")}
    mode = st.radio(
        tr("comparison.mode"),
        list(modes),
        format_func=modes.__getitem__,
        horizontal=True,
        key=language.wkey("comparison_mode"),
    )
    if mode == "peers":
        left, right = st.columns([2, 1])
        with left:
            # Until one is chosen, an alliance that has peers to compare with.
            selected = pickers.alliance_picker(PAGE, compare.with_peers(alliances))
        criteria = {c: tr(f"comparison.by.{c}") for c in compare.CRITERIA}
        # The first criterion that gives the alliance peers, until the user chooses one.
        criterion = language.wkey("comparison_peer_by")
        if criterion not in st.session_state:
            st.session_state[criterion] = compare.default_criterion(alliances, str(selected))
        with right:
            by = st.radio(
                tr("comparison.by"),
                list(criteria),
                format_func=criteria.__getitem__,
                key=criterion,
            )
        group = compare.peers(alliances, str(selected), str(by))
        table = alliances.set_index("name")
        what = (
            table.at[selected, "theme"]
            if by == "theme"
            else tr(f"level.{compare.territory_level(table.at[selected, 'territory_code'])}")
        )
        if len(group) < compare.MIN_GROUP:
            st.info(
                tr("comparison.too_few", name=selected, criterion=criteria[str(by)], value=what)
            )
            st.stop()
        # A large group is counted, not listed (every alliance is in the ranking table).
        listed = len(group) <= charts.MAX_BARS
        st.caption(
            tr(
                "comparison.group" if listed else "comparison.group_count",
                criterion=criteria[str(by)],
                value=what,
                names=", ".join(group) if listed else "",
                count=len(group),
            )
        )
    else:
        group = st.multiselect(
            tr("comparison.alliances"), names, default=names, key="comparison_alliances"
        )
        selected = None
    if len(group) < compare.MIN_GROUP:
        st.info(tr("comparison.none"))
        st.stop()

    # What is compared, and how.
    subjects = {
        "indicator": tr("comparison.subject.indicator"),
        "dimension": tr("comparison.subject.dimension"),
    }
    left, right = st.columns([1, 2])
    with left:
        subject = st.radio(
            tr("comparison.subject"),
            list(subjects),
            format_func=subjects.__getitem__,
            key=language.wkey("comparison_subject"),
        )
    with right:
        if subject == "indicator":
            reported = reads.reported(database.db(), session.actor())
            present = reported[reported["alliance"].isin(group)]["indicator"].unique()
            labels = reads.indicator_labels()
            codes = sorted(present, key=labels.__getitem__)
            code = st.selectbox(
                tr("comparison.indicator"),
                codes,
                format_func=labels.__getitem__,
                key=language.wkey("comparison_indicator"),
            )
            norms = {n: tr(f"norm.{n}") for n in compare.NORMALISATIONS}
            normalisation = st.radio(
                tr("comparison.normalisation"),
                list(norms),
                format_func=norms.__getitem__,
                horizontal=True,
                key=language.wkey("comparison_normalisation"),
            )
            values = reads.aggregated(
                database.db(),
                session.actor(),
                None,
                "year",
                indicators=(str(code), compare.FUNDING_INDICATOR),
            )
            comparison = compare.normalise(
                values, alliances, goals, str(code), str(normalisation), group
            )
            subject_name = labels[str(code)]
            about = str(code)
            axis = tr_plain(f"axis.{normalisation}", unit=unit_of(str(code)))
        else:
            dims = {d: catalog.DIMENSIONS[d][lang] for d in catalog.DIMENSIONS}
            dimension = st.selectbox(
                tr("comparison.dimension"),
                list(dims),
                format_func=dims.__getitem__,
                key=language.wkey("comparison_dimension"),
            )
            scores = reads.dimension_scores(database.db(), session.actor())
            comparison = compare.dimension_comparison(scores, str(dimension), group)
            normalisation = "progress"
            subject_name = dims[str(dimension)]
            about = str(dimension)
            axis = tr_plain("axis.progress", unit="")
    st.caption(
        tr(f"norm_help.{normalisation}" if subject == "indicator" else "norm_help.dimension")
    )
    scale = compare.display_scale(str(normalisation))
    shown = comparison.table.assign(value=comparison.table["value"] * scale)

    st.plotly_chart(
        charts.comparison_lines(
            shown,
            tr_plain("comparison.series_title", subject=subject_name),
            axis,
            lang,
            str(selected) if selected else None,
        ),
        key="comparison_series",
    )

    # The ranking, with completeness in view.
    years = sorted(set(comparison.table["year"]))
    default_year = compare.latest_common_year(comparison)
    if default_year is None:
        # Nothing comparable: still rank the latest year, so that each alliance says why not.
        st.info(tr("comparison.nothing_to_rank"))
        if not years:
            st.stop()
        default_year = years[-1]
    st.subheader(tr("comparison.ranking"))
    year = st.selectbox(
        tr("comparison.year"), years, index=years.index(default_year), key="comparison_year"
    )
    done = reads.completeness(database.db(), session.actor())
    ranked, not_ranked = compare.rank(comparison, done, group, int(year))
    ranked_shown = ranked.assign(value=ranked["value"] * scale)
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(
            charts.ranking_bars(
                ranked_shown,
                tr_plain("comparison.ranking_title", subject=subject_name, year=year),
                axis,
                lang,
                str(selected) if selected else None,
            ),
            key="comparison_ranking",
        )
    with right:
        st.markdown(tr("comparison.not_ranked"))
        if not_ranked.empty:
            st.caption(tr("comparison.all_ranked"))
        else:
            widgets.table(
                pd.DataFrame(
                    {
                        tr("portfolio.col.alliance"): not_ranked["alliance"],
                        tr("comparison.col.reason"): labelled(
                            not_ranked["reason"], lambda r: tr(f"reason.{r}")
                        ),
                    }
                ).set_index(tr("portfolio.col.alliance"))
            )

    st.plotly_chart(
        charts.peer_distribution(
            shown[shown["year"] == year],
            tr_plain("comparison.distribution_title", year=year),
            axis,
            lang,
            str(selected) if selected else None,
        ),
        key="comparison_distribution",
    )

    # Two dimensions side by side.
    st.subheader(tr("comparison.scatter"))
    dims = {d: catalog.DIMENSIONS[d][lang] for d in catalog.DIMENSIONS}
    left, right = st.columns(2)
    x = left.selectbox(
        tr("comparison.x"),
        list(dims),
        index=0,
        format_func=dims.__getitem__,
        key=language.wkey("comparison_x"),
    )
    y = right.selectbox(
        tr("comparison.y"),
        list(dims),
        index=2,
        format_func=dims.__getitem__,
        key=language.wkey("comparison_y"),
    )
    portfolio = reads.portfolio(database.db(), session.actor(), dt.date.today().year)
    portfolio = portfolio[portfolio["alliance"].isin(group)]
    st.plotly_chart(
        charts.dimension_scatter(
            portfolio, str(x), str(y), lang, str(selected) if selected else None
        ),
        key="comparison_scatter",
    )

    # The table behind the ranking, to take away.
    st.subheader(tr("comparison.table"))
    table = compare.export_table(ranked_shown, not_ranked)
    export = pd.DataFrame(
        {
            tr("comparison.col.rank"): table["rank"],
            tr("portfolio.col.alliance"): table["alliance"],
            tr_plain("comparison.col.value", what=axis): table["value"],
            tr("comparison.col.raw"): table["raw"],
            tr("portfolio.col.completeness"): (100 * table["completeness"]).round(0),
            tr("comparison.col.badge"): labelled(table["badge"], lambda b: tr(f"badge.{b}")),
            tr("comparison.col.reason"): labelled(table["reason"], lambda r: tr(f"reason.{r}")),
        }
    )
    widgets.dataframe(
        export.assign(
            **{
                tr_plain("comparison.col.value", what=axis): export[
                    tr_plain("comparison.col.value", what=axis)
                ].map(lambda v: formatting.number(v, lang)),
                tr("comparison.col.raw"): export[tr("comparison.col.raw")].map(
                    lambda v: formatting.number(v, lang)
                ),
                tr("portfolio.col.completeness"): export[tr("portfolio.col.completeness")].map(
                    lambda v: f"{formatting.number(v, lang, 0)}{charts.percent_suffix(lang)}"
                ),
            }
        ),
    )
    stem = tr_plain("comparison.file", year=year)
    left, right = st.columns(2)
    # The files are written when a button is clicked, not at every rerun.
    what = {
        "kind": "comparison",
        "subject": about,
        "normalisation": str(normalisation),
        "year": int(year),
        "alliances": list(table["alliance"]),
    }
    with left:
        widgets.download_button(
            tr("comparison.csv"),
            lambda: workbook.to_csv(export, lang),
            what,
            file_name=f"{stem}.csv",
            mime="text/csv",
            key="comparison_csv",
        )
    with right:
        widgets.download_button(
            tr("comparison.xlsx"),
            lambda: workbook.to_xlsx(export, str(year)),
            what,
            file_name=f"{stem}.xlsx",
            mime=XLSX,
            key="comparison_xlsx",
        )

    st.subheader(tr("comparison.rules"))
    st.markdown(tr("comparison.rules_text"))
