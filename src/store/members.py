"""An organisation's members and roles, and the claims that place users in it.

Only an admin of the organisation sees or changes these (`require_admin`,
"members"); every change is an audit row. The UI (the Members page) only
composes these functions.

Which source wins, the settings file or the table: the organisations file
(`APP_ORGS_FILE`, loaded by `src.store.orgs.load_orgs` at each process start
and after each edit) is the deployer's word and wins for every claim it names,
even one an admin mapped on the page (to this organisation or another). An
admin may add claims the file does not name; they are kept when the file is
loaded again, and only the page removes them. A claim the file no longer names
is removed at the next load unless it was added on the page. "Added on the
page" is read from the audit trail (the claim's newest "claim+" / "claim-" row
in its organisation; "claim=file" when the file came to name a page-added
one, which is then the file's), so no extra column is needed.

A claim only places users at their first sign-in: a member keeps their
organisation and role (`memberships`) until an admin changes the role or
removes the member (`remove_member`: the row is kept with ``removed_at``, so
no claim places them again) or re-admits a removed one (`readmit_member`,
with the role they had). Each applies at once: the app reads the member's
principal on every run and the store checks it at every change
(`src.store.access.require_current`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select, update

from src.store.access import record, require_admin
from src.store.db import (
    as_utc,
    audit,
    get_engine,
    memberships,
    org_claims,
    with_retry,
)
from src.store.errors import StoreNotFoundError, StoreRefusal, store_boundary
from src.store.principal import ROLES, Principal

CLAIM_KINDS = ("domain", "group", "email")
MAX_CLAIM = 200  # what an audit row's name holds
# Anyone can get an address at these: a domain claim would place strangers.
OPEN_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "mail.com",
    }
)
_DOMAIN = re.compile(r"^(?=.{3,200}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


@dataclass(frozen=True)
class Member:
    """One member of the organisation (made at their first sign-in)."""

    user: str
    email: str
    role: str
    since: datetime  # UTC
    removed: datetime | None = None  # UTC; set for a removed member


@dataclass(frozen=True)
class Claim:
    """One claim value that places new users in the organisation.

    Attributes:
        claim: as stored (``example.org``, ``group:x``, ``admin:a@example.org``).
        kind: "domain", "group" or "email".
        value: what the admin typed (the domain, group or address).
        role: the role a new member gets.
        from_file: set by the organisations file (read-only on the page).
    """

    claim: str
    kind: str
    value: str
    role: str
    from_file: bool


def _kind_of(claim: str) -> tuple[str, str]:
    """(kind, value) of a stored claim.

    >>> _kind_of("group:partner-ke"), _kind_of("admin:a@b.org"), _kind_of("b.org")
    (('group', 'partner-ke'), ('email', 'a@b.org'), ('domain', 'b.org'))
    """
    if claim.startswith("group:"):
        return "group", claim.removeprefix("group:")
    if claim.startswith("admin:"):
        return "email", claim.removeprefix("admin:")
    return "domain", claim


def claim_of(kind: str, value: str) -> str:
    """The stored claim for what an admin typed, or `StoreRefusal` saying why.

    >>> claim_of("domain", " Treasury.GO.ke "), claim_of("email", "PS@x.org")
    ('treasury.go.ke', 'admin:ps@x.org')
    """
    clean = value.strip().lower()
    if kind not in CLAIM_KINDS:
        raise StoreRefusal("store.claim.kind", kind=kind)
    if not clean or len(clean) > MAX_CLAIM - 6:
        raise StoreRefusal("store.claim.length", limit=MAX_CLAIM - 6)
    if kind == "group":
        return f"group:{clean}"
    domain = clean.rsplit("@", 1)[-1] if kind == "email" else clean
    if (kind == "email" and clean.count("@") != 1) or not _DOMAIN.match(domain):
        raise StoreRefusal(f"store.claim.bad_{kind}", value=value.strip())
    if kind == "domain" and clean in OPEN_DOMAINS:
        raise StoreRefusal("store.claim.open_domain", value=clean)
    return f"admin:{clean}" if kind == "email" else clean


def page_claims(conn: Connection, org: str) -> set[str]:
    """The claims of `org` whose newest page change (audit) is an addition."""
    rows = conn.execute(
        select(audit.c.action, audit.c.name)
        .where(audit.c.kind == "claim", audit.c.org_id == org)
        .order_by(audit.c.at, audit.c.id)
    ).all()
    latest: dict[str, str] = {}
    for r in rows:
        latest[r.name] = r.action
    return {claim for claim, action in latest.items() if action == "claim+"}


@store_boundary
def list_members(actor: Principal) -> list[Member]:
    """The members of the actor's organisation, by e-mail (admins only).

    Raises:
        AccessDenied: not an admin.
    """
    return _members(actor, removed=False)


@store_boundary
def list_removed(actor: Principal) -> list[Member]:
    """The removed members of the actor's organisation, by e-mail (admins only).

    Raises:
        AccessDenied: not an admin.
    """
    return _members(actor, removed=True)


def _removed_is(removed: bool):  # noqa: ANN202 - a SQLAlchemy clause
    """The clause selecting removed members (`removed`) or current ones."""
    out = memberships.c.removed_at
    return out.is_not(None) if removed else out.is_(None)


def _members(actor: Principal, *, removed: bool) -> list[Member]:
    require_admin(actor, "members")
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(memberships)
            .where(
                memberships.c.org_id == actor.org,
                _removed_is(removed),
            )
            .order_by(memberships.c.email, memberships.c.user_key)
        ).all()
    return [
        Member(
            r.user_key,
            r.email,
            r.role,
            as_utc(r.created),
            as_utc(r.removed_at) if r.removed_at is not None else None,
        )
        for r in rows
    ]


@store_boundary
def set_role(actor: Principal, user_key: str, role: str) -> None:
    """Change a member's role (admins of the member's organisation).

    An admin does not change their own role: another admin does, so that an
    organisation is never left without one by a slip.

    Raises:
        AccessDenied: not an admin.
        StoreRefusal: unknown role, or the actor's own role.
        StoreNotFoundError: no member of the actor's organisation is `user_key`.
    """
    require_admin(actor, "members")
    if role not in ROLES:
        raise StoreRefusal("store.member.role", role=role, roles=", ".join(ROLES))
    if user_key == actor.user:
        raise StoreRefusal("store.member.own_role")

    _change_member(actor, user_key, {"role": role}, "role", role)


@store_boundary
def remove_member(actor: Principal, user_key: str) -> None:
    """Remove a member from the actor's organisation (admins), at once.

    The membership is kept with ``removed_at`` set: the claims no longer
    place the user here, who then sees the bundled and public data only.
    Their items stay the organisation's. An admin does not remove themself.

    Raises:
        AccessDenied: not an admin.
        StoreRefusal: the actor's own membership.
        StoreNotFoundError: no member of the actor's organisation is `user_key`.
    """
    require_admin(actor, "members")
    if user_key == actor.user:
        raise StoreRefusal("store.member.own_removal")

    _change_member(actor, user_key, {"removed_at": datetime.now(UTC)}, "remove")


@store_boundary
def readmit_member(actor: Principal, user_key: str) -> None:
    """Make a removed member of the actor's organisation a member again (admins).

    They get back the role they had (an admin may then change it) and their
    access at their next click; the audit row is "readmit". Only the
    organisation that removed them can: a removed member of another one is
    "not found" here, as someone who was never a member.

    Raises:
        AccessDenied: not an admin.
        StoreNotFoundError: no removed member of the actor's organisation is
            `user_key` (a current member, another organisation's, unknown).
    """
    require_admin(actor, "members")
    _change_member(actor, user_key, {"removed_at": None}, "readmit", removed=True)


@store_boundary
def list_claims(actor: Principal) -> list[Claim]:
    """The claims that place new users in the actor's organisation (admins).

    Raises:
        AccessDenied: not an admin.
    """
    require_admin(actor, "members")
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(org_claims)
            .where(org_claims.c.org_id == actor.org)
            .order_by(org_claims.c.claim)
        ).all()
        added = page_claims(conn, actor.org)
    return [
        Claim(r.claim, *_kind_of(r.claim), r.role, r.claim not in added) for r in rows
    ]


@store_boundary
def add_claim(actor: Principal, kind: str, value: str, role: str) -> str:
    """Map a claim value to the actor's organisation (admins); the stored claim.

    Raises:
        AccessDenied: not an admin.
        StoreRefusal: a bad value or role, or a claim already mapped (here or
            to another organisation, which is not named).
    """
    require_admin(actor, "members")
    claim = claim_of(kind, value)
    if role not in ROLES:
        raise StoreRefusal("store.member.role", role=role, roles=", ".join(ROLES))

    def work() -> str:
        with get_engine().begin() as conn:
            held = conn.execute(
                select(org_claims.c.org_id).where(org_claims.c.claim == claim)
            ).first()
            if held is not None:
                where = "here" if held.org_id == actor.org else "elsewhere"
                raise StoreRefusal(f"store.claim.taken_{where}", value=claim)
            conn.execute(
                insert(org_claims).values(claim=claim, org_id=actor.org, role=role)
            )
            record(conn, actor, "claim+", "claim", "", claim, role)
        return claim

    return with_retry(work)


@store_boundary
def remove_claim(actor: Principal, claim: str) -> None:
    """Stop a page-added claim placing new users here (admins); members stay.

    Raises:
        AccessDenied: not an admin.
        StoreRefusal: the claim comes from the organisations file.
        LookupError: the organisation has no such claim.
    """
    require_admin(actor, "members")

    def work() -> None:
        with get_engine().begin() as conn:
            if claim not in page_claims(conn, actor.org):
                held = conn.execute(
                    select(org_claims.c.org_id).where(
                        org_claims.c.claim == claim, org_claims.c.org_id == actor.org
                    )
                ).first()
                if held is not None:
                    raise StoreRefusal("store.claim.from_file", value=claim)
            done = conn.execute(
                delete(org_claims).where(
                    org_claims.c.claim == claim, org_claims.c.org_id == actor.org
                )
            ).rowcount
            if not done:
                raise StoreNotFoundError("store.claim.not_found", value=claim)
            record(conn, actor, "claim-", "claim", "", claim)

    with_retry(work)


def _change_member(
    actor: Principal,
    user_key: str,
    values: dict,
    action: str,
    *detail: str,
    removed: bool = False,
) -> None:
    """Update a member of the actor's organisation and audit it as `action`.

    `removed`: the member must be a removed one (else a current one).
    """

    def work() -> None:
        with get_engine().begin() as conn:
            done = conn.execute(
                update(memberships)
                .where(
                    memberships.c.user_key == user_key,
                    memberships.c.org_id == actor.org,
                    _removed_is(removed),
                )
                .values(**values)
            ).rowcount
            if not done:
                key = (
                    "store.member.not_removed" if removed else "store.member.not_found"
                )
                raise StoreNotFoundError(key, user=user_key)
            record(
                conn, actor, action, "member", user_key[:32], user_key[:200], *detail
            )

    with_retry(work)
