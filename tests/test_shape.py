"""The shape of the code a newcomer reads: files of one concept, functions that fit on a screen,
the language chosen at the edges. (The direction of imports is `lint-imports`' job.)"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from metrics.base import config

MAX_FILE_LINES = 1_000
MAX_FUNCTION_LINES = 80
SOURCES = ("metrics", "ui", "pages")


def sources() -> Iterator[Path]:
    for folder in SOURCES:
        yield from sorted((config.ROOT / folder).rglob("*.py"))
    yield config.ROOT / "app.py"


def functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def declarative(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function whose body (after its docstring) only returns a literal: data, not steps."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    literal = ast.List | ast.Tuple | ast.Dict | ast.Set
    return len(body) == 1 and isinstance(body[0], ast.Return) and isinstance(body[0].value, literal)


def test_no_file_is_over_a_thousand_lines() -> None:
    long = {
        str(path.relative_to(config.ROOT)): lines
        for path in sources()
        if (lines := path.read_text(encoding="utf-8").count("\n")) > MAX_FILE_LINES
    }
    assert not long, long


def test_no_function_is_over_eighty_lines() -> None:
    long = []
    for path in sources():
        for function in functions(ast.parse(path.read_text(encoding="utf-8"))):
            assert function.end_lineno is not None
            lines = function.end_lineno - function.lineno + 1
            if lines > MAX_FUNCTION_LINES and not declarative(function):
                long.append(f"{path.relative_to(config.ROOT)}:{function.lineno} {function.name}")
    assert not long, long


def test_no_module_of_metrics_picks_a_language() -> None:
    """The language is the reader's: the edges (ui, the CLI, the pack) pass it; nothing below
    them defaults to one."""
    defaults = []
    for path in sorted((config.ROOT / "metrics").rglob("*.py")):
        for function in functions(ast.parse(path.read_text(encoding="utf-8"))):
            arguments = function.args
            positional = arguments.posonlyargs + arguments.args
            with_default = positional[len(positional) - len(arguments.defaults) :]
            keyword = [a for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d]
            if any(a.arg == "lang" for a in with_default + keyword):
                defaults.append(f"{path.relative_to(config.ROOT)}:{function.lineno}")
    assert not defaults, defaults
