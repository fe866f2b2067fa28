"""How a command line handler reaches the database, and fails in one clean line when it cannot.

Every command that reads or writes the database runs through :func:`run`: an unreachable server, a
database that does not exist, a schema that was never migrated (or is older than the code), a settings
or partnership file problem all end as one sentence with its fix on stderr and a non-zero exit code,
never a traceback. :func:`migrated` opens the database and checks its revision first, so a command
meets "run `reviewbot db upgrade`" instead of "no such table".
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from bot.cli.startup import StartupProblems
from bot.config.problems import ConfigError, format_problems
from bot.errors import UserFacingError
from bot.settings import Settings, SettingsError

# Handlers import the application (Slack, the database engine, the web app, the worker; structlog for
# the logs) when they run, not when the command line starts: `reviewbot --help`, `version`, `calendar`,
# `rules` and `check-config` answer without loading them (bot.cli imports every subcommand module).
if TYPE_CHECKING:
    from bot.db.engine import Database

EXIT_FAILED = 1
EXIT_SETTINGS = 2

_database_in_use: str | None = None  # for messages: the database the running command opened


def remember_database(url: str) -> None:
    global _database_in_use
    _database_in_use = url


class CommandFailed(Exception):
    """A command cannot go on: ``message`` (with its fix) is all the person needs to see."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def program() -> str:
    """How to name this command in a fix: the path it was started by when that is `reviewbot`."""
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is not None and started.name == "reviewbot":
        return str(started) if started.parent != Path() else "reviewbot"
    return "reviewbot"


def shown_url(url: str) -> str:
    """The database URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(an unreadable DATABASE_URL)"


def run(work: Callable[[], Awaitable[int]]) -> int:
    """Run an async handler; every expected failure becomes one line on stderr and an exit code."""
    remember_database("")
    try:
        return asyncio.run(_coroutine(work))
    except CommandFailed as exc:
        print(exc.message, file=sys.stderr)
        return exc.code
    except SettingsError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_SETTINGS
    except StartupProblems as exc:
        print(exc.text, file=sys.stderr)
        return EXIT_SETTINGS
    except ConfigError as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        return EXIT_SETTINGS
    except (OSError, SQLAlchemyError) as exc:
        print(database_failure(exc, _database_in_use or None), file=sys.stderr)
        return EXIT_FAILED


async def _coroutine(work: Callable[[], Awaitable[int]]) -> int:
    return await work()


def database_failure(exc: BaseException, database_url: str | None) -> str:
    """One sentence for a database that could not be reached or refused what was asked."""
    from bot.db.unavailable import is_database_unavailable

    where = f" at {shown_url(database_url)}" if database_url else ""
    fix = "Fix: check DATABASE_URL and that the server is up."
    if not isinstance(exc, DBAPIError):
        return f"Could not reach the database{where} ({type(exc).__name__}). {fix}"
    reason = str(exc.orig).strip().splitlines()[0][:200] if exc.orig is not None else type(exc).__name__
    if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
        return not_migrated_message(database_url)
    if is_database_unavailable(exc):
        return f"Could not reach the database{where} ({reason}). {fix}"
    return (
        f"The database{where} refused the request ({reason}). Fix: check DATABASE_URL names the right "
        "database and user."
    )


def not_migrated_message(database_url: str | None) -> str:
    where = f" at {shown_url(database_url)}" if database_url else ""
    return (
        f"The database{where} has no ReviewBot tables yet. Fix: run `{program()} db upgrade` "
        "(`reviewbot serve` also upgrades it on start)."
    )


async def migrated(settings: Settings) -> Database:
    """The database, checked to be reachable and at the code's migration head (else CommandFailed)."""
    return await migrated_at(settings.database_url)


async def migrated_at(url: str) -> Database:
    """:func:`migrated` for a database named on the command line."""
    from bot.db.engine import Database
    from bot.db.migrate import current_revision, head_revision, known_revisions

    remember_database(url)
    try:
        make_url(url)
    except ArgumentError:
        raise CommandFailed(
            "That is not a database URL. Fix: write sqlite+aiosqlite:///path/to/file.sqlite3 or "
            "postgresql+asyncpg://user:pass@host/db.",
            code=EXIT_SETTINGS,
        ) from None
    missing = missing_sqlite_file(url)
    if missing is not None:
        raise CommandFailed(
            f"There is no database file at {missing}. Fix: check DATABASE_URL, or create it with "
            f"`{program()} db upgrade`."
        )
    db = Database(url)
    try:
        revision = await current_revision(db)
    except BaseException:
        await db.dispose()
        raise
    head = head_revision()
    if revision == head:
        return db
    await db.dispose()
    if revision is None:
        raise CommandFailed(not_migrated_message(url))
    if revision not in known_revisions():
        raise CommandFailed(
            f"The database at {shown_url(url)} is at revision {revision}, which this "
            f"version of ReviewBot does not know (it is newer). Fix: run the newer ReviewBot, or restore a "
            "backup taken before it upgraded the database."
        )
    raise CommandFailed(
        f"The database at {shown_url(url)} is at revision {revision}; this version needs "
        f"{head}. Fix: run `{program()} db upgrade`."
    )


async def ensure_migrated(settings: Settings) -> None:
    """Check the database is reachable and migrated (else CommandFailed), for commands that then
    open it through the services."""
    db = await migrated(settings)
    await db.dispose()


def refused(exc: UserFacingError) -> CommandFailed:
    """A service's refusal as the command line says it: the message, then "Fix:" and the fix."""
    return CommandFailed(f"{exc.message.rstrip()} Fix: {exc.fix}" if exc.fix else exc.message)


def missing_sqlite_file(url: str) -> Path | None:
    """A plain SQLite file that does not exist (opening it would create an empty database)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    return None if path.exists() else path
