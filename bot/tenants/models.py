"""Installations of the app (one per workspace, or per organisation for an org-wide install) and the
one-time states of installs in progress. Tokens are stored only encrypted (bot.tenants.crypto)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.engine import Base, UTCDateTime


class Installation(Base):
    __tablename__ = "slack_installations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    # None for an Enterprise Grid org-wide install (it serves every workspace of the organisation).
    team_id: Mapped[str | None] = mapped_column(String(32))
    team_name: Mapped[str | None] = mapped_column(String(200))
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    app_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str] = mapped_column(String(32))
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str] = mapped_column(Text, default="")
    # Fernet tokens (url-safe base64 text); never the token itself.
    bot_token_encrypted: Mapped[str] = mapped_column(Text)
    bot_refresh_token_encrypted: Mapped[str | None] = mapped_column(Text)
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    installer_user_id: Mapped[str | None] = mapped_column(String(32))
    # The partnership an administrator chose at install (None: the partnership file decides).
    partnership_id: Mapped[str | None] = mapped_column(String(64))
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set by app_uninstalled / tokens_revoked: the installation no longer authorises anything.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_reason: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (Index("ix_slack_installations_team", "enterprise_id", "team_id"),)


class OAuthState(Base):
    """A state handed out by /slack/install: used once, within its lifetime."""

    __tablename__ = "slack_oauth_states"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    partnership_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
