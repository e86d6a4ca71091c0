"""Comparison: like with like, with the data's completeness in view before any ranking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from metrics.base import catalog, clock
from metrics.domain import compare
from metrics.presentation import charts, formatting
from metrics.sheets import workbook
from metrics.usecases import reports
from ui import database, empty, language, pickers, reads, session, views, widgets
from ui.language import tr, tr_plain

PAGE = "comparison"
lang = language.lang()
st.title(tr("comparison.title"))
st.markdown(tr("comparison.intro"))


def labelled(codes: pd.Series, text: Callable[[str], str]) -> pd.Series:
    """Each code's ``text``, made once per distinct code; blank for none."""
    texts = {c: text(c) for c in codes.dropna().unique() if c}
    return codes.map(lambda c: texts.get(c, ""))


def unit_of(code: str) -> str:
    row = reads.indicators(database.db(), session.scope()).set_index("code").loc[code]
    return catalog.unit_label(str(row["unit"]), lang)


@dataclass(frozen=True)
class Subject:
    """What is compared: an indicator (normalised) or a dimension's score, its values by
    alliance and year, and how the charts name it."""

    comparison: compare.Comparison
    normalisation: str
    name: str  # as the charts' titles say it
    code: str  # the indicator's or the dimension's, for the audit log
    axis: str
    is_indicator: bool


def peer_group(alliances: pd.DataFrame) -> tuple[list[str], str]:
    """An alliance and its peers (same theme, or same level of territory); the page stops
    when it has too few."""
    left, right = st.columns([2, 1])
    with left:
        # Until one is chosen, an alliance that has peers to compare with.
        selected = str(pickers.alliance_picker(PAGE, compare.with_peers(alliances)))
    criteria = {c: tr(f"comparison.by.{c}") for c in compare.CRITERIA}
    # The first criterion that gives the alliance peers, until the user chooses one.
    criterion = language.wkey("comparison_peer_by")
    if criterion not in st.session_state:
        st.session_state[criterion] = compare.default_criterion(alliances, selected)
    with right:
        by = str(
            st.radio(
                tr("comparison.by"),
                list(criteria),
                format_func=criteria.__getitem__,
                key=criterion,
            )
        )
    group = compare.peers(alliances, selected, by)
    table = alliances.set_index("name")
    what = (
        catalog.theme_label(table.at[selected, "theme"], lang)
        if by == "theme"
        else tr(f"level.{compare.territory_level(table.at[selected, 'territory_code'])}")
    )
    if len(group) < compare.MIN_GROUP:
        st.info(tr("comparison.too_few", name=selected, criterion=criteria[by], value=what))
        st.stop()
    # A large group is counted, not listed (every alliance is in the ranking table).
    listed = len(group) <= charts.MAX_BARS
    st.caption(
        tr(
            "comparison.group" if listed else "comparison.group_count",
            criterion=criteria[by],
            value=what,
            names=", ".join(group) if listed else "",
            count=len(group),
        )
    )
    return group, selected


def compared(alliances: pd.DataFrame) -> tuple[list[str], str | None]:
    """Who is compared: an alliance and its peers, or alliances chosen one by one; and the
    alliance the charts single out (``None`` for a chosen group)."""
    names = list(alliances["name"])
    modes = {"peers": tr("comparison.mode.peers"), "choose": tr("comparison.mode.choose")}
    mode = st.radio(
        tr("comparison.mode"),
        list(modes),
        format_func=modes.__getitem__,
        horizontal=True,
        key=language.wkey("comparison_mode"),
    )
    if mode == "peers":
        group, selected = peer_group(alliances)
        return group, selected
    chosen = st.multiselect(
        tr("comparison.alliances"), names, default=names, key="comparison_alliances"
    )
    return list(chosen), None


def indicator_subject(alliances: pd.DataFrame, group: list[str]) -> Subject:
    """An indicator the group reports, normalised as chosen."""
    who, db = session.scope(), database.db()
    reported = reads.reported(db, who)
    present = reported[reported["alliance"].isin(group)]["indicator"].unique()
    labels = reads.indicator_labels()
    code = str(
        st.selectbox(
            tr("comparison.indicator"),
            sorted(present, key=labels.__getitem__),
            format_func=labels.__getitem__,
            key=language.wkey("comparison_indicator"),
        )
    )
    norms = {n: tr(f"norm.{n}") for n in compare.NORMALISATIONS}
    normalisation = str(
        st.radio(
            tr("comparison.normalisation"),
            list(norms),
            format_func=norms.__getitem__,
            horizontal=True,
            key=language.wkey("comparison_normalisation"),
        )
    )
    values = reads.aggregated(db, who, None, "year", indicators=(code, compare.FUNDING_INDICATOR))
    goals = reads.targets(db, who)
    return Subject(
        compare.normalise(values, alliances, goals, code, normalisation, group),
        normalisation,
        labels[code],
        code,
        tr_plain(f"axis.{normalisation}", unit=unit_of(code)),
        is_indicator=True,
    )


def dimension_subject(group: list[str]) -> Subject:
    """A dimension's score (its progress towards targets)."""
    dims = {d: catalog.DIMENSIONS[d][lang] for d in catalog.DIMENSIONS}
    dimension = str(
        st.selectbox(
            tr("comparison.dimension"),
            list(dims),
            format_func=dims.__getitem__,
            key=language.wkey("comparison_dimension"),
        )
    )
    scores = reads.dimension_scores(database.db(), session.scope())
    return Subject(
        compare.dimension_comparison(scores, dimension, group),
        "progress",
        dims[dimension],
        dimension,
        tr_plain("axis.progress", unit=""),
        is_indicator=False,
    )


