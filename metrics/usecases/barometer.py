"""The trust barometer end to end: a wave opened with its links, answered, closed into an upload
of the alliance's trust indicators, and its results as an account may read them.

The storage side is ``metrics.storage.surveys``; the questionnaire and the rules that keep
answers anonymous are ``metrics.domain.barometer``. The app's pages and ``python -m metrics
survey`` both call these functions, so that both say the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from metrics.base import clock, config, limits
from metrics.base.access import Actor, Reader
from metrics.base.catalog import CITIZEN, STAKEHOLDER_TYPES
from metrics.base.errors import MetricsError
from metrics.base.periods import from_canonical, parse_period
from metrics.domain import barometer
from metrics.storage.store import Store

# The answering page's address (``{IMPACT_BASE_URL}/enquete?jeton=TOKEN``).
ADDRESS = "enquete"
TOKEN_PARAMETER = "jeton"
# The most links one opening makes: a wave is for an alliance's partners, not a mailing list.
MOST_LINKS = 2000
# Who closes a wave at its closing date, when nobody did before.
CLOSING_DATE = "closing-date"
# Whom personal links are sent to: partners, by stakeholder type (citizens answer through the
# open link; cohorts are an outcome contract's).
LINK_TYPES = tuple(kind for kind in STAKEHOLDER_TYPES if kind not in (CITIZEN, "cohort"))


@dataclass
class Opened:
    """A wave opened (or given more links): its period, whether it is new, and its new links
    as (address, token, whom it asks)."""

    alliance: str
    period: str
    new: bool
    links: list[tuple[str, str, str]] = field(default_factory=list)

    def csv(self) -> bytes:
        """The links to send, one row each: ``link``, ``token``, ``type`` (UTF-8 with its mark,
        so that Excel opens it as such)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["link", "token", "type"])
        writer.writerows(self.links)
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    @property
    def open_link(self) -> str | None:
        """The citizens' open link, when this opening made it (to show it at once)."""
        return next((link for link, _, kind in self.links if kind == CITIZEN), None)


@dataclass
class Closed:
    """A wave closed: its results, and the upload its means became (``None``: too few answers
    to show any, so nothing was written)."""

    alliance: str
    period: str
    results: dict[str, Any]
    upload_id: int | None


def link_address(token: str) -> str:
    """The answering page's address for ``token`` (it opens in the respondent's language,
    which the page lets them switch)."""
    return f"{config.base_url()}/{ADDRESS}?{urlencode({TOKEN_PARAMETER: token})}"


def period_of(text: str) -> str:
    """A wave's period as the data stores it (``2026``, ``2026-Q1``, ``2026-03``)."""
    period = parse_period(text)
    if period is None or period.granularity == "day":
        raise MetricsError.of("err.survey_period", period=text)
    return period.canonical


def open_wave(
    store: Store,
    actor: Actor,
    alliance: str,
    period: str,
    links: dict[str, int],
    citizens: bool = False,
    closes_on: dt.date | None = None,
) -> Opened:
    """Open the wave of ``alliance`` for ``period`` with ``links`` personal links per
    stakeholder type (and the citizens' open link), or add links to the open wave."""
    canonical = period_of(period)
    unknown = sorted(set(links) - set(LINK_TYPES))
    if unknown:
        choices = ", ".join(LINK_TYPES)
        raise MetricsError.of("err.survey_type", type=unknown[0], choices=choices)
    if any(n < 0 for n in links.values()) or sum(links.values()) > MOST_LINKS:
        raise MetricsError.of("err.survey_links", most=MOST_LINKS)
    if not sum(links.values()) and not citizens:
        raise MetricsError.of("err.survey_no_links")
    if closes_on is not None and closes_on < clock.today():
        raise MetricsError.of("err.survey_closes_past", date=closes_on.isoformat())
    version = barometer.CURRENT
    _, made, new = store.surveys.open_wave(
        actor, alliance, canonical, links, citizens, closes_on, version
    )
    return Opened(
        alliance,
        canonical,
        new,
        [(link_address(token), token, kind) for token, kind in made],
    )


