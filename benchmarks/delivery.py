"""Reminder delivery at Slack's rate limit: 10,000 due reminders over 500 channels.

The Slack stand-in runs in this process and enforces about one message a second per channel
(a token bucket: ``rate_limit_burst`` posts back to back, then one a second; 429 with Retry-After
beyond that). So the fastest possible delivery of ``n`` messages to one channel takes
``(n - burst) / rate`` seconds, and the lower bound for the whole run is that of the busiest
channel. Worker processes (:mod:`benchmarks.delivery_worker`) run the engine's ``dispatch_due``
against the same database; the time runs from "go" to the last accepted post. Duplicates and
losses come from the stand-in's own record of accepted posts, checked against the rows.
"""

from __future__ import annotations

import asyncio
import json
import math
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from benchmarks.common import (
    Figure,
    Report,
    clean_env,
    fresh_postgres,
    fresh_sqlite,
    say,
    seed_notices,
    utc_now,
)
from bot.db.engine import Database
from bot.reminders.models import Reminder, ReminderStatus
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.harness import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET

PART = "delivery"
RATE = 1.0
TARGET_RATIO = 1.2


class WorkerFailed(Exception):
    def __init__(self, label: str, why: str) -> None:
        super().__init__(why)
        self.label, self.why = label, why


@dataclass
class Config:
    backend: str
    workers: int
    pace: float
    judged: bool = True
    batch: int = 500  # rows per claim (the engine's DEFAULT_BATCH)


async def run(
    report: Report,
    *,
    quick: bool,
    pg_base: str | None,
    pg_skip_reason: str,
    workdir: Path,
    reminders: int | None = None,
    channels: int | None = None,
) -> None:
    n = reminders or (2_000 if quick else 10_000)
    n_channels = channels or (200 if quick else 500)
    configs = [
        Config("SQLite", 1, 1.0),
        Config("SQLite", 1, 0.0, judged=False),
        Config("PostgreSQL", 1, 1.0),
        Config("PostgreSQL", 2, 1.0),
    ]
    if quick:
        configs = [c for c in configs if c.pace == 1.0]
    if not pg_base:
        report.skip(PART, "delivery on PostgreSQL (1 and 2 workers)", pg_skip_reason)
        configs = [c for c in configs if c.backend != "PostgreSQL"]
    say(
        f"  {n:,} due 'notice' reminders over {n_channels} channels; stand-in limit {RATE:g}/s per channel, "
        "burst 3; SLACK_PACE_SECONDS is the gateway's per-channel pace (0 = rely on 429 Retry-After)"
    )
    for config in configs:
        url = (
            await fresh_postgres(pg_base)
            if config.backend == "PostgreSQL" and pg_base
            else (await fresh_sqlite(workdir, "delivery.sqlite3"))
        )
        try:
            await _one(report, config, url, n, n_channels, workdir)
        except WorkerFailed as exc:
            report.add(
                Figure(PART, f"{exc.label}: a worker process failed", None, "", "no failure", False, exc.why)
            )


