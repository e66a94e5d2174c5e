"""Imported datasets: a portfolio table (Parquet bytes) with its provenance.

A dataset row holds the canonical table, the data date, a fingerprint, the
provenance (files with sizes and SHA-256 checksums, import date, counts) and the
import report (a `DatasetReport`, as `src.portfolio.load.load_bundled_report()`).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import delete, insert, select, update

from src.portfolio.dataset_report import DatasetReport
from src.portfolio.imports.report import ImportReport
from src.portfolio.schema import PortfolioMeta
from src.store.db import as_utc, datasets, get_engine, reference_classes, with_retry
from src.store.errors import (
    StoreNotFoundError,
    StoreRefusal,
    empty_on_fault,
    store_boundary,
)

RESERVED_NAMES = frozenset({"bundled"})
MAX_NAME = 200


class DatasetNotFoundError(StoreNotFoundError):
    """No dataset has this name."""


@dataclass(frozen=True)
class DatasetInfo:
    """One stored dataset, without its table.

    Attributes:
        name: unique name (also the ``?dataset=`` URL value).
        created: when it was imported (UTC).
        data_date: the data date, yyyy-mm-dd.
        fingerprint: hash of the source files (saved scenarios compare it).
        rows: rows in the table.
        provenance: files (name, bytes, sha256), import date and counts.
    """

    name: str
    created: datetime
    data_date: str
    fingerprint: str
    rows: int
    provenance: dict[str, object] = field(default_factory=dict)


def check_name(name: str) -> str:
    """The stripped name, or ValueError when it cannot name a dataset."""
    clean = (name or "").strip()
    if not clean:
        raise StoreRefusal("store.dataset.no_name")
    if len(clean) > MAX_NAME:
        raise StoreRefusal("store.dataset.name_too_long", limit=MAX_NAME)
    if clean.lower() in RESERVED_NAMES:
        raise StoreRefusal("store.dataset.reserved", name=clean)
    return clean


def _to_parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


@store_boundary
def save_dataset(
    name: str,
    df: pd.DataFrame,
    meta: PortfolioMeta,
    *,
    provenance: dict[str, object],
    report: DatasetReport,
    replace: bool = False,
) -> DatasetInfo:
    """Store a dataset under `name`.

    Args:
        name: the dataset name (not "bundled").
        df: the canonical table.
        meta: its data date and fingerprint (`meta.name` is ignored).
        provenance: JSON-able provenance (files, sizes, checksums, counts).
        report: the import report (stored as `DatasetReport.to_json`).
        replace: overwrite a dataset of the same name instead of failing.

    Returns:
        The stored dataset's description.

    Raises:
        ValueError: bad name, or the name is taken and `replace` is False.
    """
    name = check_name(name)
    now = datetime.now(UTC)
    values = {
        "created": now,
        "data_date": meta.as_of,
        "fingerprint": meta.fingerprint,
        "rows": len(df),
        "provenance": json.dumps(provenance, default=str),
        "report": json.dumps(report.to_json(), default=str),
        "table_parquet": _to_parquet(df),
        "dtypes": json.dumps({str(c): str(t) for c, t in df.dtypes.items()}),
    }

    def work() -> None:
        with get_engine().begin() as conn:
            exists = conn.execute(
                select(datasets.c.id).where(datasets.c.name == name)
            ).first()
            if exists and not replace:
                raise StoreRefusal("store.dataset.exists", name=name)
            if exists:
                conn.execute(
                    update(datasets).where(datasets.c.name == name).values(**values)
                )
            else:
                conn.execute(insert(datasets).values(name=name, **values))

    with_retry(work)
    return DatasetInfo(
        name,
        now,
        meta.as_of,
        meta.fingerprint,
        len(df),
        json.loads(values["provenance"]),
    )


# What a dataset's description reads (never the table itself).
_INFO_COLUMNS = (
    datasets.c.name,
    datasets.c.created,
    datasets.c.data_date,
    datasets.c.fingerprint,
    datasets.c.rows,
    datasets.c.provenance,
)


def _info(r) -> DatasetInfo:  # noqa: ANN001 - a SQLAlchemy row
    return DatasetInfo(
        r.name, as_utc(r.created), r.data_date, r.fingerprint, r.rows, _json(r[5])
    )


@empty_on_fault
def list_datasets() -> list[DatasetInfo]:
    """Every stored dataset, newest first (tables are not loaded)."""
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(*_INFO_COLUMNS).order_by(
                datasets.c.created.desc(), datasets.c.id.desc()
            )
        ).all()
    return [_info(r) for r in rows]


def _json(text: str) -> dict[str, object]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _one(name: str, *cols):  # noqa: ANN002, ANN202 - SQLAlchemy columns and row
    with get_engine().connect() as conn:
        row = conn.execute(select(*cols).where(datasets.c.name == name)).first()
    if row is None:
        raise DatasetNotFoundError("store.dataset.not_found", name=name)
    return row


@store_boundary
def load_dataset(name: str) -> tuple[pd.DataFrame, PortfolioMeta]:
    """The table and metadata of a stored dataset.

    Raises:
        DatasetNotFoundError: no dataset has this name.
    """
    row = _one(
        name,
        datasets.c.table_parquet,
        datasets.c.data_date,
        datasets.c.fingerprint,
        datasets.c.dtypes,
        datasets.c.provenance,
    )
    df = pd.read_parquet(io.BytesIO(row.table_parquet))
    # Parquet has no second-resolution timestamps: restore the saved units
    for col, dtype in _json(row.dtypes).items():
        if (
            col in df
            and str(dtype).startswith("datetime64")
            and str(df[col].dtype) != dtype
        ):
            df[col] = df[col].astype(dtype)
    files = _json(row.provenance).get("files") or []
    return df, PortfolioMeta(
        as_of=row.data_date,
        fingerprint=row.fingerprint,
        name=name,
        files=tuple(str(f.get("name", "")) for f in files if isinstance(f, dict)),
    )


@store_boundary
def load_dataset_report(name: str) -> DatasetReport:
    """The import report stored with a dataset (as `load_bundled_report`).

    Raises:
        DatasetNotFoundError: no dataset has this name.
    """
    return DatasetReport.from_json(_json(_one(name, datasets.c.report).report))


@store_boundary
def dataset_info(name: str) -> DatasetInfo:
    """The description of one dataset.

    Raises:
        DatasetNotFoundError: no dataset has this name.
    """
    with get_engine().connect() as conn:
        r = conn.execute(select(*_INFO_COLUMNS).where(datasets.c.name == name)).first()
    if r is None:
        raise DatasetNotFoundError("store.dataset.not_found", name=name)
    return _info(r)


@store_boundary
def delete_dataset(name: str) -> bool:
    """Delete a dataset (and its own reference class); True when one was deleted."""

    def work() -> int:
        with get_engine().begin() as conn:
            rc = reference_classes
            conn.execute(delete(rc).where(rc.c.dataset == name))
            return conn.execute(
                delete(datasets).where(datasets.c.name == name)
            ).rowcount

    return bool(with_retry(work))


@store_boundary
def rename_dataset(old: str, new: str) -> None:
    """Rename a dataset.

    Raises:
        DatasetNotFoundError: `old` does not exist.
        ValueError: `new` is not a valid name or is taken.
    """
    new = check_name(new)

    def work() -> None:
        with get_engine().begin() as conn:
            taken = conn.execute(
                select(datasets.c.id).where(datasets.c.name == new)
            ).first()
            if taken and new != old:
                raise StoreRefusal("store.dataset.exists", name=new)
            done = conn.execute(
                update(datasets).where(datasets.c.name == old).values(name=new)
            ).rowcount
            if not done:
                raise DatasetNotFoundError("store.dataset.not_found", name=old)
            rc = reference_classes
            conn.execute(update(rc).where(rc.c.dataset == old).values(dataset=new))

    with_retry(work)


@store_boundary
def store_import(
    report: ImportReport, name: str, *, replace: bool = False
) -> DatasetInfo:
    """Save an import's accepted rows as a named dataset with its provenance.

    Returns:
        The store's `DatasetInfo` for the new dataset.
    """
    meta = PortfolioMeta(report.as_of.isoformat(), report.fingerprint(), name)
    return save_dataset(
        name,
        report.table,
        meta,
        provenance=report.provenance(),
        report=report.to_dataset_report(),
        replace=replace,
    )
