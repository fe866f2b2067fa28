"""Which workspace a piece of work is for: the team, its enterprise and the bot token to use there.

In single-workspace mode (SLACK_BOT_TOKEN) nothing sets it and the gateway uses its one token. With
OAuth installs every request is resolved to its own team's installation before bolt sees it, and the
worker resolves the partnership a reminder belongs to; either sets :data:`current_tenant` for the
work that follows (background tasks copy it when they are spawned). The gateway reads it on every
call: the token, and the team in its pacing lanes and its cache of direct-message channels.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Tenant:
    """One installation as the work sees it. ``token`` is never logged (``repr`` leaves it out)."""

    team_id: str | None
    enterprise_id: str | None
    token: str = field(repr=False)
    installation_id: int | None = None
    bot_user_id: str | None = None
    # The team of the person who acted, when it is not the installation's (Slack Connect).
    actor_team_id: str | None = None
    # The partnerships this workspace serves (None: no restriction, the single-workspace mode).
    partnerships: frozenset[str] | None = None
    # When the token expires (token rotation); None: it does not.
    token_expires_at: datetime | None = None

    @property
    def key(self) -> str:
        """The workspace (or organisation, for an org-wide install) in pacing lanes and caches."""
        return self.team_id or f"E:{self.enterprise_id or ''}"

    @property
    def person_team(self) -> str | None:
        return self.actor_team_id or self.team_id


current_tenant: ContextVar[Tenant | None] = ContextVar("reviewbot_tenant", default=None)


@contextmanager
def acting_as(tenant: Tenant | None) -> Iterator[Tenant | None]:
    """Run the block (and everything it spawns) as ``tenant``."""
    reset = current_tenant.set(tenant)
    try:
        yield tenant
    finally:
        current_tenant.reset(reset)
