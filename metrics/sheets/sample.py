"""The fictional sample alliances: a deterministic generator of a realistic workbook.

``build()`` returns the same XLSX bytes for the same seed, so the committed sample workbook can be
checked against it. Trends are smooth with noise, some values are missing (``n.d.``), and one
alliance (Roubaix) struggles.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from metrics.base.catalog import BY_CODE
from metrics.base.catalog import READINESS as FACTORS
from metrics.base.periods import Period, month, quarter, year
from metrics.sheets.workbook import write_workbook

FIRST_YEAR, LAST_YEAR = 2022, 2025
# The current year is reported up to its third quarter.
PARTIAL_YEAR, PARTIAL_QUARTERS = 2026, 3


@dataclass
class Series:
    """One indicator of one alliance: level at the start, yearly trend, noise, granularity."""

    indicator: str
    granularity: str
    level: float
    trend: float
    noise: float = 0.08
    stakeholders: tuple[str, ...] = ()
    decimals: int = 0
    low: float | None = 0.0
    high: float | None = None
    # Target for 2026 against the 2022 baseline: a ratio (x 1.8), or points added for scores.
    goal: float | None = None


@dataclass
class AllianceSpec:
    name: str
    territory: str
    code: str
    population: int
    theme: str
    started: dt.date
    stage: str
    stakeholders: list[tuple[str, str]]
    series: list[Series] = field(default_factory=list)
    missing_rate: float = 0.02


def _trust(
    names: tuple[str, ...], level: float, trend: float, goal: float | None = None
) -> list[Series]:
    """Yearly survey scores (1 to 5) given by each partner; targets on trust and shared vision."""
    codes = (
        "partner_trust",
        "shared_vision",
        "openness_to_difference",
        "mutual_respect",
        "shared_values",
    )
    return [
        Series(
            code,
            "year",
            level + 0.15 * i - 0.3,
            trend,
            0.04,
            names,
            1,
            1.0,
            5.0,
            goal if code in ("partner_trust", "shared_vision") else None,
        )
        for i, code in enumerate(codes)
    ]


# The partners of each alliance, named again in its series.
SAMBRE = (
    "Entreprises du Val de Sambre",
    "Ville de Maubeuge",
    "Mission locale Sambre",
    "Collectif d'habitants Sous-le-Bois",
)
ROUBAIX = ("Textiles du Nord", "Ville de Roubaix", "Association Rebond", "Université Lille")
ARMOR = (
    "Armor Emballages",
    "Saint-Brieuc Armor Agglomération",
    "Recyclerie du Gouët",
    "Fondation Littoral",
    "Lycée agricole de Saint-Brieuc",
)
CANTAL = (
    "Conseil départemental du Cantal",
    "Les Petits Frères du Cantal",
    "Coopérative laitière",
    "Habitants bénévoles",
)
DIOIS = ("Communauté des communes du Diois", "Covoit'Diois", "Transporteurs drômois")
NARBONNE = (
    "Grand Narbonne",
    "Cuisine centrale",
    "Maraîchers de la Clape",
    "Fondation Terres d'Oc",
    "Épicerie solidaire",
)
# The sample alliances, in the order they are written.
SPECS: tuple[AllianceSpec, ...] = (
    AllianceSpec(
        "Sambre Emploi Solidaire",
        "Maubeuge",
        "59392",
        29_300,
        "emploi",
        dt.date(2019, 3, 1),
        "consolidation",
        [
            (SAMBRE[0], "entreprise"),
            (SAMBRE[1], "collectivité"),
            (SAMBRE[2], "association"),
            (SAMBRE[3], "citoyen"),
            ("Fondation Nord Solidaire", "financeur"),
        ],
        [
            Series("jobs_created", "month", 6, 0.18, 0.3, goal=2.0),
            Series("back_to_work", "month", 14, 0.15, 0.25, goal=1.9),
            Series("unemployment_rate", "year", 17.8, -0.045, 0.01, decimals=1, goal=0.8),
            Series("recruitment_cost_saved", "year", 42_000, 0.2, 0.1, (SAMBRE[0],)),
            Series("staff_retention", "year", 61, 0.05, 0.04, (SAMBRE[0],), 0, 0, 100),
            Series(
                "public_spending_avoided",
                "year",
                180_000,
                0.18,
                0.08,
                (SAMBRE[1],),
                goal=1.9,
            ),
            Series("beneficiaries_reached", "year", 420, 0.12, 0.06, (SAMBRE[2],)),
            Series("budget_secured", "year", 150_000, 0.1, 0.1, ("Fondation Nord Solidaire",)),
            Series("forum_contributions", "quarter", 45, 0.2, 0.2),
            Series("volunteer_hours", "quarter", 600, 0.12, 0.1),
            *_trust((SAMBRE[0], SAMBRE[1], SAMBRE[2], SAMBRE[3]), 3.4, 0.05, 0.8),
        ],
    ),
    AllianceSpec(
        "Roubaix Quartiers Actifs",
        "Roubaix",
        "59512",
        98_800,
        "emploi",
        dt.date(2021, 10, 1),
        "expérimentation",
        [
            (ROUBAIX[0], "entreprise"),
            (ROUBAIX[1], "collectivité"),
            (ROUBAIX[2], "association"),
            (ROUBAIX[3], "académique"),
        ],
        [
            Series("jobs_created", "month", 5, -0.03, 0.45, goal=2.0),
            Series("back_to_work", "month", 11, 0.0, 0.4, goal=1.8),
            Series("unemployment_rate", "year", 19.5, 0.01, 0.015, decimals=1, goal=0.85),
            Series("recruitment_cost_saved", "year", 30_000, -0.05, 0.2, (ROUBAIX[0],)),
            Series("public_spending_avoided", "year", 90_000, 0.0, 0.2, (ROUBAIX[1],), goal=1.5),
            Series("beneficiaries_reached", "year", 300, 0.02, 0.15, (ROUBAIX[2],)),
            Series("forum_contributions", "quarter", 30, -0.12, 0.3),
            *_trust((ROUBAIX[0], ROUBAIX[1], ROUBAIX[2], ROUBAIX[3]), 3.1, -0.06, 0.8),
        ],
        missing_rate=0.12,
    ),
    AllianceSpec(
        "Recycl'Armor",
        "Saint-Brieuc",
        "22278",
        44_400,
        "recyclage",
        dt.date(2018, 6, 1),
        "changement d'échelle",
        [
            (ARMOR[0], "entreprise"),
            (ARMOR[1], "collectivité"),
            (ARMOR[2], "association"),
            (ARMOR[3], "financeur"),
            (ARMOR[4], "académique"),
        ],
        [
            Series("waste_recycled", "quarter", 310, 0.14, 0.08, decimals=1, goal=1.8),
            Series("new_services", "year", 2, 0.25, 0.3, goal=2.5),
            Series("businesses_created", "year", 3, 0.2, 0.3),
            Series("local_revenue", "year", 210_000, 0.15, 0.06, (ARMOR[0],), goal=1.8),
            Series("public_spending_avoided", "year", 260_000, 0.12, 0.06, (ARMOR[1],)),
            Series("volunteers", "year", 35, 0.1, 0.08, (ARMOR[2],)),
            Series("budget_secured", "year", 200_000, 0.08, 0.1, (ARMOR[3],)),
            Series("crowdfunding_backers", "year", 240, 0.2, 0.1),
            Series("crowdfunding_amount", "year", 18_000, 0.22, 0.1),
            *_trust((ARMOR[0], ARMOR[1], ARMOR[2], ARMOR[4]), 3.7, 0.04, 0.6),
        ],
    ),
    AllianceSpec(
        "Cantal Voisins Solidaires",
        "Cantal",
        "15",
        144_400,
        "isolement des aînés",
        dt.date(2020, 1, 15),
        "consolidation",
        [
            (CANTAL[0], "collectivité"),
            (CANTAL[1], "association"),
            (CANTAL[2], "entreprise"),
            (CANTAL[3], "citoyen"),
        ],
        [
            Series("isolated_elderly_visited", "month", 85, 0.12, 0.1, goal=1.6),
            Series("people_supported", "quarter", 140, 0.1, 0.1),
            Series("volunteers", "year", 120, 0.1, 0.05, (CANTAL[1],)),
            Series("public_spending_avoided", "year", 140_000, 0.1, 0.08, (CANTAL[0],), goal=1.5),
            Series("volunteer_hours", "month", 900, 0.1, 0.12, goal=1.5),
            Series("forum_contributions", "quarter", 25, 0.15, 0.2),
            *_trust((CANTAL[0], CANTAL[1], CANTAL[2], CANTAL[3]), 3.9, 0.03, 0.5),
        ],
    ),
    AllianceSpec(
        "Diois Mobilité Partagée",
        "Die",
        "26113",
        4_500,
        "mobilité",
        dt.date(2021, 4, 1),
        "expérimentation",
        [
            (DIOIS[0], "collectivité"),
            (DIOIS[1], "association"),
            (DIOIS[2], "entreprise"),
            ("Habitants du Diois", "citoyen"),
        ],
        [
            Series("shared_trips", "month", 320, 0.2, 0.12, goal=2.1),
            Series("new_services", "year", 1, 0.3, 0.4),
            Series("local_revenue", "year", 48_000, 0.1, 0.08, (DIOIS[2],)),
            Series("beneficiaries_reached", "year", 260, 0.15, 0.08, (DIOIS[1],), goal=1.8),
            Series("crowdfunding_backers", "year", 90, 0.1, 0.15),
            Series("crowdfunding_amount", "year", 6_500, 0.1, 0.15),
            *_trust((DIOIS[0], DIOIS[1], DIOIS[2], "Habitants du Diois"), 3.6, 0.04, 0.6),
        ],
    ),
    AllianceSpec(
        "Narbonne Terres Nourricières",
        "Narbonne",
        "11262",
        56_500,
        "alimentation",
        dt.date(2020, 9, 1),
        "consolidation",
        [
            (NARBONNE[0], "collectivité"),
            (NARBONNE[1], "entreprise"),
            (NARBONNE[2], "entreprise"),
            (NARBONNE[3], "financeur"),
            (NARBONNE[4], "association"),
        ],
        [
            Series(
                "local_food_share",
                "quarter",
                22,
                0.12,
                0.04,
                decimals=1,
                low=0,
                high=100,
                goal=1.7,
            ),
            Series("businesses_created", "year", 2, 0.2, 0.3),
            Series("jobs_created", "quarter", 6, 0.12, 0.25),
            Series("local_revenue", "year", 120_000, 0.16, 0.06, (NARBONNE[2],), goal=1.9),
            Series("budget_secured", "year", 90_000, 0.05, 0.1, (NARBONNE[3],)),
            Series("beneficiaries_reached", "year", 800, 0.08, 0.06, (NARBONNE[4],)),
            Series("volunteer_hours", "quarter", 350, 0.1, 0.12),
            *_trust((NARBONNE[0], NARBONNE[1], NARBONNE[2], NARBONNE[4]), 3.5, 0.05, 0.6),
        ],
    ),
)


def _periods(granularity: str) -> list[Period]:
    periods: list[Period] = []
    for y in range(FIRST_YEAR, PARTIAL_YEAR + 1):
        quarters = range(1, 5) if y < PARTIAL_YEAR else range(1, PARTIAL_QUARTERS + 1)
        if granularity == "year":
            if y < PARTIAL_YEAR:
                periods.append(year(y))
        elif granularity == "quarter":
            periods.extend(quarter(y, q) for q in quarters)
        else:
            periods.extend(month(y, m) for q in quarters for m in range(3 * q - 2, 3 * q + 1))
    return periods


MONTH_NAMES = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def _as_typed(period: Period, rng: random.Random) -> str:
    """Periods spelled the various ways committees type them."""
    y, m = period.start.year, period.start.month
    if period.granularity == "year":
        return str(y)
    if period.granularity == "quarter":
        return f"T{(m - 1) // 3 + 1} {y}"
    return rng.choice([f"{m:02d}/{y}", f"{MONTH_NAMES[m - 1]} {y}", f"{y}-{m:02d}"])


def _value(series: Series, period: Period, rng: random.Random, bias: float = 0.0) -> float:
    years = (period.start - dt.date(FIRST_YEAR, 1, 1)).days / 365.25
    level = series.level * (1 + series.trend) ** years if series.trend > -1 else series.level
    if series.indicator in {
        "partner_trust",
        "shared_vision",
        "openness_to_difference",
        "mutual_respect",
        "shared_values",
    }:
        level = series.level + series.trend * 4 * years + bias
    if period.granularity == "month" and series.granularity == "month":
        level *= 1 + 0.12 * (
            (period.start.month in (7, 8)) * -1 + (period.start.month in (3, 10)) * 0.5
        )
    value = level * (1 + rng.gauss(0, series.noise))
    if series.low is not None:
        value = max(series.low, value)
    if series.high is not None:
        value = min(series.high, value)
    return round(value, series.decimals)


SCORES = {
    "partner_trust",
    "shared_vision",
    "openness_to_difference",
    "mutual_respect",
    "shared_values",
}
RULES = {indicator.code: indicator.aggregation for indicator in BY_CODE.values()}


def _baseline(series: Series, first_year: dict[str, list[float]]) -> float | None:
    """The 2022 value at alliance level, by the indicator's rules (see metrics.domain.impact)."""
    rule = RULES[series.indicator]
    per_owner = []
    for values in first_year.values():
        if not values:
            continue
        per_owner.append(
            sum(values)
            if rule == "sum"
            else sum(values) / len(values)
            if rule == "mean"
            else values[-1]
        )
    if not per_owner:
        return None
    return sum(per_owner) / len(per_owner) if rule == "mean" else sum(per_owner)


