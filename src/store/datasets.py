"""Imported datasets: a portfolio table (Parquet bytes) with its provenance.

A dataset row holds the canonical table, the data date, a fingerprint, the
provenance (files with sizes and SHA-256 checksums, import date, counts) and the
import report (a `DatasetReport`, as `src.portfolio.load.load_bundled_report()`).
An IATI import also keeps its transactions, details and budgets (`SideTables`,
one Parquet blob each; NULL for a CSV/.xlsx import, which publishes none).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import select

from src.portfolio.activity_tables import SideTables
from src.portfolio.dataset_report import DatasetReport
from src.portfolio.imports.report import ImportReport
from src.portfolio.schema import PortfolioMeta
from src.store import access
from src.store.db import as_utc, datasets, get_engine, with_retry
from src.store.errors import (
    AccessDenied,
    DatasetNotFoundError,
    StoreRefusal,
    empty_on_fault,
    store_boundary,
)
from src.store.principal import LOCAL, Principal

RESERVED_NAMES = frozenset({"bundled"})
MAX_NAME = 200
KIND = "dataset"
SIDE_COLUMNS = ("transactions_parquet", "details_parquet", "budgets_parquet")

__all__ = ["DatasetInfo", "DatasetNotFoundError", "save_dataset"]


@dataclass(frozen=True)
class DatasetInfo:
    """One stored dataset, without its table.

    Attributes:
        name: its name (unique among the organisation's live datasets).
        created: when it was imported (UTC).
        data_date: the data date, yyyy-mm-dd.
        fingerprint: hash of the source files (saved scenarios compare it).
        rows: rows in the table.
        provenance: files (name, bytes, sha256), import date and counts.
        id: the random public id (the ``?dataset=`` URL value).
        org: the organisation it belongs to.
        writable: whether the acting user may replace, rename or delete it.
    """

    name: str
    created: datetime
    data_date: str
    fingerprint: str
    rows: int
    provenance: dict[str, object] = field(default_factory=dict)
    id: str = ""
    org: str = ""
    writable: bool = True


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


def _side_values(side: SideTables | None) -> dict[str, bytes | None]:
    """The side-table columns of a dataset row (all NULL: none published)."""
    if side is None:
        return dict.fromkeys(SIDE_COLUMNS)
    tables = (side.transactions, side.details, side.budgets)
    return {col: _to_parquet(t) for col, t in zip(SIDE_COLUMNS, tables, strict=True)}


@store_boundary
def save_dataset(
    name: str,
    df: pd.DataFrame,
    meta: PortfolioMeta,
    *,
    provenance: dict[str, object],
    report: DatasetReport,
    replace: bool = False,
    actor: Principal = LOCAL,
    side: SideTables | None = None,
) -> DatasetInfo:
    """Store a dataset under `name` in the actor's organisation.

    Args:
        name: the dataset name (not "bundled").
        df: the canonical table.
        meta: its data date and fingerprint (`meta.name` is ignored).
        provenance: JSON-able provenance (files, sizes, checksums, counts).
        report: the import report (stored as `DatasetReport.to_json`).
        replace: overwrite a dataset of the same name instead of failing
            (only one the actor may change).
        actor: who imports.
        side: the transactions, details and budgets of an IATI import; None
            when the dataset publishes none (a replaced dataset loses the old).

    Returns:
        The stored dataset's description.

    Raises:
        AccessDenied: the actor may not import, or not replace that one.
        ValueError: bad name, or the name is taken and `replace` is False.
    """
    name = check_name(name)
    access.require_create(actor)
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
        **_side_values(side),
    }

    def work() -> str:
        with get_engine().begin() as conn:
            exists = access.name_taken(conn, KIND, actor.org, name)
            if exists and not replace:
                raise StoreRefusal("store.dataset.exists", name=name)
            if exists and not actor.may_change(exists.org_id, exists.owner):
                raise AccessDenied("name_taken", name=name)
            # (one deleted or renamed meanwhile is not replaced: a new one is made)
            if exists and access.change(conn, KIND, exists, **values):
                access.record(conn, actor, "replace", KIND, exists.public_id, name)
                return exists.public_id
            return access.create(conn, KIND, actor, name, **values)

    public_id = with_retry(work)
    return DatasetInfo(
        name,
        now,
        meta.as_of,
        meta.fingerprint,
        len(df),
        json.loads(values["provenance"]),
        public_id,
        actor.org or "",
    )


# What a dataset's description reads (never the table itself).
_INFO_COLUMNS = (
    datasets.c.name,
    datasets.c.created,
    datasets.c.data_date,
    datasets.c.fingerprint,
    datasets.c.rows,
    datasets.c.provenance,
    datasets.c.public_id,
    datasets.c.org_id,
    datasets.c.owner,
)


def _info(r, actor: Principal) -> DatasetInfo:  # noqa: ANN001 - a SQLAlchemy row
    return DatasetInfo(
        r.name,
        as_utc(r.created),
        r.data_date,
        r.fingerprint,
        r.rows,
        _json(r.provenance),
        r.public_id,
        r.org_id,
        actor.may_change(r.org_id, r.owner),
    )


@empty_on_fault
def list_datasets(*, actor: Principal = LOCAL) -> list[DatasetInfo]:
    """The datasets the actor can see, newest first (tables are not loaded)."""
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(*_INFO_COLUMNS)
            .where(access.visible(KIND, actor))
            .order_by(datasets.c.created.desc(), datasets.c.id.desc())
        ).all()
    return [_info(r, actor) for r in rows]


def _json(text: str) -> dict[str, object]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _one(ref: str, actor: Principal, *cols):  # noqa: ANN002, ANN202 - columns, row
    with get_engine().connect() as conn:
        row = access.find(conn, KIND, ref, actor, *cols)
    if row is None:
        raise DatasetNotFoundError("store.dataset.not_found", name=ref)
    return row


@store_boundary
def load_dataset(
    ref: str, *, actor: Principal = LOCAL
) -> tuple[pd.DataFrame, PortfolioMeta]:
    """The table and metadata of a stored dataset (`ref`: id or name).

    Raises:
        DatasetNotFoundError: no dataset the actor can see is `ref`.
    """
    row = _one(
        ref,
        actor,
        datasets.c.name,
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
        name=row.name,
        files=tuple(str(f.get("name", "")) for f in files if isinstance(f, dict)),
    )


@store_boundary
def load_dataset_side_tables(
    ref: str, *, actor: Principal = LOCAL
) -> SideTables | None:
    """The transactions, details and budgets stored with a dataset.

    Returns:
        The tables, typed as the bundled build's; None when the dataset keeps
        none (a CSV/.xlsx import, or one stored before they were kept).

    Raises:
        DatasetNotFoundError: no dataset the actor can see is `ref`.
    """
    row = _one(
        ref,
        actor,
        datasets.c.transactions_parquet,
        datasets.c.details_parquet,
        datasets.c.budgets_parquet,
    )
    if row.transactions_parquet is None or row.details_parquet is None:
        return None
    budgets = (
        None
        if row.budgets_parquet is None
        else pd.read_parquet(io.BytesIO(row.budgets_parquet))
    )
    return SideTables.from_records(
        pd.read_parquet(io.BytesIO(row.transactions_parquet)),
        pd.read_parquet(io.BytesIO(row.details_parquet)),
        budgets,
    )


@store_boundary
def load_dataset_report(ref: str, *, actor: Principal = LOCAL) -> DatasetReport:
    """The import report stored with a dataset (as `load_bundled_report`).

    Raises:
        DatasetNotFoundError: no dataset the actor can see is `ref`.
    """
    return DatasetReport.from_json(_json(_one(ref, actor, datasets.c.report).report))


@store_boundary
def dataset_info(ref: str, *, actor: Principal = LOCAL) -> DatasetInfo:
    """The description of one dataset (`ref`: id or name).

    Raises:
        DatasetNotFoundError: no dataset the actor can see is `ref`.
    """
    return _info(_one(ref, actor, *_INFO_COLUMNS), actor)


@store_boundary
def delete_dataset(ref: str, *, actor: Principal = LOCAL) -> bool:
    """Delete (softly: an admin may restore it) a dataset; True when one was.

    Its own reference class goes with it when it is purged.

    Raises:
        AccessDenied: the actor sees it but may not delete it.
    """
    return access.soft_delete(KIND, ref, actor)


@store_boundary
def rename_dataset(old: str, new: str, *, actor: Principal = LOCAL) -> None:
    """Rename a dataset (`old`: id or name).

    Raises:
        DatasetNotFoundError: the actor can see no dataset `old`.
        AccessDenied: the actor may not change it.
        ValueError: `new` is not a valid name or is taken.
    """
    new = check_name(new)

    def work() -> None:
        with get_engine().begin() as conn:
            row = access.changeable(conn, KIND, old, actor)
            taken = access.name_taken(conn, KIND, row.org_id, new)
            if taken and taken.id != row.id:
                raise StoreRefusal("store.dataset.exists", name=new)
            if not access.change(conn, KIND, row, name=new):
                raise access.not_found(KIND, old)  # renamed or deleted meanwhile
            access.record(conn, actor, "rename", KIND, row.public_id, new, row.name)

    with_retry(work)


@store_boundary
def store_import(
    report: ImportReport,
    name: str,
    *,
    replace: bool = False,
    actor: Principal = LOCAL,
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
        actor=actor,
        side=report.side_tables,
    )
