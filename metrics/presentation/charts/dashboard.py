"""The dashboard's charts: dimension scores over time, each indicator against its baseline and
target (with the committee's notes and the imported comments), and the data's completeness."""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from metrics.base import catalog
from metrics.base.periods import from_canonical
from metrics.presentation import flags as flagged
from metrics.presentation import formatting
from metrics.presentation.charts.common import (
    AXES,
    BAD,
    COLORS,
    FLAG,
    GOOD,
    NEUTRAL,
    NOTE,
    by_code,
    crowded,
    dimension_name,
    in_order,
    indicator_title,
    nothing_to_draw,
    percent_suffix,
    shows_text,
    style,
)
from metrics.presentation.formatting import colon
from metrics.presentation.i18n import t

STATUS_COLORS = {"complete": "#1A9850", "partial": "#F0B429", "missing": "#E5E8EC"}


def _labels(periods: Sequence[str], granularity: str, lang: str) -> list[str]:
    short = granularity == "month"
    return [formatting.period_label(from_canonical(p), lang, short) for p in periods]


@shows_text
def scores_over_time(scores: pd.DataFrame, granularity: str, lang: str) -> go.Figure:
    """The three dimension scores (% of the way from baseline to target) over time."""
    if scores.empty:
        message = "chart.no_scores" if granularity == "year" else "chart.no_scores_granularity"
        return nothing_to_draw(t(message, lang), lang, t("chart.scores_title", lang))
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
    return style(
        fig,
        lang,
        t("chart.scores_title", lang),
        xaxes=in_order([labels[p] for p in ordered]),
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
    title: str = "chart.grid_title",
    flags: pd.DataFrame | None = None,
) -> go.Figure:
    """Small multiples: each indicator's values with its baseline and target lines, under the
    catalogue's ``title``. ``flags`` (``plausibility.in_view_of``): the values to check, an
    amber ring around their point, why in its hover.

    Markers are green when the value moved the good way since the previous period, red when
    it moved the bad way; a hollow marker is a partial sum (the period is not over).
    ``notes`` (``reports.notes_in_view``): the committee's notes, a dark star on the value of
    their indicator and period, their text in its hover. ``comments``
    (``reports.comments_in_view``): the comments imported with the values, in the hover of
    the value they came with.
    """
    if progressed.empty:
        return nothing_to_draw(t("chart.no_values", lang), lang, t(title, lang))
    meta = by_code(indicators)
    codes = sorted(
        set(progressed["indicator"]), key=lambda c: (list(COLORS).index(meta[c]["dimension"]), c)
    )
    titles = [indicator_title(meta[c], lang) for c in codes]
    all_periods = sorted(set(progressed["period"]))
    labels = dict(zip(all_periods, _labels(all_periods, granularity, lang)))
    said = _by_point(comments, lambda rows: _comment_lines(rows, lang))
    noted = _by_point(notes, lambda rows: _note_lines(rows, lang))
    names = {c: str(meta[c][f"label_{lang}"]) for c in meta}
    to_check = _by_point(
        None
        if flags is None or flags.empty
        else flags.assign(period_own=flags["period"], period=flags["view_period"]),
        lambda rows: _flag_lines(rows, lang, names),
    )
    # Traces and lines are added all at once: one by one, plotly re-validates the figure each
    # time (a second for thirty indicators).
    traces: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    orders: dict[str, list[str]] = {}  # the x axes that hold a second trace
    starred: list[dict[str, Any]] = []  # the notes' stars, added last: drawn over the values
    dense = len(all_periods) > 12  # smaller markers
    for number, code in enumerate(codes):
        panel = _Panel(
            code=code,
            part=progressed[progressed["indicator"] == code].sort_values("bucket"),
            title=titles[number],
            unit=catalog.unit_label(meta[code]["unit"], lang),
            axis="" if number == 0 else str(number + 1),  # x, x2, x3…: one pair per indicator
            labels=labels,
            lang=lang,
        )
        traces.append(_values_trace(panel, meta[code], dense, said))
        for marks, marker in ((to_check, FLAG_RING), (noted, NOTE_STAR)):
            mark = _marks(panel, marks, marker)
            if mark is not None:
                orders[panel.axis] = [labels[p] for p in panel.part["period"]]
                starred.append(mark)
        shapes += _target_lines(panel)
    # Every axis's settings in the layout given to the figure: validated once, not walked by
    # an update per setting (sixty axes for thirty indicators).
    xaxis = {**AXES["x"], "type": "category", **crowded(len(all_periods))}
    yaxis = {**AXES["y"], "tickformat": ",~r", "rangemode": "tozero"}
    layout = _grid(titles, columns, xaxis, yaxis)
    for axis, shown in orders.items():  # periods in time order, whatever trace comes first
        layout[f"xaxis{axis}"].update(categoryorder="array", categoryarray=shown)
    fig = go.Figure(data=traces + starred, layout={**layout, "shapes": shapes})
    return style(
        fig,
        lang,
        t(title, lang),
        height=max(320, 260 * math.ceil(len(codes) / columns)),
        axes=False,
        subtitle=t("chart.grid_subtitle", lang),
    ).update_layout(margin_t=118)  # the subtitle above the first row's titles


