"""Values that may be mistakes: flagged, never refused (the value may be right and the rule
wrong), each with its reason and what it was compared with. Pure functions over frames of
values; the store reads them, the edges say the reasons in the reader's language.

Two rules, shown to users where flags are listed:

- **Outliers within a series** (an alliance's values of one indicator, one partner or none,
  one granularity, in period order), each value against the values before it (at most
  ``HISTORY``, at least ``MIN_HISTORY``):
  - ``scale``: ten times or more the median of those values, or a tenth or less (a figure
    typed in euros where thousands were meant): the factor is shown, as a power of ten when
    it is close to one;
  - ``outlier``: a modified z-score beyond ``Z_LIMIT``: 0.6745 × (value − median) / MAD, the
    MAD the median of the absolute deviations from the median (Iglewicz and Hoaglin's rule,
    robust to the outliers it looks for), taken as a tenth of the median at least (so a
    flagged value is more than half the median away from it: a steady series is not flagged
    for ordinary ups and downs), and for counts as what chance alone gives a count (a
    standard deviation of √median); and as far from the value just before (the same score
    on the difference with it): a series that grows or steps to a new level is not flagged
    at each value.
- **Rules between indicators** (``Rule``): for every period where both sides have a value of
  the alliance's own (not per partner), ``left operator factor × right`` must hold, the right
  side an indicator or a number; else ``rule``, with both values. An alliance's own rule on a
  pair of sides takes the place, for it, of the rule of every alliance on that pair.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from metrics.base import catalog

HISTORY = 8  # values before a value that it is compared with, at most
MIN_HISTORY = 3  # and at least: fewer say nothing of what is usual
Z_LIMIT = 3.5  # a modified z-score beyond flags the value
SCALE = 10.0  # a value this many times the usual one (or a tenth of it) flags it
SPREAD = 0.1  # the MAD is taken as a tenth of the median at least
_Z = 0.6745  # the 0.75 quantile of the standard normal: MAD × 1/0.6745 estimates σ

# A rule's operators, on arrays of values.
VECTOR_OPERATORS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "<=": np.less_equal,
    "<": np.less,
    "=": lambda a, b: np.isclose(a, b, rtol=1e-9, atol=1e-9),
    ">=": np.greater_equal,
    ">": np.greater,
}
# A series: one alliance's values of one indicator, for one partner (or its own), at one
# granularity.
SERIES = ["alliance", "indicator", "stakeholder", "granularity"]
FLAG_COLUMNS = [*SERIES, "period", "value", "reason", "params"]


@dataclass(frozen=True)
class Rule:
    """``left operator factor × right`` for the values of ``alliance`` (``None``: every
    alliance), ``right`` an indicator's code or a number."""

    alliance: str | None
    left: str
    operator: str
    right: str | float
    factor: float = 1.0


