"""Whether an alliance's values come on time: its rhythm is that of its series (one indicator,
its own values, at the granularity it reports them), and each period that is due gets its
value on time, late, or not at all. Pure functions over a frame of first arrivals; the rules,
shown to users:

- a period is **due** ``GRACE_DAYS`` after its end (the committee gathers its figures);
- only periods that end after the alliance's first upload are judged: what came before it
  (a history loaded at once) was never due through the product;
- a value is **on time** when its key first arrived by the due date, **late** when after,
  **missing** when it has not arrived by ``today`` and its due date has passed.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.base.periods import Period, from_canonical, month, quarter_of, year

GRACE_DAYS = 45  # after a period's end, its figures are due
STATUSES = ("on_time", "late", "missing")
COLUMNS = ["alliance", "indicator", "granularity", "period", "due", "arrived", "status"]


def _next(period: Period) -> Period:
    """The period after ``period``, of the same granularity."""
    return Period(period.end + dt.timedelta(days=1), period.granularity)


def _of(day: dt.date, granularity: str) -> Period:
    """The period of ``granularity`` that ``day`` falls in."""
    if granularity == "year":
        return year(day.year)
    if granularity == "quarter":
        return quarter_of(day)
    return month(day.year, day.month)


def _due(period: Period) -> dt.date:
    return period.end + dt.timedelta(days=GRACE_DAYS)


def timeliness(arrivals: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Each period due of each series of ``arrivals`` (``alliance``, ``indicator``,
    ``granularity``, ``period``, ``arrived``: when a value of that key first came), with its
    due date, when it came, and its status (``STATUSES``).

    >>> arrivals = pd.DataFrame({"alliance": "A", "indicator": "jobs", "granularity": "month",
    ...     "period": ["2025-12", "2026-01", "2026-03"],
    ...     "arrived": pd.to_datetime(["2026-01-10", "2026-03-20", "2026-04-02"])})
    >>> timeliness(arrivals, dt.date(2026, 5, 20))[["period", "status"]].values.tolist()
    [['2026-01', 'late'], ['2026-02', 'missing'], ['2026-03', 'on_time']]
    """
    if arrivals.empty:
        return pd.DataFrame(columns=COLUMNS)
    arrived = arrivals.assign(arrived=pd.to_datetime(arrivals["arrived"]).dt.date)
    started = arrived.groupby("alliance")["arrived"].min().to_dict()
    rows = []
    for (alliance, indicator, granularity), series in arrived.groupby(
        ["alliance", "indicator", "granularity"], sort=True
    ):
        if granularity == "day":
            continue  # no rhythm to expect of days
        came = dict(zip(series["period"], series["arrived"], strict=True))
        # from its first period, or the one of the alliance's first upload if later (what
        # ended before it was never due through the product)
        period = max(min(from_canonical(p) for p in came), _of(started[alliance], str(granularity)))
        if period.end <= started[alliance]:
            period = _next(period)
        while _due(period) < today:
            when = came.get(period.canonical)
            status = "missing" if when is None else "on_time" if when <= _due(period) else "late"
            rows.append(
                [alliance, indicator, granularity, period.canonical, _due(period), when, status]
            )
            period = _next(period)
    return pd.DataFrame(rows, columns=COLUMNS)


def late_counts(judged: pd.DataFrame, since: dt.date) -> pd.DataFrame:
    """Per alliance, its periods due since ``since`` that came on time, late, or not at all."""
    recent = judged[pd.to_datetime(judged["due"]) >= pd.Timestamp(since)]
    if recent.empty:
        return pd.DataFrame(columns=["alliance", *STATUSES])
    counted = pd.crosstab(recent["alliance"], recent["status"])
    return counted.reindex(columns=list(STATUSES), fill_value=0).reset_index()
