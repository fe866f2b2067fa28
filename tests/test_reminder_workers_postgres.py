"""Two worker processes on one PostgreSQL database: 2,000 due reminders, each sent exactly once."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.sandbox.harness import BOT_TOKEN, SIGNING_SECRET, Harness
from tests.reminder_helpers import notice, rows, seed

pytestmark = pytest.mark.postgres
SCRIPT = Path(__file__).parent / "scripts" / "dispatch_worker.py"
# Many channels, few rows each, small claims: a worker leaves alone the channels the other is sending
# to, so the two must share the channels between them for both to work.
CHANNELS = [f"C0LOAD{i:04d}" for i in range(400)]


@pytest.mark.skipif(
    not os.environ.get("REVIEWBOT_TEST_DATABASE_URL"),
    reason="needs PostgreSQL: .ci/run sets REVIEWBOT_TEST_DATABASE_URL and runs this",
)
async def test_two_worker_processes_send_2000_reminders_exactly_once(harness: Harness) -> None:
    for channel in CHANNELS:
        harness.fake.add_channel(channel, channel.lower())
    now = SystemClock().now()  # the worker processes use the real clock
    await seed(
        harness,
        [
            notice(f"load:{i}", now - timedelta(minutes=5), CHANNELS[i % len(CHANNELS)], now=now)
            for i in range(2000)
        ],
    )
    env = {
        **os.environ,
        "DATABASE_URL": harness.services.settings.database_url,
        "SLACK_API_URL": harness.fake.api_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_PACE_SECONDS": "0",
        "PYTHONPATH": str(Path(__file__).parent.parent),
    }
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(SCRIPT),
            name,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for name in ("worker-a", "worker-b")
    ]
    for proc in procs:  # both connected, then both go at once
        assert proc.stdout is not None
        assert (await asyncio.wait_for(proc.stdout.readline(), timeout=60)).strip() == b"ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        await proc.stdin.drain()
    outputs = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in procs)), timeout=180)
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()[-2000:]
    posted = Counter(c.params.get("text") for c in harness.fake.calls("chat.postMessage") if c.ok)
    assert len(posted) == 2000 and set(posted.values()) == {1}, "a reminder was lost or sent twice"
    stored = await rows(harness)
    assert all(r.status == "sent" for r in stored)
    by_worker = Counter(r.claimed_by for r in stored)
    assert set(by_worker) == {"worker-a", "worker-b"}, by_worker  # both really worked the queue


PEOPLE = [f"U0PERS{i:04d}" for i in range(100)]


async def _run_workers(harness: Harness, names: tuple[str, ...]) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": harness.services.settings.database_url,
        "SLACK_API_URL": harness.fake.api_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_PACE_SECONDS": "0",
        "PYTHONPATH": str(Path(__file__).parent.parent),
    }
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(SCRIPT),
            name,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for name in names
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert (await asyncio.wait_for(proc.stdout.readline(), timeout=60)).strip() == b"ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        await proc.stdin.drain()
    outputs = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in procs)), timeout=180)
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()[-2000:]


@pytest.mark.skipif(
    not os.environ.get("REVIEWBOT_TEST_DATABASE_URL"),
    reason="needs PostgreSQL: .ci/run sets REVIEWBOT_TEST_DATABASE_URL and runs this",
)
async def test_two_workers_send_each_person_one_message_listing_all_their_items(harness: Harness) -> None:
    """2,000 direct-message reminders for 100 people, claims of 10 rows: each person's rows are
    claimed together by one worker (SKIP LOCKED under the claim lock) and sent as one message."""
    for person in PEOPLE:
        harness.fake.add_user(person)
    now = SystemClock().now()
    seeded = []
    for i in range(2000):
        row = notice(f"dm:{i}", now - timedelta(minutes=5), PEOPLE[i % len(PEOPLE)], now=now)
        row["payload"] = {"text": f"item {i}"}  # no channel: a direct message to the recipient
        seeded.append(row)
    await seed(harness, seeded)
    await _run_workers(harness, ("worker-a", "worker-b"))
    stored = await rows(harness)
    assert all(r.status == "sent" for r in stored)
    posts = [c for c in harness.fake.calls("chat.postMessage") if c.ok]
    assert len(posts) == len(PEOPLE)  # one message per person
    by_person = Counter((r.recipient, r.sent_channel, r.sent_ts) for r in stored)
    assert len(by_person) == len(PEOPLE) and set(by_person.values()) == {20}
    texts = Counter(t for c in posts for t in str(c.params.get("blocks")).split("item ")[1:])
    assert sum(texts.values()) == 2000  # every item listed once
    assert len({r.claimed_by for r in stored}) == 2, "both workers should have taken part"