def subject_of(alliances: pd.DataFrame, group: list[str]) -> Subject:
    """What is compared, and how: an indicator or a dimension."""
    subjects = {
        "indicator": tr("comparison.subject.indicator"),
        "dimension": tr("comparison.subject.dimension"),
    }
    left, right = st.columns([1, 2])
    with left:
        kind = st.radio(
            tr("comparison.subject"),
            list(subjects),
            format_func=subjects.__getitem__,
            key=language.wkey("comparison_subject"),
        )
    with right:
        if kind == "indicator":
            subject = indicator_subject(alliances, group)
        else:
            subject = dimension_subject(group)
    st.caption(
        tr(f"norm_help.{subject.normalisation}" if subject.is_indicator else "norm_help.dimension")
    )
    return subject


def ranking_year(years: list[int], comparison: compare.Comparison) -> int:
    """The year ranked: the latest the group has in common, until another is chosen."""
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
    return int(year)


def ranking_section(
    subject: Subject, group: list[str], selected: str | None, scale: float
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The ranking of one year, with completeness in view: the ranked, and why the others
    are not. Returns (ranked, not ranked, year)."""
    comparison = subject.comparison
    year = ranking_year(sorted(set(comparison.table["year"])), comparison)
    done = reads.completeness(database.db(), session.scope())
    ranked, not_ranked = compare.rank(comparison, done, group, year)
    ranked_shown = ranked.assign(value=ranked["value"] * scale)
    left, right = st.columns([3, 2])
    with left:
        title = tr_plain("comparison.ranking_title", subject=subject.name, year=year)
        figure = views.figure(
            charts.ranking_bars, ranked_shown, title, subject.axis, lang, selected
        )
        st.plotly_chart(figure, key="comparison_ranking")
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
    flagged_note(subject, list(ranked["alliance"]), year)
    return ranked_shown, not_ranked, year


def flagged_note(subject: Subject, alliances: list[str], year: int) -> None:
    """Which ranked alliances have values still to check of the indicator compared, in the
    year ranked: weigh them before concluding."""
    if not subject.is_indicator:
        return
    found = reads.indicator_flags(database.db(), session.scope(), subject.code)
    still = found[~found["checked"] & found["alliance"].isin(alliances)]
    in_year = reports.in_view(still["period"], "year") == str(year)
    named = sorted(set(still.loc[in_year, "alliance"]))
    if named:
        st.warning(tr("comparison.flagged", names=", ".join(named), count=len(named)))


def scatter_section(group: list[str], selected: str | None) -> None:
    """Two dimensions side by side."""
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
    portfolio = reads.portfolio(database.db(), session.scope(), clock.today().year)
    portfolio = portfolio[portfolio["alliance"].isin(group)]
    figure = views.figure(charts.dimension_scatter, portfolio, str(x), str(y), lang, selected)
    st.plotly_chart(figure, key="comparison_scatter")


def export_frame(table: pd.DataFrame, axis: str) -> pd.DataFrame:
    """The table behind the ranking, as it is taken away (numbers as numbers)."""
    return pd.DataFrame(
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


def shown_frame(export: pd.DataFrame, axis: str) -> pd.DataFrame:
    """The export as the page shows it: numbers written in the reader's language."""
    value, raw = tr_plain("comparison.col.value", what=axis), tr("comparison.col.raw")
    share = tr("portfolio.col.completeness")
    return export.assign(
        **{
            value: export[value].map(lambda v: formatting.number(v, lang)),
            raw: export[raw].map(lambda v: formatting.number(v, lang)),
            share: export[share].map(
                lambda v: f"{formatting.number(v, lang, 0)}{charts.percent_suffix(lang)}"
            ),
        }
    )


def export_section(
    subject: Subject, ranked: pd.DataFrame, not_ranked: pd.DataFrame, year: int
) -> None:
    """The table behind the ranking, to take away as CSV or Excel."""
    st.subheader(tr("comparison.table"))
    table = compare.export_table(ranked, not_ranked)
    export = export_frame(table, subject.axis)
    widgets.dataframe(shown_frame(export, subject.axis))
    stem = tr_plain("comparison.file", year=year)
    left, right = st.columns(2)
    # The files are written when a button is clicked, not at every rerun.
    what: dict[str, Any] = {
        "kind": "comparison",
        "subject": subject.code,
        "normalisation": subject.normalisation,
        "year": year,
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
            mime=widgets.XLSX,
            key="comparison_xlsx",
        )


with widgets.guard():
    database.store()
    alliances = reads.alliances(database.db(), session.scope())
    if empty.said(PAGE, alliances):
        st.stop()
    group, selected = compared(alliances)
    if len(group) < compare.MIN_GROUP:
        st.info(tr("comparison.none"))
        st.stop()
    subject = subject_of(alliances, group)
    scale = compare.display_scale(subject.normalisation)
    shown = subject.comparison.table.assign(value=subject.comparison.table["value"] * scale)
    title = tr_plain("comparison.series_title", subject=subject.name)
    figure = views.figure(charts.comparison_lines, shown, title, subject.axis, lang, selected)
    st.plotly_chart(figure, key="comparison_series")
    ranked, not_ranked, year = ranking_section(subject, group, selected, scale)
    title = tr_plain("comparison.distribution_title", year=year)
    that_year = shown[shown["year"] == year]
    figure = views.figure(charts.peer_distribution, that_year, title, subject.axis, lang, selected)
    st.plotly_chart(figure, key="comparison_distribution")
    scatter_section(group, selected)
    export_section(subject, ranked, not_ranked, year)
    st.subheader(tr("comparison.rules"))
    st.markdown(tr("comparison.rules_text"))
