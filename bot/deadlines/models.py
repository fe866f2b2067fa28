"""A case's deadlines: one row per rule of the case's rule set (and per local milestone).

The statutory due date (due_on / due_at) never moves once set. A revised target is recorded beside
it with the reason and who agreed it, and both are shown everywhere.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.engine import Base, UTCDateTime


class Deadline(Base):
    __tablename__ = "deadlines"
    __table_args__ = (UniqueConstraint("case_id", "rule_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(160))
    anchor: Mapped[str] = mapped_column(String(40))
    anchor_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(8))
    status_kind: Mapped[str] = mapped_column(String(12))  # statutory / expected / local
    kind: Mapped[str] = mapped_column(String(20))  # deadline / chase / minimum_period / milestone
    responsible_role: Mapped[str] = mapped_column(String(40))
    verification: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revised_due_on: Mapped[date | None] = mapped_column(Date)
    revised_reason: Mapped[str | None] = mapped_column(String(200))
    revised_agreed_by: Mapped[str | None] = mapped_column(String(120))
    met_on: Mapped[date | None] = mapped_column(Date)
    met_by: Mapped[str | None] = mapped_column(String(32))
    not_applicable_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