def outliers(values: pd.DataFrame, counts: Collection[str] | None = None) -> pd.DataFrame:
    """The values of ``values`` (columns ``SERIES``, ``period``, ``period_start``,
    ``value``) far from the values before them in their series, with their reason and its
    parameters (``median``, ``history``: how many values before, then ``factor`` or ``z``).
    ``counts``: the indicators that count or add up things (``counted``; by default the
    catalogue's), which vary by chance at least as counts do.

    >>> frame = pd.DataFrame({"alliance": "A", "indicator": "jobs", "stakeholder": "",
    ...     "granularity": "year", "period": ["2021", "2022", "2023", "2024"],
    ...     "period_start": pd.to_datetime(["2021", "2022", "2023", "2024"]),
    ...     "value": [48.0, 50.0, 52.0, 5000.0]})
    >>> flagged = outliers(frame)
    >>> flagged[["period", "reason"]].values.tolist(), flagged["params"][0]["factor"]
    ([['2024', 'scale']], 100.0)
    """
    if values.empty:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    ordered = values.sort_values([*SERIES, "period_start"], kind="stable").reset_index(drop=True)
    before = _before(ordered)
    value = ordered["value"].to_numpy(float)
    counted = (~np.isnan(before)).sum(axis=1)
    enough = counted >= MIN_HISTORY
    whole = ordered["indicator"].isin(_counts(counts)).to_numpy()
    median, mad = _usual(before, enough, whole)
    previous = before[:, -1]  # the value just before, in the same series
    with np.errstate(all="ignore"):
        ratio = np.where(median > 0, value / median, np.nan)
        z = np.where(mad > 0, _Z * (value - median) / mad, np.nan)
        z_previous = np.where(mad > 0, _Z * (value - previous) / mad, np.nan)
    # (a value of 0 is no unit typed wrong: the z-score tells whether it is far)
    scale = enough & ((ratio >= SCALE) | ((ratio > 0) & (ratio <= 1 / SCALE)))
    # far from what is usual and from the value before: a series that grows is not flagged
    far = enough & ~scale & (np.abs(z) > Z_LIMIT) & (np.abs(z_previous) > Z_LIMIT)
    picked = np.flatnonzero(scale | far)
    params: list[dict[str, Any]] = []
    for i in picked:
        said: dict[str, Any] = {"median": float(median[i]), "history": int(counted[i])}
        if scale[i]:
            said["factor"] = _factor(float(ratio[i]))
        else:
            said["z"] = round(float(z[i]), 1)
            said["previous"] = float(previous[i])
        params.append(said)
    found = ordered.iloc[picked][[*SERIES, "period", "value"]].reset_index(drop=True)
    found["reason"] = np.where(scale[picked], "scale", "outlier")
    found["params"] = pd.Series(params, index=found.index, dtype=object)
    return found[FLAG_COLUMNS]


def _counts(counts: Collection[str] | None) -> Collection[str]:
    """The indicators that count or add up things: ``counts``, else the catalogue's."""
    if counts is not None:
        return counts
    return {i.code for i in catalog.CATALOG if counted(i.minimum, i.maximum)}


def counted(minimum: float | None, maximum: float | None) -> bool:
    """Whether an indicator bounded so counts or adds up things (people, jobs, tonnes, euros:
    from 0, with no maximum), rather than rating or measuring a share (a score, a rate)."""
    return minimum is not None and minimum >= 0 and maximum is None


