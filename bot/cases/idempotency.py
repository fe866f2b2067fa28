"""Requests seen before (a webhook's Idempotency-Key, a modal's view id): the same answer, nothing new."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cases.models import IdempotencyKey


async def earlier_answer(session: AsyncSession, scope: str, key: str) -> dict[str, Any] | None:
    """What was answered the first time this request was seen, if it was."""
    earlier = await session.get(IdempotencyKey, (scope, key))
    return earlier.response if earlier is not None and earlier.response else None


def remember_answer(
    session: AsyncSession, scope: str, key: str, *, case_id: int, answer: dict[str, Any], at: datetime
) -> None:
    """Keep the answer to this request, in the same unit of work as what it did."""
    session.add(
        IdempotencyKey(
            scope=scope, key=key, request_hash="", case_id=case_id, response=answer, created_at=at
        )
    )
