"""How the alliance is doing: progress to target, indexes, dimension scores and completeness.

Pure functions over the frames that ``Store.aggregated`` returns (aggregation itself runs in
DuckDB). The rules, shown to users on the dashboard:

- progress to target = (value - baseline) / (target - baseline): 0 at the baseline, 1 at the
  target, the same formula for ``down`` indicators;
- without a target, an index: the first period = 100, direction-adjusted (a 25 % fall of a
  ``down`` indicator reads 125);
- the score of a dimension at a period is the mean progress of its indicators that have a
  target and a value then; the coverage says how many of them had one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from metrics.base.periods import Period, from_canonical

DIMENSION_ORDER = ("innovation", "performance", "trust")


def progress(value: float, baseline: float, target: float) -> float:
    """Share of the way from baseline to target.

    >>> progress(15, 10, 30)
    0.25
    >>> progress(16, 20, 12)  # a rate to bring down from 20 to 12
    0.5
    """
    if target == baseline:
        return math.nan
    return (value - baseline) / (target - baseline)


def index(values: pd.Series, direction: str) -> pd.Series:
    """First value = 100; ``up``: 100 × v / v₀; ``down``: 100 × (2 − v / v₀)."""
    values = values.astype("float64")
    if values.empty or values.iloc[0] == 0 or pd.isna(values.iloc[0]):
        return pd.Series(math.nan, index=values.index)
    ratio = values / values.iloc[0]
    return 100 * ratio if direction == "up" else 100 * (2 - ratio)


def period_of(bucket: dt.date | pd.Timestamp, granularity: str) -> Period:
    start = bucket.date() if isinstance(bucket, pd.Timestamp) else bucket
    return Period(start, granularity)  # type: ignore[arg-type]


def with_progress(values: pd.DataFrame, targets: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """Add ``period``, ``baseline``, ``target``, ``progress``, ``index`` and ``scored``.

    ``values``: ``Store.aggregated(level="alliance")``. Progress is computed when the indicator
    has a target and either its values are not sums (rates, scores, stocks compare at any
    granularity) or the view granularity is the target's (a yearly target for yearly sums).
    ``scored``: the value counts in its dimension score (a progress, and not a partial sum).
    """
    frame = values.copy()
    # Each rule once per distinct bucket or target period, then by columns (no loop per row
    # or per indicator: a network holds tens of thousands of them).
    periods = {b: period_of(b, granularity).canonical for b in frame["bucket"].unique()}
    frame["period"] = frame["bucket"].map(periods)
    merged = frame.merge(
        targets[
            ["alliance", "indicator", "baseline_period", "baseline", "target_period", "target"]
        ],
        on=["alliance", "indicator"],
        how="left",
    )
    granularities = {
        p: from_canonical(p).granularity
        for p in merged["target_period"].dropna().unique()
        if isinstance(p, str)
    }
    target_granularity = merged["target_period"].map(granularities)
    comparable = merged["target"].notna() & (
        (merged["aggregation"] != "sum") | (target_granularity == granularity)
    )
    value, baseline, target = (merged[c].astype("float64") for c in ("value", "baseline", "target"))
    span = (target - baseline).where(target != baseline)
    merged["progress"] = ((value - baseline) / span).where(comparable)
    merged["has_target"] = comparable
    # Index: the first value of each alliance and indicator (by period) is 100.
    keys = ["alliance", "indicator"]
    ordered = merged.sort_values("bucket", kind="stable")
    starts = ordered[ordered.groupby(keys, sort=False).cumcount() == 0]
    first = merged[keys].merge(
        starts[[*keys, "value"]].rename(columns={"value": "first"}), on=keys, how="left"
    )["first"]
    first = pd.Series(first.to_numpy(dtype="float64"), index=merged.index)
    ratio = value / first.where(first != 0)
    merged["index"] = (100 * ratio).where(merged["direction"] == "up", 100 * (2 - ratio))
    merged["scored"] = merged["progress"].notna() & ~merged["partial"].astype(bool)
    return merged


def dimension_scores(progressed: pd.DataFrame) -> pd.DataFrame:
    """Per alliance, dimension and period: ``score`` (mean progress), ``n`` indicators scored,
    ``total`` indicators of the dimension that have a target, ``coverage`` = n / total."""
    columns = ["alliance", "dimension", "bucket", "period", "score", "n", "total", "coverage"]
    if progressed.empty:
        return pd.DataFrame(columns=columns)
    totals = (
        progressed[progressed["has_target"]]
        .groupby(["alliance", "dimension"])["indicator"]
        .nunique()
        .rename("total")
    )
    scored = progressed[progressed["scored"]]
    grouped = (
        scored.groupby(["alliance", "dimension", "bucket", "period"])
        .agg(score=("progress", "mean"), n=("indicator", "nunique"))
        .reset_index()
    )
    grouped = grouped.merge(totals.reset_index(), on=["alliance", "dimension"], how="left")
    grouped["coverage"] = grouped["n"] / grouped["total"]
    return grouped[columns].sort_values(["alliance", "dimension", "bucket"]).reset_index(drop=True)


SCORECARD_COLUMNS = [
    "dimension",
    "period",
    "score",
    "previous_period",
    "previous",
    "change",
    "n",
    "total",
]


def scorecards(scores: pd.DataFrame) -> pd.DataFrame:
    """Per alliance and dimension: the latest score, the one before, the change, the coverage
    (``dimension_scores`` output, every alliance at once)."""
    columns = ["alliance", *SCORECARD_COLUMNS]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    ordered = scores.sort_values(["alliance", "dimension", "bucket"], kind="stable")
    groups = ordered.groupby(["alliance", "dimension"], sort=False)
    last = groups.nth(-1).set_index(["alliance", "dimension"])
    before = groups.nth(-2).set_index(["alliance", "dimension"]).reindex(last.index)
    table = pd.DataFrame(
        {
            "period": last["period"],
            "score": last["score"].astype("float64"),
            "previous_period": before["period"]
            .astype(object)
            .where(before["period"].notna(), None),
            "previous": before["score"].astype("float64"),
            "n": last["n"].astype(int),
            "total": last["total"].astype(int),
        }
    )
    table["change"] = table["score"] - table["previous"]
    return table.reset_index()[columns]


def scorecard(
    scores: pd.DataFrame, alliance: str, cards: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per dimension: the latest score, the one before, the change, the coverage.

    ``cards``: ``scorecards(scores)`` when already computed for every alliance."""
    cards = scorecards(scores[scores["alliance"] == alliance]) if cards is None else cards
    mine = cards[cards["alliance"] == alliance].set_index("dimension")
    rows = []
    for dimension in DIMENSION_ORDER:
        if dimension in mine.index:
            row = mine.loc[dimension]
            rows.append({"dimension": dimension, **{c: row[c] for c in SCORECARD_COLUMNS[1:]}})
        else:
            rows.append(
                {
                    "dimension": dimension,
                    "period": None,
                    "score": math.nan,
                    "previous_period": None,
                    "previous": math.nan,
                    "change": math.nan,
                    "n": 0,
                    "total": 0,
                }
            )
    frame = pd.DataFrame(rows, columns=SCORECARD_COLUMNS)
    return frame.astype({"n": int, "total": int})


