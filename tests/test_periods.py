from __future__ import annotations

import datetime as dt

import pytest

from metrics.base.periods import from_canonical, month, parse_period, quarter, quarter_of, year


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("2023", "2023"),
        (2023, "2023"),
        (2023.0, "2023"),
        (" 2023 ", "2023"),
        ("2023-Q2", "2023-Q2"),
        ("2023-q2", "2023-Q2"),
        ("Q2 2023", "2023-Q2"),
        ("T2 2023", "2023-Q2"),
        ("t2 2023", "2023-Q2"),
        ("2023T2", "2023-Q2"),
        ("2023 T4", "2023-Q4"),
        ("2023-05", "2023-05"),
        ("05/2023", "2023-05"),
        ("5/2023", "2023-05"),
        ("mai 2023", "2023-05"),
        ("Mai 2023", "2023-05"),
        ("May 2023", "2023-05"),
        ("février 2024", "2024-02"),
        ("févr. 2024", "2024-02"),
        ("February 2024", "2024-02"),
        ("août 2023", "2023-08"),
        ("décembre 2023", "2023-12"),
        ("2023-05-31", "2023-05-31"),
        ("31/05/2023", "2023-05-31"),
        ("01/02/2023", "2023-02-01"),  # day first, always
        (dt.date(2023, 5, 31), "2023-05-31"),
        (dt.datetime(2023, 5, 31, 0, 0), "2023-05-31"),
        ("2023-05-31 00:00:00", "2023-05-31"),
    ],
)
def test_accepted_forms(typed: object, canonical: str) -> None:
    period = parse_period(typed)
    assert period is not None
    assert period.canonical == canonical


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "abc",
        "2023-13",
        "13/2023",
        "31/02/2023",
        "Q5 2023",
        "T0 2023",
        12.5,
        True,
        None,
        "2023-Q2-01",
        "1850",
        "mois 2023",
    ],
)
def test_refused_forms(typed: object) -> None:
    assert parse_period(typed) is None


def test_ends() -> None:
    assert year(2023).end == dt.date(2023, 12, 31)
    assert quarter(2023, 4).end == dt.date(2023, 12, 31)
    assert quarter(2024, 1).end == dt.date(2024, 3, 31)
    assert month(2024, 2).end == dt.date(2024, 2, 29)
    assert month(2023, 12).end == dt.date(2023, 12, 31)


def test_canonical_round_trip() -> None:
    for text in ("2023", "2023-Q3", "2023-07", "2023-07-14"):
        assert from_canonical(text).canonical == text
    with pytest.raises(ValueError):
        from_canonical("T3 2023")


def test_order_is_chronological() -> None:
    assert sorted([month(2023, 5), year(2022), quarter(2023, 1)]) == [
        year(2022),
        quarter(2023, 1),
        month(2023, 5),
    ]


def test_the_quarter_a_day_falls_in() -> None:
    assert quarter_of(dt.date(2024, 5, 31)) == quarter(2024, 2)
    assert quarter_of(dt.date(2024, 12, 31)).end == dt.date(2024, 12, 31)
