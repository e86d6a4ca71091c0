"""The look every chart shares: palette, styling, number separators in the reader's language,
and the escaping of the text that comes from users' spreadsheets.

Every figure builder of the package is wrapped in ``shows_text`` and styled by ``style``.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from metrics.base import catalog
from metrics.domain.impact import period_of
from metrics.presentation import formatting
from metrics.presentation.i18n import t

# Every figure of the app starts from the white template: plotly gives a new figure its default
# template without validating it, where setting one on each figure took 9 ms of its 22 ms of
# styling.
pio.templates.default = "plotly_white"

COLORS = {
    "innovation": "#0072B2",
    "performance": "#D55E00",
    "trust": "#009E73",
    "scaling": "#6A3D9A",
}
GOOD, BAD, NEUTRAL, GRID = "#1A9850", "#C0392B", "#7F8C8D", "#E5E8EC"
NOTE = "#2C3E50"  # the steering committee's notes on a chart
FLAG = "#B45309"  # a value to check (amber, apart from the trend's green and red)
FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"
TYPE_COLORS = {
    "company": "#0072B2",
    "public": "#E69F00",
    "association": "#009E73",
    "citizen": "#CC79A7",
    "academic": "#56B4E9",
    "funder": "#8C6D31",
}
MODE_COLORS = {"deep": "#0072B2", "out": "#E69F00", "up": "#009E73", "across": "#CC79A7"}
STATUS_OPACITY = {"active": 1.0, "stopped": 0.35, "planned": 0.55}


# -- text from spreadsheets ---------------------------------------------------------------------
# Plotly reads a little HTML in every label (<b>, <br>, <a href>, entities). Names, labels and
# units come from users' spreadsheets: each figure builder receives them escaped, so that
# ``<a href=...>`` in a name is shown as those characters, never as a link. The catalogue's own
# hover templates keep their markup: they are filled in with the escaped values.


def escaped(value: Any) -> Any:
    """``value`` with every text in it shown as text by plotly (frames, series, dicts, lists)."""
    if isinstance(value, str):
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if isinstance(value, pd.DataFrame):
        texts = [c for c in value.columns if _has_markup(value[c])]
        index = _has_markup(value.index.to_series())
        if not texts and not index:
            return value
        value = value.copy()
        for column in texts:
            value[column] = value[column].map(escaped)
        if index:
            value.index = value.index.map(escaped)
        return value
    if isinstance(value, pd.Series):
        return value.map(escaped) if _has_markup(value) else value
    if isinstance(value, dict):
        return {k: escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(escaped(v) for v in value)
    return value


def _has_markup(values: pd.Series) -> bool:
    """Whether a column holds text with a character plotly would read as markup (checked in
    bulk: columns of numbers or plain names are left as they are, without a copy)."""
    if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
        return False
    texts = values.dropna().astype(str)
    return bool(texts.str.contains("[<>&]", regex=True).any())


# The most points one trace may carry: beyond, a browser draws slowly and a reader sees
# nothing more. A longer trace is thinned evenly, and the chart says so.
MAX_POINTS = 50_000
_PER_POINT = ("x", "y", "text", "hovertext", "customdata", "ids")


def shows_text(build: Any) -> Any:
    """Figure builders take their arguments with every text escaped (see ``escaped``), and no
    trace of their figures carries more than ``MAX_POINTS`` points (see ``_thinned``)."""
    signature = inspect.signature(build)

    @functools.wraps(build)
    def wrapper(*args: Any, **kwargs: Any) -> go.Figure:
        fig = build(*(escaped(a) for a in args), **{k: escaped(v) for k, v in kwargs.items()})
        lang = signature.bind(*args, **kwargs).arguments["lang"]
        return _thinned(fig, lang)

    return wrapper


def _thinned(fig: go.Figure, lang: str) -> go.Figure:
    """Every trace longer than ``MAX_POINTS`` keeps one point in ``step`` (its per-point
    arrays alike), with a note on the chart saying how many of how many are drawn."""
    notes = []
    for trace in fig.data:
        sizes = [len(v) for a in _PER_POINT if (v := getattr(trace, a, None)) is not None]
        total = max((n for n in sizes if not isinstance(n, str)), default=0)
        if total <= MAX_POINTS:
            continue
        step = math.ceil(total / MAX_POINTS)
        for name in _PER_POINT:
            values = getattr(trace, name, None)
            if values is not None and not isinstance(values, str) and len(values) == total:
                trace[name] = list(values)[::step]
        notes.append((math.ceil(total / step), total))
    if notes:
        shown, total = sum(n[0] for n in notes), sum(n[1] for n in notes)
        fig.add_annotation(
            text=t(
                "chart.thinned",
                lang,
                shown=formatting.number(shown, lang),
                total=formatting.number(total, lang),
            ),
            xref="paper",
            yref="paper",
            x=1,
            y=1.08,
            xanchor="right",
            showarrow=False,
            font={"size": 12, "color": NEUTRAL},
        )
    return fig


def separators(lang: str) -> str:
    """Plotly's decimal then thousands separators: ``1 234,5`` in French."""
    return ",\u202f" if lang == "fr" else ".,"


