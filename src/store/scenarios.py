"""Saved scenarios: a name, the scenario JSON (opaque text) and a fingerprint.

The store does not interpret the scenario: the scenario page serialises and
parses it. `fingerprint` records the portfolio the scenario was run on, so the
page can warn when the data changed since. A scenario belongs to the
organisation of the user who saved it; who may see and change it is decided in
`src.store.access` (every function takes the acting `Principal`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from src.store import access
from src.store.db import as_utc, get_engine, scenarios, with_retry
from src.store.errors import (
    ScenarioNotFoundError,
    StoreRefusal,
    empty_on_fault,
    store_boundary,
)
from src.store.principal import LOCAL, Principal

MAX_NAME = 200
KIND = "scenario"

__all__ = ["ScenarioNotFoundError", "ScenarioRecord", "save_scenario"]


@dataclass(frozen=True)
class ScenarioRecord:
    """One saved scenario, as the acting user sees it.

    Attributes:
        name: its name (unique among the organisation's live scenarios).
        scenario_json: the scenario as saved (JSON text).
        fingerprint: the portfolio fingerprint it was run on.
        created: first saved (UTC).
        updated: last saved (UTC).
        id: the random public id (links use it).
        org: the organisation it belongs to.
        writable: whether the acting user may rename, replace or delete it
            (False for one shared with the user's organisation).
    """

    name: str
    scenario_json: str
    fingerprint: str
    created: datetime
    updated: datetime
    id: str = ""
    org: str = ""
    writable: bool = True


def _record(r, actor: Principal) -> ScenarioRecord:  # noqa: ANN001 - a row
    return ScenarioRecord(
        r.name,
        r.scenario,
        r.fingerprint,
        as_utc(r.created),
        as_utc(r.updated),
        r.public_id,
        r.org_id,
        actor.may_change(r.org_id, r.owner),
    )


def _check_name(name: str) -> str:
    clean = (name or "").strip()
    if not clean:
        raise StoreRefusal("store.scenario.no_name")
    if len(clean) > MAX_NAME:
        raise StoreRefusal("store.scenario.name_too_long", limit=MAX_NAME)
    return clean


@store_boundary
def save_scenario(
    name: str, scenario_json: str, fingerprint: str, *, actor: Principal = LOCAL
) -> ScenarioRecord:
    """Save a scenario under `name` in the actor's organisation.

    Saving again under the name of one's own scenario replaces it; the name
    of a scenario another member saved is refused (never overwritten) unless
    the actor is an admin.

    Args:
        name: the scenario name.
        scenario_json: the scenario JSON text (stored as is).
        fingerprint: the portfolio fingerprint the scenario was run on.
        actor: who saves.

    Returns:
        The saved record.

    Raises:
        AccessDenied: the actor may not save, or the name is someone else's.
    """
    name = _check_name(name)
    access.require_create(actor)
    now = datetime.now(UTC)
    values = {"scenario": scenario_json, "fingerprint": fingerprint, "updated": now}

    def work() -> tuple[datetime, str]:
        with get_engine().begin() as conn:
            row = access.name_taken(conn, KIND, actor.org, name)
            if row is not None and not actor.may_change(row.org_id, row.owner):
                raise access.AccessDenied("name_taken", name=name)
            # (one deleted or renamed meanwhile is not replaced: a new one is made)
            if row is not None and access.change(conn, KIND, row, **values):
                access.record(conn, actor, "replace", KIND, row.public_id, name)
                created = conn.execute(
                    select(scenarios.c.created).where(scenarios.c.id == row.id)
                ).scalar_one()
                return as_utc(created), row.public_id
            return now, access.create(conn, KIND, actor, name, created=now, **values)

    created, public_id = with_retry(work)
    return ScenarioRecord(
        name, scenario_json, fingerprint, created, now, public_id, actor.org or ""
    )


def _listed(actor: Principal, matching: str):  # noqa: ANN202 - a SQL condition
    """Visible to `actor`, and with `matching` in the name (any case) if given."""
    cond = access.visible(KIND, actor)
    if matching.strip():
        name = func.lower(scenarios.c.name)
        cond = cond & name.contains(matching.strip().lower(), autoescape=True)
    return cond


@empty_on_fault
def list_scenarios(
    *, actor: Principal = LOCAL, limit: int | None = None, matching: str = ""
) -> list[ScenarioRecord]:
    """The scenarios the actor can see, most recently saved first.

    Args:
        actor: the acting user.
        limit: at most this many (the most recent); None for all.
        matching: only those whose name contains this text, in any case
            (``%`` and ``_`` are taken literally).
    """
    query = (
        select(scenarios)
        .where(_listed(actor, matching))
        .order_by(scenarios.c.updated.desc(), scenarios.c.id)
        .limit(limit)
    )
    with get_engine().connect() as conn:
        rows = conn.execute(query).all()
    return [_record(r, actor) for r in rows]


@store_boundary
def count_scenarios(*, actor: Principal = LOCAL, matching: str = "") -> int:
    """How many scenarios `list_scenarios` would give without a limit."""
    query = select(func.count()).select_from(scenarios).where(_listed(actor, matching))
    with get_engine().connect() as conn:
        return int(conn.execute(query).scalar_one())


@store_boundary
def get_scenario(ref: str, *, actor: Principal = LOCAL) -> ScenarioRecord:
    """The saved record (JSON, fingerprint, dates) of `ref` (id or name).

    Raises:
        ScenarioNotFoundError: no scenario the actor can see is `ref`.
    """
    with get_engine().connect() as conn:
        r = access.find(conn, KIND, ref, actor)
    if r is None:
        raise ScenarioNotFoundError("store.scenario.not_found", name=ref)
    return _record(r, actor)


@store_boundary
def load_scenario(ref: str, *, actor: Principal = LOCAL) -> str:
    """The scenario JSON text saved as `ref` (id or name).

    Raises:
        ScenarioNotFoundError: no scenario the actor can see is `ref`.
    """
    return get_scenario(ref, actor=actor).scenario_json


@store_boundary
def rename_scenario(old: str, new: str, *, actor: Principal = LOCAL) -> None:
    """Rename a saved scenario (`old`: id or name).

    Raises:
        ScenarioNotFoundError: the actor can see no scenario `old`.
        AccessDenied: the actor may not change it.
        ValueError: `new` is empty or already taken in the organisation.
    """
    new = _check_name(new)

    def work() -> None:
        with get_engine().begin() as conn:
            row = access.changeable(conn, KIND, old, actor)
            taken = access.name_taken(conn, KIND, row.org_id, new)
            if taken and taken.id != row.id:
                raise StoreRefusal("store.scenario.exists", name=new)
            if not access.change(conn, KIND, row, name=new):
                raise access.not_found(KIND, old)  # renamed or deleted meanwhile
            access.record(conn, actor, "rename", KIND, row.public_id, new, row.name)

    with_retry(work)


@store_boundary
def delete_scenario(ref: str, *, actor: Principal = LOCAL) -> bool:
    """Delete (softly: an admin may restore it) a scenario; True when one was.

    Raises:
        AccessDenied: the actor sees it but may not delete it.
    """
    return access.soft_delete(KIND, ref, actor)