def _rows(spec: AllianceSpec, rng: random.Random) -> tuple[list[list[Any]], list[list[Any]]]:
    observations: list[list[Any]] = []
    targets: list[list[Any]] = []
    for series in spec.series:
        owners = series.stakeholders or ("",)
        biases = {name: rng.uniform(-0.4, 0.4) for name in owners}
        first_year: dict[str, list[float]] = {owner: [] for owner in owners}
        for period in _periods(series.granularity):
            for owner in owners:
                value: Any = _value(series, period, rng, biases[owner])
                if period.start.year == FIRST_YEAR:
                    # The baseline comes from the alliance's own complete records.
                    first_year[owner].append(value)
                # Monthly counts are kept by the teams themselves and rarely go missing.
                rate = spec.missing_rate / (4 if series.granularity == "month" else 1)
                if rng.random() < rate:
                    value = "n.d."
                observations.append(
                    [spec.name, series.indicator, _as_typed(period, rng), value, owner, ""]
                )
        baseline = _baseline(series, first_year)
        if series.goal is None or baseline is None:
            continue
        if series.indicator in SCORES:
            baseline, target = round(baseline, 2), round(baseline + series.goal, 1)
        else:
            digits = 1 if baseline < 100 else 0
            baseline, target = round(baseline, digits), round(baseline * series.goal, digits)
        targets.append([spec.name, series.indicator, str(FIRST_YEAR), baseline, "2026", target])
    return observations, targets


