"""The steering committee's pack: one alliance's dashboard for one year as an A4 PDF or as
slides, in French or English, to take into the meeting room; and the funders' one-pager of a
portfolio.

What it shows is ``reports.dashboard`` (the figures and the changes by rule), its charts are the
pages' plotly figures exported by kaleido (driving the system's Chromium), the PDF is typeset by
Typst from ``pack.typ`` (``portfolio.typ``): every text goes in as data, never as markup; the
slides are made with python-pptx.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import re
import shutil
import tempfile
import threading
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from metrics.base import catalog, clock
from metrics.base.access import Actor, Reader
from metrics.base.errors import MetricsError
from metrics.base.periods import from_canonical
from metrics.domain import compare, impact
from metrics.presentation import barometer as shown
from metrics.presentation import charts, flags, formatting
from metrics.presentation.i18n import t
from metrics.storage.store import Store
from metrics.usecases import barometer, plausibility, reports

WIDTH, HEIGHT = 900, 520  # the charts' size in CSS pixels; the page scales them to its width


_ONE_AT_A_TIME = threading.Lock()  # kaleido's server is one per process


@contextmanager
def _exporter() -> Iterator[None]:
    """kaleido's Chromium kept open for the pack's charts (one start, not one per chart); one
    pack at a time in a process (two sessions of the app may ask at once). Without a Chromium
    to start, the user is told what the pack needs, not shown a traceback."""
    import kaleido

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium and "BROWSER_PATH" not in os.environ:
        os.environ["BROWSER_PATH"] = chromium
    with _ONE_AT_A_TIME:
        try:
            # No MathJax: kaleido would fetch it from a CDN for every page (charts use no
            # formulas), which stalls without a network.
            kaleido.start_sync_server(silence_warnings=True, mathjax=False)
        except Exception as e:  # kaleido's own errors: no Chromium, one that does not start
            raise MetricsError.of("err.pack_charts", reason=e) from e
        try:
            with warnings.catch_warnings():  # plotly: a server ignores per-call options
                warnings.filterwarnings("ignore", message="The kopts argument is ignored")
                yield
        finally:
            kaleido.stop_sync_server(silence_warnings=True)


def _image(figure: go.Figure, kind: str, height: int = HEIGHT) -> bytes:
    """The figure as SVG (vector, for the PDF) or PNG (twice the pixels, for the slides),
    without its title (the page's heading and caption say it)."""
    figure = go.Figure(figure)
    figure.update_layout(width=WIDTH, height=height, title=None, margin={"t": 40})
    scale = 2 if kind == "png" else 1
    return bytes(figure.to_image(format=kind, width=WIDTH, height=height, scale=scale))


def _percent(value: float, lang: str) -> str:
    if value is None or math.isnan(value):
        return "—"
    return f"{formatting.number(100 * value, lang, 0)}{charts.percent_suffix(lang)}"


def _points(value: float, lang: str) -> str:
    if value is None or math.isnan(value):
        return "—"
    sign = "+" if value > 0 else ""
    return f"{sign}{t('dashboard.points', lang, points=formatting.number(100 * value, lang, 0))}"


def _how(lang: str) -> list[tuple[str, str]]:
    """The dashboard's "how these figures are computed", as (bold start, rest) items."""
    items = []
    for line in t("dashboard.how_text", lang).splitlines():
        match = re.match(r"-\s*\*\*(.+?)\*\*(.*)", line)
        if match:
            items.append((match.group(1), match.group(2)))
    return items


def _change(change: reports.Change, meta: Mapping[Any, Any], year: int, lang: str) -> str:
    unit = catalog.unit_label(str(meta["unit"]), lang)
    params = {
        "indicator": str(meta[f"label_{lang}"]),
        "before": formatting.quantity(change.before, unit, lang),
        "now": formatting.quantity(change.now, unit, lang),
        "year": year,
        "previous": year - 1,
    }
    return t(f"pack.change.{change.kind}", lang, **params)


KINDS = ("pdf", "pptx")
IMAGE = {"pdf": "svg", "pptx": "png"}  # the charts as vectors in the PDF, pixels in slides


def build(
    store: Store, reader: Reader, alliance: str, year: int, lang: str, kind: str = "pdf"
) -> bytes:
    """The pack of ``alliance`` for ``year`` as ``reader`` sees it, its data as of the latest
    upload that brought the alliance values (not rolled back; for a funder, validated):
    ``kind`` pdf or pptx."""
    return build_all(store, reader, alliance, year, lang, (kind,))[kind]


def build_all(
    store: Store,
    reader: Reader,
    alliance: str,
    year: int,
    lang: str,
    kinds: tuple[str, ...] = KINDS,
) -> dict[str, bytes]:
    """The pack in each of ``kinds``, from one reading of the data and one start of the
    charts' browser."""
    row = {str(k): v for k, v in store.alliances(reader).set_index("name").loc[alliance].items()}
    today = clock.today()
    report = reports.dashboard(
        store.aggregated(reader, alliance, "year", level="alliance"),
        store.targets(reader, alliance),
        {**row, "name": alliance},
        year,
        today,
        owners=store.aggregated(reader, alliance, "year", level="stakeholder"),
        notes=store.notes(reader, alliance),
    )
    latest = store.latest_upload(reader, alliance)
    wave = barometer.wave_of_year(store, reader, alliance, year)
    found = plausibility.with_checks(
        plausibility.alliance_flags(store, reader, alliance), store.flag_checks(reader, alliance)
    )
    of_year = found[reports.in_view(found["period"], "year") == str(year)]
    return documents(
        report, store.indicators(reader), lang, latest, today, kinds, wave, to_check=of_year
    )


def documents(
    report: reports.Dashboard,
    indicators: pd.DataFrame,
    lang: str,
    upload: Mapping[Any, Any] | None,
    today: dt.date,
    kinds: tuple[str, ...] = KINDS,
    wave: dict[str, Any] | None = None,
    to_check: pd.DataFrame | None = None,
) -> dict[str, bytes]:
    """The pack as each of ``kinds`` (pdf, pptx). ``upload``: the latest upload that brought
    the alliance values (``id``, ``uploaded_at``, ``status``), for the cover's "data as
    of"; ``wave``: the year's barometer wave, as ``barometer.results`` gives it;
    ``to_check``: the year's flagged values with their decisions (``plausibility``)."""
    image_kinds = [IMAGE[k] for k in kinds]
    data, images = _content(report, indicators, lang, upload, today, image_kinds, wave)
    data.update(_to_check(to_check, indicators, lang))
    made = {}
    if "pdf" in kinds:
        made["pdf"] = _typeset(data, {f"{n}.svg": b for n, b in images["svg"].items()})
    if "pptx" in kinds:
        made["pptx"] = _slides(data, images["png"])
    return made


def _to_check(found: pd.DataFrame | None, indicators: pd.DataFrame, lang: str) -> dict[str, Any]:
    """The year's values still to check, one line each, under a title that counts them and
    those already checked (the completeness page's)."""
    if found is None or found.empty:
        return {"to_check_title": "", "to_check": []}
    labels = dict(zip(indicators["code"], indicators[f"label_{lang}"], strict=True))
    still = found[~found["checked"]]
    title = t("pack.to_check", lang, count=len(still), checked=int(found["checked"].sum()))
    return {"to_check_title": title, "to_check": flags.lines(still, lang, labels, where=False)}


def _note(row: Mapping[Any, Any], meta: Mapping[Any, Any], lang: str) -> dict[str, str]:
    """A note of the committee as the pack lists it: what it is on, its text, who and when."""
    about = [t(f"notes.kind.{row['kind']}", lang)]
    if isinstance(row.get("indicator"), str) and row["indicator"] in meta:
        about.append(str(meta[row["indicator"]][f"label_{lang}"]))
    if isinstance(row.get("period"), str) and row["period"]:
        about.append(formatting.period_label(from_canonical(row["period"]), lang))
    by = t(
        "pack.note_by",
        lang,
        author=row["author_name"],
        date=formatting.date(row["created_at"], lang),
        note=int(row["id"]),
    )
    if int(row.get("versions") or 1) > 1:
        by += " · " + t("pack.note_edited", lang, date=formatting.date(row["edited_at"], lang))
    return {"head": " · ".join(about), "body": str(row["body"]), "by": by}


def _content(
    report: reports.Dashboard,
    indicators: pd.DataFrame,
    lang: str,
    upload: Mapping[Any, Any] | None,
    today: dt.date,
    kinds: list[str],
    wave: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, dict[str, bytes]]]:
    """The pack's texts (as data) and its charts, by image kind (``svg`` for the PDF,
    ``png`` for the slides; named without extension), whatever the documents made of them."""
    data = _texts(report, indicators, lang, upload, today)
    figures, data["dimensions"] = _figures(report, indicators, lang)
    data["wave"] = _wave(wave, lang, figures)
    images: dict[str, dict[str, bytes]] = {kind: {} for kind in kinds}
    with _exporter():
        for name, (figure, height) in figures.items():
            for kind in kinds:
                images[kind][name] = _image(figure, kind, height)
    return data, images


