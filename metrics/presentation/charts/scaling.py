"""The scaling's charts: replication sites by mode over time, the readiness factors against
the peers', and the reach per territory."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from metrics.presentation import formatting
from metrics.presentation.charts.common import (
    COLORS,
    MODE_COLORS,
    NEUTRAL,
    STATUS_OPACITY,
    by_code,
    mode_name,
    nothing_to_draw,
    score_radar,
    shows_text,
    style,
    wrap,
)
from metrics.presentation.i18n import t


@shows_text
def replication_bars(by_year: pd.DataFrame, lang: str) -> go.Figure:
    """Sites per mode over time, stacked; planned and stopped sites are lighter."""
    title = t("chart.replications_title", lang)
    if by_year.empty:
        return nothing_to_draw(t("chart.no_sites", lang), lang, title)
    fig = go.Figure()
    for mode in MODE_COLORS:
        for status in ("active", "stopped", "planned"):
            part = by_year[(by_year["mode"] == mode) & (by_year["status"] == status)]
            if part.empty:
                continue
            label = f"{mode_name(mode, lang)} ({t(f'site.{status}', lang)})"
            fig.add_trace(
                go.Bar(
                    x=[str(y) for y in part["year"]],
                    y=part["sites"],
                    name=label,
                    marker={
                        "color": MODE_COLORS[mode],
                        "opacity": STATUS_OPACITY[status],
                        "pattern": {"shape": "/" if status == "planned" else ""},
                    },
                    hovertext=[
                        f"<b>{label}</b><br>{y}{formatting.colon(lang)}{n}"
                        for y, n in zip(part["year"], part["sites"])
                    ],
                    hoverinfo="text",
                )
            )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=t("chart.sites", lang), dtick=1)
    return style(fig, lang, title)


@shows_text
def readiness_radar(table: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> go.Figure:
    """The four readiness factors: latest year, first year, and the median of the peers."""
    title = t("chart.readiness_title", lang)
    if table["latest"].isna().all():
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
    meta = by_code(indicators)
    labels = [wrap(str(meta[c][f"label_{lang}"]), 12) for c in table["indicator"]]
    fig = go.Figure()
    series = (
        (
            "peers",
            t("chart.peer_median", lang, count=int(table["peer_count"].max())),
            NEUTRAL,
            "dash",
        ),
        (
            "first",
            str(table["first_year"].dropna().iloc[0]) if table["first_year"].notna().any() else "",
            "#9AA5B1",
            "dot",
        ),
        ("latest", str(table["latest_year"].dropna().iloc[0]), COLORS["scaling"], "solid"),
    )
    for column, name, color, dash in series:
        values = table[column]
        if values.isna().all():
            continue
        fig.add_trace(
            go.Scatterpolar(
                r=[*values, values.iloc[0]],
                theta=[*labels, labels[0]],
                name=name,
                line={"color": color, "dash": dash, "width": 3},
                fill="toself" if column == "latest" else None,
                opacity=0.85,
                hovertext=[
                    f"<b>{label.replace('<br>', ' ')}</b><br>{name}{formatting.colon(lang)}"
                    f"{formatting.number(v, lang, 1)} / 5"
                    for label, v in zip([*labels, labels[0]], [*values, values.iloc[0]])
                ],
                hoverinfo="text",
            )
        )
    return score_radar(fig, lang, title, height=480, side=130)


@shows_text
def reach_bars(table: pd.DataFrame, lang: str) -> go.Figure:
    """Beneficiaries reached per territory, coloured by mode."""
    title = t("chart.reach_title", lang)
    if table.empty:
        return nothing_to_draw(t("chart.no_sites", lang), lang, title)
    order = list(dict.fromkeys(table["territory"]))[::-1]
    fig = go.Figure()
    for mode in MODE_COLORS:
        part = table[table["mode"] == mode]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                y=part["territory"],
                x=part["beneficiaries"],
                orientation="h",
                name=mode_name(mode, lang),
                marker_color=MODE_COLORS[mode],
                hovertext=[
                    f"<b>{n}</b><br>{mode_name(mode, lang)}{formatting.colon(lang)}"
                    f"{formatting.number(v, lang)}"
                    for n, v in zip(part["territory"], part["beneficiaries"])
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order)
    fig.update_xaxes(tickformat=",~r")
    fig = style(fig, lang, title, height=max(300, 150 + 36 * len(order)), periods=False)
    # The legend above the bars: below, it covered the axis's numbers.
    fig.update_layout(
        margin={"l": 160, "t": 100},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"},
    )
    return fig
