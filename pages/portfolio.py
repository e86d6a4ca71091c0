"""Portfolio: every alliance in the funder's scope, with scores, trends and completeness."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from metrics import catalog, charts, compare, formatting, impact
from ui import common
from ui.common import tr

lang = common.lang()
st.title(tr("portfolio.title"))
st.markdown(tr("portfolio.intro"))

with common.guard():
    common.store()
    alliances = common.alliances(common.db(), common.scope())
    values = common.aggregated(common.db(), common.scope(), None, "year")
    goals = common.targets(common.db(), common.scope())
    table = compare.portfolio(
        values,
        goals,
        alliances,
        common.last_updates(common.db(), common.scope()),
        dt.date.today().year,
    )
    stages = {code: labels[lang] for code, labels in catalog.STAGES.items()}

    columns = st.columns(3)
    themes = columns[0].multiselect(
        tr("portfolio.theme"), sorted(set(table["theme"].dropna())), key="portfolio_themes"
    )
    territories = columns[1].multiselect(
        tr("portfolio.territory"),
        sorted(set(table["territory"].dropna())),
        key="portfolio_territories",
    )
    chosen_stages = columns[2].multiselect(
        tr("portfolio.stage"),
        [s for s in stages if s in set(table["stage"])],
        format_func=stages.__getitem__,
        key="portfolio_stages",
    )
    shown = compare.filter_portfolio(table, themes, territories, chosen_stages)
    st.caption(tr("portfolio.count", shown=len(shown), total=len(table)))

    display = pd.DataFrame({tr("portfolio.col.alliance"): shown["alliance"]})
    display[tr("portfolio.col.theme")] = shown["theme"]
    display[tr("portfolio.col.territory")] = shown["territory"]
    display[tr("portfolio.col.stage")] = shown["stage"].map(lambda s: stages.get(s, s or ""))
    config = {}
    for dimension in impact.DIMENSION_ORDER:
        name = catalog.DIMENSIONS[dimension][lang]
        display[name] = (100 * shown[f"{dimension}_score"]).round(0)
        display[f"{name} ±"] = shown[f"{dimension}_change"].map(compare.trend_arrow)
        config[name] = st.column_config.NumberColumn(
            name, format="%.0f %%", help=tr("portfolio.score_help")
        )
        config[f"{name} ±"] = st.column_config.TextColumn(
            "±", width="small", help=tr("portfolio.trend_help")
        )
    display[tr("portfolio.col.completeness")] = [
        f"{tr('badge.' + b)} ({formatting.number(100 * c, lang, 0)}{charts.percent_suffix(lang)}"
        f", {y or '—'})"
        for b, c, y in zip(shown["badge"], shown["completeness"], shown["completeness_year"])
    ]
    display[tr("portfolio.col.updated")] = shown["last_update"].map(
        lambda v: formatting.date(v, lang)
    )
    config[tr("portfolio.col.completeness")] = st.column_config.TextColumn(
        help=tr("portfolio.completeness_help")
    )
    st.dataframe(
        display, hide_index=True, width="stretch", column_config=config, key="portfolio_table"
    )
    st.markdown(tr("portfolio.rules"))
    st.page_link(
        "pages/comparison.py", label=tr("portfolio.to_compare"), icon=":material/compare_arrows:"
    )
