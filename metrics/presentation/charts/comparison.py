"""The comparison's and the portfolio's charts: alliances side by side, the chosen one standing
out (normalised values over time, rankings, the peers' spread, two dimensions' scores)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from metrics.presentation import formatting
from metrics.presentation.charts.common import (
    GOOD,
    NEUTRAL,
    dimension_name,
    nothing_to_draw,
    percent_suffix,
    shows_text,
    style,
)
from metrics.presentation.i18n import t

HIGHLIGHT = "#D55E00"
PEER = "#7F9CB8"
BADGE_COLORS = {"high": "#1A9850", "medium": "#F0B429", "low": "#C0392B"}


@shows_text
def comparison_lines(
    table: pd.DataFrame, title: str, axis_title: str, lang: str, highlight: str | None = None
) -> go.Figure:
    """Normalised yearly values, one line per alliance (the selected one drawn thicker)."""
    usable = table[table["value"].notna()]
    if usable.empty:
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
    years = sorted(set(usable["year"]))
    ordered = usable.sort_values(["alliance", "year"], kind="stable")

    def hover(name: Any, group: pd.DataFrame) -> list[str]:
        return [
            f"<b>{name}</b><br>{y}{formatting.colon(lang)}{formatting.number(v, lang)}"
            for y, v in zip(group["year"], group["value"], strict=True)
        ]

    count = ordered["alliance"].nunique()
    if count <= MANY_LINES:
        groups = ordered.groupby("alliance", sort=True)  # sorted once, split once
        traces = [
            go.Scatter(
                x=[str(y) for y in group["year"]],
                y=group["value"],
                name=str(name),
                mode="lines+markers",
                line={
                    "width": 4 if name == highlight else 2,
                    "color": HIGHLIGHT if name == highlight else None,
                },
                hovertext=hover(name, group),
                hoverinfo="text",
            )
            for name, group in groups
        ]
    else:
        # Beyond a legend's worth of lines, the others are one grey trace (each alliance's
        # line broken from the next by a gap) and the chosen one stands out.
        mine = ordered["alliance"] == highlight
        others = count - int(mine.any())
        traces = [_joined_lines(ordered[~mine], t("chart.others", lang, count=others), lang)]
        if mine.any():
            traces.append(_joined_lines(ordered[mine], str(highlight), lang, HIGHLIGHT, 4))
    # One figure made from every trace at once: adding them one by one copies the figure's
    # traces each time.
    fig = go.Figure(data=traces)
    fig.update_xaxes(categoryorder="array", categoryarray=[str(y) for y in years])
    fig.update_yaxes(title=axis_title, tickformat=",~r")
    return style(fig, lang, title)


MANY_LINES = 20  # more alliances than this on one line chart: the others drawn as one trace


def _joined_lines(
    frame: pd.DataFrame,
    name: str,
    lang: str,
    color: str = "rgba(127, 140, 141, 0.3)",  # translucent: where lines crowd, it darkens
    width: float = 1.2,
) -> go.Scatter:
    """Each alliance's line of ``frame`` (sorted by alliance, then year) in one trace, each
    followed by a gap (``None``). The hover names the alliance; plotly formats its value with
    the chart's separators (at most two decimals), so that no text is built per point."""
    alliances = frame["alliance"].to_numpy(dtype=object)
    starts = np.flatnonzero(alliances[1:] != alliances[:-1]) + 1
    gaps = np.append(starts, len(alliances))  # a gap before each next line and at the end

    def gapped(values: Any, gap: Any = None) -> np.ndarray:
        # Arrays, not lists: plotly takes an array as it is, and walks a list item by item.
        array = np.asarray(values, dtype=object if gap is None else "float64")
        return np.insert(array, gaps, gap)

    return go.Scatter(
        x=gapped(frame["year"].astype(str)),
        y=gapped(frame["value"], math.nan),
        customdata=gapped(alliances),
        name=name,
        mode="lines",
        connectgaps=False,
        line={"width": width, "color": color},
        hovertemplate=(
            f"<b>%{{customdata}}</b><br>%{{x}}{formatting.colon(lang)}%{{y:,.2~f}}<extra></extra>"
        ),
    )


@shows_text
def ranking_bars(
    ranked: pd.DataFrame, title: str, axis_title: str, lang: str, highlight: str | None = None
) -> go.Figure:
    """Ranked alliances as horizontal bars, best at the top, with their confidence badge.

    Beyond ``MAX_BARS`` alliances, the first ones are drawn, and the chosen one after them
    wherever it ranks; the chart says so (every rank is in the table below it).
    """
    if ranked.empty:
        return nothing_to_draw(t("chart.no_ranking", lang), lang, title)
    total = len(ranked)
    if total > MAX_BARS:
        first = ranked.iloc[:MAX_BARS]
        chosen = ranked[(ranked["alliance"] == highlight) & ~ranked.index.isin(first.index)]
        ranked = pd.concat([first, chosen])
    ordered = ranked.iloc[::-1]
    labels = [f"{r.rank}. {r.alliance}" for r in ordered.itertuples()]
    fig = go.Figure(
        go.Bar(
            x=ordered["value"],
            y=labels,
            orientation="h",
            marker_color=[HIGHLIGHT if a == highlight else PEER for a in ordered["alliance"]],
            text=[
                f"{formatting.number(v, lang)} · {t(f'badge.{b}', lang)}"
                for v, b in zip(ordered["value"], ordered["badge"])
            ],
            textposition="auto",
            hovertext=[
                t(
                    "chart.rank_hover",
                    lang,
                    name=name,
                    rank=rank,
                    value=formatting.number(value, lang),
                    completeness=formatting.number(100 * share, lang, 0),
                    badge=t(f"badge.{level}", lang),
                )
                for name, rank, value, share, level in zip(
                    ordered["alliance"],
                    ordered["rank"],
                    ordered["value"],
                    ordered["completeness"],
                    ordered["badge"],
                )
            ],
            hoverinfo="text",
        )
    )
    fig.update_xaxes(title=axis_title, type="linear", tickformat=",~r")
    fig.update_yaxes(type="category")
    fig = style(fig, lang, title, height=max(260, 120 + 38 * len(ranked)), periods=False)
    fig.update_layout(margin={"l": 240})
    if total > len(ranked):
        note = t("chart.first_ranks", lang, shown=MAX_BARS, total=total)
        fig.update_layout(
            title_subtitle={"text": note, "font": {"size": 12, "color": NEUTRAL}},
            margin={"t": 85},
        )
    return fig


