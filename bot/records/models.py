"""Records kept about records: the tombstone a purged case leaves, and each redaction.

A tombstone keeps only what says a case existed and what became of it: its reference, kind, the dates
it was opened and closed, and who purged it, when and why. Its id is the purged case's, so the audit
trail's rows about the case still name something. The reasons (a purge's, a redaction's) are free
text that passed the identifier guard; they live here, never in the audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.engine import Base, UTCDateTime

REASON_LIMIT = 300


class CaseTombstone(Base):
    __tablename__ = "case_tombstones"
    __table_args__ = (UniqueConstraint("partnership_id", "reference"),)

    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    reference: Mapped[str] = mapped_column(String(40))
    notification_type: Mapped[str] = mapped_column(String(40))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retention_years: Mapped[int | None] = mapped_column(Integer)
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    purged_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(REASON_LIMIT))  # passed through the identifier guard
    channel_id: Mapped[str | None] = mapped_column(String(32))
    channel_archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Redaction(Base):
    """A stored free-text field replaced by a marker: which, whose, by whom, when and why (never what
    it said)."""

    __tablename__ = "redactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    redacted_by: Mapped[str] = mapped_column(String(32))
    redacted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(REASON_LIMIT))  # passed through the identifier guard
