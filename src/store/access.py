"""Who may see and change a stored item; sharing, soft deletion and the audit trail.

Datasets and scenarios ("items") belong to an organisation. An item is visible
to its organisation, to the organisations it is shared with (read-only) and,
when public, to everyone signed in. Deletion is soft: the row keeps its data
with ``deleted_at`` set, an admin of its organisation may restore it for
`RESTORE_DAYS` days, `purge_expired` then removes it. Every create, replace,
rename, share, delete, restore and purge writes one `audit` row.

Lookups take a *ref*: the item's random public id (what links carry), or its
name among the items the actor can see (the CLI and old links), the actor's
own organisation first. Something the actor cannot see is "not found", the
same answer as something that does not exist.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    Connection,
    Table,
    and_,
    case,
    delete,
    insert,
    or_,
    select,
    true,
    update,
)

from src.store.db import (
    as_utc,
    audit,
    datasets,
    get_engine,
    memberships,
    reference_classes,
    scenarios,
    shares,
    with_retry,
)
from src.store.errors import (
    AccessDenied,
    DatasetNotFoundError,
    ScenarioNotFoundError,
    StoreNotFoundError,
    StoreRefusal,
    empty_on_fault,
    store_boundary,
)
from src.store.principal import Principal

RESTORE_DAYS = 30
TABLES: dict[str, Table] = {"dataset": datasets, "scenario": scenarios}


def new_public_id() -> str:
    """A random, unguessable id (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def visible(kind: str, actor: Principal):  # noqa: ANN201 - a SQL condition
    """The condition "live and visible to `actor`" on the table of `kind`."""
    t = TABLES[kind]
    live = t.c.deleted_at.is_(None)
    if actor.org is None:
        return and_(live, t.c.public == true())
    shared = t.c.id.in_(
        select(shares.c.item_id).where(
            shares.c.kind == kind, shares.c.org_id == actor.org
        )
    )
    return and_(live, or_(t.c.org_id == actor.org, t.c.public == true(), shared))


def own_first(kind: str, actor: Principal):  # noqa: ANN201 - an ORDER BY term
    """Sort key: the actor's own organisation's items before shared ones."""
    t = TABLES[kind]
    return case((t.c.org_id == (actor.org or ""), 0), else_=1)


def find(conn: Connection, kind: str, ref: str, actor: Principal, *cols):  # noqa: ANN002, ANN201
    """The row (`cols`, default all) of the visible item `ref`, or None."""
    t = TABLES[kind]
    cols = cols or tuple(t.c)
    base = select(*cols).where(visible(kind, actor))
    row = conn.execute(base.where(t.c.public_id == ref)).first()
    if row is None:
        row = conn.execute(
            base.where(t.c.name == ref).order_by(own_first(kind, actor), t.c.id)
        ).first()
    return row


def require_create(actor: Principal) -> None:
    """Refuse an import or a save by someone who may not create."""
    if actor.org is None:
        raise AccessDenied("no_org")
    if not actor.can_create:
        raise AccessDenied("create", role=actor.role)


def require_change(actor: Principal, row) -> None:  # noqa: ANN001 - a row
    """Refuse a rename, replace or delete of `row` by `actor`."""
    if actor.may_change(row.org_id, row.owner):
        return
    if row.org_id != actor.org:
        raise AccessDenied("read_only", name=row.name)
    raise AccessDenied("not_owner", name=row.name)


def require_admin(actor: Principal, what: str) -> None:
    """Refuse an admin action (`what`: share, restore, members)."""
    if not actor.is_admin:
        raise AccessDenied(what)


def require_current(conn: Connection, actor: Principal) -> None:
    """Refuse a member whose organisation or role changed since `actor` was read.

    One primary-key query in the change's own transaction: an admin's
    demotion or removal, made on any app server, applies to the member's very
    next change, even from a session (or a callback) holding the older
    principal. `LOCAL`, the system and unclaimed users carry no membership.
    """
    if not actor.member:
        return
    row = conn.execute(
        select(
            memberships.c.org_id, memberships.c.role, memberships.c.removed_at
        ).where(memberships.c.user_key == actor.user)
    ).first()
    if row is None or row.removed_at is not None or row.org_id != actor.org:
        raise AccessDenied("removed")
    if row.role != actor.role:
        raise AccessDenied("role_changed", role=row.role)


def record(
    conn: Connection,
    actor: Principal,
    action: str,
    kind: str,
    item: str,
    name: str,
    detail: str = "",
) -> None:
    """Write one audit row (in the caller's transaction).

    Every change records, so this is where a member's principal is checked
    against the store (`require_current`): a stale one rolls the change back.
    """
    require_current(conn, actor)
    conn.execute(
        insert(audit).values(
            at=datetime.now(UTC),
            user_key=actor.user,
            org_id=actor.org,
            action=action,
            kind=kind,
            item=item,
            name=name,
            detail=detail,
        )
    )


def name_taken(conn: Connection, kind: str, org: str, name: str):  # noqa: ANN201
    """The live item of `org` called `name` (id, public_id, owner, org_id, name)."""
    t = TABLES[kind]
    return conn.execute(
        select(t.c.id, t.c.public_id, t.c.owner, t.c.org_id, t.c.name).where(
            t.c.org_id == org, t.c.name == name, t.c.deleted_at.is_(None)
        )
    ).first()


def not_found(kind: str, ref: str) -> StoreNotFoundError:
    """The "not found" of `ref` (the same for hidden as for missing items)."""
    error = DatasetNotFoundError if kind == "dataset" else ScenarioNotFoundError
    return error(f"store.{kind}.not_found", name=ref)


def create(
    conn: Connection, kind: str, actor: Principal, name: str, **values: object
) -> str:
    """Insert a private item of the actor's organisation; its new public id."""
    public_id = new_public_id()
    conn.execute(
        insert(TABLES[kind]).values(
            name=name,
            public_id=public_id,
            org_id=actor.org,
            owner=actor.user,
            public=False,
            **values,
        )
    )
    record(conn, actor, "create", kind, public_id, name)
    return public_id


def change(conn: Connection, kind: str, row, **values: object) -> bool:  # noqa: ANN001
    """Update the live item `row` as it was found; False when it changed meanwhile.

    The UPDATE repeats what was found (id, name, not deleted): on PostgreSQL
    (READ COMMITTED) an UPDATE that waited for a concurrent writer's lock checks
    its WHERE again on the row that writer left, so an item renamed or deleted
    meanwhile is left alone instead of being changed under its old name.
    """
    t = TABLES[kind]
    found = and_(t.c.id == row.id, t.c.name == row.name, t.c.deleted_at.is_(None))
    return conn.execute(update(t).where(found).values(**values)).rowcount == 1


def changeable(conn: Connection, kind: str, ref: str, actor: Principal):  # noqa: ANN201
    """The visible row `ref` that `actor` may change; raises otherwise."""
    row = find(conn, kind, ref, actor)
    if row is None:
        raise not_found(kind, ref)
    require_change(actor, row)
    return row


@store_boundary
def soft_delete(kind: str, ref: str, actor: Principal) -> bool:
    """Mark an item deleted (restorable by an admin); True when one was.

    A ref the actor cannot see deletes nothing (False), as one that does not
    exist; one it can see but not change raises `AccessDenied`.
    """

    def work() -> bool:
        with get_engine().begin() as conn:
            row = find(conn, kind, ref, actor)
            if row is None:
                return False
            require_change(actor, row)
            now = datetime.now(UTC)
            if not change(conn, kind, row, deleted_at=now, deleted_by=actor.user):
                return False  # renamed or deleted meanwhile: not `ref` any more
            record(conn, actor, "delete", kind, row.public_id, row.name)
            return True

    done = with_retry(work)
    purge_expired()
    return done


@dataclass(frozen=True)
class DeletedItem:
    """A soft-deleted item an admin may restore until `purge_after`."""

    kind: str
    id: str
    name: str
    deleted_at: datetime
    deleted_by: str

    @property
    def purge_after(self) -> datetime:
        """When `purge_expired` removes it for good."""
        return self.deleted_at + timedelta(days=RESTORE_DAYS)


@empty_on_fault
def list_deleted(kind: str, actor: Principal) -> list[DeletedItem]:
    """The organisation's deleted items of `kind` (admins only), newest first."""
    if not actor.is_admin:
        return []
    t = TABLES[kind]
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(t.c.public_id, t.c.name, t.c.deleted_at, t.c.deleted_by)
            .where(t.c.org_id == actor.org, t.c.deleted_at.is_not(None))
            .order_by(t.c.deleted_at.desc())
        ).all()
    return [
        DeletedItem(kind, r.public_id, r.name, as_utc(r.deleted_at), r.deleted_by)
        for r in rows
    ]


