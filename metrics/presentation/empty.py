"""What a page with nothing to show tells its reader to do next, by who the reader is: the
import to make (and the template to fill) for whoever may import, the administrator to ask for
whoever may not, the validation to wait for for a funder.

A page asks ``next_step`` with the alliances its reader reads (name and how many values each
has, as ``Store.alliances`` gives them); it gets a sentence of the catalogue and its
parameters, or ``None`` when there is something to show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from metrics.base.access import Actor


@dataclass(frozen=True)
class NextStep:
    """A sentence of the catalogue (``key``) and its parameters; ``page``: where to do it (the
    data page, to import) or ``None`` (someone is to be asked, or waited for); ``template``:
    whether to offer the template to fill."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    page: str | None = None
    template: bool = False


def next_step(
    actor: Actor, alliances: pd.DataFrame, admins: Sequence[str] = (), here: str = ""
) -> NextStep | None:
    """What to do when no alliance ``actor`` reads has a value (``None`` when one has).

    ``alliances``: the alliances it reads (``name``, ``observations``); ``admins``: whom to
    ask (the installation's administrators); ``here``: the page asking (on the data page the
    step points to nothing: the import is there).

    >>> new = pd.DataFrame({"name": [], "observations": []})
    >>> next_step(Actor.system("root"), new).key
    'empty.install'
    """
    if (alliances["observations"] > 0).any():
        return None
    names = sorted(map(str, alliances["name"]))
    ask = {"admins": ", ".join(admins) or "—"}
    importable = [n for n in names if actor.may("upload", n)]
    page = None if here == "data" else "data"
    if not names:
        if actor.admin:
            return NextStep("empty.install", {}, page, template=True)
        if actor.uploads_somewhere:
            mine = ", ".join(actor.writable())
            return NextStep("empty.declare", {"alliances": mine}, page, template=True)
        if actor.is_funder:
            portfolios = ", ".join(sorted(actor.portfolios))
            return NextStep("empty.portfolio", {"portfolios": portfolios, **ask})
        return NextStep("empty.no_role", ask)
    listed = {"alliances": ", ".join(names), "count": len(names)}
    if importable:
        return NextStep("empty.no_values_import", listed, page, template=True)
    if all(n in actor.funded and n not in actor.member_of for n in names):
        return NextStep("empty.no_values_validated", listed)
    return NextStep("empty.no_values_wait", {**listed, **ask})
