"""Assembling a running bot from settings: services, the HTTP app, the worker."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import ModuleType

from fastapi import FastAPI
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.clock import Clock, SystemClock
from bot.commands.app import create_bolt_app
from bot.commands.registry import Features
from bot.config.loading import load_config
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.observability import get_logger, quiet_library_logger
from bot.people.store import refresh_people
from bot.reminders.dispatch import queue_depth
from bot.reminders.scheduler import Worker
from bot.runtime.features import build_wiring
from bot.runtime.services import Services
from bot.runtime.web import create_web_app
from bot.settings import Settings
from bot.slack.gateway import SlackGateway
from bot.webhook.api import build_router

log = get_logger(__name__)


def build_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    services = Services(
        settings=settings,
        config=load_config(settings.reviewbot_config),
        clock=clock or SystemClock(),
        db=Database(settings.database_url),
        gateway=SlackGateway.create(
            settings.slack_bot_token or "xoxb-not-set",
            settings.slack_api_url,
            pace_seconds=settings.slack_pace_seconds,
        ),
        wiring=build_wiring(),
    )

    async def _queue_depth() -> None:
        try:
            services.metrics.queue_depth.set(await queue_depth(services))
        except Exception:  # a scrape must still answer while the database is down  # noqa: S110
            pass

    services.metrics.on_scrape(_queue_depth)
    return services


def build_http_app(
    services: Services,
    *,
    with_worker: bool,
    upgrade_on_start: bool = True,
    features: list[ModuleType] | None = None,
) -> tuple[FastAPI, AsyncApp, Features]:
    """The FastAPI app. The schema is upgraded on start (on PostgreSQL under an advisory lock)."""
    bolt_app, registry = create_bolt_app(services, features=features)
    on_startup: list[Callable[[], Awaitable[None]]] = []
    on_shutdown: list[Callable[[], Awaitable[None]]] = []
    if upgrade_on_start:

        async def _upgrade() -> None:
            await upgrade(services.db)

        on_startup.append(_upgrade)

    async def _people() -> None:
        # First start: a partnership with no people in the database gets its file's people now, before
        # any request (bot.people.store). Best effort: the gate does the same before every request.
        try:
            await refresh_people(services)
        except Exception as exc:  # the database may still be starting; health says so
            log.warning("people.startup_refresh_failed", error=type(exc).__name__)

    on_startup.append(_people)
    if with_worker:
        worker = Worker(services)
        on_startup.append(worker.start)
        on_shutdown.append(worker.stop)
    api = create_web_app(
        services, bolt_app, on_startup=on_startup, on_shutdown=on_shutdown, routers=_api_routers(services)
    )
    return api, bolt_app, registry


def _api_routers(services: Services) -> list[object]:
    return [build_router(services)]


class SocketModeLink:
    """Socket Mode, connected in the background: HTTP (health, metrics) and the in-process worker never
    wait for it.

    slack_sdk's client keeps trying until Slack answers (every ``ping_interval`` seconds), and
    reconnects by itself afterwards; its log lines keep their one line each, without a traceback.
    """

    def __init__(self, services: Services, bolt_app: AsyncApp, *, ping_interval: float = 10) -> None:
        self.services = services
        self.handler = AsyncSocketModeHandler(
            bolt_app,
            app_token=services.settings.slack_app_token,
            logger=quiet_library_logger("slack_sdk.socket_mode", tracebacks=False),
            ping_interval=ping_interval,
        )
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.services.slack.socket_mode = self.connected
        self._task = asyncio.create_task(self._connect(), name="socket-mode-connect")

    async def _connect(self) -> None:
        log.info("socket_mode.connecting")
        await self.handler.connect_async()
        log.info("socket_mode.connected")

    async def connected(self) -> bool:
        return bool(await self.handler.client.is_connected())

    async def close(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        await self.handler.close_async()
