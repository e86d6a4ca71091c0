"""Spreadsheet import: bytes + file name in, typed records and row-level problems out.

Parsing (:func:`parse`) and reference checking (:func:`resolve`) are pure functions; the store
writes the result in one transaction. See the spreadsheet contract in the README. Observations,
the bulk of any file, are read as Arrow columns with each rule run once per distinct value (see
"observations as columns"); the other sheets, small by nature, row by row.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from python_calamine import CalamineWorkbook

from metrics.base import catalog, limits
from metrics.base.errors import SpreadsheetError
from metrics.base.numbers import MAX_ABS, MISSING, OUT_OF_RANGE, parse_number
from metrics.base.periods import Period, parse_period
from metrics.base.text import MAX_NAME, key, name_problem
from metrics.presentation.i18n import t
from metrics.sheets.workbook import COLUMNS, EXAMPLE_ALLIANCE, EXAMPLE_CONTRACT

Progress = Callable[[float, str], None]
Cell = Any

# Sheet kinds, the names a sheet may carry, and for each field the headers that mean it.
# Names and headers are compared through ``text.key`` (case-, accent- and space-insensitive).
SHEETS: dict[str, dict[str, Any]] = {
    "alliances": {
        "names": {"alliances", "alliance"},
        "fields": {
            "alliance": {"alliance", "nom", "name", "nom_de_l_alliance"},
            "territory": {"territory", "territoire"},
            "territory_code": {"territory_code", "code_territoire", "code_insee", "insee"},
            "population": {"population", "habitants"},
            "theme": {"theme", "thematique", "fragilite"},
            "started": {"started", "date_creation", "date_de_creation", "start", "debut"},
            "stage": {"stage", "etape", "stade"},
            "latitude": {"latitude", "lat"},
            "longitude": {"longitude", "lon", "lng"},
        },
        "required": ("alliance",),
        "signature": ("territory", "territory_code", "population", "theme", "started"),
    },
    "stakeholders": {
        "names": {"stakeholders", "partenaires", "parties_prenantes", "partners"},
        "fields": {
            "alliance": {"alliance"},
            "stakeholder": {"stakeholder", "partenaire", "partner", "partie_prenante"},
            "type": {"type", "type_de_partenaire", "stakeholder_type"},
        },
        "required": ("alliance", "stakeholder", "type"),
        "signature": ("type",),
    },
    "indicators": {
        "names": {"indicators", "indicateurs"},
        "fields": {
            "indicator": {"indicator", "indicateur", "code"},
            "label": {"label", "libelle"},
            "label_fr": {"label_fr", "libelle_fr"},
            "label_en": {"label_en", "libelle_en"},
            "dimension": {"dimension"},
            "unit": {"unit", "unite"},
            "direction": {"direction", "sens"},
            "aggregation": {"aggregation", "agregation"},
            "description": {"description", "aide", "help"},
        },
        "required": ("indicator", "dimension"),
        "signature": ("dimension", "direction", "aggregation"),
    },
    "observations": {
        "names": {"observations", "donnees", "data", "valeurs", "values"},
        "fields": {
            "alliance": {"alliance"},
            "indicator": {"indicator", "indicateur"},
            "period": {"period", "periode"},
            "value": {"value", "valeur"},
            "stakeholder": {"stakeholder", "partenaire", "partner", "partie_prenante"},
            "comment": {"comment", "commentaire", "note"},
        },
        "required": ("alliance", "indicator", "period", "value"),
        "signature": ("period", "value"),
    },
    "targets": {
        "names": {"targets", "objectifs", "cibles"},
        "fields": {
            "alliance": {"alliance"},
            "indicator": {"indicator", "indicateur"},
            "baseline_period": {"baseline_period", "periode_de_reference", "periode_reference"},
            "baseline": {"baseline", "reference", "valeur_de_reference", "valeur_reference"},
            "target_period": {"target_period", "periode_cible", "echeance"},
            "target": {"target", "cible", "objectif", "valeur_cible"},
        },
        "required": (
            "alliance",
            "indicator",
            "baseline_period",
            "baseline",
            "target_period",
            "target",
        ),
        "signature": ("baseline", "target"),
    },
    "replications": {
        "names": {"replications", "essaimage", "changement_d_echelle", "scaling"},
        "fields": {
            "alliance": {"alliance"},
            "mode": {"mode", "modalite", "type_de_changement_d_echelle"},
            "territory": {"territory", "territoire"},
            "territory_code": {"territory_code", "code_territoire", "code_insee", "insee"},
            "started": {"started", "debut", "date_de_debut", "date_debut", "start"},
            "status": {"status", "statut", "etat"},
            "beneficiaries": {"beneficiaries", "beneficiaires"},
            "latitude": {"latitude", "lat"},
            "longitude": {"longitude", "lon", "lng"},
            "note": {"note", "commentaire", "comment"},
        },
        "required": ("alliance", "mode", "territory", "status"),
        "signature": ("mode", "status"),
    },
    "contracts": {
        "names": {
            "outcome_contracts",
            "contrats_impact",
            "contrats_a_impact",
            "contracts",
            "contrats",
        },
        "fields": {
            "contract": {"contract", "name", "contrat", "nom", "nom_du_contrat"},
            "alliance": {"alliance"},
            "indicator": {"outcome_indicator", "indicateur_de_resultat", "indicator", "indicateur"},
            "commissioner": {"commissioner", "commanditaire", "payeur"},
            "investors": {"investors", "investisseurs"},
            "capital": {"capital"},
            "currency": {"currency", "devise", "monnaie"},
            "start": {"start", "debut", "date_de_debut"},
            "end": {"end", "fin", "date_de_fin"},
            "cohort_size": {"cohort_size", "taille_cohorte", "taille_de_cohorte"},
            "baseline": {
                "comparison_baseline",
                "reference_de_comparaison",
                "baseline",
                "reference",
            },
            "per": {"per", "pour"},
            "cohort_threshold": {"cohort_threshold", "seuil_cohorte", "seuil_par_cohorte"},
            "overall_threshold": {"overall_threshold", "seuil_global", "seuil_d_ensemble"},
            "price": {"price_per_unit", "prix_unitaire", "prix_par_unite", "price"},
            "payment_cap": {"payment_cap", "plafond_paiements", "plafond_des_paiements"},
            "return_cap": {
                "return_cap",
                "plafond_rendement",
                "plafond_de_rendement_annuel",
                "annual_return_cap",
            },
            "saving_per_unit": {"saving_per_unit", "economie_par_unite"},
            "population": {"population", "effectif", "effectif_total", "overall_population"},
            "illustrative": {"illustrative", "illustratif", "illustratifs", "non_publie"},
        },
        "required": (
            "contract",
            "alliance",
            "indicator",
            "capital",
            "currency",
            "start",
            "end",
        ),
        "signature": ("capital", "overall_threshold", "price"),
    },
}
# The contract's rate card, outcome payers, investments and ledger of payments: rows of a
# contract (named by its ``contract`` column), each with its key within the contract.
CONTRACT_NAME = {"contract", "contrat", "nom_du_contrat"}
SHEETS.update(
    {
        "prices": {
            "names": {"tarifs", "outcome_prices", "grille_tarifaire", "rate_card"},
            "fields": {
                "contract": CONTRACT_NAME,
                "alliance": {"alliance"},
                "outcome": {"outcome", "resultat"},
                "indicator": {"indicator", "indicateur"},
                "basis": {"basis", "base"},
                "price": {"price_per_unit", "prix_unitaire", "price", "prix"},
                "threshold": {"threshold", "seuil"},
                "max_units": {"max_units", "plafond_unites"},
                "max_amount": {"max_amount", "plafond_montant"},
            },
            "required": ("contract", "outcome", "basis", "price"),
            "signature": ("basis", "max_units", "max_amount"),
        },
        "payers": {
            "names": {"payeurs", "outcome_payers", "payers"},
            "fields": {
                "contract": CONTRACT_NAME,
                "alliance": {"alliance"},
                "payer": {"payer", "payeur"},
                "commitment": {"commitment", "engagement"},
                "share": {"share", "part"},
            },
            "required": ("contract", "payer", "commitment"),
            "signature": ("payer", "share"),
        },
        "investments": {
            "names": {"investissements", "investments"},
            "fields": {
                "contract": CONTRACT_NAME,
                "alliance": {"alliance"},
                "investor": {"investor", "investisseur"},
                "type": {"type"},
                "tranche": {"tranche", "rang"},
                "committed": {"committed", "engagement"},
                "date": {"date"},
                "drawn": {"drawn", "tire", "montant_tire"},
            },
            "required": ("contract", "investor", "type", "committed", "date"),
            "signature": ("investor", "tranche", "drawn"),
        },
        "payments": {
            "names": {"paiements", "outcome_payments", "payments"},
            "fields": {
                "contract": CONTRACT_NAME,
                "alliance": {"alliance"},
                "date": {"date"},
                "payer": {"payer", "payeur"},
                "outcome": {"outcome", "resultat"},
                "amount": {"amount", "montant"},
                "nature": {"nature"},
            },
            "required": ("contract", "date", "payer", "amount"),
            "signature": ("amount", "nature"),
        },
    }
)
# Each of those kinds: the fields that identify a row within its contract, then the others.
CONTRACT_ROWS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "prices": (
        ("outcome", "threshold"),
        ("indicator", "basis", "price", "max_units", "max_amount"),
    ),
    "payers": (("payer",), ("commitment", "share")),
    "investments": (("investor", "tranche", "date"), ("type", "committed", "drawn")),
    "payments": (("date", "payer", "outcome", "nature"), ("amount",)),
}
CONTRACT_FIELDS = tuple(SHEETS["contracts"]["fields"])
# What a contract without a rate card is paid by: one improvement over the comparison group.
IMPROVEMENT_TERMS = ("cohort_size", "baseline", "overall_threshold", "price")
HEADER_SEARCH_ROWS = 30
# Sheets that explain the file (the template's own among them) are skipped without a word.
README_SHEETS = {"lisez_moi", "readme", "read_me", "notice", "aide", "help", "instructions"}
WIDE_KEYS = ("alliance", "indicator", "stakeholder", "comment")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file, located as the user sees it (header row = 1)."""

    sheet: str
    row: int | None
    column: str | None
    value: str
    code: str
    params: tuple[tuple[str, Any], ...] = ()

    def message(self, lang: str) -> str:
        return t(self.code, lang, **dict(self.params))

    def as_row(self, lang: str) -> dict[str, Any]:
        return {
            t("col.sheet", lang): self.sheet,
            t("col.row", lang): self.row,
            t("col.column", lang): self.column or "",
            t("col.value", lang): self.value,
            t("col.reason", lang): self.message(lang),
        }

    def line(self, lang: str) -> str:
        where = [self.sheet]
        if self.row is not None:
            where.append(t("where.row", lang, row=self.row))
        if self.column:
            where.append(t("where.column", lang, column=self.column))
        quoted = f"« {self.value} »" if lang == "fr" else f"\u201c{self.value}\u201d"
        shown = f" {quoted}" if self.value else ""
        return f"{', '.join(where)}:{shown} {self.message(lang)}"


