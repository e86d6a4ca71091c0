"""Declared vocabularies: dimensions, stakeholder types, and the built-in indicator catalog.

Each entry is data, complete in French and English (a test checks it). The store loads the
catalog into the ``indicator`` table; a workbook's ``indicateurs`` sheet may add more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from metrics.base import text

Dimension = Literal["innovation", "performance", "trust", "scaling"]
Direction = Literal["up", "down"]
Aggregation = Literal["sum", "mean", "last"]

DIMENSIONS: dict[str, dict[str, str]] = {
    "innovation": {"fr": "Innovation sociétale", "en": "Societal innovation"},
    "performance": {"fr": "Performance des parties prenantes", "en": "Stakeholder performance"},
    "trust": {"fr": "Climat de confiance", "en": "Climate of trust"},
    "scaling": {"fr": "Changement d'échelle", "en": "Scaling"},
}
# The three impacts of an alliance; scaling readiness is followed beside them, not scored with
# them on the dashboard.
IMPACTS: tuple[str, ...] = ("innovation", "performance", "trust")
# Outcome contracts as real impact bonds are written (see metrics.domain.outcomes).
PRICE_BASES: dict[str, dict[str, str]] = {
    "count": {"fr": "nombre", "en": "count"},
    "improvement": {"fr": "amélioration", "en": "improvement"},
}
INVESTMENT_TYPES: dict[str, dict[str, str]] = {
    "equity": {"fr": "fonds propres", "en": "equity"},
    "loan": {"fr": "prêt", "en": "loan"},
    "guarantee": {"fr": "garantie", "en": "guarantee"},
    "grant": {"fr": "subvention", "en": "grant"},
}
TRANCHES: dict[str, dict[str, str]] = {
    "senior": {"fr": "senior", "en": "senior"},
    "subordinate": {"fr": "subordonnée", "en": "subordinate"},
}
PAYMENT_PLANS: dict[str, dict[str, str]] = {
    "actual": {"fr": "réel", "en": "actual"},
    "planned": {"fr": "prévu", "en": "planned"},
}
# Where outcome payments go once the tranches are paid what they may receive.
SURPLUS: dict[str, dict[str, str]] = {
    "investors": {"fr": "investisseurs", "en": "investors"},
    "provider": {"fr": "prestataire", "en": "provider"},
    "payers": {"fr": "payeurs", "en": "payers"},
}
PAYMENT_NATURES: dict[str, dict[str, str]] = {
    "outcome": {"fr": "résultat", "en": "outcome"},
    "other": {"fr": "autre", "en": "other"},
}
SCALING_MODES: dict[str, dict[str, str]] = {
    "deep": {"fr": "approfondissement", "en": "scale deep"},
    "out": {"fr": "diversification", "en": "scale out"},
    "up": {"fr": "duplication", "en": "scale up"},
    "across": {"fr": "mise à disposition", "en": "scale across"},
}
REPLICATION_STATUSES: dict[str, dict[str, str]] = {
    "planned": {"fr": "prévu", "en": "planned"},
    "active": {"fr": "actif", "en": "active"},
    "stopped": {"fr": "arrêté", "en": "stopped"},
}
DIRECTIONS: dict[str, dict[str, str]] = {
    "up": {"fr": "hausse", "en": "up"},
    "down": {"fr": "baisse", "en": "down"},
}
AGGREGATIONS: dict[str, dict[str, str]] = {
    "sum": {"fr": "somme", "en": "sum"},
    "mean": {"fr": "moyenne", "en": "mean"},
    "last": {"fr": "dernière valeur", "en": "last"},
}
STAKEHOLDER_TYPES: dict[str, dict[str, str]] = {
    "company": {"fr": "entreprise", "en": "company"},
    "public": {"fr": "collectivité", "en": "public"},
    "association": {"fr": "association", "en": "association"},
    "citizen": {"fr": "citoyen", "en": "citizen"},
    "academic": {"fr": "académique", "en": "academic"},
    "funder": {"fr": "financeur", "en": "funder"},
    # The cohorts of an outcome contract carry their measured results like stakeholders.
    "cohort": {"fr": "cohorte", "en": "cohort"},
}
# The stakeholder type of whoever answers the trust barometer's open link for citizens.
CITIZEN = "citizen"
STAGES: dict[str, dict[str, str]] = {
    "emergence": {"fr": "émergence", "en": "emergence"},
    "experimentation": {"fr": "expérimentation", "en": "experimentation"},
    "consolidation": {"fr": "consolidation", "en": "consolidation"},
    "scaling": {"fr": "changement d'échelle", "en": "scaling"},
}

# The fragilities alliances commonly address. A theme is free text in the sheet (kept as
# written, and so in JSON); one that reads as a label below, in either language (case,
# accents and spacing aside), is shown in the reader's language (``theme_label``).
THEMES: dict[str, dict[str, str]] = {
    "employment": {"fr": "emploi", "en": "employment"},
    "mobility": {"fr": "mobilité", "en": "mobility"},
    "food": {"fr": "alimentation", "en": "food"},
    "recycling": {"fr": "recyclage", "en": "recycling"},
    "isolation_of_elders": {"fr": "isolement des aînés", "en": "isolation of older people"},
    "reoffending": {"fr": "récidive", "en": "reoffending"},
    "housing": {"fr": "logement", "en": "housing"},
    "health": {"fr": "santé", "en": "health"},
    "education": {"fr": "éducation", "en": "education"},
    "energy": {"fr": "énergie", "en": "energy"},
    "homelessness": {"fr": "sans-abrisme", "en": "homelessness"},
    "child_protection": {"fr": "protection de l'enfance", "en": "child protection"},
}
_THEME_KEYS = {
    text.key(label): code for code, labels in THEMES.items() for label in (code, *labels.values())
}


def theme_label(value: object, lang: str) -> str:
    """A theme as the reader reads it: a known theme in ``lang``, any other as written."""
    if not isinstance(value, str) or not value:
        return ""
    code = _THEME_KEYS.get(text.key(value))
    return THEMES[code][lang] if code else value


# Extra spellings accepted on import, on top of the codes and both labels above.
SYNONYMS: dict[str, dict[str, str]] = {
    "dimension": {
        "innovation_societale": "innovation",
        "societal_innovation": "innovation",
        "performance_des_parties_prenantes": "performance",
        "stakeholder_performance": "performance",
        "confiance": "trust",
        "climat_de_confiance": "trust",
        "climate_of_trust": "trust",
    },
    "direction": {
        "higher": "up",
        "plus_haut": "up",
        "hausse": "up",
        "lower": "down",
        "plus_bas": "down",
        "baisse": "down",
    },
    "aggregation": {
        "average": "mean",
        "moyenne": "mean",
        "somme": "sum",
        "total": "sum",
        "derniere": "last",
        "dernier": "last",
        "derniere_valeur": "last",
        "latest": "last",
    },
    "type": {
        "entreprise": "company",
        "collectivite": "public",
        "collectivite_locale": "public",
        "acteur_public": "public",
        "citoyen": "citizen",
        "citoyens": "citizen",
        "groupe_de_citoyens": "citizen",
        "academique": "academic",
        "universite": "academic",
        "recherche": "academic",
        "financeur": "funder",
        "fondation": "funder",
    },
    "mode": {
        "scale_deep": "deep",
        "scale_out": "out",
        "scale_up": "up",
        "scale_across": "across",
        "mise_a_disposition": "across",
        "essaimage": "up",
    },
    "status": {"prevue": "planned", "en_cours": "active", "actif": "active", "arretee": "stopped"},
}


# Units are declared in French; their English names for display.
UNITS_EN: dict[str, str] = {
    "emplois": "jobs",
    "personnes": "people",
    "services": "services",
    "trajets": "trips",
    "activités": "businesses",
    "heures": "hours",
    "contributions": "contributions",
    "score 1-5": "score 1-5",
    "pour 100 personnes": "per 100 people",
}


def unit_label(unit: str, lang: str) -> str:
    """``unit_label("personnes", "en")`` -> ``"people"``; other units are shown as they are."""
    return UNITS_EN.get(unit, unit) if lang == "en" else unit


# What a value of an indicator may be, by its unit (the catalogue's indicators take theirs):
# (minimum, maximum, whole numbers only); ``None``: no bound. A value outside is refused at
# import. Jobs are counted in full-time equivalents: not whole; reconvictions per 100 people
# pass 100 (a person is reconvicted several times: 142 at Peterborough).
BOUNDS_BY_UNIT: dict[str, tuple[float | None, float | None, bool]] = {
    "score 1-5": (1, 5, False),
    "%": (0, 100, False),
    "pour 100 personnes": (0, None, False),  # events per 100 people: a person has several
    "personnes": (0, None, True),
    "services": (0, None, True),
    "activités": (0, None, True),
    "trajets": (0, None, True),
    "contributions": (0, None, True),
    "emplois": (0, None, False),
    "t": (0, None, False),
    "€": (0, None, False),
    "heures": (0, None, False),
}
# The rules between indicators that hold for every alliance (left, operator, right, factor):
# a value that breaks one is flagged, not refused (``metrics.domain.plausibility``).
RULES: tuple[tuple[str, str, str, float], ...] = (("back_to_work", "<=", "people_supported", 1.0),)
RULE_OPERATORS = ("<=", "<", "=", ">=", ">")
# Other spellings of the operators a rule may use.
RULE_OPERATOR_SPELLINGS = {"≤": "<=", "=<": "<=", "≥": ">=", "=>": ">=", "==": "="}
YES_NO: dict[str, dict[str, str]] = {
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
}


@dataclass(frozen=True)
class Indicator:
    code: str
    label_fr: str
    label_en: str
    dimension: Dimension
    unit: str
    direction: Direction
    aggregation: Aggregation
    help_fr: str
    help_en: str
    # What a value may be (see ``BOUNDS_BY_UNIT``).
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en


def within(indicator: Indicator, value: float) -> float:
    """``value`` brought within what the indicator allows, whole when it counts whole numbers
    (for generated data: benchmarks, demonstrations).

    >>> within(BY_CODE["partner_trust"], 4999.5), within(BY_CODE["back_to_work"], 12.5)
    (5, 12)
    """
    low = indicator.minimum if indicator.minimum is not None else value
    high = indicator.maximum if indicator.maximum is not None else value
    bounded = min(max(value, low), high)
    return int(bounded) if indicator.whole else bounded


def _i(*args: str) -> Indicator:
    """A catalogue indicator, bounded as its unit says."""
    return Indicator(*args, *BOUNDS_BY_UNIT[args[4]])  # type: ignore[arg-type, call-arg]


CATALOG: tuple[Indicator, ...] = (
    # Societal innovation: new drivers of local growth and the territory's fragility.
    _i(
        "jobs_created",
        "Emplois créés",
        "Jobs created",
        "innovation",
        "emplois",
        "up",
        "sum",
        "Emplois créés sur le territoire grâce à l'alliance, en équivalents temps plein.",
        "Jobs created in the territory thanks to the alliance, full-time equivalents.",
    ),
    _i(
        "back_to_work",
        "Personnes de retour à l'emploi",
        "People back in work",
        "innovation",
        "personnes",
        "up",
        "sum",
        "Personnes accompagnées ayant retrouvé un emploi ou une formation qualifiante.",
        "People supported who found a job or a qualifying training course.",
    ),
    _i(
        "new_services",
        "Nouveaux services lancés",
        "New services launched",
        "innovation",
        "services",
        "up",
        "sum",
        "Services ou produits nouveaux mis à disposition des habitants.",
        "New services or products made available to residents.",
    ),
    _i(
        "unemployment_rate",
        "Taux de chômage local",
        "Local unemployment rate",
        "innovation",
        "%",
        "down",
        "mean",
        "Taux de chômage de la zone d'emploi (moyenne sur la période).",
        "Unemployment rate of the local labour market (mean over the period).",
    ),
    _i(
        "waste_recycled",
        "Déchets recyclés",
        "Waste recycled",
        "innovation",
        "t",
        "up",
        "sum",
        "Tonnes de déchets collectés et recyclés ou réemployés.",
        "Tonnes of waste collected and recycled or reused.",
    ),
    _i(
        "people_supported",
        "Personnes accompagnées",
        "People supported",
        "innovation",
        "personnes",
        "up",
        "sum",
        "Habitants ayant bénéficié d'un accompagnement de l'alliance.",
        "Residents who received support from the alliance.",
    ),
    _i(
        "isolated_elderly_visited",
        "Personnes âgées isolées visitées",
        "Isolated elderly people visited",
        "innovation",
        "personnes",
        "up",
        "sum",
        "Personnes âgées isolées ayant reçu au moins une visite régulière.",
        "Isolated elderly people who received at least one regular visit.",
    ),
    _i(
        "shared_trips",
        "Trajets partagés",
        "Shared trips",
        "innovation",
        "trajets",
        "up",
        "sum",
        "Trajets réalisés en covoiturage ou transport solidaire.",
        "Trips made by car-sharing or community transport.",
    ),
    _i(
        "local_food_share",
        "Part d'approvisionnement local",
        "Share of local food supply",
        "innovation",
        "%",
        "up",
        "mean",
        "Part des produits locaux dans la restauration collective du territoire.",
        "Share of local produce in the territory's public catering.",
    ),
    _i(
        "businesses_created",
        "Activités économiques créées",
        "Businesses created",
        "innovation",
        "activités",
        "up",
        "sum",
        "Entreprises ou activités nouvelles créées sur le territoire.",
        "New businesses or activities started in the territory.",
    ),
    # Stakeholder performance: what each partner gains in its own activity.
    _i(
        "recruitment_cost_saved",
        "Coûts de recrutement évités",
        "Recruitment costs saved",
        "performance",
        "€",
        "up",
        "sum",
        "Coûts de recrutement et d'intégration évités par l'entreprise partenaire.",
        "Recruitment and onboarding costs saved by the partner company.",
    ),
    _i(
        "volunteers",
        "Bénévoles mobilisés",
        "Volunteers engaged",
        "performance",
        "personnes",
        "up",
        "last",
        "Nombre de bénévoles actifs du partenaire en fin de période.",
        "Number of the partner's active volunteers at the end of the period.",
    ),
    _i(
        "budget_secured",
        "Financements obtenus",
        "Funding secured",
        "performance",
        "€",
        "up",
        "sum",
        "Financements obtenus par le partenaire pour l'action de l'alliance.",
        "Funding secured by the partner for the alliance's work.",
    ),
    _i(
        "public_spending_avoided",
        "Dépenses publiques évitées",
        "Public spending avoided",
        "performance",
        "€",
        "up",
        "sum",
        "Dépenses sociales ou de gestion évitées par la collectivité partenaire.",
        "Social or operating spending avoided by the partner local authority.",
    ),
    _i(
        "beneficiaries_reached",
        "Bénéficiaires touchés",
        "Beneficiaries reached",
        "performance",
        "personnes",
        "up",
        "sum",
        "Personnes touchées par les actions du partenaire (portée de l'association).",
        "People reached by the partner's own work (an association's reach).",
    ),
    _i(
        "staff_retention",
        "Fidélisation des salariés",
        "Staff retention",
        "performance",
        "%",
        "up",
        "mean",
        "Part des salariés recrutés via l'alliance toujours en poste après un an.",
        "Share of staff hired through the alliance still employed after one year.",
    ),
    _i(
        "local_revenue",
        "Chiffre d'affaires local",
        "Local revenue",
        "performance",
        "€",
        "up",
        "sum",
        "Chiffre d'affaires réalisé par le partenaire avec des acteurs du territoire.",
        "Revenue the partner earns with actors of the territory.",
    ),
    # Climate of trust: engagement of organisations and citizens.
    _i(
        "partner_trust",
        "Confiance entre partenaires",
        "Trust between partners",
        "trust",
        "score 1-5",
        "up",
        "mean",
        "Confiance déclarée entre partenaires, enquête annuelle, de 1 (faible) à 5 (forte).",
        "Trust reported between partners, yearly survey, from 1 (low) to 5 (high).",
    ),
    _i(
        "shared_vision",
        "Vision commune",
        "Shared vision",
        "trust",
        "score 1-5",
        "up",
        "mean",
        "Préalable à la co-construction : vision commune de la problématique (1 à 5).",
        "Co-construction prerequisite: a shared view of the problem (1 to 5).",
    ),
    _i(
        "openness_to_difference",
        "Ouverture à la différence",
        "Openness to difference",
        "trust",
        "score 1-5",
        "up",
        "mean",
        "Préalable : capacité d'ouverture et de prise en compte de la différence (1 à 5).",
        "Prerequisite: openness to and consideration of difference (1 to 5).",
    ),
    _i(
        "mutual_respect",
        "Respect mutuel",
        "Mutual respect",
        "trust",
        "score 1-5",
        "up",
        "mean",
        "Préalable : respect mutuel entre partenaires (1 à 5).",
        "Prerequisite: mutual respect between partners (1 to 5).",
    ),
    _i(
        "shared_values",
        "Valeurs partagées",
        "Shared values",
        "trust",
        "score 1-5",
        "up",
        "mean",
        "Préalable : valeurs partagées par les membres de l'alliance (1 à 5).",
        "Prerequisite: values shared by the alliance's members (1 to 5).",
    ),
    _i(
        "forum_contributions",
        "Contributions aux forums citoyens",
        "Citizen forum contributions",
        "trust",
        "contributions",
        "up",
        "sum",
        "Contributions d'habitants aux forums et consultations de l'alliance.",
        "Residents' contributions to the alliance's forums and consultations.",
    ),
    _i(
        "crowdfunding_backers",
        "Contributeurs au financement participatif",
        "Crowdfunding backers",
        "trust",
        "personnes",
        "up",
        "sum",
        "Personnes ayant contribué aux campagnes de financement participatif.",
        "People who backed the alliance's crowdfunding campaigns.",
    ),
    _i(
        "crowdfunding_amount",
        "Montant du financement participatif",
        "Crowdfunding amount",
        "trust",
        "€",
        "up",
        "sum",
        "Montant collecté par financement participatif.",
        "Amount raised through crowdfunding.",
    ),
    _i(
        "volunteer_hours",
        "Heures de bénévolat",
        "Volunteer hours",
        "trust",
        "heures",
        "up",
        "sum",
        "Heures de bénévolat données par des habitants à l'action de l'alliance.",
        "Volunteer hours given by residents to the alliance's work.",
    ),
    # Asked by the trust barometer collected in the app (``metrics.domain.barometer``).
    _i(
        "partner_engagement",
        "Engagement des partenaires",
        "Partners' engagement",
        "trust",
        "score 1-5",
        "up",
        "mean",
        "Engagement de chaque partenaire dans l'alliance, selon lui-même, baromètre (1 à 5).",
        "Each partner's own engagement in the alliance, barometer (1 to 5).",
    ),
    _i(
        "citizen_trust",
        "Confiance des habitants",
        "Citizens' trust",
        "trust",
        "score 1-5",
        "up",
        "mean",
        "Confiance des habitants dans l'alliance, baromètre (1 à 5).",
        "Residents' trust in the alliance, barometer (1 to 5).",
    ),
    _i(
        "citizen_involvement",
        "Implication des habitants",
        "Citizens' involvement",
        "trust",
        "score 1-5",
        "up",
        "mean",
        "Sentiment des habitants d'être associés à l'action de l'alliance, baromètre (1 à 5).",
        "Residents' feeling of being involved in the alliance's work, barometer (1 to 5).",
    ),
)

CATALOG += (
    # Scaling readiness: the success factors of scaling, scored 1-5 like the prerequisites.
    _i(
        "scaling_strategy",
        "Stratégie de développement partagée",
        "Shared development strategy",
        "scaling",
        "score 1-5",
        "up",
        "mean",
        "Facteur clé du changement d'échelle : une stratégie de développement partagée (1 à 5).",
        "Scaling success factor: a shared development strategy (1 to 5).",
    ),
    _i(
        "scaling_measurement",
        "Mesure des résultats et de l'impact collectif",
        "Measurement of results and collective impact",
        "scaling",
        "score 1-5",
        "up",
        "mean",
        "Facteur clé : la mesure des résultats et de l'impact collectif (1 à 5).",
        "Success factor: measuring results and collective impact (1 to 5).",
    ),
    _i(
        "scaling_resources",
        "Ressources humaines et financières",
        "Human and financial resources",
        "scaling",
        "score 1-5",
        "up",
        "mean",
        "Facteur clé : des ressources humaines et financières suffisantes (1 à 5).",
        "Success factor: enough human and financial resources (1 to 5).",
    ),
    _i(
        "scaling_ecosystem",
        "Écosystème favorable (origine et cible)",
        "Supportive ecosystem (origin and target)",
        "scaling",
        "score 1-5",
        "up",
        "mean",
        "Facteur clé : un écosystème favorable sur le territoire d'origine et le territoire "
        "cible (1 à 5).",
        "Success factor: a supportive ecosystem in the origin and the target territory (1 to 5).",
    ),
    # The outcome measured by a social impact bond on reoffending.
    _i(
        "reconviction_rate",
        "Récidive (condamnations pour 100 personnes)",
        "Reconvictions (per 100 people)",
        "innovation",
        "pour 100 personnes",
        "down",
        "mean",
        "Condamnations dans l'année suivant la sortie, pour 100 personnes de la cohorte.",
        "Reconvictions in the year after release, per 100 people of the cohort.",
    ),
)

READINESS: tuple[str, ...] = (
    "scaling_strategy",
    "scaling_measurement",
    "scaling_resources",
    "scaling_ecosystem",
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in CATALOG}

# The four prerequisites of co-construction, in the order the trust barometer shows them.
PREREQUISITES: tuple[str, ...] = (
    "shared_vision",
    "openness_to_difference",
    "mutual_respect",
    "shared_values",
)