def _texts(
    report: reports.Dashboard,
    indicators: pd.DataFrame,
    lang: str,
    upload: Mapping[Any, Any] | None,
    today: dt.date,
) -> dict[str, Any]:
    """Every text of the pack but its dimensions' (see ``_figures``), and the names of the
    charts' images."""
    year = int(report.period)
    alliance = report.alliance
    meta = indicators.set_index("code").to_dict("index")
    described = [alliance.get("territory"), catalog.theme_label(alliance.get("theme"), lang)]
    stage = catalog.STAGES.get(str(alliance.get("stage") or ""), {}).get(lang)
    return {
        "lang": lang,
        "title": f"{alliance['name']} · {year}",
        "alliance": str(alliance["name"]),
        "subtitle": " · ".join(str(x) for x in [*described, stage] if isinstance(x, str) and x),
        "period_line": t("pack.period_line", lang, year=year),
        "as_of": t(
            "pack.as_of",
            lang,
            upload=upload["id"],
            date=formatting.date(upload["uploaded_at"], lang),
            status=t(f"status.{upload['status']}", lang),
        )
        if upload
        else t("pack.no_upload", lang),
        "made": t("pack.made", lang, date=formatting.date(today, lang)),
        "footer": f"{alliance['name']} · {t('pack.period_line', lang, year=year)}",
        "scores_title": t("pack.scores", lang),
        "scores_caption": t("chart.scores_title", lang),
        "card_header": [
            t(f"pack.col.{c}", lang) for c in ("dimension", "score", "change", "coverage")
        ],
        "cards": [
            {
                "name": catalog.DIMENSIONS[card.dimension][lang],
                "score": _percent(card.score, lang),
                "change": _points(card.change, lang),
                "coverage": t("pack.coverage", lang, n=card.n, total=card.total)
                if card.n
                else t("pack.no_score", lang),
            }
            for card in report.cards
        ],
        "changes_title": t("pack.changes", lang, previous=year - 1),
        "changes": [_change(c, meta[c.indicator], year, lang) for c in report.changes],
        "no_changes": t("pack.no_changes", lang),
        "notes_title": t("notes.title", lang),
        "notes": [_note(row, meta, lang) for row in report.notes.to_dict("records")],
        "no_notes": t("pack.no_notes", lang),
        "balance_title": t("stakeholders.balance", lang),
        "balance_caption": t("stakeholders.balance_help", lang),
        "trust_title": t("trust.title", lang),
        "completeness_title": t("dashboard.completeness", lang),
        "how_title": t("dashboard.how", lang),
        "how": _how(lang),
        "scores_image": "scores",
        "completeness_image": "completeness",
        "balance_image": "balance",
        "trust_images": ["prerequisites", "radar"],
    }


