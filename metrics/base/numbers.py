"""Numbers as people type them in French and English spreadsheets.

``1234.5``, ``1234,5``, ``1 234,5`` (space, no-break or narrow no-break space), ``1,234.5``,
``12 %``, ``1 200 €``. Missing markers (empty, ``n.d.``, ``NA``, ``-``...) are not zero.
"""

from __future__ import annotations

import math
import re
from typing import ClassVar, Final


class _Marker:
    """A value that is not a number, one instance per kind, shown by its name."""

    _instances: ClassVar[dict[type, _Marker]] = {}
    shown = ""

    def __new__(cls) -> _Marker:
        return _Marker._instances.setdefault(cls, super().__new__(cls))

    def __repr__(self) -> str:
        return self.shown


class Missing(_Marker):
    """The cell is a known missing-value marker: counted and reported, never stored."""

    shown = "MISSING"


MISSING: Final = Missing()


class OutOfRange(_Marker):
    """The cell is a number the store will not hold: too large (beyond ``MAX_ABS``, infinite)
    or so small that it would be stored as zero (``1e-400``). Refused, naming the limit."""

    shown = "OUT_OF_RANGE"


OUT_OF_RANGE: Final = OutOfRange()
# The largest magnitude a value may have: a quadrillion. Sums of a million such values stay
# finite (a sum to infinity would print as invalid JSON and chart as nothing).
MAX_ABS: Final = 1e15
MISSING_MARKERS: Final = frozenset(
    {"", "n.d.", "n.d", "nd", "na", "n/a", "n.a.", "-", "\u2014", "\u2013", "nan", "#n/a", "?"}
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_UNITS = re.compile(r"(%|€|eur|euros?)$")
_PLAIN = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(e[+-]?[0-9]+)?$", re.ASCII)


def _in_range(number: float, written_zero: bool = True) -> float | OutOfRange:
    if not math.isfinite(number) or abs(number) >= MAX_ABS:
        return OUT_OF_RANGE
    if number == 0 and not written_zero:
        return OUT_OF_RANGE  # an underflow: digits that are not all zeros, read as 0
    return number + 0.0  # -0 is 0


def parse_number(value: object) -> float | Missing | OutOfRange | None:
    """Return the number in a cell, ``MISSING`` for a missing marker, ``OUT_OF_RANGE`` for a
    number beyond what is stored, or None if unreadable (``10²``: superscripts are not digits).

    >>> parse_number("1 234,5")
    1234.5
    >>> parse_number("n.d.")
    MISSING
    """
    if value is None:
        return MISSING
    if getattr(value, "is_error", False):
        return MISSING  # an error cell of a workbook (#DIV/0!): never read as a number
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        if math.isnan(number):
            return MISSING
        return _in_range(number)
    if not isinstance(value, str):
        return None
    # Lower case only: no compatibility folding, which reads 10² as 102.
    text = value.strip().casefold()
    if text in MISSING_MARKERS:
        return MISSING
    text = text.replace("\u2212", "-")
    text = _SPACES.sub("", text)
    text = _UNITS.sub("", text)
    if not text:
        return None
    if "," in text and "." in text:
        # The separator that comes last is the decimal one: 1.234,5 or 1,234.5.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            return None
        text = text.replace(",", ".")
    elif text.count(".") > 1:
        # 1.234.567: dots can only be thousands separators.
        if not re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
            return None
        text = text.replace(".", "")
    if not _PLAIN.match(text):
        return None
    mantissa = text.split("e", 1)[0]
    return _in_range(float(text), written_zero=not mantissa.strip("+-.0"))


# ``CHF = 1,10``, ``CHF 1.10`` or, as the contracts page writes it, ``1 CHF = 1,10 EUR``
_RATE = re.compile(r"\s*(?:1\s+)?([A-Za-z]{3})\s*[=:]?\s*(.+?)(?:\s*[A-Za-z]{3})?\s*")


def exchange_rates(text: str | None) -> dict[str, float]:
    """A contract's exchange rates, as its sheet states them: ``CHF = 1,10; GBP = 1.27`` (one
    unit of each currency in the contract's), separated by semicolons. Raises ``ValueError``
    on a part that is not a currency code and a positive number.

    >>> exchange_rates("chf = 1,10; GBP 1.27; 1 USD = 0,92 EUR")
    {'CHF': 1.1, 'GBP': 1.27, 'USD': 0.92}
    """
    rates: dict[str, float] = {}
    for part in filter(str.strip, (text or "").replace("\n", ";").split(";")):
        found = _RATE.fullmatch(part)
        rate = parse_number(found.group(2)) if found else None
        if found is None or not isinstance(rate, float) or rate <= 0:
            raise ValueError(part.strip())
        rates[found.group(1).upper()] = rate
    return rates


def rates_text(rates: dict[str, float]) -> str:
    """``exchange_rates`` written back in one spelling (``CHF=1.1; GBP=1.27``), as stored."""
    return "; ".join(f"{code}={rate}" for code, rate in rates.items())
