"""The trust barometer: the questionnaire, declared once and versioned, and the results of a
wave, computed so that nobody who answered can be singled out.

Each item is scored 1 (not at all) to 5 (fully), or "don't know"; each feeds one indicator of
the catalogue, so that every alliance is measured with the same instrument. A version of the
questionnaire is never edited: a new one is added, and each wave keeps the version it asked.

A group of answers (a stakeholder type, or an audience: the partners, the citizens) is shown
only with at least ``minimum`` answers. When the groups under it are withheld but the others
shown, the audience's totals would give the withheld ones away by difference: the smallest
shown groups are then withheld too, until what is withheld holds at least ``minimum`` answers
(``withheld_types``).
An open wave shows how many answered, never what they answered: two readings a few answers
apart would otherwise tell those answers apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from metrics.base.catalog import CITIZEN

Audience = Literal["partner", "citizen"]
SCORES = (1, 2, 3, 4, 5)
# Never fewer answers than this in a group shown (``IMPACT_SURVEY_MIN`` may raise it).
MINIMUM = 5


@dataclass(frozen=True)
class Item:
    """A question: the catalogue indicator its mean feeds (its code names the question's text
    in the translation catalogues, ``survey.q.<code>``) and who is asked it."""

    code: str
    audience: Audience


@dataclass(frozen=True)
class Questionnaire:
    """One version of the barometer: its items, then whether citizens say in their own words
    what they expect of the alliance."""

    version: int
    items: tuple[Item, ...]
    expectations: bool = True

    def asked(self, audience: Audience) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.audience == audience)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)


QUESTIONNAIRES: dict[int, Questionnaire] = {
    1: Questionnaire(
        1,
        (
            Item("shared_vision", "partner"),
            Item("openness_to_difference", "partner"),
            Item("mutual_respect", "partner"),
            Item("shared_values", "partner"),
            Item("partner_trust", "partner"),
            Item("partner_engagement", "partner"),
            Item("citizen_trust", "citizen"),
            Item("citizen_involvement", "citizen"),
        ),
    ),
}
CURRENT = max(QUESTIONNAIRES)


def audience(respondent: str) -> Audience:
    """Who a respondent is: a citizen (the open link), else a partner of some type."""
    return "citizen" if respondent == CITIZEN else "partner"


def minimum(configured: int | None) -> int:
    """The smallest group shown: the configured one, never below ``MINIMUM``."""
    return max(MINIMUM, configured or MINIMUM)


def item_result(scores: pd.Series) -> dict[str, Any]:
    """One item over a group's answers (``scores``: 1–5, missing for "don't know"): how many
    scored it, their mean (don't-know left out), how many gave each score, how many did not know.

    >>> item_result(pd.Series([5, 4, None, 4], dtype="Int64"))
    {'n': 3, 'mean': 4.333333333333333, 'distribution': [0, 0, 0, 2, 1], 'dont_know': 1}
    """
    scored = scores.dropna().astype(int)
    counts = scored.value_counts()
    return {
        "n": len(scored),
        "mean": float(scored.mean()) if len(scored) else None,
        "distribution": [int(counts.get(score, 0)) for score in SCORES],
        "dont_know": int(scores.isna().sum()),
    }


def group_result(answers: pd.DataFrame, codes: tuple[str, ...]) -> dict[str, Any]:
    """Each item of ``codes`` over ``answers`` (columns ``response``, ``item``, ``score``),
    in the questionnaire's order; an item nobody of the group was asked is left out."""
    by_item = {code: part["score"] for code, part in answers.groupby("item")}
    return {code: item_result(by_item[code]) for code in codes if code in by_item}


def withheld_types(answered: dict[str, int], least: int) -> set[str]:
    """The respondent types whose results are not shown: those with fewer than ``least``
    answers, then, while what is withheld could be read by difference with the wave's totals
    (fewer than ``least`` answers in all, but some), the smallest shown types as well.

    >>> sorted(withheld_types({"association": 7, "company": 6, "citizen": 2}, 5))
    ['citizen', 'company']
    >>> sorted(withheld_types({"association": 7, "company": 6}, 5))
    []
    """
    withheld = {kind for kind, n in answered.items() if n < least}
    shown = sorted((n, kind) for kind, n in answered.items() if kind not in withheld)
    while shown and 0 < sum(answered[kind] for kind in withheld) < least:
        withheld.add(shown.pop(0)[1])
    return withheld


def results(
    questionnaire: Questionnaire,
    answers: pd.DataFrame,
    invited: dict[str, int],
    status: str,
    least: int,
) -> dict[str, Any]:
    """A wave's results as a reader may see them (the ``survey results`` JSON).

    ``answers``: one row per response and item (``response``, ``respondent``, ``item``,
    ``score``, missing for "don't know"); ``invited``: personal invitations per stakeholder
    type (the open link's citizens are not counted: they choose to answer).

    Partners and citizens are asked different questions, so each audience is a group of its
    own: an item is shown when the audience asked it has at least ``least`` answers (else
    ``"withheld"``), and the types withheld are chosen within each audience (``withheld_types``).
    ``items`` is ``"withheld"`` as a whole when no item may be shown, and while the wave is open.
    """
    counted = answers.groupby("respondent")["response"].nunique()
    per_type = {str(kind): int(n) for kind, n in counted.items()}
    kinds = sorted(set(invited) | set(per_type))
    closed = status == "closed"
    hidden: set[str] = set()
    items: dict[str, Any] = {}
    for asked in ("partner", "citizen"):
        group = {k: n for k, n in per_type.items() if audience(k) == asked}
        hidden |= withheld_types(group, least)
        codes = tuple(item.code for item in questionnaire.asked(asked))
        if closed and sum(group.values()) >= least:
            mine = answers[answers["respondent"].map(audience) == asked]
            items.update(group_result(mine, codes))
        elif group:
            items.update(dict.fromkeys(codes, "withheld"))
    shown = any(isinstance(item, dict) for item in items.values())
    return {
        "version": questionnaire.version,
        "invited": int(sum(invited.values())),
        "answered": int(answers["response"].nunique()),
        "status": status,
        "minimum": least,
        "response": {
            kind: {"invited": int(invited.get(kind, 0)), "answered": per_type.get(kind, 0)}
            for kind in kinds
        },
        "items": items if shown else "withheld",
        "by_type": {
            kind: group_result(answers[answers["respondent"] == kind], questionnaire.codes)
            if closed and kind in per_type and kind not in hidden
            else "withheld"
            for kind in kinds
        },
    }


def shown_items(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The items of a wave's results that may be shown (none while it is withheld)."""
    items = result["items"]
    if not isinstance(items, dict):
        return {}
    return {code: item for code, item in items.items() if isinstance(item, dict)}


def means(result: dict[str, Any]) -> dict[str, float]:
    """The wave's mean of each item, from its results (nothing when they are withheld): what
    becomes the alliance's trust indicators for the wave's period."""
    items = shown_items(result)
    return {code: item["mean"] for code, item in items.items() if item["mean"] is not None}


def changes(result: dict[str, Any], before: dict[str, Any] | None) -> dict[str, float]:
    """Each item's mean minus the previous wave's, where both were shown.

    >>> changes({"items": {"a": {"mean": 4.0}}}, {"items": {"a": {"mean": 3.5}}})
    {'a': 0.5}
    """
    if before is None:
        return {}
    now, then = means(result), means(before)
    return {code: now[code] - then[code] for code in now if code in then}
