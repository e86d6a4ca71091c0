"""The terms the spreadsheet contract is written in: a ``Sheet`` of ``Column``s.

The sheets themselves are declared in ``reference_sheets`` and ``contract_sheets``, and read
through ``schema``. Headers, synonyms and sheet names are compared through ``text.key``
(case-, accent- and space-insensitive): synonyms are written as such keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from metrics.base.text import key

# What a column holds:
# name: a name that identifies a row or refers to one (an alliance, a partner, an indicator, a
#   contract), matched ignoring case, accents and spaces;
# text: free text; code: a short code kept as written (INSEE, currency);
# number: a number (``1 234,5``, ``12 %``); period: a year, quarter, month or day;
# date: a day (a period read as its first day, or its last for an end);
# choice: one of a vocabulary (by its code or either label); list: names separated by commas.
Kind = Literal["name", "text", "code", "number", "period", "date", "choice", "list"]


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the field it is read into, the headers the template writes in
    French and English (``fr``, ``en``) and the other headers accepted (``synonyms``), what it
    holds, whether a row needs it, what it means in both languages, and the column of the
    sheet's database table it fills (``db``; its own name when empty)."""

    field: str
    fr: str
    en: str
    kind: Kind
    help_fr: str
    help_en: str
    required: bool = False
    synonyms: tuple[str, ...] = ()
    db: tuple[str, ...] = ()
    # A choice: its vocabulary (a name of ``schema.VOCABULARIES``, also that of its extra
    # spellings in ``catalog.SYNONYMS``), its value when left empty (none: the cell is needed),
    # and how the template's dropdown offers it (by label in the template's language, or code).
    choices: str | None = None
    default: str | None = None
    offered_as: Literal["label", "code"] = "label"
    # Written in the template (else only accepted when a file has it).
    template: bool = True

    @property
    def headers(self) -> frozenset[str]:
        """Every header that means this column, as matching keys."""
        return frozenset({key(self.fr), key(self.en), *self.synonyms})

    @property
    def filled(self) -> tuple[str, ...]:
        """The columns of the sheet's database table this column fills."""
        return self.db or (self.field,)

    def header(self, lang: str) -> str:
        """The header the template writes in ``lang`` (French, else English)."""
        return self.fr if lang == "fr" else self.en

    def help(self, lang: str) -> str:
        """What the column means, in ``lang``."""
        return self.help_fr if lang == "fr" else self.help_en


@dataclass(frozen=True)
class Sheet:
    """One kind of sheet: its names in the template (``fr``, ``en``) and the other names it is
    known by, the database table it fills, the columns typical of it (``signature``: a sheet
    not named after its kind must show one), and its columns in the template's order.
    ``identity``: for the rows of a contract, the fields that tell them apart within it."""

    kind: str
    fr: str
    en: str
    table: str
    signature: tuple[str, ...]
    columns: tuple[Column, ...]
    synonyms: tuple[str, ...] = ()
    identity: tuple[str, ...] = ()

    @property
    def names(self) -> frozenset[str]:
        """Every name a sheet of this kind may carry, as matching keys."""
        return frozenset({key(self.fr), key(self.en), *self.synonyms})

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(column.field for column in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        """The fields a sheet of this kind cannot do without, in column order."""
        return tuple(column.field for column in self.columns if column.required)

    @property
    def template_columns(self) -> tuple[Column, ...]:
        """The columns the template writes, in order."""
        return tuple(column for column in self.columns if column.template)

    def name(self, lang: str) -> str:
        """The sheet's name in the template in ``lang``."""
        return self.fr if lang == "fr" else self.en

    def column(self, field: str) -> Column:
        """The column of ``field``."""
        for column in self.columns:
            if column.field == field:
                return column
        raise KeyError(field)
