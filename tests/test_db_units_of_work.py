"""Read-only units of work, and the PostgreSQL pool's ping of idle connections.

The ``db`` fixture is SQLite, or PostgreSQL when REVIEWBOT_TEST_DATABASE_URL is set (CI runs both).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.audit import AuditEvent
from bot.db import Database, ReadOnlyViolation
from bot.db_postgres import ping_when_idle


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


async def test_a_read_inside_a_unit_of_work_of_the_same_task_does_not_wait_for_it(db: Database) -> None:
    async with db.session() as session:
        session.add(_entry())
        assert await _audit_rows(db) == 0  # not committed yet: the read has its own connection
    assert await _audit_rows(db) == 1


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
        if failing:
            raise RuntimeError("server closed the connection unexpectedly")
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
    await _use(engine)
    first = engine.sync_engine.pool.checkedin()
    assert first == 1
    clock.now += 60
    failing.append(True)
    await _use(engine)  # the dead connection is dropped, a fresh one (not pinged) does the work
    assert pings == ["ping"]
    failing.clear()
    clock.now += 0.1
    await _use(engine)
    assert pings == ["ping"]
