"""A barometer wave's results in the reader's language, for the trust page and the committee's
pack alike: its status line, its items named as the catalogue names them, and its table of
means, answers and changes since the previous wave."""

from __future__ import annotations

from typing import Any

from metrics.base import catalog
from metrics.base.catalog import CITIZEN
from metrics.base.periods import from_canonical
from metrics.domain import barometer
from metrics.presentation import formatting
from metrics.presentation.i18n import t

COLUMNS = ("item", "mean", "answers", "dont_know", "change")


def period_label(period: Any, lang: str) -> str:
    return formatting.period_label(from_canonical(str(period)), lang)


def item_labels(version: int, lang: str) -> dict[str, str]:
    """The items of a questionnaire version, by code, named as the catalogue names them."""
    return {
        item.code: getattr(catalog.BY_CODE[item.code], f"label_{lang}")
        for item in barometer.QUESTIONNAIRES[version].items
    }


def answered_apart(result: dict[str, Any]) -> tuple[int, int]:
    """How many partners (personal links) and citizens (the open link) answered."""
    citizens = int(result["response"].get(CITIZEN, {}).get("answered", 0))
    return int(result["answered"]) - citizens, citizens


def status_line(result: dict[str, Any], lang: str) -> str:
    """Open until when, or closed and which upload its means became; how many partners
    answered of how many links, and how many citizens through the open link."""
    partners, citizens = answered_apart(result)
    counts = {
        "answered": formatting.number(partners, lang),
        "invited": formatting.number(result["invited"], lang),
    }
    if result["status"] == "open":
        until = result["closes_on"]
        state = (
            t("survey.open_until", lang, date=formatting.date(until, lang))
            if until
            else t("survey.open_no_date", lang)
        )
    elif result["upload_id"] is not None:
        state = t("survey.closed_upload", lang, upload=result["upload_id"])
    else:
        state = t("survey.closed_no_upload", lang)
    by_link = t("survey.with_open_link", lang, count=citizens) if result["citizens"] else ""
    return f"{state} · {t('survey.answered_of', lang, **counts)}{by_link}"


def signed(change: float | None, lang: str) -> str:
    """A change with its sign (``+0,40``), or a dash when there is no earlier wave to compare."""
    if change is None:
        return "—"
    return ("+" if change > 0 else "") + formatting.number(change, lang, 2)


def header(lang: str) -> list[str]:
    return [t(f"survey.col.{column}", lang) for column in COLUMNS]


def rows(result: dict[str, Any], labels: dict[str, str], lang: str) -> list[list[str]]:
    """Each item shown: its name, mean, scored answers, don't-knows, change since the previous
    wave (``header`` names the columns)."""
    items = barometer.shown_items(result)
    return [
        [
            label,
            formatting.number(items[code]["mean"], lang, 2),
            formatting.number(items[code]["n"], lang),
            formatting.number(items[code]["dont_know"], lang),
            signed(result["change"].get(code), lang),
        ]
        for code, label in labels.items()
        if code in items
    ]
