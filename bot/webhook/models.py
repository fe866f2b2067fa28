"""Bearer tokens for the webhook, one or more per partnership, stored only as SHA-256 hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.engine import Base, UTCDateTime


class WebhookToken(Base):
    __tablename__ = "webhook_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