# Where each alliance started (decimal degrees), for the map of its replication sites.
COORDINATES = {
    "Sambre Emploi Solidaire": (50.278, 3.973),
    "Roubaix Quartiers Actifs": (50.692, 3.178),
    "Recycl'Armor": (48.514, -2.765),
    "Cantal Voisins Solidaires": (44.926, 2.440),
    "Diois Mobilité Partagée": (44.754, 5.370),
    "Narbonne Terres Nourricières": (43.184, 3.004),
}
# Scaling readiness, per alliance: level in 2022 and yearly change of the four factors.
READINESS = {
    "Recycl'Armor": (3.6, 0.25),
    "Sambre Emploi Solidaire": (3.1, 0.2),
    "Cantal Voisins Solidaires": (3.0, 0.15),
    "Diois Mobilité Partagée": (2.8, 0.2),
    "Narbonne Terres Nourricières": (2.9, 0.15),
    "Roubaix Quartiers Actifs": (2.4, -0.05),
}
# alliance, mode, territory, INSEE code, started, status, beneficiaries, latitude, longitude
REPLICATIONS: list[list[Any]] = [
    [
        "Recycl'Armor",
        "approfondissement",
        "Saint-Brieuc",
        "22278",
        dt.date(2019, 9, 1),
        "actif",
        1800,
        48.514,
        -2.765,
        "tri à la source dans les quartiers",
    ],
    [
        "Recycl'Armor",
        "duplication",
        "Lannion",
        "22113",
        dt.date(2022, 3, 1),
        "actif",
        950,
        48.732,
        -3.459,
        "",
    ],
    [
        "Recycl'Armor",
        "duplication",
        "Guingamp",
        "22070",
        dt.date(2023, 5, 1),
        "actif",
        600,
        48.562,
        -3.150,
        "",
    ],
    [
        "Recycl'Armor",
        "diversification",
        "Saint-Brieuc",
        "22278",
        dt.date(2024, 1, 15),
        "actif",
        300,
        48.514,
        -2.765,
        "atelier textile",
    ],
    [
        "Recycl'Armor",
        "mise à disposition",
        "Quimper",
        "29232",
        dt.date(2026, 9, 1),
        "prévu",
        "",
        47.996,
        -4.102,
        "méthode transmise à une recyclerie",
    ],
    [
        "Sambre Emploi Solidaire",
        "duplication",
        "Avesnes-sur-Helpe",
        "59036",
        dt.date(2023, 9, 1),
        "actif",
        420,
        50.123,
        3.928,
        "",
    ],
    [
        "Sambre Emploi Solidaire",
        "mise à disposition",
        "Valenciennes",
        "59606",
        dt.date(2026, 10, 1),
        "prévu",
        "",
        50.358,
        3.523,
        "",
    ],
    [
        "Cantal Voisins Solidaires",
        "duplication",
        "Aveyron",
        "12",
        dt.date(2024, 4, 1),
        "actif",
        380,
        44.350,
        2.575,
        "réseau de visiteurs bénévoles",
    ],
    [
        "Cantal Voisins Solidaires",
        "approfondissement",
        "Cantal",
        "15",
        dt.date(2022, 1, 1),
        "actif",
        1200,
        44.926,
        2.440,
        "visites à domicile",
    ],
    [
        "Diois Mobilité Partagée",
        "duplication",
        "Crest",
        "26108",
        dt.date(2024, 6, 1),
        "actif",
        260,
        44.728,
        5.022,
        "",
    ],
    [
        "Diois Mobilité Partagée",
        "duplication",
        "Nyons",
        "26220",
        dt.date(2022, 5, 1),
        "arrêté",
        90,
        44.361,
        5.140,
        "faute de conducteurs bénévoles",
    ],
    [
        "Narbonne Terres Nourricières",
        "diversification",
        "Narbonne",
        "11262",
        dt.date(2023, 2, 1),
        "actif",
        500,
        43.184,
        3.004,
        "légumerie",
    ],
    [
        "Narbonne Terres Nourricières",
        "mise à disposition",
        "Béziers",
        "34032",
        dt.date(2026, 12, 1),
        "prévu",
        "",
        43.344,
        3.216,
        "",
    ],
]

# The reference social impact bond: Peterborough prison (UK), 2010, from its published figures
# only: short-sentence prisoners in cohorts; payment if reconviction events fall by 10 % in a
# cohort or by 7.5 % across all cohorts, against a matched comparison group; GBP 5 million from
# 17 social investors, returns capped at 13 % a year. Cohort 1: 142 reconviction events per 100
# prisoners against 155 in its comparison group (8.39 % fewer: it misses 10 %); the final result
# across the cohorts: 9.02 % fewer (it passes 7.5 %); investors got "just over 3 % a year".
# Not published, hence marked illustrative in the contract (the page and the JSON say so): the
# cohort size and the population measured (about 1,000 a cohort, two cohorts counted), the price
# per reconviction avoided (chosen so that investors get just over 3 % a year), the final
# result's absolute level (9.02 % below 155) and when the capital was drawn. No payment cap nor
# saving per unit is given: the figures once shown here for them were not published.
PETERBOROUGH = "Peterborough One Service"
PETERBOROUGH_ROWS: dict[str, list[list[Any]]] = {
    "alliances": [
        [
            PETERBOROUGH,
            "Peterborough (Royaume-Uni)",
            "",
            202_000,
            "récidive",
            dt.date(2010, 9, 1),
            "consolidation",
            52.573,
            -0.241,
        ]
    ],
    "stakeholders": [
        [PETERBOROUGH, "Cohorte 1", "cohorte"],
        [PETERBOROUGH, "Cohorte 2", "cohorte"],
        [PETERBOROUGH, "Ministry of Justice", "collectivité"],
        [PETERBOROUGH, "St Giles Trust", "association"],
        [PETERBOROUGH, "Social Finance", "financeur"],
    ],
    "observations": [
        [
            PETERBOROUGH,
            "reconviction_rate",
            "2014",
            142,
            "Cohorte 1",
            "publié : 142 pour 155 dans le groupe de comparaison",
        ],
        [
            PETERBOROUGH,
            "reconviction_rate",
            "2017",
            141.019,
            "",
            "publié : 9,02 % sous le groupe de comparaison ; niveau illustratif (155 × 0,9098)",
        ],
    ],
    "targets": [[PETERBOROUGH, "reconviction_rate", "2010", 155, "2017", 143.375]],
    "contracts": [
        [
            "Peterborough SIB",
            PETERBOROUGH,
            "reconviction_rate",
            "Ministry of Justice, Big Lottery Fund",
            "17 investisseurs sociaux",
            5_000_000,
            "GBP",
            dt.date(2010, 9, 1),
            dt.date(2017, 7, 31),
            1000,
            155,
            100,
            10,
            7.5,
            22_100,
            None,
            13,
            None,
            2000,
            "taille_cohorte, effectif, prix_unitaire, investissements",
        ]
    ],
    # The GBP 5 million raised, drawn in full at the start (when it was drawn is not published):
    # the investors' IRR on it is then the "just over 3 % a year" that was.
    "investments": [
        [
            "Peterborough SIB",
            "17 investisseurs sociaux",
            "fonds propres",
            "senior",
            5_000_000,
            dt.date(2010, 9, 1),
            5_000_000,
        ]
    ],
}


