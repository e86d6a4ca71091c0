"""Every account with its grants, as ``users list`` prints it."""

from __future__ import annotations

from metrics.base.access import Actor
from metrics.storage.store import Store


def account_list(store: Store, admin: Actor) -> list[dict[str, object]]:
    """Every account with its grants (for ``users list``)."""
    grants = store.grants(admin)
    documents = []
    for account in store.accounts(admin).to_dict("records"):
        mine = grants[grants["email"] == account["email"]]
        documents.append(
            {
                "email": account["email"],
                "name": account["name"],
                "lang": account["lang"],
                "status": account["status"],
                "password": bool(account["has_password"]),
                "grants": [
                    {k: g[k] for k in ("role", "alliance", "portfolio") if isinstance(g[k], str)}
                    for g in mine.to_dict("records")
                ],
            }
        )
    return documents
