"""serve, worker, db upgrade, version."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import TYPE_CHECKING

from bot import __version__
from bot.cli.database import EXIT_SETTINGS, CommandFailed, program, remember_database, run
from bot.cli.startup import settings_or_raise
from bot.runtime.heap import settle_after_startup
from bot.settings import Settings

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


def run_serve(args: argparse.Namespace) -> int:
    async def _run() -> int:
        settings = settings_or_raise(require_slack=True)
        with_worker = settings.is_sqlite if args.with_worker is None else bool(args.with_worker)
        if settings.is_sqlite and not with_worker:
            print(
                "Warning: --no-worker on SQLite: this process will send no reminders, and SQLite is for "
                "one process, so nothing else should run against it. Fix: drop --no-worker, or use "
                "PostgreSQL and run `reviewbot worker` beside it.",
                file=sys.stderr,
                flush=True,
            )
        return await _serve(settings, args.host, args.port, with_worker)

    return run(_run)


async def _serve(settings: Settings, host: str, port: int, with_worker: bool) -> int:
    import uvicorn

    from bot.observability import configure_logging
    from bot.runtime.assembly import SocketModeLink, build_http_app, build_services

    configure_logging(settings.log_level)
    remember_database(settings.database_url)
    services = build_services(settings)
    try:
        await _upgraded(services)
        if not await _slack_answers(services):
            return EXIT_SETTINGS
        api, bolt_app, _ = build_http_app(services, with_worker=with_worker, upgrade_on_start=False)
    except BaseException:
        await services.gateway.close()
        await services.db.dispose()
        raise
    settle_after_startup()
    server = uvicorn.Server(uvicorn.Config(api, host=host, port=port, log_level="warning", access_log=False))
    link = SocketModeLink(services, bolt_app) if settings.socket_mode else None

    async def _once_listening() -> None:
        while not server.started:  # uvicorn offers no start event  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        print(_listening(settings, host, port, with_worker), flush=True)
        if link is not None:
            link.start()  # in the background: health, metrics and the worker do not wait for it

    announcing = asyncio.create_task(_once_listening())
    try:
        await server.serve()  # here, not in a task: uvicorn's SystemExit when it cannot listen lands below
    except SystemExit:
        raise CommandFailed(
            f"Could not listen on {host}:{port} (see the line above). Fix: choose another --port or --host."
        ) from None
    finally:
        announcing.cancel()
        if link is not None:
            await link.close()
    return 0


def _listening(settings: Settings, host: str, port: int, with_worker: bool) -> str:
    shown = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    where = " (all interfaces)" if host in ("0.0.0.0", "::") else ""  # noqa: S104
    lines = [
        f"ReviewBot {__version__} listening on {shown}{where}: Slack requests at {shown}/slack/events, "
        f"health {shown}/healthz, metrics {shown}/metrics, API docs {shown}/docs.",
        "Reminder worker: "
        + ("running in this process." if with_worker else "not in this process (run `reviewbot worker`)."),
    ]
    if settings.socket_mode:
        lines.append("Socket Mode: connecting to Slack in the background (see /healthz).")
    if settings.oauth_mode:
        lines.append(
            f"OAuth installs: add a workspace at {shown}/slack/install (Slack returns to "
            f"{shown}/slack/oauth_redirect)."
        )
    return "\n".join(lines)


def run_worker(_args: argparse.Namespace) -> int:
    async def _run() -> int:
        # The worker posts to Slack but never receives a request: no Signing Secret needed.
        settings = settings_or_raise(require_slack=True, require_signing_secret=False)
        return await _work(settings)

    return run(_run)


async def _work(settings: Settings) -> int:
    from bot.observability import configure_logging
    from bot.reminders.scheduler import Worker
    from bot.runtime.assembly import build_services

    configure_logging(settings.log_level)
    remember_database(settings.database_url)
    services = build_services(settings)
    try:
        await _upgraded(services)
        if not await _slack_answers(services):
            return EXIT_SETTINGS
    except BaseException:
        await services.gateway.close()
        await services.db.dispose()
        raise
    worker = Worker(services)
    settle_after_startup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await worker.start()
    print(f"ReviewBot {__version__} reminder worker started (every {settings.tick_seconds:g} s).", flush=True)
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


async def _upgraded(services: Services) -> None:
    """Bring the schema up to date before serving; say plainly why not if it can't be."""
    from alembic.util.exc import CommandError

    from bot.db.migrate import upgrade

    try:
        await upgrade(services.db)
    except CommandError as exc:
        raise CommandFailed(f"The database migrations could not be applied: {exc}") from None


async def _slack_answers(services: Services) -> bool:
    """Check the bot token once at start-up (auth.test). A token Slack refuses stops the bot with the
    fix; Slack not answering does not: the bot starts degraded and /healthz says so."""
    from bot.slack.gateway import required_scopes
    from bot.slack.status import SlackState

    status = services.slack
    state = await status.check(services.gateway, timeout=5)
    if state is SlackState.TOKEN_REFUSED:
        print(
            f"Slack refused SLACK_BOT_TOKEN ({status.code}). Fix: copy the Bot User OAuth Token (xoxb-) "
            "again from the app's 'OAuth & Permissions' page; reinstall the app if it was revoked.",
            file=sys.stderr,
        )
        return False
    if state is not SlackState.OK:
        print(
            f"Warning: Slack did not answer auth.test at {services.settings.slack_api_url} ({status.code}); "
            "starting anyway. /healthz reports Slack as degraded until it answers.",
            file=sys.stderr,
            flush=True,
        )
        return True
    granted = status.identity.scopes if status.identity is not None else None
    missing = sorted(required_scopes() - granted) if granted is not None else []
    if missing:
        print(
            f"Warning: the bot token lacks the scope(s) {', '.join(missing)} that app.yaml asks for; the "
            f"commands that need them will fail. Fix: reinstall the app from app.yaml (run "
            f"`{program()} doctor` for every check).",
            file=sys.stderr,
            flush=True,
        )
    return True


def run_db_upgrade(_args: argparse.Namespace) -> int:
    async def _run() -> int:
        from alembic.util.exc import CommandError

        from bot.db.engine import Database
        from bot.db.migrate import current_revision, upgrade

        settings = settings_or_raise(require_slack=False)
        remember_database(settings.database_url)
        db = Database(settings.database_url)
        try:
            await upgrade(db)
            revision = await current_revision(db)
        except CommandError as exc:
            raise CommandFailed(f"The database migrations could not be applied: {exc}") from None
        finally:
            await db.dispose()
        print(f"Database at revision {revision}.")
        return 0

    return run(_run)
