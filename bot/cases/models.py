"""Case tables. Only references, pseudonyms, categories and dates: never names, dates of birth,
addresses, schools or NHS numbers (free text passes the identifier guard before it gets here)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.engine import Base, UTCDateTime


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("partnership_id", "reference"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    reference: Mapped[str] = mapped_column(String(40), index=True)
    nation: Mapped[str] = mapped_column(String(24))
    ruleset_id: Mapped[str] = mapped_column(String(40))
    ruleset_version: Mapped[int] = mapped_column(Integer)
    # The rule set as it was when the case started: a case keeps it even after the YAML changes.
    ruleset_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    notification_type: Mapped[str] = mapped_column(String(40))
    notification_only: Mapped[bool] = mapped_column(Boolean, default=False)
    stage: Mapped[str] = mapped_column(String(40), index=True)
    la_aware_at: Mapped[datetime] = mapped_column(UTCDateTime())
    incident_on: Mapped[date | None] = mapped_column(Date)
    abuse_or_neglect: Mapped[str] = mapped_column(String(16))
    police_investigation: Mapped[str] = mapped_column(String(16))
    media_interest: Mapped[bool] = mapped_column(Boolean, default=False)
    notification_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    summary: Mapped[str | None] = mapped_column(String(600))
    source_channel_id: Mapped[str | None] = mapped_column(String(32))
    source_message_ts: Mapped[str | None] = mapped_column(String(32))
    channel_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    card_ts: Mapped[str | None] = mapped_column(String(32))
    owner_user_id: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When the case moved to Closed: its retention period runs from here.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    children: Mapped[list[CaseChild]] = relationship(
        back_populates="case", order_by="CaseChild.position", cascade="all, delete-orphan", lazy="selectin"
    )
    agencies: Mapped[list[CaseAgency]] = relationship(
        back_populates="case", order_by="CaseAgency.agency_id", cascade="all, delete-orphan", lazy="selectin"
    )
    members: Mapped[list[CaseMember]] = relationship(
        back_populates="case", cascade="all, delete-orphan", lazy="selectin"
    )


class CaseChild(Base):
    __tablename__ = "case_children"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    pseudonym: Mapped[str] = mapped_column(String(24))
    age_band: Mapped[str] = mapped_column(String(16))
    legal_status: Mapped[str] = mapped_column(String(32))

    case: Mapped[Case] = relationship(back_populates="children")


class CaseAgency(Base):
    """An agency involved in the case (its return and later agencies come with the rapid review)."""

    __tablename__ = "case_agencies"
    __table_args__ = (UniqueConstraint("case_id", "agency_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())

    case: Mapped[Case] = relationship(back_populates="agencies")


class CaseMember(Base):
    """A person given access to the case (invited to its channel)."""

    __tablename__ = "case_members"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())

    case: Mapped[Case] = relationship(back_populates="members")


class ReferenceCounter(Base):
    """The last sequence number used per partnership and year (RR-2026-007)."""

    __tablename__ = "reference_counters"

    partnership_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class IdempotencyKey(Base):
    """A request seen before (webhook Idempotency-Key, a modal's view id): same answer, no new case."""

    __tablename__ = "idempotency_keys"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseEvent(Base):
    """One event of a case's life (the notification sent, the decision, the intended publication, the
    report published...): the day it happened and who recorded it. The names come from the case's
    rule set lifecycle; a published report's link is the only free text, and it passed the guard."""

    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    detail: Mapped[str | None] = mapped_column(String(40))  # e.g. the decision's recommendation
    link: Mapped[str | None] = mapped_column(String(300))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
