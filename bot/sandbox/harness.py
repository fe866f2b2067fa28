"""The bot wired to the local Slack stand-in: used by the end-to-end tests and by `reviewbot demo`.

It builds exactly what production builds (settings -> services -> bolt app -> FastAPI app) but
points SLACK_API_URL at :class:`FakeSlack` and sends correctly signed requests through the real
HTTP endpoint, either in-process (ASGI transport) or over a real loopback socket (uvicorn).
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from fastapi import FastAPI
from slack_bolt.async_app import AsyncApp

from bot.clock import Clock, SystemClock
from bot.commands.registry import Features
from bot.db.migrate import upgrade
from bot.people.store import refresh_people
from bot.runtime.assembly import build_http_app, build_services
from bot.runtime.services import Services
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.signed_requests import SignedRequest, SlackRequestFactory
from bot.settings import BUNDLED_EXAMPLE_CONFIG, Settings
from bot.slack.gateway import required_scopes

SIGNING_SECRET = "sandbox-signing-secret"  # noqa: S105 - a fixed secret for the local stand-in only
BOT_TOKEN = "xoxb-sandbox-token"  # noqa: S105
APP_TOKEN = "xapp-sandbox-token"  # noqa: S105
# A fixed Fernet key for the stand-in only (OAuth mode): never use it for real tokens.
ENCRYPTION_KEY = "c2FuZGJveC1rZXktbm90LWZvci1yZWFsLXRva2Vucz0="


@dataclass
class Harness:
    fake: FakeSlack
    slack: SlackRequestFactory
    services: Services
    api: FastAPI
    bolt_app: AsyncApp
    features: Features
    http: httpx.AsyncClient
    _server: Any = None
    _server_task: asyncio.Task[None] | None = None

    @classmethod
    async def start(
        cls,
        *,
        database_url: str,
        config_path: Path | None = None,
        clock: Clock | None = None,
        over_http: bool = False,
        with_worker: bool = False,
        run_migrations: bool = True,
        features: list[ModuleType] | None = None,
        fake: FakeSlack | None = None,
        socket_mode: bool = False,
        oauth: bool = False,
        people_recheck_seconds: float = 0.0,
    ) -> Harness:
        """``oauth``: many workspaces (SLACK_CLIENT_ID/SECRET and REVIEWBOT_ENCRYPTION_KEY, no
        SLACK_BOT_TOKEN); nothing is installed until a test goes through /slack/install."""
        for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
            os.environ.pop(proxy, None)
        clock = clock or SystemClock()
        if fake is None:
            # Installed as app.yaml asks: exactly the scopes the bot needs, so a call needing another fails.
            fake = FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN, clock=clock, scopes=required_scopes())
            await fake.start()
        config_file = config_path or BUNDLED_EXAMPLE_CONFIG
        oauth_settings: dict[str, Any] = (
            {
                "SLACK_CLIENT_ID": fake.client_id,
                "SLACK_CLIENT_SECRET": fake.client_secret,
                "REVIEWBOT_ENCRYPTION_KEY": ENCRYPTION_KEY,
            }
            if oauth
            else {}
        )
        settings = Settings(
            SLACK_BOT_TOKEN="" if oauth else BOT_TOKEN,
            **oauth_settings,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.api_url,
            DATABASE_URL=database_url,
            REVIEWBOT_CONFIG=config_file,
            SLACK_PACE_SECONDS=0,
            # Tests change people from other processes (the CLI) and expect the next request to see it.
            REVIEWBOT_PEOPLE_RECHECK_SECONDS=people_recheck_seconds,
            SLACK_APP_TOKEN=APP_TOKEN if socket_mode else None,
        )
        services = build_services(settings, clock=clock)
        seed_workspace(fake, services)
        services.gateway.backoff_seconds = 0.01
        if run_migrations:
            await upgrade(services.db)
        await refresh_people(services)  # as serve does on start: the file's people on first start
        api, bolt_app, registry = build_http_app(
            services, with_worker=with_worker, upgrade_on_start=False, features=features
        )
        slack = SlackRequestFactory(SIGNING_SECRET, fake=fake)
        harness = cls(
            fake=fake,
            slack=slack,
            services=services,
            api=api,
            bolt_app=bolt_app,
            features=registry,
            http=httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://bot.test"),
        )
        if over_http:
            await harness._serve_over_loopback()
        return harness

    async def _serve_over_loopback(self) -> None:
        import uvicorn

        config = uvicorn.Config(
            self.api, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="on"
        )
        self._server = uvicorn.Server(config)
        self._server_task = asyncio.create_task(self._server.serve())
        while not self._server.started:  # uvicorn offers no start event  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        await self.http.aclose()
        self.http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", trust_env=False)

    @property
    def url(self) -> str:
        return str(self.http.base_url)

    async def send(self, request: SignedRequest, *, drain: bool = True) -> httpx.Response:
        """POST a signed Slack request to /slack/events, then let the after-ack work finish.

        For a slash command acked with an empty body and answered through its response_url (every
        subcommand but help), the answer the person sees is returned in place of the empty ack once
        the work is drained, as a 200 with that JSON body.
        """
        response = await self.http.post("/slack/events", content=request.body, headers=request.headers)
        if drain:
            await self.services.tasks.drain()
            if not response.content and response.status_code == 200:
                return self._answer_for(request, response)
        return response

    def _answer_for(self, request: SignedRequest, ack: httpx.Response) -> httpx.Response:
        url = request.payload.get("response_url")
        if "command" not in request.payload or not isinstance(url, str):
            return ack
        hook_id = url.rstrip("/").rsplit("/", 1)[-1]
        answers = [r for r in self.fake.responses if r.hook_id == hook_id and r.ok]
        if not answers:
            return ack
        return httpx.Response(200, json=answers[0].body, request=ack.request)

    async def submit_view(self, request: SignedRequest, user: str) -> httpx.Response:
        """Submit a modal and apply the ack to the stand-in's view stack, as Slack would."""
        response = await self.send(request)
        if response.status_code == 200:
            body = response.json() if response.content else None
            self.fake.apply_view_submission_ack(user, body)
        return response

    async def command(
        self, text: str, *, user: str, channel: str = "C0GENERAL", drain: bool = True
    ) -> httpx.Response:
        return await self.send(
            self.slack.slash_command("/review", text, user_id=user, channel_id=channel), drain=drain
        )

    async def close(self) -> None:
        await self.services.tasks.drain()
        if self._server is not None:
            self._server.should_exit = True
            if self._server_task is not None:
                await self._server_task
        await self.http.aclose()
        await self.services.gateway.close()
        await self.services.db.dispose()
        await self.fake.stop()


OUTSIDER = "U0OUTSIDE01"  # a workspace member in no partnership (synthetic)


def seed_workspace(fake: FakeSlack, services: Services) -> None:
    """Everyone in the partnership file, one outsider, and the partnerships' channels."""
    fake.add_user(OUTSIDER)
    for partnership in services.config.partnerships:
        for person in partnership.people:
            fake.add_user(person.slack_user_id)
        managers = [p.slack_user_id for p in partnership.people_with_role("business_manager")]
        fake.add_channel(
            partnership.channels.business_unit,
            f"{partnership.id}-business-unit",
            members=managers,
            is_private=True,
        )
        fake.add_channel(
            partnership.channels.board, f"{partnership.id}-board", members=managers, is_private=False
        )
    fake.add_channel("C0GENERAL", "general", members=[OUTSIDER], is_private=False)


def ephemeral_text(response: httpx.Response) -> str:
    """The text of a command's private answer (the ack body, or the response_url answer that
    :meth:`Harness.send` returns in its place)."""
    data: dict[str, Any] = response.json()
    return str(data.get("text", ""))
