"""SQLite connections that run in the event loop's own thread, waiting for locks without blocking it.

aiosqlite runs every call (cursor, execute, fetch, close, commit) on a worker thread and hands the
result back through the event loop: four thread hand-offs per statement under SQLAlchemy, which
measured about 6 ms of wall time for an empty unit of work and 12 ms for `/review cases` on the
reference machine, and the queries themselves take microseconds. :class:`InlineConnection` keeps
aiosqlite's interface (so SQLAlchemy's aiosqlite dialect drives it unchanged) but runs each call
directly: the same unit of work takes well under a millisecond.

Waiting for a lock is the one thing that must not block the loop. The connection is opened with
SQLite's busy timeout at zero, so a locked database answers SQLITE_BUSY at once; the call is then
retried after an asyncio sleep (1 ms, doubling to 50 ms) for up to ``BUSY_TIMEOUT`` seconds, which
is what SQLite's own busy handler does, minus the blocking. A statement refused with SQLITE_BUSY
has done nothing, and a COMMIT refused with it leaves the transaction open to be retried (SQLite's
documented behaviour), so retrying the same call is safe. Every unit of work that may write begins
IMMEDIATE, so the write lock is taken (or waited for) at BEGIN and never mid-transaction; a read
(``Database.read``) runs each statement on its own and, in WAL mode, never waits for the writer.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from typing import Any

import aiosqlite

BUSY_TIMEOUT = 30.0
SQLITE_BUSY = 5
SQLITE_BUSY_SNAPSHOT = 517  # a stale read snapshot: retrying cannot help, the transaction must restart


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection without its worker thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self._tx = _RunAtOnce()  # type: ignore[assignment]  # SQLAlchemy queues onto it directly

    async def _connect(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    def __await__(self) -> Any:
        return self._connect().__await__()

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        # Let whatever else is ready run first (a request waiting for its ack): in-loop SQLite never
        # suspends otherwise, so a long unit of work would hold the loop from start to end.
        await asyncio.sleep(0)
        delay, deadline = 0.001, time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class _RunAtOnce:
    """Stands in for aiosqlite's queue to its thread: SQLAlchemy's adapter puts (future, function)
    pairs on it (to set the isolation level); they are run at once."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # handed to whoever awaits the future, as aiosqlite does
            if future is not None and not future.done():
                future.set_exception(exc)
            return
        if future is not None and not future.done():
            future.set_result(result)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return "database is locked" in str(exc)
    return (code & 0xFF) == SQLITE_BUSY and code != SQLITE_BUSY_SNAPSHOT


def async_creator(path: str) -> Callable[[], Any]:
    """For ``create_async_engine(..., async_creator=...)``: connections to the file at ``path``."""

    async def connect() -> InlineConnection:
        def open_file() -> sqlite3.Connection:
            # timeout=0: SQLite answers BUSY at once and InlineConnection waits asynchronously.
            return sqlite3.connect(path, timeout=0, check_same_thread=False)

        return await InlineConnection(open_file, 64)

    return connect
