"""Portfolio: every alliance in the funder's scope, with scores, trends and completeness."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from metrics.base import catalog, clock
from metrics.domain import compare, impact
from metrics.presentation import charts, formatting
from ui import database, empty, language, navigation, reads, session, widgets
from ui.language import tr, tr_plain

lang = language.lang()
st.title(tr("portfolio.title"))
st.markdown(tr("portfolio.intro"))


def once_each(values: pd.Series, write: Callable[[Any, str], str]) -> Any:
    """``write`` of each value, called once per distinct value (a thousand alliances share a
    few dates)."""
    written = {v: write(v, lang) for v in values.dropna().unique()}
    return values.map(lambda v: written.get(v, "")).to_numpy()


def filtered(table: pd.DataFrame, stages: dict[str, str]) -> pd.DataFrame:
    """The alliances of the portfolio that pass the filters (theme, territory, stage)."""
    columns = st.columns(3)
    themes = columns[0].multiselect(
        tr("portfolio.theme"),
        sorted(set(table["theme"].dropna()), key=lambda v: catalog.theme_label(v, lang)),
        format_func=lambda v: catalog.theme_label(v, lang),
        placeholder=tr("portfolio.all"),
        key="portfolio_themes",
    )
    territories = columns[1].multiselect(
        tr("portfolio.territory"),
        sorted(set(table["territory"].dropna())),
        placeholder=tr("portfolio.all"),
        key="portfolio_territories",
    )
    chosen_stages = columns[2].multiselect(
        tr("portfolio.stage"),
        [s for s in stages if s in set(table["stage"])],
        format_func=stages.__getitem__,
        placeholder=tr("portfolio.all"),
        key=language.wkey("portfolio_stages"),
    )
    return compare.filter_portfolio(table, themes, territories, chosen_stages)


def nothing_matches() -> None:
    """The filters leave no alliance: say so, and offer to clear them (no empty table)."""
    keys = ("portfolio_themes", "portfolio_territories", language.wkey("portfolio_stages"))

    def clear() -> None:
        for key in keys:
            st.session_state[key] = []

    st.info(tr("portfolio.no_match"), icon=":material/filter_alt_off:")
    st.button(tr("portfolio.clear_filters"), on_click=clear, key="portfolio_clear")


def score_columns(
    shown: pd.DataFrame,
    display: pd.DataFrame,
    config: dict[str, Any],
    texts: dict[str, list[str | None]],
) -> None:
    """Each dimension's score, numeric (sorting is by score) but shown as "72 % ▲"."""
    suffix = charts.percent_suffix(lang)
    for dimension in impact.DIMENSION_ORDER:
        name = tr(f"dimension.short.{dimension}")
        display[name] = (100 * shown[f"{dimension}_score"]).to_numpy()
        config[name] = st.column_config.NumberColumn(
            name,
            width=100 if dimension == "performance" else 88,
            help=f"{catalog.DIMENSIONS[dimension][lang]}{formatting.colon(lang)}"
            f"{tr('portfolio.score_help')} "
            f"{tr('portfolio.trend_help')}",
        )
        texts[name] = [
            None  # no score (no indicator of the dimension with a target and a value): "—"
            if pd.isna(score)
            else f"{formatting.number(100 * score, lang, 0)}{suffix} "
            f"{compare.trend_arrow(change)}".strip()
            for score, change in zip(
                shown[f"{dimension}_score"], shown[f"{dimension}_change"], strict=True
            )
        ]


# Values a portfolio holds up to which its values to check are counted at once: counting
# reads and compares every value (about 7 s for a million on two cores, once per change of
# the data, then shared by every session); above, a funder asks for the count.
COUNTED_AT_ONCE = 500_000


def data_quality(table: pd.DataFrame) -> pd.DataFrame:
    """The portfolio with, per alliance, how many of its values are still to check
    (``to_check``) and how many of its periods due in the past year came late or not at all
    (``late``); ``NA`` when not counted: a large portfolio counts them when asked."""
    held = int(reads.alliances(database.db(), session.scope())["observations"].sum())
    if held > COUNTED_AT_ONCE and not st.toggle(
        tr("portfolio.count_to_check", count=formatting.number(held, lang)),
        key="portfolio_count_to_check",
    ):
        missing = pd.Series(pd.NA, index=table.index, dtype="Int64")
        return table.assign(to_check=missing, late=missing)
    quality = reads.quality(database.db(), session.scope(), clock.today()).set_index("alliance")
    return table.assign(
        **{
            column: table["alliance"].map(quality[source]).fillna(0).astype("Int64")
            for column, source in (("to_check", "open"), ("late", "late"))
        }
    )


