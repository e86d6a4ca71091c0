"""Plotly figure builders: data in, figure out, one look everywhere.

A colour per dimension, readable titles and axis labels with units, baseline and target lines,
direction-aware colouring (green when a value moves the good way, red otherwise), French or
English labels and number formats, hover texts that say what each point is.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import json
import math
import textwrap
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from metrics.base import catalog
from metrics.base.periods import from_canonical, quarter_of
from metrics.domain import outcomes
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
STATUS_COLORS = {"complete": "#1A9850", "partial": "#F0B429", "missing": "#E5E8EC"}
FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"


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
        lang = signature.bind(*args, **kwargs).arguments.get("lang", "fr")
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
    return "\u202f%" if lang == "fr" else "%"


AXES = {"x": {"gridcolor": GRID}, "y": {"gridcolor": GRID, "zerolinecolor": GRID}}


def _style(
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


def _labels(periods: Sequence[str], granularity: str, lang: str) -> list[str]:
    short = granularity == "month"
    return [formatting.period_label(from_canonical(p), lang, short) for p in periods]


def _crowded(count: int) -> dict[str, Any]:
    """Period labels slanted when there are many of them (x axis settings)."""
    return {"tickangle": -45} if count > 12 else {}


def _in_order(labels: list[str]) -> dict[str, Any]:
    """An x axis of period labels in the order given (slanted when crowded)."""
    return {"categoryorder": "array", "categoryarray": labels, **_crowded(len(labels))}


def _empty(message: str, lang: str, title: str = "") -> go.Figure:
    """A figure that says there is nothing to draw, instead of blank axes."""
    fig = go.Figure()
    # On lines of a half-width chart (plotly does not wrap: a long message was cut at both ends)
    fig.add_annotation(
        text=_wrap(message, 60), showarrow=False, font={"size": 15, "color": NEUTRAL}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, lang, title, height=220)


empty = shows_text(_empty)  # for pages: a figure that says why there is none


def _meta(indicators: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Indicator code -> its catalog row (labels, unit, dimension, direction)."""
    return {
        str(row["code"]): {str(k): v for k, v in row.items()}
        for row in indicators.to_dict("records")
    }


def dimension_name(dimension: str, lang: str) -> str:
    return catalog.DIMENSIONS[dimension][lang]


@shows_text
def scores_over_time(scores: pd.DataFrame, granularity: str, lang: str) -> go.Figure:
    """The three dimension scores (% of the way from baseline to target) over time."""
    if scores.empty:
        message = "chart.no_scores" if granularity == "year" else "chart.no_scores_granularity"
        return _empty(t(message, lang), lang, t("chart.scores_title", lang))
    ordered = sorted(set(scores["period"]), key=lambda p: p)
    labels = dict(zip(ordered, _labels(ordered, granularity, lang)))
    fig = go.Figure()
    for dimension in catalog.IMPACTS:
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
    return _style(
        fig,
        lang,
        t("chart.scores_title", lang),
        xaxes=_in_order([labels[p] for p in ordered]),
        yaxes={"title": t("chart.score_axis", lang), "ticksuffix": percent_suffix(lang)},
    )


def _trend_colors(values: Sequence[float], direction: str) -> list[str]:
    colors = [NEUTRAL]
    for before, now in itertools.pairwise(values):
        if math.isnan(before) or math.isnan(now) or now == before:
            colors.append(NEUTRAL)
        else:
            colors.append(GOOD if (now > before) == (direction == "up") else BAD)
    return colors