@dataclass
class Record:
    """One typed row of a sheet; ``where`` says where it came from."""

    kind: str
    sheet: str
    row: int
    values: dict[str, Any]
    columns: dict[str, str]


# The observations of a file, as columns: one row per value, ready to be compared and written.
OBSERVATION_COLUMNS = [
    "alliance",
    "indicator",
    "period",
    "granularity",
    "period_start",
    "period_end",
    "stakeholder",
    "value",
    "comment",
    "source_sheet",
    "source_row",
]
# Where each field came from, as the user sees it ("valeur (D)"), for problems found later.
LABELS = {f: f"label_{f}" for f in ("alliance", "indicator", "period", "value", "stakeholder")}


@dataclass
class Parsed:
    """What a file holds once read; ``problems`` empty means it can be written.

    Observations, the large part of any file, are kept as columns (``observations``); every
    other sheet as ``records``.
    """

    file_name: str
    content: bytes
    sha256: str
    records: dict[str, list[Record]] = field(default_factory=lambda: _Records())
    observations: pa.Table = field(default_factory=lambda: _empty_observations())
    problems: list[Problem] = field(default_factory=list)
    # (sheet, row, column, what the cell held: "" when empty, an error's name such as #DIV/0!)
    missing: list[tuple[str, int, str, str]] = field(default_factory=list)
    sheets_read: list[tuple[str, str]] = field(default_factory=list)
    sheets_ignored: list[str] = field(default_factory=list)
    sheets_empty: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if isinstance(self.records, _Records):
            self.records.parsed = self

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def size(self) -> int:
        return len(self.content)

    def alliance_names(self) -> set[str]:
        """Every alliance name the file's rows hold, whatever the sheet."""
        names = {
            str(record.values["alliance"])
            for kind, records in self.records.items()
            if kind != "observations"
            for record in records
            if record.values.get("alliance")
        }
        return names | {str(n) for n in pc.unique(self.observations["alliance"]).to_pylist() if n}


class _Records(dict):  # type: ignore[type-arg]
    """Records by sheet kind; observations, kept as columns, are turned into records only
    when asked for by name (a view for callers that read them one by one)."""

    parsed: Parsed | None = None

    def __init__(self) -> None:
        super().__init__({k: [] for k in SHEETS if k != "observations"})

    def __getitem__(self, kind: str) -> list[Record]:
        if kind == "observations":
            return _observation_records(self.parsed.observations if self.parsed else None)
        return super().__getitem__(kind)  # type: ignore[no-any-return]


_CODED = pa.dictionary(pa.int32(), pa.string())
OBSERVATION_SCHEMA = pa.schema(
    [
        ("alliance", _CODED),
        ("indicator", _CODED),
        ("period", _CODED),
        ("granularity", _CODED),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("stakeholder", _CODED),
        ("value", pa.float64()),
        ("comment", _CODED),
        ("source_sheet", _CODED),
        ("source_row", pa.int64()),
        *[(label, _CODED) for label in LABELS.values()],
    ]
)


def _empty_observations() -> pa.Table:
    return OBSERVATION_SCHEMA.empty_table()


def _observation_records(table: pa.Table | None) -> list[Record]:
    if table is None or not table.num_rows:
        return []
    records = []
    for row in table.to_pylist():
        period = (
            Period(row["period_start"], row["granularity"]) if row["period"] is not None else None
        )
        values = {
            "alliance": row["alliance"],
            "indicator": row["indicator"],
            "period": period,
            "value": row["value"],
            "stakeholder": row["stakeholder"],
            "comment": row["comment"],
        }
        columns = {f: row[label] for f, label in LABELS.items() if row[label]}
        records.append(
            Record("observations", row["source_sheet"], row["source_row"], values, columns)
        )
    return records


@dataclass(frozen=True)
class _CsvSource:
    """A CSV file kept as bytes: its first rows are read to find the header, the rest is read
    in bulk into columns (or row by row when it must be)."""

    content: bytes
    encoding: str
    delimiter: str
    lang: str = "fr"


csv.field_size_limit(limits.MAX_CELL)  # this module is the only reader of CSV in the process


def _csv_rows(text: str, source: _CsvSource, strict: bool = True) -> list[list[Cell]]:
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
        self, name: str, rows: list[list[Cell]] | None = None, csv_source: _CsvSource | None = None
    ) -> None:
        self.name = name
        self.csv = csv_source
        self._rows = rows

    @property
    def rows(self) -> list[list[Cell]]:
        if self._rows is None:
            assert self.csv is not None
            text = self.csv.content.decode(self.csv.encoding, errors="replace")
            self._rows = _csv_rows(text, self.csv)
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
        rows = _csv_rows(text, source, strict=False)[: HEADER_SEARCH_ROWS + 1]
        if len(prefix) < len(source.content) and len(rows) <= HEADER_SEARCH_ROWS:
            return self.rows[:HEADER_SEARCH_ROWS]
        return rows[:HEADER_SEARCH_ROWS]


# -- reading bytes -----------------------------------------------------------------------------


