"""kill -9 of a worker in the middle of a delivery batch, then a restart: nothing is lost, and the only
duplicates are the sends that were in flight at the kill.

The stand-in holds every chat.postMessage for 0.3 s, so a batch is always mid-way: some rows sent
and marked, one post in flight per channel, the rest claimed and waiting. The worker process is
killed with SIGKILL. Its claims stay 'sending' until the lease expires; the lease runs on the
business clock, so the test moves ``claimed_at`` back past it in the database (which is what the
passing of five minutes would do) and starts a fresh worker, which reclaims and sends the rest.

The documented limit (bot/reminders/dispatch.py): a post Slack accepted just before the crash, whose
row was not yet marked sent, is sent again after the lease. So duplicates <= posts in flight at the
kill, at most one per row. Runs on SQLite and, with REVIEWBOT_TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from bot.clock import SystemClock
from bot.reminders.dispatch import LEASE
from bot.reminders.models import Reminder, ReminderStatus
from bot.sandbox.harness import BOT_TOKEN, SIGNING_SECRET, Harness
from tests.reminder_helpers import notice, rows, seed

SCRIPT = Path(__file__).parent / "scripts" / "dispatch_worker.py"
CHANNELS = [f"C0KILL{i:04d}" for i in range(3)]
ROWS = 24
HOLD = 0.3  # seconds the stand-in holds each post


def _worker_env(h: Harness) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": h.services.settings.database_url,
        "SLACK_API_URL": h.fake.api_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_PACE_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(Path(__file__).parent.parent),
    }


async def _start_worker(h: Harness, name: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(SCRIPT),
        name,
        env=_worker_env(h),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _wait_until(condition: Callable[[], bool], limit: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def test_kill_9_mid_batch_then_restart_loses_nothing(harness: Harness) -> None:
    for channel in CHANNELS:
        harness.fake.add_channel(channel, channel.lower())
    now = SystemClock().now()  # the worker processes use the real clock
    keys = [f"kill:{i}" for i in range(ROWS)]
    await seed(
        harness,
        [notice(key, now - timedelta(minutes=1), CHANNELS[i % 3], now=now) for i, key in enumerate(keys)],
    )
    harness.fake.slow_next("chat.postMessage", HOLD, times=10_000)

    victim = await _start_worker(harness, "victim")
    posts = lambda: harness.fake.calls("chat.postMessage")  # noqa: E731
    try:
        # Mid-batch: several posts answered (and marked sent), and more on their way.
        await _wait_until(lambda: sum(c.done for c in posts()) >= 6, 30, "six answered posts")
        await _wait_until(lambda: any(not c.done for c in posts()), 5, "a post in flight")
    finally:
        if victim.returncode is None:
            victim.send_signal(signal.SIGKILL)
        await victim.wait()
    assert victim.returncode == -signal.SIGKILL

    # What the dead worker left: rows it marked sent, and rows still claimed ('sending').
    at_kill = {r.delivery_key: r.status for r in await rows(harness)}
    arrived_at_kill = Counter(str(c.params.get("text")) for c in posts())
    left_sending = {k for k, s in at_kill.items() if s == ReminderStatus.SENDING.value}
    in_flight = {k for k in left_sending if arrived_at_kill[k]}  # Slack has the post, the row is unmarked
    assert 0 < len(in_flight) <= len(CHANNELS), (in_flight, at_kill)  # one post at a time per channel
    assert left_sending - in_flight, "the kill was not mid-batch: every claimed row already had a post"
    # The stand-in finishes the posts it was holding, as Slack would after the client vanished.
    await _wait_until(lambda: all(c.done for c in posts()), 10, "the held posts to be answered")

    # Five minutes pass (the lease is on the business clock): move the claims back instead of waiting.
    async with harness.services.db.session() as session:
        await session.execute(
            update(Reminder)
            .where(Reminder.status == ReminderStatus.SENDING.value)
            .values(claimed_at=now - LEASE - timedelta(minutes=1))
        )
    restarted = await _start_worker(harness, "restarted")
    _out, err = await asyncio.wait_for(restarted.communicate(), timeout=60)
    assert restarted.returncode == 0, err.decode()[-2000:]

    final = await rows(harness)
    assert [r.status for r in final] == [ReminderStatus.SENT.value] * ROWS, "a reminder was lost"
    accepted = Counter(str(c.params.get("text")) for c in posts() if c.ok)
    assert set(accepted) == set(keys), "a reminder never reached Slack"
    duplicated = {k for k, n in accepted.items() if n > 1}
    assert duplicated <= in_flight, (
        f"duplicates beyond the sends in flight at the kill: {duplicated - in_flight}"
    )
    assert all(n <= 2 for n in accepted.values())
    assert {r.claimed_by for r in final if r.delivery_key in left_sending} == {"restarted"}
