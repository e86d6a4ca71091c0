"""Writing spreadsheets: the blank template, workbooks from rows, and safe exports.

Exports neutralise cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import xlsxwriter

if TYPE_CHECKING:  # pandas is loaded by what exports tables, not by the file reader
    import pandas as pd

from metrics.base import catalog

SHEET_NAMES: dict[str, dict[str, str]] = {
    "alliances": {"fr": "alliances", "en": "alliances"},
    "stakeholders": {"fr": "partenaires", "en": "stakeholders"},
    "indicators": {"fr": "indicateurs", "en": "indicators"},
    "observations": {"fr": "donnees", "en": "observations"},
    "targets": {"fr": "objectifs", "en": "targets"},
    "replications": {"fr": "essaimage", "en": "replications"},
    "contracts": {"fr": "contrats_impact", "en": "outcome_contracts"},
    "prices": {"fr": "tarifs", "en": "outcome_prices"},
    "payers": {"fr": "payeurs", "en": "outcome_payers"},
    "investments": {"fr": "investissements", "en": "investments"},
    "payments": {"fr": "paiements", "en": "outcome_payments"},
}

# field, French header, English header, explanation FR, explanation EN
COLUMNS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "alliances": [
        (
            "alliance",
            "alliance",
            "alliance",
            "Nom de l'alliance (clé unique, obligatoire).",
            "Name of the alliance (unique key, required).",
        ),
        ("territory", "territoire", "territory", "Nom du territoire.", "Name of the territory."),
        (
            "territory_code",
            "code_territoire",
            "territory_code",
            "Code INSEE de la commune, de l'EPCI, du département ou de la région (facultatif).",
            "INSEE code of the commune, EPCI, département or région (optional).",
        ),
        (
            "population",
            "population",
            "population",
            "Nombre d'habitants du territoire (facultatif, pour comparer par habitant).",
            "Number of inhabitants (optional, for per-capita comparison).",
        ),
        (
            "theme",
            "thematique",
            "theme",
            "Fragilité traitée (emploi, déchets, isolement...).",
            "Fragility addressed (employment, waste, isolation...).",
        ),
        (
            "started",
            "date_creation",
            "started",
            "Date de création (31/05/2019 ou 2019).",
            "Start date (31/05/2019 or 2019).",
        ),
        (
            "stage",
            "etape",
            "stage",
            "Étape : émergence, expérimentation, consolidation, changement d'échelle.",
            "Stage: emergence, experimentation, consolidation, scaling.",
        ),
        (
            "latitude",
            "latitude",
            "latitude",
            "Latitude du territoire d'origine, en degrés décimaux (facultatif).",
            "Latitude of the home territory, in decimal degrees (optional).",
        ),
        (
            "longitude",
            "longitude",
            "longitude",
            "Longitude du territoire d'origine, en degrés décimaux (facultatif).",
            "Longitude of the home territory, in decimal degrees (optional).",
        ),
    ],
    "stakeholders": [
        ("alliance", "alliance", "alliance", "Alliance du partenaire.", "The partner's alliance."),
        (
            "stakeholder",
            "partenaire",
            "stakeholder",
            "Nom du partenaire (unique dans l'alliance).",
            "Name of the stakeholder (unique within the alliance).",
        ),
        (
            "type",
            "type",
            "type",
            "entreprise, collectivité, association, citoyen, académique ou financeur.",
            "company, public, association, citizen, academic or funder.",
        ),
    ],
    "indicators": [
        (
            "indicator",
            "indicateur",
            "indicator",
            "Code stable de l'indicateur (lettres, _).",
            "Stable code of the indicator (letters, _).",
        ),
        ("label_fr", "libelle_fr", "label_fr", "Libellé en français.", "Label in French."),
        ("label_en", "libelle_en", "label_en", "Libellé en anglais.", "Label in English."),
        (
            "dimension",
            "dimension",
            "dimension",
            "innovation, performance ou trust (innovation sociétale, performance des parties "
            "prenantes, climat de confiance).",
            "innovation, performance or trust.",
        ),
        ("unit", "unite", "unit", "Unité (€, %, personnes...).", "Unit (€, %, people...)."),
        (
            "direction",
            "sens",
            "direction",
            "up si plus haut est mieux, down sinon.",
            "up if higher is better, down otherwise.",
        ),
        (
            "aggregation",
            "agregation",
            "aggregation",
            "Regroupement dans le temps : sum (flux), mean (taux, notes), last (stocks).",
            "Over time: sum (flows), mean (rates, scores), last (stocks).",
        ),
        (
            "description",
            "description",
            "description",
            "Définition de l'indicateur.",
            "Definition of the indicator.",
        ),
    ],
    "observations": [
        ("alliance", "alliance", "alliance", "Alliance concernée.", "The alliance."),
        (
            "indicator",
            "indicateur",
            "indicator",
            "Code ou libellé de l'indicateur.",
            "Code or label of the indicator.",
        ),
        (
            "period",
            "periode",
            "period",
            "2023, T2 2023, 05/2023, mai 2023 ou 31/05/2023 (jour en premier).",
            "2023, Q2 2023, 05/2023, May 2023 or 31/05/2023 (day first).",
        ),
        (
            "value",
            "valeur",
            "value",
            "Nombre (1 234,5 ou 1234.5). Vide, n.d. ou NA : valeur manquante, jamais zéro.",
            "Number (1 234,5 or 1234.5). Empty, n.d. or NA: missing, never zero.",
        ),
        (
            "stakeholder",
            "partenaire",
            "stakeholder",
            "Partenaire concerné, pour une valeur propre à un partenaire (facultatif).",
            "Stakeholder the value belongs to (optional).",
        ),
        (
            "comment",
            "commentaire",
            "comment",
            "Commentaire libre (facultatif).",
            "Free comment (optional).",
        ),
    ],
    "targets": [
        ("alliance", "alliance", "alliance", "Alliance concernée.", "The alliance."),
        (
            "indicator",
            "indicateur",
            "indicator",
            "Code ou libellé de l'indicateur.",
            "Code or label of the indicator.",
        ),
        (
            "baseline_period",
            "periode_reference",
            "baseline_period",
            "Période de référence.",
            "Baseline period.",
        ),
        ("baseline", "reference", "baseline", "Valeur de référence.", "Baseline value."),
        ("target_period", "periode_cible", "target_period", "Période visée.", "Target period."),
        ("target", "cible", "target", "Valeur visée.", "Target value."),
    ],
}

COLUMNS["replications"] = [
    ("alliance", "alliance", "alliance", "Alliance d'origine.", "The alliance of origin."),
    (
        "mode",
        "mode",
        "mode",
        "approfondissement, diversification, duplication ou mise à disposition.",
        "deep, out, up or across (scale deep, out, up, across).",
    ),
    ("territory", "territoire", "territory", "Territoire du site.", "Territory of the site."),
    (
        "territory_code",
        "code_territoire",
        "territory_code",
        "Code INSEE (facultatif).",
        "INSEE code (optional).",
    ),
    (
        "started",
        "debut",
        "started",
        "Date de début (31/05/2024 ou 2024).",
        "Start date (31/05/2024 or 2024).",
    ),
    ("status", "statut", "status", "prévu, actif ou arrêté.", "planned, active or stopped."),
    (
        "beneficiaries",
        "beneficiaires",
        "beneficiaries",
        "Bénéficiaires touchés (facultatif).",
        "Beneficiaries reached (optional).",
    ),
    (
        "latitude",
        "latitude",
        "latitude",
        "Latitude en degrés décimaux (facultatif).",
        "Latitude in decimal degrees (optional).",
    ),
    (
        "longitude",
        "longitude",
        "longitude",
        "Longitude en degrés décimaux (facultatif).",
        "Longitude in decimal degrees (optional).",
    ),
    ("note", "note", "note", "Commentaire libre.", "Free comment."),
]
COLUMNS["contracts"] = [
    (
        "contract",
        "contrat",
        "contract",
        "Nom du contrat (clé unique).",
        "Name of the contract (unique key).",
    ),
    (
        "alliance",
        "alliance",
        "alliance",
        "Alliance qui porte le service.",
        "Alliance delivering the service.",
    ),
    (
        "indicator",
        "indicateur_de_resultat",
        "outcome_indicator",
        "Indicateur de résultat mesuré (code ou libellé), valeurs par cohorte (partenaire de "
        "type cohorte) et d'ensemble (sans partenaire).",
        "Outcome indicator measured (code or label), values per cohort (stakeholder of type "
        "cohort) and overall (no stakeholder).",
    ),
    ("commissioner", "commanditaire", "commissioner", "Payeur au résultat.", "Outcome payer."),
    ("investors", "investisseurs", "investors", "Investisseurs.", "Investors."),
    ("capital", "capital", "capital", "Capital investi.", "Capital invested."),
    ("currency", "devise", "currency", "Devise (EUR, GBP...).", "Currency (EUR, GBP...)."),
    ("start", "debut", "start", "Début du contrat.", "Start of the contract."),
    ("end", "fin", "end", "Fin du contrat.", "End of the contract."),
    (
        "cohort_size",
        "taille_cohorte",
        "cohort_size",
        "Personnes par cohorte.",
        "People per cohort.",
    ),
    (
        "baseline",
        "reference_de_comparaison",
        "comparison_baseline",
        "Valeur du groupe de comparaison, dans l'unité de l'indicateur.",
        "Comparison group's value, in the indicator's unit.",
    ),
    (
        "per",
        "pour",
        "per",
        "L'indicateur est exprimé pour combien de personnes (100 par défaut).",
        "The indicator is per how many people (100 by default).",
    ),
    (
        "cohort_threshold",
        "seuil_cohorte",
        "cohort_threshold",
        "Amélioration minimale d'une cohorte pour un paiement, en %.",
        "Improvement a cohort needs for a payment, in %.",
    ),
    (
        "overall_threshold",
        "seuil_global",
        "overall_threshold",
        "Amélioration minimale sur l'ensemble des cohortes, en %.",
        "Improvement needed across all cohorts, in %.",
    ),
    (
        "price",
        "prix_unitaire",
        "price_per_unit",
        "Prix payé par unité de résultat.",
        "Price paid per unit of outcome.",
    ),
    (
        "payment_cap",
        "plafond_paiements",
        "payment_cap",
        "Plafond des paiements (facultatif).",
        "Cap on outcome payments (optional).",
    ),
    (
        "return_cap",
        "plafond_rendement",
        "return_cap",
        "Plafond du rendement annuel des investisseurs, en % (facultatif).",
        "Cap on investors' annual return, in % (optional).",
    ),
    (
        "saving_per_unit",
        "economie_par_unite",
        "saving_per_unit",
        "Économie estimée du commanditaire par unité de résultat (facultatif).",
        "Commissioner's estimated saving per unit of outcome (optional).",
    ),
    (
        "population",
        "effectif",
        "population",
        "Personnes sur lesquelles le résultat d'ensemble est mesuré, toutes cohortes "
        "(facultatif ; sinon taille de cohorte × cohortes mesurées).",
        "People the overall result is measured on, all cohorts (optional; else cohort size × "
        "cohorts measured).",
    ),
    (
        "illustrative",
        "illustratif",
        "illustrative",
        "Chiffres du contrat qui ne sont pas publiés, par leurs noms de colonne ou de feuille "
        "(investissements…) séparés par des virgules (facultatif) : la page les marque "
        "« illustratif ».",
        "The contract's figures that are not published, by their column or sheet names "
        '(investments…) separated by commas (optional): the page marks them "illustrative".',
    ),
]

CONTRACT_COLUMN = ("contract", "contrat", "contract", "Nom du contrat.", "Name of the contract.")
COLUMNS["prices"] = [
    CONTRACT_COLUMN,
    (
        "outcome",
        "resultat",
        "outcome",
        "Résultat payé (un nom ; plusieurs lignes d'un même résultat, à seuils croissants, "
        "sont des paliers).",
        "Outcome paid for (a name; several rows of one outcome with rising thresholds are tiers).",
    ),
    (
        "indicator",
        "indicateur",
        "indicator",
        "Indicateur dont les valeurs sont les résultats obtenus (code ou libellé ; sinon celui "
        "du contrat).",
        "Indicator whose values are the outcomes achieved (code or label; else the contract's).",
    ),
    (
        "basis",
        "base",
        "basis",
        "nombre : chaque résultat obtenu est payé ; amélioration : les points d'amélioration "
        "sur le groupe de comparaison, au-delà du seuil.",
        "count: each outcome achieved is paid; improvement: the points of improvement over "
        "the comparison group, past the threshold.",
    ),
    ("price", "prix_unitaire", "price_per_unit", "Prix d'une unité.", "Price of one unit."),
    (
        "threshold",
        "seuil",
        "threshold",
        "Amélioration à partir de laquelle ce prix s'applique, en % (facultatif).",
        "Improvement from which this price applies, in % (optional).",
    ),
    (
        "max_units",
        "plafond_unites",
        "max_units",
        "Unités payées au plus sur tout le contrat (facultatif).",
        "Units paid at most over the contract (optional).",
    ),
    (
        "max_amount",
        "plafond_montant",
        "max_amount",
        "Montant payé au plus pour ce résultat (facultatif).",
        "Amount paid at most for this outcome (optional).",
    ),
]
COLUMNS["payers"] = [
    CONTRACT_COLUMN,
    ("payer", "payeur", "payer", "Qui paie les résultats.", "Who pays the outcomes."),
    (
        "commitment",
        "engagement",
        "commitment",
        "Montant maximal engagé.",
        "Maximum amount committed.",
    ),
    (
        "share",
        "part",
        "share",
        "Part de chaque paiement, en % (facultatif ; sinon au prorata des engagements).",
        "Share of each payment, in % (optional; else pro rata to commitments).",
    ),
]
COLUMNS["investments"] = [
    CONTRACT_COLUMN,
    ("investor", "investisseur", "investor", "Investisseur.", "Investor."),
    (
        "type",
        "type",
        "type",
        "fonds propres, prêt, garantie ou subvention.",
        "equity, loan, guarantee or grant.",
    ),
    (
        "tranche",
        "rang",
        "tranche",
        "senior (remboursé d'abord) ou subordonnée (senior par défaut).",
        "senior (paid back first) or subordinate (senior by default).",
    ),
    (
        "committed",
        "engagement",
        "committed",
        "Montant engagé (pour une garantie : ce qu'elle couvre).",
        "Amount committed (for a guarantee: what it covers).",
    ),
    ("date", "date", "date", "Date du tirage.", "Date of the draw."),
    (
        "drawn",
        "tire",
        "drawn",
        "Montant tiré à cette date (une ligne par tirage).",
        "Amount drawn on that date (one row per draw).",
    ),
]
COLUMNS["payments"] = [
    CONTRACT_COLUMN,
    ("date", "date", "date", "Date du paiement.", "Date of the payment."),
    ("payer", "payeur", "payer", "Qui a payé.", "Who paid."),
    (
        "outcome",
        "resultat",
        "outcome",
        "Résultat payé (facultatif).",
        "Outcome paid for (optional).",
    ),
    ("amount", "montant", "amount", "Montant payé.", "Amount paid."),
    (
        "nature",
        "nature",
        "nature",
        "résultat (par défaut) ou autre : un paiement qui ne rémunère pas un résultat.",
        "outcome (default) or other: a payment that pays for no outcome.",
    ),
]

EXAMPLE_ALLIANCE = "Alliance exemple"
EXAMPLE_CONTRACT = "Contrat exemple"
EXAMPLES: dict[str, list[list[Any]]] = {
    "alliances": [
        [
            EXAMPLE_ALLIANCE,
            "Saint-Quentin",
            "02691",
            53000,
            "emploi",
            dt.date(2021, 9, 1),
            "expérimentation",
            49.847,
            3.287,
        ]
    ],
    "stakeholders": [[EXAMPLE_ALLIANCE, "Entreprise exemple", "entreprise"]],
    "indicators": [
        [
            "apprentices_hired",
            "Apprentis recrutés",
            "Apprentices hired",
            "performance",
            "personnes",
            "up",
            "sum",
            "Apprentis recrutés par les entreprises partenaires.",
        ]
    ],
    "observations": [
        [EXAMPLE_ALLIANCE, "jobs_created", "2024", 12, "", ""],
        [
            EXAMPLE_ALLIANCE,
            "apprentices_hired",
            "T1 2024",
            3,
            "Entreprise exemple",
            "premier trimestre",
        ],
    ],
    "targets": [[EXAMPLE_ALLIANCE, "jobs_created", "2024", 12, "2027", 40]],
    "replications": [
        [
            EXAMPLE_ALLIANCE,
            "duplication",
            "Laon",
            "02408",
            dt.date(2025, 3, 1),
            "actif",
            120,
            49.564,
            3.62,
            "premier site répliqué",
        ]
    ],
    "contracts": [
        [
            EXAMPLE_CONTRACT,
            EXAMPLE_ALLIANCE,
            "back_to_work",
            "Département exemple",
            "deux fondations",
            500000,
            "EUR",
            dt.date(2024, 1, 1),
            dt.date(2028, 12, 31),
            200,
            30,
            100,
            10,
            7.5,
            2500,
            900000,
            8,
            4000,
            400,
            "",
        ]
    ],
    "prices": [
        [EXAMPLE_CONTRACT, "retour à l'emploi", "back_to_work", "nombre", 2500, "", 150, ""]
    ],
    "payers": [[EXAMPLE_CONTRACT, "Département exemple", 600000, ""]],
    "investments": [
        [
            EXAMPLE_CONTRACT,
            "Fondation exemple",
            "fonds propres",
            "senior",
            500000,
            dt.date(2024, 1, 1),
            250000,
        ]
    ],
    "payments": [[EXAMPLE_CONTRACT, dt.date(2025, 1, 15), "Département exemple", "", 12500, ""]],
}

DROPDOWNS: dict[tuple[str, str], list[str]] = {
    ("indicators", "dimension"): list(catalog.DIMENSIONS),
    ("indicators", "direction"): list(catalog.DIRECTIONS),
    ("indicators", "aggregation"): list(catalog.AGGREGATIONS),
}


def _dropdown_values(kind: str, name: str, lang: str) -> list[str] | None:
    if (kind, name) in DROPDOWNS:
        return DROPDOWNS[(kind, name)]
    vocabulary = {
        ("stakeholders", "type"): catalog.STAKEHOLDER_TYPES,
        ("alliances", "stage"): catalog.STAGES,
        ("replications", "mode"): catalog.SCALING_MODES,
        ("replications", "status"): catalog.REPLICATION_STATUSES,
        ("prices", "basis"): catalog.PRICE_BASES,
        ("investments", "type"): catalog.INVESTMENT_TYPES,
        ("investments", "tranche"): catalog.TRANCHES,
        ("payments", "nature"): catalog.PAYMENT_NATURES,
    }.get((kind, name))
    return [labels[lang] for labels in vocabulary.values()] if vocabulary else None


def write_workbook(
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    lang: str = "fr",
    readme: bool = False,
    dropdowns: bool = False,
) -> bytes:
    """An XLSX with one sheet per kind (headers in ``lang``) holding ``sheets[kind]`` rows.

    Fixed document properties keep the bytes identical for identical input.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"created": dt.datetime(2024, 1, 1), "author": "", "title": ""})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    if readme:
        _write_readme(book, lang, bold, wrap)
    for kind, rows in sheets.items():
        sheet = book.add_worksheet(SHEET_NAMES[kind][lang])
        columns = COLUMNS[kind]
        for col, column in enumerate(columns):
            header = column[1] if lang == "fr" else column[2]
            sheet.write(0, col, header, bold)
            sheet.set_column(col, col, max(14, len(header) + 4))
            sheet.write_comment(0, col, column[3] if lang == "fr" else column[4])
            choices = _dropdown_values(kind, column[0], lang) if dropdowns else None
            if choices:
                sheet.data_validation(1, col, 5000, col, {"validate": "list", "source": choices})
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
                elif value is None or value == "":
                    continue
                else:
                    sheet.write(r, c, value)
        sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _write_readme(book: xlsxwriter.Workbook, lang: str, bold: Any, wrap: Any) -> None:
    sheet = book.add_worksheet("lisez-moi" if lang == "fr" else "readme")
    sheet.set_column(0, 1, 22)
    sheet.set_column(2, 3, 60)
    heads = ["feuille / sheet", "colonne / column", "explication (FR)", "explanation (EN)"]
    for col, head in enumerate(heads):
        sheet.write(0, col, head, bold)
    row = 1
    for kind, columns in COLUMNS.items():
        for _, fr, en, help_fr, help_en in columns:
            sheet.write(row, 0, f"{SHEET_NAMES[kind]['fr']} / {SHEET_NAMES[kind]['en']}")
            sheet.write(row, 1, f"{fr} / {en}")
            sheet.write(row, 2, help_fr, wrap)
            sheet.write(row, 3, help_en, wrap)
            row += 1
    row += 1
    sheet.write(row, 0, "exemple / example", bold)
    sheet.write(
        row,
        2,
        f"Chaque feuille a une ligne d'exemple au nom de « {EXAMPLE_ALLIANCE} » : "
        "remplacez-la par vos données. Elle n'est jamais importée : un fichier qui la garde "
        "est refusé, ligne par ligne, jusqu'à ce qu'elle soit supprimée.",
        wrap,
    )
    sheet.write(
        row,
        3,
        f"Each sheet has an example row naming “{EXAMPLE_ALLIANCE}”: replace it with your "
        "data. It is never imported: a file that keeps it is refused, row by row, until it is "
        "deleted.",
        wrap,
    )
    row += 2
    sheet.write(row, 0, "indicateurs / indicators", bold)
    for indicator in catalog.CATALOG:
        row += 1
        sheet.write_row(
            row,
            0,
            [
                indicator.code,
                indicator.dimension,
                f"{indicator.label_fr} ({indicator.unit})",
                f"{indicator.label_en} ({indicator.unit})",
            ],
        )


def template(lang: str = "fr") -> bytes:
    """The blank template: every sheet with headers, one example row, dropdowns, a readme."""
    return write_workbook(EXAMPLES, lang, readme=True, dropdowns=True)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and headers) cannot run as formulas."""
    from pandas.api.types import is_string_dtype

    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def to_csv(frame: pd.DataFrame, lang: str = "en") -> bytes:
    """UTF-8 with BOM so that Excel opens accents correctly; in French, ``;`` between cells and
    a decimal comma, as French Excel expects."""
    safe = safe_frame(frame)
    if lang == "fr":
        return safe.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    return safe.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    from pandas import isna

    out = book.add_worksheet(sheet)
    safe = safe_frame(frame)
    bold = book.add_format({"bold": True})
    out.write_row(0, 0, list(safe.columns), bold)
    for r, row in enumerate(safe.itertuples(index=False), start=1):
        for c, value in enumerate(row):
            if value is None or (not isinstance(value, str) and bool(isna(value))):
                continue
            if isinstance(value, str):
                out.write_string(r, c, value)
            else:
                out.write(r, c, value)
    book.close()
    return buffer.getvalue()
