"""Reference classes fitted on an imported dataset's own projects, stored with it.

A class is keyed by its dataset's public id; the functions take the dataset's
ref (id or name) and the acting user, who must be able to see the dataset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update

from src.store import access
from src.store.db import as_utc, get_engine, reference_classes, with_retry
from src.store.errors import DatasetNotFoundError, store_boundary
from src.store.principal import LOCAL, Principal


@dataclass(frozen=True)
class StoredClass:
    """A dataset's own reference class.

    Attributes:
        dataset: the dataset's public id.
        fingerprint: the dataset fingerprint the class was fitted on.
        created: when it was fitted (UTC).
        entry: the calibration class entry (`Calibration.with_class("own", …)`).
        check: its cross-validation figures (`validation.Check.to_dict()`).
    """

    dataset: str
    fingerprint: str
    created: datetime
    entry: dict[str, Any]
    check: dict[str, Any]


@store_boundary
def save_own_class(
    dataset: str,
    fingerprint: str,
    entry: dict[str, Any],
    check: dict[str, Any],
    *,
    actor: Principal = LOCAL,
) -> StoredClass:
    """Store (or replace) the own reference class of `dataset` (id or name).

    Raises:
        DatasetNotFoundError: the actor can see no such dataset.
        AccessDenied: the actor may not write (a viewer).
    """
    access.require_create(actor)
    dataset = _public_id(dataset, actor)
    now = datetime.now(UTC)
    values = {
        "fingerprint": fingerprint,
        "created": now,
        "entry": json.dumps(entry, allow_nan=False),
        "check_json": json.dumps(check, allow_nan=False),
    }

    def work() -> None:
        with get_engine().begin() as conn:
            t = reference_classes
            found = conn.execute(select(t.c.id).where(t.c.dataset == dataset)).first()
            if found:
                conn.execute(update(t).where(t.c.dataset == dataset).values(**values))
            else:
                conn.execute(insert(t).values(dataset=dataset, **values))

    with_retry(work)
    return StoredClass(dataset, fingerprint, now, entry, check)


def _public_id(ref: str, actor: Principal) -> str:
    with get_engine().connect() as conn:
        row = access.find(conn, "dataset", ref, actor, access.datasets.c.public_id)
    if row is None:
        raise access.not_found("dataset", ref)
    return row.public_id


@store_boundary
def load_own_class(
    dataset: str, fingerprint: str, *, actor: Principal = LOCAL
) -> StoredClass | None:
    """The stored class of `dataset`, or None.

    None when none was fitted, the data was replaced since, or the actor can
    see no such dataset.
    """
    t = reference_classes
    try:
        dataset = _public_id(dataset, actor)
    except DatasetNotFoundError:
        return None
    with get_engine().connect() as conn:
        row = conn.execute(select(t).where(t.c.dataset == dataset)).first()
    if row is None or row.fingerprint != fingerprint:
        return None
    return StoredClass(
        row.dataset,
        row.fingerprint,
        as_utc(row.created),
        json.loads(row.entry),
        json.loads(row.check_json),
    )
