from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.base import clock, config
from metrics.base.errors import MetricsError
from metrics.presentation import formatting
from metrics.presentation.i18n import said

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "text"),
    [
        (1234.5, "fr", None, f"1{NNBSP}234,5"),
        (1234.5, "en", None, "1,234.5"),
        (9.5, "fr", None, "9,5"),
        (12.0, "fr", None, "12"),
        (1234567, "fr", 0, f"1{NNBSP}234{NNBSP}567"),
        (0.125, "en", 1, "0.1"),
        (3.14159, "fr", 2, "3,14"),
        (None, "fr", None, ""),
        (float("nan"), "en", None, ""),
    ],
)
def test_number(value: object, lang: str, decimals: int | None, text: str) -> None:
    assert formatting.number(value, lang, decimals) == text


def test_quantity_units() -> None:
    assert formatting.quantity(12.5, "%", "fr") == f"12,5{NNBSP}%"
    assert formatting.quantity(12.5, "%", "en") == "12.5%"
    assert formatting.quantity(1200, "€", "fr") == f"1{NNBSP}200{NNBSP}€"
    assert formatting.quantity(35, "personnes", "fr") == "35 personnes"


def test_dates() -> None:
    day = dt.date(2026, 9, 30)
    assert formatting.date(day, "fr") == "30 sept. 2026"
    assert formatting.date(day, "en") == "30 Sept 2026"
    assert formatting.date(None, "fr") == ""


def test_times_are_shown_in_the_installations_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stored in UTC: 08:05 UTC is 09:05 in Paris in winter (UTC+1), 10:05 in summer (UTC+2)."""
    winter, summer = dt.datetime(2026, 11, 26, 8, 5), dt.datetime(2026, 7, 1, 8, 5)
    assert formatting.timestamp(winter, "fr") == "26 nov. 2026 09:05"
    assert formatting.timestamp(summer, "en") == "1 Jul 2026, 10:05"
    assert formatting.timestamp(winter, "fr", zoned=True) == "26 nov. 2026 09:05 UTC+01:00"
    assert formatting.timestamp(summer, "en", zoned=True) == "1 Jul 2026, 10:05 GMT+02:00"
    assert formatting.instant(winter) == "2026-11-26T09:05:00+01:00"
    assert formatting.instant(pd.Timestamp(summer)) == "2026-07-01T10:05:00+02:00"
    # "Since 26 November" starts at midnight in Paris: 23:00 UTC the day before.
    assert formatting.day_start(dt.date(2026, 11, 26)) == dt.datetime(2026, 11, 25, 23, 0)
    monkeypatch.setenv(config.ENV_TIMEZONE, "America/Guadeloupe")  # UTC-4, no summer time
    assert formatting.timestamp(summer, "fr", zoned=True) == "1 juil. 2026 04:05 UTC-04:00"
    monkeypatch.setenv(config.ENV_TIMEZONE, "Europe/Lile")
    with pytest.raises(MetricsError) as refused:
        formatting.timestamp(summer, "fr")
    assert "Europe/Lile" in said(refused.value, "en") and "IMPACT_TIMEZONE" in said(
        refused.value, "en"
    )


def test_today_is_the_installations_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kiritimati is UTC+14 and Baker Island UTC-12: their days differ by one or two from UTC's,
    whatever the machine's clock says."""
    for zone, hours in (("Pacific/Kiritimati", 14), ("Etc/GMT+12", -12)):
        monkeypatch.setenv(config.ENV_TIMEZONE, zone)
        before = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).date()
        today = clock.today()
        after = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).date()
        assert today in (before, after)


def test_long_dates_as_a_sentence_writes_them() -> None:
    assert formatting.long_date(dt.date(2026, 9, 30), "fr") == "30 septembre 2026"
    assert formatting.long_date(dt.date(2026, 9, 1), "fr") == "1er septembre 2026"
    assert formatting.long_date(dt.date(2026, 9, 1), "en") == "1 September 2026"
    assert formatting.long_date(None, "fr") == ""


def test_numbers_shown_as_texts_stay_numbers() -> None:
    frame = pd.DataFrame({"name": ["a", "b", "c", "d"], "score": [72.4, 50.0, 72.4, None]})
    styled = formatting.shown_as(frame, {"score": ["72 % ▲", "50 %", "72 % ▼", None]})
    lines = styled.to_string(delimiter="|").splitlines()
    # The two rows sharing 72.4 keep their own arrows; a missing score reads blank.
    assert lines[1:] == ["0|a|72 % ▲", "1|b|50 %", "2|c|72 % ▼", "3|d|"]
    assert styled.data["score"].tolist()[:3] == [72.4, 50.0, 72.4]


def test_quantities_in_messages_are_grouped_identifiers_are_not() -> None:
    from metrics.presentation.i18n import t

    assert t("portfolio.count", "fr", shown=1000, total=12500) == (
        "1\u202f000 alliance(s) affichée(s) sur 12\u202f500."
    )
    assert t("portfolio.count", "en", shown=1000, total=12500) == (
        "1,000 of 12,500 alliance(s) shown."
    )
    assert "2024" in t("comparison.ranking_title", "fr", subject="x", year=2024)
    assert "n° 1234" in t("data.as_of", "fr", upload=1234)
