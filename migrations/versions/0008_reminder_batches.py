"""reminders people can live with: superseded rows, deputies, working patterns; away periods

Revision ID: 0008_reminder_batches
Revises: 0009_records (chained after main's 0007_lifecycle and 0009_records at the merge)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_reminder_batches"
down_revision: str | None = "0009_records"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("superseded_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("delivered_to", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("deferred_from", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "away_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("deputy_user_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_away_periods")),
    )
    with op.batch_alter_table("away_periods", schema=None) as batch_op:
        batch_op.create_index(
            "ix_away_periods_partnership_user", ["partnership_id", "user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("away_periods", schema=None) as batch_op:
        batch_op.drop_index("ix_away_periods_partnership_user")
    op.drop_table("away_periods")
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_column("deferred_from")
        batch_op.drop_column("delivered_to")
        batch_op.drop_column("superseded_by")
