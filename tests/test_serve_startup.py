"""Starting `reviewbot serve` and `reviewbot worker` as an operator would: where it listens, what it
warns about, no library noise, the token checked, Slack degraded rather than down, Socket Mode that
cannot connect holding nothing up, and /docs that works offline."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.harness import BOT_TOKEN, SIGNING_SECRET, Harness
from bot.slack.status import SlackState

ROOT = Path(__file__).parent.parent
NOISE = ("Context impl", "Will assume", "Running upgrade", "As you gave `client`", "Traceback")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Process:
    def __init__(self, proc: asyncio.subprocess.Process, port: int) -> None:
        self.proc = proc
        self.port = port
        self.out = ""
        self.err = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def line(self, containing: str, timeout: float = 60) -> str:  # noqa: ASYNC109
        """Read stdout until a line containing ``containing``."""
        assert self.proc.stdout is not None

        async def _read() -> str:
            while True:
                raw = await self.proc.stdout.readline()  # type: ignore[union-attr]
                if not raw:
                    raise AssertionError(f"exited before printing {containing!r}: {self.out}")
                self.out += raw.decode()
                if containing in raw.decode():
                    return raw.decode()

        return await asyncio.wait_for(_read(), timeout)


@asynccontextmanager
async def started(args: list[str], env: dict[str, str], tmp_path: Path) -> AsyncIterator[Process]:
    port = _free_port()
    ours = ("SLACK_", "DATABASE_URL", "REVIEWBOT_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    clean |= {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.sqlite3'}", "LOG_LEVEL": "INFO"}
    if args[0] == "serve":
        args = [*args, "--host", "127.0.0.1", "--port", str(port)]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        env=clean | env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    process = Process(proc, port)
    try:
        yield process
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        process.out += out.decode()
        process.err = err.decode()


async def test_serve_says_where_it_listens_warns_without_a_worker_and_prints_no_noise(tmp_path: Path) -> None:
    async with FakeSlack(bot_token=BOT_TOKEN) as fake:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
        env["SLACK_API_URL"] = fake.api_url
        async with started(["serve", "--no-worker"], env, tmp_path) as serve:
            line = await serve.line("listening on")
            assert f"listening on {serve.url}: Slack requests at {serve.url}/slack/events" in line
            await serve.line("Reminder worker: not in this process")
            async with httpx.AsyncClient(base_url=serve.url, trust_env=False) as client:
                health = (await client.get("/healthz")).json()
                assert health["status"] == "ok" and health["slack"] == "ok" and "socket_mode" not in health
                docs = await client.get("/docs")
        assert serve.proc.returncode in (0, -signal.SIGTERM)
    assert "--no-worker on SQLite: this process will send no reminders" in serve.err
    for noise in NOISE:
        assert noise not in serve.err + serve.out, noise
    # /docs works offline: one page, nothing fetched from elsewhere.
    assert docs.status_code == 200 and "/api/v1/notifications" in docs.text
    assert "<script" not in docs.text and "cdn" not in docs.text.lower() and "https://" not in docs.text


async def test_health_metrics_and_worker_do_not_wait_for_socket_mode(tmp_path: Path) -> None:
    unreachable = f"http://127.0.0.1:{_free_port()}/api/"  # nothing listens: Slack cannot be reached
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-test-token", "SLACK_API_URL": unreachable}
    async with started(["serve"], env, tmp_path) as serve:
        await serve.line("listening on", timeout=60)
        async with httpx.AsyncClient(base_url=serve.url, trust_env=False, timeout=5) as client:
            health = await client.get("/healthz")
            metrics = await client.get("/metrics")
    assert health.status_code == 200, health.text  # degraded, not down
    body = health.json()
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert body["slack"].startswith("unreachable") and body["socket_mode"] == "connecting"
    assert metrics.status_code == 200 and "reviewbot_reminder_queue_depth" in metrics.text
    assert "worker.started" in serve.err  # the in-process worker did not wait either
    assert "Slack did not answer auth.test" in serve.err
    assert "Traceback" not in serve.err


async def test_a_token_slack_refuses_stops_serve_with_the_fix(tmp_path: Path) -> None:
    async with FakeSlack(bot_token=BOT_TOKEN) as fake:
        env = {"SLACK_BOT_TOKEN": "xoxb-revoked", "SLACK_SIGNING_SECRET": SIGNING_SECRET}
        env["SLACK_API_URL"] = fake.api_url
        async with started(["serve"], env, tmp_path) as serve:
            await asyncio.wait_for(serve.proc.wait(), 60)
    assert serve.proc.returncode == 2
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth). Fix:" in serve.err
    assert "Traceback" not in serve.err


async def test_the_worker_starts_without_a_signing_secret(tmp_path: Path) -> None:
    async with FakeSlack(bot_token=BOT_TOKEN) as fake:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": fake.api_url}
        async with started(["worker"], env, tmp_path) as worker:
            await worker.line("reminder worker started")
    assert worker.proc.returncode == 0, worker.err
    assert "SLACK_SIGNING_SECRET" not in worker.err
    for noise in NOISE:
        assert noise not in worker.err + worker.out, noise


async def test_health_reports_slack_separately_degraded_not_down(harness: Harness) -> None:
    ok = (await harness.http.get("/healthz")).json()
    assert ok["status"] == "ok" and ok["slack"] == "ok"

    await harness.fake.go_down()
    assert await harness.services.slack.check(harness.services.gateway) is SlackState.UNREACHABLE
    down = await harness.http.get("/healthz")
    assert down.status_code == 200
    assert down.json()["status"] == "degraded" and down.json()["slack"].startswith("unreachable")
    await harness.fake.come_back()

    harness.services.gateway.client.token = "xoxb-revoked"
    assert await harness.services.slack.check(harness.services.gateway) is SlackState.TOKEN_REFUSED
    refused = (await harness.http.get("/healthz")).json()
    assert refused["status"] == "degraded" and refused["slack"] == "token refused (invalid_auth)"
    harness.services.gateway.client.token = BOT_TOKEN


def test_serve_on_a_port_in_use_says_so_without_a_traceback(tmp_path: Path) -> None:
    from tests.test_cli import _run

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"http://127.0.0.1:{_free_port()}/api/",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.sqlite3'}",
            "LOG_LEVEL": "WARNING",
        }
        result = _run(["serve", "--host", "127.0.0.1", "--port", str(port)], env)
    assert result.returncode == 1
    assert f"Could not listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr
