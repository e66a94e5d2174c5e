"""Storage faults as messages: every database error translated at the store boundary.

Each public function of the store runs under `store_boundary`, which turns a
SQLAlchemy, SQLite or PostgreSQL (psycopg) driver or file-system error into a
`StoreError`: a kind (disk full, read-only, corrupt, busy, unreachable server,
refused sign-in, foreign schema, unavailable), its catalog key (what happened
and what to do: ``store.error.<kind>``, or ``store.error.server.<kind>`` when
the database is a server, whose faults are not about a data folder) and the
driver's words as detail. `StoreError` is a `ValueError`, so every caller
that shows a bad name's message also shows a storage fault's, never a
traceback; the CLI exits 2 with its one line; pages translate it with
`store_error_text`.
"""

from __future__ import annotations

import errno
import functools
import sqlite3
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from src.i18n import DEFAULT_LANG, translate

P = ParamSpec("P")
T = TypeVar("T")

KINDS = (
    "disk_full",
    "read_only",
    "corrupt",
    "busy",
    "unreachable",
    "auth_failed",
    "schema",
    "unavailable",
)
SERVER_KINDS = frozenset({"disk_full", "read_only", "corrupt", "unavailable"})
"""Kinds whose message differs for a database server (no folder to name)."""

# PostgreSQL SQLSTATE classes and codes (the first match wins).
_SQLSTATES = (
    ("disk_full", ("53100",)),  # disk_full
    ("read_only", ("25006",)),  # read_only_sql_transaction
    ("auth_failed", ("28", "3D000", "42501")),  # auth, no database, no privilege
    ("busy", ("40001", "40P01", "55P03", "53300", "57014")),  # conflicts, load
    ("unreachable", ("08", "57P")),  # connection exceptions, server shutdown
    ("corrupt", ("XX001", "XX002")),  # data_corrupted, index_corrupted
)

_MARKERS = (
    ("disk_full", ("database or disk is full", "no space left")),
    (
        "auth_failed",
        (
            "password authentication failed",
            "no pg_hba.conf entry",
            "authentication failed",
            "no password supplied",
        ),
    ),
    (
        "unreachable",
        (
            "connection refused",
            "could not connect",
            "connection failed",
            "could not translate host name",
            "name or service not known",
            "timeout expired",
            "server closed the connection",
            "the database system is starting up",
            "the database system is shutting down",
        ),
    ),
    (
        "read_only",
        (
            "readonly database",
            "read-only",
            "unable to open database file",
            "permission denied",
        ),
    ),
    ("corrupt", ("file is not a database", "malformed", "not a database")),
    ("busy", ("database is locked", "database is busy")),
)


class StoreError(ValueError):
    """A storage fault, with its kind and a message saying what to do.

    Args:
        kind: one of `KINDS`.
        detail: the driver's own words (for logs and the message's end).
    """

    def __init__(self, kind: str, detail: str) -> None:
        self.kind = kind
        self.detail = detail
        self.key = _key_and_place(kind)[0]
        super().__init__(store_error_text(self, DEFAULT_LANG))


