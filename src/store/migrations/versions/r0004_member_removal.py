"""A member an admin removed stays out: ``memberships.removed_at``.

A removed member's row is kept with the time of removal (NULL: a member), so
that the claims (an e-mail domain, a group) do not place them back in the
organisation at their next sign-in; they then see the bundled and public data
only, as a user no organisation claims.

Adding a nullable column is an ALTER TABLE on both SQLite and PostgreSQL; the
downgrade drops it (SQLite through Alembic's batch mode).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``removed_at`` (NULL for every member stored before)."""
    with op.batch_alter_table("memberships") as batch:
        batch.add_column(
            sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    """Drop it (a removed member is then a member again, with their old role)."""
    with op.batch_alter_table("memberships") as batch:
        batch.drop_column("removed_at")
