"""people managed in Slack: the people table and a revision counter per partnership

Revision ID: 0012_people
Revises: 0008_reminder_batches
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_people"
down_revision: str | None = "0008_reminder_batches"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=True),
        sa.Column("working_days", sa.JSON(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint(
            "partnership_id", "slack_user_id", name=op.f("uq_people_partnership_id_slack_user_id")
        ),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_slack_user_id"), ["slack_user_id"], unique=False)
    op.create_table(
        "people_revisions",
        sa.Column("partnership_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("partnership_id", name=op.f("pk_people_revisions")),
    )


def downgrade() -> None:
    op.drop_table("people_revisions")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_slack_user_id"))
        batch_op.drop_index(batch_op.f("ix_people_partnership_id"))
    op.drop_table("people")
