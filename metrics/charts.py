"""Plotly figure builders: data in, figure out, one look everywhere.

A colour per dimension, readable titles and axis labels with units, baseline and target lines,
direction-aware colouring (green when a value moves the good way, red otherwise), French or
English labels and number formats, hover texts that say what each point is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from metrics import catalog, formatting
from metrics.i18n import t
from metrics.impact import period_label

COLORS = {"innovation": "#0072B2", "performance": "#D55E00", "trust": "#009E73"}
GOOD, BAD, NEUTRAL, GRID = "#1A9850", "#C0392B", "#7F8C8D", "#E5E8EC"
STATUS_COLORS = {"complete": "#1A9850", "partial": "#F0B429", "missing": "#E5E8EC"}
FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"


def separators(lang: str) -> str:
    """Plotly's decimal then thousands separators: ``1 234,5`` in French."""
    return ",\u202f" if lang == "fr" else ".,"


def percent_suffix(lang: str) -> str:
    return "\u202f%" if lang == "fr" else "%"


def _style(fig: go.Figure, lang: str, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        template="plotly_white",
        separators=separators(lang),
        font={"family": FONT, "size": 13, "color": "#262730"},
        height=height,
        margin={"l": 60, "r": 20, "t": 70, "b": 60},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(gridcolor=GRID, type="category")
    fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID)
    return fig


def _labels(periods: Sequence[str], granularity: str, lang: str) -> list[str]:
    from metrics.periods import from_canonical

    return [period_label(from_canonical(p), lang) for p in periods]


def empty(message: str, lang: str, title: str = "") -> go.Figure:
    """A figure that says there is nothing to draw, instead of blank axes."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 15, "color": NEUTRAL})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, lang, title, height=220)


def _meta(indicators: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Indicator code -> its catalog row (labels, unit, dimension, direction)."""
    return {
        str(row["code"]): {str(k): v for k, v in row.items()}
        for row in indicators.to_dict("records")
    }


def dimension_name(dimension: str, lang: str) -> str:
    return catalog.DIMENSIONS[dimension][lang]


