"""Reminder delivery across workspaces: 10,000 due reminders over 20 workspaces of 25 channels.

Each workspace is its own OAuth installation (encrypted token in the database) and its own
partnership (``team_ids`` in a generated partnership file); the reminder worker runs in OAuth mode
(no SLACK_BOT_TOKEN), so every post must be made with the token of the workspace its partnership
lives in. The stand-in plays all 20 teams, enforces about one message a second per channel (burst 3)
and records which team's token made each post. Judged: total time against the rate-limit lower
bound (the busiest channel), duplicates and losses, and every post made with its own team's token
to a channel of that team.
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

import yaml

from benchmarks.common import Figure, Report, clean_env, fresh_postgres, fresh_sqlite, say, utc_now
from benchmarks.delivery import WorkerFailed, _statuses, _until_done_or_failed, judge_delivery
from bot.reminders.models import ReminderStatus
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.harness import ENCRYPTION_KEY, SIGNING_SECRET

PART = "delivery-tenants"
RATE = 1.0


@dataclass
class Layout:
    teams: list[str]
    channels: dict[str, list[str]]  # team -> its channels
    tokens: dict[str, str]  # team -> bot token

    def partnership(self, team: str) -> str:
        return f"bench-{team[-3:].lower()}"


def layout(workspaces: int, channels_each: int) -> Layout:
    teams = [f"T0BENCH{t:03d}" for t in range(workspaces)]
    return Layout(
        teams=teams,
        channels={
            team: [f"C0T{t:03d}CH{c:03d}" for c in range(channels_each)] for t, team in enumerate(teams)
        },
        tokens={team: f"xoxb-bench-{team}-secret" for team in teams},
    )


def partnership_file(lay: Layout, path: Path) -> Path:
    """One synthetic partnership per workspace, bound to it by team_ids."""
    partnerships = []
    for t, team in enumerate(lay.teams):
        channels = lay.channels[team]
        partnerships.append(
            {
                "id": lay.partnership(team),
                "name": f"Bench partnership {t} (synthetic)",
                "nation": "england",
                "team_ids": [team],
                "channels": {"business_unit": channels[0], "board": channels[1]},
                "agencies": [
                    {
                        "id": "la",
                        "name": f"Council {t} (synthetic)",
                        "kind": "local_authority",
                        "statutory_partner": True,
                    }
                ],
                "people": [
                    {
                        "slack_user_id": f"U0BM{t:03d}001",
                        "agency": "la",
                        "roles": ["business_manager", "chair", "signatory"],
                    }
                ],
            }
        )
    path.write_text(yaml.safe_dump({"partnerships": partnerships}, sort_keys=False))
    return path


async def seed(url: str, lay: Layout, n: int) -> dict[str, str]:
    """The installations (tokens encrypted) and ``n`` due notices spread over every channel; returns
    each reminder text's channel."""
    from bot.clock import SystemClock
    from bot.db.engine import Database
    from bot.reminders.models import Reminder
    from bot.tenants.crypto import TokenCipher
    from bot.tenants.store import InstallationStore

    all_channels = [(team, ch) for team in lay.teams for ch in lay.channels[team]]
    now = utc_now()
    where: dict[str, str] = {}
    rows = []
    for i in range(n):
        team, channel = all_channels[i % len(all_channels)]
        text = f"bench:{i}"
        where[text] = channel
        rows.append(
            {
                "delivery_key": text,
                "partnership_id": lay.partnership(team),
                "case_id": None,
                "deadline_id": None,
                "kind": "notice",
                "rung": "bench",
                "recipient": channel,
                "due_at": now - timedelta(minutes=1),
                "status": ReminderStatus.PENDING.value,
                "attempts": 0,
                "late": False,
                "created_at": now - timedelta(days=1),
                "payload": {"text": text, "channel": channel},
            }
        )
    db = Database(url)
    try:
        store = InstallationStore(db, TokenCipher(ENCRYPTION_KEY), SystemClock())
        for team in lay.teams:
            await store.save_installation(
                enterprise_id=None,
                enterprise_name=None,
                team_id=team,
                team_name=f"Workspace {team}",
                is_enterprise_install=False,
                app_id="A0TESTAPP",
                bot_user_id=f"U0BOT{team[-4:]}",
                bot_id=f"B0BOT{team[-4:]}",
                bot_scopes="chat:write",
                bot_token=lay.tokens[team],
                bot_refresh_token=None,
                bot_token_expires_at=None,
                installer_user_id=None,
            )
        async with db.session() as session:
            for start in range(0, n, 2000):
                await session.execute(Reminder.__table__.insert(), rows[start : start + 2000])
    finally:
        await db.dispose()
    return where


