"""Keeping each case's board message true: posted once in the board channel, then edited in place.

Called after every change that can alter a summary (actions, and through the case card's refresh,
stages and deadlines), and once a day by the worker's tick, because time alone moves deadlines into
the 10-working-day window or makes them overdue. A refresh that would show the same thing makes no
Slack call (the message keeps a fingerprint of what it shows).
"""

from __future__ import annotations

import asyncio
import weakref
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from bot.board.blocks import case_board_message, partnership_board_message
from bot.board.models import BoardMessage
from bot.board.rows import Snapshot
from bot.board.snapshot import load_snapshot
from bot.board.summary import CaseSummary, PartnershipSummary, case_summary, partnership_summary
from bot.calendar.partnership_days import partnership_calendar
from bot.cases.models import Case
from bot.cases.states import Stage
from bot.clock import london_date
from bot.config.partnership import Partnership
from bot.db.engine import Database
from bot.observability import get_logger
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions
from bot.slack.errors import ChannelNotFound, MessageNotFound, NotInChannel, SlackError

log = get_logger(__name__)

UNAVAILABLE_PAUSE = timedelta(minutes=10)
PER_TICK = 20
# Partnerships whose board channel the bot cannot post in, and until when the worker leaves them.
_PAUSED: weakref.WeakKeyDictionary[Database, dict[str, datetime]] = weakref.WeakKeyDictionary()

# One refresh per case at a time in this process, so the last edit shows the latest state.
_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def _lock(case_id: int) -> asyncio.Lock:
    per_loop = _LOCKS.setdefault(asyncio.get_running_loop(), {})
    return per_loop.setdefault(case_id, asyncio.Lock())


async def refresh_board_message(services: Services, case_id: int) -> None:
    """Post or edit one case's board message. Cheap when nothing it shows has changed."""
    async with _lock(case_id):
        async with services.db.session() as session:
            partnership_id = (
                await session.execute(select(Case.partnership_id).where(Case.id == case_id))
            ).scalar_one_or_none()
            if partnership_id is None:
                return
            snapshot = await load_snapshot(session, partnership_id, case_id=case_id)
            existing = (
                await session.execute(select(BoardMessage).where(BoardMessage.case_id == case_id))
            ).scalar_one_or_none()
        partnership = services.config.partnership(partnership_id)
        today = london_date(services.clock.now())
        summary = case_summary(snapshot, case_id, partnership, today, partnership_calendar(partnership))
        async with services.acting_for(partnership_id, force=True):  # the board is in its own workspace
            await _publish(services, partnership, summary, existing, today)


async def refresh_board_messages(services: Services, *, limit: int = PER_TICK) -> int:
    """Worker tick: post missing board messages and re-check each open case once a day.

    At most ``limit`` cases per tick, missing messages first: posts to one channel are paced at
    about one a second, so a first run over hundreds of cases is spread over several ticks.
    """
    refreshed = 0
    today = london_date(services.clock.now())
    paused = _PAUSED.setdefault(services.db, {})
    for partnership in services.config.partnerships:
        if refreshed >= limit or paused.get(partnership.id, services.clock.now()) > services.clock.now():
            continue
        async with services.db.session() as session:
            stale = list(
                (
                    await session.execute(
                        select(Case.id)
                        .outerjoin(BoardMessage, BoardMessage.case_id == Case.id)
                        .where(
                            Case.partnership_id == partnership.id,
                            or_(
                                BoardMessage.id.is_(None),
                                (BoardMessage.refreshed_on < today) & (Case.stage != Stage.CLOSED.value),
                            ),
                        )
                        .order_by(BoardMessage.id.is_not(None), Case.id)
                        .limit(limit - refreshed)
                    )
                ).scalars()
            )
            if not stale:
                continue
            snapshot = await load_snapshot(session, partnership.id)
            existing = {
                m.case_id: m
                for m in (
                    await session.execute(select(BoardMessage).where(BoardMessage.case_id.in_(stale)))
                ).scalars()
            }
        async with services.acting_for(partnership.id, force=True):  # its own workspace's token
            refreshed += await _refresh_many(services, partnership, snapshot, stale, existing, today)
    return refreshed