def portfolio_table(shown: pd.DataFrame, stages: dict[str, str]) -> None:
    """The figures first, what describes the alliance (also in the filters) last: on a laptop
    screen the table is read without scrolling sideways."""
    suffix = charts.percent_suffix(lang)
    display = pd.DataFrame({tr("portfolio.col.alliance"): shown["alliance"]})
    config: dict[str, Any] = {}
    texts: dict[str, list[str | None]] = {}
    score_columns(shown, display, config, texts)
    completeness = tr("portfolio.col.completeness")
    display[completeness] = (100 * shown["completeness"]).to_numpy()
    texts[completeness] = [
        f"{tr('badge.short.' + level)} {formatting.number(100 * share, lang, 0)}{suffix}"
        for level, share in zip(shown["badge"], shown["completeness"], strict=True)
    ]
    for key in ("to_check", "late"):  # how many values to check, periods late
        column = tr(f"portfolio.col.{key}")
        display[column] = shown[key].to_numpy()
        texts[column] = [
            "" if pd.isna(n) else tr_plain(f"portfolio.{key}_count", count=n) if n else "—"
            for n in shown[key]
        ]
        config[column] = st.column_config.NumberColumn(width=96, help=tr(f"portfolio.{key}_help"))
    until, updated = tr("portfolio.col.data_until"), tr("portfolio.col.updated")
    display[until] = once_each(shown["last_period"], formatting.month)
    config[until] = st.column_config.TextColumn(width=112, help=tr("portfolio.data_until_help"))
    display[updated] = once_each(shown["last_update"], formatting.short_date)
    config[updated] = st.column_config.TextColumn(width=92, help=tr("portfolio.data_until_help"))
    display[tr("portfolio.col.theme")] = once_each(shown["theme"], catalog.theme_label)
    display[tr("portfolio.col.territory")] = shown["territory"].to_numpy()
    config[tr("portfolio.col.territory")] = st.column_config.TextColumn(width=180)
    display[tr("portfolio.col.stage")] = (
        shown["stage"].map(lambda s: stages.get(s, s or "")).to_numpy()
    )
    year = shown["completeness_year"].dropna()
    config[completeness] = st.column_config.NumberColumn(
        width=108,
        help=tr("portfolio.completeness_help", year=int(year.max()) if len(year) else "—"),
    )
    styled = formatting.shown_as(display.reset_index(drop=True), texts)
    widgets.dataframe(styled, column_config=config, key="portfolio_table")


with widgets.guard():
    database.store()
    if empty.said("portfolio", reads.alliances(database.db(), session.scope())):
        st.stop()
    table = reads.portfolio(database.db(), session.scope(), clock.today().year)
    table = data_quality(table)
    stages = {code: labels[lang] for code, labels in catalog.STAGES.items()}
    shown = filtered(table, stages)
    st.caption(tr("portfolio.count", shown=len(shown), total=len(table)))
    if shown.empty:
        nothing_matches()
        st.stop()
    portfolio_table(shown, stages)
    st.markdown(tr("portfolio.rules"))
    # The one-pager to circulate: the alliances shown, built when the button is clicked (out of
    # the script's run: what it needs is taken now).
    db, who, names = database.db(), session.actor(), tuple(shown["alliance"])
    widgets.download_button(
        tr("pack.one_pager"),
        lambda: reads.portfolio_pdf(db, who.scope, names, lang),
        {"kind": "one_pager", "portfolios": sorted(who.portfolios), "alliances": list(names)},
        file_name=tr_plain("pack.one_pager_file", date=clock.today().isoformat()),
        mime="application/pdf",
        key="portfolio_one_pager",
        icon=":material/picture_as_pdf:",
    )
    comparison = navigation.page("comparison")
    st.page_link(comparison.file, label=tr("portfolio.to_compare"), icon=comparison.material_icon)
