"""Imported datasets keep their transactions, details and budgets.

Three nullable Parquet columns on ``datasets``: ``transactions_parquet``,
``details_parquet`` and ``budgets_parquet`` (the tables of
`src.portfolio.activity_tables.SideTables`). NULL means the dataset publishes
none (a CSV or .xlsx import, or an IATI import stored before this revision):
the money, results and continuity views then say "not published", not zero.

Adding nullable columns is an ALTER TABLE on both SQLite and PostgreSQL; the
downgrade drops them (SQLite through Alembic's batch mode).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = ("transactions_parquet", "details_parquet", "budgets_parquet")


def upgrade() -> None:
    """Add the three side-table columns (NULL for the rows already stored)."""
    with op.batch_alter_table("datasets") as batch:
        for column in COLUMNS:
            batch.add_column(sa.Column(column, sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Drop them (the datasets keep their portfolio tables)."""
    with op.batch_alter_table("datasets") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)