# Two outcome contracts as French ones are written (fictional, like the alliances they pay):
# - Sambre's "contrat à impact": a rate card of two outcomes counted each quarter (a job kept
#   six months, a return to work), the State and an outcome fund paying 60 % and 40 %, a
#   senior loan drawn in two tranches (the bank's statements recording 410,000 paid back) and a
#   foundation's subordinate equity; the ledger records each quarter's settlement per payer and
#   outcome (the last one 10,000 short on lasting jobs) and a support payment that pays no
#   outcome.
# - Roubaix's: paid if local unemployment falls by 10 % or more (it did not); a senior loan
#   under a public guarantee and a subordinate investor: nothing was paid, the guarantee
#   covers half of the bank's loss, the subordinate investor loses everything.
SAMBRE_CONTRACT = "Contrat à impact Sambre emploi"
ROUBAIX_CONTRACT = "Contrat à impact Roubaix chômage"


def _sambre_settlements() -> list[list[Any]]:
    """Sambre's ledger: each quarter's outcomes (what its rate card makes due on the sample's
    values: lasting jobs, returns to work) settled 45 days after the quarter, the State 60 %,
    the fund 40 %, per outcome; the fund's last settlement is 10,000 short."""
    due = [  # quarter's end, lasting jobs, returns to work
        (dt.date(2023, 3, 31), 75_000, 37_800),
        (dt.date(2023, 6, 30), 37_500, 53_100),
        (dt.date(2023, 9, 30), 52_500, 52_200),
        (dt.date(2023, 12, 31), 65_000, 62_100),
        (dt.date(2024, 3, 31), 45_000, 55_800),
        (dt.date(2024, 6, 30), 77_500, 62_100),
        (dt.date(2024, 9, 30), 75_000, 63_900),
        (dt.date(2024, 12, 31), 75_000, 52_200),
        (dt.date(2025, 3, 31), 75_000, 10_800),
        (dt.date(2025, 6, 30), 72_500, 0),
    ]
    rows: list[list[Any]] = []
    for end, jobs, returns in due:
        paid_on = end + dt.timedelta(days=45)
        for payer, share in (("État", 0.6), ("Fonds d'innovation sociale", 0.4)):
            for outcome, amount in (("emploi durable", jobs), ("retour à l'emploi", returns)):
                if amount:
                    rows.append(
                        [SAMBRE_CONTRACT, paid_on, payer, outcome, round(amount * share, 2), ""]
                    )
    rows[-1][4] -= 10_000  # the fund's last one: 29,000 due, 19,000 paid
    return rows