async def run(
    report: Report,
    *,
    quick: bool,
    pg_base: str | None,
    pg_skip_reason: str,
    workdir: Path,
    reminders: int | None = None,
    workspaces: int = 20,
    channels_each: int = 25,
) -> None:
    n = reminders or (2_000 if quick else 10_000)
    backends = ["SQLite"] + (["PostgreSQL"] if pg_base else [])
    if not pg_base:
        report.skip(PART, "delivery across workspaces on PostgreSQL", pg_skip_reason)
    say(
        f"  {n:,} due reminders over {workspaces} workspaces x {channels_each} channels, each workspace its "
        f"own OAuth installation and partnership; stand-in limit {RATE:g}/s per channel, burst 3"
    )
    for backend in backends:
        url = (
            await fresh_postgres(pg_base)
            if backend == "PostgreSQL" and pg_base
            else await fresh_sqlite(workdir, "tenants.sqlite3")
        )
        try:
            await _one(report, backend, url, n, layout(workspaces, channels_each), workdir)
        except WorkerFailed as exc:
            report.add(
                Figure(PART, f"{exc.label}: the worker failed", None, "", "no failure", False, exc.why)
            )


async def _one(report: Report, backend: str, url: str, n: int, lay: Layout, workdir: Path) -> None:
    fake = FakeSlack(rate_limit_per_channel=RATE)
    await fake.start()
    for team in lay.teams:
        fake.add_team(team, bot_token=lay.tokens[team])
        for channel in lay.channels[team]:
            fake.add_channel(channel, channel.lower())
            fake.team_channel(channel, team)
    where = await seed(url, lay, n)
    per_channel = Counter(where.values())
    lower_bound = max(max(0, count - fake.rate_limit_burst) / RATE for count in per_channel.values())
    config = partnership_file(lay, workdir / "tenants.yaml")
    env = clean_env(
        DATABASE_URL=url,
        SLACK_API_URL=fake.api_url,
        SLACK_CLIENT_ID=fake.client_id,
        SLACK_CLIENT_SECRET=fake.client_secret,
        REVIEWBOT_ENCRYPTION_KEY=ENCRYPTION_KEY,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        REVIEWBOT_CONFIG=str(config),
        SLACK_PACE_SECONDS="1.0",
        LOG_LEVEL="WARNING",
    )
    label = f"{backend}, 1 worker, {len(lay.teams)} workspaces"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.delivery_worker",
        "tenants-worker",
        env=env,
        cwd=workdir,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=60)
        if line.strip() != b"ready":
            err = await proc.stderr.read() if proc.stderr else b""
            raise WorkerFailed(label, f"did not start: {err.decode()[-300:]}")
        go = utc_now()
        proc.stdin.write(b"go\n")
        await proc.stdin.drain()
        [(out, err)] = await _until_done_or_failed([proc], timeout=max(600, 20 * lower_bound))
        if proc.returncode != 0:
            last = [x for x in err.decode().splitlines() if x.strip()][-1:]
            raise WorkerFailed(label, f"exit {proc.returncode}: {last[0][:200] if last else '?'}")
        worker: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await fake.stop()
    accepted = [c for c in fake.calls("chat.postMessage") if c.ok]
    refused = sum(1 for c in fake.calls("chat.postMessage") if c.status == 429)
    by_text = Counter(str(c.params.get("text")) for c in accepted)
    duplicates = sum(count - 1 for count in by_text.values() if count > 1)
    lost = len(set(where) - set(by_text))
    token_of = {token: team for team, token in lay.tokens.items()}
    wrong = sum(
        1
        for c in accepted
        if c.team_id != fake.channel_team(str(c.params.get("channel")))
        or token_of.get(c.headers.get("Authorization", "").removeprefix("Bearer ")) != c.team_id
        or where.get(str(c.params.get("text"))) != c.params.get("channel")
    )
    statuses = await _statuses(url)
    total = ((max(c.at for c in accepted) if accepted else go) - go).total_seconds()
    ratio = total / lower_bound if lower_bound else math.inf
    say(
        f"    {label}: {total:.1f} s for {len(accepted):,} posts "
        f"(lower bound {lower_bound:.1f} s, {ratio:.2f}x); "
        f"429 answers {refused:,}; duplicates {duplicates}; lost {lost}; wrong token/team {wrong}; "
        f"rows {dict(statuses)}; worker sent {worker['sent']:,} in {worker['passes']} passes"
    )
    judge_delivery(report, label, total, lower_bound, duplicates, lost, statuses, n, PART)
    report.add(
        Figure(
            PART,
            f"{label}: posts made with another team's token or to another team's channel",
            wrong,
            "",
            "0",
            wrong == 0 and len(accepted) > 0,
            f"{len(accepted):,} posts checked",
        )
    )
