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
from metrics.sheets.schema import (
    BY_KIND,
    EXAMPLE_ALLIANCE,
    EXAMPLE_CONTRACT,
    README_SHEET,
    SHEETS,
    offered,
)

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
    "rules": [[EXAMPLE_ALLIANCE, "back_to_work", "<=", "people_supported", ""]],
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
    "participants": [[EXAMPLE_CONTRACT, "P-0001", "retour à l'emploi", dt.date(2024, 6, 30), 1]],
}


def write_workbook(
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    lang: str,
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
        sheet = book.add_worksheet(BY_KIND[kind].name(lang))
        for col, column in enumerate(BY_KIND[kind].template_columns):
            header = column.header(lang)
            sheet.write(0, col, header, bold)
            sheet.set_column(col, col, max(14, len(header) + 4))
            sheet.write_comment(0, col, column.help(lang))
            choices = offered(column, lang) if dropdowns else None
            if choices:
                sheet.data_validation(1, col, 5000, col, {"validate": "list", "source": choices})
        _write_rows(sheet, rows, date_format)
        sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _write_rows(sheet: Any, rows: Sequence[Sequence[Any]], date_format: Any) -> None:
    """Rows under the header: dates as dates, empty cells left empty."""
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif value is None or value == "":
                continue
            else:
                sheet.write(r, c, value)


def _write_readme(book: xlsxwriter.Workbook, lang: str, bold: Any, wrap: Any) -> None:
    sheet = book.add_worksheet(README_SHEET["fr"] if lang == "fr" else README_SHEET["en"])
    sheet.set_column(0, 1, 22)
    sheet.set_column(2, 3, 60)
    heads = ["feuille / sheet", "colonne / column", "explication (FR)", "explanation (EN)"]
    for col, head in enumerate(heads):
        sheet.write(0, col, head, bold)
    row = 1
    for declared in SHEETS:
        for column in declared.template_columns:
            sheet.write(row, 0, f"{declared.fr} / {declared.en}")
            sheet.write(row, 1, f"{column.fr} / {column.en}")
            sheet.write(row, 2, column.help_fr, wrap)
            sheet.write(row, 3, column.help_en, wrap)
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


def template(lang: str) -> bytes:
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


def to_csv(frame: pd.DataFrame, lang: str) -> bytes:
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
