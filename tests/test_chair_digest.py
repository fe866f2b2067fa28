"""The weekly chair digest: on the configured day, moved off bank holidays, exactly once per chair
per week across restarts and workers, composed when sent, and previewable."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from bot.clock import FakeClock, london_datetime
from bot.config.schedules import DigestSchedule
from bot.digest.gather import gather_digest
from bot.digest.schedule import digest_due_at, ensure_weekly_digests
from bot.reminders.models import Reminder
from bot.reminders.scheduler import tick
from bot.sandbox.harness import Harness
from bot.slack.blockkit import validate_message
from tests.board_helpers import seed_cases
from tests.intake_helpers import BM, CHAIR, POLICE_LEAD, notify

CHAIR_DIGEST = "chair_digest"


async def _digests(h: Harness) -> list[Reminder]:
    async with h.services.db.session() as session:
        return list(
            (
                await session.execute(
                    select(Reminder).where(Reminder.kind == CHAIR_DIGEST).order_by(Reminder.due_at)
                )
            ).scalars()
        )


def _digest_dms(h: Harness) -> list[str]:
    return [m.rendered() for m in h.fake.messages(CHAIR) if "Weekly digest" in m.text]


def test_the_digest_moves_off_bank_holiday_mondays() -> None:
    from bot.config.loading import load_config
    from bot.settings import BUNDLED_EXAMPLE_CONFIG

    partnership = load_config(BUNDLED_EXAMPLE_CONFIG).partnerships[0]
    # Easter Monday 29 March 2027 and the spring bank holiday 31 May 2027 (England): Tuesday instead.
    # (Easter Sunday 2027 is 28 March, so Monday 5 April 2027 is an ordinary working day.)
    assert digest_due_at(partnership, date(2027, 3, 29)) == london_datetime(date(2027, 3, 30), 8, 30)
    assert digest_due_at(partnership, date(2027, 4, 5)) == london_datetime(date(2027, 4, 5), 8, 30)
    assert digest_due_at(partnership, date(2027, 5, 31)) == london_datetime(date(2027, 6, 1), 8, 30)
    assert digest_due_at(partnership, date(2027, 4, 12)) == datetime(2027, 4, 12, 7, 30, tzinfo=UTC)  # BST
    assert digest_due_at(partnership, date(2027, 1, 11)) == datetime(2027, 1, 11, 8, 30, tzinfo=UTC)  # GMT
    # Christmas week 2026: Monday 28 December is the Boxing Day substitute, so Tuesday 29th
    assert digest_due_at(partnership, date(2026, 12, 28)) == datetime(2026, 12, 29, 8, 30, tzinfo=UTC)
    friday = partnership.model_copy(update={"digest": DigestSchedule(weekday="friday", time=time(16, 0))})
    # Good Friday 26 March 2027 -> the next working day is Tuesday 30 March (Easter Monday is a holiday too)
    assert digest_due_at(friday, date(2027, 3, 22)) == london_datetime(date(2027, 3, 30), 16, 0)


async def test_easter_monday_digest_goes_out_on_tuesday_at_half_past_eight_summer_time(
    harness: Harness, clock: FakeClock
) -> None:
    h = harness
    clock.set(datetime(2027, 3, 25, 9, 0, tzinfo=UTC))  # Thursday before Easter
    await tick(h.services)
    [row] = await _digests(h)
    assert row.delivery_key == f"digest:northshire:{CHAIR}:2027-W13" and row.recipient == CHAIR
    assert row.due_at == datetime(2027, 3, 30, 7, 30, tzinfo=UTC)  # 08:30 British Summer Time
    clock.set(datetime(2027, 3, 29, 12, 0, tzinfo=UTC))  # Easter Monday: nothing yet
    await tick(h.services)
    assert _digest_dms(h) == []
    clock.set(datetime(2027, 3, 30, 7, 31, tzinfo=UTC))
    await tick(h.services)
    await h.services.tasks.drain()
    [dm] = _digest_dms(h)
    assert "Nothing outstanding" in dm
    sent = [r for r in await _digests(h) if r.status == "sent"]
    assert [(r.rung, r.sent_at) for r in sent] == [("2027-W13", datetime(2027, 3, 30, 7, 31, tzinfo=UTC))]


async def test_exactly_one_digest_per_chair_per_week_across_a_restart_and_two_workers(
    harness: Harness,
    clock: FakeClock,
    database_url: str,
) -> None:
    h = harness
    await notify(h, sent="2026-12-18")
    clock.set(datetime(2027, 1, 6, 12, 0, tzinfo=UTC))  # a Wednesday: this week's digest has gone by
    # two processes on the same database, ticking together, then one "restarts" (a fresh Services)
    second = await Harness.start(database_url=database_url, clock=clock, run_migrations=False, fake=h.fake)
    try:
        for _ in range(2):
            await asyncio.gather(ensure_weekly_digests(h.services), ensure_weekly_digests(second.services))
        for day in range(7, 28):  # every day at 08:31, just after the digest falls due on Mondays
            clock.set(datetime(2027, 1, day, 8, 31, tzinfo=UTC))
            await asyncio.gather(tick(h.services), tick(second.services))
            await h.services.tasks.drain()
            await second.services.tasks.drain()
        restarted = await Harness.start(
            database_url=database_url, clock=clock, run_migrations=False, fake=h.fake
        )
        try:
            await tick(restarted.services)
            await tick(restarted.services)
        finally:
            await restarted.services.tasks.drain()
            await restarted.http.aclose()
            await restarted.services.db.dispose()
    finally:
        await second.services.tasks.drain()
        await second.http.aclose()
        await second.services.db.dispose()
    sent = [r for r in await _digests(h) if r.status == "sent"]
    assert [r.rung for r in sent] == ["2027-W02", "2027-W03", "2027-W04"]
    assert [r.sent_at.date() for r in sent if r.sent_at] == [
        date(2027, 1, 11),
        date(2027, 1, 18),
        date(2027, 1, 25),
    ]
    assert len(_digest_dms(h)) == 3 and not any(r.late for r in sent)
    assert [r.rung for r in await _digests(h) if r.status == "pending"] == ["2027-W05"]


async def test_the_digest_says_what_changed_what_is_due_overdue_and_idle(
    harness: Harness, clock: FakeClock
) -> None:
    h = harness
    await seed_cases(h, 2)
    clock.set(datetime(2026, 12, 7, 7, 0, tzinfo=UTC))  # Monday 7 December, before 08:30
    await tick(h.services)
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    await tick(h.services)
    await h.services.tasks.drain()
    [first] = _digest_dms(h)
    assert "RR-2025-001" in first and "Rapid review · Mon 14 Dec 2026" in first
    assert "Idle for more than 10 working days" in first and "RR-2025-002" in first
    assert "Northshire Constabulary: 2 outstanding, 2 overdue, 0 completed" in first
    # a week later: a new case was opened since the last digest, and rapid reviews are now overdue
    clock.set(datetime(2026, 12, 9, 10, 0, tzinfo=UTC))
    await notify(h, aware="2026-12-09")
    clock.set(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    await tick(h.services)
    await h.services.tasks.drain()
    second = _digest_dms(h)[1]
    assert "RR-2026-001*: opened" in second
    assert "Changes since Mon 7 Dec 2026" in second
    assert "Rapid review · Mon 14 Dec 2026 · due today" in second
    for message in h.fake.messages(CHAIR):
        assert validate_message(message.blocks, message.text) == []
        assert "Child A" not in message.rendered()


async def test_preview_is_private_and_for_the_business_unit_and_chair(harness: Harness) -> None:
    h = harness
    await notify(h, sent="2026-12-18", children=[("Child Q", "5_9", "child_in_need")])
    reply = (await h.command("digest preview", user=CHAIR)).json()
    assert reply["response_type"] == "ephemeral" and "Weekly digest" in reply["text"]
    assert validate_message(reply["blocks"], reply["text"]) == []
    assert "RR-2026-001" in str(reply["blocks"]) and "Child Q" not in str(reply["blocks"])
    assert "opened" in str(reply["blocks"])
    assert "Weekly digest" in (await h.command("digest preview", user=BM)).json()["text"]
    refused = (await h.command("digest preview", user=POLICE_LEAD)).json()["text"]
    assert refused.startswith("Only")
    assert _digest_dms(h) == []


async def test_a_changed_schedule_moves_the_pending_digest(harness: Harness, clock: FakeClock) -> None:
    h = harness
    await ensure_weekly_digests(h.services)
    [row] = await _digests(h)
    assert row.due_at == datetime(2026, 12, 21, 8, 30, tzinfo=UTC)
    partnership = h.services.config.partnerships[0]
    moved = partnership.model_copy(update={"digest": DigestSchedule(weekday="wednesday", time=time(9, 15))})
    h.services.config = h.services.config.model_copy(update={"partnerships": [moved]})
    await ensure_weekly_digests(h.services)
    [row] = await _digests(h)
    assert row.due_at == datetime(2026, 12, 23, 9, 15, tzinfo=UTC)


async def test_digest_queries_do_not_grow_with_the_number_of_cases(harness: Harness) -> None:
    h = harness
    partnership = h.services.config.partnerships[0]
    now = h.services.clock.now()

    async def statements() -> int:
        before = h.services.db.statement_count
        async with h.services.db.session() as session:
            digest = await gather_digest(session, partnership, since=now - timedelta(days=7), now=now)
        assert digest.due_soon or digest.overdue
        return h.services.db.statement_count - before

    await seed_cases(h, 10)
    ten = await statements()
    await seed_cases(h, 190, first=11)
    assert await statements() == ten
