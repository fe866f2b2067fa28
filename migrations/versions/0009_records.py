"""records: the audit hash chain and its head, cases.closed_at, case tombstones, redactions

Existing audit rows are chained in id order (the append-only triggers are lifted for that update only
and put back); closed cases get closed_at from the audit row that closed them.

Revision ID: 0009_records
Revises: 0007_lifecycle
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.audit import GENESIS, HEAD_ID, AuditEvent, chain_hash
from bot.db.engine import UTCDateTime

revision: str = "0009_records"
down_revision: str | None = "0007_lifecycle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_TRIGGERS = {
    verb: f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
    for verb in ("UPDATE", "DELETE")
}

_audit = sa.table(
    "audit_events",
    sa.column("id", sa.Integer()),
    sa.column("at", UTCDateTime()),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("partnership_id", sa.String()),
    sa.column("case_id", sa.Integer()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("request_id", sa.String()),
    sa.column("seq", sa.Integer()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)
_head = sa.table(
    "audit_chain_head",
    sa.column("id", sa.Integer()),
    sa.column("seq", sa.Integer()),
    sa.column("hash", sa.String()),
    sa.column("updated_at", UTCDateTime()),
)
_cases = sa.table(
    "cases",
    sa.column("id", sa.Integer()),
    sa.column("stage", sa.String()),
    sa.column("updated_at", UTCDateTime()),
    sa.column("closed_at", UTCDateTime()),
)


def _lift_append_only(lift: bool) -> None:
    """Allow this migration's own UPDATE of audit rows (lift=True), then refuse again (False)."""
    if op.get_bind().dialect.name == "postgresql":
        verb = "DISABLE" if lift else "ENABLE"
        op.execute(f"ALTER TABLE audit_events {verb} TRIGGER audit_events_no_change")
    elif lift:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
    else:
        op.execute(_SQLITE_TRIGGERS["UPDATE"])


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_index(op.f("uq_audit_events_seq"), "audit_events", ["seq"], unique=True)
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    _chain_existing_rows()

    with op.batch_alter_table("cases", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_cases_closed_at"), "cases", ["closed_at"], unique=False)
    _backfill_closed_at()

    op.create_table(
        "case_tombstones",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("partnership_id", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("notification_type", sa.String(length=40), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retention_years", sa.Integer(), nullable=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purged_by", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("channel_archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_tombstones")),
        sa.UniqueConstraint(
            "partnership_id", "reference", name=op.f("uq_case_tombstones_partnership_id_reference")
        ),
    )
    op.create_index(
        op.f("ix_case_tombstones_partnership_id"), "case_tombstones", ["partnership_id"], unique=False
    )
    op.create_table(
        "redactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("redacted_by", sa.String(length=32), nullable=False),
        sa.Column("redacted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_redactions_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redactions")),
    )
    op.create_index(op.f("ix_redactions_case_id"), "redactions", ["case_id"], unique=False)
    op.create_index(op.f("ix_redactions_partnership_id"), "redactions", ["partnership_id"], unique=False)


def _chain_existing_rows() -> None:
    """Chain the rows written before the chain existed, oldest first, exactly as new rows are."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(_audit).order_by(_audit.c.id)).all()
    seq, prev = 0, GENESIS
    if rows:
        _lift_append_only(True)
        for row in rows:
            seq += 1
            event = AuditEvent(
                at=row.at,
                actor=row.actor,
                action=row.action,
                partnership_id=row.partnership_id,
                case_id=row.case_id,
                before=row.before,
                after=row.after,
                request_id=row.request_id,
                seq=seq,
            )
            digest = chain_hash(prev, event)
            bind.execute(
                sa.update(_audit).where(_audit.c.id == row.id).values(seq=seq, prev_hash=prev, hash=digest)
            )
            prev = digest
        _lift_append_only(False)
    bind.execute(
        sa.insert(_head).values(id=HEAD_ID, seq=seq, hash=prev, updated_at=rows[-1].at if rows else None)
    )


def _backfill_closed_at() -> None:
    """A closed case was closed by its last move to Closed in the audit log (else its last change)."""
    bind = op.get_bind()
    closed = bind.execute(
        sa.select(_cases.c.id, _cases.c.updated_at).where(_cases.c.stage == "closed")
    ).all()
    for case_id, updated_at in closed:
        moves = bind.execute(
            sa.select(_audit.c.at, _audit.c.after)
            .where(_audit.c.case_id == case_id, _audit.c.action == "case.stage_changed")
            .order_by(_audit.c.at)
        ).all()
        closing = [at for at, after in moves if isinstance(after, dict) and after.get("stage") == "closed"]
        closed_at = closing[-1] if closing else updated_at
        bind.execute(sa.update(_cases).where(_cases.c.id == case_id).values(closed_at=closed_at))


def downgrade() -> None:
    op.drop_index(op.f("ix_redactions_partnership_id"), table_name="redactions")
    op.drop_index(op.f("ix_redactions_case_id"), table_name="redactions")
    op.drop_table("redactions")
    op.drop_index(op.f("ix_case_tombstones_partnership_id"), table_name="case_tombstones")
    op.drop_table("case_tombstones")
    op.drop_index(op.f("ix_cases_closed_at"), table_name="cases")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
    op.drop_table("audit_chain_head")
    op.drop_index(op.f("uq_audit_events_seq"), table_name="audit_events")
    # SQLite rebuilds the table to drop columns, and its triggers go with the old one: put them back.
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
    if sqlite:
        for verb, statement in _SQLITE_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{verb.lower()}")
            op.execute(statement)
