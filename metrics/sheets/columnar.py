"""The Arrow reader: an observations sheet, the bulk of any file, becomes an Arrow table, one
row per value (``read_observations``).

Each rule is the one the other sheets use (``cells.text``, ``parse_period``, ``parse_number``),
run once per distinct cell value (see ``coded``); plain decimals are read in bulk. Names,
periods and labels stay coded (dictionary arrays): a row holds numbers, not text. A CSV is read
straight into Arrow when it can be (``csv_columns``); a workbook's cells come from its reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from metrics.base import limits
from metrics.base.numbers import MAX_ABS, MISSING, OUT_OF_RANGE, parse_number
from metrics.base.periods import Period, parse_period
from metrics.sheets.cells import Cell, label
from metrics.sheets.cells import text as text_of
from metrics.sheets.coded import Cells, Coded, code, positions, repeat
from metrics.sheets.files import Table
from metrics.sheets.layout import Layout
from metrics.sheets.parsed import Parsed
from metrics.sheets.problem import Problem

_PLAIN_DECIMAL = r"^-?[0-9]{1,15}([.,][0-9]{1,15})?$"
_NON_SPACE = re.compile(rb"\S")
_OK, _MISSING, _BAD, _RANGE = 0, 1, 2, 3  # _RANGE: a number beyond what is stored
_NUMBER_PROBLEMS = ((_BAD, "err.bad_number"), (_RANGE, "err.number_out_of_range"))
_TEXT_FIELDS = ("alliance", "indicator", "stakeholder", "comment")


def _clipped(coded: Coded, position: int) -> str:
    """The start of a cell too long to quote in full."""
    return str(coded.values[coded.indices[position].as_py()])[:80] + "…"


def _column(rows: list[list[Cell]], index: int | None) -> list[Cell]:
    if index is None:
        return [None] * len(rows)
    return [r[index] if index < len(r) else None for r in rows]


def _not_blank(rows: list[list[Cell]]) -> list[int]:
    """Positions of the rows that hold something (as ``cells.blank`` sees it: any cell but an
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
    return text_of(cells[position] if isinstance(cells, list) else cells[position].as_py())


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
        return _listed_numbers(cells)
    plain = pc.fill_null(pc.match_substring_regex(cells, _PLAIN_DECIMAL), False)
    value = pc.cast(
        pc.if_else(plain, pc.replace_substring(cells, ",", "."), pa.scalar(None, pa.string())),
        pa.float64(),
    )
    value = pc.add(value, 0.0)  # -0 is 0
    others = pc.invert(plain)
    status = pc.cast(others, pa.int8())  # plain: _OK; the others are read one by one below
    if pc.any(others).as_py():
        coded = code(pc.filter(cells, others), _number_cell)
        status = pc.replace_with_mask(status, others, coded.dense(pa.int8(), lambda v: v[0]))
        value = pc.replace_with_mask(value, others, coded.dense(pa.float64(), lambda v: v[1]))
    return status, value


def _listed_numbers(cells: list[Cell]) -> tuple[pa.Array, pa.Array]:
    """``_numbers`` of a workbook's cells, whose number cells are numbers already: only NaN
    and infinities among them are not."""
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
        coded = code(others, _number_cell)
        status[~numeric] = coded.dense(pa.int8(), lambda v: v[0]).to_numpy(False)
        value[~numeric] = coded.dense(pa.float64(), lambda v: v[1]).to_numpy(False)
        valid = status == _OK
    return pa.array(status.astype(np.int8)), pa.array(value, pa.float64(), mask=~valid)


def _body_start(content: bytes, header_row: int) -> int | None:
    """Where the rows under a CSV's header start, when they can be read in bulk and keep
    their numbers as a spreadsheet shows them (no blank lines, no quotes above the header)."""
    start = 0
    for _ in range(header_row + 1):
        end = content.find(b"\n", start)
        if end < 0:
            return None
        start = end + 1
    if b'"' in content[:start] or content.find(b"\n\n", start) >= 0:
        return None
    if content.find(b"\n\r\n", start) >= 0 or content[start : start + 1] in (b"\n", b"\r"):
        return None
    if not _NON_SPACE.search(content, start):
        return None
    return start


def csv_columns(table: Table, layout: Layout, width: int) -> pa.Table | None:
    """The rows under a CSV's header as Arrow string columns ``c0``...; ``None`` when the file
    must be read row by row to keep rows numbered as a spreadsheet shows them (blank lines,
    quotes above the header, rows of another length)."""
    source = table.csv
    if source is None or width == 0:
        return None
    start = _body_start(source.content, layout.header_row)
    if start is None:
        return None
    body = pa.py_buffer(source.content)[start:]  # no copy
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


def _body(table: Table, layout: Layout, width: int) -> _Body:
    """A CSV's rows as Arrow columns when it can be read in bulk, else the reader's rows."""
    columns = csv_columns(table, layout, width)
    if columns is not None:
        return _arrow_body(columns, layout)
    body = table.rows[layout.header_row + 1 :]
    kept = _not_blank(body)
    rows = [body[i] for i in kept]
    numbers = pa.array([layout.header_row + 2 + i for i in kept], pa.int64())
    return _Body(len(rows), numbers, lambda index: _column(rows, index))


def _arrow_body(columns: pa.Table, layout: Layout) -> _Body:
    """The rows of a CSV read in bulk that hold something."""
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


def read_observations(parsed: Parsed, table: Table, layout: Layout) -> bool:
    """Read an observations sheet (long or wide layout) into ``parsed.observations``, its
    problems and missing values; ``False`` when the sheet holds nothing under its header."""
    headers = table.head[layout.header_row]
    body = _body(table, layout, len(headers))
    if body.count == 0:
        return False
    sheet = _Observations(table.name, layout, headers, body)
    sheet.check_texts()
    if layout.wide:
        sheet.read_wide()
    else:
        sheet.read_long()
    return sheet.finish(parsed)


class _Observations:
    """An observations sheet being read: its text columns coded, the problems and missing
    values found (each with its row and its order within the row), and the parts of its table
    (one per value column)."""

    def __init__(self, name: str, layout: Layout, headers: list[Cell], body: _Body) -> None:
        self.name, self.layout, self.headers, self.body = name, layout, headers, body
        self.rows: list[int] = body.numbers.to_pylist()
        self.texts = {n: self._texts(n) for n in _TEXT_FIELDS}
        self.labels = {n: self.label(layout.columns.get(n)) for n in _TEXT_FIELDS}
        self.empty = {n: self.texts[n].mask(lambda v: not v) for n in ("alliance", "indicator")}
        self.found: list[tuple[int, int, Problem]] = []
        self.missing: list[tuple[int, int, tuple[str, int, str, str]]] = []
        self.parts: list[pa.Table] = []

    def _texts(self, name: str) -> Coded:
        index = self.layout.columns.get(name)
        if index is None:
            return Coded(pa.array(np.zeros(self.body.count, np.int32)), [""])
        return code(self.body.cells(index), text_of)

    def label(self, index: int | None) -> str:
        return label(self.headers, index)

    def refuse(self, position: int, order: int, column: str, value: str, code_: str) -> None:
        row = self.rows[position]
        self.found.append((row, order, Problem(self.name, row, column, value, code_)))

    def check_texts(self) -> None:
        """Every row names its alliance and indicator; no comment is longer than a cell."""
        for order, name in enumerate(("alliance", "indicator")):
            for position in positions(self.empty[name]):
                self.refuse(position, order, self.labels[name], "", "err.required")
        comments = self.texts["comment"]
        for position in positions(comments.mask(lambda v: len(v) > limits.MAX_CELL)):
            clipped = _clipped(comments, position)
            self.refuse(position, 4, self.labels["comment"], clipped, "err.cell_long")

    def read_long(self) -> None:
        """One period column and one value column: each row a value."""
        period_index = self.layout.columns["period"]
        period_cells = self.body.cells(period_index)
        period = code(period_cells, _period_cell)
        period_label = self.label(period_index)
        for position in positions(period.mask(lambda v: v[0] == _MISSING)):
            self.refuse(position, 2, period_label, "", "err.required")
        for position in positions(period.mask(lambda v: v[0] == _BAD)):
            text = _cell_text(period_cells, position)
            self.refuse(position, 2, period_label, text, "err.bad_period")
        status, value, value_label = self._values(self.layout.columns["value"], 0, 3, None)
        # Rows with a problem are kept too, so that their names are checked as well.
        kept = pc.not_equal(status, _MISSING)
        self.add_part(kept, period, value, value_label, period_label, 0)

    def read_wide(self) -> None:
        """One column per period: each cell a value, of rows that name their alliance and
        indicator."""
        usable = pc.invert(pc.or_(self.empty["alliance"], self.empty["indicator"]))
        for j, period in self.layout.wide.items():
            status, value, column = self._values(j, j, 10 + j, usable)
            kept = pc.and_(usable, pc.equal(status, _OK))
            self.add_part(kept, period, value, column, column, j)

    def _values(
        self, index: int, missing_order: int, order: int, among: pa.Array | None
    ) -> tuple[pa.Array, pa.Array, str]:
        """The status and value of each cell of a value column (of the rows ``among``: all
        when ``None``), its missing values and its problems noted; and the column's label."""
        source = self.body.cells(index)
        status, value = _numbers(source)
        column = self.label(index)

        def where(state: int) -> pa.Array:
            mask = pc.equal(status, state)
            return mask if among is None else pc.and_(among, mask)

        for position in positions(where(_MISSING)):
            row, text = self.rows[position], _cell_text(source, position)
            self.missing.append((row, missing_order, (self.name, row, column, text)))
        for state, problem in _NUMBER_PROBLEMS:
            for position in positions(where(state)):
                self.refuse(position, order, column, _cell_text(source, position), problem)
        return status, value, column

    def add_part(
        self,
        keep: pa.Array,
        period: Coded | Period,
        value: pa.Array,
        column: str,
        period_column: str,
        order: int,
    ) -> None:
        """The rows ``keep`` of one value column, as rows of the observations table."""
        chosen = pc.indices_nonzero(keep)
        if not len(chosen):
            return
        every = len(chosen) == len(keep)

        def take(array: pa.Array) -> pa.Array:
            return array if every else array.take(chosen)

        n = len(chosen)
        texts = {name: take(self.texts[name].coded()) for name in _TEXT_FIELDS}
        self.parts.append(
            pa.table(
                {
                    "alliance": texts["alliance"],
                    "indicator": texts["indicator"],
                    **_dates(period, n, take),
                    "stakeholder": texts["stakeholder"],
                    "value": take(value),
                    "comment": texts["comment"],
                    "source_sheet": repeat(self.name, n),
                    "source_row": take(self.body.numbers),
                    "label_alliance": repeat(self.labels["alliance"], n),
                    "label_indicator": repeat(self.labels["indicator"], n),
                    "label_period": repeat(period_column, n),
                    "label_value": repeat(column, n),
                    "label_stakeholder": repeat(self.labels["stakeholder"], n),
                    "column_order": pa.repeat(pa.scalar(order, pa.int32()), n),
                }
            )
        )

    def finish(self, parsed: Parsed) -> bool:
        """Hand the problems and missing values found (in row order) and the sheet's rows to
        ``parsed``; whether the sheet held anything."""
        self.found.sort(key=lambda f: (f[0], f[1]))
        parsed.problems.extend(problem for _, _, problem in self.found)
        self.missing.sort(key=lambda m: (m[0], m[1]))
        parsed.missing.extend(entry for _, _, entry in self.missing)
        if self.parts:
            sheet = pa.concat_tables(self.parts)
            if self.layout.wide:
                sheet = sheet.sort_by([("source_row", "ascending"), ("column_order", "ascending")])
            sheet = sheet.drop_columns(["column_order"])
            parsed.observations = pa.concat_tables([parsed.observations, sheet])
        return bool(self.parts or self.found or self.missing)


def _dates(
    period: Coded | Period, n: int, take: Callable[[pa.Array], pa.Array]
) -> dict[str, pa.Array]:
    """The period columns of ``n`` rows: one period for all (a wide layout's column), or each
    row's own (coded)."""
    if isinstance(period, Period):
        return {
            "period": repeat(period.canonical, n),
            "granularity": repeat(period.granularity, n),
            "period_start": pa.repeat(pa.scalar(period.start, pa.date32()), n),
            "period_end": pa.repeat(pa.scalar(period.end, pa.date32()), n),
        }
    return {
        "period": take(period.coded(lambda v: v[1])),
        "granularity": take(period.coded(lambda v: v[2])),
        "period_start": take(period.dense(pa.date32(), lambda v: v[3])),
        "period_end": take(period.dense(pa.date32(), lambda v: v[4])),
    }
