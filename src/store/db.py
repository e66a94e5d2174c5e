"""One SQLAlchemy engine per database URL, and the store's tables.

The database is `APP_DATABASE_URL` (any SQLAlchemy URL, for example
``postgresql+psycopg://user@host/db`` for a shared deployment), else SQLite at
``$APP_DATA_DIR/app.db`` (default ``var/app.db`` under the repository root).

SQLite runs in WAL mode with a busy timeout, and every transaction starts with
``BEGIN IMMEDIATE``: two browser sessions (threads) or two processes writing at
the same time queue for the write lock instead of failing, so no save is lost.
PostgreSQL (psycopg 3) runs the same statements at READ COMMITTED; two writers
racing for one name meet the unique constraint, and `with_retry` runs the loser
again, which then sees the winner's row (as it would have behind SQLite's lock).

The schema is made and upgraded by Alembic (`src.store.migrate`) when a
process first opens the database, never by ``create_all``.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from src.settings import Settings
from src.store import migrate
from src.store.errors import StoreError, as_store_error, store_boundary

BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another writer's lock before giving up."""

CONNECT_TIMEOUT_S = 10.0
"""How long a connection to a database server may take (PostgreSQL)."""

# SQLSTATEs after which the whole transaction is worth running again.
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})  # serialization, deadlock

metadata = MetaData()


def _owned() -> list:
    """The columns of an item that belongs to an organisation (see access.py).

    ``public_id`` is a random token (links and URLs use it, never the integer
    key); ``deleted_at`` marks a soft deletion, restorable for 30 days.
    """
    return [
        Column("public_id", String(32), nullable=False, unique=True),
        Column("org_id", String(64), nullable=False, index=True),
        Column("owner", String(320), nullable=False),
        Column("public", Boolean, nullable=False, default=False),
        Column("deleted_at", DateTime(timezone=True), nullable=True),
        Column("deleted_by", String(320), nullable=True),
    ]


def _live_name_index(table: Table) -> Index:
    """One live item per (organisation, name); deleted ones keep their name."""
    live = table.c.deleted_at.is_(None)
    return Index(
        f"uq_{table.name}_org_name_live",
        table.c.org_id,
        table.c.name,
        unique=True,
        sqlite_where=live,
        postgresql_where=live,
    )


