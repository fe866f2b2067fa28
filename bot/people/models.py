"""The people table, and a revision counter per partnership so every process notices a change.

A person is known by Slack member id within a partnership (``team_id`` is the Slack workspace when
several are installed; empty in single-workspace mode). ``label`` describes the role ("Business
manager, LA"), never the person: names stay in Slack. Removing someone deactivates the row, so the
audit log and the records they made still say who did what.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.engine import Base, UTCDateTime


class PersonRecord(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("partnership_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    team_id: Mapped[str | None] = mapped_column(String(32))  # the Slack workspace; None: the only one
    slack_user_id: Mapped[str] = mapped_column(String(32), index=True)
    agency_id: Mapped[str | None] = mapped_column(String(64))
    roles: Mapped[list[str]] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(120))
    working_days: Mapped[list[str] | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(16))  # "file" (imported) or "slack" (added in Slack)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PeopleRevision(Base):
    """One row per partnership whose people are in the database; ``revision`` goes up on every change.

    A process compares the sum with the one it last read (one small query per request or tick) and
    reloads people only when it moved, so a change made by another process is effective at once.
    """

    __tablename__ = "people_revisions"

    partnership_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