MAX_BARS = 25  # alliances drawn in a ranking (and the chosen one, wherever it ranks)


def _padded(values: pd.Series) -> list[float]:
    """An axis range around ``values`` and the 0–100 % band, with room for the labels."""
    low, high = min(0.0, float(values.min())), max(100.0, float(values.max()))
    margin = 0.12 * (high - low)
    return [low - margin, high + margin]


@shows_text
def dimension_scatter(
    portfolio: pd.DataFrame, x: str, y: str, lang: str, highlight: str | None = None
) -> go.Figure:
    """Each alliance's latest score on two dimensions (in % of the way to targets)."""
    title = t("chart.scatter_title", lang, x=dimension_name(x, lang), y=dimension_name(y, lang))
    usable = portfolio[portfolio[f"{x}_score"].notna() & portfolio[f"{y}_score"].notna()]
    if usable.empty:
        return nothing_to_draw(t("chart.no_scores", lang), lang, title)
    fig = go.Figure(
        go.Scatter(
            x=100 * usable[f"{x}_score"],
            y=100 * usable[f"{y}_score"],
            mode="markers+text",
            text=list(usable["alliance"]),
            textposition="top center",
            marker={
                "size": 14,
                "color": [HIGHLIGHT if a == highlight else PEER for a in usable["alliance"]],
                "line": {"width": 1, "color": "white"},
            },
            hovertext=[
                f"<b>{r['alliance']}</b><br>{dimension_name(x, lang)}{formatting.colon(lang)}"
                f"{formatting.number(100 * r[f'{x}_score'], lang, 0)}{percent_suffix(lang)}"
                f"<br>{dimension_name(y, lang)}{formatting.colon(lang)}"
                f"{formatting.number(100 * r[f'{y}_score'], lang, 0)}{percent_suffix(lang)}"
                for r in usable.to_dict("records")
            ],
            hoverinfo="text",
        )
    )
    for axis in ("x", "y"):
        fig.update_layout({f"{axis}axis": {"type": "linear", "ticksuffix": percent_suffix(lang)}})
    fig.update_xaxes(title=dimension_name(x, lang))
    fig.update_yaxes(title=dimension_name(y, lang))
    fig.add_hline(y=100, line={"dash": "dash", "color": GOOD, "width": 1})
    fig.add_vline(x=100, line={"dash": "dash", "color": GOOD, "width": 1})
    fig.update_xaxes(range=_padded(100 * usable[f"{x}_score"]))
    fig.update_yaxes(range=_padded(100 * usable[f"{y}_score"]))
    return style(fig, lang, title, height=480, periods=False)


@shows_text
def peer_distribution(
    values: pd.DataFrame, title: str, axis_title: str, lang: str, highlight: str | None = None
) -> go.Figure:
    """The peers' values on one year as a box with every point; the selected one stands out."""
    usable = values[values["value"].notna()]
    if usable.empty:
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
    fig = go.Figure(
        go.Box(
            x=usable["value"],
            name="",
            boxpoints="all",
            jitter=0.4,
            pointpos=0,
            marker={"color": PEER, "size": 10},
            line={"color": NEUTRAL},
            fillcolor="rgba(127,156,184,0.15)",
            text=list(usable["alliance"]),
            hoverinfo="text+x",
        )
    )
    chosen = usable[usable["alliance"] == highlight]
    if not chosen.empty:
        fig.add_trace(
            go.Scatter(
                x=chosen["value"],
                y=[""] * len(chosen),
                mode="markers+text",
                text=list(chosen["alliance"]),
                textposition="top left",
                marker={"color": HIGHLIGHT, "size": 16, "symbol": "diamond"},
                hoverinfo="text+x",
                showlegend=False,
            )
        )
    fig.update_xaxes(title=axis_title, type="linear", tickformat=",~r")
    fig.update_yaxes(type="category", showticklabels=False)
    spread = float(usable["value"].max() - usable["value"].min()) or 1.0
    fig.update_xaxes(
        range=[
            float(usable["value"].min()) - 0.08 * spread,
            float(usable["value"].max()) + 0.08 * spread,
        ]
    )
    fig.update_layout(showlegend=False)
    return style(fig, lang, title, height=300, periods=False)