RATE_CARD_ROWS: dict[str, list[list[Any]]] = {
    "contracts": [
        [
            SAMBRE_CONTRACT,
            "Sambre Emploi Solidaire",
            "back_to_work",
            "État ; Fonds d'innovation sociale",
            "Banque solidaire du Nord ; Fondation Nord Solidaire",
            650_000,
            "EUR",
            dt.date(2023, 1, 1),
            dt.date(2026, 12, 31),
            "",
            "",
            "",
            "",
            "",
            "",
            1_200_000,
            8,
        ],
        [
            ROUBAIX_CONTRACT,
            "Roubaix Quartiers Actifs",
            "unemployment_rate",
            "Métropole européenne de Lille",
            "Banque des territoires ; Fonds citoyen",
            400_000,
            "EUR",
            dt.date(2022, 1, 1),
            dt.date(2025, 12, 31),
            1000,
            19.5,
            100,
            "",
            10,
            "",
            "",
            6,
        ],
    ],
    "prices": [
        [SAMBRE_CONTRACT, "emploi durable", "jobs_created", "nombre", 2_500, "", 260, ""],
        [SAMBRE_CONTRACT, "retour à l'emploi", "back_to_work", "nombre", 900, "", "", 450_000],
        [
            ROUBAIX_CONTRACT,
            "baisse du chômage",
            "unemployment_rate",
            "amélioration",
            400,
            10,
            "",
            "",
        ],
    ],
    "payers": [
        [SAMBRE_CONTRACT, "État", 800_000, 60],
        [SAMBRE_CONTRACT, "Fonds d'innovation sociale", 600_000, 40],
        [ROUBAIX_CONTRACT, "Métropole européenne de Lille", 500_000, ""],
    ],
    "investments": [
        [
            SAMBRE_CONTRACT,
            "Banque solidaire du Nord",
            "prêt",
            "senior",
            400_000,
            dt.date(2023, 1, 16),
            250_000,
        ],
        [
            SAMBRE_CONTRACT,
            "Banque solidaire du Nord",
            "prêt",
            "senior",
            400_000,
            dt.date(2023, 9, 1),
            150_000,
        ],
        # What the bank's statements record it was paid (410,000, its capital and interest).
        *(
            [
                SAMBRE_CONTRACT,
                "Banque solidaire du Nord",
                "prêt",
                "senior",
                400_000,
                day,
                "",
                "",
                paid,
            ]
            for day, paid in ((dt.date(2023, 12, 31), 250_000), (dt.date(2024, 3, 31), 160_000))
        ),
        [
            SAMBRE_CONTRACT,
            "Fondation Nord Solidaire",
            "fonds propres",
            "subordonnée",
            250_000,
            dt.date(2023, 1, 16),
            250_000,
        ],
        [
            ROUBAIX_CONTRACT,
            "Banque des territoires",
            "prêt",
            "senior",
            300_000,
            dt.date(2022, 2, 1),
            300_000,
        ],
        [
            ROUBAIX_CONTRACT,
            "Fonds citoyen",
            "fonds propres",
            "subordonnée",
            100_000,
            dt.date(2022, 2, 1),
            100_000,
        ],
        [
            ROUBAIX_CONTRACT,
            "Garantie publique",
            "garantie",
            "senior",
            150_000,
            dt.date(2022, 2, 1),
            "",
        ],
    ],
    "payments": [
        *_sambre_settlements(),
        [SAMBRE_CONTRACT, dt.date(2024, 6, 28), "Fonds d'innovation sociale", "", 20_000, "autre"],
    ],
}


