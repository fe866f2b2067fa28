"""Closing a case stops its reminders: nobody is nagged about a case that is over."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.audit import AuditEvent
from bot.clock import FakeClock
from bot.reminders.models import Reminder
from bot.reminders.scheduler import tick
from bot.sandbox.harness import Harness
from tests.intake_helpers import BM, all_cases, notify


async def _case_rows(h: Harness, case_id: int) -> list[Reminder]:
    async with h.services.db.read() as session:
        return list((await session.execute(select(Reminder).where(Reminder.case_id == case_id))).scalars())


async def test_closing_a_case_cancels_its_pending_reminders_and_says_so(
    harness: Harness, clock: FakeClock
) -> None:
    h = harness
    await notify(h)
    [case] = await all_cases(h)
    pending = [r for r in await _case_rows(h, case.id) if r.status == "pending"]
    assert pending, "an open case has reminders waiting"

    reply = await h.command("stage closed", user=BM, channel=str(case.channel_id))
    said = reply.json()["text"]
    assert "moved to Closed" in said and f"{len(pending)} pending reminder(s) were cancelled" in said

    rows = await _case_rows(h, case.id)
    assert {r.status for r in rows} == {"cancelled"}
    assert {r.last_error for r in rows if r.id in {p.id for p in pending}} == {"case_closed"}
    async with h.services.db.read() as session:
        audit = (
            (
                await session.execute(
                    select(AuditEvent).where(AuditEvent.action == "reminders.cancelled_on_closure")
                )
            )
            .scalars()
            .all()
        )
    assert [a.after for a in audit] == [{"cancelled": len(pending)}]

    # A month of the worker's mornings: no reminder about the closed case is made or sent.
    start = clock.now()
    for day in range(1, 31):
        clock.set(start + timedelta(days=day))
        await tick(h.services)
        await h.services.tasks.drain()
    assert {r.status for r in await _case_rows(h, case.id)} == {"cancelled"}