@shows_text
def indicator_grid(
    progressed: pd.DataFrame,
    indicators: pd.DataFrame,
    granularity: str,
    lang: str,
    columns: int = 3,
    notes: pd.DataFrame | None = None,
    comments: pd.DataFrame | None = None,
) -> go.Figure:
    """Small multiples: each indicator's values with its baseline and target lines.

    Markers are green when the value moved the good way since the previous period, red when
    it moved the bad way; a hollow marker is a partial sum (the period is not over).
    ``notes`` (``reports.notes_in_view``): the committee's notes, a dark star on the value of
    their indicator and period, their text in its hover. ``comments``
    (``reports.comments_in_view``): the comments imported with the values, in the hover of
    the value they came with.
    """
    if progressed.empty:
        return _empty(t("chart.no_values", lang), lang, t("chart.grid_title", lang))
    meta = _meta(indicators)
    codes = sorted(
        set(progressed["indicator"]), key=lambda c: (list(COLORS).index(meta[c]["dimension"]), c)
    )
    rows = math.ceil(len(codes) / columns)
    titles = [
        f"{meta[c][f'label_{lang}']} ({catalog.unit_label(meta[c]['unit'], lang)})" for c in codes
    ]
    all_periods = sorted(set(progressed["period"]))
    labels = dict(zip(all_periods, _labels(all_periods, granularity, lang)))
    # Traces and lines are added all at once: one by one, plotly re-validates the figure each
    # time (a second for thirty indicators).
    traces: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    said = _by_point(comments, lambda rows: _comment_lines(rows, lang))
    noted = _by_point(notes, lambda rows: _note_lines(rows, lang))
    orders: dict[str, list[str]] = {}  # the x axes that hold a second trace
    starred: list[dict[str, Any]] = []  # the notes' stars, added last: drawn over the values
    for number, code in enumerate(codes):
        axis = "" if number == 0 else str(number + 1)  # x, x2, x3…: one pair per indicator
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
                f"<b>{titles[number]}</b><br>{labels[period]}{_colon(lang)}"
                f"{formatting.quantity(value, unit, lang)}<br>{detail}{note}"
                + "".join(f"<br><i>{line}</i>" for line in said.get((code, period), []))
            )
        marked = [(p, v) for p, v in zip(part["period"], values) if (code, p) in noted]
        if marked:
            orders[axis] = [labels[p] for p in part["period"]]
            starred.append(
                dict(
                    type="scatter",
                    x=[labels[p] for p, _ in marked],
                    y=[v for _, v in marked],
                    mode="markers",
                    marker={
                        "symbol": "star",
                        "size": 17,
                        "color": NOTE,
                        "line": {"width": 1, "color": "white"},
                    },
                    hovertext=[  # the value too: the star hides its point
                        f"<b>{titles[number]}</b><br>{labels[p]}{_colon(lang)}"
                        f"{formatting.quantity(v, unit, lang)}<br>" + "<br>".join(noted[(code, p)])
                        for p, v in marked
                    ],
                    hoverinfo="text",
                    showlegend=False,
                    xaxis=f"x{axis}",
                    yaxis=f"y{axis}",
                )
            )
        partial = [bool(p) for p in part["partial"]]
        traces.append(
            dict(  # a plain dict: plotly validates it once, when added (a go.Scatter twice)
                type="scatter",
                x=[labels[p] for p in part["period"]],
                y=values,
                mode="lines+markers",
                line={"color": COLORS[dimension], "width": 2},
                marker={
                    "size": 8 if len(all_periods) <= 12 else 5,
                    "color": [
                        "white" if p else c
                        for p, c in zip(partial, _trend_colors(values, direction))
                    ],
                    "line": {"width": 2, "color": _trend_colors(values, direction)},
                },
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
                xaxis=f"x{axis}",
                yaxis=f"y{axis}",
            )
        )
        with_target = part[part["progress"].notna()]
        if not with_target.empty:
            target, baseline = with_target["target"].iloc[0], with_target["baseline"].iloc[0]
            for y, dash, color in ((target, "dash", GOOD), (baseline, "dot", NEUTRAL)):
                shapes.append(
                    {
                        "type": "line",
                        "xref": f"x{axis} domain",
                        "yref": f"y{axis}",
                        "x0": 0,
                        "x1": 1,
                        "y0": float(y),
                        "y1": float(y),
                        "line": {"dash": dash, "color": color, "width": 1.2},
                    }
                )
    # Every axis's settings in the layout given to the figure: validated once, not walked by
    # an update per setting (sixty axes for thirty indicators).
    xaxis = {**AXES["x"], "type": "category", **_crowded(len(all_periods))}
    yaxis = {**AXES["y"], "tickformat": ",~r", "rangemode": "tozero"}
    layout = _grid(titles, columns, xaxis, yaxis)
    for axis, shown in orders.items():  # periods in time order, whatever trace comes first
        layout[f"xaxis{axis}"].update(categoryorder="array", categoryarray=shown)
    fig = go.Figure(data=traces + starred, layout={**layout, "shapes": shapes})
    return _style(
        fig,
        lang,
        t("chart.grid_title", lang),
        height=max(320, 260 * rows),
        axes=False,
        subtitle=t("chart.grid_subtitle", lang),
    ).update_layout(margin_t=118)  # the subtitle above the first row's titles


def _by_point(
    frame: pd.DataFrame | None, lines: Callable[[pd.DataFrame], list[str]]
) -> dict[tuple[str, str], list[str]]:
    """Hover lines per (indicator, period) of the rows of ``frame`` there."""
    if frame is None or frame.empty:
        return {}
    return {
        (str(c), str(p)): lines(rows) for (c, p), rows in frame.groupby(["indicator", "period"])
    }


def _hover_text(text: str, width: int = 60) -> str:
    """A user's text on short hover lines (plotly does not wrap them); already escaped."""
    return "<br>".join(textwrap.wrap(" ".join(text.split()), width)) or "—"


def _colon(lang: str) -> str:
    return " : " if lang == "fr" else ": "