async def _refresh_many(
    services: Services,
    partnership: Partnership,
    snapshot: Snapshot,
    case_ids: list[int],
    existing: dict[int, BoardMessage],
    today: date,
) -> int:
    calendar = partnership_calendar(partnership)
    done = 0
    for case_id in case_ids:
        if case_id not in snapshot.cases:
            continue
        summary = case_summary(snapshot, case_id, partnership, today, calendar)
        try:
            async with _lock(case_id):
                await _publish(services, partnership, summary, existing.get(case_id), today)
            done += 1
        except (ChannelNotFound, NotInChannel) as exc:
            # Every other case would fail the same way: wait a while rather than fail every tick.
            log.warning("board.channel_unavailable", partnership_id=partnership.id, error=exc.code)
            _PAUSED.setdefault(services.db, {})[partnership.id] = services.clock.now() + UNAVAILABLE_PAUSE
            break
        except SlackError as exc:
            log.warning("board.refresh_failed", case_id=case_id, error=exc.code)
    return done


async def _publish(
    services: Services,
    partnership: Partnership,
    summary: CaseSummary,
    existing: BoardMessage | None,
    today: date,
) -> None:
    gateway = services.gateway
    now = services.clock.now()
    channel = partnership.channels.board
    fingerprint = summary.fingerprint()
    text, blocks = case_board_message(summary, now)
    if existing is not None and existing.channel_id == channel:
        if existing.content_hash != fingerprint:
            try:
                await gateway.update_message(channel, existing.ts, text, blocks)
            except MessageNotFound:  # someone deleted it: post it again
                existing.ts = (await gateway.post_message(channel, text, blocks)).ts
        await _save(services, existing.id, channel, existing.ts, fingerprint, today)
        return
    posted = await gateway.post_message(channel, text, blocks)
    if existing is not None:  # the partnership's board channel changed: the summary moves with it
        await _save(services, existing.id, posted.channel, posted.ts, fingerprint, today)
        return
    insert = services.db.insert
    async with services.db.session() as session:
        result = await session.execute(
            insert(BoardMessage)
            .values(
                partnership_id=partnership.id,
                case_id=summary.case_id,
                channel_id=posted.channel,
                ts=posted.ts,
                content_hash=fingerprint,
                refreshed_on=today,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing()
        )
        won = bool(result.rowcount)  # type: ignore[attr-defined]
        winner = (
            None
            if won
            else (
                await session.execute(select(BoardMessage).where(BoardMessage.case_id == summary.case_id))
            ).scalar_one()
        )
    if winner is not None:
        # Another worker posted first: keep one message per case, showing the latest state.
        await gateway.delete_message(posted.channel, posted.ts)
        await gateway.update_message(winner.channel_id, winner.ts, text, blocks)
    log.info("board.message_posted", case_id=summary.case_id)


async def _save(
    services: Services, row_id: int, channel: str, ts: str, fingerprint: str, today: date
) -> None:
    async with services.db.session() as session:
        row = await session.get(BoardMessage, row_id)
        if row is None:
            return
        row.channel_id, row.ts, row.content_hash, row.refreshed_on = channel, ts, fingerprint, today
        row.updated_at = services.clock.now()


async def partnership_board_summary(services: Services, partnership: Partnership) -> PartnershipSummary:
    """The partnership summary in three queries, whatever the number of cases."""
    async with services.db.session() as session:
        snapshot = await load_snapshot(session, partnership.id)
    today = london_date(services.clock.now())
    return partnership_summary(snapshot, partnership, today, partnership_calendar(partnership))


async def post_partnership_summary(services: Services, partnership: Partnership) -> None:
    summary = await partnership_board_summary(services, partnership)
    text, blocks = partnership_board_message(summary, services.clock.now())
    await services.gateway.post_message(partnership.channels.board, text, blocks)


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.tick(refresh_board_messages, order=60)
