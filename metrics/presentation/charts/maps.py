"""The map of an alliance's home and its replication sites, on an outline of France shipped
with the package (no map server)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from metrics.presentation import formatting
from metrics.presentation.charts.common import (
    MODE_COLORS,
    NEUTRAL,
    STATUS_OPACITY,
    mode_name,
    shows_text,
    style,
)
from metrics.presentation.i18n import t


@functools.cache
def _france() -> list[list[list[float]]]:
    """The outline of France, read once per process."""
    text = (resources.files("metrics.presentation") / "data" / "france.json").read_text(
        encoding="utf-8"
    )
    return list(json.loads(text)["rings"])


@shows_text
def sites_map(origin: dict[str, Any], sites: pd.DataFrame, lang: str) -> go.Figure:
    """The alliance's home and its replication sites on an outline of France (drawn from a
    file shipped with the package: no map server)."""
    title = t("chart.map_title", lang)
    located = sites.dropna(subset=["latitude", "longitude"])
    fig = go.Figure()
    for trace in [*_outline(), *_home(origin, located, lang), *_sites(located, lang)]:
        fig.add_trace(trace)
    fig = style(fig, lang, title, height=560, periods=False)
    # Degrees of longitude are shorter than degrees of latitude at 46° N.
    fig.update_xaxes(range=[-5.5, 10], visible=False)
    fig.update_yaxes(range=[41.2, 51.3], visible=False, scaleanchor="x", scaleratio=1.44)
    # The legend sits south-west, beyond the Pyrenees, where the outline draws nothing (in
    # the south-east it covered Corsica).
    fig.update_layout(
        legend={
            "orientation": "v",
            "y": 0.01,
            "yanchor": "bottom",
            "x": 0.01,
            "xanchor": "left",
            "bgcolor": "rgba(255,255,255,0.85)",
        }
    )
    return fig


def _outline() -> list[go.Scatter]:
    """France, one filled shape per ring (the mainland, Corsica, the islands)."""
    return [
        go.Scatter(
            x=[p[0] for p in ring],
            y=[p[1] for p in ring],
            mode="lines",
            fill="toself",
            fillcolor="#F4F6F8",
            line={"color": "#9AA5B1", "width": 1},
            hoverinfo="skip",
            showlegend=False,
            name=f"france{number}",
        )
        for number, ring in enumerate(_france())
    ]


def _home(origin: dict[str, Any], located: pd.DataFrame, lang: str) -> list[go.Scatter]:
    """A dotted line from the alliance's home to each located site, then a star on its home;
    nothing when its home has no coordinates."""
    home = (origin.get("longitude"), origin.get("latitude"))
    if home[0] is None or pd.isna(home[0]):
        return []
    place = origin["territory"] if isinstance(origin.get("territory"), str) else ""
    lines = [
        go.Scatter(
            x=[home[0], row["longitude"]],
            y=[home[1], row["latitude"]],
            mode="lines",
            line={"color": MODE_COLORS.get(row["mode"], NEUTRAL), "width": 1, "dash": "dot"},
            hoverinfo="skip",
            showlegend=False,
        )
        for row in located.to_dict("records")
    ]
    star = go.Scatter(
        x=[home[0]],
        y=[home[1]],
        mode="markers+text",
        text=[str(origin["name"])],
        textposition="top center",
        name=t("chart.origin", lang),
        marker={"symbol": "star", "size": 18, "color": "#262730"},
        hovertext=[f"<b>{origin['name']}</b><br>{place}"],
        hoverinfo="text",
    )
    return [*lines, star]


def _sites(located: pd.DataFrame, lang: str) -> list[go.Scatter]:
    """The located sites, one trace per mode, a site's status by its opacity."""
    traces = []
    for mode in MODE_COLORS:
        part = located[located["mode"] == mode]
        if part.empty:
            continue
        traces.append(
            go.Scatter(
                x=part["longitude"],
                y=part["latitude"],
                mode="markers",
                name=mode_name(mode, lang),
                marker={
                    "size": 13,
                    "color": MODE_COLORS[mode],
                    "opacity": [STATUS_OPACITY[s] for s in part["status"]],
                    "line": {"width": 1, "color": "white"},
                },
                hovertext=[_site_hover(r, mode, lang) for r in part.to_dict("records")],
                hoverinfo="text",
            )
        )
    return traces


def _site_hover(site: Mapping[Any, Any], mode: str, lang: str) -> str:
    """A site's territory, mode, status and, when known, beneficiaries."""
    reach = (
        f"<br>{formatting.number(site['beneficiaries'], lang)} {t('chart.beneficiaries', lang)}"
        if not pd.isna(site["beneficiaries"])
        else ""
    )
    status = t("site." + site["status"], lang)
    return f"<b>{site['territory']}</b><br>{mode_name(mode, lang)} · {status}{reach}"
