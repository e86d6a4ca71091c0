from __future__ import annotations

import pytest

from metrics.base.numbers import MISSING, parse_number


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1234.5", 1234.5),
        ("1234,5", 1234.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),  # no-break space
        ("1\u202f234,5", 1234.5),  # narrow no-break space, as French Excel writes
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("12 %", 12.0),
        ("12,5 %", 12.5),
        ("12%", 12.0),
        ("2 000 €", 2000.0),
        ("-3,2", -3.2),
        ("\u22123,2", -3.2),
        ("+7", 7.0),
        ("0", 0.0),
        (42, 42.0),
        (42.5, 42.5),
        ("1e3", 1000.0),
    ],
)
def test_numbers(typed: object, value: float) -> None:
    assert parse_number(typed) == value


@pytest.mark.parametrize(
    "typed", ["", "  ", None, "n.d.", "ND", "nd", "NA", "N/A", "-", "—", float("nan")]
)
def test_missing_markers_are_not_zero(typed: object) -> None:
    assert parse_number(typed) is MISSING


@pytest.mark.parametrize("typed", ["abc", "12abc", "1,2,3", "1.2.3", True, "1 234,5,6", "inf"])
def test_unreadable(typed: object) -> None:
    assert parse_number(typed) is None