@dataclass(frozen=True)
class _Panel:
    """One small multiple of ``indicator_grid``: an indicator's rows, in time order, drawn on
    its own pair of axes."""

    code: str
    part: pd.DataFrame
    title: str  # its label and unit
    unit: str
    axis: str  # "" for the axes x and y, "2" for x2 and y2…
    labels: dict[str, str]  # each period of the grid to its label
    lang: str

    @property
    def values(self) -> list[float]:
        return [float(v) for v in self.part["value"]]

    def heading(self, period: str, value: float) -> str:
        """The start of a point's hover: the indicator, the period and the value."""
        quantity = formatting.quantity(value, self.unit, self.lang)
        return f"<b>{self.title}</b><br>{self.labels[period]}{colon(self.lang)}{quantity}"


def _values_trace(
    panel: _Panel, meta: dict[str, Any], dense: bool, said: dict[tuple[str, str], list[str]]
) -> dict[str, Any]:
    """The line of an indicator's values, each marker coloured by the way it moved (hollow
    for a partial sum); ``dense``: many periods, smaller markers."""
    values = panel.values
    trend = _trend_colors(values, str(meta["direction"]))
    partial = [bool(p) for p in panel.part["partial"]]
    return dict(  # a plain dict: plotly validates it once, when added (a go.Scatter twice)
        type="scatter",
        x=[panel.labels[p] for p in panel.part["period"]],
        y=values,
        mode="lines+markers",
        line={"color": COLORS[meta["dimension"]], "width": 2},
        marker={
            "size": 5 if dense else 8,
            "color": ["white" if p else c for p, c in zip(partial, trend)],
            "line": {"width": 2, "color": trend},
        },
        hovertext=_value_hovers(panel, values, said),
        hoverinfo="text",
        showlegend=False,
        xaxis=f"x{panel.axis}",
        yaxis=f"y{panel.axis}",
    )


def _value_hovers(
    panel: _Panel, values: list[float], said: dict[tuple[str, str], list[str]]
) -> list[str]:
    """Each value's hover: its progress to target (else its index), whether it is a partial
    sum, and the comments imported with it."""
    lang, part = panel.lang, panel.part
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
            f"{panel.heading(period, value)}<br>{detail}{note}"
            + "".join(f"<br><i>{line}</i>" for line in said.get((panel.code, period), []))
        )
    return hover


# A star on each value the committee noted; an amber ring around each value to check.
NOTE_STAR = {"symbol": "star", "size": 17, "color": NOTE, "line": {"width": 1, "color": "white"}}
FLAG_RING = {"symbol": "circle-open", "size": 22, "color": FLAG, "line": {"width": 3}}


