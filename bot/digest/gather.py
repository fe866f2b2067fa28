"""Reading what a chair's digest is composed from, at send time, in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import AuditEvent
from bot.board.snapshot import load_snapshot
from bot.calendar.partnership_days import partnership_calendar
from bot.clock import london_date
from bot.config.partnership import Partnership
from bot.digest.content import Digest, Event, compose


async def gather_digest(
    session: AsyncSession, partnership: Partnership, *, since: datetime, now: datetime
) -> Digest:
    """Five queries whatever the number of cases: the snapshot (3), events since, last activity."""
    snapshot = await load_snapshot(session, partnership.id)
    events = [
        Event(*row)
        for row in (
            await session.execute(
                select(AuditEvent.case_id, AuditEvent.action, AuditEvent.after)
                .where(AuditEvent.partnership_id == partnership.id, AuditEvent.at > since)
                .order_by(AuditEvent.at, AuditEvent.id)
            )
        ).all()
    ]
    last_activity: dict[int, datetime] = {
        int(case_id or 0): at
        for case_id, at in (
            await session.execute(
                select(AuditEvent.case_id, func.max(AuditEvent.at))
                .where(AuditEvent.partnership_id == partnership.id, AuditEvent.case_id.is_not(None))
                .group_by(AuditEvent.case_id)
            )
        ).all()
    }
    return compose(
        partnership,
        snapshot,
        events,
        last_activity,
        since=since,
        today=london_date(now),
        calendar=partnership_calendar(partnership),
    )
