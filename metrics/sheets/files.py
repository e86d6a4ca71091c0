"""File formats: a file's bytes as sheets of cells (``read_tables``).

Workbooks (XLSX, XLSM, XLS, XLSB, ODS) are read by python-calamine, their error cells found in
the XML; a CSV is one sheet, its encoding (UTF-8 or Windows-1252, decided once for the file)
and its delimiter guessed, its rows read only when asked for. A file beyond ``limits`` is
refused before any reader sees it.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from python_calamine import CalamineWorkbook

from metrics.base import limits
from metrics.base.errors import SpreadsheetError
from metrics.sheets.cells import Cell

HEADER_SEARCH_ROWS = 30  # a sheet's header row is looked for among its first rows


@dataclass(frozen=True)
class CsvSource:
    """A CSV file kept as bytes: its first rows are read to find the header, the rest is read
    in bulk into columns (or row by row when it must be)."""

    content: bytes
    encoding: str
    delimiter: str


csv.field_size_limit(limits.MAX_CELL)  # this module is the only reader of CSV in the process


def csv_rows(text: str, source: CsvSource, strict: bool = True) -> list[list[Cell]]:
    """Every row of a CSV text. ``strict``: a quote never closed, text after a closing quote
    or a cell longer than a spreadsheet's cell is refused, naming the line where its row
    starts (a field left open would otherwise swallow the rest of the file)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=source.delimiter, strict=strict)
    rows: list[list[Cell]] = []
    line = 1
    try:
        for row in reader:
            rows.append(list(row))
            line = reader.line_num + 1
    except csv.Error as e:
        if not strict:
            return rows
        reason = str(e)
        key_ = (
            "err.csv_long_cell"
            if "field limit" in reason
            else "err.csv_open_quote"
            if "end of data" in reason
            else "err.csv_quote"
        )
        raise SpreadsheetError.of(key_, line=line, limit=limits.MAX_CELL) from e
    return rows


class Table:
    """One sheet: its rows of cells. A CSV's rows are read only when asked for."""

    def __init__(
        self, name: str, rows: list[list[Cell]] | None = None, csv_source: CsvSource | None = None
    ) -> None:
        self.name = name
        self.csv = csv_source
        self._rows = rows

    @property
    def rows(self) -> list[list[Cell]]:
        if self._rows is None:
            assert self.csv is not None
            text = self.csv.content.decode(self.csv.encoding, errors="replace")
            self._rows = csv_rows(text, self.csv)
        return self._rows

    @property
    def head(self) -> list[list[Cell]]:
        """The first rows, where the header is looked for."""
        if self._rows is not None or self.csv is None:
            return self.rows[:HEADER_SEARCH_ROWS]
        source = self.csv
        prefix = source.content[: 1 << 20]
        text = prefix.decode(source.encoding, errors="ignore")
        if len(prefix) < len(source.content):
            text = text[: text.rfind("\n") + 1]  # whole lines only
        # Not strict: the first megabyte may end inside a quoted cell that goes on after it.
        rows = csv_rows(text, source, strict=False)[: HEADER_SEARCH_ROWS + 1]
        if len(prefix) < len(source.content) and len(rows) <= HEADER_SEARCH_ROWS:
            return self.rows[:HEADER_SEARCH_ROWS]
        return rows[:HEADER_SEARCH_ROWS]


