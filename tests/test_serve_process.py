"""`reviewbot serve --with-worker` as a real process: answers signed requests, health, stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx

from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.harness import BOT_TOKEN, SIGNING_SECRET
from bot.sandbox.signed_requests import SlackRequestFactory

ROOT = Path(__file__).parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_serve_process_answers_and_stops(tmp_path: Path) -> None:
    async with FakeSlack(bot_token=BOT_TOKEN) as fake:
        fake.add_user("U0BM00001")
        port = _free_port()
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "REVIEWBOT_"))
        }
        env |= {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.sqlite3'}",
            "LOG_LEVEL": "WARNING",
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", trust_env=False) as client:
                for _ in range(100):
                    try:
                        health = await client.get("/healthz")
                        break
                    except httpx.TransportError:
                        await asyncio.sleep(0.1)
                assert health.status_code == 200 and health.json()["database"] == "ok"
                request = SlackRequestFactory(SIGNING_SECRET, fake=fake).slash_command(
                    "/review", "help", user_id="U0BM00001"
                )
                answer = await client.post("/slack/events", content=request.body, headers=request.headers)
                assert answer.status_code == 200 and "/review notify" in answer.json()["text"]
        finally:
            proc.send_signal(signal.SIGTERM)
            _out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        # uvicorn shuts down gracefully, then re-raises the signal it caught (exit status -15)
        assert proc.returncode in (0, -signal.SIGTERM), err.decode()[-2000:]
        assert b"Traceback" not in err
