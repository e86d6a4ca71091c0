"""The largest file an import takes, set once: checked before a file is read, shown on the data
page, and matched by Streamlit's upload limit (``server.maxUploadSize``, a test checks it).

Measured (``tests/benchmarks/bench_import.py``, README "Speed"): a CSV of 1,000,000 values
(42 MB) imports in about 2.5 s with about 660 MB of memory at its peak; an XLSX of 100,000 rows in
about 1.2 s with under 250 MB.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass

MB = 1024 * 1024  # as Streamlit counts its upload limit
MAX_FILE_MB = 50
MAX_ROWS = 1_000_000  # rows of one sheet, header and title rows included
MAX_COLUMNS = 200  # columns of one sheet
MAX_XML_MB = 256  # one worksheet of a workbook, once uncompressed
MAX_CELL = 32_767  # characters of one cell, as in a spreadsheet
MAX_SHEETS = 50  # sheets of one workbook
MAX_CELLS = 20_000_000  # cells of one sheet, empty ones included (rows × columns it spans)
MAX_NOTE = 5_000  # characters of a steering committee's note or decision
MAX_SURVEY_WORDS = 1_000  # characters of what a citizen expects of the alliance (barometer)
# The worker process that reads a file (metrics.sheets.isolation): its address space and CPU time,
# which an installation may set (``IMPACT_PARSE_MB``, ``IMPACT_PARSE_SECONDS``). Reading the
# largest file the limits above allow takes about 1.8 GB of address space and 1 s of CPU.
MAX_PARSE_MB = int(os.environ.get("IMPACT_PARSE_MB") or 3072)
MAX_PARSE_SECONDS = int(os.environ.get("IMPACT_PARSE_SECONDS") or 120)

# Only references that could pass a limit are looked at (rows of 6 digits or more, columns of
# two letters or more), in one pass that starts from a literal, so that an ordinary sheet is
# scanned at the speed of a byte search; the attribute's boundary is checked per match.
_FAR = re.compile(rb'r="(?:[A-Z]{0,3}([0-9]{6,7})"|([A-Z]{2,3})[0-9])')
_SPACE = b" \t\r\n"
_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]*[0-9]*:?([A-Z]{1,3})([0-9]{1,7})"')
_ODS_TABLE = re.compile(rb"<table:table\s")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Breach:
    """Which limit a file passes: ``size``, ``rows``, ``columns``, ``cells``, ``sheets`` or
    ``unpacked``; ``where`` is
    the sheet (or the file), ``found`` what it holds."""

    limit: str
    where: str
    found: int

    @property
    def allowed(self) -> int:
        return {
            "size": MAX_FILE_MB,
            "rows": MAX_ROWS,
            "columns": MAX_COLUMNS,
            "unpacked": MAX_XML_MB,
            "sheets": MAX_SHEETS,
            "cells": MAX_CELLS,
        }[self.limit]


def column_number(letters: bytes) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def csv_breach(content: bytes, name: str) -> Breach | None:
    """Rows counted by line breaks (quoted line breaks make it an upper bound)."""
    rows = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    if rows > MAX_ROWS:
        return Breach("rows", name, rows)
    return None


def xlsx_breach(content: bytes) -> Breach | None:
    """The extent of each worksheet, read from its cell references without building it (a
    single cell at ``XFD1048576`` makes a sheet of 17 billion cells for a spreadsheet reader)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        for info in archive.infolist():
            # Any part (a sheet, the shared strings of an XLSX, the content of an ODS) that
            # unpacks beyond the limit: a few kilobytes can inflate to gigabytes.
            if info.file_size > MAX_XML_MB * MB:
                return Breach("unpacked", info.filename, -(-info.file_size // MB))
        members = [
            info
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        ]
        if "content.xml" in archive.namelist():  # an ODS workbook: its tables, counted
            with archive.open("content.xml") as stream:
                sheets, tail = 0, b""
                while chunk := stream.read(_CHUNK):
                    sheets += len(_ODS_TABLE.findall(tail + chunk)) - len(_ODS_TABLE.findall(tail))
                    tail = chunk[-20:]
            if sheets > MAX_SHEETS:
                return Breach("sheets", "content.xml", sheets)
        if len(members) > MAX_SHEETS:
            return Breach("sheets", "xl/worksheets", len(members))
        for info in members:
            rows = columns = 0
            tail = b""
            with archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    text = tail + chunk
                    if not tail:  # the extent the sheet declares, before its cells
                        declared = _DIMENSION.search(text)
                        if declared:
                            columns = column_number(declared.group(1))
                            rows = int(declared.group(2))
                    for match in _FAR.finditer(text):
                        if match.start() == 0 or text[match.start() - 1] not in _SPACE:
                            continue  # another attribute whose name ends in r
                        row, letters = match.groups()
                        if row:
                            rows = max(rows, int(row))
                        else:
                            columns = max(columns, column_number(letters))
                    tail = text[-200:]
            name = info.filename.rsplit("/", 1)[-1]
            if rows > MAX_ROWS:
                return Breach("rows", name, rows)
            if columns > MAX_COLUMNS:
                return Breach("columns", name, columns)
            if rows * columns > MAX_CELLS:
                return Breach("cells", name, rows * columns)
    except (zipfile.BadZipFile, OSError, EOFError):
        return None  # not a readable workbook: the reader says so
    return None


def size_breach(size: int, name: str) -> Breach | None:
    """A file of ``size`` bytes against the size limit (the CLI asks before reading it)."""
    return Breach("size", name, -(-size // MB)) if size > MAX_FILE_MB * MB else None


def breach(content: bytes, name: str, workbook: bool) -> Breach | None:
    """The first limit ``content`` passes, or ``None``."""
    too_large = size_breach(len(content), name)
    if too_large is not None:
        return too_large
    if not workbook:
        return csv_breach(content, name)
    if content[:4] == b"PK\x03\x04":
        return xlsx_breach(content)
    return None
