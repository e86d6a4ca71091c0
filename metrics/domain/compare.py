"""Comparing alliances fairly: peer groups, normalisations, ranking with its reasons.

Pure functions over frames from the store (yearly values at alliance level, targets, the
alliance table). Comparisons are yearly: funders compare years, not months. The rules, shown on
the comparison page:

- normalisations: ``raw``; ``per_1000`` inhabitants (flows and stocks only: a rate per person
  means nothing); ``progress`` to target; ``index`` (first year every compared alliance has a
  value = 100, direction-adjusted); ``per_euro``, per 1,000 € of funding secured that year;
- an alliance is ranked on a year if it has a comparable value then and its data for that year
  is at least half complete; otherwise it is listed as not ranked, with the reason;
- higher is better, except raw, per-inhabitant and per-euro values of an indicator to bring
  down; equal values share a rank (1, 2, 2, 4), listed by completeness then name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from metrics.domain import impact

NORMALISATIONS = ("raw", "per_1000", "progress", "index", "per_euro")
FUNDING_INDICATOR = "budget_secured"
MIN_COMPLETENESS = 0.5
HIGH_COMPLETENESS = 0.8
LEVELS = ("commune", "epci", "departement", "region", "unknown")


def territory_level(code: object) -> str:
    """The level of an INSEE code: commune (5 characters), EPCI (9-digit SIREN), département
    (2 characters, 2A/2B, or 971-976), région (``R`` and 2 digits, e.g. ``R84``)."""
    if not isinstance(code, str) or not code.strip():
        return "unknown"
    text = code.strip().upper()
    if len(text) == 9 and text.isdigit():
        return "epci"
    if len(text) == 5 and (text.isdigit() or text[:2] in ("2A", "2B")):
        return "commune"
    if text in ("2A", "2B") or (len(text) == 2 and text.isdigit()):
        return "departement"
    if len(text) == 3 and text.isdigit() and text.startswith("97"):
        return "departement"
    if len(text) == 3 and text.startswith("R") and text[1:].isdigit():
        return "region"
    return "unknown"


def peers(alliances: pd.DataFrame, selected: str, by: str) -> list[str]:
    """The alliances like ``selected``: same ``theme`` or same ``territory_level``."""
    table = alliances.set_index("name")
    if by == "theme":
        theme = table.at[selected, "theme"]
        names = table.index[table["theme"] == theme]
    else:
        level = territory_level(table.at[selected, "territory_code"])
        names = table.index[table["territory_code"].map(territory_level) == level]
    return sorted(str(n) for n in names)


CRITERIA = ("theme", "territory_level")
MIN_GROUP = 2  # a ranking of one alliance compares nothing


def default_criterion(alliances: pd.DataFrame, selected: str) -> str:
    """The first criterion (``CRITERIA``) that gives ``selected`` a group to compare with."""
    for by in CRITERIA:
        if len(peers(alliances, selected, by)) >= MIN_GROUP:
            return by
    return CRITERIA[0]


def with_peers(alliances: pd.DataFrame) -> list[str]:
    """The alliances that have a peer group to compare with, by one criterion or the other."""
    levels = alliances["territory_code"].map(territory_level)
    sizes = [
        column.map(column.value_counts()).fillna(0).astype(int)
        for column in (alliances["theme"], levels)
    ]
    return list(alliances["name"][(sizes[0] >= MIN_GROUP) | (sizes[1] >= MIN_GROUP)])


def badge(completeness: float) -> str:
    """``high``, ``medium`` or ``low`` confidence from the year's completeness."""
    if completeness >= HIGH_COMPLETENESS:
        return "high"
    return "medium" if completeness >= MIN_COMPLETENESS else "low"


@dataclass(frozen=True)
class Comparison:
    """Normalised yearly values of one indicator for several alliances."""

    table: pd.DataFrame  # alliance, year, raw, value, reason
    normalisation: str
    direction: str

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "up" or self.normalisation in ("progress", "index")


