"""Storage faults as messages: every database error translated at the store boundary.

Each public function of the store runs under `store_boundary`, which turns a
SQLAlchemy, SQLite-driver or file-system error into a `StoreError`: a kind
(disk full, read-only, corrupt, busy, unavailable), its catalog key
(``store.error.<kind>``: what happened and what to do) and the driver's words
as detail. `StoreError` is a `ValueError`, so every caller that shows a bad
name's message also shows a storage fault's, never a traceback; the CLI exits 2
with its one line; pages translate it with `store_error_text`.
"""

from __future__ import annotations

import errno
import functools
import sqlite3
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from src.i18n import DEFAULT_LANG, translate

P = ParamSpec("P")
T = TypeVar("T")

KINDS = ("disk_full", "read_only", "corrupt", "busy", "unavailable")

_MARKERS = (
    ("disk_full", ("database or disk is full", "no space left")),
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
        self.key = f"store.error.{kind}"
        super().__init__(store_error_text(self, DEFAULT_LANG))


class DatasetNotFoundError(LookupError):
    """No dataset the actor can see has this id or name."""


class ScenarioNotFoundError(LookupError):
    """No saved scenario the actor can see has this id or name."""


class AccessDenied(StoreError):
    """The acting user may not do this (see `src.store.principal`).

    Args:
        reason: the catalog key's end (``store.denied.<reason>``).
        params: the message's placeholders (names shown to the user who typed
            or sees them, never another organisation's).
    """

    def __init__(self, reason: str, **params: object) -> None:
        self.params = params
        ValueError.__init__(self)
        self.kind = "forbidden"
        self.detail = reason
        self.key = f"store.denied.{reason}"
        self.args = (store_error_text(self, DEFAULT_LANG),)


def classify(exc: BaseException) -> str:
    """The kind of a database or file error (see `KINDS`).

    >>> classify(sqlite3.OperationalError("database or disk is full"))
    'disk_full'
    >>> classify(sqlite3.DatabaseError("file is not a database"))
    'corrupt'
    """
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


def store_boundary(func: Callable[P, T]) -> Callable[P, T]:
    """Run `func` with database and file errors raised as `StoreError`."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return func(*args, **kwargs)
        except StoreError:
            raise
        except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
            raise as_store_error(exc) from exc

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


def store_error_text(exc: StoreError, lang: str) -> str:
    """The fault in `lang`: what happened and what to do."""
    from src.settings import Settings

    where = str(Settings.from_env().data_dir)
    params = getattr(exc, "params", {})
    return translate(exc.key, lang, where=where, detail=exc.detail, **params)