class _Keyed:
    """A store refusal as a catalog key and its values (English as `str`)."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(translate(key, DEFAULT_LANG, **params))


class StoreRefusal(_Keyed, ValueError):
    """What the store refuses: a name (empty, too long, reserved, taken) or an act."""


class StoreNotFoundError(_Keyed, LookupError):
    """No stored dataset or scenario the actor can see has this id or name."""


class DatasetNotFoundError(StoreNotFoundError):
    """No dataset the actor can see has this id or name."""


class ScenarioNotFoundError(StoreNotFoundError):
    """No saved scenario the actor can see has this id or name."""


class AccessDenied(StoreRefusal):
    """The acting user may not do this (see `src.store.principal`).

    Args:
        reason: the catalog key's end (``store.denied.<reason>``).
        params: the message's placeholders (names shown to the user who typed
            or sees them, never another organisation's).

    >>> AccessDenied("restore").key
    'store.denied.restore'
    """

    def __init__(self, reason: str, /, **params: object) -> None:
        self.reason = reason
        super().__init__(f"store.denied.{reason}", **params)


def store_message(exc: BaseException, lang: str) -> str:
    """What a store error says, in `lang` (a fault, a refusal or other text).

    >>> store_message(StoreRefusal("store.scenario.no_name"), "fr")
    'un scénario doit avoir un nom'
    """
    if isinstance(exc, StoreError):
        return store_error_text(exc, lang)
    if isinstance(exc, _Keyed):
        return translate(exc.key, lang, **exc.params)
    return str(exc)


def classify(exc: BaseException) -> str:
    """The kind of a database or file error (see `KINDS`).

    >>> classify(sqlite3.OperationalError("database or disk is full"))
    'disk_full'
    >>> classify(sqlite3.DatabaseError("file is not a database"))
    'corrupt'
    """
    code = _sqlstate(exc)
    for kind, prefixes in _SQLSTATES:
        if code and code.startswith(prefixes):
            return kind
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "disk_full"
    if isinstance(exc, PermissionError) or (
        isinstance(exc, OSError) and exc.errno == errno.EROFS
    ):
        return "read_only"
    text = str(exc).lower()
    for kind, markers in _MARKERS:
        if any(m in text for m in markers):
            return kind
    return "unavailable"


def _sqlstate(exc: BaseException) -> str | None:
    """The PostgreSQL SQLSTATE of a psycopg error (wrapped or not), if any."""
    orig = getattr(exc, "orig", None) or exc
    return getattr(orig, "sqlstate", None)


def _detail(exc: BaseException) -> str:
    """The driver's message without the SQL statement SQLAlchemy appends."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc)
    return text.split("\n", 1)[0].strip()[:200]


def as_store_error(exc: BaseException) -> StoreError:
    """`exc` as a `StoreError` (itself when it already is one)."""
    if isinstance(exc, StoreError):
        return exc
    return StoreError(classify(exc), _detail(exc))


_DRIVER_ERRORS = (SQLAlchemyError, sqlite3.Error, OSError)


def _is_psycopg_error(exc: Exception) -> bool:
    """A PostgreSQL driver error not wrapped by SQLAlchemy.

    psycopg is imported by SQLAlchemy only for a PostgreSQL store, so its error
    class is looked up, never imported here: a SQLite store's process starts
    0.3 s sooner (psycopg compiles regular expressions on import).
    """
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.Error)


def store_boundary(func: Callable[P, T]) -> Callable[P, T]:
    """Run `func` with database and file errors raised as `StoreError`."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return func(*args, **kwargs)
        except StoreError:
            raise
        except _DRIVER_ERRORS as exc:
            raise as_store_error(exc) from exc
        except Exception as exc:
            if _is_psycopg_error(exc):
                raise as_store_error(exc) from exc
            raise

    return wrapper


def empty_on_fault(func: Callable[P, list[T]]) -> Callable[P, list[T]]:
    """A listing that reads as empty when the store cannot be opened.

    Pages list datasets and scenarios on every run; in read-only or damaged
    mode they show the bundled data and the health notice (`db.check_store`)
    instead of a traceback. Writes still raise `StoreError`.
    """
    guarded = store_boundary(func)

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> list[T]:
        try:
            return guarded(*args, **kwargs)
        except StoreError:
            return []

    return wrapper


def database_place(url: str, data_dir: object) -> tuple[bool, str]:
    """(is a server, where it is said to be) for a database URL, no password.

    >>> database_place("postgresql+psycopg://app:secret@db:5432/portfolio", "/x")
    (True, 'PostgreSQL db:5432/portfolio (user app)')
    >>> database_place("sqlite:////srv/app.db", "/srv")
    (False, '/srv')
    """
    from sqlalchemy.engine import make_url

    if url.startswith("sqlite"):
        return False, str(data_dir)
    try:
        u = make_url(url)
    except Exception:  # noqa: BLE001 - a bad URL is itself the fault
        return True, "APP_DATABASE_URL"
    backend = u.get_backend_name()
    name = "PostgreSQL" if backend == "postgresql" else backend
    host = f"{u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}"
    return True, f"{name} {host}" + (f" (user {u.username})" if u.username else "")


def _key_and_place(kind: str) -> tuple[str, str]:
    from src.settings import Settings

    settings = Settings.from_env()
    server, where = database_place(settings.database_url, settings.data_dir)
    if server and kind in SERVER_KINDS:
        return f"store.error.server.{kind}", where
    return f"store.error.{kind}", where


def store_error_text(exc: StoreError, lang: str) -> str:
    """The fault in `lang`: what happened and what to do."""
    key, where = _key_and_place(exc.kind)
    return translate(key, lang, where=where, detail=exc.detail)
