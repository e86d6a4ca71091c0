"""Columns as codes: each distinct value ruled on once, each row an index into the results.

A file of a million values holds a few hundred periods and names: each rule (a period, a
number, a name looked up) runs once per distinct value, and rows are held as Arrow dictionary
arrays, numbers rather than text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.sheets.cells import Cell

# A column of cells: Arrow strings (a CSV read in bulk), else a list of the reader's cells.
Cells = Any


@dataclass
class Coded:
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
        """``pick`` of each row's value, as a plain array of ``kind``."""
        return pa.array([pick(v) for v in self.values], kind).take(self.indices)


def of_dictionary(column: pa.DictionaryArray) -> Coded:
    """A dictionary-coded column's codes and its distinct texts."""
    return Coded(column.indices, column.dictionary.to_pylist())


def code(cells: Cells, rule: Callable[[Cell], Any]) -> Coded:
    """``rule`` applied once per distinct cell (by type and value: ``1`` is not ``True``)."""
    if isinstance(cells, list):
        seen: dict[Any, int] = {}
        indices: list[int] = []
        values: list[Any] = []
        for cell in cells:
            # Text is its own key; anything else is keyed with its type (1 is not True).
            k = cell if cell.__class__ is str else (cell.__class__, cell)
            number = seen.get(k)
            if number is None:
                number = seen[k] = len(values)
                values.append(rule(cell))
            indices.append(number)
        return Coded(pa.array(indices, pa.int32()), values)
    encoded = pc.dictionary_encode(cells)
    return Coded(
        pc.cast(encoded.indices, pa.int32()), [rule(v) for v in encoded.dictionary.to_pylist()]
    )


def repeat(text: str, count: int) -> pa.Array:
    """``text`` on every row, coded."""
    return pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(count, np.int32)), pa.array([text], pa.string())
    )


def positions(mask: pa.Array) -> list[int]:
    """The rows where ``mask`` holds (null: not)."""
    return [int(i) for i in pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()]


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
