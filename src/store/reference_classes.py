"""Reference classes fitted on an imported dataset's own projects, stored with it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from src.store.db import as_utc, get_engine, reference_classes, with_retry
from src.store.errors import store_boundary


@dataclass(frozen=True)
class StoredClass:
    """A dataset's own reference class.

    Attributes:
        dataset: the dataset's name.
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
    dataset: str, fingerprint: str, entry: dict[str, Any], check: dict[str, Any]
) -> StoredClass:
    """Store (or replace) the own reference class of `dataset`."""
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


@store_boundary
def load_own_class(dataset: str, fingerprint: str) -> StoredClass | None:
    """The stored class of `dataset`, or None (none fitted, or data replaced)."""
    t = reference_classes
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


@store_boundary
def delete_own_class(dataset: str) -> None:
    """Remove the class of `dataset` (when the dataset is deleted)."""

    def work() -> None:
        with get_engine().begin() as conn:
            t = reference_classes
            conn.execute(delete(t).where(t.c.dataset == dataset))

    with_retry(work)
