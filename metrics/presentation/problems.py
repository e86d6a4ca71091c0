"""The problems of a file, said in the reader's language: a sentence, a line for the command
line, a row of the data page's table (``metrics.sheets.problem.Problem`` holds only data)."""

from __future__ import annotations

from typing import Any

from metrics.presentation import formatting
from metrics.presentation.i18n import t
from metrics.sheets.problem import Problem
from metrics.sheets.schema import VOCABULARIES

# The problem table's columns, by catalogue key.
COLUMNS = ("col.sheet", "col.row", "col.column", "col.value", "col.reason")


def message(problem: Problem, lang: str) -> str:
    """What is wrong and what to do, in ``lang``."""
    return t(problem.code, lang, **_params(problem, lang))


def _params(problem: Problem, lang: str) -> dict[str, Any]:
    """The problem's parameters, a vocabulary said as its choices in ``lang``, a number (not
    a row's) written as ``lang`` writes it."""
    params = {
        name: formatting.number(value, lang) if isinstance(value, float) else value
        for name, value in problem.params
    }
    vocabulary = params.pop("vocabulary", None)
    if vocabulary is not None:
        choices = VOCABULARIES[vocabulary].values()
        params["choices"] = ", ".join(labels.get(lang) or labels["fr"] for labels in choices)
    return params


def headers(lang: str) -> list[str]:
    """The problem table's column headers in ``lang``."""
    return [t(column, lang) for column in COLUMNS]


def as_row(problem: Problem, lang: str) -> dict[str, Any]:
    """The problem as a row of the problem table, under ``headers(lang)``."""
    values = (problem.sheet, problem.row, problem.column or "", problem.value)
    return dict(zip(headers(lang), (*values, message(problem, lang)), strict=True))


def line(problem: Problem, lang: str) -> str:
    """The problem on one line: sheet, row, column, the value quoted, then the message."""
    where = [problem.sheet]
    if problem.row is not None:
        where.append(t("where.row", lang, row=problem.row))
    if problem.column:
        where.append(t("where.column", lang, column=problem.column))
    quoted = f"« {problem.value} »" if lang == "fr" else f"\u201c{problem.value}\u201d"
    shown = f" {quoted}" if problem.value else ""
    colon = "\u00a0:" if lang == "fr" else ":"  # French sets a space before a colon
    return f"{', '.join(where)}{colon}{shown} {message(problem, lang)}"