def completeness(values: pd.DataFrame, years: list[int], today: dt.date) -> pd.DataFrame:
    """Per indicator the alliance reports and per year: ``complete``, ``partial``, ``missing``,
    or ``pending`` for a year not over yet that has no value so far.

    ``values``: ``Store.aggregated(granularity="year", level="alliance")`` for one alliance.
    """
    rows = []
    for indicator, group in values.groupby("indicator"):
        by_year = {pd.Timestamp(b).year: bool(p) for b, p in zip(group["bucket"], group["partial"])}
        for year in years:
            if year not in by_year:
                status = "pending" if dt.date(year, 12, 31) >= today else "missing"
            else:
                status = "partial" if by_year[year] else "complete"
            rows.append(
                {
                    "indicator": indicator,
                    "dimension": group["dimension"].iloc[0],
                    "year": year,
                    "status": status,
                }
            )
    return pd.DataFrame(rows, columns=["indicator", "dimension", "year", "status"])


def combine(values: pd.Series, aggregation: str) -> float:
    """Several owners' values for one period: rates and scores are averaged, the rest add up."""
    return float(values.mean() if aggregation == "mean" else values.sum())


def by_stakeholder_type(values: pd.DataFrame) -> pd.DataFrame:
    """``Store.aggregated(level="stakeholder")`` rows combined per stakeholder type."""
    owned = values[values["stakeholder"] != ""]
    columns = ["indicator", "stakeholder_type", "bucket", "value", "stakeholders"]
    if owned.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (indicator, kind, bucket), group in owned.groupby(
        ["indicator", "stakeholder_type", "bucket"]
    ):
        rows.append(
            {
                "indicator": indicator,
                "stakeholder_type": kind,
                "bucket": bucket,
                "value": combine(group["value"], str(group["aggregation"].iloc[0])),
                "stakeholders": group["stakeholder"].nunique(),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def stakeholder_changes(values: pd.DataFrame) -> pd.DataFrame:
    """Per stakeholder and indicator: the change from its first to its last complete period,
    direction-adjusted, in % (the index of the last period minus 100)."""
    columns = ["stakeholder", "stakeholder_type", "indicator", "first", "last", "change"]
    owned = values[(values["stakeholder"] != "") & ~values["partial"].astype(bool)]
    rows = []
    for (stakeholder, indicator), group in owned.groupby(["stakeholder", "indicator"]):
        ordered = group.sort_values("bucket")
        if len(ordered) < 2:
            continue
        indexed = index(ordered["value"], str(ordered["direction"].iloc[0]))
        rows.append(
            {
                "stakeholder": stakeholder,
                "stakeholder_type": ordered["stakeholder_type"].iloc[0],
                "indicator": indicator,
                "first": ordered["bucket"].iloc[0],
                "last": ordered["bucket"].iloc[-1],
                "change": indexed.iloc[-1] - 100,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def reporting(
    observations: pd.DataFrame, stakeholders: pd.DataFrame, years: list[int]
) -> pd.DataFrame:
    """Values reported per stakeholder and year (zero for a partner that sent nothing)."""
    owned = observations[observations["stakeholder"] != ""]
    counts = (
        owned.assign(year=pd.to_datetime(owned["period_start"]).dt.year)
        .groupby(["stakeholder", "year"])
        .size()
    )
    rows = [
        {
            "stakeholder": name,
            "stakeholder_type": kind,
            "year": year,
            "values": int(counts.get((name, year), 0)),
        }
        for name, kind in zip(stakeholders["stakeholder"], stakeholders["type"])
        for year in years
    ]
    return pd.DataFrame(rows, columns=["stakeholder", "stakeholder_type", "year", "values"])


def latest_two(values: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of the latest period and of the one before (alliance level)."""
    buckets = sorted(set(values["bucket"]))
    if not buckets:
        return values.iloc[0:0], values.iloc[0:0]
    latest = values[values["bucket"] == buckets[-1]]
    previous = values[values["bucket"] == buckets[-2]] if len(buckets) > 1 else values.iloc[0:0]
    return latest, previous


def _number(value: object) -> float | None:
    """A JSON-ready number: None for a missing value."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return float(value)  # type: ignore[arg-type]


RULES = {
    "progress": "(value - baseline) / (target - baseline): 0 at the baseline, 1 at the target",
    "score": "mean progress of the dimension's indicators that have a target and a value in "
    "the period; partial sums (period not complete) are left out",
    "coverage": "indicators scored / indicators of the dimension that have a target",
    "aggregation": "sum for flows, mean for rates and scores, last value for stocks; "
    "stakeholders' values add up (flows, stocks) or are averaged (rates, scores)",
}


def scorecard_document(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    alliances: pd.DataFrame,
    granularity: str,
    flags: pd.DataFrame | None = None,
    quality: Mapping[str, Mapping[str, int]] | None = None,
) -> dict[str, object]:
    """Per alliance: dimension scores and coverage per period, and per indicator and period the
    value and progress to target, with the first value to check in it (``flag``, one still
    open first) and how many of its values are flagged and checked (``quality``).
    ``values``: ``Store.aggregated(level="alliance")``; ``flags``: ``plausibility.flags``
    with their decisions and the period of the view they fall in (``view_period``);
    ``quality``: per alliance, its values flagged and checked and its periods due in the past
    year that came late or not at all (``plausibility.by_alliance``), whatever the view."""
    progressed = with_progress(values, targets, granularity)
    scores = dimension_scores(progressed)
    flagged = _flags_by_value(flags)
    documents = []
    for alliance in alliances.to_dict("records"):
        name = alliance["name"]
        mine = scores[scores["alliance"] == name]
        rows = progressed[progressed["alliance"] == name].sort_values(["indicator", "bucket"])
        documents.append(
            {
                "name": name,
                "territory": alliance["territory"],
                "territory_code": alliance["territory_code"],
                "population": None
                if pd.isna(alliance["population"])
                else int(alliance["population"]),
                "theme": alliance["theme"],
                "stage": alliance["stage"],
                "dimensions": [
                    {
                        "dimension": row["dimension"],
                        "period": row["period"],
                        "score": _number(row["score"]),
                        "coverage": _number(row["coverage"]),
                        "indicators_scored": int(row["n"]),
                        "indicators_with_target": int(row["total"]),
                    }
                    for row in mine.to_dict("records")
                ],
                "indicators": [
                    {
                        "indicator": row["indicator"],
                        "dimension": row["dimension"],
                        "period": row["period"],
                        "value": _number(row["value"]),
                        "partial": bool(row["partial"]),
                        "progress": _number(row["progress"]),
                        "baseline": _number(row["baseline"]),
                        "target": _number(row["target"]),
                        "target_period": row["target_period"]
                        if isinstance(row["target_period"], str)
                        else None,
                        "index": _number(row["index"]),
                        "flag": next(
                            iter(flagged.get((name, row["indicator"], row["period"]), [])), None
                        ),
                    }
                    for row in rows.to_dict("records")
                ],
                "quality": dict((quality or {}).get(name, NO_FLAG)),
            }
        )
    return {"granularity": granularity, "rules": RULES, "alliances": documents}


NO_FLAG = {"flagged": 0, "checked": 0, "late": 0}


def _flags_by_value(flags: pd.DataFrame | None) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Each flag as the scorecard gives it (its reason, the value's own period, partner and
    value, and the reason's parameters), by alliance, indicator and period of the view."""
    found: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    if flags is None:
        return found
    for flag in flags.to_dict("records"):
        said = {
            "reason": flag["reason"],
            "period": flag["period"],
            "stakeholder": flag["stakeholder"] or None,
            "value": flag["value"],
            **flag["params"],
            "checked": bool(flag.get("checked", False)),
        }
        view = (flag["alliance"], flag["indicator"], flag["view_period"])
        found.setdefault(view, []).append(said)
    for said_here in found.values():  # those still to check first
        said_here.sort(key=lambda f: f["checked"])
    return found
