"""Meetings of a case (case group, review team, rapid review panel, practitioner learning event) and
who was invited, what they answered and whether they came.

Only ids, kinds, times and two short guarded texts (where it is, what to read first) are stored: a
meeting row never holds anything about the child beyond the case it belongs to.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.engine import Base, UTCDateTime
from bot.meetings.kinds import (
    COMMENT_LIMIT,
    PLACE_LIMIT,
    PRE_READING_LIMIT,
    PURPOSE_LIMIT,
    RECORD_LIMIT,
    ROLE_LIMIT,
    MeetingStatus,
)


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(PLACE_LIMIT))  # passed through the identifier guard
    pre_reading: Mapped[str | None] = mapped_column(String(PRE_READING_LIMIT))  # guarded too
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.SCHEDULED)
    # The calendar file's SEQUENCE: 0 when scheduled, +1 on every reschedule and on cancelling.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    organiser_user_id: Mapped[str] = mapped_column(String(32))
    chair_user_id: Mapped[str] = mapped_column(String(32))
    # Where the invitation was posted, so every change edits it in place.
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    # The modal that created it: a resubmitted form finds the meeting instead of making a second one.
    created_from_view: Mapped[str | None] = mapped_column(String(64), unique=True)
    attendance_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance_recorded_by: Mapped[str | None] = mapped_column(String(32))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Learning Together: a case group meeting's purpose (from the review model's data), what was agreed
    # (guarded; sent to the absentees), and for a conversation the practitioner's agency and role (a
    # role only, never a name) and whether it took place.
    purpose: Mapped[str | None] = mapped_column(String(PURPOSE_LIMIT))
    record_text: Mapped[str | None] = mapped_column(String(RECORD_LIMIT))
    record_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    practitioner_agency: Mapped[str | None] = mapped_column(String(64))
    practitioner_role: Mapped[str | None] = mapped_column(String(ROLE_LIMIT))
    done: Mapped[bool | None] = mapped_column(Boolean)
    # Scheduled while police or the CPS asked for no contact, after the scheduler was warned.
    during_hold: Mapped[bool] = mapped_column(Boolean, default=False)

    invitees: Mapped[list[MeetingInvitee]] = relationship(
        back_populates="meeting", order_by="MeetingInvitee.position", cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED.value

    @property
    def invitee_ids(self) -> list[str]:
        return [i.user_id for i in self.invitees]

    def invitee(self, user_id: str) -> MeetingInvitee | None:
        return next((i for i in self.invitees if i.user_id == user_id), None)


class MeetingInvitee(Base):
    """One person invited: their answer (None until they press a button) and, later, whether they came."""

    __tablename__ = "meeting_invitees"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    response: Mapped[str | None] = mapped_column(String(16))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attended: Mapped[bool | None] = mapped_column(Boolean)
    # An absentee of a case group meeting: when they were sent what was agreed.
    record_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    meeting: Mapped[Meeting] = relationship(back_populates="invitees")


class MeetingRecordComment(Base):
    """An absentee's comment on the accuracy of a case group meeting's record (guarded), for the lead
    reviewer."""

    __tablename__ = "meeting_record_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(String(COMMENT_LIMIT))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
