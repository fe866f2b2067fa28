"""`reviewbot serve` as a real process in OAuth mode (no SLACK_BOT_TOKEN), against a small fake Slack
written here, independent of the project's stand-in: install through /slack/install and
/slack/oauth_redirect, the Home tab published with the installed team's token, nothing for a team
that never installed, and the token nowhere in the database file in the clear."""

from __future__ import annotations

import asyncio
import base64
import re
import signal
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web
from cryptography.fernet import Fernet

from bot.sandbox.harness import SIGNING_SECRET
from bot.sandbox.signed_requests import SlackRequestFactory
from tests.serve_process_helpers import free_port, health_once_up, serve_env, start_serve, stop_serve

CLIENT_ID, CLIENT_SECRET = "111.222", "independent-secret"
TEAM, OTHER_TEAM = "T0INDEP001", "T0NEVER001"
BOT_TOKEN_ISSUED = "xoxb-111-222-IndependentFakeSecretToken"


class IndependentSlack:
    """oauth.v2.access in Slack's documented shape, views.publish and api.test; records every call
    with the bearer token it carried."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None, dict[str, Any]]] = []
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params |= await request.json()
        elif request.can_read_body:
            params |= dict(await request.post())
        auth = request.headers.get("Authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else None
        self.calls.append((method, token, params))
        if method == "oauth.v2.access":
            basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if auth != f"Basic {basic}" or params.get("code") != "independent-code":
                return web.json_response({"ok": False, "error": "invalid_code"})
            return web.json_response(
                {
                    "ok": True,
                    "access_token": BOT_TOKEN_ISSUED,
                    "token_type": "bot",
                    "scope": "commands,chat:write,im:write",
                    "bot_user_id": "U0INDEPBOT",
                    "app_id": "A0INDEPAPP",
                    "team": {"name": "Independent (synthetic)", "id": TEAM},
                    "enterprise": None,
                    "authed_user": {"id": "U0INSTALLR"},
                    "is_enterprise_install": False,
                }
            )
        if method == "api.test":
            return web.json_response({"ok": True, "args": {}})
        if token != BOT_TOKEN_ISSUED:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if method == "views.publish":
            return web.json_response({"ok": True, "view": {"id": "V0INDEP001"}})
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": "D0INDEP001"}})
        return web.json_response({"ok": True, "ts": "1.000001", "channel": "C0INDEP001"})


async def test_serve_in_oauth_mode_installs_and_serves_only_the_installed_team(tmp_path: Path) -> None:
    slack = IndependentSlack()
    await slack.start()
    db_file = tmp_path / "serve.sqlite3"
    port = free_port()
    env = serve_env(
        {
            "SLACK_CLIENT_ID": CLIENT_ID,
            "SLACK_CLIENT_SECRET": CLIENT_SECRET,
            "REVIEWBOT_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"http://127.0.0.1:{slack.port}/api/",
            "DATABASE_URL": f"sqlite+aiosqlite:///{db_file}",
            "LOG_LEVEL": "INFO",
        }
    )
    proc = await start_serve(env, port)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", trust_env=False) as client:
            health = await health_once_up(client, tries=200)
            assert health.status_code == 200, health.text

            page = await client.get("/slack/install")
            assert page.status_code == 200
            state = re.search(r"state=([A-Za-z0-9_\-]+)", page.text)
            assert state and f"client_id={CLIENT_ID}" in page.text
            done = await client.get(
                "/slack/oauth_redirect", params={"code": "independent-code", "state": state.group(1)}
            )
            assert done.status_code == 200, done.text

            ours = SlackRequestFactory(SIGNING_SECRET, team_id=TEAM).app_home_opened("U0BM00001")
            answer = await client.post("/slack/events", content=ours.body, headers=ours.headers)
            assert answer.status_code == 200
            for _ in range(100):
                if any(m == "views.publish" for m, _t, _p in slack.calls):
                    break
                await asyncio.sleep(0.05)
            publishes = [(t, p) for m, t, p in slack.calls if m == "views.publish"]
            assert publishes and publishes[0][0] == BOT_TOKEN_ISSUED
            assert publishes[0][1]["user_id"] == "U0BM00001"

            before = len(slack.calls)
            theirs = SlackRequestFactory(SIGNING_SECRET, team_id=OTHER_TEAM).app_home_opened("U0BM00001")
            refused = await client.post("/slack/events", content=theirs.body, headers=theirs.headers)
            assert refused.status_code == 200
            await asyncio.sleep(0.5)
            assert slack.calls[before:] == []  # nothing for a team that never installed
    finally:
        _out, err = await stop_serve(proc)
        await slack.stop()
    assert proc.returncode in (0, -signal.SIGTERM), err.decode()[-2000:]
    assert b"Traceback" not in err
    assert BOT_TOKEN_ISSUED.encode() not in err and BOT_TOKEN_ISSUED.encode() not in _out
    stored = _file_bytes(tmp_path)
    assert BOT_TOKEN_ISSUED.encode() not in stored
    assert b"slack_installations" in stored


def _file_bytes(folder: Path) -> bytes:
    """The SQLite database file with its WAL and journal, if any."""
    return b"".join(p.read_bytes() for p in sorted(folder.glob("serve.sqlite3*")) if p.is_file())
