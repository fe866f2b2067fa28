"""SQLite in the event loop's thread: a locked database is waited for without blocking the loop."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db import sqlite as db_sqlite
from bot.db.engine import Database

LIVENESS = 10.0  # bounds a hung test; nothing here asserts on speed


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> Database:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'busy.sqlite3'}")
    async with database.session() as session:
        await session.execute(text("CREATE TABLE t (n INTEGER)"))
    yield database  # type: ignore[misc]
    await database.dispose()


def _hold_write_lock(db: Database) -> sqlite3.Connection:
    """Another process's writer, as far as SQLite can tell: its own connection in BEGIN IMMEDIATE."""
    path = db.engine.url.database
    assert path
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    return other


async def test_units_of_work_run_without_a_thread_per_connection(sqlite_db: Database) -> None:
    async with sqlite_db.session() as session:
        raw = await session.connection()
        driver = (await raw.get_raw_connection()).driver_connection
        assert isinstance(driver, db_sqlite.InlineConnection)
        assert (await session.execute(text("SELECT 1"))).scalar_one() == 1


async def test_a_locked_database_is_waited_for_while_the_loop_keeps_running(sqlite_db: Database) -> None:
    other = _hold_write_lock(sqlite_db)
    turned = asyncio.Event()

    async def ticker() -> None:
        for _ in range(20):
            await asyncio.sleep(0.001)
        turned.set()

    async def write() -> None:
        async with sqlite_db.session() as session:
            await session.execute(text("INSERT INTO t VALUES (2)"))

    ticking = asyncio.create_task(ticker())
    writing = asyncio.create_task(write())
    await asyncio.wait_for(turned.wait(), LIVENESS)  # the loop turns while the write waits
    assert not writing.done()
    other.commit()
    other.close()
    await asyncio.wait_for(writing, LIVENESS)
    await ticking
    async with sqlite_db.session() as session:
        assert sorted((await session.execute(text("SELECT n FROM t"))).scalars()) == [1, 2]


async def test_a_lock_held_too_long_ends_in_the_database_error(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_sqlite, "BUSY_TIMEOUT", 0.05)
    other = _hold_write_lock(sqlite_db)
    try:
        with pytest.raises(Exception, match="locked"):
            async with sqlite_db.session() as session:
                await session.execute(text("INSERT INTO t VALUES (3)"))
    finally:
        other.rollback()
        other.close()
