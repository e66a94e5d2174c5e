"""Organisations, the claims that place a user in one, and members' roles.

A deployment lists its organisations in a TOML file (`APP_ORGS_FILE`, see
README "Sign-in and organisations"), loaded into the `organisations` and
`org_claims` tables by `load_orgs_file`::

    [[organisation]]
    id = "ministry-ke"
    name = "Ministry of Finance, Kenya"
    country = "KEN"              # optional: restricted to one country
    domains = ["treasury.go.ke"] # e-mail domains of its members
    groups = ["partner-ke"]      # or values of the groups claim
    role = "viewer"              # the role a new member gets
    admins = ["ps@treasury.go.ke"]

On sign-in, `principal_for` finds the user's membership, or makes one from
the first claim that matches (the e-mail domain, then each group); an admin
may then change a member's role and add claims (`src.store.members`, which
also says which of the file and the page wins).
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Row, delete, insert, select, update

from src.store.access import record
from src.store.db import get_engine, memberships, org_claims, organisations, with_retry
from src.store.errors import store_boundary
from src.store.members import page_claims
from src.store.principal import ROLES, Principal


def _clean_claim(value: str) -> str:
    return value.strip().lower()


def _check_org(entry: dict, where: str) -> dict:
    org_id = str(entry.get("id") or "").strip()
    if not org_id:
        msg = f"{where}: an organisation needs an id"
        raise ValueError(msg)
    role = entry.get("role", "viewer")
    if role not in ROLES:
        msg = f"{where} ({org_id}): role {role!r} is not one of {', '.join(ROLES)}"
        raise ValueError(msg)
    country = entry.get("country")
    if country is not None and (len(str(country)) != 3 or not str(country).isalpha()):
        msg = f"{where} ({org_id}): country {country!r} is not an ISO3 code"
        raise ValueError(msg)
    return {
        "id": org_id,
        "name": str(entry.get("name") or org_id),
        "country": str(country).upper() if country else None,
        "role": role,
        "claims": [_clean_claim(d) for d in entry.get("domains", [])]
        + [_clean_claim(f"group:{g}") for g in entry.get("groups", [])],
        "admins": [_clean_claim(a) for a in entry.get("admins", [])],
    }


@store_boundary
def load_orgs(entries: list[dict], where: str = "organisations") -> int:
    """Create or update the organisations and their claims; how many.

    Args:
        entries: ``[[organisation]]`` tables (see the module docstring).
        where: named in error messages (the file).

    Raises:
        ValueError: an entry without id, with an unknown role or a bad country.
    """
    orgs = [_check_org(e, where) for e in entries]
    now = datetime.now(UTC)

    def work() -> None:
        with get_engine().begin() as conn:
            for org in orgs:
                values = {"name": org["name"], "country": org["country"]}
                known = conn.execute(
                    select(organisations.c.id).where(organisations.c.id == org["id"])
                ).first()
                if known:
                    conn.execute(
                        update(organisations)
                        .where(organisations.c.id == org["id"])
                        .values(**values)
                    )
                else:
                    conn.execute(
                        insert(organisations).values(
                            id=org["id"], created=now, **values
                        )
                    )
                # the file wins for what it names; page-added claims stay
                kept = page_claims(conn, org["id"])
                mine = org_claims.c.org_id == org["id"]
                conn.execute(
                    delete(org_claims).where(mine, org_claims.c.claim.not_in(kept))
                )
                named = [(c, org["role"]) for c in org["claims"]] + [
                    (f"admin:{email}", "admin") for email in org["admins"]
                ]
                system = Principal(user="system", org=org["id"])
                for claim, role in named:
                    conn.execute(delete(org_claims).where(org_claims.c.claim == claim))
                    conn.execute(
                        insert(org_claims).values(
                            claim=claim, org_id=org["id"], role=role
                        )
                    )
                    if claim in kept:  # added on the page, now the file's
                        record(conn, system, "claim=file", "claim", "", claim, role)

    with_retry(work)
    return len(orgs)


def load_orgs_file(path: Path) -> int:
    """`load_orgs` from a TOML file with ``[[organisation]]`` tables.

    Raises:
        ValueError: the file cannot be read or parsed, or an entry is wrong.
    """
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        msg = f"organisations file {path}: {exc}"
        raise ValueError(msg) from exc
    return load_orgs(list(data.get("organisation", [])), where=str(path))


def _candidates(email: str, groups: list[str]) -> list[str]:
    email = _clean_claim(email)
    found = [f"admin:{email}"] if email else []
    if "@" in email:
        found.append(email.rsplit("@", 1)[1])
    return found + [_clean_claim(f"group:{g}") for g in groups]


def _current(conn: Connection, user_key: str) -> Row | None:
    """The user's membership with its organisation's name and country (one query)."""
    return conn.execute(
        select(
            memberships.c.org_id,
            memberships.c.role,
            memberships.c.removed_at,
            organisations.c.name,
            organisations.c.country,
        )
        .select_from(memberships.outerjoin(organisations))
        .where(memberships.c.user_key == user_key)
    ).first()


def _as_principal(user_key: str, email: str, row: Row) -> Principal:
    if row.removed_at is not None:
        return Principal(user=user_key, org=None, email=email, removed=True)
    return Principal(
        user=user_key,
        org=row.org_id,
        role=row.role,
        country=row.country,
        email=email,
        org_name=row.name or row.org_id,
        member=True,
    )


@store_boundary
def principal_for(user_key: str, email: str, groups: list[str]) -> Principal:
    """The signed-in user as a `Principal` (membership made on first sign-in).

    A member is read in one primary-key query (the app asks on every run, so
    that a changed role or a removal applies at once); only a first sign-in
    writes. A removed member stays out: no claim places them again.

    Args:
        user_key: a stable id of the user (the ``sub`` claim, else e-mail).
        email: the e-mail claim ("" when absent).
        groups: the groups claim's values.

    Returns:
        The principal; with ``org=None`` when no organisation claims the user
        (``removed`` when an admin removed them).
    """
    with get_engine().connect() as conn:
        row = _current(conn, user_key)
    if row is not None:
        return _as_principal(user_key, email, row)
    now = datetime.now(UTC)

    def work() -> Principal:
        with get_engine().begin() as conn:
            row = _current(conn, user_key)  # another server may have made it
            if row is None:
                for claim in _candidates(email, groups):
                    match = conn.execute(
                        select(org_claims).where(org_claims.c.claim == claim)
                    ).first()
                    if match is not None:
                        break
                else:
                    return Principal(user=user_key, org=None, email=email)
                conn.execute(
                    insert(memberships).values(
                        user_key=user_key,
                        org_id=match.org_id,
                        role=match.role,
                        email=email,
                        created=now,
                    )
                )
                row = _current(conn, user_key)
        return _as_principal(user_key, email, row)

    return with_retry(work)


def list_orgs() -> list[tuple[str, str]]:
    """(id, name) of every organisation, by name (to pick whom to share with)."""
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(organisations.c.id, organisations.c.name).order_by(
                organisations.c.name
            )
        ).all()
    return [(r.id, r.name) for r in rows]