@store_boundary
def restore(kind: str, item: str, actor: Principal) -> None:
    """Bring back a deleted item of the actor's organisation (admins only).

    Raises:
        AccessDenied: not an admin.
        StoreNotFoundError: no deleted item of the organisation has this id.
        StoreRefusal: its name was taken by a newer item meanwhile.
    """
    require_admin(actor, "restore")
    t = TABLES[kind]

    def work() -> None:
        with get_engine().begin() as conn:
            row = conn.execute(
                select(t.c.id, t.c.name).where(
                    t.c.public_id == item,
                    t.c.org_id == actor.org,
                    t.c.deleted_at.is_not(None),
                )
            ).first()
            if row is None:
                raise not_found(kind, item)
            if name_taken(conn, kind, actor.org, row.name):
                raise StoreRefusal(f"store.{kind}.exists_again", name=row.name)
            conn.execute(
                update(t)
                .where(t.c.id == row.id)
                .values(deleted_at=None, deleted_by=None)
            )
            record(conn, actor, "restore", kind, item, row.name)

    with_retry(work)


@store_boundary
def purge_expired(now: datetime | None = None) -> int:
    """Remove items deleted more than `RESTORE_DAYS` ago; how many were removed."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=RESTORE_DAYS)

    def work() -> int:
        removed = 0
        with get_engine().begin() as conn:
            for kind, t in TABLES.items():
                rows = conn.execute(
                    select(t.c.id, t.c.public_id, t.c.name, t.c.org_id).where(
                        t.c.deleted_at.is_not(None), t.c.deleted_at < cutoff
                    )
                ).all()
                for r in rows:
                    conn.execute(
                        delete(shares).where(
                            shares.c.kind == kind, shares.c.item_id == r.id
                        )
                    )
                    if kind == "dataset":
                        rc = reference_classes
                        conn.execute(delete(rc).where(rc.c.dataset == r.public_id))
                    conn.execute(delete(t).where(t.c.id == r.id))
                    system = Principal(user="system", org=r.org_id)
                    record(conn, system, "purge", kind, r.public_id, r.name)
                    removed += 1
        return removed

    return with_retry(work)


@dataclass(frozen=True)
class AuditRow:
    """One audit entry: who did what to which item, when."""

    at: datetime
    user: str
    org: str | None
    action: str
    kind: str
    item: str
    name: str
    detail: str


@empty_on_fault
def audit_trail(actor: Principal, limit: int = 200) -> list[AuditRow]:
    """The organisation's audit rows, newest first (admins only)."""
    if not actor.is_admin:
        return []
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(audit)
            .where(audit.c.org_id == actor.org)
            .order_by(audit.c.at.desc(), audit.c.id.desc())
            .limit(limit)
        ).all()
    return [
        AuditRow(
            as_utc(r.at),
            r.user_key,
            r.org_id,
            r.action,
            r.kind,
            r.item,
            r.name,
            r.detail,
        )
        for r in rows
    ]
