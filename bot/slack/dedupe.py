"""Slack redelivers events (X-Slack-Retry-Num) and Socket Mode envelopes; each is processed once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.engine import Base, UTCDateTime, insert_for


class SeenDelivery(Base):
    __tablename__ = "slack_deliveries_seen"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


async def first_delivery(session: AsyncSession, key: str, now: datetime) -> bool:
    """True the first time a key is seen; False for every redelivery (atomic on both databases)."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = insert_for(dialect)
    stmt = insert(SeenDelivery).values(key=key, received_at=now).on_conflict_do_nothing()
    result = await session.execute(stmt)
    return bool(result.rowcount)  # type: ignore[attr-defined]
