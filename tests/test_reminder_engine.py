"""The reminder engine: exactly once, at the right local time, across weekends, bank holidays,
clock changes, outages, rate limits and failures."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.calendar.working_days import WorkingCalendar
from bot.clock import LONDON, FakeClock, london_datetime
from bot.reminders.dispatch import MAX_ATTEMPTS, dispatch_due
from bot.reminders.ladders import LadderSpec, plan_ladder
from bot.reminders.models import ReminderStatus
from bot.sandbox.harness import Harness
from tests.intake_helpers import BM, CHAIR, LA_LEAD, all_cases, notify
from tests.reminder_helpers import engine_alone, notice, rows, seed, walk

ENGLAND = WorkingCalendar("england")
PROBE = "C0BU00001"  # the business unit channel: the bot is a member


@pytest.fixture(autouse=True)
def _engine_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    engine_alone(monkeypatch)  # these tests count every row and post the engine makes


async def test_christmas_walk_england_every_reminder_once_at_nine_with_outage(
    harness: Harness, clock: FakeClock
) -> None:
    await notify(harness)  # Friday 18 December 2026, aware that day, notification not yet sent
    [case] = await all_cases(harness)
    # A 3-hour outage over the 09:00 delivery on Wednesday 23 December.
    down = (datetime(2026, 12, 23, 8, 0, tzinfo=UTC), datetime(2026, 12, 23, 11, 0, tzinfo=UTC))
    await walk(harness, clock, datetime(2027, 1, 5, 10, 0, tzinfo=UTC), down=down)
    sent = [r for r in await rows(harness) if r.status == ReminderStatus.SENT.value]
    assert all(
        r.status in (ReminderStatus.SENT.value, ReminderStatus.PENDING.value) for r in await rows(harness)
    )
    # exactly once: every row in one Slack message, no row twice, and one message per place per
    # delivery (what is due together to one person or one case thread is listed in one message)
    posts = [c for c in harness.fake.calls("chat.postMessage") if c.ok]
    reminder_posts = [
        c for c in posts if c.params.get("channel") != case.channel_id or c.params.get("thread_ts")
    ]
    messages = {(r.sent_channel, r.sent_ts) for r in sent}
    assert len(reminder_posts) == len(messages) < len(sent)
    assert len({r.delivery_key for r in sent}) == len(sent)
    per_delivery = Counter((r.sent_channel, r.due_at) for r in sent)
    assert all(len({r.sent_ts for r in sent if (r.sent_channel, r.due_at) == k}) == 1 for k in per_delivery)
    local_days = Counter()
    for r in sent:
        local = r.due_at.astimezone(LONDON)
        assert local.time() == time(9, 0), r.delivery_key
        assert ENGLAND.is_working_day(local.date()), (
            r.delivery_key
        )  # never on 25, 26, 28 Dec, 1 Jan, weekends
        local_days[local.date()] += 1
        if down[0] <= r.due_at < down[1]:
            assert r.late and r.sent_at == down[1] + timedelta(hours=0), r.delivery_key
        else:
            assert not r.late and r.sent_at == r.due_at, r.delivery_key
    assert set(local_days) == {
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 4),
        date(2027, 1, 5),
    }
    escalations = [r for r in sent if r.kind == "escalation"]
    assert {(r.recipient, r.due_at.astimezone(LONDON).date()) for r in escalations} == {
        (BM, date(2026, 12, 30)),
        (CHAIR, date(2027, 1, 4)),
    }
    dms = {r.recipient for r in sent if r.recipient != "case_channel"}
    assert LA_LEAD in dms
    # the late ones say so
    late_post = next(c for c in posts if "Sent late" in str(c.params.get("blocks")))
    assert late_post is not None


async def test_scotland_ladder_skips_st_andrews_day(harness: Harness, clock: FakeClock) -> None:
    scotland = WorkingCalendar("scotland")
    clock.set(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    planned = plan_ladder(
        date(2026, 12, 2), scotland, spec=LadderSpec(), delivery=time(9, 0), now=clock.now()
    )
    days = [p.local_day for p in planned]
    # 5, 2 and 1 working days before Wednesday 2 December: Monday 30 November (St Andrew's Day) is skipped.
    assert days == [date(2026, 11, 24), date(2026, 11, 27), date(2026, 12, 1), date(2026, 12, 2)]
    assert plan_ladder(date(2026, 12, 2), ENGLAND, spec=LadderSpec(), delivery=time(9, 0), now=clock.now())[
        1
    ].local_day == date(2026, 11, 30)
    await seed(harness, [notice(f"scot:{p.rung}", p.due_at, PROBE, now=clock.now()) for p in planned])
    await walk(harness, clock, datetime(2026, 12, 3, 0, 0, tzinfo=UTC))
    sent = await rows(harness)
    assert [r.status for r in sent] == ["sent"] * 4
    assert all(r.sent_at == r.due_at and not r.late for r in sent)
    assert len(harness.fake.messages(PROBE)) == 4


async def test_half_past_one_fires_exactly_once_on_both_2026_clock_changes(
    harness: Harness, clock: FakeClock
) -> None:
    days = [
        date(2026, 3, 28),
        date(2026, 3, 29),
        date(2026, 3, 30),
        date(2026, 10, 24),
        date(2026, 10, 25),
        date(2026, 10, 26),
    ]
    schedule = [
        notice(f"0130:{d}", london_datetime(d, 1, 30), PROBE, now=datetime(2026, 3, 1, tzinfo=UTC))
        for d in days
    ]
    await seed(harness, schedule)
    # 29 March: 01:30 does not exist in London (clocks jump 01:00 -> 02:00); it resolves to 02:30 BST.
    assert london_datetime(date(2026, 3, 29), 1, 30) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # 25 October: 01:30 happens twice; only the first (BST) one is used.
    assert london_datetime(date(2026, 10, 25), 1, 30) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    for day in days:  # walk each night in 10-minute ticks, 22:00 to 04:00 UTC
        start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=2)
        clock.set(start)
        await walk(harness, clock, start + timedelta(hours=6), step=timedelta(minutes=10))
    sent = await rows(harness)
    assert all(r.status == "sent" and r.sent_at == r.due_at for r in sent)
    assert Counter(m.text for m in harness.fake.messages(PROBE)) == Counter(f"0130:{d}" for d in days)


async def test_429_with_retry_after_is_delivered_once_after_the_wait(
    harness: Harness, clock: FakeClock
) -> None:
    await seed(harness, [notice("rl", clock.now() - timedelta(minutes=1), PROBE)])
    harness.fake.fail_next("chat.postMessage", status=429, retry_after=1)
    report = await dispatch_due(harness.services, worker="w1")
    assert report.sent == 1
    calls = harness.fake.calls("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert len(harness.fake.messages(PROBE)) == 1


async def test_repeated_500s_are_dead_lettered_and_the_business_unit_told(
    harness: Harness, clock: FakeClock
) -> None:
    harness.services.gateway.max_attempts = 1  # one HTTP try per engine attempt keeps the test quick
    await seed(harness, [notice("doomed", clock.now() - timedelta(minutes=1), "C0BOARD001")])
    harness.fake.fail_next("chat.postMessage", status=500, times=MAX_ATTEMPTS)
    for _ in range(MAX_ATTEMPTS):
        await dispatch_due(harness.services, worker="w1")
        clock.advance(minutes=31)
    [row] = await rows(harness)
    assert row.status == ReminderStatus.DEAD.value and row.last_error == "http_500"
    alert = harness.fake.messages("C0BU00001")
    assert len(alert) == 1 and "could not be delivered" in alert[0].text
    assert harness.fake.messages("C0BOARD001") == []
    metrics = (await harness.http.get("/metrics")).text
    assert "reviewbot_reminders_dead_lettered_total 1.0" in metrics


async def test_slack_down_for_ten_minutes_then_everything_is_delivered(
    harness: Harness, clock: FakeClock
) -> None:
    due = clock.now() + timedelta(minutes=1)
    await seed(harness, [notice(f"outage:{i}", due, PROBE) for i in range(20)])
    await harness.fake.go_down()
    await walk(harness, clock, clock.now() + timedelta(minutes=10), step=timedelta(minutes=1))
    assert all(r.status == "pending" for r in await rows(harness))  # nothing dead-lettered, nothing lost
    await harness.fake.come_back()
    await walk(harness, clock, clock.now() + timedelta(minutes=2), step=timedelta(minutes=1))
    assert [r.status for r in await rows(harness)] == ["sent"] * 20
    assert sorted(m.text for m in harness.fake.messages(PROBE)) == sorted(f"outage:{i}" for i in range(20))


async def test_a_crashed_sender_is_reclaimed_after_the_lease(harness: Harness, clock: FakeClock) -> None:
    from bot.reminders.dispatch import LEASE, claim

    await seed(harness, [notice("crash", clock.now() - timedelta(minutes=1), PROBE)])
    assert len(await claim(harness.services, clock.now(), "dead-worker", 10)) == 1  # then the worker dies
    assert (await dispatch_due(harness.services, worker="w2")).sent == 0  # still leased
    clock.advance(LEASE + timedelta(seconds=1))
    report = await dispatch_due(harness.services, worker="w2")
    assert (report.reclaimed, report.sent) == (1, 1)
    assert len(harness.fake.messages(PROBE)) == 1


async def test_two_dispatchers_at_once_send_each_row_once(harness: Harness, clock: FakeClock) -> None:
    import asyncio

    from bot.db.engine import Database
    from bot.runtime.services import Services

    now = clock.now()
    await seed(harness, [notice(f"race:{i}", now - timedelta(seconds=i), PROBE) for i in range(300)])
    other = Services(
        settings=harness.services.settings,
        config=harness.services.config,
        clock=clock,
        db=Database(harness.services.settings.database_url),
        gateway=harness.services.gateway,
    )
    try:
        a, b = await asyncio.gather(
            dispatch_due(harness.services, worker="a", batch=25), dispatch_due(other, worker="b", batch=25)
        )
    finally:
        await other.db.dispose()
    assert a.sent + b.sent == 300
    texts = [m.text for m in harness.fake.messages(PROBE)]
    assert len(texts) == 300 == len(set(texts))
