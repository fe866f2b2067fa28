"""Memory: resident set size of ``reviewbot serve --with-worker`` (SQLite) after load.

The load: signed ``/review help``, ``/review cases`` and card-refresh clicks at concurrency 20
(button clicks also start background work that edits the card), while the worker, ticking every
second, delivers due reminders to the Slack stand-in. RSS is read from /proc before and after.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from benchmarks import ack
from benchmarks.common import (
    Figure,
    Report,
    clean_env,
    free_port,
    fresh_sqlite,
    reviewbot_command,
    rss_mb,
    say,
    seed_notices,
    start_child,
)
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.harness import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from bot.sandbox.signed_requests import SlackRequestFactory

PART = "memory"
TARGET_MB = 200.0


async def run(report: Report, *, quick: bool, workdir: Path) -> None:
    requests, reminders = (1_500, 500) if quick else (6_000, 3_000)
    fake = FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN)
    await fake.start()
    url = await fresh_sqlite(workdir, "memory.sqlite3")
    case = await ack._seed_case(url, fake)
    channels = [f"C0MEM{i:04d}" for i in range(50)]
    for channel in channels:
        fake.add_channel(channel, channel.lower())
    port = free_port()
    env = clean_env(
        DATABASE_URL=url,
        SLACK_API_URL=fake.api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_PACE_SECONDS="0",
        REVIEWBOT_TICK_SECONDS="1",
        LOG_LEVEL="INFO",
    )
    child = await start_child(
        [*reviewbot_command(), "serve", "--with-worker", "--host", "127.0.0.1", "--port", str(port)],
        env,
        port,
        workdir,
        "reviewbot-memory",
    )
    try:
        idle = rss_mb(child.proc.pid) or 0.0
        await seed_notices(url, reminders, channels, prefix="mem", due_ago=timedelta(seconds=30))
        side = ack.Side("ReviewBot (SQLite, with worker)", child, False, case)
        factory = SlackRequestFactory(SIGNING_SECRET, fake=fake)
        per_kind = requests // len(ack.KINDS)
        for kind in ack.KINDS:
            make = ack._maker(factory, kind, side)
            for start in range(0, per_kind, 500):
                batch = [make() for _ in range(min(500, per_kind - start))]
                await ack._drive(side, batch, 20, kind, fake)
        for _ in range(120):  # let the worker finish the reminders (ticks every second)
            delivered = sum(
                1
                for c in fake.calls("chat.postMessage")
                if c.ok and str(c.params.get("text", "")).startswith("mem:")
            )
            if delivered >= reminders:
                break
            await asyncio.sleep(1)
        await asyncio.sleep(2)
        after = rss_mb(child.proc.pid) or 0.0
        say(
            f"    RSS idle {idle:.0f} MiB; after {requests:,} requests and {delivered:,} reminders "
            f"{after:.0f} MiB"
        )
        report.add(
            Figure(
                PART,
                "RSS of `reviewbot serve --with-worker` after the load",
                after,
                "MiB",
                f"< {TARGET_MB:.0f} MiB",
                after < TARGET_MB,
                f"{idle:.0f} MiB idle; {requests:,} requests, "
                f"{delivered:,} of {reminders:,} reminders delivered",
            )
        )
    finally:
        child.stop()
        await fake.stop()