def _marks(
    panel: _Panel, lines: dict[tuple[str, str], list[str]], marker: dict[str, Any]
) -> dict[str, Any] | None:
    """A ``marker`` on each value of the panel that ``lines`` say something of, what they say
    in its hover; None: nothing to mark."""
    marked = [
        (p, v) for p, v in zip(panel.part["period"], panel.values) if (panel.code, p) in lines
    ]
    if not marked:
        return None
    return dict(
        type="scatter",
        x=[panel.labels[p] for p, _ in marked],
        y=[v for _, v in marked],
        mode="markers",
        marker=marker,
        hovertext=[  # the value too: the mark hides its point
            f"{panel.heading(p, v)}<br>" + "<br>".join(lines[(panel.code, p)]) for p, v in marked
        ],
        hoverinfo="text",
        showlegend=False,
        xaxis=f"x{panel.axis}",
        yaxis=f"y{panel.axis}",
    )


def _target_lines(panel: _Panel) -> list[dict[str, Any]]:
    """The target (dashes) and baseline (dots) of an indicator that has them, across its
    axes."""
    with_target = panel.part[panel.part["progress"].notna()]
    if with_target.empty:
        return []
    target, baseline = with_target["target"].iloc[0], with_target["baseline"].iloc[0]
    return [
        {
            "type": "line",
            "xref": f"x{panel.axis} domain",
            "yref": f"y{panel.axis}",
            "x0": 0,
            "x1": 1,
            "y0": float(y),
            "y1": float(y),
            "line": {"dash": dash, "color": color, "width": 1.2},
        }
        for y, dash, color in ((target, "dash", GOOD), (baseline, "dot", NEUTRAL))
    ]


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


def _flag_lines(rows: pd.DataFrame, lang: str, names: dict[str, str]) -> list[str]:
    """The values to check of one point: each one's period (a month of a quarter…) and
    partner when they are not the point's own, then why."""
    lines = []
    for flag in rows.to_dict("records"):
        whose = " · ".join(
            x for x in (flagged.period(flag["period_own"], lang), flag["stakeholder"]) if x
        )
        reason = flagged.reason(flag, lang, names, markup=True)
        lines.append(_hover_text(f"{t('flag.to_check', lang)} ({whose}){colon(lang)}{reason}"))
    return lines


def _comment_lines(rows: pd.DataFrame, lang: str, most: int = 3) -> list[str]:
    """The comments imported with the values of one point: the first ``most``, each clipped,
    the partner's name before a partner's comment, and how many more there are."""
    lines = []
    for stakeholder, comment in zip(rows["stakeholder"], rows["comment"]):
        text = _clipped(str(comment), 200)
        lines.append(_hover_text(f"{stakeholder}{colon(lang)}{text}" if stakeholder else text))
    more = len(lines) - most
    return lines[:most] + ([f"+ {more}…"] if more > 0 else [])


def _note_lines(rows: pd.DataFrame, lang: str) -> list[str]:
    """A point's notes and decisions: kind, text, author and date."""
    lines = []
    for kind, body, author, created in zip(
        rows["kind"], rows["body"], rows["author_name"], rows["created_at"]
    ):
        kind_name = t(f"notes.kind.{kind}", lang)
        lines.append(f"<b>{kind_name}</b>{colon(lang)}{_hover_text(_clipped(str(body), 400))}")
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
        return nothing_to_draw(t("chart.no_values", lang), lang)
    meta = by_code(indicators)
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
            hovertemplate=f"%{{y}}<br>%{{x}}{colon(lang)}%{{text}}<extra></extra>",
        )
    )
    fig = style(
        fig, lang, t("chart.completeness_title", lang), height=max(260, 60 + 28 * len(codes))
    )
    fig.update_layout(margin={"l": 260})
    return fig