def _readiness(name: str, rng: random.Random) -> list[list[Any]]:
    level, trend = READINESS[name]
    rows = []
    for offset, year_ in enumerate(range(FIRST_YEAR, LAST_YEAR + 1)):
        for index, code in enumerate(FACTORS):
            value = level + 0.15 * index - 0.2 + trend * offset + rng.gauss(0, 0.12)
            rows.append([name, code, str(year_), round(min(5.0, max(1.0, value)), 1), "", ""])
    return rows


def build(seed: int = 42) -> bytes:
    """The sample workbook, in French, as XLSX bytes (identical for the same seed)."""
    rng = random.Random(seed)
    sheets: dict[str, list[list[Any]]] = {
        k: []
        for k in (
            "alliances",
            "stakeholders",
            "observations",
            "targets",
            "replications",
            "contracts",
            "prices",
            "payers",
            "investments",
            "payments",
        )
    }
    for spec in SPECS:
        sheets["alliances"].append(
            [
                spec.name,
                spec.territory,
                spec.code,
                spec.population,
                spec.theme,
                spec.started,
                spec.stage,
                *COORDINATES[spec.name],
            ]
        )
        sheets["stakeholders"].extend([spec.name, n, t] for n, t in spec.stakeholders)
        observations, targets = _rows(spec, rng)
        sheets["observations"].extend(observations)
        sheets["targets"].extend(targets)
        sheets["observations"].extend(_readiness(spec.name, rng))
    sheets["replications"] = REPLICATIONS
    for kind, rows in (*PETERBOROUGH_ROWS.items(), *RATE_CARD_ROWS.items()):
        sheets[kind].extend(rows)
    return write_workbook(sheets, "fr")


