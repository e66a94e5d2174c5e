"""Saved scenarios: a name, the scenario JSON (opaque text) and a fingerprint.

The store does not interpret the scenario: the scenario page serialises and
parses it. `fingerprint` records the portfolio the scenario was run on, so the
page can warn when the data changed since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update

from src.store.db import as_utc, get_engine, scenarios, with_retry
from src.store.errors import (
    StoreNotFoundError,
    StoreRefusal,
    empty_on_fault,
    store_boundary,
)

MAX_NAME = 200


class ScenarioNotFoundError(StoreNotFoundError):
    """No saved scenario has this name."""


@dataclass(frozen=True)
class ScenarioRecord:
    """One saved scenario.

    Attributes:
        name: unique name.
        scenario_json: the scenario as saved (JSON text).
        fingerprint: the portfolio fingerprint it was run on.
        created: first saved (UTC).
        updated: last saved (UTC).
    """

    name: str
    scenario_json: str
    fingerprint: str
    created: datetime
    updated: datetime


def _check_name(name: str) -> str:
    clean = (name or "").strip()
    if not clean:
        raise StoreRefusal("store.scenario.no_name")
    if len(clean) > MAX_NAME:
        raise StoreRefusal("store.scenario.name_too_long", limit=MAX_NAME)
    return clean


@store_boundary
def save_scenario(name: str, scenario_json: str, fingerprint: str) -> ScenarioRecord:
    """Save (insert or overwrite) a scenario under `name`.

    Args:
        name: the scenario name.
        scenario_json: the scenario JSON text (stored as is).
        fingerprint: the portfolio fingerprint the scenario was run on.

    Returns:
        The saved record.
    """
    name = _check_name(name)
    now = datetime.now(UTC)

    def work() -> datetime:
        with get_engine().begin() as conn:
            row = conn.execute(
                select(scenarios.c.created).where(scenarios.c.name == name)
            ).first()
            values = {
                "scenario": scenario_json,
                "fingerprint": fingerprint,
                "updated": now,
            }
            if row is None:
                conn.execute(insert(scenarios).values(name=name, created=now, **values))
                return now
            conn.execute(
                update(scenarios).where(scenarios.c.name == name).values(**values)
            )
            return as_utc(row.created)

    created = with_retry(work)
    return ScenarioRecord(name, scenario_json, fingerprint, created, now)


@empty_on_fault
def list_scenarios() -> list[ScenarioRecord]:
    """Every saved scenario, most recently saved first."""
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(scenarios).order_by(scenarios.c.updated.desc(), scenarios.c.id)
        ).all()
    return [
        ScenarioRecord(
            r.name, r.scenario, r.fingerprint, as_utc(r.created), as_utc(r.updated)
        )
        for r in rows
    ]


@store_boundary
def get_scenario(name: str) -> ScenarioRecord:
    """The saved record (JSON, fingerprint, dates).

    Raises:
        ScenarioNotFoundError: no scenario has this name.
    """
    with get_engine().connect() as conn:
        r = conn.execute(select(scenarios).where(scenarios.c.name == name)).first()
    if r is None:
        raise ScenarioNotFoundError("store.scenario.not_found", name=name)
    return ScenarioRecord(
        r.name, r.scenario, r.fingerprint, as_utc(r.created), as_utc(r.updated)
    )


@store_boundary
def load_scenario(name: str) -> str:
    """The scenario JSON text saved under `name`.

    Raises:
        ScenarioNotFoundError: no scenario has this name.
    """
    return get_scenario(name).scenario_json


@store_boundary
def rename_scenario(old: str, new: str) -> None:
    """Rename a saved scenario.

    Raises:
        ScenarioNotFoundError: `old` does not exist.
        ValueError: `new` is empty or already taken.
    """
    new = _check_name(new)

    def work() -> None:
        with get_engine().begin() as conn:
            taken = conn.execute(
                select(scenarios.c.id).where(scenarios.c.name == new)
            ).first()
            if taken and new != old:
                raise StoreRefusal("store.scenario.exists", name=new)
            done = conn.execute(
                update(scenarios).where(scenarios.c.name == old).values(name=new)
            ).rowcount
            if not done:
                raise ScenarioNotFoundError("store.scenario.not_found", name=old)

    with_retry(work)


@store_boundary
def delete_scenario(name: str) -> bool:
    """Delete a saved scenario; True when one was deleted."""

    def work() -> int:
        with get_engine().begin() as conn:
            return conn.execute(
                delete(scenarios).where(scenarios.c.name == name)
            ).rowcount

    return bool(with_retry(work))