def _figures(
    report: reports.Dashboard, indicators: pd.DataFrame, lang: str
) -> tuple[dict[str, tuple[go.Figure, int]], list[dict[str, str]]]:
    """The pack's charts by image name, each with its height; and the dimensions that have
    values, each with its name, caption and image."""
    figures: dict[str, tuple[go.Figure, int]] = {
        "scores": (charts.scores_over_time(report.scores, "year", lang), HEIGHT)
    }
    dimensions = []
    drawn = reports.notes_in_view(report.notes, "year")
    for dimension in impact.DIMENSION_ORDER:
        part = report.progressed[report.progressed["dimension"] == dimension]
        if part.empty:
            continue
        rows = math.ceil(part["indicator"].nunique() / 2)
        grid = charts.indicator_grid(part, indicators, "year", lang, columns=2, notes=drawn)
        figures[dimension] = (grid, max(360, 300 * rows))
        dimensions.append(
            {
                "name": catalog.DIMENSIONS[dimension][lang],
                "caption": f"{t('chart.grid_title', lang)}. {t('chart.grid_subtitle', lang)}",
                "image": dimension,
            }
        )
    figures["balance"] = (
        charts.change_heatmap(report.balance, indicators, lang),
        max(360, 140 + 30 * report.balance["stakeholder"].nunique()),
    )
    latest, previous = impact.latest_two(report.trust)
    figures["prerequisites"] = (
        charts.prerequisites_lines(report.trust, indicators, "year", lang),
        HEIGHT,
    )
    figures["radar"] = (charts.radar(latest, previous, indicators, "year", lang), HEIGHT)
    figures["completeness"] = (
        charts.completeness_heatmap(report.completeness, indicators, lang),
        max(360, 120 + 24 * report.completeness["indicator"].nunique()),
    )
    return figures, dimensions