def _comment_lines(rows: pd.DataFrame, lang: str, most: int = 3) -> list[str]:
    """The comments imported with the values of one point: the first ``most``, each clipped,
    the partner's name before a partner's comment, and how many more there are."""
    lines = []
    for stakeholder, comment in zip(rows["stakeholder"], rows["comment"]):
        text = _clipped(str(comment), 200)
        lines.append(_hover_text(f"{stakeholder}{_colon(lang)}{text}" if stakeholder else text))
    more = len(lines) - most
    return lines[:most] + ([f"+ {more}…"] if more > 0 else [])


def _note_lines(rows: pd.DataFrame, lang: str) -> list[str]:
    """A point's notes and decisions: kind, text, author and date."""
    lines = []
    for kind, body, author, created in zip(
        rows["kind"], rows["body"], rows["author_name"], rows["created_at"]
    ):
        kind_name = t(f"notes.kind.{kind}", lang)
        lines.append(f"<b>{kind_name}</b>{_colon(lang)}{_hover_text(_clipped(str(body), 400))}")
        lines.append(f"— {author}, {formatting.date(created, lang)}")
    return lines


def _clipped(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _grid(
    titles: list[str], columns: int, xaxis: dict[str, Any], yaxis: dict[str, Any]
) -> dict[str, Any]:
    """A layout of small multiples, one per title, ``columns`` a row, from the top left: the
    axes (``xaxis``/``yaxis``, ``xaxis2``/``yaxis2``…) and the titles above them, as
    plotly's ``make_subplots`` places them, each with the settings ``xaxis`` and ``yaxis``
    (built as one dict: plotly validates it once)."""
    rows = max(math.ceil(len(titles) / columns), 1)
    across, down = 0.06, min(0.12, 0.5 / rows)  # the gaps between columns, between rows
    width, height = (1 - across * (columns - 1)) / columns, (1 - down * (rows - 1)) / rows
    layout: dict[str, Any] = {"annotations": []}
    for number, title in enumerate(titles):
        row, col = divmod(number, columns)
        axis = "" if number == 0 else str(number + 1)
        left, top = col * (width + across), 1 - row * (height + down)
        layout[f"xaxis{axis}"] = {
            **xaxis,
            "domain": _unit(left, left + width),
            "anchor": f"y{axis}",
        }
        layout[f"yaxis{axis}"] = {**yaxis, "domain": _unit(top - height, top), "anchor": f"x{axis}"}
        layout["annotations"].append(
            {
                "text": title,
                "x": left + width / 2,
                "y": top,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    return layout


def _unit(start: float, end: float) -> list[float]:
    """A domain within [0, 1] (sums of fractions drift a little below 0 or above 1)."""
    return [min(max(start, 0.0), 1.0), min(max(end, 0.0), 1.0)]


@shows_text
def completeness_heatmap(grid: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> go.Figure:
    """Indicators × years: complete, partial or missing."""
    if grid.empty:
        return _empty(t("chart.no_values", lang), lang)
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


TYPE_COLORS = {
    "company": "#0072B2",
    "public": "#E69F00",
    "association": "#009E73",
    "citizen": "#CC79A7",
    "academic": "#56B4E9",
    "funder": "#8C6D31",
}


def type_name(kind: str, lang: str) -> str:
    return catalog.STAKEHOLDER_TYPES.get(kind, {}).get(lang, kind)


def _indicator_title(meta: dict[str, Any], lang: str) -> str:
    return f"{meta[f'label_{lang}']} ({catalog.unit_label(meta['unit'], lang)})"


def _period_axis(buckets: Iterable[Any], granularity: str, lang: str) -> dict[Any, str]:
    short = granularity == "month"
    return {
        b: formatting.period_label(period_of(b, granularity), lang, short)
        for b in sorted(set(buckets))
    }


@shows_text
def stakeholder_lines(
    values: pd.DataFrame, indicator: pd.Series, granularity: str, lang: str
) -> go.Figure:
    """One indicator, one line per stakeholder."""
    title = t("chart.by_stakeholder", lang, indicator=_indicator_title(dict(indicator), lang))
    part = values[values["stakeholder"] != ""]
    if part.empty:
        return _empty(t("chart.no_values", lang), lang, title)
    axis = _period_axis(part["bucket"], granularity, lang)
    unit = catalog.unit_label(str(indicator["unit"]), lang)
    fig = go.Figure()
    for name, group in part.groupby("stakeholder"):
        group = group.sort_values("bucket")
        kind = str(group["stakeholder_type"].iloc[0])
        hover = [
            f"<b>{name}</b> ({type_name(kind, lang)})<br>{axis[b]} : "
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
    return _style(
        fig,
        lang,
        title,
        xaxes=_in_order(list(axis.values())),
        yaxes={"title": unit, "tickformat": ",~r", "rangemode": "tozero"},
    )


@shows_text
def type_bars(
    by_type: pd.DataFrame, indicator: pd.Series, granularity: str, lang: str
) -> go.Figure:
    """One indicator by stakeholder type over time: stacked for flows and stocks, side by
    side for rates and scores (which do not add up)."""
    title = t("chart.by_type", lang, indicator=_indicator_title(dict(indicator), lang))
    if by_type.empty:
        return _empty(t("chart.no_values", lang), lang, title)
    axis = _period_axis(by_type["bucket"], granularity, lang)
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
                    f"<b>{type_name(str(kind), lang)}</b><br>{axis[b]} : "
                    f"{formatting.quantity(v, unit, lang)}"
                    for b, v in zip(group["bucket"], group["value"])
                ],
                hoverinfo="text",
                showlegend=True,
            )
        )
    stacked = indicator["aggregation"] != "mean"
    fig.update_layout(barmode="stack" if stacked else "group")
    return _style(
        fig,
        lang,
        title,
        xaxes=_in_order(list(axis.values())),
        yaxes={"title": unit, "tickformat": ",~r"},
    )


@shows_text
def change_heatmap(changes: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> go.Figure:
    """Stakeholders × indicators: change since the first period, direction-adjusted."""
    title = t("chart.change_title", lang)
    if changes.empty:
        return _empty(t("chart.no_values", lang), lang, title)
    meta = _meta(indicators)
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
            hovertemplate="%{y}<br>%{x} : %{text}<extra></extra>",
        )
    )
    fig = _style(fig, lang, title, height=max(300, 110 + 40 * len(people)))
    fig.update_layout(margin={"l": 240})
    fig.update_xaxes(tickangle=-20)
    return fig


@shows_text
def reporting_heatmap(counts: pd.DataFrame, lang: str) -> go.Figure:
    """Stakeholders × years: how many values each partner reported."""
    title = t("chart.reporting_title", lang)
    if counts.empty:
        return _empty(t("chart.no_values", lang), lang, title)
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
            hovertemplate="%{y}<br>%{x} : %{z}<extra></extra>",
        )
    )
    fig = _style(fig, lang, title, height=max(260, 110 + 40 * len(people)))
    fig.update_layout(margin={"l": 240})
    return fig