def _usual(
    before: np.ndarray, enough: np.ndarray, whole: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The median of the values before each value, and their MAD, at least a tenth of the
    median (``SPREAD``) and, for a count (``whole``: of an indicator that counts or adds up
    things), what chance alone gives a count: a standard deviation of the square root of its
    median (Poisson; next to a tenth of the median, it weighs only on small counts)."""
    with np.errstate(all="ignore"):
        median = _row_medians(np.where(enough[:, None], before, 0.0))
        mad = _row_medians(np.abs(before - median[:, None]))
        mad = np.maximum(mad, SPREAD * np.abs(median))
        chance = np.where(whole & (median > 0), _Z * np.sqrt(np.abs(median)), 0.0)
    return median, np.maximum(mad, chance)


def _before(ordered: pd.DataFrame) -> np.ndarray:
    """For each value, the ``HISTORY`` values before it in its series (NaN where there are
    fewer): one row per value, oldest first, from one sliding window over every series."""
    series = ordered.groupby(SERIES, sort=False, dropna=False).ngroup().to_numpy()
    value = ordered["value"].to_numpy(float)
    padded = np.concatenate([np.full(HISTORY, np.nan), value])
    owner = np.concatenate([np.full(HISTORY, -1), series])
    windows = np.lib.stride_tricks.sliding_window_view(padded, HISTORY)[: len(value)]
    owners = np.lib.stride_tricks.sliding_window_view(owner, HISTORY)[: len(value)]
    return np.where(owners == series[:, None], windows, np.nan)


def _row_medians(rows: np.ndarray) -> np.ndarray:
    """The median of each row's numbers, NaN left out (NaN for a row of none): one sort of
    the whole array, NaN sorted last (``np.nanmedian`` takes seconds on a million rows).

    >>> _row_medians(np.array([[3.0, 1.0, np.nan], [4.0, 1.0, 2.0], [np.nan] * 3])).tolist()
    [2.0, 2.0, nan]
    """
    ordered = np.sort(rows, axis=1)
    count = (~np.isnan(ordered)).sum(axis=1)
    low = np.take_along_axis(ordered, np.maximum((count - 1) // 2, 0)[:, None], axis=1)[:, 0]
    high = np.take_along_axis(ordered, np.maximum(count // 2, 0)[:, None], axis=1)[:, 0]
    return np.where(count > 0, (low + high) / 2, np.nan)


def _factor(ratio: float) -> float:
    """How many times the usual value: a power of ten when within a quarter of one (× 100,
    × 0.001: a unit typed wrong), else rounded to two significant figures.

    >>> _factor(98.3), _factor(0.00102), _factor(13.46)
    (100.0, 0.001, 13.0)
    """
    if not math.isfinite(ratio):  # a usual value next to nothing (1e-308): no factor to say
        return ratio
    power = 10.0 ** round(math.log10(ratio))
    if abs(ratio / power - 1) <= 0.25:
        return power
    return float(f"{ratio:.2g}")


def broken_rules(values: pd.DataFrame, rules: Iterable[Rule]) -> pd.DataFrame:
    """The values of ``values`` (as for ``outliers``) that break a rule, the rule's left side
    flagged: ``params`` holds the rule (``operator``, ``right``, ``factor``) and both values
    (``left_value``, ``right_value``). Only the alliance's own values (no partner) are
    compared, period by period: one join per rule."""
    own = values.loc[
        values["stakeholder"].fillna("") == "",
        ["alliance", "indicator", "granularity", "period", "value"],
    ]
    rules = list(rules)
    # an alliance's own rule on a pair of sides takes the place of the rule of every alliance
    own_rules = {(r.left, r.right, r.alliance) for r in rules if r.alliance is not None}
    found = []
    for rule in rules:
        if rule.alliance is not None:
            mine = own.loc[own["alliance"] == rule.alliance]
        else:
            replaced = {
                a for left, right, a in own_rules if (left, right) == (rule.left, rule.right)
            }
            mine = own.loc[~own["alliance"].isin(replaced)]
        found.append(_broken(mine, rule, own))
    found = [f for f in found if not f.empty]
    if not found:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    return pd.concat(found, ignore_index=True)[FLAG_COLUMNS]


def _broken(mine: pd.DataFrame, rule: Rule, own: pd.DataFrame) -> pd.DataFrame:
    """The values of ``mine`` (those ``rule`` applies to) that break it, as flags; the
    right side's values read in ``own``."""
    left = mine[mine["indicator"] == rule.left]
    if isinstance(rule.right, (int, float)):
        paired = left.assign(right_value=float(rule.right))
    else:
        right = own.loc[own["indicator"] == rule.right, ["alliance", "period", "value"]]
        paired = left.merge(
            right.rename(columns={"value": "right_value"}), on=["alliance", "period"]
        )
    if paired.empty:
        return paired
    compared = rule.factor * paired["right_value"].to_numpy(float)
    holds = VECTOR_OPERATORS[rule.operator](paired["value"].to_numpy(float), compared)
    broken = paired[~holds]
    params = [
        {
            "operator": rule.operator,
            "right": rule.right,
            "factor": rule.factor,
            "left_value": float(v),
            "right_value": float(r),
        }
        for v, r in zip(broken["value"], broken["right_value"], strict=True)
    ]
    return broken.assign(
        stakeholder="", reason="rule", params=pd.Series(params, index=broken.index, dtype=object)
    )


def flags(
    values: pd.DataFrame, rules: Sequence[Rule] = (), counts: Collection[str] | None = None
) -> pd.DataFrame:
    """Every flag of ``values``: the broken rules, then the outliers (``counts`` as there),
    one row per flag (a value may break a rule and be an outlier)."""
    found = [f for f in (broken_rules(values, rules), outliers(values, counts)) if not f.empty]
    if not found:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    return pd.concat(found, ignore_index=True)
