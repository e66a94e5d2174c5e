"""Sharing an item read-only with another organisation, or with everyone.

Only an admin of the item's organisation shares (see `src.store.principal`);
each share and unshare is audited. Visibility itself is `access.visible`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update

from src.store.access import TABLES, changeable, find, record, require_admin
from src.store.db import get_engine, organisations, shares, with_retry
from src.store.errors import (
    StoreError,
    StoreNotFoundError,
    empty_on_fault,
    store_boundary,
)
from src.store.principal import Principal


@store_boundary
def share(kind: str, ref: str, actor: Principal, org: str) -> None:
    """Share an item of the actor's organisation read-only with `org` (admins).

    Raises:
        AccessDenied: not an admin of the item's organisation.
        StoreNotFoundError: no such item, or no organisation `org`.
    """
    require_admin(actor, "share")

    def work() -> None:
        with get_engine().begin() as conn:
            row = changeable(conn, kind, ref, actor)
            known = conn.execute(
                select(organisations.c.id).where(organisations.c.id == org)
            ).first()
            if known is None:
                raise StoreNotFoundError("store.org.not_found", org=org)
            already = conn.execute(
                select(shares.c.org_id).where(
                    shares.c.kind == kind,
                    shares.c.item_id == row.id,
                    shares.c.org_id == org,
                )
            ).first()
            if already or org == row.org_id:
                return
            conn.execute(
                insert(shares).values(
                    kind=kind, item_id=row.id, org_id=org, created=datetime.now(UTC)
                )
            )
            record(conn, actor, "share", kind, row.public_id, row.name, org)

    with_retry(work)


@store_boundary
def unshare(kind: str, ref: str, actor: Principal, org: str) -> None:
    """Stop sharing an item with `org` (admins of its organisation)."""
    require_admin(actor, "share")

    def work() -> None:
        with get_engine().begin() as conn:
            row = changeable(conn, kind, ref, actor)
            done = conn.execute(
                delete(shares).where(
                    shares.c.kind == kind,
                    shares.c.item_id == row.id,
                    shares.c.org_id == org,
                )
            ).rowcount
            if done:
                record(conn, actor, "unshare", kind, row.public_id, row.name, org)

    with_retry(work)


@store_boundary
def set_public(kind: str, ref: str, actor: Principal, public: bool) -> None:
    """Make an item visible to everyone signed in, or not (admins).

    Audited as "publish" / "unpublish"; asking for what already holds
    changes and records nothing.

    Raises:
        AccessDenied: not an admin of the item's organisation.
        StoreNotFoundError: no such item the actor can see.
    """
    require_admin(actor, "share")
    t = TABLES[kind]

    def work() -> None:
        with get_engine().begin() as conn:
            row = changeable(conn, kind, ref, actor)
            if bool(row.public) == public:
                return
            conn.execute(update(t).where(t.c.id == row.id).values(public=public))
            action = "publish" if public else "unpublish"
            record(conn, actor, action, kind, row.public_id, row.name)

    with_retry(work)


@store_boundary
def _is_public(kind: str, ref: str, actor: Principal) -> bool:
    with get_engine().connect() as conn:
        row = find(conn, kind, ref, actor, TABLES[kind].c.public)
    return bool(row is not None and row.public)


def is_public(kind: str, ref: str, actor: Principal) -> bool:
    """Whether an item the actor can see is public (False when the store fails)."""
    try:
        return _is_public(kind, ref, actor)
    except StoreError:
        return False


@empty_on_fault
def shared_with(kind: str, ref: str, actor: Principal) -> list[str]:
    """The organisations an item of the actor's organisation is shared with."""
    with get_engine().connect() as conn:
        row = find(conn, kind, ref, actor)
        if row is None or row.org_id != actor.org:
            return []
        rows = conn.execute(
            select(shares.c.org_id)
            .where(shares.c.kind == kind, shares.c.item_id == row.id)
            .order_by(shares.c.org_id)
        ).all()
    return [r.org_id for r in rows]