@shows_text
def prerequisites_lines(
    values: pd.DataFrame, indicators: pd.DataFrame, granularity: str, lang: str
) -> go.Figure:
    """The four prerequisites of co-construction over time (1 to 5, alliance mean)."""
    title = t("chart.prerequisites_title", lang)
    part = values[values["indicator"].isin(catalog.PREREQUISITES)]
    if part.empty:
        return _empty(t("chart.no_values", lang), lang, title)
    meta = _meta(indicators)
    axis = _period_axis(part["bucket"], granularity, lang)
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
                    f"<b>{label}</b><br>{axis[b]} : {formatting.number(v, lang, 1)} / 5"
                    for b, v in zip(group["bucket"], group["value"])
                ],
                hoverinfo="text",
            )
        )
    return _style(
        fig,
        lang,
        title,
        xaxes=_in_order(list(axis.values())),
        yaxes={"title": t("chart.score_1_5", lang), "range": [1, 5], "dtick": 1},
    )


def _wrap(label: str, width: int = 14) -> str:
    """Break a long label into lines of about ``width`` characters, for tight places like a
    radar."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def _score_radar(fig: go.Figure, lang: str, title: str, height: int, side: int) -> go.Figure:
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
    fig = _style(fig, lang, title, height=height, periods=False)
    fig.update_layout(margin={"l": side, "r": side, "t": 80, "b": 60})
    return fig


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
        return _empty(t("chart.no_values", lang), lang, title)
    meta = _meta(indicators)
    fig = go.Figure()
    for frame, color, dash in ((previous, NEUTRAL, "dot"), (latest, COLORS["trust"], "solid")):
        if frame.empty:
            continue
        values = frame.set_index("indicator")["value"]
        shown = [c for c in codes if c in values.index]
        labels = [_wrap(str(meta[c][f"label_{lang}"])) for c in shown]
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
                    f"<b>{label.replace('<br>', ' ')}</b><br>{period} : "
                    f"{formatting.number(values[c], lang, 1)} / 5"
                    for c, label in zip([*shown, shown[0]], [*labels, labels[0]])
                ],
                hoverinfo="text",
            )
        )
    return _score_radar(fig, lang, title, height=460, side=90)


@shows_text
def type_gap_bars(
    by_type: pd.DataFrame, indicators: pd.DataFrame, granularity: str, lang: str
) -> go.Figure:
    """Each prerequisite as scored by each stakeholder type, at the latest period."""
    title = t("chart.gap_title", lang)
    part = by_type[by_type["indicator"].isin(catalog.PREREQUISITES)]
    if part.empty:
        return _empty(t("chart.no_values", lang), lang, title)
    last = part["bucket"].max()
    part = part[part["bucket"] == last]
    meta = _meta(indicators)
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
                    f"<b>{type_name(str(kind), lang)}</b><br>{label} ({period}) : "
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
    return _style(fig, lang, t("chart.gap_title_period", lang, period=period))


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
        return _empty(t("chart.no_values", lang), lang, title)
    years = sorted(set(usable["year"]))
    ordered = usable.sort_values(["alliance", "year"], kind="stable")

    def hover(name: Any, group: pd.DataFrame) -> list[str]:
        return [
            f"<b>{name}</b><br>{y} : {formatting.number(v, lang)}"
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
        traces = [_joined_lines(ordered[~mine], t("chart.others", lang, count=others))]
        if mine.any():
            traces.append(_joined_lines(ordered[mine], str(highlight), HIGHLIGHT, 4))
    # One figure made from every trace at once: adding them one by one copies the figure's
    # traces each time.
    fig = go.Figure(data=traces)
    fig.update_xaxes(categoryorder="array", categoryarray=[str(y) for y in years])
    fig.update_yaxes(title=axis_title, tickformat=",~r")
    return _style(fig, lang, title)


MANY_LINES = 20  # more alliances than this on one line chart: the others drawn as one trace


def _joined_lines(
    frame: pd.DataFrame,
    name: str,
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
        hovertemplate="<b>%{customdata}</b><br>%{x} : %{y:,.2~f}<extra></extra>",
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
        return _empty(t("chart.no_ranking", lang), lang, title)
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
    fig = _style(fig, lang, title, height=max(260, 120 + 38 * len(ranked)), periods=False)
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
        return _empty(t("chart.no_scores", lang), lang, title)
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
                f"<b>{r['alliance']}</b><br>{dimension_name(x, lang)} : "
                f"{formatting.number(100 * r[f'{x}_score'], lang, 0)}{percent_suffix(lang)}"
                f"<br>{dimension_name(y, lang)} : "
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
    return _style(fig, lang, title, height=480, periods=False)


@shows_text
def peer_distribution(
    values: pd.DataFrame, title: str, axis_title: str, lang: str, highlight: str | None = None
) -> go.Figure:
    """The peers' values on one year as a box with every point; the selected one stands out."""
    usable = values[values["value"].notna()]
    if usable.empty:
        return _empty(t("chart.no_values", lang), lang, title)
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
    return _style(fig, lang, title, height=300, periods=False)


