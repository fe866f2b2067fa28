"""The "chair_digest" reminder kind: the digest is composed when it is sent, so it is never stale.

"Changed since the last digest" is measured from when this chair's previous digest was sent (a week
ago by default, for the first one).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.digest.blocks import digest_message
from bot.digest.gather import gather_digest
from bot.digest.schedule import KIND, ensure_weekly_digests
from bot.reminders.kinds import ComposeContext, Outgoing
from bot.reminders.models import Reminder, ReminderStatus
from bot.runtime.wiring import Provisions, ReminderKind

FIRST_DIGEST_LOOKS_BACK = timedelta(days=7)


async def last_digest_sent(
    session: AsyncSession, partnership_id: str, chair: str | None, *, excluding: int | None = None
) -> datetime | None:
    """When a digest was last sent to ``chair`` (any chair of the partnership when None)."""
    query = select(func.max(Reminder.sent_at)).where(
        Reminder.kind == KIND,
        Reminder.partnership_id == partnership_id,
        Reminder.status == ReminderStatus.SENT.value,
    )
    if chair is not None:
        query = query.where(Reminder.recipient == chair)
    if excluding is not None:
        query = query.where(Reminder.id != excluding)
    return (await session.execute(query)).scalar_one_or_none()


async def compose_chair_digest(ctx: ComposeContext) -> Outgoing | None:
    row = ctx.reminder
    try:
        partnership = ctx.services.config.partnership(str((row.payload or {}).get("partnership_id")))
    except KeyError:
        return None
    person = partnership.person(row.recipient)
    if person is None or not person.has_role("chair"):
        return None  # no longer the chair: the row is cancelled
    now = ctx.services.clock.now()
    since = (
        await last_digest_sent(ctx.session, partnership.id, row.recipient, excluding=row.id)
        or now - FIRST_DIGEST_LOOKS_BACK
    )
    text, blocks = digest_message(await gather_digest(ctx.session, partnership, since=since, now=now))
    return Outgoing(text=text, blocks=blocks)


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.reminder_kind(ReminderKind(KIND, compose_chair_digest))
    features.tick(ensure_weekly_digests, order=40)
