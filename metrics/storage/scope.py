"""An account's read filter as SQL, shared by the repositories' reads: which uploads count, which
alliances and rows an account reads (the parameters of ``Actor.read_params``), and which of the
kept tables' two scopes it reads of each alliance.

Observations and targets are an append-only history by upload: rolling back an upload hides its
rows, and the data as it stood after any upload can be read back (``$as_of``).
"""

from __future__ import annotations

from typing import Any

from metrics.base.access import Actor, Reader
from metrics.base.errors import AccessDenied

# Uploads whose rows count: the active ones, or, with $as_of, those that were active right
# after upload $as_of (a later rollback does not rewrite the past); ``validated`` says whether a
# lead (or an admin) has validated it, which is what funders read.
VISIBLE = """
visible AS (
    SELECT u.id, u.validated_at IS NOT NULL AS validated FROM upload u
    WHERE ($as_of IS NULL AND u.rolled_back_at IS NULL)
       OR ($as_of IS NOT NULL AND u.id <= $as_of
           AND (u.rolled_back_at IS NULL
                OR u.rolled_back_at > (SELECT uploaded_at FROM upload WHERE id = $as_of)))
)"""

# The read filter of an account (``Actor.read_params``): every row of the alliances it holds a
# role on, the validated rows of the alliances it funds, everything for an admin.
SCOPE_FILTER = (
    "($all_scope OR list_contains($full, a.name) "
    "OR (v.validated AND list_contains($validated, a.name)))"
)
# An alliance is there while an upload holding its rows (its declaration, values, partners…)
# is not rolled back: rolling back the upload that created it removes it from every list and
# from the names a file may refer to (its history stays; declaring it again brings it back).
LIVE_ALLIANCE = (
    "(a.upload_id IS NULL OR EXISTS (SELECT 1 FROM upload_alliance ua "
    "JOIN upload u ON u.id = ua.upload_id "
    "WHERE ua.alliance_id = a.id AND u.rolled_back_at IS NULL))"
)


def declared(entity: str, key: str) -> str:
    """SQL: the row of ``entity`` whose key as text is ``key`` is there while an upload still
    standing declared it, or when no upload ever did (kept from before the history of changes).
    ``entity`` is one of ``REFERENCE_FIELDS``'s, never a user's."""
    declarations = (
        "SELECT c.entity_id FROM reference_change c JOIN upload u ON u.id = c.upload_id "
        f"WHERE c.entity = '{entity}'"
    )
    return (
        f"({key} NOT IN ({declarations}) OR {key} IN ({declarations} AND u.rolled_back_at IS NULL))"
    )


# A partner is there while an upload still standing declared it.
LIVE_PARTNER = declared("stakeholder", "CAST(s.id AS VARCHAR)")
# An indicator too, or while an upload still standing holds values or targets of it; built-in
# ones always are. Every current value is in the year roll-up (the coarsest view), which is
# small beside the values themselves.
LIVE_INDICATOR = (
    f"(i.builtin OR {declared('indicator', 'i.code')} "
    "OR i.code IN (SELECT r.indicator_code FROM rollup r WHERE r.view_granularity = 'year') "
    "OR i.code IN (SELECT t.indicator_code FROM target t JOIN upload u "
    "ON u.id = t.upload_id WHERE u.rolled_back_at IS NULL))"
)

# The same for what is not versioned by upload (an alliance's name and territory, its partners).
ALLIANCE_FILTER = (
    "($all_scope OR list_contains($full, a.name) OR list_contains($validated, a.name)) "
    f"AND {LIVE_ALLIANCE}"
)
# Alliances an account reads in full (uploads, files, history): not a funder's validated view.
MEMBER_FILTER = "($all_scope OR list_contains($full, a.name))"


# Which of the kept tables' two scopes (``kept``) an account reads of each alliance: the
# members' one for the alliances it reads in full, the funders' one (validated uploads only) for
# those it funds; nothing of the others.
def kept_scope(members: str, funders: str) -> str:
    """SQL: a kept row is read when it is in the members' scope (``members``) of an alliance
    the account reads in full, or in the funders' scope (``funders``) of one it funds."""
    return (
        f"(CASE WHEN $all_scope OR list_contains($full, a.name) THEN {members} "
        f"ELSE {funders} AND list_contains($validated, a.name) END)"
    )


# The summary per alliance (alias ``m``) has a row per scope.
SUMMARY_SCOPE = kept_scope("NOT m.validated_only", "m.validated_only")

# Parameters that make the reads of current data read everything as it stands now (an import
# compares a file with them).
NOW_EVERYWHERE: dict[str, Any] = {
    **Actor.system("system").read_params(),
    "alliance": None,
    "as_of": None,
}


def scoped(actor: Reader, alliance: str | None) -> dict[str, Any]:
    """The read filter of ``actor`` as SQL parameters; asking for an alliance it cannot read
    is refused (whether or not that alliance exists)."""
    if alliance is not None and not actor.reads(alliance):
        raise AccessDenied.of("err.access_denied", name=alliance)
    return {**actor.read_params(), "alliance": alliance}
