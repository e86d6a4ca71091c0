"""Numbers and dates formatted the way each language writes them (Babel).

French: ``1 234,5`` (narrow no-break space) and ``12,5 %``; English: ``1,234.5`` and ``12.5%``.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pandas as pd
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import NumberPattern, parse_pattern

from metrics.base import config
from metrics.base.periods import Period

LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def locale(lang: str) -> str:
    return LOCALES.get(lang, "fr_FR")


def number(value: Any, lang: str, decimals: int | None = None) -> str:
    """``number(1234.5, "fr")`` -> ``'1 234,5'``; empty string for a missing value.

    Without ``decimals``: at most two decimals, trailing zeros dropped (``9,5``, ``12``).
    """
    if _missing(value):
        return ""
    if decimals is None:
        pattern = "#,##0.##"
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    # Babel's format_decimal, with its pattern and locale parsed once (a chart formats
    # thousands of hover values: parsing them each time was most of the cost).
    return str(_pattern(pattern).apply(value, _locale(lang)))


@functools.lru_cache(maxsize=32)
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


@functools.lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    return Locale.parse(locale(lang))


def colon(lang: str) -> str:
    """A label's colon: spaced in French (``Source : 2``), not in English (``Source: 2``)."""
    return " : " if lang == "fr" else ": "


def quantity(value: Any, unit: str, lang: str, decimals: int | None = None) -> str:
    """A number with its unit: ``12,5 %``, ``1 200 €``, ``35 personnes``."""
    text = number(value, lang, decimals)
    if not text or not unit:
        return text
    if unit == "%" and lang == "en":
        return f"{text}%"
    return f"{text}\u202f{unit}" if unit in {"%", "€", "t"} else f"{text} {unit}"


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _day(value: Any) -> dt.date:
    """A date from a date, a datetime or a pandas Timestamp."""
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[no-any-return]


def date(value: Any, lang: str) -> str:
    """``30 sept. 2026`` / ``30 Sept 2026``; empty for a missing value."""
    if _missing(value):
        return ""
    return str(format_date(_day(value), format="medium", locale=locale(lang)))


def long_date(value: Any, lang: str) -> str:
    """``30 septembre 2026`` / ``30 September 2026``, as a sentence writes it (French writes
    the first of a month ``1er``); empty for a missing value."""
    if _missing(value):
        return ""
    day = _day(value)
    written = str(format_date(day, format="long", locale=locale(lang)))
    return "1er" + written[1:] if lang == "fr" and day.day == 1 else written


def timestamp(value: Any, lang: str, zoned: bool = False) -> str:
    """A moment the database recorded (UTC) in the installation's time zone
    (``config.timezone``): ``3 déc. 2026 10:00`` / ``3 Dec 2026, 10:00``; ``zoned`` names the
    zone's offset (``UTC+01:00`` / ``GMT+01:00``), for a time that stands alone."""
    if _missing(value):
        return ""
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    pattern = "d MMM y HH:mm" if lang == "fr" else "d MMM y, HH:mm"
    if zoned:
        pattern += " ZZZZ"
    return format_datetime(_utc(value), pattern, tzinfo=config.timezone(), locale=locale(lang))


def instant(value: Any) -> str:
    """A moment the database recorded, for a file or a program: ISO 8601 in the
    installation's time zone, with its offset (``2026-12-03T10:00:00+01:00``)."""
    if _missing(value):
        return ""
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return _utc(value).astimezone(config.timezone()).isoformat(timespec="seconds")


def day_start(day: dt.date) -> dt.datetime:
    """The moment ``day`` begins in the installation's time zone, as the database records
    moments (UTC, no zone): "since 3 December" read by a committee in Lille."""
    local = dt.datetime.combine(day, dt.time(), tzinfo=config.timezone())
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _utc(value: dt.datetime) -> dt.datetime:
    """The database's times carry no zone: they are UTC (``metrics.base.clock``)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def month(value: Any, lang: str) -> str:
    """``déc. 2017`` / ``Dec 2017``: how far data goes; empty for a missing value."""
    if _missing(value):
        return ""
    return str(format_date(_day(value), "LLL y", locale=locale(lang)))


def short_date(value: Any, lang: str) -> str:
    """``26/11/2026`` in French, ``26/11/2026`` in British English: for narrow columns."""
    if _missing(value):
        return ""
    return str(format_date(_day(value), format="short", locale=locale(lang)))


def shown_as(frame: pd.DataFrame, texts: dict[str, list[str | None]]) -> Any:
    """A Styler of ``frame`` whose cells in ``texts``' columns read as given (row by row;
    ``None`` leaves a cell blank) while their values stay numbers, so that a table sorts by
    them: ``72.4`` shown as ``'72 % ▲'``.

    One formatter per column, looking the text up by value; the few cells whose value another
    row shares with a different text get a formatter of their own (one per cell costs a
    millisecond each: too slow for a thousand rows).
    """
    styled = frame.style
    for column, column_texts in texts.items():
        by_value: dict[Any, str] = {}  # missing values under one key, None
        clashes: list[tuple[int, str]] = []
        for position, (value, text) in enumerate(zip(frame[column], column_texts)):
            shown = "" if text is None else text
            key = None if _missing(value) else value
            if by_value.setdefault(key, shown) != shown:
                clashes.append((position, shown))

        def lookup(v: Any, known: dict[Any, str] = by_value) -> str:
            return known.get(None if _missing(v) else v, "")

        styled = styled.format(lookup, subset=[column])
        for position, shown in clashes:
            styled = styled.format(_constant(shown), subset=([position], [column]))
    return styled


def _constant(text: str) -> Any:
    def formatter(_: Any) -> str:
        return text

    return formatter


def period_label(period: Period, lang: str, short: bool = False) -> str:
    """``2024``, ``T2 2024`` / ``Q2 2024``, ``mai 2024`` / ``May 2024``, ``31 mai 2024``.

    ``short`` abbreviates months for crowded axes: ``mai 24``.
    """
    y = period.start.year
    if period.granularity == "year":
        return str(y)
    if period.granularity == "quarter":
        return f"{'T' if lang == 'fr' else 'Q'}{(period.start.month - 1) // 3 + 1} {y}"
    if period.granularity == "month":
        pattern = "LLL yy" if short else "LLL y"
        return str(format_date(period.start, pattern, locale=locale(lang)))
    return date(period.start, lang)