def normalise(
    values: pd.DataFrame,
    alliances: pd.DataFrame,
    targets: pd.DataFrame,
    indicator: str,
    normalisation: str,
    names: list[str],
) -> Comparison:
    """One indicator's yearly values for ``names``, normalised.

    ``values``: ``Store.aggregated(granularity="year", level="alliance")``. Where a value cannot
    be normalised, ``value`` is NaN and ``reason`` says why (``no_population``, ``rate``,
    ``no_target``, ``no_funding``, ``no_common_year``, ``partial``).
    """
    if normalisation not in NORMALISATIONS:
        raise ValueError(f"unknown normalisation {normalisation!r}")
    part = values[(values["indicator"] == indicator) & values["alliance"].isin(names)].copy()
    part["year"] = pd.to_datetime(part["bucket"]).dt.year
    direction = str(part["direction"].iloc[0]) if len(part) else "up"
    aggregation = str(part["aggregation"].iloc[0]) if len(part) else "sum"
    part["raw"] = part["value"].astype(float)
    part["reason"] = ""
    part.loc[part["partial"].astype(bool), "reason"] = "partial"
    result = pd.Series(math.nan, index=part.index)
    if normalisation == "raw":
        result = part["raw"]
    elif normalisation == "per_1000":
        population = part["alliance"].map(alliances.set_index("name")["population"])
        result = 1000 * part["raw"] / population
        if aggregation == "mean":
            result[:] = math.nan
            part["reason"] = part["reason"].where(part["reason"] != "", "rate")
        missing = population.isna() | (population <= 0)
        part.loc[missing & (part["reason"] == ""), "reason"] = "no_population"
    elif normalisation == "progress":
        progressed = impact.with_progress(
            part.drop(columns=["year", "raw", "reason"]), targets, "year"
        )
        result = pd.Series(progressed["progress"].to_numpy(), index=part.index)
        part.loc[result.isna() & (part["reason"] == ""), "reason"] = "no_target"
    elif normalisation == "index":
        complete = part[part["reason"] == ""]
        years = [
            y
            for y in sorted(set(complete["year"]))
            if set(complete.loc[complete["year"] == y, "alliance"]) >= set(part["alliance"])
        ]
        if years:
            base = complete[complete["year"] == years[0]].set_index("alliance")["raw"]
            ratio = part["raw"] / part["alliance"].map(base)
            result = 100 * ratio if direction == "up" else 100 * (2 - ratio)
            result[part["year"] < years[0]] = math.nan
        part.loc[result.isna() & (part["reason"] == ""), "reason"] = "no_common_year"
    else:  # per_euro
        funding = (
            values[values["indicator"] == FUNDING_INDICATOR]
            .assign(year=lambda f: pd.to_datetime(f["bucket"]).dt.year)
            .set_index(["alliance", "year"])["value"]
        )
        money = pd.Series(
            [funding.get((a, y), math.nan) for a, y in zip(part["alliance"], part["year"])],
            index=part.index,
        )
        result = 1000 * part["raw"] / money.where(money > 0)
        part.loc[result.isna() & (part["reason"] == ""), "reason"] = "no_funding"
    part["value"] = result
    part.loc[part["reason"] == "partial", "value"] = math.nan
    table = part[["alliance", "year", "raw", "value", "reason"]].sort_values(["alliance", "year"])
    return Comparison(table.reset_index(drop=True), normalisation, direction)