def _wave(
    wave: dict[str, Any] | None, lang: str, figures: dict[str, tuple[go.Figure, int]]
) -> dict[str, Any] | None:
    """The year's barometer wave as the pack shows it: its status, its answers' spread (a
    chart added to ``figures``) and its table, or why its results are withheld."""
    if wave is None:
        return None
    labels = shown.item_labels(int(wave["version"]), lang)
    shows = isinstance(wave["items"], dict)
    if shows:
        spread = charts.answer_spread(wave, labels, lang)
        figures["wave"] = (spread, int(spread.layout.height or HEIGHT))
    return {
        "title": t("survey.pack_title", lang, period=shown.period_label(wave["period"], lang)),
        "line": shown.status_line(wave, lang),
        "image": "wave" if shows else "",
        "header": shown.header(lang),
        "rows": shown.rows(wave, labels, lang),
        "withheld": "" if shows else t("survey.results_withheld", lang, least=wave["minimum"]),
        "how": t("survey.pack_how", lang, least=wave["minimum"]),
    }


def _typeset(data: dict[str, Any], images: dict[str, bytes], template: str = "pack.typ") -> bytes:
    import typst

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, content in images.items():
            (root / name).write_bytes(content)
        source = root / template
        source.write_text(
            (resources.files("metrics.presentation") / template).read_text(encoding="utf-8")
        )
        document = typst.compile(
            str(source),
            root=str(root),
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
            format="pdf",
        )
    return bytes(document)


def _slides(data: dict[str, Any], images: dict[str, bytes]) -> bytes:
    """The pack as PowerPoint slides (16:9): the same texts and charts as the PDF, the scores
    as a table the committee can edit."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title_only, title_and_subtitle = deck.slide_layouts[5], deck.slide_layouts[0]

    cover = deck.slides.add_slide(title_and_subtitle)
    cover.shapes.title.text = data["alliance"]
    cover.placeholders[1].text = "\n".join(
        [data["subtitle"], data["period_line"], data["as_of"], data["made"]]
    )

    scores = deck.slides.add_slide(title_only)
    scores.shapes.title.text = data["scores_title"]
    rows = _score_table(scores, data)
    _picture(scores, images[data["scores_image"]], top=1.6 + 0.4 * rows)

    changed = deck.slides.add_slide(title_only)
    changed.shapes.title.text = data["changes_title"]
    _lines(changed, data["changes"] or [data["no_changes"]])

    noted = deck.slides.add_slide(title_only)
    noted.shapes.title.text = data["notes_title"]
    lines = [f"{n['head']} — {n['body']} ({n['by']})" for n in data["notes"]]
    _lines(noted, lines or [data["no_notes"]], size=14)

    for dimension in data["dimensions"]:
        slide = deck.slides.add_slide(title_only)
        slide.shapes.title.text = dimension["name"]
        _picture(slide, images[dimension["image"]])

    balance = deck.slides.add_slide(title_only)
    balance.shapes.title.text = data["balance_title"]
    _picture(balance, images[data["balance_image"]])

    trust = deck.slides.add_slide(title_only)
    trust.shapes.title.text = data["trust_title"]
    for number, name in enumerate(data["trust_images"]):
        _picture(trust, images[name], left=0.4 + 6.3 * number, wide=6.1)

    wave = data["wave"]
    if wave is not None:
        slide = deck.slides.add_slide(title_only)
        slide.shapes.title.text = wave["title"]
        _lines(slide, [wave["line"], wave["withheld"] or wave["how"]], size=14)
        if wave["image"]:
            _picture(slide, images[wave["image"]], top=2.4)

    done = deck.slides.add_slide(title_only)
    done.shapes.title.text = data["completeness_title"]
    _picture(done, images[data["completeness_image"]])
    if data["to_check_title"]:
        checks = deck.slides.add_slide(title_only)
        checks.shapes.title.text = data["to_check_title"]
        _lines(checks, data["to_check"][:8], size=12)

    how = deck.slides.add_slide(title_only)
    how.shapes.title.text = data["how_title"]
    _lines(how, [f"{start}{rest}" for start, rest in data["how"]])
    for slide in deck.slides:  # titles of a readable size on a 16:9 slide
        if slide.shapes.title is not None:
            slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(30)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _picture(
    slide: Any, image: bytes, top: float = 1.3, left: float = 0.6, wide: float = 12.1
) -> None:
    """A chart on a slide, as large as fits ``wide`` inches and the room below ``top``."""
    from pptx.util import Inches

    room = 7.5 - top - 0.3
    shape = slide.shapes.add_picture(io.BytesIO(image), Inches(left), Inches(top))
    scale = min(wide / shape.width.inches, room / shape.height.inches)
    shape.width, shape.height = int(shape.width * scale), int(shape.height * scale)


def _lines(slide: Any, lines: list[str], top: float = 1.4, size: int = 16) -> None:
    """Lines of text on a slide, a paragraph each, wrapped."""
    from pptx.util import Inches, Pt

    frame = slide.shapes.add_textbox(Inches(0.6), Inches(top), Inches(12.1), Inches(5.6))
    body = frame.text_frame
    body.word_wrap = True
    for number, line in enumerate(lines):
        paragraph = body.paragraphs[0] if number == 0 else body.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)


def _score_table(slide: Any, data: dict[str, Any]) -> int:
    """The dimensions' scores as a table the committee can edit; how many rows it has."""
    from pptx.util import Inches, Pt

    rows = [data["card_header"]] + [
        [c["name"], c["score"], c["change"], c["coverage"]] for c in data["cards"]
    ]
    table = slide.shapes.add_table(
        len(rows), 4, Inches(0.6), Inches(1.4), Inches(12.1), Inches(0.4 * len(rows))
    ).table
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = str(text)
            table.cell(r, c).text_frame.paragraphs[0].font.size = Pt(14)
    return len(rows)


