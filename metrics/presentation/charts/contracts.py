"""The outcome contracts' charts: results against the thresholds, payments and returns against
the improvement, what is due against what was paid, and the investors' and tranches' money."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from metrics.base.periods import quarter_of
from metrics.domain import outcomes
from metrics.presentation import formatting
from metrics.presentation.charts.common import (
    BAD,
    COLORS,
    GOOD,
    NEUTRAL,
    in_order,
    nothing_to_draw,
    percent_suffix,
    shows_text,
    style,
)
from metrics.presentation.i18n import t

LABELLED_POINTS = 12  # a line of results with more points than this is not labelled


@shows_text
def contract_results(
    table: pd.DataFrame, cohort_threshold: float | None, overall_threshold: float, lang: str
) -> go.Figure:
    """Measured improvement per cohort and overall, against the two thresholds."""
    title = t("chart.contract_results_title", lang)
    if table.empty:
        return nothing_to_draw(t("chart.no_results", lang), lang, title)
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
    return style(fig, lang, title)


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
    _mark_improvements(fig, overall_threshold, achieved, lang)
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
    fig = style(fig, lang, title, height=440, periods=False)
    fig.update_layout(margin={"t": 95, "r": 70})  # room for the labels above, the right axis
    return fig


def _mark_improvements(
    fig: go.Figure, overall_threshold: float, achieved: float | None, lang: str
) -> None:
    """A vertical line at the overall threshold, and at the improvement achieved when there is
    one, each labelled above the plot."""
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


@shows_text
def due_and_paid(
    due: pd.DataFrame, paid: pd.DataFrame, currency: str, lang: str, by: str = "outcome"
) -> go.Figure:
    """Outcome payments due per period (bars stacked by outcome, ``outcomes.due``, or by
    payer, ``outcomes.by_payer``: ``by``) and what the ledger says was paid for outcomes (a
    line of what was paid to date against what was due to date)."""
    title = t(f"chart.due_title.{by}", lang)
    if due.empty or not due["amount"].any():
        return nothing_to_draw(t("chart.nothing_due", lang), lang, title)
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
                    f"<b>{outcome}</b><br>{labels[p]}{formatting.colon(lang)}"
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
    style(
        fig,
        lang,
        title,
        yaxes={"title": t("chart.amount", lang, currency=currency), "tickformat": ",~r"},
        xaxes=in_order([labels[p] for p in periods]),
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
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
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
    (``finance.sensitivity``; 100 %: what was achieved)."""
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
    style(
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
    totals = outcomes.tranche_totals(flows)
    if totals.empty:
        return nothing_to_draw(t("chart.no_values", lang), lang, title)
    names = [t(f"chart.tranche.{x}", lang) for x in totals["tranche"]]
    fig = go.Figure()
    for part, color in (("back", GOOD), ("covered", "#F0B429"), ("lost", BAD)):
        fig.add_trace(
            go.Bar(
                x=names,
                y=totals[part].tolist(),
                name=t(f"chart.tranche_part.{part}", lang),
                marker_color=color,
                text=[formatting.number(v, lang, 0) if v else "" for v in totals[part].tolist()],
                textposition="inside",
            )
        )
    return _amounts(fig.update_layout(barmode="stack"), title, currency, lang)


def _amounts(fig: go.Figure, title: str, currency: str, lang: str) -> go.Figure:
    """The common look of bars of money by name (investors, tranches)."""
    return style(
        fig,
        lang,
        title,
        periods=False,
        yaxes={"title": t("chart.amount", lang, currency=currency), "tickformat": ",~r"},
    )
