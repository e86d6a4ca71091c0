"""Who is acting, and what they may read and do: the rules behind every read and write.

Roles (see the README, "Accounts and roles"):

- ``admin``: everything, on every alliance;
- per alliance, ``viewer`` (reads the alliance, validated or not), ``editor`` (+ uploads and
  rolls back its alliance's uploads, writes the committee's notes and decisions), ``lead``
  (+ validates uploads, manages the alliance's accounts, runs its trust barometer and its
  public page);
- ``funder``, granted on a portfolio (a named set of alliances): reads only the **validated**
  data of those alliances.

An ``Actor`` is built by the store from the account's grants; the store turns what it reads
(its ``Scope``) into SQL parameters (``read_params``) so that every read is filtered in the
database, and checks ``may`` before any write. A read needs only a ``Reader``: an actor, or its
scope alone, which is what cached reads are keyed by (accounts that read the same rows share
one computation).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

ALLIANCE_ROLES = ("viewer", "editor", "lead")
ROLES = ("admin", *ALLIANCE_ROLES, "funder")

# What each alliance role may do on its alliance (the admin may do everything everywhere).
RIGHTS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read"}),
    "editor": frozenset({"read", "upload", "rollback", "download", "note"}),
    # + runs the trust barometer (``survey``) and the alliance's public page (``publish``)
    "lead": frozenset(
        {"read", "upload", "rollback", "download", "note", "validate", "manage"}
        | {"survey", "publish"}
    ),
}

# Actions written to the audit log.
ACTIONS = (
    "sign_in",
    "sign_in_failed",
    "sign_in_locked",
    "sign_in_unlock",
    "sign_out",
    "session_expired",
    "upload",
    "validate",
    "rollback",
    "download",
    "export",
    "page_open",
    "account_add",
    "account_disable",
    "account_enable",
    "password_set",
    "grant",
    "revoke",
    "portfolio_add",
    "audit_export",
    "note_add",
    "note_edit",
    "note_withdraw",
    "migrate",
    "maintain",
    "flag_check",
    "survey_open",
    "survey_close",
    "survey_text",
    "public_page",
)

# Figures about alliances outside an account's grants are shown only over at least this many.
MIN_PEERS = 5


class Reader(Protocol):
    """What a read of the data needs of whoever reads: which alliances it reads, and the read
    filter's SQL parameters. An ``Actor`` is one, and so is its ``Scope``."""

    def reads(self, alliance: str) -> bool: ...

    def read_params(self) -> dict[str, object]: ...


@dataclass(frozen=True)
class Scope:
    """What an account may read, and nothing else about it: everything (an admin), the
    alliances it reads in full (it holds a role on them), those it reads as validated only (it
    funds them and holds no role there). Two accounts with the same scope read the same rows,
    whoever they are: cached reads and page models are keyed by it, not by the account.

    >>> Actor("a@x.org", roles=frozenset({("A", "viewer")})).scope == Actor(
    ...     "b@x.org", roles=frozenset({("A", "lead")})).scope
    True
    """

    everything: bool = False
    full: frozenset[str] = frozenset()
    validated: frozenset[str] = frozenset()

    def reads(self, alliance: str) -> bool:
        return self.everything or alliance in self.full or alliance in self.validated

    def read_params(self) -> dict[str, object]:
        """SQL parameters of the read filter: everything (admin), the alliances read in full,
        the alliances read as validated only."""
        return {
            "all_scope": self.everything,
            "full": sorted(self.full),
            "validated": sorted(self.validated),
        }