def percent_suffix(lang: str) -> str:
    """What follows a percentage: ``12\u202f%`` in French, ``12%`` in English."""
    return "\u202f%" if lang == "fr" else "%"


AXES = {"x": {"gridcolor": GRID}, "y": {"gridcolor": GRID, "zerolinecolor": GRID}}


def style(
    fig: go.Figure,
    lang: str,
    title: str,
    height: int = 420,
    periods: bool = True,
    xaxes: dict[str, Any] | None = None,
    yaxes: dict[str, Any] | None = None,
    axes: bool = True,
    subtitle: str = "",
) -> go.Figure:
    """The common look. ``subtitle``: a smaller line under the title (how to read the
    chart). ``periods``: the x axis holds period labels, kept in given order as
    categories (plotly would otherwise read "2024" as a number). ``xaxes``, ``yaxes``: the
    chart's own settings of every axis, set with the common ones (each update walks every
    axis of the figure: a grid of thirty has sixty). ``axes=False``: the figure's axes were
    made with ``AXES`` already."""
    heading: dict[str, Any] = {"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}}
    if subtitle:
        heading["subtitle"] = {"text": subtitle, "font": {"size": 12.5, "color": "#5D6470"}}
    fig.update_layout(
        title=heading,
        separators=separators(lang),
        font={"family": FONT, "size": 13, "color": "#262730"},
        height=height,
        margin={"l": 60, "r": 20, "t": 90 if subtitle else 70, "b": 60},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    if axes:
        category = {"type": "category"} if periods else {}
        fig.update_xaxes(**AXES["x"], **category, **(xaxes or {}))
        fig.update_yaxes(**AXES["y"], **(yaxes or {}))
    return fig


def crowded(count: int) -> dict[str, Any]:
    """Period labels slanted when there are many of them (x axis settings)."""
    return {"tickangle": -45} if count > 12 else {}


def in_order(labels: list[str]) -> dict[str, Any]:
    """An x axis of period labels in the order given (slanted when crowded)."""
    return {"categoryorder": "array", "categoryarray": labels, **crowded(len(labels))}


def nothing_to_draw(message: str, lang: str, title: str = "") -> go.Figure:
    """A figure that says there is nothing to draw, instead of blank axes."""
    fig = go.Figure()
    # On lines of a half-width chart (plotly does not wrap: a long message was cut at both ends)
    fig.add_annotation(text=wrap(message, 60), showarrow=False, font={"size": 15, "color": NEUTRAL})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style(fig, lang, title, height=220)


empty = shows_text(nothing_to_draw)  # for pages: a figure that says why there is none


def by_code(indicators: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Indicator code -> its catalog row (labels, unit, dimension, direction)."""
    return {
        str(row["code"]): {str(k): v for k, v in row.items()}
        for row in indicators.to_dict("records")
    }


def dimension_name(dimension: str, lang: str) -> str:
    """An impact dimension's name in ``lang``."""
    return catalog.DIMENSIONS[dimension][lang]


def type_name(kind: str, lang: str) -> str:
    """A stakeholder type's name in ``lang`` (the code itself when the catalog has none)."""
    return catalog.STAKEHOLDER_TYPES.get(kind, {}).get(lang, kind)


def indicator_title(meta: dict[str, Any], lang: str) -> str:
    """An indicator's label and unit, from its catalog row (``by_code``)."""
    return f"{meta[f'label_{lang}']} ({catalog.unit_label(meta['unit'], lang)})"


def period_axis(buckets: Iterable[Any], granularity: str, lang: str) -> dict[Any, str]:
    """Each distinct bucket (a period's first day), in order, to its period's label."""
    short = granularity == "month"
    return {
        b: formatting.period_label(period_of(b, granularity), lang, short)
        for b in sorted(set(buckets))
    }


def wrap(label: str, width: int = 14) -> str:
    """Break a long label into lines of about ``width`` characters, for tight places like a
    radar."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def score_radar(fig: go.Figure, lang: str, title: str, height: int, side: int) -> go.Figure:
    """The look of a radar of 1-5 scores: first axis at the top, room for the labels, and the
    scale's numbers between the first two axes (on the first, "5" ran into its label)."""
    axes = max((len(set(trace.theta)) for trace in fig.data), default=4)
    between = 90 - 180 / max(axes, 1)  # axes run clockwise from the top
    fig.update_layout(
        polar={
            "radialaxis": {
                "range": [1, 5],
                "dtick": 1,
                "angle": between,
                "tickangle": between,
                "tickfont": {"size": 10, "color": NEUTRAL},
            },
            "angularaxis": {"rotation": 90, "direction": "clockwise"},
        }
    )
    fig = style(fig, lang, title, height=height, periods=False)
    fig.update_layout(margin={"l": side, "r": side, "t": 80, "b": 60})
    return fig


def mode_name(mode: str, lang: str) -> str:
    """A scaling mode's name in ``lang``."""
    return catalog.SCALING_MODES.get(mode, {}).get(lang, mode)
