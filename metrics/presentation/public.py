"""An alliance's public page in plain words: each of its three impacts as a sentence a citizen
reads (how far the alliance has come towards its targets in its latest year, and how that
changed since the year before)."""

from __future__ import annotations

import pandas as pd

from metrics.base import catalog
from metrics.presentation import formatting
from metrics.presentation.charts.common import percent_suffix
from metrics.presentation.i18n import t


def impact_sentences(scores: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per impact with a score: its latest year, the share of the way from the
    baseline to the targets, and the change in points since the year before.

    ``scores``: the alliance's yearly dimension scores (``dimension``, ``period``, ``score``:
    a fraction, 1 = the targets reached)."""
    sentences = []
    for dimension in catalog.IMPACTS:
        part = scores[scores["dimension"] == dimension].dropna(subset=["score"])
        part = part.sort_values("period")
        if part.empty:
            continue
        latest = part.iloc[-1]
        share = f"{formatting.number(100 * latest['score'], lang, 0)}{percent_suffix(lang)}"
        name = catalog.DIMENSIONS[dimension][lang]
        sentence = t("public.impact", lang, impact=name, year=latest["period"], share=share)
        if len(part) > 1:
            before = part.iloc[-2]
            points = 100 * (latest["score"] - before["score"])
            shown = formatting.number(abs(points), lang, 0)
            if shown == "0":
                key = "public.impact_same"
            elif points > 0:
                key = "public.impact_up_one" if shown == "1" else "public.impact_up"
            else:
                key = "public.impact_down_one" if shown == "1" else "public.impact_down"
            sentence += t(key, lang, points=shown, year=before["period"])
        else:
            sentence += "."
        sentences.append(sentence)
    return sentences
