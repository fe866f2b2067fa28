"""Rapid review tables: the checklist per case, agency returns, the decision and the sign-offs.

Free text (a not-applicable reason, a note, the rationale, key practice episodes) has passed the
identifier guard before it gets here; everything else is ids, codes and dates.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.engine import Base, UTCDateTime
from bot.rapid_review.states import ItemStatus


class RapidReview(Base):
    """One per case: which checklist it uses, where its messages are, and the Panel submission."""

    __tablename__ = "rapid_reviews"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    template_id: Mapped[str] = mapped_column(String(40))
    anchor: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(20))
    checklist_channel: Mapped[str | None] = mapped_column(String(32))
    checklist_ts: Mapped[str | None] = mapped_column(String(32))
    decision_ts: Mapped[str | None] = mapped_column(String(32))
    panel_sent_on: Mapped[date | None] = mapped_column(Date)
    panel_sent_by: Mapped[str | None] = mapped_column(String(32))
    panel_response: Mapped[str | None] = mapped_column(String(20))
    panel_response_on: Mapped[date | None] = mapped_column(Date)
    panel_response_by: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChecklistItem(Base):
    """One line of a case's checklist, copied from the template when the rapid review started."""

    __tablename__ = "checklist_items"
    __table_args__ = (UniqueConstraint("case_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(160))
    owner: Mapped[str] = mapped_column(String(24))  # an agency kind or a role (checklist_templates.Owner)
    owner_agency: Mapped[str | None] = mapped_column(String(64), index=True)
    target_day: Mapped[int | None] = mapped_column(Integer)
    from_day: Mapped[int | None] = mapped_column(Integer)
    before_start: Mapped[bool] = mapped_column(Boolean, default=False)
    when_text: Mapped[str | None] = mapped_column(String(48))
    target_on: Mapped[date | None] = mapped_column(Date)
    completed_by: Mapped[str | None] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16), default=ItemStatus.TODO, index=True)
    na_reason: Mapped[str | None] = mapped_column(String(200))
    assignee_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    done_on: Mapped[date | None] = mapped_column(Date)
    changed_by: Mapped[str | None] = mapped_column(String(32))
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AgencyReturn(Base):
    """An involved agency's contribution (agency summary): requested, received, or a nil return."""

    __tablename__ = "agency_returns"
    __table_args__ = (UniqueConstraint("case_id", "agency_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[str] = mapped_column(String(64))
    requested_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    nil_return: Mapped[bool] = mapped_column(Boolean, default=False)
    added_later: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def outstanding(self) -> bool:
        return self.received_on is None


class RapidReviewDecision(Base):
    """The partners' decision, one row per case; every edit bumps ``version`` (sign-offs name theirs)."""

    __tablename__ = "rapid_review_decisions"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    recommendation: Mapped[str] = mapped_column(String(32))
    national_review: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(String(1500))
    learning: Mapped[str | None] = mapped_column(String(1500))
    key_practice_episodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    parallel_processes: Mapped[list[str]] = mapped_column(JSON, default=list)
    constraints: Mapped[list[str]] = mapped_column(JSON, default=list)
    constraint_note: Mapped[str | None] = mapped_column(String(300))
    recorded_by: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def summary(self) -> dict[str, Any]:
        """For the audit log: codes and counts only, never the rationale's words."""
        return {
            "version": self.version,
            "recommendation": self.recommendation,
            "national_review": self.national_review,
            "key_practice_episodes": len(self.key_practice_episodes or []),
            "parallel_processes": list(self.parallel_processes or []),
            "constraints": list(self.constraints or []),
            "learning_given": bool(self.learning),
        }


class SignOff(Base):
    """One partner's approval of one version of the decision; voided (never deleted) by a later edit."""

    __tablename__ = "sign_offs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[str] = mapped_column(String(64))
    decision_version: Mapped[int] = mapped_column(Integer)
    signed_by: Mapped[str] = mapped_column(String(32))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_by: Mapped[str | None] = mapped_column(String(32))
