"""Values to check, said in the reader's language: why each was flagged (with the figures it
was compared with), as a row of a table or a line of the command line
(``metrics.domain.plausibility`` gives the flags as data)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd

from metrics.base.periods import from_canonical
from metrics.domain.plausibility import Z_LIMIT
from metrics.presentation import formatting
from metrics.presentation.i18n import t

OPERATORS = {"<=": "≤", "<": "<", "=": "=", ">=": "≥", ">": ">"}


def reason(
    flag: Mapping[Any, Any], lang: str, labels: Mapping[str, str], markup: bool = False
) -> str:
    """Why the value was flagged, with what it was compared with, in ``lang``; ``markup``: for
    a chart's hover, whose texts come escaped (``charts.common.escaped``), the operator too."""
    params = dict(flag["params"])
    symbol = OPERATORS.get(html.unescape(str(params.get("operator", ""))), "")

    def n(value: float) -> str:
        return formatting.number(value, lang)

    if flag["reason"] == "rule":
        right = params["right"]
        right_text = labels.get(right, right) if isinstance(right, str) else n(right)
        if params["factor"] != 1:
            right_text = f"{n(params['factor'])} × {right_text}"
        return t(
            "flag.rule",
            lang,
            left=labels.get(flag["indicator"], flag["indicator"]),
            operator=html.escape(symbol) if markup else symbol,
            right=right_text,
            left_value=n(params["left_value"]),
            right_value=n(params["factor"] * params["right_value"]),
        )
    common = {"history": params["history"], "median": n(params["median"])}
    if flag["reason"] == "scale":
        return t("flag.scale", lang, factor=n(params["factor"]), **common)
    return t(
        "flag.outlier",
        lang,
        z=n(params["z"]),
        previous=n(params["previous"]),
        limit=n(Z_LIMIT),
        **common,
    )


def period(canonical: str, lang: str) -> str:
    """``T2 2024`` / ``Q2 2024``, as the pages write periods."""
    try:
        return formatting.period_label(from_canonical(canonical), lang)
    except ValueError:
        return canonical


def table(flags: pd.DataFrame, lang: str, labels: Mapping[str, str]) -> pd.DataFrame:
    """The flags as a table: where in the file (when they come from one), whose value, the
    value and why, under headers in ``lang``."""
    rows = []
    for flag in flags.to_dict("records"):
        row = {}
        if "source_row" in flag:
            row[t("col.sheet", lang)] = flag["source_sheet"]
            row[t("col.row", lang)] = flag["source_row"]
        row |= {
            t("data.col.alliance", lang): flag["alliance"],
            t("data.col.indicator", lang): labels.get(flag["indicator"], flag["indicator"]),
            t("data.col.stakeholder", lang): flag["stakeholder"],
            t("data.col.period", lang): period(flag["period"], lang),
            t("data.col.value", lang): formatting.number(flag["value"], lang),
            t("flag.col.why", lang): reason(flag, lang, labels),
        }
        rows.append(row)
    return pd.DataFrame(rows)


def lines(
    flags: pd.DataFrame, lang: str, labels: Mapping[str, str], where: bool = True
) -> list[str]:
    """The flags, one line each: where in the file (``where``), whose value, the value, then
    why; without ``where``, an alliance's own: its indicator, partner, period and value."""
    found = []
    for flag in flags.to_dict("records"):
        who = [labels.get(flag["indicator"], flag["indicator"])]
        if flag["stakeholder"]:
            who.append(flag["stakeholder"])
        value = formatting.number(flag["value"], lang)
        said = f"{period(flag['period'], lang)}, {value}. {reason(flag, lang, labels)}"
        if not where:
            found.append(f"{' · '.join(who)}, {said}")
            continue
        place = [str(flag["source_sheet"]), t("where.row", lang, row=flag["source_row"])]
        colon = "\u00a0:" if lang == "fr" else ":"
        found.append(f"{', '.join(place)}{colon} {' · '.join([flag['alliance'], *who])}, {said}")
    return found
