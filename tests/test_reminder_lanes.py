"""Delivery at Slack's pace: one worker per destination, batched bookkeeping, paced bursts."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.reminders.dispatch import claim, dispatch_due
from bot.reminders.models import ReminderStatus
from bot.sandbox.harness import Harness
from bot.slack.gateway import SlackGateway
from tests.reminder_helpers import engine_alone, notice, rows, seed

CHANNELS = ["C0BU00001", "C0BOARD01"]  # the example partnership's business unit and board channels


@pytest.fixture(autouse=True)
def _engine_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    engine_alone(monkeypatch)


async def test_a_destination_being_sent_by_one_worker_is_left_to_it(
    harness: Harness, clock: FakeClock
) -> None:
    due = clock.now() - timedelta(minutes=1)
    await seed(
        harness,
        [notice(f"bu:{i}", due, CHANNELS[0]) for i in range(3)]
        + [notice(f"board:{i}", due, CHANNELS[1]) for i in range(3)],
    )
    first = await claim(harness.services, clock.now(), "worker-a", 1)  # a holds the business unit channel
    taken_by_b = await claim(harness.services, clock.now(), "worker-b", 100)
    by_id = {r.id: r for r in await rows(harness)}
    assert [by_id[i].recipient for i in first] == [CHANNELS[0]]
    assert {by_id[i].recipient for i in taken_by_b} == {CHANNELS[1]}
    more_for_a = await claim(harness.services, clock.now(), "worker-a", 100)  # its own lane: fine
    assert {by_id[i].recipient for i in more_for_a} == {CHANNELS[0]} and len(more_for_a) == 2


async def test_a_lapsed_claim_does_not_hold_its_destination(harness: Harness, clock: FakeClock) -> None:
    from bot.reminders.dispatch import LEASE

    due = clock.now() - timedelta(minutes=1)
    await seed(harness, [notice(f"bu:{i}", due, CHANNELS[0]) for i in range(2)])
    assert len(await claim(harness.services, clock.now(), "dead-worker", 1)) == 1
    clock.advance(LEASE + timedelta(seconds=1))
    assert len(await claim(harness.services, clock.now(), "worker-b", 100)) == 1


async def test_marks_and_fences_are_written_in_batches(harness: Harness, clock: FakeClock) -> None:
    due = clock.now() - timedelta(minutes=1)
    channels = [f"C0LANE{i:04d}" for i in range(60)]
    for channel in channels:
        harness.fake.add_channel(channel, channel.lower())
    await seed(harness, [notice(f"lane:{i}", due, channels[i % 60]) for i in range(120)])
    harness.services.db.statement_count = 0
    report = await dispatch_due(harness.services, worker="w")
    assert report.sent == 120
    # One transaction per fence and per mark would be 120 x 2 x 3 statements; batched, the
    # senders of all sixty channels share a handful of transactions.
    assert harness.services.db.statement_count < 120
    assert Counter(r.status for r in await rows(harness)) == {ReminderStatus.SENT.value: 120}
    sent = [m.text for c in channels for m in harness.fake.messages(c)]
    assert len(sent) == 120 == len(set(sent))


async def test_the_pace_allows_a_short_burst_then_one_a_second() -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    gateway = SlackGateway(_AcceptingClient(), pace_seconds=1.0, pace_burst=2, sleep=record)  # type: ignore[arg-type]
    for i in range(5):
        await gateway.post_message("C0PACE001", f"post {i}")
    assert len(waits) == 3 and all(0.9 < w <= 1.0 for w in waits)  # the 3rd, 4th and 5th posts wait


class _AcceptingClient:
    """Just enough of AsyncWebClient for the pacing test: every post is accepted."""

    timeout = 10
    session = None

    async def chat_postMessage(self, **params: object) -> object:
        response = type("Response", (), {})()
        response.data = {"ok": True, "channel": params["channel"], "ts": "1.000001"}
        return response


async def test_a_claim_takes_at_most_its_batch(harness: Harness, clock: FakeClock) -> None:
    # PostgreSQL once ran the LIMIT ... SKIP LOCKED subquery more than once and claimed 58 for 10.
    due = clock.now() - timedelta(minutes=1)
    await seed(harness, [notice(f"many:{i}", due, f"C0MANY{i % 400:04d}") for i in range(2000)])
    assert len(await claim(harness.services, clock.now(), "worker-a", 10)) == 10
    assert len(await claim(harness.services, clock.now(), "worker-b", 10)) == 10


async def test_the_heartbeat_renews_only_rows_still_with_a_sender(harness: Harness, clock: FakeClock) -> None:
    from bot.reminders.ledger import Ledger

    due = clock.now() - timedelta(minutes=1)
    await seed(harness, [notice("held", due, CHANNELS[0]), notice("failed", due, CHANNELS[1])])
    ids = await claim(harness.services, clock.now(), "w", 10)
    claimed_at = clock.now()
    ledger = Ledger(harness.services, "w")
    ledger.hold(ids[0])  # the other row's sender failed: it must come back after the lease
    clock.advance(timedelta(minutes=1))
    ledger._renew = True
    ledger._wake()
    await ledger.close()
    by_id = {r.id: r for r in await rows(harness)}
    assert by_id[ids[0]].claimed_at == clock.now()
    assert by_id[ids[1]].claimed_at == claimed_at


async def test_a_failed_ledger_write_is_tried_again(
    harness: Harness, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.reminders import ledger as ledger_module
    from bot.reminders.ledger import Ledger, Mark

    monkeypatch.setattr(ledger_module, "RETRY_PAUSE", 0.0)
    await seed(harness, [notice("once", clock.now() - timedelta(minutes=1), CHANNELS[0])])
    [rid] = await claim(harness.services, clock.now(), "w", 10)
    ledger = Ledger(harness.services, "w")
    real, calls = ledger._write, 0

    async def flaky(*args: object) -> tuple[set[int], set[int]]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("the database went away for a moment")
        return await real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger, "_write", flaky)
    assert await ledger.sent(Mark(rid, CHANNELS[0], "1.000001", False))
    await ledger.close()
    assert calls == 2
    [row] = await rows(harness)
    assert row.status == ReminderStatus.SENT.value and row.sent_ts == "1.000001"
