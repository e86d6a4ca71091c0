"""The trust barometer's charts: the prerequisites of co-construction over time, at the latest
period against the one before, and as each stakeholder type scores them."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from metrics.base import catalog
from metrics.domain.impact import period_of
from metrics.presentation import formatting
from metrics.presentation.charts.common import (
    COLORS,
    NEUTRAL,
    TYPE_COLORS,
    by_code,
    in_order,
    nothing_to_draw,
    period_axis,
    score_radar,
    shows_text,
    style,
    type_name,
    wrap,
)
from metrics.presentation.i18n import t


@shows_text
def prerequisites_lines(
    values: pd.DataFrame, indicators: pd.DataFrame, granularity: str, lang: str
) -> go.Figure:
    """The four prerequisites of co-construction over time (1 to 5, alliance mean)."""
    title = t("chart.prerequisites_title", lang)
    part = values[values["indicator"].isin(catalog.PREREQUISITES)]
    if part.empty:
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
    meta = by_code(indicators)
    axis = period_axis(part["bucket"], granularity, lang)
    palette = ["#009E73", "#0072B2", "#E69F00", "#CC79A7"]
    fig = go.Figure()
    for color, code in zip(palette, catalog.PREREQUISITES):
        group = part[part["indicator"] == code].sort_values("bucket")
        if group.empty:
            continue
        label = str(meta[code][f"label_{lang}"])
        fig.add_trace(
            go.Scatter(
                x=[axis[b] for b in group["bucket"]],
                y=group["value"],
                name=label,
                mode="lines+markers",
                line={"color": color, "width": 3},
                hovertext=[
                    f"<b>{label}</b><br>{axis[b]}{formatting.colon(lang)}"
                    f"{formatting.number(v, lang, 1)} / 5"
                    for b, v in zip(group["bucket"], group["value"])
                ],
                hoverinfo="text",
            )
        )
    return style(
        fig,
        lang,
        title,
        xaxes=in_order(list(axis.values())),
        yaxes={"title": t("chart.score_1_5", lang), "range": [1, 5], "dtick": 1},
    )


@shows_text
def radar(
    latest: pd.DataFrame,
    previous: pd.DataFrame,
    indicators: pd.DataFrame,
    granularity: str,
    lang: str,
) -> go.Figure:
    """The prerequisites (and trust between partners) at the latest period and the one before."""
    title = t("chart.radar_title", lang)
    codes = [*catalog.PREREQUISITES, "partner_trust"]
    if latest.empty:
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
    meta = by_code(indicators)
    fig = go.Figure()
    for frame, color, dash in ((previous, NEUTRAL, "dot"), (latest, COLORS["trust"], "solid")):
        if frame.empty:
            continue
        values = frame.set_index("indicator")["value"]
        shown = [c for c in codes if c in values.index]
        labels = [wrap(str(meta[c][f"label_{lang}"])) for c in shown]
        period = formatting.period_label(period_of(frame["bucket"].iloc[0], granularity), lang)
        fig.add_trace(
            go.Scatterpolar(
                r=[*[values[c] for c in shown], values[shown[0]]],
                theta=[*labels, labels[0]],
                name=period,
                line={"color": color, "dash": dash, "width": 3},
                fill="toself" if frame is latest else None,
                opacity=0.85,
                hovertext=[
                    f"<b>{label.replace('<br>', ' ')}</b><br>{period}{formatting.colon(lang)}"
                    f"{formatting.number(values[c], lang, 1)} / 5"
                    for c, label in zip([*shown, shown[0]], [*labels, labels[0]])
                ],
                hoverinfo="text",
            )
        )
    return score_radar(fig, lang, title, height=460, side=90)


@shows_text
def type_gap_bars(
    by_type: pd.DataFrame, indicators: pd.DataFrame, granularity: str, lang: str
) -> go.Figure:
    """Each prerequisite as scored by each stakeholder type, at the latest period."""
    title = t("chart.gap_title", lang)
    part = by_type[by_type["indicator"].isin(catalog.PREREQUISITES)]
    if part.empty:
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
    last = part["bucket"].max()
    part = part[part["bucket"] == last]
    meta = by_code(indicators)
    codes = [c for c in catalog.PREREQUISITES if c in set(part["indicator"])]
    labels = [str(meta[c][f"label_{lang}"]) for c in codes]
    period = formatting.period_label(period_of(last, granularity), lang)
    fig = go.Figure()
    for kind, group in part.groupby("stakeholder_type"):
        values = group.set_index("indicator")["value"]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=[values.get(c, math.nan) for c in codes],
                name=type_name(str(kind), lang),
                marker_color=TYPE_COLORS.get(str(kind), NEUTRAL),
                hovertext=[
                    f"<b>{type_name(str(kind), lang)}</b><br>{label} ({period})"
                    f"{formatting.colon(lang)}"
                    f"{formatting.number(values.get(c, math.nan), lang, 1)} / 5"
                    for c, label in zip(codes, labels)
                ],
                hoverinfo="text",
            )
        )
    gaps = part.groupby("indicator")["value"].agg(lambda v: v.max() - v.min())
    for code, label in zip(codes, labels):
        fig.add_annotation(
            x=label,
            y=5.15,
            showarrow=False,
            font={"size": 12, "color": NEUTRAL},
            text=t("chart.gap", lang, gap=formatting.number(gaps.get(code, 0), lang, 1)),
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=t("chart.score_1_5", lang), range=[1, 5.4], dtick=1)
    return style(fig, lang, t("chart.gap_title_period", lang, period=period))
