"""The tables of a Learning Together review: its plan, its key practice episodes (and the findings
that come from them), the family's participation and the holds parallel proceedings put on it.

Only references, codes, dates, roles and guarded text are stored: never a name. A family contact and a
practitioner are described by role and agency only.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.engine import Base, UTCDateTime

TITLE_LIMIT = 120
FACTOR_LIMIT = 200
REASON_LIMIT = 300
NOTE_LIMIT = 500
ROLE_LIMIT = 80


class ReviewPlan(Base):
    """A local review run with the Learning Together model: who leads it, the review team, how many
    follow-on case group meetings, and the version of the model's data it was planned with."""

    __tablename__ = "review_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    model: Mapped[str] = mapped_column(String(40))
    model_version: Mapped[str] = mapped_column(String(20))
    lead_reviewer_user_id: Mapped[str] = mapped_column(String(32), index=True)
    review_team: Mapped[list[str]] = mapped_column(JSON, default=list)
    follow_ons: Mapped[int] = mapped_column(Integer)
    commissioned_by: Mapped[str] = mapped_column(String(64))
    commissioned_at: Mapped[datetime] = mapped_column(UTCDateTime())


class KeyPracticeEpisode(Base):
    __tablename__ = "key_practice_episodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the case
    title: Mapped[str] = mapped_column(String(TITLE_LIMIT))  # guarded
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    agencies: Mapped[list[str]] = mapped_column(JSON, default=list)  # agency ids of the partnership file
    contributory_factors: Mapped[list[str]] = mapped_column(JSON, default=list)  # each guarded
    source: Mapped[str] = mapped_column(String(24))  # rapid_review / review_team
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FindingEpisode(Base):
    """A finding comes from these key practice episodes."""

    __tablename__ = "finding_episodes"
    __table_args__ = (UniqueConstraint("finding_id", "episode_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), index=True)
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("key_practice_episodes.id", ondelete="CASCADE"), index=True
    )


class FamilyParticipation(Base):
    """The family's participation in the review: one plan per case."""

    __tablename__ = "family_participation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    invited: Mapped[bool | None] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(REASON_LIMIT))  # guarded
    contact_role: Mapped[str | None] = mapped_column(String(ROLE_LIMIT))  # a role, never a name
    next_update_on: Mapped[date | None] = mapped_column(Date)
    comment_offered: Mapped[bool | None] = mapped_column(Boolean)  # a chance to comment before publication
    comment_by: Mapped[date | None] = mapped_column(Date)
    during_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FamilyUpdate(Base):
    """An update given to the family on the review's progress."""

    __tablename__ = "family_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("family_participation.id", ondelete="CASCADE"), index=True
    )
    given_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(NOTE_LIMIT))  # guarded
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseHold(Base):
    """A hold parallel proceedings put on the review: no contact (police or CPS asked: family contact
    and practitioner conversations wait), or publication on hold. The statutory dates never move."""

    __tablename__ = "case_holds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # no_contact / publication
    requested_by: Mapped[str | None] = mapped_column(String(16))  # police / cps
    reason: Mapped[str] = mapped_column(String(REASON_LIMIT))  # guarded
    review_on: Mapped[date | None] = mapped_column(Date)
    placed_by: Mapped[str] = mapped_column(String(64))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lifted_by: Mapped[str | None] = mapped_column(String(64))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
