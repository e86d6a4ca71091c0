"""Text helpers shared by the parsers: folding for case-, accent- and space-insensitive matching,
in any script, and the rule a name must follow to be a name."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 120  # characters of a name: an alliance, a partner, an indicator, a contract

# Characters that show nothing or change how the text around them shows: controls, format
# characters (bidi overrides such as U+202E, zero-width spaces and joiners, soft hyphens),
# private-use, unassigned and surrogate code points. In a name they would let one name look
# like another.
_HIDDEN = frozenset({"Cc", "Cf", "Co", "Cn", "Cs"})
_NOT_A_KEY_CHARACTER = re.compile(r"(?:[^\w%]|_)+")


def fold(text: str) -> str:
    """Lower-case, strip accents and outer spaces: ``" Données "`` -> ``"donnees"``.

    Only canonical decomposition is used (accents split from their letters, in any script:
    ``Й`` -> ``и``), not the compatibility one, which would read ``10²`` as ``102``.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().strip()


def key(text: str) -> str:
    """A matching key for names and headers: folded, every run of characters other than
    letters, digits and ``%`` (in any script) collapsed to ``_``.

    >>> key("Date de création")
    'date_de_creation'
    >>> key("Союз  Юг")
    'союз_юг'
    """
    return _NOT_A_KEY_CHARACTER.sub("_", fold(text)).strip("_")


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name an alliance, a partner, an indicator or a contract (an error
    code of the catalogue), or ``None``: hidden characters, too long, or no letter or digit
    (``???`` would match every other name made of punctuation)."""
    if any(unicodedata.category(c) in _HIDDEN for c in name):
        return "err.name_hidden"
    if len(name) > MAX_NAME:
        return "err.name_too_long"
    if not key(name).strip("%_"):
        return "err.name_no_letters"
    return None
