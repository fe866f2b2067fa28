"""Ack latency and throughput through the real HTTP stack, beside bolt's own floor.

Every server is a separate process with one uvicorn worker: ReviewBot as ``reviewbot serve
--no-worker`` (SQLite, and PostgreSQL when available) and the bare bolt app of
:mod:`benchmarks.bare_app` with ``process_before_response`` off (bolt's default: the listener runs
in a task and bolt polls for the ack every 10 ms) and on. This process plays Slack: it signs the
requests, sends them with httpx over loopback sockets at concurrency 1 and 20, and runs the Slack
Web API stand-in the servers call (ReviewBot's button edits the case card after the ack). All
sides run one after another for each request kind, so drift on a shared machine hits them alike.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import select

from benchmarks.common import (
    Backend,
    Child,
    Figure,
    Report,
    clean_env,
    cpu_seconds,
    free_port,
    fresh_postgres,
    fresh_sqlite,
    notification_payload,
    percentile,
    reviewbot_command,
    say,
    start_child,
    utc_now,
)
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.harness import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, Harness
from bot.sandbox.signed_requests import SignedRequest, SlackRequestFactory
from bot.settings import Settings
from bot.slack.ids import ActionId

PART = "ack"
BM = "U0BM00001"  # the example partnership's business manager: sees every case
KINDS = ("help", "cases", "button")
KIND_LABELS = {"help": "/review help", "cases": "/review cases", "button": "button click (refresh card)"}
P99_TARGET_MS = 100.0
P50_RATIO_TARGET = 3.0
THROUGHPUT_RATIO_TARGET = 0.5


@dataclass
class Side:
    label: str
    child: Child
    is_bare: bool
    case: tuple[int, str, str] | None = None  # id, channel, card ts (ReviewBot only)


@dataclass
class Measured:
    side: str
    kind: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    errors: int = 0
    server_cpu: float = 0.0  # seconds of CPU the server process used during the run
    answers: list[float] = field(default_factory=list)  # ack-then-answer: request sent -> answer posted
    settled: float = 0.0  # seconds from the first request until the server had no after-ack work left

    @property
    def cpu_ms(self) -> float:
        return self.server_cpu / len(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 50) * 1000

    @property
    def p90(self) -> float:
        return percentile(self.latencies, 90) * 1000

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99) * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    @property
    def settled_throughput(self) -> float:
        return len(self.latencies) / self.settled if self.settled else 0.0

    def row(self) -> str:
        line = (
            f"    {self.side:<26} c={self.concurrency:<3} n={len(self.latencies):<5} "
            f"p50 {self.p50:7.2f} ms  p90 {self.p90:7.2f} ms  p99 {self.p99:7.2f} ms  "
            f"{self.throughput:6.0f} req/s  server CPU {self.cpu_ms:5.2f} ms/req  errors {self.errors}"
        )
        if self.settled:
            done = f"all work done after {self.settled:.2f} s ({self.settled_throughput:.0f} req/s)"
            line += f"\n    {'':<26} {done}"
        if self.answers:
            line += (
                f"; answer via response_url p50 {percentile(self.answers, 50) * 1000:.1f} ms, "
                f"p99 {percentile(self.answers, 99) * 1000:.1f} ms"
            )
        return line


async def run(
    report: Report, *, quick: bool, pg_base: str | None, pg_skip_reason: str, workdir: Path
) -> dict[str, Any]:
    n1, n20 = (100, 400) if quick else (500, 2000)
    fake = FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN)
    await fake.start()
    sides: list[Side] = []
    try:
        for pbr in (0, 1):
            port = free_port()
            child = await start_child(
                [
                    _python(),
                    "-m",
                    "benchmarks.bare_app",
                    "--port",
                    str(port),
                    "--api-url",
                    fake.api_url,
                    "--process-before-response",
                    str(pbr),
                ],
                clean_env(),
                port,
                workdir,
                f"bare-pbr{pbr}",
            )
            sides.append(Side(f"bare bolt (pbr={'True' if pbr else 'False'})", child, True))
        backends = [Backend("SQLite", await fresh_sqlite(workdir, "ack.sqlite3"))]
        if pg_base:
            backends.append(Backend("PostgreSQL", await fresh_postgres(pg_base)))
        else:
            report.skip(PART, "ReviewBot on PostgreSQL", pg_skip_reason)
        for backend in backends:
            case = await _seed_case(backend.url, fake)
            port = free_port()
            env = clean_env(
                DATABASE_URL=backend.url,
                SLACK_API_URL=fake.api_url,
                SLACK_BOT_TOKEN=BOT_TOKEN,
                SLACK_SIGNING_SECRET=SIGNING_SECRET,
                LOG_LEVEL="INFO",  # and the production pace: one edit a second per channel
            )
            child = await start_child(
                [*reviewbot_command(), "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)],
                env,
                port,
                workdir,
                f"reviewbot-{backend.name.lower()}",
            )
            sides.append(Side(f"ReviewBot ({backend.name})", child, False, case))
        factory = SlackRequestFactory(SIGNING_SECRET, fake=fake)
        results: list[Measured] = []
        for kind in KINDS:
            for concurrency, n in ((1, n1), (20, n20)):
                for side in sides:
                    make = _maker(factory, kind, side)
                    warm_up = [make() for _ in range(max(50, n // 5))]
                    await _drive(side, warm_up, concurrency, kind, fake)
                    measured = await _drive(side, [make() for _ in range(n)], concurrency, kind, fake)
                    results.append(measured)
                    say(measured.row())
        _judge(report, results, [s for s in sides if not s.is_bare])
        for side in sides:
            errors = [
                line
                for line in side.child.log_tail(200_000).splitlines()
                if "[error" in line or "Traceback" in line
            ]
            if errors:
                say(f"    {side.label}: {len(errors)} error line(s) in its log, first: {errors[0][:200]}")
        return {"results": results}
    finally:
        for side in sides:
            side.child.stop()
        await fake.stop()


def _python() -> str:
    import sys

    return sys.executable


async def _seed_case(url: str, fake: FakeSlack) -> tuple[int, str, str]:
    """One case opened through the real webhook, its channel and pinned card in the stand-in."""
    from bot.cases.models import Case
    from bot.webhook.tokens import create_token

    # As deployed: the people revisions are read at most every people_recheck_seconds (the default).
    recheck = Settings.model_fields["people_recheck_seconds"].default
    h = await Harness.start(database_url=url, fake=fake, run_migrations=False, people_recheck_seconds=recheck)
    try:
        token = (await create_token(h.services, "northshire", "benchmark (synthetic)")).token
        response = await h.http.post(
            "/api/v1/notifications",
            json=notification_payload(utc_now()),
            headers={"Authorization": f"Bearer {token}"},
        )
        if response.status_code != 201:
            raise RuntimeError(f"seeding a case failed: {response.status_code} {response.text[:300]}")
        await h.services.tasks.drain(timeout=30)
        async with h.services.db.session() as session:
            case = (await session.execute(select(Case))).scalar_one()
        if not case.channel_id or not case.card_ts:
            raise RuntimeError("the seeded case has no channel or card")
        return case.id, case.channel_id, case.card_ts
    finally:
        await h.services.tasks.drain(timeout=30)
        await h.http.aclose()
        await h.services.db.dispose()


def _maker(factory: SlackRequestFactory, kind: str, side: Side) -> Callable[[], SignedRequest]:
    if kind in ("help", "cases"):
        return lambda: factory.slash_command("/review", kind, user_id=BM, channel_id="C0GENERAL")
    case_id, channel, ts = side.case or (1, "C0GENERAL", None)
    return lambda: factory.block_action(
        ActionId.REFRESH_CARD.value, user_id=BM, value=str(case_id), channel_id=channel, message_ts=ts
    )


async def _drive(
    side: Side, requests: Sequence[SignedRequest], concurrency: int, kind: str, fake: FakeSlack
) -> Measured:
    """Send every request, ``concurrency`` at a time over keep-alive connections; time each one.

    The client is aiohttp: httpx's own overhead (about 6 ms a request at concurrency 1 and a p99
    over 500 ms at 20 against the bare app, measured on the reference machine) would drown what is
    being measured. For ReviewBot the run then waits until the server has no after-ack work left
    (its /healthz counts it) and checks every deferred answer.
    """
    measured = Measured(side.label, kind, concurrency)
    sent_at: dict[str, float] = {}
    pending = iter(requests)
    url = side.child.url + "/slack/events"
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:

        async def one_connection() -> None:
            for request in pending:  # a shared iterator: each request is sent once
                started = time.perf_counter()
                sent_at[_hook_id(request)] = time.time()
                async with session.post(url, data=request.body, headers=request.headers) as response:
                    body = await response.read()
                measured.latencies.append(time.perf_counter() - started)
                if not _acked(response.status, body, kind, side.is_bare):
                    measured.errors += 1

        cpu, started = cpu_seconds(side.child.proc.pid), time.perf_counter()
        with _no_client_gc():
            await asyncio.gather(*(one_connection() for _ in range(concurrency)))
        measured.wall = time.perf_counter() - started
        if not side.is_bare:
            await _settle(session, side.child.url)
            measured.settled = time.perf_counter() - started
        measured.server_cpu = cpu_seconds(side.child.proc.pid) - cpu
    if not side.is_bare:
        _check_answers(measured, kind, sent_at, fake)
    return measured


@contextmanager
def _no_client_gc() -> Iterator[None]:
    """No garbage collection in this process (the load generator) while requests are timed.

    Its full collections took up to 160 ms here (it keeps every request and the stand-in's record of
    every call) and were counted as the server's latency, on whichever side happened to be running.
    timeit turns collection off while timing for the same reason. It is collected before and after.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