MODE_COLORS = {"deep": "#0072B2", "out": "#E69F00", "up": "#009E73", "across": "#CC79A7"}
STATUS_OPACITY = {"active": 1.0, "stopped": 0.35, "planned": 0.55}


def mode_name(mode: str, lang: str) -> str:
    return catalog.SCALING_MODES.get(mode, {}).get(lang, mode)


@shows_text
def replication_bars(by_year: pd.DataFrame, lang: str) -> go.Figure:
    """Sites per mode over time, stacked; planned and stopped sites are lighter."""
    title = t("chart.replications_title", lang)
    if by_year.empty:
        return _empty(t("chart.no_sites", lang), lang, title)
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
                        f"<b>{label}</b><br>{y} : {n}" for y, n in zip(part["year"], part["sites"])
                    ],
                    hoverinfo="text",
                )
            )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=t("chart.sites", lang), dtick=1)
    return _style(fig, lang, title)


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
    fig = go.Figure()
    for number, ring in enumerate(_france()):
        fig.add_trace(
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
        )
    home = (origin.get("longitude"), origin.get("latitude"))
    place = origin["territory"] if isinstance(origin.get("territory"), str) else ""
    located = sites.dropna(subset=["latitude", "longitude"])
    if home[0] is not None and not pd.isna(home[0]):
        for row in located.to_dict("records"):
            fig.add_trace(
                go.Scatter(
                    x=[home[0], row["longitude"]],
                    y=[home[1], row["latitude"]],
                    mode="lines",
                    line={
                        "color": MODE_COLORS.get(row["mode"], NEUTRAL),
                        "width": 1,
                        "dash": "dot",
                    },
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
        fig.add_trace(
            go.Scatter(
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
        )
    for mode in MODE_COLORS:
        part = located[located["mode"] == mode]
        if part.empty:
            continue
        fig.add_trace(
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
                hovertext=[
                    f"<b>{r['territory']}</b><br>{mode_name(mode, lang)} · "
                    f"{t('site.' + r['status'], lang)}"
                    + (
                        f"<br>{formatting.number(r['beneficiaries'], lang)} "
                        f"{t('chart.beneficiaries', lang)}"
                        if not pd.isna(r["beneficiaries"])
                        else ""
                    )
                    for r in part.to_dict("records")
                ],
                hoverinfo="text",
            )
        )
    fig = _style(fig, lang, title, height=560, periods=False)
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


@shows_text
def readiness_radar(table: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> go.Figure:
    """The four readiness factors: latest year, first year, and the median of the peers."""
    title = t("chart.readiness_title", lang)
    if table["latest"].isna().all():
        return _empty(t("chart.no_values", lang), lang, title)
    meta = _meta(indicators)
    labels = [_wrap(str(meta[c][f"label_{lang}"]), 12) for c in table["indicator"]]
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
                    f"<b>{label.replace('<br>', ' ')}</b><br>{name} : "
                    f"{formatting.number(v, lang, 1)} / 5"
                    for label, v in zip([*labels, labels[0]], [*values, values.iloc[0]])
                ],
                hoverinfo="text",
            )
        )
    return _score_radar(fig, lang, title, height=480, side=130)


