"""Schema migrations (Alembic), run when a process first opens the database.

`upgrade(engine)` brings a database to the newest revision in
``src/store/migrations/versions``, in one transaction that holds the
database's write lock (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory
lock), so several app servers starting together migrate it once.

A database made before migrations existed (by ``metadata.create_all``) has the
baseline tables but no ``alembic_version``: when its tables and columns are the
baseline's it is stamped at the baseline revision and upgraded from there;
anything else is refused with a `StoreError` of kind ``schema`` rather than
altered.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect, text

from src.store.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
"""The revision a database made by ``metadata.create_all`` is adopted at."""

LOCK_KEY = 7_301_150
"""PostgreSQL advisory lock held while migrating (any fixed number)."""

VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the store's migrations (no ini file needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def head() -> str:
    """The newest revision."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _columns(conn: Connection) -> dict[str, dict[str, bool]]:
    """Table -> column -> nullable, for every table but Alembic's own."""
    insp = inspect(conn)
    return {
        t: {c["name"]: bool(c["nullable"]) for c in insp.get_columns(t)}
        for t in insp.get_table_names()
        if t != VERSION_TABLE
    }


@functools.cache
def baseline_columns() -> dict[str, dict[str, bool]]:
    """The baseline revision's tables, built in a scratch in-memory SQLite."""
    scratch = create_engine("sqlite://")
    with scratch.begin() as conn:
        command.upgrade(alembic_config(conn), BASELINE)
        found = _columns(conn)
    scratch.dispose()
    return found


def _adopt(conn: Connection, found: dict[str, dict[str, bool]]) -> None:
    """Stamp a pre-migration database at the baseline, or refuse it."""
    expected = baseline_columns()
    if found != expected:
        extra = sorted(set(found) - set(expected))
        odd = sorted(t for t in set(found) & set(expected) if found[t] != expected[t])
        missing = sorted(set(expected) - set(found))
        parts = [
            f"{label}: {', '.join(names)}"
            for label, names in (
                ("unknown tables", extra),
                ("tables with other columns", odd),
                ("missing tables", missing),
            )
            if names
        ]
        raise StoreError("schema", "; ".join(parts))
    command.stamp(alembic_config(conn), BASELINE)


def current_revision(conn: Connection) -> str | None:
    """The database's Alembic revision (None: never migrated)."""
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Migrate the database of `engine` to `head()` (adopting a pre-migration one).

    Raises:
        StoreError: kind ``schema`` when the database holds tables that are not
            a known revision of the app's schema.
    """
    with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE (see db.py)
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        revision = current_revision(conn)
        if revision == head():
            return
        if revision is None:
            found = _columns(conn)
            if found:
                _adopt(conn, found)
        command.upgrade(alembic_config(conn), "head")