@dataclass(frozen=True)
class Actor:
    """The acting account: its e-mail, its admin flag, its alliance roles and funded alliances.

    >>> lead = Actor("a@x.org", roles=frozenset({("Alliance A", "lead")}))
    >>> lead.may("validate", "Alliance A"), lead.may("upload", "Alliance B")
    (True, False)
    """

    email: str
    name: str = ""
    admin: bool = False
    roles: frozenset[tuple[str, str]] = frozenset()
    funded: frozenset[str] = frozenset()
    portfolios: frozenset[str] = frozenset()

    @classmethod
    def system(cls, name: str) -> Actor:
        """Whoever holds the database file (the CLI, the seed): acts as admin, named ``name``."""
        return cls(email=name, name=name, admin=True)

    def role(self, alliance: str) -> str | None:
        """The account's role on ``alliance`` (``None`` when it has none)."""
        return next((role for name, role in self.roles if name == alliance), None)

    @property
    def member_of(self) -> frozenset[str]:
        """Alliances where the account holds a role (reads every upload of them)."""
        return frozenset(name for name, _ in self.roles)

    @property
    def scope(self) -> Scope:
        """What the account reads (``Scope``): its reads are its scope's."""
        if self.admin:
            return Scope(everything=True)
        return Scope(False, self.member_of, self.funded - self.member_of)

    def reads(self, alliance: str) -> bool:
        return self.scope.reads(alliance)

    def may(self, right: str, alliance: str) -> bool:
        """Whether the account may ``right`` (read, upload, rollback, download, note,
        validate, manage, survey, publish) on ``alliance``."""
        if self.admin:
            return True
        if right == "read":
            return self.reads(alliance)
        role = self.role(alliance)
        return role is not None and right in RIGHTS[role]

    def may_all(self, right: str, alliances: Iterable[str]) -> bool:
        return all(self.may(right, a) for a in alliances)

    def refused(self, right: str, alliances: Iterable[str]) -> list[str]:
        """The alliances among ``alliances`` where the account may not ``right``, sorted."""
        return sorted({a for a in alliances if not self.may(right, a)})

    def read_params(self) -> dict[str, object]:
        """SQL parameters of the read filter (``Scope.read_params``)."""
        return self.scope.read_params()

    @property
    def is_funder(self) -> bool:
        return bool(self.portfolios)

    def holds(self, right: str) -> bool:
        """Whether the account holds ``right``, one of ``PAGE_RIGHTS`` (which a page asks of
        whoever opens it); the admin holds them all.

        >>> Actor("f@x.org", portfolios=frozenset({"P"})).holds("read_portfolio")
        True
        """
        return self.admin or PAGE_RIGHTS[right](self)

    def writable(self) -> list[str]:
        """Alliances the account may import into (by role; an admin may import anywhere)."""
        return sorted(name for name, role in self.roles if "upload" in RIGHTS[role])

    def may_somewhere(self, right: str) -> bool:
        """Whether the account may ``right`` on some alliance (the admin: everywhere)."""
        return self.admin or any(right in RIGHTS[role] for _, role in self.roles)

    @property
    def uploads_somewhere(self) -> bool:
        return self.admin or bool(self.writable())

    def managed(self) -> list[str]:
        """Alliances whose accounts this account manages (all for an admin: see ``admin``)."""
        return sorted(name for name, role in self.roles if role == "lead")


# The rights a page may ask of whoever opens it, each with its one rule; the admin holds them
# all (``Actor.holds``). A page is declared with the right it needs beside its file and its
# address (``ui/navigation.py``), as datasette registers a route with its permission; the
# navigation offers an account the pages whose right it holds.
PAGE_RIGHTS: dict[str, Callable[[Actor], bool]] = {
    # any signed-in account
    "signed_in": lambda who: True,
    # reads an alliance: a role on it, or a portfolio that funds it
    "read_alliances": lambda who: bool(who.member_of or who.funded),
    # funds a portfolio of alliances
    "read_portfolio": lambda who: who.is_funder,
    # holds a role on an alliance: lists its uploads (and imports there, by role)
    "list_uploads": lambda who: bool(who.member_of),
    # leads an alliance: manages its accounts
    "manage_accounts": lambda who: bool(who.managed()),
    # the admin's alone
    "read_audit": lambda who: False,
}


def normalise_email(email: str) -> str:
    """E-mails are keys: compared without case, outer spaces or invisible characters (the
    word joiner that pages write before "@" so that an address is not a link comes along when
    an address is copied from a page; no address holds one)."""
    return "".join(c for c in email if unicodedata.category(c) != "Cf").strip().lower()


def valid_email(email: str) -> bool:
    """A plausible address: one ``@``, something before it, a dot in the domain."""
    local, at, domain = email.partition("@")
    return bool(
        local and at and "." in domain.strip(".") and " " not in email and "@" not in domain
    )
