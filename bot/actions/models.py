"""Actions (from rapid review immediate actions, review recommendations and findings), their update
log, and findings with their Learning Together typology category."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.actions.kinds import ActionStatus
from bot.db.engine import Base, UTCDateTime


class Action(Base):
    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(String(500))  # passed through the identifier guard
    owner_agency: Mapped[str | None] = mapped_column(String(64), index=True)
    owner_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    success_measure: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default=ActionStatus.OPEN, index=True)
    not_doing_reason: Mapped[str | None] = mapped_column(String(300))
    evidence_of_impact: Mapped[str | None] = mapped_column(String(500))
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ActionUpdate(Base):
    """The update log of an action: who changed its status or wrote an update, when."""

    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(64))
    status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(500))  # passed through the identifier guard


class Finding(Base):
    """A review finding: a Learning Together typology category, and a recommendation or a board issue."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    typology: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # recommendation / board_issue
    recommendation_kind: Mapped[str | None] = mapped_column(String(24))  # local / competing / research
    summary: Mapped[str] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
