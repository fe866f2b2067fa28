"""Read-only units of work, and the PostgreSQL pool's ping of idle connections.

The ``db`` fixture is SQLite, or PostgreSQL when REVIEWBOT_TEST_DATABASE_URL is set (CI runs both).
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.audit import AuditEvent
from bot.db.engine import Database, ReadOnlyViolation
from bot.db.postgres import ping_when_idle

LIVENESS = 10.0  # bounds a hung test; nothing here asserts on speed


async def _audit_rows(db: Database) -> int:
    async with db.read() as session:
        return len((await session.execute(select(AuditEvent.id))).all())


def _entry(**overrides: object) -> AuditEvent:
    values: dict[str, object] = {
        "at": datetime(2026, 12, 18, 10, 0, tzinfo=UTC),
        "actor": "U0TEST0001",
        "action": "test.read_only",
        "partnership_id": "northshire",
    }
    values.update(overrides)
    return AuditEvent(**values)


async def test_a_read_sees_what_was_committed_before_it(db: Database) -> None:
    async with db.session() as session:
        session.add(_entry())
    assert await _audit_rows(db) == 1


async def test_a_read_refuses_insert_update_and_delete_before_they_reach_the_database(db: Database) -> None:
    for statement in (
        insert(AuditEvent).values(at=datetime(2026, 12, 18, tzinfo=UTC), actor="U0TEST0001", action="x"),
        text("UPDATE audit_events SET action = 'x'"),
        text("  delete from audit_events"),
    ):
        with pytest.raises(ReadOnlyViolation):
            async with db.read() as session:
                await session.execute(statement)
    assert await _audit_rows(db) == 0


async def test_a_read_that_leaves_changed_objects_fails_and_writes_nothing(db: Database) -> None:
    with pytest.raises(ReadOnlyViolation):
        async with db.read() as session:
            session.add(_entry())
    assert await _audit_rows(db) == 0


async def test_a_read_neither_waits_for_nor_sees_a_writer_in_progress(db: Database) -> None:
    async with db.session() as session:
        session.add(_entry())
        await session.flush()  # the write is under way: SQLite's write lock is held from here
        seen = await asyncio.wait_for(asyncio.create_task(_audit_rows(db)), LIVENESS)
        assert seen == 0  # not committed yet, and the read did not wait for the commit
    assert await _audit_rows(db) == 1


async def test_a_unit_of_work_after_a_read_is_a_transaction_again(db: Database) -> None:
    """The read's autocommit must not stay on the pooled connection the next unit of work takes."""
    for _ in range(3):
        await _audit_rows(db)
    with pytest.raises(RuntimeError):
        async with db.session() as session:
            session.add(_entry())
            await session.flush()
            raise RuntimeError("the unit of work fails after its insert")
    assert await _audit_rows(db) == 0


async def test_writes_hidden_behind_comments_or_a_with_clause_are_refused(db: Database) -> None:
    for sql in (
        "-- a comment first\nDELETE FROM audit_events",
        "/* a comment */ UPDATE audit_events SET action = 'x'",
        "WITH gone AS (DELETE FROM audit_events RETURNING id) SELECT count(*) FROM gone",
        "REPLACE INTO audit_events (id, at, actor, action) VALUES (1, '2026-12-18', 'U0TEST0001', 'x')",
    ):
        with pytest.raises(ReadOnlyViolation):
            async with db.read() as session:
                await session.execute(text(sql))
    async with db.read() as session:  # and reads that only look like writes are not
        await session.execute(
            text("WITH recent AS (SELECT id, action AS update_kind FROM audit_events) SELECT * FROM recent")
        )


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def pinged(tmp_path: Path):  # type: ignore[no-untyped-def]
    """An engine with the idle-ping policy and a count of the pings it made (any database will do:
    the policy lives on the pool, and SQLite's ping is a SELECT 1)."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'ping.sqlite3'}")
    clock = _Clock()
    pings: list[str] = []
    failing: list[bool] = []  # non-empty: the server has gone away
    real = engine.sync_engine.dialect.do_ping

    def counting(dbapi_connection: object) -> bool:
        pings.append("ping")
        if failing:  # what the driver says of a connection whose server has gone
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        return real(dbapi_connection)

    engine.sync_engine.dialect.do_ping = counting  # type: ignore[method-assign]
    ping_when_idle(engine, idle_before_ping=0.5, monotonic=clock)
    yield engine, clock, pings, failing
    await engine.dispose()


async def _use(engine) -> None:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def test_a_new_or_just_returned_connection_is_not_pinged(pinged) -> None:  # type: ignore[no-untyped-def]
    engine, clock, pings, _failing = pinged
    await _use(engine)  # a new connection
    clock.now += 0.4
    await _use(engine)  # returned 0.4 s ago
    assert pings == []


async def test_a_connection_idle_for_the_window_is_pinged_first(pinged) -> None:  # type: ignore[no-untyped-def]
    engine, clock, pings, _failing = pinged
    await _use(engine)
    clock.now += 0.5
    await _use(engine)
    assert pings == ["ping"]


async def test_a_failed_ping_replaces_the_connection_instead_of_failing_the_work(pinged) -> None:  # type: ignore[no-untyped-def]
    engine, clock, pings, failing = pinged
    first = await _driver_connection(engine)
    clock.now += 60
    failing.append(True)
    # the dead connection is dropped and a fresh one (not pinged: it is new) does the work
    replacement = await _driver_connection(engine)
    assert pings == ["ping"] and replacement is not first
    failing.clear()
    clock.now += 0.1
    assert await _driver_connection(engine) is replacement
    assert pings == ["ping"]


async def test_other_ping_errors_are_raised_not_taken_for_a_restart(pinged) -> None:  # type: ignore[no-untyped-def]
    engine, clock, _pings, _failing = pinged
    await _use(engine)
    clock.now += 60
    engine.sync_engine.dialect.do_ping = _broken_ping
    with pytest.raises(ZeroDivisionError):
        await _use(engine)


def _broken_ping(_dbapi_connection: object) -> bool:
    raise ZeroDivisionError("a bug, not a lost server")


async def _driver_connection(engine) -> object:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        return (await conn.get_raw_connection()).driver_connection