def answer(
    store: Store,
    token: str,
    scores: dict[str, int | None],
    words: str = "",
    secret: str | None = None,
) -> None:
    """A link's answer, checked against its wave's questionnaire before the store takes it:
    every question asked of its respondent scored 1 to 5 or "don't know" (``None``), nothing
    else; words only where the questionnaire asks for them, at most ``MAX_SURVEY_WORDS``
    characters. ``secret``: on the open link, the browser's own (see ``Surveys.answer``)."""
    link = store.surveys.link(token)
    if link is None:
        raise MetricsError.of("survey.wrong_link")
    questionnaire = barometer.QUESTIONNAIRES[int(link["version"])]
    audience = barometer.audience(str(link["respondent"]))
    asked = {item.code for item in questionnaire.asked(audience)}
    if set(scores) != asked or any(
        s is not None and s not in barometer.SCORES for s in scores.values()
    ):
        raise MetricsError.of("err.survey_answer")
    if len(words) > limits.MAX_SURVEY_WORDS:
        raise MetricsError.of("err.survey_words", most=limits.MAX_SURVEY_WORDS)
    kept = words if questionnaire.expectations and audience == "citizen" else ""
    store.surveys.answer(token, scores, kept, secret)


def results(store: Store, reader: Reader, alliance: str, period: str) -> dict[str, Any]:
    """A wave's results as ``reader`` may see them (the ``survey results`` JSON), with each
    item's change since the previous wave it reads and the citizens' words a lead kept."""
    canonical = period_of(period)
    waves = store.surveys.waves(reader, alliance)
    mine = waves[waves["period"] == canonical]
    if mine.empty:
        raise MetricsError.of("err.survey_unknown", alliance=alliance, period=canonical)
    wave = _row(mine.iloc[0])
    found = _results(store, wave)
    start = period_start(canonical)
    earlier = waves[waves["closed_at"].notna() & (waves["period"].map(period_start) < start)]
    earlier = earlier.assign(start=earlier["period"].map(period_start)).sort_values("start")
    before = _results(store, _row(earlier.iloc[-1])) if not earlier.empty else None
    found["previous"] = None if before is None else before["period"]
    found["change"] = barometer.changes(found, before)
    found["expectations"] = _kept_words(store, wave, found)
    return found


def wave_of_year(store: Store, reader: Reader, alliance: str, year: int) -> dict[str, Any] | None:
    """The results of the alliance's latest closed wave of ``year`` that ``reader`` reads
    (the committee's pack shows it), or ``None``."""
    waves = store.surveys.waves(reader, alliance)
    closed = waves[waves["closed_at"].notna() & waves["period"].str.startswith(str(year))]
    if closed.empty:
        return None
    return results(store, reader, alliance, str(closed.iloc[-1]["period"]))


def period_start(period: str) -> dt.date:
    """When a wave's period starts: waves follow one another in that order."""
    return from_canonical(period).start


def _row(row: pd.Series) -> dict[str, Any]:
    """A wave's row as plain values (``None`` where it has none)."""
    return {str(name): None if pd.isna(value) else value for name, value in row.items()}


def _results(store: Store, wave: dict[str, Any]) -> dict[str, Any]:
    questionnaire = barometer.QUESTIONNAIRES[int(wave["version"])]
    status = "closed" if wave["closed_at"] is not None else "open"
    found = barometer.results(
        questionnaire,
        store.surveys.answers(int(wave["id"])),
        store.surveys.invited(int(wave["id"])),
        status,
        barometer.minimum(config.survey_min()),
    )
    found.update(
        alliance=wave["alliance"],
        period=wave["period"],
        closes_on=wave["closes_on"],
        citizens=bool(wave["citizens"]),
        upload_id=None if wave["upload_id"] is None else int(wave["upload_id"]),
    )
    return found


