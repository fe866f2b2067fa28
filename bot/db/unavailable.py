"""Telling a lost database connection from a bug (the message for it: bot.errors.DATABASE_UNAVAILABLE)."""

from __future__ import annotations

from aiohttp import ClientError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout


def is_database_unavailable(exc: BaseException) -> bool:
    """A lost or refused database connection (as opposed to a bug).

    asyncpg raises plain OSErrors when it cannot connect, so those count; an HTTP client's errors (the
    Slack gateway turns its own into SlackUnavailable) never do, whatever they subclass.
    """
    if isinstance(exc, ClientError):
        return False
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout | ConnectionError | TimeoutError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError)
