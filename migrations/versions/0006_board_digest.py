"""board summary messages per case (the chair digest itself is a reminder row)

Revision ID: 0006_board_digest
Revises: 0003a_reminder_payload
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_board_digest"
down_revision: str | None = "0003a_reminder_payload"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "board_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("refreshed_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_board_messages_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_messages")),
        sa.UniqueConstraint("case_id", name=op.f("uq_board_messages_case_id")),
    )
    with op.batch_alter_table("board_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_messages_partnership_id"), ["partnership_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("board_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_messages_partnership_id"))
    op.drop_table("board_messages")
