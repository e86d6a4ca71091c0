"""An alliance's public page for its citizens: nothing until its lead turns it on; then the
alliance, its territory and the fragility it works on, its three impacts over time, its latest
barometer, the citizens' open link while a wave is open and the links it gives (its
crowdfunding, its forum). Everything is read as a funder reads it, validated data only, and
no answer of anyone is ever shown: only results of groups above the barometer's threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlparse

import pandas as pd

from metrics.base import config
from metrics.base.access import Actor, Scope
from metrics.base.errors import MetricsError
from metrics.storage.store import Store
from metrics.usecases import barometer

# The page's address: ``{IMPACT_BASE_URL}/alliance?nom=NAME``.
ADDRESS = "alliance"
NAME_PARAMETER = "nom"
MOST_LINKS = 6
LONGEST_LABEL = 80
LONGEST_URL = 500


@dataclass
class PublicView:
    """What the public page of an alliance shows (see the module)."""

    alliance: dict[str, Any]
    scores: pd.DataFrame
    wave: dict[str, Any] | None = None
    open_link: tuple[str, str] | None = None  # (period, address)
    links: list[dict[str, str]] = field(default_factory=list)


def address(alliance: str) -> str:
    """The public page's address."""
    return f"{config.base_url()}/{ADDRESS}?{urlencode({NAME_PARAMETER: alliance})}"


def reader(alliance: str) -> Scope:
    """Whoever opens the page: reads the alliance as validated, as a funder does."""
    return Scope(validated=frozenset({alliance}))


def public_view(store: Store, alliance: str) -> PublicView | None:
    """The alliance's public page, or ``None`` when its lead has not turned it on (or it has
    no validated data at all): the page then says only that there is no such page."""
    page = store.public.public_page(alliance)
    if not page["enabled"]:
        return None
    public = reader(alliance)
    rows = store.alliances(public)
    rows = rows[rows["name"] == alliance]
    if rows.empty:
        return None
    scores = store.dimension_scores(public)
    view = PublicView(
        {str(k): v for k, v in rows.iloc[0].items()},
        scores[scores["alliance"] == alliance],
        links=page["links"],
    )
    view.wave = latest_wave(store, public, alliance)
    found = store.surveys.open_link(alliance)
    if found is not None:
        view.open_link = (found[0], barometer.link_address(found[1]))
    return view


def latest_wave(store: Store, public: Scope, alliance: str) -> dict[str, Any] | None:
    """The newest published wave whose results may be shown (enough answers)."""
    waves = store.surveys.waves(public, alliance)
    for period in reversed(list(waves["period"])):
        found = barometer.results(store, public, alliance, str(period))
        if isinstance(found["items"], dict):
            return found
    return None


def parse_links(text: str) -> list[dict[str, str]]:
    """The links a lead gives, one per line as ``label | https://…``: web addresses only."""
    links = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        label, _, url = (part.strip() for part in line.rpartition("|"))
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > LONGEST_URL:
            raise MetricsError.of("err.public_link", line=line)
        links.append({"label": (label or parsed.netloc)[:LONGEST_LABEL], "url": url})
    if len(links) > MOST_LINKS:
        raise MetricsError.of("err.public_links", most=MOST_LINKS)
    return links


def links_text(links: list[dict[str, str]]) -> str:
    """The links as the lead's form writes them back."""
    return "\n".join(f"{link['label']} | {link['url']}" for link in links)


def set_public_page(store: Store, actor: Actor, alliance: str, enabled: bool, text: str) -> None:
    """Turn the public page on or off, with its links (a lead of the alliance, or an admin)."""
    store.public.set_public_page(actor, alliance, enabled, parse_links(text))