def _hook_id(request: SignedRequest) -> str:
    return str(request.payload.get("response_url", "")).rsplit("/", 1)[-1]


async def _settle(session: aiohttp.ClientSession, url: str) -> None:
    """Wait until the server reports no after-ack work left (its /healthz counts it)."""
    for _ in range(12_000):
        async with session.get(url + "/healthz") as response:
            if (await response.json()).get("background_work") == 0:
                return
        await asyncio.sleep(0.01)
    raise RuntimeError("the server's after-ack work did not finish within two minutes")


def _check_answers(measured: Measured, kind: str, sent_at: dict[str, float], fake: FakeSlack) -> None:
    """Every deferred answer arrived and is not an error; a click gets no message unless it failed."""
    posts = {r.hook_id: r for r in fake.responses if r.hook_id in sent_at}
    if kind == "cases":
        for hook, at in sent_at.items():
            post = posts.get(hook)
            if post is None or not post.ok or _is_error_text(post.text):
                measured.errors += 1
            else:
                measured.answers.append(post.at.timestamp() - at)
    elif kind == "button":
        measured.errors += len(posts)  # a click's only message to the person would be an error


def _is_error_text(text: str) -> bool:
    return "went wrong" in text or "can't reach" in text


def _acked(status: int, body: bytes, kind: str, bare: bool) -> bool:
    """A 200; ReviewBot answers help in the ack, and acks the rest empty (answered afterwards)."""
    if status != 200:
        return False
    if bare or kind == "button" or not body:
        return True
    return not _is_error_text(str(json.loads(body).get("text", "")))