datasets = Table(
    "datasets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("data_date", String(10), nullable=False),  # yyyy-mm-dd
    Column("fingerprint", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("provenance", Text, nullable=False),  # JSON: files, checksums, counts
    Column("report", Text, nullable=False),  # JSON: load.load_bundled_report shape
    Column("table_parquet", LargeBinary, nullable=False),
    Column("dtypes", Text, nullable=False),  # JSON column -> dtype, restored on load
    # the transactions, details and budgets (activity_tables.SideTables) of an
    # IATI import; NULL when it publishes none (CSV/.xlsx): "not published"
    Column("transactions_parquet", LargeBinary, nullable=True),
    Column("details_parquet", LargeBinary, nullable=True),
    Column("budgets_parquet", LargeBinary, nullable=True),
    *_owned(),
)
_live_name_index(datasets)

scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("scenario", Text, nullable=False),  # opaque JSON text
    Column("fingerprint", String(64), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    *_owned(),
)
_live_name_index(scenarios)

# A reference class fitted on a dataset's own projects (one per dataset, by the
# dataset's public id; kept only while the fingerprint is the one it was fitted on).
reference_classes = Table(
    "reference_classes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset", String(32), nullable=False, unique=True),
    Column("fingerprint", String(64), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("entry", Text, nullable=False),  # JSON: the calibration class entry
    Column("check_json", Text, nullable=False),  # JSON: its cross-validation
)

# Organisations; `country` (ISO3) restricts a partner government to its country.
organisations = Table(
    "organisations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("country", String(3), nullable=True),
    Column("created", DateTime(timezone=True), nullable=False),
)

# Which claim value (an e-mail domain, or a group) puts a user in which
# organisation, with the role a new member gets.
org_claims = Table(
    "org_claims",
    metadata,
    Column("claim", String(320), primary_key=True),
    Column("org_id", String(64), ForeignKey("organisations.id"), nullable=False),
    Column("role", String(16), nullable=False),
)

# A user's organisation and role (made on first sign-in from `org_claims`;
# an admin may change the role, or remove the member: `removed_at` is set and
# the claims no longer place them).
memberships = Table(
    "memberships",
    metadata,
    Column("user_key", String(320), primary_key=True),
    Column("org_id", String(64), ForeignKey("organisations.id"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("email", String(320), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("removed_at", DateTime(timezone=True), nullable=True),
)

# An item ("dataset" / "scenario", by integer key) shared read-only with an org.
shares = Table(
    "shares",
    metadata,
    Column("kind", String(16), nullable=False),
    Column("item_id", Integer, nullable=False),
    Column("org_id", String(64), ForeignKey("organisations.id"), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("kind", "item_id", "org_id"),
)

# Who did what, when: every create, replace, rename, share, delete, restore.
audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("user_key", String(320), nullable=False),
    Column("org_id", String(64), nullable=True),
    Column("action", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("item", String(32), nullable=False),  # the item's public id
    Column("name", String(200), nullable=False),
    Column("detail", Text, nullable=False, default=""),
)

_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()
T = TypeVar("T")


def data_dir() -> Path:
    """The app's writable data folder (`Settings.data_dir`), created."""
    path = Settings.from_env().data_dir
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """`Settings.database_url`, its SQLite folder created if it is the default."""
    settings = Settings.from_env()
    if settings.database_url.startswith("sqlite:///"):
        data_dir()
    return settings.database_url


def _use_wal(cur: sqlite3.Cursor) -> None:
    """Put the database in WAL mode (kept in the file: once set, only read).

    Switching needs the exclusive lock, and SQLite answers "locked" at once,
    without the busy timeout, while another process holds the database (its
    own first connection and migration, when two servers start together):
    wait for it, as the busy timeout would, then read the mode it set.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            cur.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        else:
            return  # what SQLite could set (an in-memory database stays "memory")


def _sqlite_setup(engine: Engine) -> None:
    """WAL, busy timeout and BEGIN IMMEDIATE for a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API objects
        # let SQLAlchemy's "begin" event, not the driver, open transactions
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _use_wal(cur)
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        # take the write lock up front: a deferred transaction that reads and
        # then writes can fail with "database is locked" without waiting
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@store_boundary
def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default `database_url()`), created once per process.

    The schema is migrated to the newest revision (`migrate.upgrade`).
    """
    url = url or database_url()
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            is_sqlite = url.startswith("sqlite")
            engine = create_engine(
                url,
                connect_args=(
                    {"timeout": BUSY_TIMEOUT_S}
                    if is_sqlite
                    else {"connect_timeout": int(CONNECT_TIMEOUT_S)}
                ),
                pool_pre_ping=not is_sqlite,
            )
            if is_sqlite:
                _sqlite_setup(engine)
            try:
                migrate.upgrade(engine)
            except BaseException:
                engine.dispose()
                raise
            _ENGINES[url] = engine
    return engine


def check_store() -> StoreError | None:
    """The startup health check: None when the store can be read and written.

    Opens the database (creating its tables) and rewrites its header inside a
    transaction that is rolled back, so a read-only folder or file, a full
    disk or a damaged file is found before a user's save fails.

    Returns:
        The fault (its kind and message say what to do), or None.
    """
    try:
        with get_engine().begin() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM datasets").scalar()
            if conn.dialect.name == "sqlite":
                version = conn.exec_driver_sql("PRAGMA user_version").scalar()
                conn.exec_driver_sql(f"PRAGMA user_version = {int(version or 0)}")
            else:  # a read-only server or transaction refuses any UPDATE
                conn.exec_driver_sql("UPDATE datasets SET rows = rows WHERE id < 0")
            conn.rollback()
    except Exception as exc:  # noqa: BLE001 - the health check reports any fault
        return as_store_error(exc)
    return None


def as_utc(value: datetime) -> datetime:
    """A stored timestamp as an aware UTC datetime.

    SQLite drops the zone; PostgreSQL returns the session's time zone.

    >>> from datetime import timedelta, timezone
    >>> as_utc(datetime(2026, 1, 1, 12)).isoformat()
    '2026-01-01T12:00:00+00:00'
    >>> as_utc(datetime(2026, 1, 1, 13, tzinfo=timezone(timedelta(hours=1)))).hour
    12
    """
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def dispose_engines() -> None:
    """Close every engine (tests use it to simulate a process restart)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()


def _transient(exc: DBAPIError) -> bool:
    """A lost race worth running again.

    A lock (SQLite), a serialization failure or deadlock (PostgreSQL), or a
    unique name taken meanwhile.
    """
    sqlstate = getattr(exc.orig, "sqlstate", None)
    text = str(exc.orig).lower()
    if isinstance(exc, IntegrityError):  # PostgreSQL 23505, SQLite's words
        return sqlstate == "23505" or "unique constraint" in text
    if sqlstate in _TRANSIENT_SQLSTATES:
        return True
    return isinstance(exc, OperationalError) and ("locked" in text or "busy" in text)


def with_retry(work: Callable[[], T], *, attempts: int = 5) -> T:
    """Run `work`, retrying when the database reports a transient conflict.

    `work` decides afresh on each try (it reads, then writes), so a save that
    lost a race for a new name overwrites the winner's row as the second of
    two sequential saves would.

    Args:
        work: a function that opens its own transaction.
        attempts: how many tries before the error is raised.

    Returns:
        What `work` returns.
    """
    for attempt in range(attempts):
        try:
            return work()
        except DBAPIError as exc:
            if not _transient(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    msg = "unreachable"
    raise AssertionError(msg)
