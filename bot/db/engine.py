"""Database engine, sessions and the column types every model shares.

SQLite (through aiosqlite) is the embedded default; PostgreSQL (asyncpg) is production. Both hold
only timezone-aware UTC instants: :class:`UTCDateTime` refuses naive values on the way in and puts
the zone back on the way out (SQLite stores none).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event, make_url, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from bot.db.postgres import ping_when_idle
from bot.db.sqlite import async_creator
from bot.db.urls import async_url

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant. Naive datetimes are a bug and are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def insert_for(dialect_name: str) -> Any:
    """The dialect's INSERT (with ON CONFLICT support): PostgreSQL's, else SQLite's."""
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


class Database:
    """One engine and session factory for the process."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        url = async_url(url)
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        inline = self.is_sqlite and _sqlite_file(url)
        if inline:
            kwargs["async_creator"] = async_creator(inline)
        elif self.is_sqlite:
            kwargs["connect_args"] = {"timeout": 30}
        else:
            # Idle connections are pinged at checkout (bot.db.postgres) so the pool notices a restarted
            # PostgreSQL and reconnects by itself; the timeouts keep a request from hanging while the
            # server is away.
            kwargs.update(
                pool_size=10,
                max_overflow=20,
                pool_recycle=1800,
                pool_timeout=5,
                connect_args={"timeout": 2, "command_timeout": 10},
            )
        kwargs["hide_parameters"] = True  # never put bound values (which may be form text) in errors
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            _sqlite_one_writer(self.engine, busy_timeout_ms=0 if inline else 30_000)
            reader = self.engine.execution_options(**{_READ_ONLY: True})
        else:
            ping_when_idle(self.engine)
            reader = self.engine.execution_options(isolation_level="AUTOCOMMIT", **{_READ_ONLY: True})
        _refuse_writes(reader)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.readers = async_sessionmaker(reader, expire_on_commit=False, autoflush=False)
        self._gate = _SqliteGate() if self.is_sqlite else None
        self.statement_count = 0
        event.listen(self.engine.sync_engine, "before_cursor_execute", self._count)

    def _count(self, *args: Any) -> None:
        self.statement_count += 1

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: commits on success, rolls back on any error.

        SQLite takes one writer at a time and every unit of work here begins IMMEDIATE, so units of
        work in this process queue on an asyncio gate first: waiting there costs nothing, whereas
        waiting in SQLite's busy handler sleeps in growing steps (tails of seconds at concurrency 20).
        Other processes still meet at SQLite's lock and busy timeout.
        """
        if self._gate is None:
            async with self.sessions() as session, session.begin():
                yield session
            return
        async with self._gate, self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only unit of work: for code that only looks.

        It runs without BEGIN and COMMIT (autocommit), so each statement reads its own snapshot. That
        is what PostgreSQL's READ COMMITTED gives inside a transaction too (on SQLite two statements of
        one read may see a commit land between them), two round trips sooner
        (about 0.2 ms of CPU a unit of work here); on SQLite (WAL) a read neither waits for nor holds
        the write lock, so it skips the in-process writers' gate. Code that needs one snapshot across
        statements, or a lock, uses :meth:`session`. INSERT, UPDATE and DELETE are refused before
        they reach the database, and so is leaving changed objects behind.
        """
        async with self.readers() as session:  # nothing to commit: closing hands the connection back
            yield session
            if session.new or session.dirty or session.deleted:
                raise ReadOnlyViolation("a read-only unit of work changed objects")

    @property
    def insert(self) -> Any:
        """INSERT with ON CONFLICT for this database (idempotent writes keyed by unique columns)."""
        return insert_for(self.engine.dialect.name)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


class _SqliteGate:
    """An asyncio lock that the task holding it may take again (a unit of work opened inside another
    in the same task must not wait for itself)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0

    async def __aenter__(self) -> None:
        task = asyncio.current_task()
        if self._owner is not task or task is None:
            await self._lock.acquire()
            self._owner = task
        self._depth += 1

    async def __aexit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()


def _sqlite_file(url: str) -> str | None:
    """The file of a plain SQLite URL (run in the loop's thread by bot.db.sqlite), else None."""
    parsed = make_url(url)
    if parsed.drivername != "sqlite+aiosqlite" or parsed.query or not parsed.database:
        return None
    return None if parsed.database == ":memory:" else parsed.database


def _sqlite_one_writer(engine: AsyncEngine, *, busy_timeout_ms: int) -> None:
    """SQLite: WAL, foreign keys, and BEGIN IMMEDIATE so writers queue instead of failing mid-way.

    With in-loop connections the busy timeout is zero and waiting is asynchronous (bot.db.sqlite).
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        if not conn.get_execution_options().get(_READ_ONLY):  # a read runs each statement on its own
            conn.exec_driver_sql("BEGIN IMMEDIATE")


class ReadOnlyViolation(RuntimeError):
    """Code holding a read-only unit of work tried to write (a bug, never the user's doing)."""


_READ_ONLY = "reviewbot_read_only"
_WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "CREATE", "DROP", "ALTER", "TRUNCAT", "UPSERT")


def _refuse_writes(reader: AsyncEngine) -> None:
    """Refuse INSERT, UPDATE and DELETE on the read-only engine (its autocommit would keep them)."""

    @event.listens_for(reader.sync_engine, "before_cursor_execute")
    def _check(_conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
        flagged = context is not None and (context.isinsert or context.isupdate or context.isdelete)
        if flagged or _writes(statement):
            raise ReadOnlyViolation("a read-only unit of work tried to write")


_LEADING_COMMENTS = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.DOTALL)
_WRITE_IN_WITH = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|MERGE\s+INTO)\b", re.IGNORECASE
)


def _writes(statement: str) -> bool:
    """Whether SQL text would write: a guard against mistakes in our own code, not a sandbox."""
    body = _LEADING_COMMENTS.sub("", statement, count=1)
    head = body[:7].upper()
    return head.startswith(_WRITES) or (head.startswith("WITH") and bool(_WRITE_IN_WITH.search(body)))