async def _one(report: Report, config: Config, url: str, n: int, n_channels: int, workdir: Path) -> None:
    fake = FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN, rate_limit_per_channel=RATE)
    await fake.start()
    channels = [f"C0LOAD{i:04d}" for i in range(n_channels)]
    for channel in channels:
        fake.add_channel(channel, channel.lower())
    # due, and not yet "late" (5 minutes)
    await seed_notices(url, n, channels, prefix="bench", due_ago=timedelta(minutes=1))
    per_channel = Counter(channels[i % n_channels] for i in range(n))
    burst = fake.rate_limit_burst
    lower_bound = max(max(0, count - burst) / RATE for count in per_channel.values())
    env = clean_env(
        DATABASE_URL=url,
        SLACK_API_URL=fake.api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_PACE_SECONDS=str(config.pace),
        LOG_LEVEL="WARNING",
    )
    procs: list[asyncio.subprocess.Process] = []
    label = (
        f"{config.backend}, {config.workers} worker{'s' if config.workers > 1 else ''}, "
        f"pace {config.pace:g} s" + (f", batch {config.batch:,}" if config.batch != 500 else "")
    )
    try:
        for i in range(config.workers):
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "benchmarks.delivery_worker",
                f"bench-worker-{i}",
                "--batch",
                str(config.batch),
                env=env,
                cwd=workdir,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            procs.append(proc)
        for proc in procs:
            assert proc.stdout is not None
            line = await asyncio.wait_for(proc.stdout.readline(), timeout=60)
            if line.strip() != b"ready":
                err = await proc.stderr.read() if proc.stderr else b""
                raise RuntimeError(f"worker did not start: {line!r} {err.decode()[-1500:]}")
        go = utc_now()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(b"go\n")
            await proc.stdin.drain()
        outputs = await _until_done_or_failed(procs, timeout=max(600, 20 * lower_bound))
        worker_reports: list[dict[str, Any]] = []
        for proc, (out, err) in zip(procs, outputs, strict=True):
            if proc.returncode != 0:
                last = [line for line in err.decode().splitlines() if line.strip()][-1:]
                (workdir / f"worker-{proc.pid}.err").write_bytes(err)
                sent = sum(1 for c in fake.calls("chat.postMessage") if c.ok)
                say(f"    {label}: a worker exited with {proc.returncode} after {sent:,} posts: {last}")
                raise WorkerFailed(label, f"exit {proc.returncode}: {last[0][:200] if last else '?'}")
            worker_reports.append(json.loads(out.decode().strip().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        await fake.stop()
    posts = fake.calls("chat.postMessage")
    accepted = [c for c in posts if c.ok]
    refused = sum(1 for c in posts if c.status == 429)
    by_text = Counter(str(c.params.get("text")) for c in accepted)
    expected = {f"bench:{i}" for i in range(n)}
    duplicates = sum(count - 1 for count in by_text.values() if count > 1)
    lost = len(expected - set(by_text))
    statuses = await _statuses(url)
    last_post = max(c.at for c in accepted) if accepted else go
    total = (last_post - go).total_seconds()
    ratio = total / lower_bound if lower_bound else math.inf
    say(
        f"    {label}: {total:.1f} s for {len(accepted):,} posts (lower bound {lower_bound:.1f} s, "
        f"{ratio:.2f}x); 429 answers {refused:,}; duplicates {duplicates}; lost {lost}; rows {dict(statuses)}"
    )
    for w in worker_reports:
        say(
            f"      {w['worker']}: sent {w['sent']:,}, retried {w['retried']:,}, dead {w['dead']}, "
            f"passes {w['passes']}, {w['seconds']:.1f} s"
        )
    if config.judged:
        judge_delivery(report, label, total, lower_bound, duplicates, lost, statuses, n)
    else:
        report.add(
            Figure(
                PART,
                f"{label} (for comparison): total time vs lower bound",
                ratio,
                "x",
                note=f"{total:.1f} s; {refused:,} 429s; {duplicates} duplicates, {lost} lost",
            )
        )


def judge_delivery(
    report: Report,
    label: str,
    total: float,
    lower_bound: float,
    duplicates: int,
    lost: int,
    statuses: Counter[str],
    n: int,
    part: str = PART,
) -> None:
    """The two judged figures of every delivery run: time against the rate-limit bound, and nothing
    sent twice or lost (every row sent)."""
    ratio = total / lower_bound if lower_bound else math.inf
    report.add(
        Figure(
            part,
            f"{label}: total time vs rate-limit lower bound",
            ratio,
            "x",
            f"<= {TARGET_RATIO}x",
            ratio <= TARGET_RATIO,
            f"{total:.1f} s vs {lower_bound:.1f} s",
        )
    )
    sent = statuses.get(ReminderStatus.SENT.value, 0)
    report.add(
        Figure(
            part,
            f"{label}: duplicates / losses",
            duplicates + lost,
            "",
            "0 and 0",
            duplicates == 0 and lost == 0 and sent == n,
            f"{duplicates} duplicates, {lost} lost, {sent:,} of {n:,} rows sent",
        )
    )


async def _until_done_or_failed(
    procs: list[asyncio.subprocess.Process],
    *,
    timeout: float,  # noqa: ASYNC109
) -> list[tuple[bytes, bytes]]:
    """Wait for every worker; when one fails, stop the others at once (their claims would otherwise
    wait out the five-minute lease)."""
    tasks = [asyncio.ensure_future(p.communicate()) for p in procs]
    pending = set(tasks)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while pending:
        done, pending = await asyncio.wait(
            pending, timeout=deadline - loop.time(), return_when=asyncio.FIRST_COMPLETED
        )
        if not done:
            raise TimeoutError("workers did not finish")
        if any(procs[tasks.index(t)].returncode for t in done):
            for proc in procs:
                if proc.returncode is None:
                    proc.kill()
            await asyncio.gather(*pending)
            pending = set()
    return [t.result() for t in tasks]


async def _statuses(url: str) -> Counter[str]:
    db = Database(url)
    try:
        async with db.session() as session:
            result = await session.execute(select(Reminder.status, func.count()).group_by(Reminder.status))
            return Counter({str(status): int(count) for status, count in result.all()})
    finally:
        await db.dispose()