@shows_text
def reach_bars(table: pd.DataFrame, lang: str) -> go.Figure:
    """Beneficiaries reached per territory, coloured by mode."""
    title = t("chart.reach_title", lang)
    if table.empty:
        return _empty(t("chart.no_sites", lang), lang, title)
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
                    f"<b>{n}</b><br>{mode_name(mode, lang)} : {formatting.number(v, lang)}"
                    for n, v in zip(part["territory"], part["beneficiaries"])
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order)
    fig.update_xaxes(tickformat=",~r")
    fig = _style(fig, lang, title, height=max(300, 150 + 36 * len(order)), periods=False)
    # The legend above the bars: below, it covered the axis's numbers.
    fig.update_layout(
        margin={"l": 160, "t": 100},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"},
    )
    return fig


LABELLED_POINTS = 12  # a line of results with more points than this is not labelled


@shows_text
def contract_results(
    table: pd.DataFrame, cohort_threshold: float | None, overall_threshold: float, lang: str
) -> go.Figure:
    """Measured improvement per cohort and overall, against the two thresholds."""
    title = t("chart.contract_results_title", lang)
    if table.empty:
        return _empty(t("chart.no_results", lang), lang, title)
    fig = go.Figure()
    periods = list(dict.fromkeys(table["period"]))
    for cohort, group in table.groupby("cohort", sort=True):
        name = str(cohort) or t("chart.overall", lang)
        fig.add_trace(
            go.Scatter(
                x=list(group["period"]),
                y=100 * group["improvement"],
                name=name,
                # Values written on the chart while they fit; beyond, in the hover only.
                mode="lines+markers+text" if len(group) <= LABELLED_POINTS else "lines+markers",
                text=[
                    f"{formatting.number(100 * v, lang)}{percent_suffix(lang)}"  # as published
                    for v in group["improvement"]
                ],
                textposition="bottom center" if not cohort else "top center",
                marker={
                    "size": 14 if not cohort else 10,
                    "symbol": "diamond" if not cohort else "circle",
                },
                line={"width": 3 if not cohort else 2},
                hoverinfo="text+name",
            )
        )
    if cohort_threshold is not None:
        fig.add_hline(
            y=cohort_threshold,
            line={"dash": "dash", "color": BAD},
            annotation_text=t(
                "chart.cohort_threshold", lang, value=formatting.number(cohort_threshold, lang)
            ),
            annotation_position="top left",
        )
    fig.add_hline(
        y=overall_threshold,
        line={"dash": "dash", "color": GOOD},
        annotation_text=t(
            "chart.overall_threshold", lang, value=formatting.number(overall_threshold, lang)
        ),
        annotation_position="bottom left",
    )
    top = max(float(100 * table["improvement"].max()), cohort_threshold or 0, overall_threshold)
    fig.update_xaxes(categoryorder="array", categoryarray=periods)
    fig.update_yaxes(
        title=t("chart.improvement_axis", lang),
        ticksuffix=percent_suffix(lang),
        range=[0, top * 1.3],
    )
    return _style(fig, lang, title)