def _kept_words(store: Store, wave: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """The citizens' words a lead kept, once the wave is closed and the citizens who answered
    are enough to be shown (else none: a few words could name their writer)."""
    if found["status"] != "closed" or found["by_type"].get(CITIZEN, "withheld") == "withheld":
        return []
    texts = store.surveys.texts(int(wave["id"]))
    return [str(body) for body in texts.loc[texts["status"] == "kept", "body"]]


def close_wave(store: Store, actor: Actor, alliance: str, period: str) -> Closed:
    """Close the wave: no more answers, every ballot cleared; then its means become the
    alliance's trust indicators for the period, as an upload of their own (submitted, then
    validated like any other). A closed wave whose upload is missing (a failure between the two
    steps) gets it at the next close."""
    canonical = period_of(period)
    wave_id = store.surveys.close(actor, alliance, canonical)
    found = results(store, actor, alliance, period)
    upload_id = found["upload_id"]
    items = barometer.shown_items(found)
    if upload_id is None and items:
        name = upload_name(alliance, canonical)
        imported = store.import_file(means_file(alliance, canonical, items), name, actor)
        # The same file already imported (a close that failed before linking it, or two
        # closes at once): the upload that stands under its name.
        upload_id = imported.upload_id or store.surveys.upload_named(name)
        if upload_id is not None:
            store.surveys.set_upload(wave_id, upload_id)
        found["upload_id"] = upload_id
    return Closed(alliance, canonical, found, upload_id)


def upload_name(alliance: str, period: str) -> str:
    """The upload's name in the history: the barometer, its alliance and its period."""
    return f"barometre {alliance} {period}.csv"


def means_file(alliance: str, period: str, items: dict[str, dict[str, Any]]) -> bytes:
    """The wave's means as an observations sheet (CSV): one row per item shown, its comment
    the number of answers that scored it (don't-know left out)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["alliance", "indicator", "period", "value", "comment"])
    for code, item in items.items():
        if item["mean"] is not None:
            writer.writerow([alliance, code, period, f"{item['mean']:.4f}", f"n={item['n']}"])
    return out.getvalue().encode("utf-8")


def close_due(store: Store) -> list[Closed]:
    """Close every wave whose closing date has passed and that nobody closed (the pages that
    show waves and ``survey`` call it first: the first look after the date closes it)."""
    everyone = Actor.system(CLOSING_DATE)
    return [
        close_wave(store, everyone, alliance, period) for alliance, period in store.surveys.due()
    ]


# The demo's wave: partners' scores in the questionnaire's order (the four prerequisites,
# trust between partners, their own engagement; ``None``: don't know), then citizens' scores
# (trust in the alliance, feeling involved) and what they expect of it.
DEMO_PARTNERS: tuple[tuple[str, tuple[int | None, ...]], ...] = (
    ("association", (4, 4, 5, 4, 4, 5)),
    ("association", (3, 4, 4, 4, 3, 4)),
    ("association", (4, 5, 5, 5, 4, 5)),
    ("association", (2, 3, 4, 3, 3, 4)),
    ("association", (4, 4, 4, None, 4, 3)),
    ("company", (3, 3, 4, 3, 3, 3)),
    ("company", (2, 3, 3, 3, 2, 2)),
    ("public", (4, 3, 4, 4, 4, 4)),
    ("public", (5, 4, 5, 4, 4, 5)),
)
DEMO_CITIZENS = (
    (3, 2, "Des horaires de bus qui collent aux emplois du matin."),
    (4, 3, ""),
    (2, 2, "Être tenus au courant de ce qui se décide."),
    (3, 4, ""),
)
DEMO_LINKS = {"association": 6, "company": 4, "public": 3}


def seed_demo_wave(store: Store, actor: Actor, alliance: str) -> None:
    """The demo's open wave for this year: links sent, some answered (partners and citizens
    through the open link), so that the trust and data pages show a barometer under way."""
    opened = open_wave(store, actor, alliance, str(clock.now().year), DEMO_LINKS, citizens=True)
    personal = {kind: [t for _, t, k in opened.links if k == kind] for kind in DEMO_LINKS}
    partner_items = barometer.QUESTIONNAIRES[barometer.CURRENT].asked("partner")
    for kind, scores in DEMO_PARTNERS:
        token = personal[kind].pop()
        answers = {item.code: s for item, s in zip(partner_items, scores, strict=True)}
        answer(store, token, answers)
    citizen_items = barometer.QUESTIONNAIRES[barometer.CURRENT].asked("citizen")
    open_link = next(t for _, t, k in opened.links if k == CITIZEN)
    for number, (trust, involved, words) in enumerate(DEMO_CITIZENS):
        answers = {item.code: s for item, s in zip(citizen_items, (trust, involved), strict=True)}
        answer(store, open_link, answers, words, secret=f"demo-browser-{number}")