def _is_workbook(content: bytes, file_name: str) -> bool:
    suffix = PurePath(file_name).suffix.lower()
    is_zip = content[:4] == b"PK\x03\x04"
    is_ole = content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return suffix in {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"} or is_zip or is_ole


def check_limits(content: bytes, file_name: str, lang: str = "fr") -> None:
    """Refuse at once, naming the limit, a file beyond ``limits`` (before reading it)."""
    over = limits.breach(content, file_name, _is_workbook(content, file_name))
    if over is not None:
        raise refusal(over, lang)


def refusal(over: limits.Breach, lang: str) -> SpreadsheetError:
    """The refusal of a file beyond a limit, naming it."""
    return SpreadsheetError.of(
        f"err.limit_{over.limit}", where=over.where, found=over.found, allowed=over.allowed
    )


def read_tables(content: bytes, file_name: str, lang: str = "fr") -> list[Table]:
    """Every sheet of the file as a list of rows of cells (CSV: one table)."""
    if not content or not content.strip():
        raise SpreadsheetError.of("err.empty_file", file=file_name)
    check_limits(content, file_name, lang)
    if _is_workbook(content, file_name):
        return _read_workbook(content, file_name, lang)
    return [_read_csv(content, file_name, lang)]


class ExcelError(str):
    """An error cell of a workbook (``#DIV/0!``, ``#N/A``, ``#REF!``...): never a number; a
    value that holds one is counted as missing, by its name."""

    is_error = True


def _read_workbook(content: bytes, file_name: str, lang: str) -> list[Table]:
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


def _error_cells(content: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Error cells of an XLSX workbook, by sheet name and (row, column) from 0: the reader
    gives them as empty cells, which would hide them among the missing values."""
    if content[:4] != b"PK\x03\x04":
        return {}
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    targets = {
        m.group(1).decode(): m.group(2).decode()
        for m in re.finditer(
            rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"',
            archive.read("xl/_rels/workbook.xml.rels"),
        )
    }
    found: dict[str, dict[tuple[int, int], str]] = {}
    sheets = re.finditer(
        rb'<sheet\b[^>]*?\bname="([^"]+)"[^>]*?\br:id="([^"]+)"', archive.read("xl/workbook.xml")
    )
    for sheet in sheets:
        target = targets.get(sheet.group(2).decode(), "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if member not in names:
            continue
        xml = archive.read(member)  # its unpacked size was bounded by check_limits
        if b't="e"' not in xml:
            continue
        cells = {}
        for match in _ERROR_CELL.finditer(xml):
            value = _ERROR_VALUE.search(match.group(3))
            column = limits.column_number(match.group(1)) - 1
            cells[(int(match.group(2)) - 1, column)] = (
                value.group(1).decode() if value else "#ERROR"
            )
        found[html.unescape(sheet.group(1).decode())] = cells
    return found


# A character written in UTF-8 on two to four bytes: in a Windows-1252 text these byte pairs
# would read as "Ã©" and the like, which nobody types.
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _encoding(content: bytes, lang: str = "fr") -> str:
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


def _read_csv(content: bytes, file_name: str, lang: str) -> Table:
    if b"\x00" in content[:4096]:
        raise SpreadsheetError.of("err.not_spreadsheet", file=file_name)
    encoding = _encoding(content, lang)
    sample = "\n".join(content[: 1 << 16].decode(encoding, errors="ignore").splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";,\t"}
        delimiter = max(counts, key=lambda d: counts[d])
    name = PurePath(file_name).stem or file_name
    return Table(name, csv_source=_CsvSource(content, encoding, delimiter, lang))


# -- headers -----------------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _header_map(kind: str, cells: list[Cell]) -> dict[str, int]:
    fields = SHEETS[kind]["fields"]
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        k = key(cell)
        for name, aliases in fields.items():
            if k in aliases and name not in found:
                found[name] = index
                break
    return found


def _period_columns(cells: list[Cell], taken: Iterable[int]) -> dict[int, Period]:
    skip = set(taken)
    columns = {}
    for index, cell in enumerate(cells):
        if index in skip or cell in ("", None):
            continue
        period = parse_period(cell.strip() if isinstance(cell, str) else cell)
        if period is not None:
            columns[index] = period
    return columns


@dataclass
class _Layout:
    kind: str
    header_row: int
    columns: dict[str, int]
    wide: dict[int, Period]
    score: int


def _detect(table: Table, forced_kind: str | None) -> _Layout | None:
    """Find which kind of sheet this is and where its header row is.

    A sheet named after a kind only needs its header row found; any other sheet (and every
    CSV) must show at least one header typical of a kind. The first row where a kind has all
    its required columns wins; failing that, the best partial match is returned so that the
    missing columns can be reported.
    """
    partial: _Layout | None = None
    kinds = [forced_kind] if forced_kind else list(SHEETS)
    for row_index, cells in enumerate(table.head):
        complete: _Layout | None = None
        for kind in kinds:
            columns = _header_map(kind, cells)
            spec = SHEETS[kind]
            wide: dict[int, Period] = {}
            if kind == "observations" and not {"period", "value"} <= columns.keys():
                wide = _period_columns(cells, columns.values())
            signature = sum(1 for s in spec["signature"] if s in columns) + len(wide)
            if len(columns) + len(wide) < 2 or (not forced_kind and signature == 0):
                continue
            required = set(spec["required"]) - ({"period", "value"} if wide else set())
            layout = _Layout(kind, row_index, columns, wide, len(columns) + signature)
            if required <= columns.keys():
                if complete is None or layout.score > complete.score:
                    complete = layout
            elif partial is None or layout.score > partial.score:
                partial = layout
        if complete is not None:
            return complete
    return partial


# -- cells -------------------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (dt.date, dt.datetime)):
        return cell.isoformat()
    return str(cell).strip()


def _choice(value: str, vocabulary: dict[str, dict[str, str]], synonyms: str) -> str | None:
    k = key(value)
    for code, labels in vocabulary.items():
        if k == code or k == key(labels["fr"]) or k == key(labels["en"]):
            return code
    return catalog.SYNONYMS.get(synonyms, {}).get(k)


def _choices_text(vocabulary: dict[str, dict[str, str]], lang: str) -> str:
    return ", ".join(labels[lang] for labels in vocabulary.values())


class _RowReader:
    """Reads the typed fields of one row, collecting problems instead of raising."""

    def __init__(
        self,
        parsed: Parsed,
        sheet: str,
        row: int,
        layout: _Layout,
        cells: list[Cell],
        headers: list[Cell],
        lang: str,
    ) -> None:
        self.parsed, self.sheet, self.row, self.layout = parsed, sheet, row, layout
        self.cells, self.headers, self.lang = cells, headers, lang
        self.failed = False

    def column(self, name: str) -> str:
        index = self.layout.columns[name]
        return self.column_at(index)

    def column_at(self, index: int) -> str:
        header = _text(self.headers[index]) if index < len(self.headers) else ""
        return f"{header} ({_column_letter(index)})"

    def cell(self, name: str) -> Cell:
        index = self.layout.columns.get(name)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def problem(self, column: str | None, value: Cell, code: str, **params: Any) -> None:
        self.failed = True
        self.parsed.problems.append(
            Problem(self.sheet, self.row, column, _text(value), code, tuple(params.items()))
        )

    def text(self, name: str, required: bool = False) -> str:
        value = _text(self.cell(name))
        if required and not value:
            self.problem(self.column(name), "", "err.required")
        if len(value) > limits.MAX_CELL:  # a workbook's cell (a CSV's is refused when read)
            self.problem(self.column(name), value[:80] + "…", "err.cell_long")
        return value

    def name(self, field_: str) -> str:
        """A required name (alliance, partner, indicator, contract) that can only match
        itself: letters or digits in it, nothing hidden, not too long."""
        value = self.text(field_, required=True)
        problem = name_problem(value) if value else None
        if problem:
            self.problem(self.column(field_), value, problem, limit=MAX_NAME)
        return value

    def number(self, name: str, required: bool = False) -> float | None:
        cell = self.cell(name)
        if name not in self.layout.columns:
            return None
        number = parse_number(cell)
        if number is MISSING:
            if required:
                self.problem(self.column(name), cell, "err.required")
            return None
        if number is OUT_OF_RANGE:
            self.problem(self.column(name), cell, "err.number_out_of_range")
            return None
        if number is None:
            self.problem(self.column(name), cell, "err.bad_number")
            return None
        return number  # type: ignore[return-value]

    def period(self, name: str, required: bool = False) -> Period | None:
        cell = self.cell(name)
        if cell in (None, "") or (isinstance(cell, str) and not cell.strip()):
            if required:
                self.problem(self.column(name), "", "err.required")
            return None
        period = parse_period(cell.strip() if isinstance(cell, str) else cell)
        if period is None:
            self.problem(self.column(name), cell, "err.bad_period")
        return period

    def choice(
        self,
        name: str,
        vocabulary: dict[str, dict[str, str]],
        synonyms: str,
        default: str | None = None,
    ) -> str | None:
        value = self.text(name)
        if not value:
            if default is None:
                self.problem(self.column(name), "", "err.required")
            return default
        code = _choice(value, vocabulary, synonyms)
        if code is None:
            self.problem(
                self.column(name),
                value,
                "err.bad_choice",
                choices=_choices_text(vocabulary, self.lang),
            )
        return code


def _blank(cells: list[Cell]) -> bool:
    return all(_text(c) == "" for c in cells)


def _read_sheet(parsed: Parsed, table: Table, layout: _Layout, lang: str) -> None:
    headers = table.head[layout.header_row]
    kind = layout.kind
    missing_columns = [
        name
        for name in SHEETS[kind]["required"]
        if name not in layout.columns and not (layout.wide and name in {"period", "value"})
    ]
    if missing_columns:
        headers_of = {c[0]: f"{c[1]} / {c[2]}" for c in COLUMNS[kind]}
        for name in missing_columns:
            parsed.problems.append(
                Problem(
                    table.name,
                    layout.header_row + 1,
                    None,
                    "",
                    "err.missing_column",
                    (("column", headers_of.get(name, name)),),
                )
            )
        return
    twice = _repeated_columns(kind, headers, layout)
    if twice:
        for same in twice:
            parsed.problems.append(
                Problem(
                    table.name,
                    layout.header_row + 1,
                    same[0],
                    "",
                    "err.duplicate_column",
                    (("columns", ", ".join(same)),),
                )
            )
        return
    if kind == "observations":
        if not _read_observation_columns(parsed, table, layout):
            parsed.sheets_empty.append(table.name)
        return
    rows = table.rows[layout.header_row + 1 :]
    before = len(parsed.records[kind]) + len(parsed.problems) + len(parsed.missing)
    for offset, cells in enumerate(rows):
        if _blank(cells):
            continue
        row_number = layout.header_row + 2 + offset
        reader = _RowReader(parsed, table.name, row_number, layout, cells, headers, lang)
        values = _READERS[kind](reader)
        # Rows with a problem are kept too, so that their references are checked as well;
        # any problem stops the whole file from being written.
        if values is not None:
            columns = {name: reader.column(name) for name in layout.columns}
            parsed.records[kind].append(Record(kind, table.name, row_number, values, columns))
    if len(parsed.records[kind]) + len(parsed.problems) + len(parsed.missing) == before:
        # Only its header: fine beside other sheets (a template's unused sheet), refused when
        # the whole file holds no data (see parse).
        parsed.sheets_empty.append(table.name)


def _repeated_columns(kind: str, headers: list[Cell], layout: _Layout) -> list[list[str]]:
    """Columns that say the same thing twice (two ``valeur`` columns, two ``2023`` columns):
    which one counts would be a guess, so the file is refused naming them."""

    def name(index: int) -> str:
        return f"{_text(headers[index])} ({_column_letter(index)})"

    groups: dict[str, list[int]] = {}
    fields = SHEETS[kind]["fields"]
    for index, cell in enumerate(headers):
        if isinstance(cell, str) and cell.strip():
            k = key(cell)
            field_ = next((f for f, aliases in fields.items() if k in aliases), None)
            if field_ is not None:
                groups.setdefault(f"field:{field_}", []).append(index)
    for index, period in layout.wide.items():
        groups.setdefault(f"period:{period.canonical}", []).append(index)
    return [[name(i) for i in indices] for indices in groups.values() if len(indices) > 1]


def _read_alliance(r: _RowReader) -> dict[str, Any]:
    population = r.number("population")
    if population is not None and (population <= 0 or not float(population).is_integer()):
        r.problem(r.column("population"), r.cell("population"), "err.bad_population")
    started = r.period("started")
    stage = (
        r.choice("stage", catalog.STAGES, "stage", default="")
        if "stage" in r.layout.columns
        else ""
    )
    return {
        "alliance": r.name("alliance"),
        "territory": r.text("territory"),
        "territory_code": r.text("territory_code"),
        "population": int(population) if population else None,
        "theme": r.text("theme"),
        "started": started.start if started else None,
        "stage": stage or None,
        "latitude": r.number("latitude"),
        "longitude": r.number("longitude"),
    }


def _read_stakeholder(r: _RowReader) -> dict[str, Any]:
    return {
        "alliance": r.text("alliance", required=True),
        "stakeholder": r.name("stakeholder"),
        "type": r.choice("type", catalog.STAKEHOLDER_TYPES, "type"),
    }


def _read_indicator(r: _RowReader) -> dict[str, Any]:
    raw = r.name("indicator")
    code = key(raw)
    label = r.text("label")
    label_fr = r.text("label_fr") or label or raw
    label_en = r.text("label_en") or label or label_fr
    return {
        "indicator": code,
        "label_fr": label_fr,
        "label_en": label_en,
        "dimension": r.choice("dimension", catalog.DIMENSIONS, "dimension"),
        "unit": r.text("unit"),
        "direction": r.choice("direction", catalog.DIRECTIONS, "direction", default="up"),
        "aggregation": r.choice("aggregation", catalog.AGGREGATIONS, "aggregation", default="sum"),
        "description": r.text("description"),
    }


def _read_target(r: _RowReader) -> dict[str, Any]:
    values = {
        "alliance": r.text("alliance", required=True),
        "indicator": r.text("indicator", required=True),
        "baseline_period": r.period("baseline_period", required=True),
        "baseline": r.number("baseline", required=True),
        "target_period": r.period("target_period", required=True),
        "target": r.number("target", required=True),
    }
    if r.failed:
        return values
    if values["baseline"] == values["target"]:
        r.problem(r.column("target"), r.cell("target"), "err.target_equals_baseline")
    baseline_period, target_period = values["baseline_period"], values["target_period"]
    assert isinstance(baseline_period, Period) and isinstance(target_period, Period)
    if target_period.start <= baseline_period.start:
        r.problem(r.column("target_period"), r.cell("target_period"), "err.target_before_baseline")
    return values


def _read_replication(r: _RowReader) -> dict[str, Any]:
    started = r.period("started")
    values: dict[str, Any] = {
        "alliance": r.text("alliance", required=True),
        "mode": r.choice("mode", catalog.SCALING_MODES, "mode"),
        "territory": r.text("territory", required=True),
        "territory_code": r.text("territory_code"),
        "started": started.start if started else None,
        "status": r.choice("status", catalog.REPLICATION_STATUSES, "status"),
        "beneficiaries": r.number("beneficiaries"),
        "latitude": r.number("latitude"),
        "longitude": r.number("longitude"),
        "note": r.text("note"),
    }
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = values[name]
        if value is not None and not low <= value <= high:
            r.problem(r.column(name), r.cell(name), "err.bad_coordinate", low=low, high=high)
    if (values["latitude"] is None) != (values["longitude"] is None):
        r.problem(
            r.column("latitude" if "latitude" in r.layout.columns else "longitude"),
            "",
            "err.half_coordinate",
        )
    return values


def _illustrative(r: _RowReader) -> str:
    """The contract's fields named in its ``illustrative`` cell (by any of their column
    names, in either language), or its rows of another sheet (by the sheet's name:
    ``investissements``…), canonical and comma-separated; a name that is neither is a
    problem."""
    fields = {
        **SHEETS["contracts"]["fields"],
        **{kind: SHEETS[kind]["names"] for kind in CONTRACT_ROWS},
    }
    found = []
    for name in re.split(r"[,;]", r.text("illustrative")):
        if not name.strip():
            continue
        field_ = next((f for f, names in fields.items() if key(name) in names), None)
        if field_ is None or field_ in ("contract", "alliance", "illustrative"):
            r.problem(
                r.column("illustrative"), name.strip(), "err.illustrative_field", name=name.strip()
            )
        elif field_ not in found:
            found.append(field_)
    return ",".join(found)


def _read_contract(r: _RowReader) -> dict[str, Any]:
    start, end = r.period("start", required=True), r.period("end", required=True)
    values: dict[str, Any] = {
        "contract": r.name("contract"),
        "alliance": r.text("alliance", required=True),
        "indicator": r.text("indicator", required=True),
        "commissioner": r.text("commissioner"),
        "investors": r.text("investors"),
        "capital": r.number("capital", required=True),
        "currency": r.text("currency", required=True).upper(),
        "start": start.start if start else None,
        "end": end.end if end else None,
        "cohort_size": r.number("cohort_size"),
        "baseline": r.number("baseline"),
        "per": r.number("per") or 100.0,
        "cohort_threshold": r.number("cohort_threshold"),
        "overall_threshold": r.number("overall_threshold"),
        "price": r.number("price"),
        "payment_cap": r.number("payment_cap"),
        "return_cap": r.number("return_cap"),
        "saving_per_unit": r.number("saving_per_unit"),
        "population": r.number("population"),
        "illustrative": _illustrative(r),
    }
    _positive(r, values, "capital", "cohort_size", "baseline", "price", "payment_cap", "population")
    if values["start"] and values["end"] and values["end"] <= values["start"]:
        r.problem(r.column("end"), r.cell("end"), "err.end_before_start")
    return values


def _positive(r: _RowReader, values: dict[str, Any], *names: str, zero: bool = False) -> None:
    """Each of these fields, when given, above zero (or at it, with ``zero``)."""
    for name in names:
        value = values[name]
        if value is not None and (value < 0 or (value == 0 and not zero)):
            r.problem(r.column(name), r.cell(name), "err.not_positive")


def _read_price(r: _RowReader) -> dict[str, Any]:
    values = {
        "contract": r.text("contract", required=True),
        "alliance": r.text("alliance"),
        "outcome": r.text("outcome", required=True),
        "indicator": r.text("indicator"),
        "basis": r.choice("basis", catalog.PRICE_BASES, "price_basis"),
        "price": r.number("price", required=True),
        "threshold": r.number("threshold"),
        "max_units": r.number("max_units"),
        "max_amount": r.number("max_amount"),
    }
    _positive(r, values, "price", "max_units", "max_amount")
    _positive(r, values, "threshold", zero=True)
    return values


def _read_payer(r: _RowReader) -> dict[str, Any]:
    share = r.number("share")
    values: dict[str, Any] = {
        "contract": r.text("contract", required=True),
        "alliance": r.text("alliance"),
        "payer": r.text("payer", required=True),
        "commitment": r.number("commitment", required=True),
        "share": share,
    }
    _positive(r, values, "commitment")
    if share is not None and not 0 < share <= 100:
        r.problem(r.column("share"), r.cell("share"), "err.share_range")
    return values


def _read_investment(r: _RowReader) -> dict[str, Any]:
    day = r.period("date", required=True)
    values = {
        "contract": r.text("contract", required=True),
        "alliance": r.text("alliance"),
        "investor": r.text("investor", required=True),
        "type": r.choice("type", catalog.INVESTMENT_TYPES, "investment_type"),
        "tranche": r.choice("tranche", catalog.TRANCHES, "tranche", default="senior"),
        "committed": r.number("committed", required=True),
        "date": day.start if day else None,
        "drawn": r.number("drawn") or 0.0,
    }
    _positive(r, values, "committed")
    _positive(r, values, "drawn", zero=True)
    return values


def _read_payment(r: _RowReader) -> dict[str, Any]:
    day = r.period("date", required=True)
    values = {
        "contract": r.text("contract", required=True),
        "alliance": r.text("alliance"),
        "date": day.start if day else None,
        "payer": r.text("payer", required=True),
        "outcome": r.text("outcome"),
        "amount": r.number("amount", required=True),
        "nature": r.choice("nature", catalog.PAYMENT_NATURES, "payment_nature", default="outcome"),
    }
    _positive(r, values, "amount")
    return values


# -- observations as columns -------------------------------------------------------------------
# An observations sheet becomes an Arrow table, one row per value. Each rule is the one the other
# sheets use (``_text``, ``parse_period``, ``parse_number``), run once per distinct cell value
# (a file of a million values holds a few hundred periods and names); plain decimals are read in
# bulk. Names, periods and labels stay coded (dictionary arrays): a row holds numbers, not text.
# A CSV is read straight into Arrow; a workbook's cells come from its reader.

_PLAIN_DECIMAL = r"^-?[0-9]{1,15}([.,][0-9]{1,15})?$"
_NON_SPACE = re.compile(rb"\S")
_OK, _MISSING, _BAD, _RANGE = 0, 1, 2, 3  # _RANGE: a number beyond what is stored
_NUMBER_PROBLEMS = ((_BAD, "err.bad_number"), (_RANGE, "err.number_out_of_range"))
# A column of cells: Arrow strings (a CSV read in bulk), else a list of the reader's cells.
Cells = Any


@dataclass
class _Coded:
    """A column as codes: one index per row into its distinct values (already ruled on)."""

    indices: pa.Array
    values: list[Any]

    def mask(self, test: Callable[[Any], bool]) -> pa.Array:
        """A boolean per row: ``test`` of its value."""
        return pa.array([bool(test(v)) for v in self.values], pa.bool_()).take(self.indices)

    def coded(self, pick: Callable[[Any], Any] = lambda v: v) -> pa.Array:
        """The column as a dictionary array of text (a value picked as ``None`` is null)."""
        picked = [pick(v) for v in self.values]
        if all(p is not None for p in picked):
            return pa.DictionaryArray.from_arrays(self.indices, pa.array(picked, pa.string()))
        kept = [i for i, p in enumerate(picked) if p is not None]
        remap: list[int | None] = [None] * len(picked)
        for new, old in enumerate(kept):
            remap[old] = new
        return pa.DictionaryArray.from_arrays(
            pa.array(remap, pa.int32()).take(self.indices),
            pa.array([picked[i] for i in kept], pa.string()),
        )

    def dense(self, kind: pa.DataType, pick: Callable[[Any], Any]) -> pa.Array:
        return pa.array([pick(v) for v in self.values], kind).take(self.indices)


def _code(cells: Cells, rule: Callable[[Cell], Any]) -> _Coded:
    """``rule`` applied once per distinct cell (by type and value: ``1`` is not ``True``)."""
    if isinstance(cells, list):
        seen: dict[Any, int] = {}
        indices: list[int] = []
        values: list[Any] = []
        for cell in cells:
            # Text is its own key; anything else is keyed with its type (1 is not True).
            k = cell if cell.__class__ is str else (cell.__class__, cell)
            code = seen.get(k)
            if code is None:
                code = seen[k] = len(values)
                values.append(rule(cell))
            indices.append(code)
        return _Coded(pa.array(indices, pa.int32()), values)
    encoded = pc.dictionary_encode(cells)
    return _Coded(
        pc.cast(encoded.indices, pa.int32()), [rule(v) for v in encoded.dictionary.to_pylist()]
    )


def _clipped(coded: _Coded, position: int) -> str:
    """The start of a cell too long to quote in full."""
    return str(coded.values[coded.indices[position].as_py()])[:80] + "…"


def _repeat(text: str, count: int) -> pa.Array:
    """``text`` on every row, coded."""
    return pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(count, np.int32)), pa.array([text], pa.string())
    )


def _column(rows: list[list[Cell]], index: int | None) -> list[Cell]:
    if index is None:
        return [None] * len(rows)
    return [r[index] if index < len(r) else None for r in rows]


def _not_blank(rows: list[list[Cell]]) -> list[int]:
    """Positions of the rows that hold something (as ``_blank`` sees it: any cell but an
    empty or all-space text, which a number, a date or an error cell never is)."""
    kept = []
    for i, cells in enumerate(rows):
        for c in cells:
            if c.__class__ is str:
                if c and not c.isspace():
                    kept.append(i)
                    break
            elif c is not None:
                kept.append(i)
                break
    return kept


def _cell_text(cells: Cells, position: int) -> str:
    return _text(cells[position] if isinstance(cells, list) else cells[position].as_py())


def _period_cell(cell: Cell) -> tuple[Any, ...]:
    """(status, canonical, granularity, start, end) of a period cell."""
    if cell in (None, "") or (isinstance(cell, str) and not cell.strip()):
        return (_MISSING, None, None, None, None)
    period = parse_period(cell.strip() if isinstance(cell, str) else cell)
    if period is None:
        return (_BAD, None, None, None, None)
    return (_OK, period.canonical, period.granularity, period.start, period.end)


def _number_cell(cell: Cell) -> tuple[int, float | None]:
    number = parse_number(cell)
    if number is MISSING:
        return (_MISSING, None)
    if number is OUT_OF_RANGE:
        return (_RANGE, None)
    if number is None:
        return (_BAD, None)
    return (_OK, number)  # type: ignore[return-value]


def _numbers(cells: Cells) -> tuple[pa.Array, pa.Array]:
    """(status, value) of each cell by ``parse_number``; plain decimals in one pass."""
    if isinstance(cells, list):
        # Number cells of a workbook are numbers already: only NaN and infinities are not.
        numeric = np.fromiter(
            (c.__class__ is float or c.__class__ is int for c in cells), bool, len(cells)
        )
        value = np.full(len(cells), np.nan)
        value[numeric] = [c for c, n in zip(cells, numeric, strict=True) if n]
        beyond = ~(np.abs(value) < MAX_ABS) & ~np.isnan(value)  # infinite included
        status = np.where(np.isnan(value), _MISSING, np.where(beyond, _RANGE, _OK))
        value = value + 0.0  # -0 is 0
        valid = numeric & (status == _OK)
        if not numeric.all():
            others = [c for c, n in zip(cells, numeric, strict=True) if not n]
            coded = _code(others, _number_cell)
            status[~numeric] = coded.dense(pa.int8(), lambda v: v[0]).to_numpy(False)
            value[~numeric] = coded.dense(pa.float64(), lambda v: v[1]).to_numpy(False)
            valid = status == _OK
        return (
            pa.array(status.astype(np.int8)),
            pa.array(value, pa.float64(), mask=~valid),
        )
    plain = pc.fill_null(pc.match_substring_regex(cells, _PLAIN_DECIMAL), False)
    value = pc.cast(
        pc.if_else(plain, pc.replace_substring(cells, ",", "."), pa.scalar(None, pa.string())),
        pa.float64(),
    )
    value = pc.add(value, 0.0)  # -0 is 0
    others = pc.invert(plain)
    status = pc.cast(others, pa.int8())  # plain: _OK; the others are read one by one below
    if pc.any(others).as_py():
        coded = _code(pc.filter(cells, others), _number_cell)
        status = pc.replace_with_mask(status, others, coded.dense(pa.int8(), lambda v: v[0]))
        value = pc.replace_with_mask(value, others, coded.dense(pa.float64(), lambda v: v[1]))
    return status, value


def _positions(mask: pa.Array) -> list[int]:
    return [int(i) for i in pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()]


def _csv_columns(table: Table, layout: _Layout, width: int) -> pa.Table | None:
    """The rows under a CSV's header as Arrow string columns ``c0``...; ``None`` when the file
    must be read row by row to keep rows numbered as a spreadsheet shows them (blank lines,
    quotes above the header, rows of another length)."""
    source = table.csv
    if source is None or width == 0:
        return None
    content, start = source.content, 0
    for _ in range(layout.header_row + 1):
        end = content.find(b"\n", start)
        if end < 0:
            return None
        start = end + 1
    if b'"' in content[:start] or content.find(b"\n\n", start) >= 0:
        return None
    if content.find(b"\n\r\n", start) >= 0 or content[start : start + 1] in (b"\n", b"\r"):
        return None
    body = pa.py_buffer(content)[start:]  # no copy
    if not _NON_SPACE.search(content, start):
        return None
    names = [f"c{i}" for i in range(width)]
    try:
        read = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(
                column_names=names,
                encoding="utf8" if source.encoding.startswith("utf") else source.encoding,
                block_size=max(len(body) + 1, 1 << 20),  # one block: columns of one chunk
            ),
            parse_options=pacsv.ParseOptions(delimiter=source.delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    longest = max((pc.max(pc.utf8_length(c)).as_py() or 0 for c in read.columns), default=0)
    # A cell longer than a spreadsheet's: the row-by-row reader names its line.
    return None if longest > limits.MAX_CELL else read


@dataclass
class _Body:
    """The rows under a sheet's header that hold something: how many, their numbers as the
    spreadsheet shows them, and each column's cells."""

    count: int
    numbers: pa.Array
    cells: Callable[[int], Cells]


def _body(table: Table, layout: _Layout, width: int) -> _Body:
    """A CSV's rows as Arrow columns when it can be read in bulk, else the reader's rows."""
    columns = _csv_columns(table, layout, width)
    if columns is not None:
        blank = None
        for column in columns.columns:
            chunk = column.combine_chunks()
            empty = pc.or_(pc.equal(pc.utf8_length(chunk), 0), pc.utf8_is_space(chunk))
            blank = empty if blank is None else pc.and_(blank, empty)
        kept = pc.indices_nonzero(pc.invert(blank))
        every_row = len(kept) == columns.num_rows

        def arrow_cells(index: int) -> Cells:
            if index >= columns.num_columns:
                return pa.array([""] * len(kept), pa.string())
            column = columns.column(index).combine_chunks()
            return column if every_row else column.take(kept)

        return _Body(len(kept), pc.add(kept, layout.header_row + 2), arrow_cells)
    body = table.rows[layout.header_row + 1 :]
    positions = _not_blank(body)
    rows = [body[i] for i in positions]
    numbers = pa.array([layout.header_row + 2 + i for i in positions], pa.int64())
    return _Body(len(rows), numbers, lambda index: _column(rows, index))


def _read_observation_columns(parsed: Parsed, table: Table, layout: _Layout) -> bool:
    """Read an observations sheet (long or wide layout) into ``parsed.observations``, its
    problems and missing values; ``False`` when the sheet holds nothing under its header."""
    headers = table.head[layout.header_row]
    body = _body(table, layout, len(headers))
    count, numbers, cells = body.count, body.numbers, body.cells
    if count == 0:
        return False

    def label(index: int | None) -> str:
        if index is None:
            return ""
        header = _text(headers[index]) if index < len(headers) else ""
        return f"{header} ({_column_letter(index)})"

    def texts_of(name: str) -> _Coded:
        index = layout.columns.get(name)
        if index is None:
            return _Coded(pa.array(np.zeros(count, np.int32)), [""])
        return _code(cells(index), _text)

    texts = {n: texts_of(n) for n in ("alliance", "indicator", "stakeholder", "comment")}
    labels = {n: label(layout.columns.get(n)) for n in ("alliance", "indicator", "stakeholder")}
    found: list[tuple[int, int, Problem]] = []  # (row, order in the row, problem)
    row_of = numbers.to_pylist()

    def refuse(position: int, order: int, column: str, value: str, code: str) -> None:
        row = row_of[position]
        found.append((row, order, Problem(table.name, row, column, value, code)))

    empty = {n: texts[n].mask(lambda v: not v) for n in ("alliance", "indicator")}
    for order, name in enumerate(("alliance", "indicator")):
        for position in _positions(empty[name]):
            refuse(position, order, labels[name], "", "err.required")
    comment_label = label(layout.columns.get("comment"))
    for position in _positions(texts["comment"].mask(lambda v: len(v) > limits.MAX_CELL)):
        refuse(position, 4, comment_label, _clipped(texts["comment"], position), "err.cell_long")

    missing: list[tuple[int, int, tuple[str, int, str, str]]] = []
    parts: list[pa.Table] = []

    def part(
        keep: pa.Array,
        period: _Coded | Period,
        value: pa.Array,
        column: str,
        period_column: str,
        order: int,
    ) -> None:
        chosen = pc.indices_nonzero(keep)
        if not len(chosen):
            return
        every = len(chosen) == len(keep)

        def take(array: pa.Array) -> pa.Array:
            return array if every else array.take(chosen)

        n = len(chosen)
        if isinstance(period, Period):
            fixed = period
            dates = {
                "period": _repeat(fixed.canonical, n),
                "granularity": _repeat(fixed.granularity, n),
                "period_start": pa.repeat(pa.scalar(fixed.start, pa.date32()), n),
                "period_end": pa.repeat(pa.scalar(fixed.end, pa.date32()), n),
            }
        else:
            dates = {
                "period": take(period.coded(lambda v: v[1])),
                "granularity": take(period.coded(lambda v: v[2])),
                "period_start": take(period.dense(pa.date32(), lambda v: v[3])),
                "period_end": take(period.dense(pa.date32(), lambda v: v[4])),
            }
        parts.append(
            pa.table(
                {
                    "alliance": take(texts["alliance"].coded()),
                    "indicator": take(texts["indicator"].coded()),
                    **dates,
                    "stakeholder": take(texts["stakeholder"].coded()),
                    "value": take(value),
                    "comment": take(texts["comment"].coded()),
                    "source_sheet": _repeat(table.name, n),
                    "source_row": take(numbers),
                    "label_alliance": _repeat(labels["alliance"], n),
                    "label_indicator": _repeat(labels["indicator"], n),
                    "label_period": _repeat(period_column, n),
                    "label_value": _repeat(column, n),
                    "label_stakeholder": _repeat(labels["stakeholder"], n),
                    "column_order": pa.repeat(pa.scalar(order, pa.int32()), n),
                }
            )
        )

    if layout.wide:
        usable = pc.invert(pc.or_(empty["alliance"], empty["indicator"]))
        for j, wide_period in layout.wide.items():
            source = cells(j)
            status, value = _numbers(source)
            column = label(j)
            for position in _positions(pc.and_(usable, pc.equal(status, _MISSING))):
                text = _cell_text(source, position)
                missing.append((row_of[position], j, (table.name, row_of[position], column, text)))
            for code, problem in _NUMBER_PROBLEMS:
                for position in _positions(pc.and_(usable, pc.equal(status, code))):
                    refuse(position, 10 + j, column, _cell_text(source, position), problem)
            part(pc.and_(usable, pc.equal(status, _OK)), wide_period, value, column, column, j)
    else:
        period_cells = cells(layout.columns["period"])
        period = _code(period_cells, _period_cell)
        period_label = label(layout.columns["period"])
        for position in _positions(period.mask(lambda v: v[0] == _MISSING)):
            refuse(position, 2, period_label, "", "err.required")
        for position in _positions(period.mask(lambda v: v[0] == _BAD)):
            refuse(position, 2, period_label, _cell_text(period_cells, position), "err.bad_period")
        value_cells = cells(layout.columns["value"])
        status, value = _numbers(value_cells)
        value_label = label(layout.columns["value"])
        for position in _positions(pc.equal(status, _MISSING)):
            text = _cell_text(value_cells, position)
            missing.append((row_of[position], 0, (table.name, row_of[position], value_label, text)))
        for code, problem in _NUMBER_PROBLEMS:
            for position in _positions(pc.equal(status, code)):
                refuse(position, 3, value_label, _cell_text(value_cells, position), problem)
        # Rows with a problem are kept too, so that their names are checked as well.
        part(pc.not_equal(status, _MISSING), period, value, value_label, period_label, 0)

    found.sort(key=lambda f: (f[0], f[1]))
    parsed.problems.extend(problem for _, _, problem in found)
    missing.sort(key=lambda m: (m[0], m[1]))
    parsed.missing.extend(entry for _, _, entry in missing)
    if parts:
        sheet = pa.concat_tables(parts)
        if layout.wide:
            sheet = sheet.sort_by([("source_row", "ascending"), ("column_order", "ascending")])
        sheet = sheet.drop_columns(["column_order"])
        parsed.observations = pa.concat_tables([parsed.observations, sheet])
    return bool(parts or found or missing)


_READERS: dict[str, Callable[[_RowReader], dict[str, Any] | None]] = {
    "alliances": _read_alliance,
    "stakeholders": _read_stakeholder,
    "indicators": _read_indicator,
    "targets": _read_target,
    "replications": _read_replication,
    "contracts": _read_contract,
    "prices": _read_price,
    "payers": _read_payer,
    "investments": _read_investment,
    "payments": _read_payment,
}


def _kind_from_name(name: str) -> str | None:
    k = key(name)
    for kind, spec in SHEETS.items():
        if k in spec["names"]:
            return kind
    return None


def parse(
    content: bytes, file_name: str, lang: str = "fr", progress: Progress | None = None
) -> Parsed:
    """Read a CSV, XLSX or ODS file into typed records and row-level problems.

    Raises ``SpreadsheetError`` only when the file cannot be read at all; everything else is
    a ``Problem`` in ``Parsed.problems``.
    """
    report = progress or (lambda fraction, stage: None)
    report(0.05, "progress.reading")
    parsed = Parsed(file_name, content, hashlib.sha256(content).hexdigest())
    tables = read_tables(content, file_name, lang)
    report(0.3, "progress.checking")
    for number, table in enumerate(tables, start=1):
        if key(table.name) in README_SHEETS:
            continue
        forced = _kind_from_name(table.name)
        layout = _detect(table, forced)
        if layout is None and forced is not None:
            if any(not _blank(row) for row in table.rows):
                parsed.problems.append(
                    Problem(table.name, None, None, "", "err.no_header", (("kind", forced),))
                )
            continue
        if layout is None:
            parsed.sheets_ignored.append(table.name)
            continue
        parsed.sheets_read.append((table.name, layout.kind))
        _read_sheet(parsed, table, layout, lang)
        report(0.3 + 0.6 * number / len(tables), "progress.checking")
    has_rows = any(parsed.records.values()) or len(parsed.observations) or parsed.missing
    if parsed.sheets_empty and not has_rows and not parsed.problems:
        for name in parsed.sheets_empty:
            parsed.problems.append(Problem(name, None, None, "", "err.no_rows"))
    if not parsed.sheets_read and not parsed.problems:
        has_cells = any(not _blank(row) for table in tables for row in table.rows)
        code = "err.no_recognised_sheet" if has_cells else "err.empty_file_problem"
        parsed.problems.append(Problem(file_name, None, None, "", code))
    # Reading in bulk passes through buffers far larger than what is kept: hand them back.
    pa.default_memory_pool().release_unused()
    report(1.0, "progress.done")
    return parsed


# -- references --------------------------------------------------------------------------------


@dataclass
class Known:
    """What the database already holds, as matching keys to canonical names and codes."""

    alliances: dict[str, str] = field(default_factory=dict)
    stakeholders: dict[tuple[str, str], str] = field(default_factory=dict)
    indicators: dict[str, str] = field(default_factory=dict)
    # An outcome contract's (alliance, matching key) -> (its name, its alliance, its indicator):
    # a contract belongs to its alliance, two alliances may name theirs alike
    contracts: dict[tuple[str, str], tuple[str, str, str]] = field(default_factory=dict)
    priced: set[tuple[str, str]] = field(default_factory=set)  # those with a rate card

    def add_indicator(self, code: str, *labels: str) -> None:
        for name in (code, *labels):
            if name:
                self.indicators.setdefault(key(name), code)


def _refuse(
    parsed: Parsed, record: Record, column: str, code: str, params: tuple[tuple[str, Any], ...] = ()
) -> None:
    """A problem with one field of a record that was read."""
    parsed.problems.append(
        Problem(
            record.sheet,
            record.row,
            record.columns.get(column),
            _text(record.values.get(column)),
            code,
            params,
        )
    )


def _dedupe(
    parsed: Parsed,
    kind: str,
    record_key: Callable[[Record], tuple[Any, ...]],
    compared: tuple[str, ...],
) -> None:
    """Keep the first of identical rows; two rows that disagree on one key are an error."""
    seen: dict[tuple[Any, ...], Record] = {}
    kept = []
    for record in parsed.records[kind]:
        k = record_key(record)
        first = seen.get(k)
        if first is None:
            seen[k] = record
            kept.append(record)
            continue
        differing = [c for c in compared if first.values.get(c) != record.values.get(c)]
        if differing:
            _refuse(
                parsed,
                record,
                differing[0],
                "err.conflict",
                (("first", first.row), ("sheet", first.sheet)),
            )
    parsed.records[kind] = kept


def by_pair(
    first: pa.Array,
    names: list[Any],
    second: pa.DictionaryArray,
    rule: Callable[[Any, str], Any],
    kind: pa.DataType,
    among: pa.Array | None = None,
) -> pa.Array:
    """``rule(names[code of first], text of second)`` on each row (an alliance and a partner
    named within it), run once per distinct pair: each pair is coded as one integer. Rows
    outside ``among``, or with no second value, get null."""
    width = max(len(second.dictionary), 1)
    pairs = pc.add(
        pc.multiply(pc.cast(first, pa.int64()), width), pc.cast(second.indices, pa.int64())
    )
    distinct = pc.unique(pairs if among is None else pc.filter(pairs, among)).drop_null()
    texts = second.dictionary.to_pylist()
    found = [rule(names[code // width], texts[code % width]) for code in distinct.to_pylist()]
    return pa.array(found, kind).take(pc.index_in(pairs, value_set=distinct))


def _find(known: dict[Any, str], name: str, alliance: str | None = None) -> str | None:
    """The canonical name ``name`` refers to (a partner: within ``alliance``), or ``None``;
    a name with hidden characters or no letter refers to nothing, whatever its key."""
    if name_problem(name):
        return None
    return known.get((alliance, key(name)) if alliance is not None else key(name))


def _is_example(name: object) -> bool:
    """The template's example alliance: its rows never become data (a user who forgets to
    delete them is told to), whatever the spelling."""
    return isinstance(name, str) and key(name) == key(EXAMPLE_ALLIANCE)


def _resolve_observations(
    parsed: Parsed,
    alliances: dict[str, str],
    indicators: dict[str, str],
    stakeholders: dict[tuple[str, str], str],
) -> None:
    """Canonical names of the observations' alliances, indicators and partners, each
    distinct name looked up once; a name that resolves to nothing is a problem of its row."""
    if not parsed.observations.num_rows:
        return
    table = parsed.observations.unify_dictionaries().combine_chunks()

    def lookup(name: str, rule: Callable[[str], str | None]) -> _Coded:
        column = table[name].chunk(0)
        return _Coded(column.indices, [rule(v) for v in column.dictionary.to_pylist()])

    written = table["alliance"].chunk(0)
    example = _Coded(written.indices, written.dictionary.to_pylist()).mask(_is_example)
    alliance = lookup("alliance", lambda n: None if _is_example(n) else _find(alliances, n))
    indicator = lookup("indicator", lambda n: _find(indicators, n))
    unknown_alliance = pc.and_(alliance.mask(lambda v: v is None), pc.invert(example))
    unknown_indicator = indicator.mask(lambda v: v is None)
    resolved = pc.invert(pc.or_(pc.or_(example, unknown_alliance), unknown_indicator))
    partner_column = table["stakeholder"].chunk(0)
    named = pc.and_(
        resolved, _Coded(partner_column.indices, partner_column.dictionary.to_pylist()).mask(bool)
    )
    partner = by_pair(
        alliance.indices,
        alliance.values,
        partner_column,
        lambda name, text: _find(stakeholders, text, name),
        pa.string(),
        among=named,
    )
    unknown_partner = pc.and_(named, pc.is_null(partner))
    found: list[tuple[int, int, Problem]] = []
    for order, (mask, field_, code) in enumerate(
        (
            (example, "alliance", "err.example_row"),
            (unknown_alliance, "alliance", "err.unknown_alliance"),
            (unknown_indicator, "indicator", "err.unknown_indicator"),
            (unknown_partner, "stakeholder", "err.unknown_stakeholder"),
        )
    ):
        for position in _positions(mask):
            row = table.slice(position, 1).to_pylist()[0]
            problem = Problem(
                row["source_sheet"],
                row["source_row"],
                row[LABELS[field_]] or None,
                _text(row[field_]),
                code,
            )
            found.append((position, order, problem))
    found.sort(key=lambda f: (f[0], f[1]))
    parsed.problems.extend(problem for _, _, problem in found)
    known_partner = pc.and_(named, pc.is_valid(partner))
    stakeholder = pc.if_else(
        known_partner, partner, partner_column.dictionary.take(partner_column.indices)
    )

    def renamed(coded: _Coded, name: str) -> pa.Array:
        if not found:
            return coded.coded()  # every name resolved: the codes stay, the names change
        raw = table[name].chunk(0)
        canonical = coded.dense(pa.string(), lambda v: v)
        written = raw.dictionary.take(raw.indices)
        return pc.dictionary_encode(pc.if_else(resolved, canonical, written))

    parsed.observations = (
        table.set_column(0, "alliance", pc.cast(renamed(alliance, "alliance"), _CODED))
        .set_column(1, "indicator", pc.cast(renamed(indicator, "indicator"), _CODED))
        .set_column(6, "stakeholder", pc.cast(pc.dictionary_encode(stakeholder), _CODED))
    )


_DUPLICATES = """
SELECT position, source_sheet, source_row, value, label_value,
       first_sheet, first_row, first_value
FROM (
    SELECT *,
           row_number() OVER keys AS n,
           first_value(source_sheet) OVER keys AS first_sheet,
           first_value(source_row) OVER keys AS first_row,
           first_value(value) OVER keys AS first_value
    FROM observations
    WINDOW keys AS (PARTITION BY alliance, indicator, period, stakeholder ORDER BY position)
)
WHERE n > 1
ORDER BY position
"""


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, int]:
    """A dictionary-coded column as integer codes (null: 0), equal exactly when the texts
    are, and how many codes there are."""
    coded = column.unify_dictionaries().combine_chunks() if column.num_chunks else None
    if coded is None or not len(coded):
        return np.zeros(len(column), np.int64), 1
    names, slots = np.unique(
        np.asarray(coded.dictionary.to_pylist(), dtype=object).astype(str), return_inverse=True
    )
    indices = coded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.append(slots.astype(np.int64) + 1, 0)[indices], len(names) + 1


def _has_repeated_keys(table: pa.Table) -> bool:
    """Whether two rows share alliance, indicator, period and partner: the keys' codes
    combined into one integer per row, sorted once (no text compared row by row)."""
    combined, bound = np.zeros(table.num_rows, np.int64), 1
    for name in ("alliance", "indicator", "period", "stakeholder"):
        codes, count = _codes(table[name])
        if bound * count >= 2**62:  # renumber what is combined so far before it overflows
            distinct, combined = np.unique(combined, return_inverse=True)
            bound = len(distinct)
        combined, bound = combined * count + codes, bound * count
    ordered = np.sort(combined)
    return bool((ordered[1:] == ordered[:-1]).any())


def _dedupe_observations(parsed: Parsed) -> None:
    """Keep the first of identical rows; a later row giving another value for the same
    alliance, indicator, period and partner is an error naming the first."""
    table = parsed.observations
    if table.num_rows < 2 or not _has_repeated_keys(table):
        return
    numbered = table.append_column("position", pa.array(np.arange(table.num_rows), pa.int64()))
    with duckdb.connect() as con:
        con.register("observations", numbered)
        repeated = con.execute(_DUPLICATES).fetchall()
    if not repeated:
        return
    for _, sheet, row, value, column, first_sheet, first_row, first_value in repeated:
        if value != first_value and not (value is None and first_value is None):
            parsed.problems.append(
                Problem(
                    sheet,
                    row,
                    column or None,
                    _text(value),
                    "err.conflict",
                    (("first", first_row), ("sheet", first_sheet)),
                )
            )
    drop = pa.array([r[0] for r in repeated], pa.int64())
    keep = pc.invert(pc.is_in(numbered["position"], value_set=drop))
    parsed.observations = table.filter(keep)


def resolve(parsed: Parsed, known: Known) -> Parsed:
    """Check that every alliance, stakeholder and indicator is known or defined in the file,
    rewrite names to their canonical spelling, and flag rows that disagree on one key."""
    alliances = dict(known.alliances)
    for record in parsed.records["alliances"]:
        name = record.values["alliance"]
        if _is_example(name):
            _refuse(parsed, record, "alliance", "err.example_row")
            continue
        record.values["alliance"] = alliances.setdefault(key(name), name)
    _dedupe(
        parsed,
        "alliances",
        lambda r: (r.values["alliance"],),
        ("territory", "territory_code", "population", "theme", "started", "stage"),
    )

    indicators = Known(indicators=dict(known.indicators))
    for record in parsed.records["indicators"]:
        v = record.values
        existing = known.indicators.get(v["indicator"])
        v["indicator"] = existing or v["indicator"]
        indicators.add_indicator(v["indicator"], v["label_fr"], v["label_en"])
    _dedupe(
        parsed,
        "indicators",
        lambda r: (r.values["indicator"],),
        ("label_fr", "label_en", "dimension", "unit", "direction", "aggregation"),
    )

    def alliance_of(record: Record) -> str | None:
        if _is_example(record.values["alliance"]):
            _refuse(parsed, record, "alliance", "err.example_row")
            return None
        name = _find(alliances, record.values["alliance"])
        if name is None:
            _refuse(parsed, record, "alliance", "err.unknown_alliance")
        return name

    def indicator_of(record: Record) -> str | None:
        code = _find(indicators.indicators, record.values["indicator"])
        if code is None:
            _refuse(parsed, record, "indicator", "err.unknown_indicator")
        return code

    stakeholders = dict(known.stakeholders)
    for record in parsed.records["stakeholders"]:
        alliance = alliance_of(record)
        if alliance is None:
            continue
        record.values["alliance"] = alliance
        name = record.values["stakeholder"]
        record.values["stakeholder"] = stakeholders.setdefault((alliance, key(name)), name)
    _dedupe(
        parsed, "stakeholders", lambda r: (r.values["alliance"], r.values["stakeholder"]), ("type",)
    )

    _resolve_observations(parsed, alliances, indicators.indicators, stakeholders)
    for kind in ("targets", "contracts"):
        for record in parsed.records[kind]:
            alliance, code = alliance_of(record), indicator_of(record)
            if alliance is None or code is None:
                continue
            record.values["alliance"], record.values["indicator"] = alliance, code
            name = record.values.get("stakeholder") or ""
            if name:
                canonical = _find(stakeholders, name, alliance)
                if canonical is None:
                    _refuse(parsed, record, "stakeholder", "err.unknown_stakeholder")
                    continue
                record.values["stakeholder"] = canonical
    _dedupe_observations(parsed)
    _dedupe(
        parsed,
        "targets",
        lambda r: (r.values["alliance"], r.values["indicator"]),
        ("baseline_period", "baseline", "target_period", "target"),
    )
    for record in parsed.records["replications"]:
        alliance = alliance_of(record)
        if alliance is not None:
            record.values["alliance"] = alliance
    _dedupe(
        parsed,
        "replications",
        lambda r: (r.values["alliance"], r.values["mode"], key(r.values["territory"])),
        ("territory_code", "started", "status", "beneficiaries", "latitude", "longitude", "note"),
    )
    _dedupe(
        parsed,
        "contracts",
        lambda r: (r.values["alliance"], key(r.values["contract"])),
        tuple(f for f in CONTRACT_FIELDS if f not in ("contract", "alliance")),
    )
    _resolve_contract_rows(parsed, known, alliance_of, indicator_of)
    return parsed


def _resolve_contract_rows(
    parsed: Parsed,
    known: Known,
    alliance_of: Callable[[Record], str | None],
    indicator_of: Callable[[Record], str | None],
) -> None:
    """A rate card's, payers', investments' and payments' rows name their contract, defined
    in the file or already known, within its alliance: by its name alone when one contract
    the account reads has it, else with the ``alliance`` column. Each takes its spelling and
    its alliance (the rights of an upload follow the alliance); a price names its indicator
    (else the contract's)."""
    contracts = dict(known.contracts)
    for record in parsed.records["contracts"]:
        v = record.values
        if v.get("alliance") in (None, ""):
            continue  # refused already
        contracts[(v["alliance"], key(v["contract"]))] = (
            v["contract"],
            v["alliance"],
            v["indicator"],
        )
    for kind, (keys, compared) in CONTRACT_ROWS.items():
        for record in parsed.records[kind]:
            v = record.values
            if key(v["contract"]) == key(EXAMPLE_CONTRACT):
                _refuse(parsed, record, "contract", "err.example_row")
                continue
            alliance = alliance_of(record) if v.get("alliance") else None
            if v.get("alliance") and alliance is None:
                continue
            named = [
                contract
                for (owner, name), contract in contracts.items()
                if name == key(v["contract"]) and alliance in (None, owner)
            ]
            if len(named) != 1:
                problem = "err.unknown_contract" if not named else "err.ambiguous_contract"
                _refuse(parsed, record, "contract", problem)
                continue
            found = named[0]
            v["contract"], v["alliance"] = found[0], found[1]
            if kind == "prices":
                if v["indicator"]:
                    v["indicator"] = indicator_of(record)
                else:
                    v["indicator"] = found[2]

        def identity(record: Record, keys: tuple[str, ...] = keys) -> tuple[Any, ...]:
            v = record.values
            return (
                v["alliance"],
                key(v["contract"]),
                *(key(x) if isinstance(x, str) else x for x in map(v.get, keys)),
            )

        _dedupe(parsed, kind, identity, compared)
    # A contract is paid by its rate card, else by its improvement terms: it needs one.
    priced = known.priced | {
        (r.values["alliance"], key(r.values["contract"])) for r in parsed.records["prices"]
    }
    for record in parsed.records["contracts"]:
        v = record.values
        missing = [f for f in IMPROVEMENT_TERMS if v.get(f) is None]
        if missing and (v["alliance"], key(v["contract"])) not in priced:
            _refuse(parsed, record, missing[0], "err.contract_terms")