PENDING_FILE = "sambre_octobre_2026.csv"

# The demo alliance's steering committee: (author, kind, text, indicator, period); the last
# note is then edited by its author (``DEMO_NOTE_EDIT`` added), so that it has two versions.
DEMO_NOTES = (
    (
        "lead@demo.example",
        "decision",
        "Comité du 12 mars 2026 : les données 2025 sont validées. L'objectif de retours à "
        "l'emploi pour 2026 est maintenu ; un point trimestriel est demandé sur les moins de "
        "26 ans.",
        "back_to_work",
        "2025",
    ),
    (
        "lead@demo.example",
        "note",
        "La chambre de commerce rejoint l'alliance en 2026 : ses premières données sont "
        "attendues pour le deuxième trimestre.",
        None,
        None,
    ),
    (
        "editor@demo.example",
        "note",
        "Baisse au printemps : l'atelier de Maubeuge a fermé six semaines pour travaux.",
        "jobs_created",
        "2025",
    ),
)
DEMO_NOTE_EDIT = " Il a rouvert le 2 juin ; rattrapage attendu au second semestre."


def pending_update() -> bytes:
    """The demo's update that its steering committee has not validated yet: October's figures
    of the demo alliance, as French Excel saves a CSV (semicolons, Windows-1252), and the
    first quarter's forum contributions that were missing, typed with a zero too many (a
    value to check: about 13 times the usual)."""
    rows = [
        "alliance;indicateur;période;valeur;commentaire",
        "Sambre Emploi Solidaire;jobs_created;octobre 2026;11;relevé provisoire",
        "Sambre Emploi Solidaire;back_to_work;octobre 2026;24;relevé provisoire",
        "Sambre Emploi Solidaire;forum_contributions;T1 2026;1020;rattrapage",
    ]
    return ("\r\n".join(rows) + "\r\n").encode("cp1252")
