"""`reviewbot serve --with-worker` as a real process: answers signed requests, health, stops cleanly."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.harness import BOT_TOKEN, SIGNING_SECRET
from bot.sandbox.signed_requests import SlackRequestFactory
from tests.serve_process_helpers import free_port, health_once_up, serve_env, start_serve, stop_serve


async def test_serve_process_answers_and_stops(tmp_path: Path) -> None:
    async with FakeSlack(bot_token=BOT_TOKEN) as fake:
        fake.add_user("U0BM00001")
        port = free_port()
        env = serve_env(
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": fake.api_url,
                "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.sqlite3'}",
                "LOG_LEVEL": "WARNING",
            }
        )
        proc = await start_serve(env, port)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", trust_env=False) as client:
                health = await health_once_up(client, tries=100)
                assert health.status_code == 200 and health.json()["database"] == "ok"
                request = SlackRequestFactory(SIGNING_SECRET, fake=fake).slash_command(
                    "/review", "help", user_id="U0BM00001"
                )
                answer = await client.post("/slack/events", content=request.body, headers=request.headers)
                assert answer.status_code == 200 and "/review notify" in answer.json()["text"]
        finally:
            _out, err = await stop_serve(proc)
        # uvicorn shuts down gracefully, then re-raises the signal it caught (exit status -15)
        assert proc.returncode in (0, -signal.SIGTERM), err.decode()[-2000:]
        assert b"Traceback" not in err