def scores_over_time(scores: pd.DataFrame, granularity: str, lang: str) -> go.Figure:
    """The three dimension scores (% of the way from baseline to target) over time."""
    if scores.empty:
        return empty(t("chart.no_scores", lang), lang, t("chart.scores_title", lang))
    ordered = sorted(set(scores["period"]), key=lambda p: p)
    labels = dict(zip(ordered, _labels(ordered, granularity, lang)))
    fig = go.Figure()
    for dimension in COLORS:
        part = scores[scores["dimension"] == dimension].sort_values("bucket")
        if part.empty:
            continue
        name = dimension_name(dimension, lang)
        hover = [
            t(
                "chart.score_hover",
                lang,
                dimension=name,
                period=labels[p],
                score=formatting.number(100 * s, lang, 0),
                n=n,
                total=total,
            )
            for p, s, n, total in zip(part["period"], part["score"], part["n"], part["total"])
        ]
        fig.add_trace(
            go.Scatter(
                x=[labels[p] for p in part["period"]],
                y=100 * part["score"],
                name=name,
                mode="lines+markers",
                line={"color": COLORS[dimension], "width": 3},
                marker={"size": 8},
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.add_hline(
        y=100,
        line={"dash": "dash", "color": GOOD, "width": 1.5},
        annotation_text=t("chart.target", lang),
        annotation_position="top left",
    )
    fig.add_hline(
        y=0,
        line={"dash": "dot", "color": NEUTRAL, "width": 1.5},
        annotation_text=t("chart.baseline", lang),
        annotation_position="bottom left",
    )
    fig.update_xaxes(categoryorder="array", categoryarray=[labels[p] for p in ordered])
    fig.update_yaxes(title=t("chart.score_axis", lang), ticksuffix=percent_suffix(lang))
    return _style(fig, lang, t("chart.scores_title", lang))


def _trend_colors(values: Sequence[float], direction: str) -> list[str]:
    colors = [NEUTRAL]
    for before, now in itertools.pairwise(values):
        if math.isnan(before) or math.isnan(now) or now == before:
            colors.append(NEUTRAL)
        else:
            colors.append(GOOD if (now > before) == (direction == "up") else BAD)
    return colors


def indicator_grid(
    progressed: pd.DataFrame,
    indicators: pd.DataFrame,
    granularity: str,
    lang: str,
    columns: int = 3,
) -> go.Figure:
    """Small multiples: each indicator's values with its baseline and target lines.

    Markers are green when the value moved the good way since the previous period, red when
    it moved the bad way; a hollow marker is a partial sum (the period is not over).
    """
    if progressed.empty:
        return empty(t("chart.no_values", lang), lang, t("chart.grid_title", lang))
    meta = _meta(indicators)
    codes = sorted(
        set(progressed["indicator"]), key=lambda c: (list(COLORS).index(meta[c]["dimension"]), c)
    )
    rows = math.ceil(len(codes) / columns)
    titles = [
        f"{meta[c][f'label_{lang}']} ({catalog.unit_label(meta[c]['unit'], lang)})" for c in codes
    ]
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        vertical_spacing=min(0.12, 0.5 / max(rows, 1)),
        horizontal_spacing=0.06,
    )
    all_periods = sorted(set(progressed["period"]))
    labels = dict(zip(all_periods, _labels(all_periods, granularity, lang)))
    for number, code in enumerate(codes):
        row, col = number // columns + 1, number % columns + 1
        part = progressed[progressed["indicator"] == code].sort_values("bucket")
        dimension = meta[code]["dimension"]
        unit = catalog.unit_label(meta[code]["unit"], lang)
        direction = str(meta[code]["direction"])
        values = [float(v) for v in part["value"]]
        hover = []
        for period, value, prog, idx, partial in zip(
            part["period"], values, part["progress"], part["index"], part["partial"]
        ):
            detail = (
                t("chart.progress_hover", lang, progress=formatting.number(100 * prog, lang, 0))
                if not pd.isna(prog)
                else t("chart.index_hover", lang, index=formatting.number(idx, lang, 0))
                if not pd.isna(idx)
                else ""
            )
            note = t("chart.partial_hover", lang) if partial else ""
            hover.append(
                f"<b>{titles[number]}</b><br>{labels[period]} : "
                f"{formatting.quantity(value, unit, lang)}<br>{detail}{note}"
                if lang == "fr"
                else f"<b>{titles[number]}</b><br>{labels[period]}: "
                f"{formatting.quantity(value, unit, lang)}<br>{detail}{note}"
            )
        partial = [bool(p) for p in part["partial"]]
        fig.add_trace(
            go.Scatter(
                x=[labels[p] for p in part["period"]],
                y=values,
                mode="lines+markers",
                line={"color": COLORS[dimension], "width": 2},
                marker={
                    "size": 8,
                    "color": [
                        "white" if p else c
                        for p, c in zip(partial, _trend_colors(values, direction))
                    ],
                    "line": {"width": 2, "color": _trend_colors(values, direction)},
                },
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
            ),
            row=row,
            col=col,
        )
        with_target = part[part["progress"].notna()]
        if not with_target.empty:
            target, baseline = with_target["target"].iloc[0], with_target["baseline"].iloc[0]
            fig.add_hline(
                y=target, line={"dash": "dash", "color": GOOD, "width": 1.2}, row=row, col=col
            )
            fig.add_hline(
                y=baseline, line={"dash": "dot", "color": NEUTRAL, "width": 1.2}, row=row, col=col
            )
    fig.update_annotations(font={"size": 12})
    fig.update_xaxes(tickangle=0, nticks=6)
    fig.update_yaxes(tickformat=",~r", rangemode="tozero")
    style = _style(fig, lang, t("chart.grid_title", lang), height=max(320, 260 * rows))
    return style


def completeness_heatmap(grid: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> go.Figure:
    """Indicators × years: complete, partial or missing."""
    if grid.empty:
        return empty(t("chart.no_values", lang), lang)
    meta = _meta(indicators)
    codes = sorted(
        set(grid["indicator"]),
        key=lambda c: (list(COLORS).index(meta[c]["dimension"]), c),
        reverse=True,
    )
    years = sorted(set(grid["year"]))
    code_of = {"missing": 0, "pending": 0, "partial": 1, "complete": 2}
    status = grid.set_index(["indicator", "year"])["status"]
    z = [[code_of[status[(c, y)]] for y in years] for c in codes]
    text = [[t(f"status.{status[(c, y)]}", lang) for y in years] for c in codes]
    scale = [
        [0, STATUS_COLORS["missing"]],
        [0.33, STATUS_COLORS["missing"]],
        [0.34, STATUS_COLORS["partial"]],
        [0.66, STATUS_COLORS["partial"]],
        [0.67, STATUS_COLORS["complete"]],
        [1, STATUS_COLORS["complete"]],
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(y) for y in years],
            y=[meta[c][f"label_{lang}"] for c in codes],
            text=text,
            texttemplate="%{text}",
            colorscale=scale,
            zmin=0,
            zmax=2,
            showscale=False,
            xgap=3,
            ygap=3,
            hovertemplate="%{y}<br>%{x} : %{text}<extra></extra>",
        )
    )
    fig = _style(
        fig, lang, t("chart.completeness_title", lang), height=max(260, 60 + 28 * len(codes))
    )
    fig.update_layout(margin={"l": 260})
    return fig
