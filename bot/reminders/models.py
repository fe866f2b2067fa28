"""The reminder outbox: every reminder is a row with a unique delivery key.

A tick claims due rows atomically, sends them and marks them sent with channel and ts. The unique
key makes creating the same reminder twice a no-op, so schedules can be recomputed freely.

A row the engine decided not to send because a newer one for the same thing went to the same place
(missed rungs collapsed after an outage, a late-opened case) is kept as ``superseded``, pointing at
the row that was sent instead. A row sent to someone other than its recipient (a deputy while the
recipient is away) records who got it in ``delivered_to``; a row moved to the recipient's next
working day keeps the time it was first due in ``deferred_from``. People's away periods are rows
too (:class:`AwayPeriod`), so every worker routes alike.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.engine import Base, UTCDateTime


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"
    DEAD = "dead_letter"
    SUPERSEDED = "superseded"  # a newer row for the same thing and person was sent instead


class Reminder(Base):
    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_key: Mapped[str] = mapped_column(String(200), unique=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    deadline_id: Mapped[int | None] = mapped_column(
        ForeignKey("deadlines.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    rung: Mapped[str] = mapped_column(String(40))
    # A Slack user id (sent by direct message) or "case_channel" (in the case card's thread).
    recipient: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default=ReminderStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(64))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_channel: Mapped[str | None] = mapped_column(String(32))
    sent_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Kind-specific facts the composer needs (ids, never free text about a child).
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Set when the row was not sent because another (newer) row covering it was: that row's id.
    superseded_by: Mapped[int | None] = mapped_column(Integer)
    # Who it actually went to, when not the recipient (a deputy, or the business manager).
    delivered_to: Mapped[str | None] = mapped_column(String(40))
    # When it was first due, if a working pattern moved it to the recipient's next working day.
    deferred_from: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AwayPeriod(Base):
    """A person away from ``starts_on`` to ``ends_on`` (UK dates, inclusive); their reminders go to
    ``deputy_user_id`` meanwhile. Ended early by ``/review away off`` (``ended_at``)."""

    __tablename__ = "away_periods"
    __table_args__ = (Index("ix_away_periods_partnership_user", "partnership_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    deputy_user_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
