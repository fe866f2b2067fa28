"""Where each case's board summary lives in Slack, so it is edited in place instead of reposted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.engine import Base, UTCDateTime


class BoardMessage(Base):
    __tablename__ = "board_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    # A digest of what the message shows, so a refresh that changes nothing makes no Slack call.
    content_hash: Mapped[str] = mapped_column(String(64))
    # The UK day it was last checked: time alone moves deadlines into the window or makes them overdue.
    refreshed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