def _is_workbook(content: bytes, file_name: str) -> bool:
    suffix = PurePath(file_name).suffix.lower()
    is_zip = content[:4] == b"PK\x03\x04"
    is_ole = content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return suffix in {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"} or is_zip or is_ole


def check_limits(content: bytes, file_name: str) -> None:
    """Refuse at once, naming the limit, a file beyond ``limits`` (before reading it)."""
    over = limits.breach(content, file_name, _is_workbook(content, file_name))
    if over is not None:
        raise refusal(over)


def refusal(over: limits.Breach) -> SpreadsheetError:
    """The refusal of a file beyond a limit, naming it."""
    return SpreadsheetError.of(
        f"err.limit_{over.limit}", where=over.where, found=over.found, allowed=over.allowed
    )


def read_tables(content: bytes, file_name: str) -> list[Table]:
    """Every sheet of the file as a list of rows of cells (CSV: one table)."""
    if not content or not content.strip():
        raise SpreadsheetError.of("err.empty_file", file=file_name)
    check_limits(content, file_name)
    if _is_workbook(content, file_name):
        return _read_workbook(content, file_name)
    return [read_csv(content, file_name)]


class ExcelError(str):
    """An error cell of a workbook (``#DIV/0!``, ``#N/A``, ``#REF!``...): never a number; a
    value that holds one is counted as missing, by its name."""

    is_error = True


def _read_workbook(content: bytes, file_name: str) -> list[Table]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        errors = _error_cells(content)
        tables = []
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for (row, column), error in errors.get(name, {}).items():
                if row < len(rows) and column < len(rows[row]):
                    rows[row][column] = ExcelError(error)
            tables.append(Table(name, rows))
    except Exception as e:  # calamine raises its own types for every broken file
        raise SpreadsheetError.of("err.not_spreadsheet", file=file_name) from e
    return tables


_ERROR_CELL = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\bt="e"[^>]*>(.*?)</c>', re.S
)
_ERROR_VALUE = re.compile(rb"<v>([^<]*)</v>")
_RELATIONSHIP = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"')
_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]+)"[^>]*?\br:id="([^"]+)"')


def _error_cells(content: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Error cells of an XLSX workbook, by sheet name and (row, column) from 0: the reader
    gives them as empty cells, which would hide them among the missing values."""
    if content[:4] != b"PK\x03\x04":
        return {}
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    relationships = archive.read("xl/_rels/workbook.xml.rels")
    targets = {
        m.group(1).decode(): m.group(2).decode() for m in _RELATIONSHIP.finditer(relationships)
    }
    found: dict[str, dict[tuple[int, int], str]] = {}
    for sheet in _SHEET.finditer(archive.read("xl/workbook.xml")):
        target = targets.get(sheet.group(2).decode(), "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if member not in names:
            continue
        xml = archive.read(member)  # its unpacked size was bounded by check_limits
        if b't="e"' in xml:
            found[html.unescape(sheet.group(1).decode())] = _sheet_errors(xml)
    return found


def _sheet_errors(xml: bytes) -> dict[tuple[int, int], str]:
    """The error cells of one sheet's XML: (row, column) from 0 -> the error's name."""
    cells = {}
    for match in _ERROR_CELL.finditer(xml):
        value = _ERROR_VALUE.search(match.group(3))
        column = limits.column_number(match.group(1)) - 1
        cells[(int(match.group(2)) - 1, column)] = value.group(1).decode() if value else "#ERROR"
    return cells


# A character written in UTF-8 on two to four bytes: in a Windows-1252 text these byte pairs
# would read as "Ã©" and the like, which nobody types.
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _encoding(content: bytes) -> str:
    """UTF-8 (with or without BOM) when the whole file is valid UTF-8, else Windows-1252,
    decided once for the file; checked a slice at a time, so that no copy of the file is made.
    A file with lines in both (pasted from two sources) is refused naming one line of each:
    read as either, some of its names would be stored garbled (``Ã‰conomie``)."""
    if content.isascii():
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    step = 1 << 20
    for start in range(0, len(content) + 1, step):
        try:
            decoder.decode(view[start : start + step], final=start + step >= len(content))
        except UnicodeDecodeError as e:
            utf8 = _UTF8_CHARACTER.search(content)
            if utf8 is None:
                return "cp1252"
            raise SpreadsheetError.of(
                "err.mixed_encoding",
                line=content.count(b"\n", 0, start + e.start) + 1,
                utf8_line=content.count(b"\n", 0, utf8.start()) + 1,
            ) from e
    return "utf-8-sig"


def read_csv(content: bytes, file_name: str) -> Table:
    """A CSV file as one sheet, named after the file: its encoding and delimiter decided,
    its rows left to be read when asked for."""
    if b"\x00" in content[:4096]:
        raise SpreadsheetError.of("err.not_spreadsheet", file=file_name)
    encoding = _encoding(content)
    sample = "\n".join(content[: 1 << 16].decode(encoding, errors="ignore").splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";,\t"}
        delimiter = max(counts, key=lambda d: counts[d])
    name = PurePath(file_name).stem or file_name
    return Table(name, csv_source=CsvSource(content, encoding, delimiter))
