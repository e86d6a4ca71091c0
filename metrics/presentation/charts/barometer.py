"""The charts of a barometer wave: who answered, how the answers spread over the scale (not only
their mean), and how each stakeholder type scored the items where its group may be shown.

Each takes the wave's results as ``metrics.usecases.barometer.results`` gives them (withheld
groups say ``"withheld"``) and the items' labels in the reader's language.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from metrics.domain import barometer
from metrics.presentation import formatting
from metrics.presentation.charts.common import (
    NEUTRAL,
    TYPE_COLORS,
    nothing_to_draw,
    percent_suffix,
    shows_text,
    style,
    type_name,
    wrap,
)
from metrics.presentation.i18n import t

# From "not at all" (1) to "fully" (5), then "don't know": a diverging scale readable by the
# colour-blind (ColorBrewer's RdYlBu), grey for no opinion.
SCALE_COLORS = ("#D7191C", "#FDAE61", "#E9E29C", "#ABD9E9", "#2C7BB6")
DONT_KNOW = "#C8CCD2"


def _percent(part: int, whole: int, lang: str) -> str:
    share = 100 * part / whole if whole else 0
    return f"{formatting.number(share, lang, 0)}{percent_suffix(lang)}"


@shows_text
def answer_spread(result: dict[str, Any], labels: dict[str, str], lang: str) -> go.Figure:
    """Each item as a bar of 100 % of its answers, split by score (1 to 5, then don't know),
    its mean written at its end (``chart.survey_spread_subtitle`` says so, under the chart:
    a figure's subtitle does not wrap on a phone)."""
    title = t("chart.survey_spread_title", lang)
    items = barometer.shown_items(result)
    if not items:
        return nothing_to_draw(t("survey.results_withheld", lang, least=result["minimum"]), lang)
    codes = list(items)[::-1]  # the questionnaire's first item on top
    names = [wrap(labels.get(code, code), 18) for code in codes]
    fig = go.Figure()
    segments: list[tuple[str, str, Any]] = [
        (str(score), color, lambda item, i=score - 1: item["distribution"][i])
        for score, color in zip(range(1, 6), SCALE_COLORS, strict=True)
    ]
    segments.append((t("survey.dont_know", lang), DONT_KNOW, lambda item: item["dont_know"]))
    for name, color, count_of in segments:
        counts = [int(count_of(items[code])) for code in codes]
        totals = [items[code]["n"] + items[code]["dont_know"] for code in codes]
        fig.add_trace(
            go.Bar(
                y=names,
                x=[100 * c / n if n else 0 for c, n in zip(counts, totals, strict=True)],
                orientation="h",
                name=name,
                marker_color=color,
                hovertext=[
                    t(
                        "chart.survey_spread_hover",
                        lang,
                        item=labels.get(code, code),
                        score=name,
                        count=c,
                        share=_percent(c, n, lang),
                    )
                    for code, c, n in zip(codes, counts, totals, strict=True)
                ],
                hoverinfo="text",
            )
        )
    for code, name in zip(codes, names, strict=True):
        mean = items[code]["mean"]
        shown = "—" if mean is None else formatting.number(mean, lang, 1)
        fig.add_annotation(
            x=1.01,
            xref="paper",
            y=name,
            xanchor="left",
            showarrow=False,
            text=f"<b>{shown}</b>",
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig = style(
        fig,
        lang,
        title,
        height=150 + 44 * len(codes),
        periods=False,
        xaxes={"range": [0, 100], "ticksuffix": percent_suffix(lang), "title": ""},
    )
    fig.update_layout(margin={"r": 60})  # room for each item's mean at its bar's end
    return fig


@shows_text
def response_bars(result: dict[str, Any], lang: str) -> go.Figure:
    """Per stakeholder type, the links sent and the answers received (the citizens' open link
    has no count of links: whoever wants to answers); ``chart.survey_response_subtitle`` reads
    it, under the chart."""
    title = t("chart.survey_response_title", lang)
    response = result["response"]
    if not response:
        return nothing_to_draw(t("survey.no_links", lang), lang, title)
    kinds = list(response)[::-1]
    names = [type_name(kind, lang) for kind in kinds]
    fig = go.Figure()
    for key, color, opacity in (("invited", NEUTRAL, 0.35), ("answered", None, 1.0)):
        fig.add_trace(
            go.Bar(
                y=names,
                x=[response[kind][key] for kind in kinds],
                orientation="h",
                name=t(f"survey.{key}", lang),
                marker={
                    "color": [color or TYPE_COLORS.get(kind, NEUTRAL) for kind in kinds],
                    "opacity": opacity,
                },
                hoverinfo="x+y",
            )
        )
    for kind, name in zip(kinds, names, strict=True):
        invited, answered = response[kind]["invited"], response[kind]["answered"]
        count = formatting.number(answered, lang)
        text = (
            f"{count} / {formatting.number(invited, lang)} · {_percent(answered, invited, lang)}"
            if invited
            else t("survey.by_open_link", lang, count=count)
        )
        fig.add_annotation(
            x=max(invited, answered), y=name, xanchor="left", showarrow=False, text=f"  {text}"
        )
    fig.update_layout(barmode="overlay", showlegend=False)
    fig = style(
        fig,
        lang,
        title,
        height=130 + 42 * len(kinds),
        periods=False,
        xaxes={"title": t("survey.answers_axis", lang), "rangemode": "tozero"},
    )
    fig.update_layout(margin={"r": 130, "b": 50})
    return fig


@shows_text
def type_means(result: dict[str, Any], labels: dict[str, str], lang: str) -> go.Figure:
    """Each item's mean as each stakeholder type scored it, for the types whose group may be
    shown; the gap between the highest and the lowest written above each item."""
    title = t("chart.survey_types_title", lang)
    shown = {k: v for k, v in result["by_type"].items() if isinstance(v, dict)}
    if len(shown) < 2:
        return nothing_to_draw(t("survey.types_withheld", lang, least=result["minimum"]), lang)
    codes = [c for c in labels if any(c in items for items in shown.values())]
    names = [wrap(labels[c], 16) for c in codes]
    fig = go.Figure()
    for kind, items in shown.items():
        means = [items.get(c, {}).get("mean") for c in codes]
        fig.add_trace(
            go.Bar(
                x=names,
                y=means,
                name=type_name(kind, lang),
                marker_color=TYPE_COLORS.get(kind, NEUTRAL),
                hovertext=[
                    f"<b>{type_name(kind, lang)}</b><br>{labels[c]}{formatting.colon(lang)}"
                    f"{formatting.number(m, lang, 1)} / 5"
                    for c, m in zip(codes, means, strict=True)
                ],
                hoverinfo="text",
            )
        )
    for code, name in zip(codes, names, strict=True):
        values = [i[code]["mean"] for i in shown.values() if i.get(code, {}).get("mean")]
        if len(values) > 1:
            gap = formatting.number(max(values) - min(values), lang, 1)
            fig.add_annotation(x=name, y=5.2, showarrow=False, text=t("chart.gap", lang, gap=gap))
    fig.update_layout(barmode="group")
    return style(
        fig,
        lang,
        title,
        periods=False,
        yaxes={"title": t("chart.score_1_5", lang), "range": [0, 5.5], "dtick": 1},
    )
