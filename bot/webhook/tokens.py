"""Webhook bearer tokens: shown once when created, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from bot import audit
from bot.runtime.services import Services
from bot.webhook.models import WebhookToken

TOKEN_PREFIX = "rbt_"  # noqa: S105 - a public prefix that makes leaked tokens recognisable


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    id: int
    token: str


async def create_token(services: Services, partnership_id: str, name: str) -> NewToken:
    services.config.partnership(partnership_id)  # raises for an unknown partnership
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with services.db.session() as session:
        row = WebhookToken(
            partnership_id=partnership_id,
            name=name[:64],
            token_hash=hash_token(token),
            created_at=services.clock.now(),
        )
        session.add(row)
        await session.flush()
        audit.record(
            session,
            services.clock,
            actor="cli",
            action="webhook_token.created",
            partnership_id=partnership_id,
            after={"token_id": row.id, "name": name[:64]},
        )
        return NewToken(row.id, token)


async def revoke_token(services: Services, token_id: int) -> bool:
    async with services.db.session() as session:
        row = await session.get(WebhookToken, token_id)
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = services.clock.now()
        audit.record(
            session,
            services.clock,
            actor="cli",
            action="webhook_token.revoked",
            partnership_id=row.partnership_id,
            after={"token_id": row.id},
        )
        return True


async def list_tokens(services: Services) -> list[WebhookToken]:
    async with services.db.session() as session:
        return list((await session.execute(select(WebhookToken).order_by(WebhookToken.id))).scalars())


async def partnership_for_token(services: Services, token: str) -> tuple[str, int] | None:
    """The partnership a live token belongs to, or None (unknown or revoked)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    async with services.db.session() as session:
        row = (
            await session.execute(
                select(WebhookToken).where(
                    WebhookToken.token_hash == hash_token(token), WebhookToken.revoked_at.is_(None)
                )
            )
        ).scalar_one_or_none()
    return (row.partnership_id, row.id) if row is not None else None