def portfolio(store: Store, reader: Actor, name: str | None, lang: str) -> bytes:
    """The one-pager of the portfolio ``name`` (else of every alliance ``reader`` follows), as
    ``reader`` sees it (a funder: validated data only)."""
    today = clock.today()
    table = compare.portfolio(
        store.dimension_scores(reader),
        store.completeness_by_year(reader),
        store.alliances(reader),
        store.last_updates(reader),
        today.year,
    )
    if name is not None:
        portfolios = store.portfolios(reader)
        members = {
            str(alliance)
            for alliances in portfolios.loc[portfolios["name"] == name, "alliances"]
            for alliance in alliances
        }
        table = table[table["alliance"].isin(members)]
    return portfolio_pdf(table, name, lang, today)


def portfolio_pdf(table: pd.DataFrame, name: str | None, lang: str, today: dt.date) -> bytes:
    """The funders' one-pager: each alliance of ``table`` (``compare.portfolio``) with its
    latest score per dimension and trend, its completeness, how far its data goes and when it
    was last updated, on one landscape A4 page (a long portfolio runs on)."""
    suffix = charts.percent_suffix(lang)

    def score(value: float, change: float) -> str:
        if pd.isna(value):
            return "—"
        arrow = compare.trend_arrow(change)
        return f"{formatting.number(100 * value, lang, 0)}{suffix} {arrow}".strip()

    rows = [
        [
            str(row["alliance"]),
            *(score(row[f"{d}_score"], row[f"{d}_change"]) for d in impact.DIMENSION_ORDER),
            f"{t('badge.short.' + row['badge'], lang)} "
            f"{formatting.number(100 * row['completeness'], lang, 0)}{suffix}",
            formatting.month(row["last_period"], lang) or "—",
            formatting.date(row["last_update"], lang) or "—",
        ]
        for row in table.to_dict("records")
    ]
    data = {
        "lang": lang,
        "title": t("pack.portfolio_title", lang, name=name)
        if name
        else t("pack.portfolio_all", lang),
        "subtitle": t("pack.portfolio_count", lang, count=len(rows)),
        "made": t("pack.made", lang, date=formatting.date(today, lang)),
        "header": [
            t("portfolio.col.alliance", lang),
            *(t(f"dimension.short.{d}", lang) for d in impact.DIMENSION_ORDER),
            t("portfolio.col.completeness", lang),
            t("portfolio.col.data_until", lang),
            t("portfolio.col.updated", lang),
        ],
        "rows": rows,
        "reading": re.sub(r"\*\*(.+?)\*\*", r"\1", t("portfolio.rules", lang)),
    }
    return _typeset(data, {}, template="portfolio.typ")
