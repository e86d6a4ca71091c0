"""Every user-facing string, in French and English, in one gettext catalogue per language.

The catalogues are ``locale/<lang>/LC_MESSAGES/messages.po`` beside this module: each message
id is a key the code names (``err.refused``), its message the text in that language, with
``{placeholders}`` filled in by ``t``. French is the source language (the English catalogue
carries the French text as a comment for the translator) and the fallback of any other. A
translator edits a catalogue in Poedit or Weblate; a new string is a new entry in every
catalogue. A test checks that every key has every language, with the same placeholders, and
that every key is used somewhere in the code.

The ``.po`` files are read as they are, with Babel, once per process: no compiled ``.mo`` to
rebuild and keep in step with them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

from babel.messages.pofile import read_po

from metrics.base.errors import MetricsError

LANGUAGES = ("fr", "en")
SOURCE = "fr"  # the language the others are translated from, and their fallback
DOMAIN = "messages"

# Parameters that are quantities: a whole number among them is written with the language's
# thousands separator (``1 000 000`` in French, ``1,000,000`` in English). Identifiers (an
# upload's number, a year, a row of a file) are not.
QUANTITIES = frozenset(
    {"count", "shown", "total", "added", "changed", "unchanged", "missing", "found", "allowed"}
    | {"length", "limit"}
)


def catalogue_file(lang: str) -> Traversable:
    """The ``.po`` file of ``lang``, shipped inside the package."""
    locale = resources.files("metrics.presentation") / "locale"
    return locale / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Key -> text of ``lang``'s catalogue, read once per process; empty for a language
    without one. A fuzzy or empty translation is left out, as gettext leaves it out: the
    key then falls back to French."""
    if lang not in LANGUAGES:
        return MappingProxyType({})
    with catalogue_file(lang).open("rb") as file:
        messages = read_po(file, locale=lang, domain=DOMAIN, abort_invalid=True)
    return MappingProxyType(
        {
            str(message.id): str(message.string)
            for message in messages
            if message.id and message.string and not message.fuzzy
        }
    )


def known(key: str) -> bool:
    """Whether ``key`` names a catalogue string."""
    return key in catalogue(SOURCE)


def t(key: str, lang: str, **params: Any) -> str:
    """The string ``key`` in ``lang`` (French if the language is unknown), formatted."""
    text = catalogue(lang).get(key) or catalogue(SOURCE)[key]
    if not params:
        return text
    return text.format(
        **{k: _grouped(v, lang) if k in QUANTITIES else v for k, v in params.items()}
    )


def _grouped(value: Any, lang: str) -> Any:
    if not isinstance(value, int) or isinstance(value, bool):
        return value
    return f"{value:,}".replace(",", "\u202f" if lang != "en" else ",")


def said(error: MetricsError, lang: str) -> str:
    """A refusal in ``lang``: its catalogue string filled with its parameters."""
    return t(error.key, lang, **error.params)
