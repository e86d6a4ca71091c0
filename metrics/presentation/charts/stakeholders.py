"""The stakeholders' charts: one indicator by stakeholder and by stakeholder type, each
stakeholder's change since its first period, and what each reported."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from metrics.base import catalog
from metrics.presentation import formatting
from metrics.presentation.charts.common import (
    NEUTRAL,
    TYPE_COLORS,
    by_code,
    in_order,
    indicator_title,
    nothing_to_draw,
    percent_suffix,
    period_axis,
    shows_text,
    style,
    type_name,
)
from metrics.presentation.i18n import t


@shows_text
def stakeholder_lines(
    values: pd.DataFrame, indicator: pd.Series, granularity: str, lang: str
) -> go.Figure:
    """One indicator, one line per stakeholder."""
    title = t("chart.by_stakeholder", lang, indicator=indicator_title(dict(indicator), lang))
    part = values[values["stakeholder"] != ""]
    if part.empty:
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
    axis = period_axis(part["bucket"], granularity, lang)
    unit = catalog.unit_label(str(indicator["unit"]), lang)
    fig = go.Figure()
    for name, group in part.groupby("stakeholder"):
        group = group.sort_values("bucket")
        kind = str(group["stakeholder_type"].iloc[0])
        hover = [
            f"<b>{name}</b> ({type_name(kind, lang)})<br>{axis[b]}{formatting.colon(lang)}"
            f"{formatting.quantity(v, unit, lang)}"
            for b, v in zip(group["bucket"], group["value"])
        ]
        fig.add_trace(
            go.Scatter(
                x=[axis[b] for b in group["bucket"]],
                y=group["value"],
                name=str(name),
                mode="lines+markers",
                line={"color": TYPE_COLORS.get(kind, NEUTRAL), "width": 2},
                hovertext=hover,
                hoverinfo="text",
                showlegend=True,
            )
        )
    return style(
        fig,
        lang,
        title,
        xaxes=in_order(list(axis.values())),
        yaxes={"title": unit, "tickformat": ",~r", "rangemode": "tozero"},
    )


@shows_text
def type_bars(
    by_type: pd.DataFrame, indicator: pd.Series, granularity: str, lang: str
) -> go.Figure:
    """One indicator by stakeholder type over time: stacked for flows and stocks, side by
    side for rates and scores (which do not add up)."""
    title = t("chart.by_type", lang, indicator=indicator_title(dict(indicator), lang))
    if by_type.empty:
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
    axis = period_axis(by_type["bucket"], granularity, lang)
    unit = catalog.unit_label(str(indicator["unit"]), lang)
    fig = go.Figure()
    for kind, group in by_type.groupby("stakeholder_type"):
        group = group.sort_values("bucket")
        fig.add_trace(
            go.Bar(
                x=[axis[b] for b in group["bucket"]],
                y=group["value"],
                name=type_name(str(kind), lang),
                marker_color=TYPE_COLORS.get(str(kind), NEUTRAL),
                hovertext=[
                    f"<b>{type_name(str(kind), lang)}</b><br>{axis[b]}{formatting.colon(lang)}"
                    f"{formatting.quantity(v, unit, lang)}"
                    for b, v in zip(group["bucket"], group["value"])
                ],
                hoverinfo="text",
                showlegend=True,
            )
        )
    stacked = indicator["aggregation"] != "mean"
    fig.update_layout(barmode="stack" if stacked else "group")
    return style(
        fig,
        lang,
        title,
        xaxes=in_order(list(axis.values())),
        yaxes={"title": unit, "tickformat": ",~r"},
    )


@shows_text
def change_heatmap(changes: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> go.Figure:
    """Stakeholders × indicators: change since the first period, direction-adjusted."""
    title = t("chart.change_title", lang)
    if changes.empty:
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
    meta = by_code(indicators)
    codes = sorted(set(changes["indicator"]))
    people = sorted(set(changes["stakeholder"]), reverse=True)
    table = changes.set_index(["stakeholder", "indicator"])["change"]
    z = [[table.get((p, c), math.nan) for c in codes] for p in people]
    text = [
        [
            ""
            if pd.isna(v)
            else f"{'+' if v > 0 else ''}{formatting.number(v, lang, 0)}{percent_suffix(lang)}"
            for v in row
        ]
        for row in z
    ]
    bound = max(10.0, float(changes["change"].abs().max()))
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(meta[c][f"label_{lang}"]) for c in codes],
            y=people,
            text=text,
            texttemplate="%{text}",
            colorscale="RdYlGn",
            zmid=0,
            zmin=-bound,
            zmax=bound,
            xgap=3,
            ygap=3,
            colorbar={
                "title": {"text": t("chart.change_axis", lang)},
                "ticksuffix": percent_suffix(lang),
            },
            hovertemplate=f"%{{y}}<br>%{{x}}{formatting.colon(lang)}%{{text}}<extra></extra>",
        )
    )
    fig = style(fig, lang, title, height=max(300, 110 + 40 * len(people)))
    fig.update_layout(margin={"l": 240})
    fig.update_xaxes(tickangle=-20)
    return fig


@shows_text
def reporting_heatmap(counts: pd.DataFrame, lang: str) -> go.Figure:
    """Stakeholders × years: how many values each partner reported."""
    title = t("chart.reporting_title", lang)
    if counts.empty:
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
    people = sorted(set(counts["stakeholder"]), reverse=True)
    years = sorted(set(counts["year"]))
    table = counts.set_index(["stakeholder", "year"])["values"]
    z = [[int(table[(p, y)]) for y in years] for p in people]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(y) for y in years],
            y=people,
            text=[[str(v) if v else "—" for v in row] for row in z],
            texttemplate="%{text}",
            colorscale=[[0, "#F4F6F8"], [1e-9, "#C6DBEF"], [1, "#08519C"]],
            showscale=False,
            xgap=3,
            ygap=3,
            hovertemplate=f"%{{y}}<br>%{{x}}{formatting.colon(lang)}%{{z}}<extra></extra>",
        )
    )
    fig = style(fig, lang, title, height=max(260, 110 + 40 * len(people)))
    fig.update_layout(margin={"l": 240})
    return fig
