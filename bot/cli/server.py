"""serve, worker, db upgrade, version."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import TYPE_CHECKING

from bot import __version__
from bot.config.problems import ConfigError, format_problems
from bot.runtime.heap import settle_after_startup
from bot.settings import Settings, SettingsError, load_settings

# Handlers import the application (Slack, the database engine, the web app, the worker; structlog for
# the logs) when they run, not when the command line starts: `reviewbot --help`, `version`, `calendar`,
# `rules` and `check-config` answer without loading them (bot.cli imports every subcommand module).
if TYPE_CHECKING:
    from bot.runtime.services import Services


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser(
        "serve", help="serve Slack requests over HTTP (and Socket Mode when SLACK_APP_TOKEN is set)"
    )
    serve.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")  # noqa: S104
    group = serve.add_mutually_exclusive_group()
    group.add_argument(
        "--with-worker",
        dest="with_worker",
        action="store_true",
        default=None,
        help="also run the reminder worker in this process (default with SQLite)",
    )
    group.add_argument(
        "--no-worker",
        dest="with_worker",
        action="store_false",
        help="HTTP only; run `reviewbot worker` separately (PostgreSQL deployments)",
    )
    serve.set_defaults(handler=run_serve)

    worker = sub.add_parser("worker", help="run the reminder worker (the scheduler role) only")
    worker.set_defaults(handler=run_worker)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    up = db_sub.add_parser("upgrade", help="apply every migration to DATABASE_URL")
    up.set_defaults(handler=run_db_upgrade)

    version = sub.add_parser("version", help="print the version")
    version.set_defaults(handler=lambda _args: _print_version())


def _print_version() -> int:
    print(f"reviewbot {__version__}")
    return 0


def _settings(require_slack: bool) -> Settings | None:
    try:
        return load_settings(require_slack=require_slack)
    except SettingsError as exc:
        print(exc.render(), file=sys.stderr)
        return None


def run_serve(args: argparse.Namespace) -> int:
    settings = _settings(require_slack=True)
    if settings is None:
        return 2
    with_worker = settings.is_sqlite if args.with_worker is None else bool(args.with_worker)
    try:
        return asyncio.run(_serve(settings, args.host, args.port, with_worker))
    except ConfigError as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        return 2


async def _serve(settings: Settings, host: str, port: int, with_worker: bool) -> int:
    import uvicorn

    from bot.observability import configure_logging
    from bot.runtime.assembly import build_http_app, build_services

    configure_logging(settings.log_level)
    services = build_services(settings)
    if not await _upgraded(services):
        return 1
    api, bolt_app, _ = build_http_app(services, with_worker=with_worker, upgrade_on_start=False)
    settle_after_startup()
    server = uvicorn.Server(uvicorn.Config(api, host=host, port=port, log_level="warning", access_log=False))
    socket_handler = None
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        socket_handler = AsyncSocketModeHandler(bolt_app, app_token=settings.slack_app_token)
        await socket_handler.connect_async()
    try:
        await server.serve()
    finally:
        if socket_handler is not None:
            await socket_handler.close_async()
    return 0


def run_worker(_args: argparse.Namespace) -> int:
    settings = _settings(require_slack=True)
    if settings is None:
        return 2
    try:
        return asyncio.run(_work(settings))
    except ConfigError as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        return 2


async def _work(settings: Settings) -> int:
    from bot.observability import configure_logging
    from bot.reminders.scheduler import Worker
    from bot.runtime.assembly import build_services

    configure_logging(settings.log_level)
    services = build_services(settings)
    if not await _upgraded(services):
        return 1
    worker = Worker(services)
    settle_after_startup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await worker.start()
    try:
        await stop.wait()
    finally:
        try:
            await worker.stop()
            await services.tasks.drain(timeout=30)
        finally:
            await services.gateway.close()
            await services.db.dispose()
    return 0


async def _upgraded(services: Services) -> bool:
    """Bring the schema up to date before serving; say plainly why not if it can't be."""
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db.migrate import upgrade

    try:
        await upgrade(services.db)
        return True
    except (OSError, SQLAlchemyError) as exc:
        print(f"Could not reach or upgrade the database ({type(exc).__name__}). Check DATABASE_URL and that "
              "the server is up.", file=sys.stderr)
    except CommandError as exc:
        print(f"The database migrations could not be applied: {exc}", file=sys.stderr)
    await services.db.dispose()
    return False


def run_db_upgrade(_args: argparse.Namespace) -> int:
    settings = _settings(require_slack=False)
    if settings is None:
        return 2

    async def _run() -> str | None:
        from bot.db.engine import Database
        from bot.db.migrate import current_revision, upgrade

        db = Database(settings.database_url)
        try:
            await upgrade(db)
            return await current_revision(db)
        finally:
            await db.dispose()

    try:
        revision = asyncio.run(_run())
    except OSError as exc:
        print(
            f"Could not reach the database: {type(exc).__name__}. "
            "Check DATABASE_URL and that the server is up.",
            file=sys.stderr,
        )
        return 1
    print(f"Database at revision {revision}.")
    return 0
