"""Organisations and roles: owned items, sharing, soft deletion and the audit trail.

New tables organisations, org_claims, memberships, shares and audit. Datasets
and scenarios gain a random ``public_id``, ``org_id``, ``owner``, ``public``,
``deleted_at`` and ``deleted_by``; their names become unique per organisation
among live items (a partial unique index) instead of globally. Reference
classes are keyed by their dataset's public id instead of its name.

Rows already stored belong to the one local user of an installation without
sign-in (`src.store.principal.LOCAL`: user ``local``, organisation ``local``),
each gets its own random public id and stays private. A reference class whose
dataset is gone is dropped (it could no longer be found).

SQLite cannot drop a constraint or change a column in place: its tables are
recreated by Alembic's batch mode (PostgreSQL is altered in place).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LOCAL_USER = "local"
LOCAL_ORG = "local"
"""`src.store.principal.LOCAL` as this revision knows it (kept fixed here)."""

ITEMS = ("datasets", "scenarios")
# SQLite's reflected unnamed UNIQUE(name) gets this name in batch mode, so it
# can be dropped; PostgreSQL named it <table>_<column>_key itself.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _unique_name(table: str, column: str) -> str:
    if op.get_bind().dialect.name == "sqlite":
        return f"uq_{table}_{column}"
    return f"{table}_{column}_key"


def _create_tables() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("country", sa.String(3), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "org_claims",
        sa.Column("claim", sa.String(320), primary_key=True),
        sa.Column(
            "org_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("role", sa.String(16), nullable=False),
    )
    op.create_table(
        "memberships",
        sa.Column("user_key", sa.String(320), primary_key=True),
        sa.Column(
            "org_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "shares",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "item_id", "org_id"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_key", sa.String(320), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_audit_at", "audit", ["at"])


def _own_existing_rows(table: str) -> None:
    """Give every stored row the local owner and its own random public id."""
    conn = op.get_bind()
    t = sa.table(
        table,
        sa.column("id", sa.Integer()),
        sa.column("public_id", sa.String(32)),
        sa.column("org_id", sa.String(64)),
        sa.column("owner", sa.String(320)),
        sa.column("public", sa.Boolean()),
    )
    for (row_id,) in conn.execute(sa.select(t.c.id)).all():
        conn.execute(
            sa.update(t)
            .where(t.c.id == row_id)
            .values(
                public_id=secrets.token_urlsafe(16),
                org_id=LOCAL_ORG,
                owner=LOCAL_USER,
                public=False,
            )
        )


def _key_classes_by_public_id() -> None:
    """reference_classes.dataset: the dataset's name becomes its public id."""
    conn = op.get_bind()
    rc = sa.table(
        "reference_classes", sa.column("id"), sa.column("dataset", sa.String())
    )
    ds = sa.table("datasets", sa.column("name"), sa.column("public_id"))
    ids = dict(conn.execute(sa.select(ds.c.name, ds.c.public_id)).all())
    for row_id, name in conn.execute(sa.select(rc.c.id, rc.c.dataset)).all():
        where = rc.c.id == row_id
        if name in ids:
            conn.execute(sa.update(rc).where(where).values(dataset=ids[name]))
        else:
            conn.execute(sa.delete(rc).where(where))


def upgrade() -> None:
    """Add organisations, owned items, sharing, soft deletion and the audit."""
    _create_tables()
    for table in ITEMS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("public_id", sa.String(32), nullable=True))
            batch.add_column(sa.Column("org_id", sa.String(64), nullable=True))
            batch.add_column(sa.Column("owner", sa.String(320), nullable=True))
            batch.add_column(sa.Column("public", sa.Boolean(), nullable=True))
            batch.add_column(
                sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True)
            )
            batch.add_column(sa.Column("deleted_by", sa.String(320), nullable=True))
        _own_existing_rows(table)
        with op.batch_alter_table(table, naming_convention=NAMING) as batch:
            for column in ("public_id", "org_id", "owner", "public"):
                batch.alter_column(column, nullable=False)
            batch.drop_constraint(_unique_name(table, "name"), type_="unique")
            batch.create_unique_constraint(
                _unique_name(table, "public_id"), ["public_id"]
            )
            batch.create_index(f"ix_{table}_org_id", ["org_id"])
        op.create_index(
            f"uq_{table}_org_name_live",
            table,
            ["org_id", "name"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
    _key_classes_by_public_id()
    with op.batch_alter_table("reference_classes", naming_convention=NAMING) as batch:
        batch.alter_column(
            "dataset",
            type_=sa.String(32),
            existing_type=sa.String(200),
            existing_nullable=False,
        )


def downgrade() -> None:
    """Back to one global namespace (refused by the database if names repeat).

    Deleted items are removed, reference classes go back to their dataset's
    name; organisations, memberships, shares and the audit trail are dropped.
    """
    conn = op.get_bind()
    rc = sa.table("reference_classes", sa.column("dataset", sa.String()))
    ds = sa.table("datasets", sa.column("name"), sa.column("public_id"))
    for table in ITEMS:
        conn.execute(sa.text(f"DELETE FROM {table} WHERE deleted_at IS NOT NULL"))  # noqa: S608 - fixed names
    names = dict(conn.execute(sa.select(ds.c.public_id, ds.c.name)).all())
    with op.batch_alter_table("reference_classes", naming_convention=NAMING) as batch:
        batch.alter_column(
            "dataset",
            type_=sa.String(200),
            existing_type=sa.String(32),
            existing_nullable=False,
        )
    for public_id, name in names.items():
        conn.execute(
            sa.update(rc).where(rc.c.dataset == public_id).values(dataset=name)
        )
    conn.execute(sa.delete(rc).where(rc.c.dataset.not_in(list(names.values()))))
    for table in ITEMS:
        op.drop_index(f"uq_{table}_org_name_live", table_name=table)
        with op.batch_alter_table(table, naming_convention=NAMING) as batch:
            batch.drop_index(f"ix_{table}_org_id")
            batch.drop_constraint(_unique_name(table, "public_id"), type_="unique")
            for column in (
                "deleted_by",
                "deleted_at",
                "public",
                "owner",
                "org_id",
                "public_id",
            ):
                batch.drop_column(column)
            batch.create_unique_constraint(_unique_name(table, "name"), ["name"])
    op.drop_index("ix_audit_at", table_name="audit")
    for table in ("audit", "shares", "memberships", "org_claims", "organisations"):
        op.drop_table(table)
