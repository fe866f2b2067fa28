"""rapid review: checklist items, agency returns, decision, sign-offs

Revision ID: 0004_rapid_review
Revises: 0005_meetings
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_rapid_review"
down_revision: str | None = "0005_meetings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _case_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["case_id"], ["cases.id"], name=op.f(f"fk_{table}_case_id_cases"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "rapid_reviews",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.String(length=40), nullable=False),
        sa.Column("anchor", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("checklist_channel", sa.String(length=32), nullable=True),
        sa.Column("checklist_ts", sa.String(length=32), nullable=True),
        sa.Column("decision_ts", sa.String(length=32), nullable=True),
        sa.Column("panel_sent_on", sa.Date(), nullable=True),
        sa.Column("panel_sent_by", sa.String(length=32), nullable=True),
        sa.Column("panel_response", sa.String(length=20), nullable=True),
        sa.Column("panel_response_on", sa.Date(), nullable=True),
        sa.Column("panel_response_by", sa.String(length=32), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _case_fk("rapid_reviews"),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_rapid_reviews")),
    )

    op.create_table(
        "checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("owner", sa.String(length=24), nullable=False),
        sa.Column("owner_agency", sa.String(length=64), nullable=True),
        sa.Column("target_day", sa.Integer(), nullable=True),
        sa.Column("from_day", sa.Integer(), nullable=True),
        sa.Column("before_start", sa.Boolean(), nullable=False),
        sa.Column("when_text", sa.String(length=48), nullable=True),
        sa.Column("target_on", sa.Date(), nullable=True),
        sa.Column("completed_by", sa.String(length=24), nullable=True),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("na_reason", sa.String(length=200), nullable=True),
        sa.Column("assignee_user_id", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("changed_by", sa.String(length=32), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _case_fk("checklist_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_items")),
        sa.UniqueConstraint("case_id", "item_id", name=op.f("uq_checklist_items_case_id_item_id")),
    )
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checklist_items_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_checklist_items_owner_agency"), ["owner_agency"], unique=False)
        batch_op.create_index(batch_op.f("ix_checklist_items_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_checklist_items_assignee_user_id"), ["assignee_user_id"], unique=False
        )

    op.create_table(
        "agency_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("nil_return", sa.Boolean(), nullable=False),
        sa.Column("added_later", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _case_fk("agency_returns"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_returns")),
        sa.UniqueConstraint("case_id", "agency_id", name=op.f("uq_agency_returns_case_id_agency_id")),
    )
    with op.batch_alter_table("agency_returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_returns_case_id"), ["case_id"], unique=False)

    op.create_table(
        "rapid_review_decisions",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recommendation", sa.String(length=32), nullable=False),
        sa.Column("national_review", sa.String(length=20), nullable=False),
        sa.Column("rationale", sa.String(length=1500), nullable=False),
        sa.Column("learning", sa.String(length=1500), nullable=True),
        sa.Column("key_practice_episodes", sa.JSON(), nullable=False),
        sa.Column("parallel_processes", sa.JSON(), nullable=False),
        sa.Column("constraints", sa.JSON(), nullable=False),
        sa.Column("constraint_note", sa.String(length=300), nullable=True),
        sa.Column("recorded_by", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _case_fk("rapid_review_decisions"),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_rapid_review_decisions")),
    )

    op.create_table(
        "sign_offs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("decision_version", sa.Integer(), nullable=False),
        sa.Column("signed_by", sa.String(length=32), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_by", sa.String(length=32), nullable=True),
        _case_fk("sign_offs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_offs")),
    )
    with op.batch_alter_table("sign_offs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_offs_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sign_offs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_offs_case_id"))
    op.drop_table("sign_offs")
    op.drop_table("rapid_review_decisions")
    with op.batch_alter_table("agency_returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_returns_case_id"))
    op.drop_table("agency_returns")
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_items_assignee_user_id"))
        batch_op.drop_index(batch_op.f("ix_checklist_items_status"))
        batch_op.drop_index(batch_op.f("ix_checklist_items_owner_agency"))
        batch_op.drop_index(batch_op.f("ix_checklist_items_case_id"))
    op.drop_table("checklist_items")
    op.drop_table("rapid_reviews")