def rank(
    comparison: Comparison,
    completeness: pd.DataFrame,
    names: list[str],
    year: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rank ``names`` on ``year``: (ranked, not ranked with a reason).

    Ranked columns: rank, alliance, value, raw, completeness, badge. Not ranked: alliance,
    reason (``no_value``, a normalisation reason, or ``low_completeness``).
    """
    table = comparison.table[comparison.table["year"] == year].set_index("alliance")
    done = completeness[completeness["year"] == year].set_index("alliance")["completeness"]
    rows = pd.DataFrame({"alliance": list(names)})
    rows["completeness"] = rows["alliance"].map(done).fillna(0.0).astype("float64")
    for column in ("value", "raw", "reason"):
        rows[column] = rows["alliance"].map(table[column])
    listed = rows["alliance"].isin(table.index)
    valued = rows["value"].notna()
    rows["reason"] = (
        rows["reason"]
        .where(listed & ~valued & (rows["reason"].fillna("") != ""), "no_value")
        .where(~valued, "low_completeness")
    )
    ranked_rows = valued & (rows["completeness"] >= MIN_COMPLETENESS)
    frame = rows[ranked_rows].assign(badge=lambda f: f["completeness"].map(badge))
    frame = frame[["alliance", "value", "raw", "completeness", "badge"]].astype(
        {"value": "float64", "raw": "float64"}
    )
    sign = -1 if comparison.higher_is_better else 1
    # Values equal to 9 significant digits are ties (floating point noise is not a difference).
    frame["key"] = (sign * frame["value"]).map(lambda v: float(f"{v:.9g}"))
    frame = frame.sort_values(["key", "completeness", "alliance"], ascending=[True, False, True])
    frame["rank"] = frame["key"].rank(method="min").astype(int)
    frame = frame.drop(columns="key")[["rank", "alliance", "value", "raw", "completeness", "badge"]]
    not_ranked = rows.loc[~ranked_rows, ["alliance", "reason", "completeness"]]
    return frame.reset_index(drop=True), not_ranked.reset_index(drop=True)


def dimension_comparison(scores: pd.DataFrame, dimension: str, names: list[str]) -> Comparison:
    """Dimension scores (mean progress to target) per alliance and year, as a comparison.

    ``scores``: yearly ``impact.dimension_scores`` (``Store.dimension_scores``)."""
    scores = scores[(scores["dimension"] == dimension) & scores["alliance"].isin(names)]
    table = pd.DataFrame(
        {
            "alliance": scores["alliance"],
            "year": pd.to_datetime(scores["bucket"]).dt.year,
            "raw": scores["score"],
            "value": scores["score"],
            "reason": "",
        }
    )
    return Comparison(table.reset_index(drop=True), "progress", "up")


def latest_common_year(comparison: Comparison) -> int | None:
    """The latest year where most compared alliances have a comparable value."""
    usable = comparison.table[comparison.table["value"].notna()]
    if usable.empty:
        return None
    counts = usable.groupby("year")["alliance"].nunique()
    best = counts.max()
    return max(int(str(y)) for y, n in counts.items() if n == best)


def portfolio(
    scores: pd.DataFrame,
    completeness: pd.DataFrame,
    alliances: pd.DataFrame,
    last_uploads: pd.Series,
    today_year: int,
) -> pd.DataFrame:
    """One row per alliance: latest score per dimension and its change since the year before,
    the completeness of its latest year over and its badge, how far its data goes (the end of
    its last period) and when it was last updated.

    ``scores``: yearly ``impact.dimension_scores``; ``completeness``:
    ``Store.completeness_by_year``; ``last_uploads``: alliance name -> timestamp.
    """
    cards = impact.scorecards(scores).set_index(["alliance", "dimension"])
    table = pd.DataFrame(
        {
            "alliance": alliances["name"],
            "theme": alliances["theme"],
            "territory": alliances["territory"],
            "territory_level": alliances["territory_code"].map(territory_level),
            "stage": alliances["stage"],
        }
    ).reset_index(drop=True)
    present = set(cards.index.get_level_values("dimension")) if len(cards) else set()
    for dimension in impact.DIMENSION_ORDER:
        mine = cards.xs(dimension, level="dimension") if dimension in present else None
        for field_ in ("score", "change", "period"):
            column = mine[field_] if mine is not None else pd.Series(dtype=object)
            picked = table["alliance"].map(column)
            table[f"{dimension}_{field_}"] = (
                picked.astype("float64") if field_ != "period" else picked.astype(object)
            )
    # Completeness of the latest year that is over and that the alliance has values of (an
    # alliance whose data stops in 2017 is read on 2017, and ``last_period`` says so).
    done = completeness[
        (completeness["year"] < today_year) & (completeness["reported"] > 0)
    ].sort_values("year")
    latest = done.groupby("alliance").tail(1).set_index("alliance")
    table["completeness"] = table["alliance"].map(latest["completeness"]).fillna(0.0).astype(float)
    years = table["alliance"].map(latest["year"])
    table["completeness_year"] = [int(y) if pd.notna(y) else None for y in years]
    table["badge"] = table["completeness"].map(badge)
    table["last_period"] = alliances["last_period"].to_numpy()
    table["last_update"] = table["alliance"].map(last_uploads) if len(last_uploads) else None
    return table


def trend_arrow(change: float) -> str:
    """▲ up, ▼ down, ► within one point, blank when unknown."""
    if change is None or pd.isna(change):
        return ""
    if abs(change) < 0.01:
        return "►"
    return "▲" if change > 0 else "▼"


def display_scale(normalisation: str) -> float:
    """Progress is shown in % of the way to the target; other values as they are."""
    return 100.0 if normalisation == "progress" else 1.0


def export_table(ranked: pd.DataFrame, not_ranked: pd.DataFrame) -> pd.DataFrame:
    """Ranked then not-ranked alliances in one table, for the CSV and XLSX exports."""
    first = ranked.assign(reason="")
    second = not_ranked.assign(rank=None, value=None, raw=None, badge="")
    columns = ["rank", "alliance", "value", "raw", "completeness", "badge", "reason"]
    table = pd.concat([first[columns], second[columns]], ignore_index=True)
    table["rank"] = table["rank"].astype("Int64")  # stays a whole number beside blanks
    return table


def filter_portfolio(
    table: pd.DataFrame, themes: list[str], territories: list[str], stages: list[str]
) -> pd.DataFrame:
    """Rows matching every non-empty filter (an empty filter keeps everything)."""
    keep = pd.Series(True, index=table.index)
    for column, chosen in (("theme", themes), ("territory", territories), ("stage", stages)):
        if chosen:
            keep &= table[column].isin(chosen)
    return table[keep]