@shows_text
def sensitivity_chart(
    table: pd.DataFrame, currency: str, achieved: float | None, overall_threshold: float, lang: str
) -> go.Figure:
    """Outcome payments and investors' return (``irr`` when the table has it, else
    ``annual_return``) against the achieved improvement: the step at the threshold and the
    caps show."""
    title = t("chart.sensitivity_title", lang)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Scatter(
            x=table["improvement"],
            y=table["payments"],
            name=t("chart.payments", lang),
            mode="lines",
            line={"color": COLORS["innovation"], "width": 3, "shape": "hv"},
            hovertext=[
                f"{formatting.number(x, lang, 1)}{percent_suffix(lang)} → "
                f"{formatting.number(y, lang, 0)} {currency}"
                for x, y in zip(table["improvement"], table["payments"])
            ],
            hoverinfo="text",
        ),
        secondary_y=False,
    )
    # The investors' IRR on their dated draws when the contract has them, else the annual
    # return on all the capital over the contract's length.
    dated = "irr" in table.columns
    returns = table["irr" if dated else "annual_return"].astype(float) * 100
    fig.add_trace(
        go.Scatter(
            x=table["improvement"],
            y=returns.clip(lower=-20),
            name=t("chart.irr_investors" if dated else "chart.return", lang),
            connectgaps=True,  # an IRR is computed at some of the gains only
            mode="lines",
            line={"color": COLORS["performance"], "width": 2, "dash": "dot"},
            hovertext=[
                f"{formatting.number(x, lang, 1)}{percent_suffix(lang)} → "
                f"{formatting.number(r, lang, 1)}{percent_suffix(lang)}"
                for x, r in zip(table["improvement"], returns)
            ],
            hoverinfo="text",
        ),
        secondary_y=True,
    )
    # The two lines' labels sit above the plot, each on the side away from the other: inside,
    # they crossed the curves and the axes.
    lines: list[tuple[float, dict[str, Any], str]] = [
        (
            overall_threshold,
            {"dash": "dash", "color": GOOD},
            t("chart.overall_threshold", lang, value=formatting.number(overall_threshold, lang)),
        )
    ]
    if achieved is not None:
        lines.append(
            (
                achieved,
                {"color": "#262730", "width": 2},
                t("chart.achieved", lang, value=formatting.number(achieved, lang)),
            )
        )
    leftmost = min(x for x, _, _ in lines)
    for x, line, text in lines:
        fig.add_vline(x=x, line=line)
        alone = len(lines) == 1
        fig.add_annotation(
            x=x,
            y=1,
            xref="x",
            yref="paper",
            yanchor="bottom",
            xanchor="center" if alone else ("right" if x == leftmost else "left"),
            text=text,
            showarrow=False,
            font={"size": 12, "color": line["color"]},
        )
    fig.update_xaxes(title=t("chart.improvement_axis", lang), ticksuffix=percent_suffix(lang))
    fig.update_yaxes(
        title=t("chart.payments_axis", lang, currency=currency), tickformat=",~r", secondary_y=False
    )
    fig.update_yaxes(
        title=t("chart.irr_axis" if dated else "chart.return_axis", lang),
        ticksuffix=percent_suffix(lang),
        secondary_y=True,
        showgrid=False,
        range=[-22, max(5.0, float(returns.max()) if returns.notna().any() else 0.0) + 3],
        dtick=5,
        tickformat=".0f",
    )
    fig = _style(fig, lang, title, height=440, periods=False)
    fig.update_layout(margin={"t": 95, "r": 70})  # room for the labels above, the right axis
    return fig


@shows_text
def due_and_paid(
    due: pd.DataFrame, paid: pd.DataFrame, currency: str, lang: str, by: str = "outcome"
) -> go.Figure:
    """Outcome payments due per period (bars stacked by outcome, ``outcomes.due``, or by
    payer, ``outcomes.by_payer``: ``by``) and what the ledger says was paid for outcomes (a
    line of what was paid to date against what was due to date)."""
    title = t(f"chart.due_title.{by}", lang)
    if due.empty or not due["amount"].any():
        return _empty(t("chart.nothing_due", lang), lang, title)
    periods = sorted(set(due["period"]))
    # Each period by its quarter ("T1 2024"): a contract pays by quarter (or by year, at its
    # last quarter).
    labels = {p: formatting.period_label(quarter_of(p), lang) for p in periods}
    palette = [*COLORS.values(), NEUTRAL, "#8E44AD", "#D35400"]
    fig = go.Figure()
    for number, (outcome, group) in enumerate(due.groupby(by, sort=False)):
        amounts = group.groupby("period")["amount"].sum()
        fig.add_trace(
            go.Bar(
                x=[labels[p] for p in periods],
                y=[float(amounts.get(p, 0.0)) for p in periods],
                name=str(outcome),
                marker_color=palette[number % len(palette)],
                hovertext=[
                    f"<b>{outcome}</b><br>{labels[p]}{_colon(lang)}"
                    f"{formatting.number(float(amounts.get(p, 0.0)), lang, 0)} {currency}"
                    for p in periods
                ],
                hoverinfo="text",
            )
        )
    due_to_date = due.groupby("period")["amount"].sum().reindex(periods).cumsum()
    fig.add_trace(
        go.Scatter(
            x=[labels[p] for p in periods],
            y=list(due_to_date),
            name=t("chart.due_to_date", lang),
            mode="lines+markers",
            line={"color": "#262730", "dash": "dot"},
            yaxis="y2",
        )
    )
    if len(paid):
        by_period = []
        for p in periods:  # paid by the end of each period
            until = paid[paid["date"] <= p]["amount"].sum()
            by_period.append(float(until))
        fig.add_trace(
            go.Scatter(
                x=[labels[p] for p in periods],
                y=by_period,
                name=t("chart.paid_to_date", lang),
                mode="lines+markers",
                line={"color": GOOD},
                yaxis="y2",
            )
        )
    fig.update_layout(barmode="stack")
    _style(
        fig,
        lang,
        title,
        yaxes={"title": t("chart.amount", lang, currency=currency), "tickformat": ",~r"},
        xaxes=_in_order([labels[p] for p in periods]),
    )
    # The right axis counts to date.
    return _right_axis(
        fig,
        t("chart.to_date", lang, currency=currency),
        rangemode="tozero",
        tickformat=",~r",
        nticks=6,
    )


