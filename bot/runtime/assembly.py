"""Assembling a running bot from settings: services, the HTTP app, the worker."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import ModuleType

from fastapi import FastAPI
from slack_bolt.async_app import AsyncApp

from bot.clock import Clock, SystemClock
from bot.commands.app import create_bolt_app
from bot.commands.registry import Features
from bot.config.loading import load_config
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.reminders.dispatch import queue_depth
from bot.reminders.scheduler import Worker
from bot.runtime.features import build_wiring
from bot.runtime.services import Services
from bot.runtime.web import create_web_app
from bot.settings import Settings
from bot.slack.gateway import SlackGateway
from bot.webhook.api import build_router


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
