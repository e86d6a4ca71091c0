"""An alliance's public page for its citizens (``/alliance?nom=…``), with no account: the
alliance, its territory and the fragility it works on, its three impacts over time, its latest
barometer, the citizens' open link while a wave is open, and the links it gives. Validated data
only, and nothing at all until its lead turns the page on (``metrics.usecases.public``).
"""

from __future__ import annotations

import streamlit as st

from metrics.base import catalog
from metrics.presentation import barometer as shown
from metrics.presentation import charts, formatting
from metrics.presentation.public import impact_sentences
from metrics.usecases import public
from ui import database, language, widgets
from ui.language import tr, tr_plain
from ui.markdown import md

st.set_page_config(page_title=tr_plain("public.title"), layout="centered")
lang = language.lang()
language.language_switch(on_page=True)


def heading(view: public.PublicView) -> None:
    """The alliance, its territory and population, the fragility it works on."""
    row = view.alliance
    st.title(md(str(row["name"])), anchor=False)
    place = [str(row[k]) for k in ("territory",) if isinstance(row.get(k), str) and row[k]]
    if row.get("population") and row["population"] == row["population"]:
        people = formatting.number(row["population"], lang)
        place.append(tr_plain("public.population", count=people))
    if place:
        st.caption(md(" · ".join(place)))
    if isinstance(row.get("theme"), str) and row["theme"]:
        st.markdown(tr("public.theme", theme=catalog.theme_label(row["theme"], lang)))


def impacts(view: public.PublicView) -> None:
    """The three impacts in plain words, then over the years."""
    st.subheader(tr("public.impacts"), anchor=False)
    sentences = impact_sentences(view.scores, lang)
    if not sentences:
        st.info(tr("public.no_scores"))
        return
    st.markdown("\n".join(f"- {sentence}" for sentence in sentences))
    figure = charts.scores_over_time(view.scores, "year", lang)
    figure.update_layout(title=None, margin={"t": 30})  # a phone cuts a title: said above
    st.plotly_chart(figure, key="public_scores")
    st.caption(tr("public.scores_how"))


def barometer(view: public.PublicView) -> None:
    """The latest barometer that may be shown, and the open link while a wave is open."""
    st.subheader(tr("public.barometer"), anchor=False)
    if view.open_link is not None:
        period, link = view.open_link
        st.link_button(
            tr_plain("public.answer", period=shown.period_label(period, lang)),
            link,
            type="primary",
            icon=":material/edit_note:",
            key="public_answer",
        )
    wave = view.wave
    if wave is None:
        st.info(tr("public.no_wave"))
        return
    labels = shown.item_labels(int(wave["version"]), lang)
    partners, citizens = shown.answered_apart(wave)
    st.markdown(
        tr(
            "public.wave",
            period=shown.period_label(wave["period"], lang),
            partners=formatting.number(partners, lang),
            citizens=formatting.number(citizens, lang),
        )
    )
    st.plotly_chart(charts.answer_spread(wave, labels, lang), key="public_wave")
    st.caption(tr("chart.survey_spread_subtitle"))


def links(view: public.PublicView) -> None:
    """The links the alliance gives: its crowdfunding, its forum."""
    if not view.links:
        return
    st.subheader(tr("public.links_title"), anchor=False)
    for number, link in enumerate(view.links):
        st.link_button(link["label"], link["url"], key=f"public_link_{number}")


with widgets.guard():
    name = str(st.query_params.get(public.NAME_PARAMETER, ""))
    view = public.public_view(database.store(), name) if name else None
    if view is None:
        st.title(tr("public.none_title"), anchor=False)
        st.info(tr("public.none"))
        st.stop()
    heading(view)
    impacts(view)
    barometer(view)
    links(view)
    st.divider()
    st.caption(tr("public.footer"))
