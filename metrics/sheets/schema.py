"""The spreadsheet contract, declared once: every sheet and every column (``SHEETS``).

Each ``Sheet`` says its names in French and English and the other names it is known by, the
database table it fills, and its ``Column``s: field, headers in French and English, synonyms,
kind, whether it is required, help in both languages, the database column it fills. The readers
(which header means which field), the template (sheet names, headers, help, dropdowns), the
store's frames and the README's sheet tables derive from it or are tested against it
(``tests/test_schema.py``). The sheets are declared in ``reference_sheets`` and
``contract_sheets``; this module puts them in order and derives what the others read.
"""

from __future__ import annotations

from metrics.base import catalog
from metrics.base.text import key
from metrics.sheets.contract_sheets import (
    CONTRACTS,
    INVESTMENTS,
    PARTICIPANTS,
    PAYERS,
    PAYMENTS,
    PRICES,
)
from metrics.sheets.declaration import Column, Kind, Sheet
from metrics.sheets.reference_sheets import (
    ALLIANCES,
    INDICATORS,
    OBSERVATIONS,
    REPLICATIONS,
    RULES,
    STAKEHOLDERS,
    TARGETS,
)

__all__ = ["Column", "Kind", "Sheet"]

# In the template's order, which is also the order in which a sheet's kind is looked for.
SHEETS: tuple[Sheet, ...] = (
    ALLIANCES,
    STAKEHOLDERS,
    INDICATORS,
    OBSERVATIONS,
    TARGETS,
    RULES,
    REPLICATIONS,
    CONTRACTS,
    PRICES,
    PAYERS,
    INVESTMENTS,
    PAYMENTS,
    PARTICIPANTS,
)
BY_KIND: dict[str, Sheet] = {sheet.kind: sheet for sheet in SHEETS}
KINDS: tuple[str, ...] = tuple(BY_KIND)

# The vocabulary of each choice column, by the name its columns give (``Column.choices``), which
# is also that of its extra spellings in ``catalog.SYNONYMS``.
VOCABULARIES: dict[str, dict[str, dict[str, str]]] = {
    "stage": catalog.STAGES,
    "type": catalog.STAKEHOLDER_TYPES,
    "dimension": catalog.DIMENSIONS,
    "direction": catalog.DIRECTIONS,
    "aggregation": catalog.AGGREGATIONS,
    "mode": catalog.SCALING_MODES,
    "status": catalog.REPLICATION_STATUSES,
    "price_basis": catalog.PRICE_BASES,
    "investment_type": catalog.INVESTMENT_TYPES,
    "tranche": catalog.TRANCHES,
    "payment_nature": catalog.PAYMENT_NATURES,
    "surplus": catalog.SURPLUS,
    "payment_plan": catalog.PAYMENT_PLANS,
    "yes_no": catalog.YES_NO,
}

# Sheets that explain the file (the template's own among them) are skipped without a word.
README_SHEETS = frozenset(
    {"lisez_moi", "readme", "read_me", "notice", "aide", "help", "instructions"}
)
README_SHEET = {"fr": "lisez-moi", "en": "readme"}  # the template's

# The template's example rows name these: they never become data (a file that keeps them is
# refused, row by row, until they are deleted).
EXAMPLE_ALLIANCE = "Alliance exemple"
EXAMPLE_CONTRACT = "Contrat exemple"

# The rows of a contract (its rate card, payers, investments and ledger of payments), by kind:
# the fields that tell them apart within their contract, then their other fields.
CONTRACT_ROWS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    sheet.kind: (
        sheet.identity,
        tuple(f for f in sheet.fields if f not in ("contract", "alliance", *sheet.identity)),
    )
    for sheet in SHEETS
    if sheet.identity
}
CONTRACT_FIELDS: tuple[str, ...] = CONTRACTS.fields
# What a contract without a rate card is paid by: one improvement over the comparison group.
IMPROVEMENT_TERMS = (
    "indicator",
    "capital",
    "cohort_size",
    "baseline",
    "overall_threshold",
    "price",
)

# The store's frames. A period cell fills four columns; every row says where it came from.
PERIOD_PARTS = OBSERVATIONS.column("period").filled
SOURCE = ("source_sheet", "source_row")
# The file's observations as the store compares and writes them, in the order of the
# ``observation`` table's columns: one row per value.
OBSERVATION_FRAME: list[str] = [
    "alliance",
    "indicator",
    *PERIOD_PARTS,
    "stakeholder",
    "value",
    "comment",
    *SOURCE,
]
# The file's targets as the store compares and writes them.
TARGET_FRAME: list[str] = [*TARGETS.fields, *SOURCE]


def _fields_by_header(sheet: Sheet) -> dict[str, str]:
    """Each header's matching key -> the field it means (the first column that takes it)."""
    found: dict[str, str] = {}
    for column_ in sheet.columns:
        for header in sorted(column_.headers):
            found.setdefault(header, column_.field)
    return found


_FIELD_OF = {sheet.kind: _fields_by_header(sheet) for sheet in SHEETS}


def field_of(kind: str, header: str) -> str | None:
    """The field a header means in a sheet of ``kind``, or ``None``.

    >>> field_of("observations", "Période"), field_of("observations", "2023")
    ('period', None)
    """
    return _FIELD_OF[kind].get(key(header))


def kind_named(name: str) -> str | None:
    """The kind of sheet a sheet's name says, or ``None``.

    >>> kind_named("Données"), kind_named("Feuil1")
    ('observations', None)
    """
    k = key(name)
    return next((sheet.kind for sheet in SHEETS if k in sheet.names), None)


def column(kind: str, field: str) -> Column:
    """The column of ``field`` in a sheet of ``kind``."""
    return BY_KIND[kind].column(field)


def offered(column: Column, lang: str) -> list[str] | None:
    """The values the template's dropdown offers for a choice column (``None``: not a
    choice), by code or by label in ``lang``."""
    if column.choices is None:
        return None
    vocabulary = VOCABULARIES[column.choices]
    if column.offered_as == "code":
        return list(vocabulary)
    return [labels[lang] for labels in vocabulary.values()]