@shows_text
def investor_flows(flows: pd.DataFrame, currency: str, lang: str) -> go.Figure:
    """Per investor: what it put in (capital drawn, a guarantee paid) and what came back
    (distributions, a guarantee's cover), as bars side by side."""
    title = t("chart.investors_title", lang)
    if flows.empty:
        return _empty(t("chart.no_values", lang), lang, title)
    totals = outcomes.investor_totals(flows)
    fig = go.Figure()
    for label, amounts, color in (
        (t("chart.put_in", lang), totals["put_in"], NEUTRAL),
        (t("chart.came_back", lang), totals["came_back"], GOOD),
    ):
        fig.add_trace(
            go.Bar(
                x=list(totals["investor"]),
                y=[float(a) for a in amounts],
                name=label,
                marker_color=color,
                text=[f"{formatting.number(float(a), lang, 0)}" for a in amounts],
                textposition="outside",
            )
        )
    return _amounts(fig.update_layout(barmode="group"), title, currency, lang)


@shows_text
def rate_card_sensitivity(curve: pd.DataFrame, currency: str, lang: str) -> go.Figure:
    """Outcome payments and each tranche's return against the share of the outcomes achieved
    (``reports.sensitivity``; 100 %: what was achieved)."""
    title = t("chart.rate_sensitivity_title", lang)
    x = [100 * f for f in curve["factor"]]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=list(curve["payments"]),
            name=t("chart.outcome_payments", lang),
            mode="lines",
            line={"color": COLORS["innovation"], "width": 3},
        )
    )
    for tranche, color, dash in (("senior", "#D35400", "dot"), ("subordinate", "#8E44AD", "dash")):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[None if r is None or pd.isna(r) else 100 * r for r in curve[tranche]],
                name=t(f"chart.irr.{tranche}", lang),
                mode="lines",
                line={"color": color, "dash": dash},
                yaxis="y2",
            )
        )
    fig.add_vline(x=100, line={"color": "#262730", "width": 1.5})
    fig.add_annotation(
        x=100,
        y=1,
        yref="paper",
        text=t("chart.as_achieved", lang),
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
    )
    _style(
        fig,
        lang,
        title,
        periods=False,
        xaxes={"title": t("chart.share_achieved", lang), "ticksuffix": percent_suffix(lang)},
        yaxes={"title": t("chart.amount", lang, currency=currency), "tickformat": ",~r"},
    )
    return _right_axis(fig, t("chart.irr_axis", lang), ticksuffix=percent_suffix(lang))


def _right_axis(fig: go.Figure, title: str, **axis: Any) -> go.Figure:
    """A second y axis on the right, after the common look (which sets every y axis): its
    own round ticks, not the left axis's grid; the legend above the plot, clear of slanted
    period labels."""
    return fig.update_layout(
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "title": title,
            "showgrid": False,
            "tickmode": "auto",
            **axis,
        },
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"t": 110},
    )


@shows_text
def tranche_waterfall(flows: pd.DataFrame, currency: str, lang: str) -> go.Figure:
    """Per tranche, the capital drawn split into what came back from outcome payments, what a
    guarantee covered, and what was lost (beyond the capital: the return, in the first)."""
    title = t("chart.tranches_title", lang)
    invested = flows[flows["kind"] != "guarantee"] if len(flows) else flows
    if invested.empty:
        return _empty(t("chart.no_values", lang), lang, title)
    tranches = [x for x in ("senior", "subordinate") if x in set(invested["tranche"])]
    names = [t(f"chart.tranche.{x}", lang) for x in tranches]
    parts: dict[str, list[float]] = {"back": [], "covered": [], "lost": []}
    for tranche in tranches:
        mine = invested[invested["tranche"] == tranche]
        drawn = -float(mine.loc[mine["flow"] == "draw", "amount"].sum())
        back = float(mine.loc[mine["flow"] == "distribution", "amount"].sum())
        covered = float(mine.loc[mine["flow"] == "guarantee", "amount"].sum())
        parts["back"].append(back)
        parts["covered"].append(covered)
        parts["lost"].append(max(0.0, drawn - back - covered))
    fig = go.Figure()
    for part, color in (("back", GOOD), ("covered", "#F0B429"), ("lost", BAD)):
        fig.add_trace(
            go.Bar(
                x=names,
                y=parts[part],
                name=t(f"chart.tranche_part.{part}", lang),
                marker_color=color,
                text=[formatting.number(v, lang, 0) if v else "" for v in parts[part]],
                textposition="inside",
            )
        )
    return _amounts(fig.update_layout(barmode="stack"), title, currency, lang)


def _amounts(fig: go.Figure, title: str, currency: str, lang: str) -> go.Figure:
    """The common look of bars of money by name (investors, tranches)."""
    return _style(
        fig,
        lang,
        title,
        periods=False,
        yaxes={"title": t("chart.amount", lang, currency=currency), "tickformat": ",~r"},
    )
