"""Spreadsheet import: bytes + file name in, typed records and row-level problems out.

Parsing (:func:`parse`) and reference checking (:func:`resolve`) are pure functions; the store
writes the result in one transaction. The spreadsheet contract is declared in ``schema``; a
file's bytes become sheets of cells in ``files``; each sheet's header is found in ``layout``;
observations, the bulk of any file, are read as Arrow columns (``columnar``), the other sheets,
small by nature, row by row (``rows``); names are checked in ``references``. Problems are data
(``problem``): the pages and the CLI say them (``metrics.presentation.problems``).
"""

from __future__ import annotations

import hashlib

import pyarrow as pa

from metrics.base.text import key
from metrics.sheets import indigo, schema
from metrics.sheets.cells import blank
from metrics.sheets.coded import by_pair
from metrics.sheets.columnar import read_observations
from metrics.sheets.files import Table, check_limits, read_tables, refusal
from metrics.sheets.layout import Layout, detect, missing_fields, repeated_columns
from metrics.sheets.parsed import Parsed, Progress, Record
from metrics.sheets.problem import Problem
from metrics.sheets.references import Known, resolve
from metrics.sheets.rows import read_rows
from metrics.sheets.schema import CONTRACT_ROWS
from metrics.sheets.schema import OBSERVATION_FRAME as OBSERVATION_COLUMNS

__all__ = [
    "CONTRACT_ROWS",
    "OBSERVATION_COLUMNS",
    "Known",
    "Parsed",
    "Problem",
    "Progress",
    "Record",
    "by_pair",
    "check_limits",
    "parse",
    "read_tables",
    "refusal",
    "resolve",
]


def parse(content: bytes, file_name: str, progress: Progress | None = None) -> Parsed:
    """Read a CSV, XLSX or ODS file into typed records and row-level problems.

    Raises ``SpreadsheetError`` only when the file cannot be read at all; everything else is
    a ``Problem`` in ``Parsed.problems``.
    """
    report = progress or (lambda fraction, stage: None)
    report(0.05, "progress.reading")
    parsed = Parsed(file_name, content, hashlib.sha256(content).hexdigest())
    tables = (
        indigo.tables(content, file_name)
        if indigo.is_project(file_name)
        else read_tables(content, file_name)
    )
    report(0.3, "progress.checking")
    for number, table in enumerate(tables, start=1):
        if key(table.name) in schema.README_SHEETS:
            continue
        if _read_table(parsed, table):
            report(0.3 + 0.6 * number / len(tables), "progress.checking")
    _nothing_read(parsed, tables)
    # Reading in bulk passes through buffers far larger than what is kept: hand them back.
    pa.default_memory_pool().release_unused()
    report(1.0, "progress.done")
    return parsed


def _read_table(parsed: Parsed, table: Table) -> bool:
    """Read one sheet of the file, if it is one of the contract's; whether it was."""
    forced = schema.kind_named(table.name)
    layout = detect(table, forced)
    if layout is None and forced is not None:
        if any(not blank(row) for row in table.rows):
            parsed.problems.append(
                Problem(table.name, None, None, "", "err.no_header", (("kind", forced),))
            )
        return False
    if layout is None:
        parsed.sheets_ignored.append(table.name)
        return False
    parsed.sheets_read.append((table.name, layout.kind))
    _read_sheet(parsed, table, layout)
    return True


def _read_sheet(parsed: Parsed, table: Table, layout: Layout) -> None:
    """A sheet whose header has every required column, each once, read by its kind's reader;
    else a problem naming the columns."""
    headers = table.head[layout.header_row]
    missing = missing_fields(layout)
    for name in missing:
        column = schema.column(layout.kind, name)
        where = (("column", f"{column.fr} / {column.en}"),)
        parsed.problems.append(
            Problem(table.name, layout.header_row + 1, None, "", "err.missing_column", where)
        )
    twice = [] if missing else repeated_columns(headers, layout)
    for same in twice:
        columns = (("columns", ", ".join(same)),)
        parsed.problems.append(
            Problem(table.name, layout.header_row + 1, same[0], "", "err.duplicate_column", columns)
        )
    if missing or twice:
        return
    read = read_observations if layout.kind == "observations" else read_rows
    if not read(parsed, table, layout):
        # Only its header: fine beside other sheets (a template's unused sheet), refused when
        # the whole file holds no data (see ``_nothing_read``).
        parsed.sheets_empty.append(table.name)


def _nothing_read(parsed: Parsed, tables: list[Table]) -> None:
    """A file that holds no data is refused: its sheets are empty, or none is recognised."""
    has_rows = any(parsed.records.values()) or len(parsed.observations) or parsed.missing
    if parsed.sheets_empty and not has_rows and not parsed.problems:
        for name in parsed.sheets_empty:
            parsed.problems.append(Problem(name, None, None, "", "err.no_rows"))
    if not parsed.sheets_read and not parsed.problems:
        has_cells = any(not blank(row) for table in tables for row in table.rows)
        code = "err.no_recognised_sheet" if has_cells else "err.empty_file_problem"
        parsed.problems.append(Problem(parsed.file_name, None, None, "", code))
