"""Reporting periods: a year, a quarter, a month or a day, parsed from what people type.

Canonical text forms: ``2023``, ``2023-Q2``, ``2023-05``, ``2023-05-31``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from metrics.base.text import fold

Granularity = Literal["year", "quarter", "month", "day"]
GRANULARITIES: tuple[Granularity, ...] = ("year", "quarter", "month", "day")

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("janvier", "janv", "jan", "january"),
        ("fevrier", "fevr", "fev", "feb", "february"),
        ("mars", "mar", "march"),
        ("avril", "avr", "apr", "april"),
        ("mai", "may"),
        ("juin", "jun", "june"),
        ("juillet", "juil", "jul", "july"),
        ("aout", "aug", "august"),
        ("septembre", "sept", "sep", "september"),
        ("octobre", "oct", "october"),
        ("novembre", "nov", "november"),
        ("decembre", "dec", "december"),
    ],
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
FIRST_YEAR, LAST_YEAR = 1900, 2099  # what _YEAR reads
_YEAR = r"(?P<y>(19|20)[0-9][0-9])"
_PATTERNS: list[tuple[Granularity, re.Pattern[str]]] = [
    ("year", re.compile(rf"^{_YEAR}$")),
    ("quarter", re.compile(rf"^{_YEAR}\s*[-/ ]?\s*[qt](?P<q>[1-4])$")),
    ("quarter", re.compile(rf"^[qt](?P<q>[1-4])\s*[-/ ]?\s*{_YEAR}$")),
    ("month", re.compile(rf"^{_YEAR}-(?P<m>\d\d?)$")),
    ("month", re.compile(rf"^(?P<m>\d\d?)/{_YEAR}$")),
    ("month", re.compile(rf"^(?P<name>{_MONTH_NAMES})\.?\s+{_YEAR}$")),
    ("day", re.compile(rf"^{_YEAR}-(?P<m>\d\d?)-(?P<d>\d\d?)$")),
    ("day", re.compile(rf"^(?P<d>\d\d?)/(?P<m>\d\d?)/{_YEAR}$")),
]


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period; ordering is by start date, then by length (year before its Q1)."""

    start: dt.date
    granularity: Granularity

    @property
    def end(self) -> dt.date:
        """Last day of the period (inclusive)."""
        y, m = self.start.year, self.start.month
        if self.granularity == "day":
            return self.start
        if self.granularity == "year":
            return dt.date(y, 12, 31)
        months = 3 if self.granularity == "quarter" else 1
        nm = m + months
        first_next = dt.date(y + (nm - 1) // 12, (nm - 1) % 12 + 1, 1)
        return first_next - dt.timedelta(days=1)

    @property
    def canonical(self) -> str:
        y = self.start.year
        if self.granularity == "year":
            return f"{y}"
        if self.granularity == "quarter":
            return f"{y}-Q{(self.start.month - 1) // 3 + 1}"
        if self.granularity == "month":
            return f"{y}-{self.start.month:02d}"
        return self.start.isoformat()

    def __str__(self) -> str:
        return self.canonical


def year(y: int) -> Period:
    return Period(dt.date(y, 1, 1), "year")


def quarter(y: int, q: int) -> Period:
    return Period(dt.date(y, 3 * (q - 1) + 1, 1), "quarter")


def quarter_of(d: dt.date) -> Period:
    """The quarter a day falls in."""
    return quarter(d.year, (d.month - 1) // 3 + 1)


def month(y: int, m: int) -> Period:
    return Period(dt.date(y, m, 1), "month")


def day(d: dt.date) -> Period:
    return Period(d, "day")


def parse_period(value: object) -> Period | None:
    """Read a period from a cell, or return None when it is not one.

    >>> parse_period("T2 2023").canonical
    '2023-Q2'
    >>> parse_period("31/05/2023").canonical
    '2023-05-31'
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        # A date cell is held to the years a typed period may name (year 1 or 9999 is a
        # slip of the keyboard or a hostile file, never a reporting period).
        return day(value) if FIRST_YEAR <= value.year <= LAST_YEAR else None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if float(value).is_integer() and FIRST_YEAR <= value <= LAST_YEAR:
            return year(int(value))
        return None
    if not isinstance(value, str):
        return None
    text = fold(value).replace("\u2011", "-").replace("\u2013", "-")
    text = re.sub(r"\s+", " ", text).strip()
    for granularity, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        y = int(parts["y"])
        try:
            if granularity == "year":
                return year(y)
            if granularity == "quarter":
                return quarter(y, int(parts["q"]))
            if granularity == "month":
                m = MONTHS[parts["name"]] if parts.get("name") else int(parts["m"])
                return month(y, m)
            return day(dt.date(y, int(parts["m"]), int(parts["d"])))
        except ValueError:
            return None
    # An ISO timestamp as a CSV export of a date cell writes it: "2023-05-31 00:00:00".
    stamp = re.match(r"^(\d{4}-\d\d-\d\d)[ t]00:00(:00)?$", text)
    if stamp:
        return parse_period(stamp.group(1))
    return None


def from_canonical(text: str) -> Period:
    """Inverse of ``Period.canonical``; raises ValueError on anything else."""
    period = parse_period(text)
    if period is None or period.canonical != text:
        raise ValueError(f"not a canonical period: {text!r}")
    return period
