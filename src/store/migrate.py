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
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, inspect, text

from src.store.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a database is not at HEAD (about 0.3 s of a
# fresh server's first page on a quiet machine, 1 s under load): a database
# already migrated is recognised by reading its version row directly.

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
"""The revision a database made by ``metadata.create_all`` is adopted at."""
_REVISION = re.compile(r'^(down_)?revision = (?:"(\w+)"|None)$', re.MULTILINE)


def _script_head(versions: Path) -> str:
    """The revision no script names as its ``down_revision``, read as text.

    >>> _script_head(MIGRATIONS / "versions") == HEAD
    True
    """
    revisions, downs = set(), set()
    for script in versions.glob("r*.py"):
        for down, revision in _REVISION.findall(script.read_text()):
            (downs if down else revisions).add(revision)
    (newest,) = revisions - downs  # one head: the scripts form a chain
    return newest


HEAD = _script_head(MIGRATIONS / "versions")
"""The newest revision in ``migrations/versions`` (a test checks it is Alembic's)."""

LOCK_KEY = 7_301_150
"""PostgreSQL advisory lock held while migrating (any fixed number)."""

VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the store's migrations (no ini file needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def head() -> str:
    """The newest revision, as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

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
    from alembic import command

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
    from alembic import command

    command.stamp(alembic_config(conn), BASELINE)


def current_revision(conn: Connection) -> str | None:
    """The database's Alembic revision (None: never migrated)."""
    from alembic.runtime.migration import MigrationContext

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
        if _at_head(conn):
            return
        from alembic import command

        revision = current_revision(conn)
        if revision == head():
            return
        if revision is None:
            found = _columns(conn)
            if found:
                _adopt(conn, found)
        command.upgrade(alembic_config(conn), "head")


def _at_head(conn: Connection) -> bool:
    """Whether the database's one version row is `HEAD` (plain SQL, no Alembic)."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return False
    rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    return [tuple(r) for r in rows] == [(HEAD,)]