def _judge(report: Report, results: list[Measured], ours: list[Side]) -> None:
    def find(side: str, kind: str, c: int) -> Measured:
        return next(m for m in results if m.side == side and m.kind == kind and m.concurrency == c)

    bare_sides = sorted({m.side for m in results if m.side.startswith("bare")})
    for kind in KINDS:
        floor_p50 = min(find(s, kind, 1).p50 for s in bare_sides)
        floor_best = min(bare_sides, key=lambda s: find(s, kind, 1).p50)
        best_tp = max(find(s, kind, 20).throughput for s in bare_sides)
        for side in ours:
            c1, c20 = find(side.label, kind, 1), find(side.label, kind, 20)
            label = f"{side.label} {KIND_LABELS[kind]}"
            errors = c1.errors + c20.errors
            report.add(
                Figure(
                    PART,
                    f"{label}: p99 at c=20",
                    c20.p99,
                    "ms",
                    f"< {P99_TARGET_MS:.0f} ms",
                    c20.p99 < P99_TARGET_MS and errors == 0,
                    f"p50 {c20.p50:.1f}, p90 {c20.p90:.1f}" + (f"; {errors} bad answers" if errors else ""),
                )
            )
            ratio = c1.p50 / floor_p50
            report.add(
                Figure(
                    PART,
                    f"{label}: p50 at c=1 vs bare bolt",
                    ratio,
                    "x",
                    f"<= {P50_RATIO_TARGET:.0f}x",
                    ratio <= P50_RATIO_TARGET,
                    f"{c1.p50:.2f} ms vs {floor_p50:.2f} ms ({floor_best})",
                )
            )
            tp_ratio = c20.throughput / best_tp
            report.add(
                Figure(
                    PART,
                    f"{label}: throughput at c=20 vs bare bolt",
                    tp_ratio,
                    "x",
                    f">= {THROUGHPUT_RATIO_TARGET}x",
                    tp_ratio >= THROUGHPUT_RATIO_TARGET,
                    f"{c20.throughput:.0f} vs {best_tp:.0f} req/s",
                )
            )
