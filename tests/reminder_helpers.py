"""Helpers for reminder engine tests: walking the business clock and seeding reminder rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import FakeClock
from bot.reminders.models import Reminder, ReminderStatus
from bot.reminders.scheduler import tick
from bot.sandbox.harness import Harness


async def walk(
    h: Harness,
    clock: FakeClock,
    until: datetime,
    *,
    step: timedelta = timedelta(hours=1),
    down: tuple[datetime, datetime] | None = None,
) -> int:
    """Move the clock to ``until`` one step at a time, ticking like the worker (not while 'down')."""
    ticks = 0
    while clock.now() < until:
        clock.advance(step)
        if down and down[0] <= clock.now() < down[1]:
            continue
        await tick(h.services)
        await h.services.tasks.drain()
        ticks += 1
    return ticks


def notice(
    key: str, due_at: datetime, channel: str, text: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    return {
        "delivery_key": key,
        "partnership_id": "northshire",
        "case_id": None,
        "deadline_id": None,
        "kind": "notice",
        "rung": "test",
        "recipient": channel,
        "due_at": due_at,
        "status": ReminderStatus.PENDING.value,
        "attempts": 0,
        "late": False,
        "created_at": now or due_at - timedelta(days=30),
        "payload": {"text": text or key, "channel": channel},
    }


async def seed(h: Harness, rows: list[dict[str, Any]]) -> None:
    async with h.services.db.session() as session:
        await session.execute(Reminder.__table__.insert(), rows)


async def rows(h: Harness) -> list[Reminder]:
    async with h.services.db.session() as session:
        return list((await session.execute(select(Reminder).order_by(Reminder.id))).scalars())


# Tick handlers that plan feature rows (action reminders, chair digests) or post board summaries.
FEATURE_TICKS = {"sweep_action_reminders", "ensure_weekly_digests", "refresh_board_messages"}


def engine_alone(monkeypatch: Any) -> None:
    """Tick with the delivery engine and deadline sweeps only, for tests that count every row and post."""
    from bot.runtime.wiring import Wiring

    every = Wiring.ticks
    monkeypatch.setattr(
        Wiring, "ticks", property(lambda self: [t for t in every.fget(self) if t.name not in FEATURE_TICKS])
    )
