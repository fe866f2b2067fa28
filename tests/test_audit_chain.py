"""The tamper-evident audit trail: every row hash-chained to the one before, `reviewbot audit verify`
naming the first row that does not match, `reviewbot audit export`, appends serialised on PostgreSQL,
and the migration that chains the rows written before the chain existed."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot import audit
from bot.audit import GENESIS, AuditChainHead, AuditEvent, chain_hash
from bot.audit_trail import verify
from bot.cli import main
from bot.clock import FakeClock
from bot.db.engine import Database
from bot.db.migrate import alembic_config, upgrade

PG_URL = os.environ.get("REVIEWBOT_TEST_DATABASE_URL")


async def _append(db: Database, clock: FakeClock, *actions: str, case_id: int | None = 7) -> None:
    async with db.session() as session:
        for action in actions:
            audit.record(
                session,
                clock,
                actor="U0BM00001",
                action=action,
                partnership_id="northshire",
                case_id=case_id,
                after={"stage": "closed", "count": 2, "ok": True},
            )


async def _rows(db: Database) -> list[AuditEvent]:
    async with db.read() as session:
        return list((await session.scalars(select(AuditEvent).order_by(AuditEvent.seq))).all())


def _naive(db: Database, at: object) -> object:
    return at.replace(tzinfo=None) if db.is_sqlite and hasattr(at, "replace") else at


async def tamper(db: Database, statement: str) -> None:
    """Change audit rows as someone with direct database access could, past the append-only triggers."""
    async with db.engine.begin() as conn:
        if db.is_sqlite:
            await conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
            await conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
            await conn.execute(text(statement))
        else:
            await conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"))
            await conn.execute(text(statement))
            await conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change"))


async def test_every_row_is_chained_to_the_one_before(db: Database, clock: FakeClock) -> None:
    await _append(db, clock, "case.opened", "case.stage_changed")
    clock.advance(timedelta(minutes=5))
    await _append(db, clock, "action.added")
    rows = await _rows(db)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS
    for before, row in zip([None, *rows], rows, strict=False):
        prev = before.hash if before is not None else GENESIS
        assert row.prev_hash == prev and row.hash == chain_hash(prev, row)
    async with db.read() as session:
        head = await session.get(AuditChainHead, 1)
    assert head is not None and (head.seq, head.hash) == (3, rows[-1].hash)
    assert (await verify(db)).ok


async def test_rows_join_the_chain_at_commit_in_the_order_they_were_recorded(
    db: Database, clock: FakeClock
) -> None:
    async with db.session() as session:
        audit.record(session, clock, actor="U0BM00001", action="first")
        await session.execute(select(AuditEvent.id))  # an autoflush in between
        audit.record(session, clock, actor="U0BM00001", action="second")
        session.add(AuditEvent(at=clock.now(), actor="U0BM00001", action="third"))  # added directly
    assert [(r.seq, r.action) for r in await _rows(db)] == [(1, "first"), (2, "second"), (3, "third")]
    assert (await verify(db)).ok


async def test_a_rolled_back_unit_of_work_leaves_no_gap(db: Database, clock: FakeClock) -> None:
    await _append(db, clock, "one")
    with pytest.raises(RuntimeError):
        async with db.session() as session:
            audit.record(session, clock, actor="U0BM00001", action="never")
            raise RuntimeError("the change failed")
    await _append(db, clock, "two")
    assert [(r.seq, r.action) for r in await _rows(db)] == [(1, "one"), (2, "two")]
    assert (await verify(db)).ok


@pytest.mark.parametrize(
    ("statement", "why", "named"),
    [
        ("UPDATE audit_events SET actor = 'U0SOMEONE' WHERE seq = 2", "does not match its hash", 2),
        ("DELETE FROM audit_events WHERE seq = 2", "position 2 is missing", 3),  # the row after the gap
        ("DELETE FROM audit_events WHERE seq = 4", "the chain head says 4 rows were written", 3),  # the last
    ],
    ids=["changed", "removed", "cut-off"],
)
async def test_verify_names_the_first_row_that_does_not_match(
    db: Database,
    database_url: str,
    clock: FakeClock,
    statement: str,
    why: str,
    named: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await _append(db, clock, "a", "b", "c", "d")
    rows = await _rows(db)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert await asyncio.to_thread(main, ["audit", "verify"]) == 0
    assert "The audit trail verifies: 4 rows" in capsys.readouterr().out

    await tamper(db, statement)
    result = await verify(db)
    assert not result.ok and result.broken is not None and why in result.broken.why
    expected = rows[named - 1]
    assert result.broken.row_id == expected.id
    assert await asyncio.to_thread(main, ["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"audit row {expected.id} (position {expected.seq}" in err and why in err
    assert "Traceback" not in err


async def test_a_row_added_past_the_head_is_found(db: Database, clock: FakeClock) -> None:
    await _append(db, clock, "a")
    row = (await _rows(db))[0]
    async with db.engine.begin() as conn:  # inserting is not refused by the triggers: the head catches it
        await conn.execute(
            text(
                "INSERT INTO audit_events (at, actor, action, seq, prev_hash, hash) "
                "VALUES (:at, 'U0SOMEONE', 'forged', 2, :prev, :hash)"
            ),
            {"at": _naive(db, row.at), "prev": row.hash, "hash": "f" * 64},
        )
    result = await verify(db)
    assert result.broken is not None and "past the chain head" in result.broken.why


async def test_export_a_period_as_csv_and_json(
    db: Database,
    database_url: str,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await _append(db, clock, "case.opened")  # 2026-12-18
    clock.advance(timedelta(days=3))
    await _append(db, clock, "case.stage_changed", "action.added")  # 2026-12-21
    monkeypatch.setenv("DATABASE_URL", database_url)
    args = ["audit", "export", "--from", "2026-12-19", "--to", "2026-12-21"]
    assert await asyncio.to_thread(main, [*args, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["action"] for r in rows] == ["case.stage_changed", "action.added"]
    assert rows[0]["after"] == {"stage": "closed", "count": 2, "ok": True}
    assert rows[1]["prev_hash"] == rows[0]["hash"] and len(rows[0]["hash"]) == 64
    out = tmp_path / "audit.csv"
    assert await asyncio.to_thread(main, [*args, "--format", "csv", "--output", str(out)]) == 0
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["seq"] for r in table] == ["2", "3"]
    assert table[0]["after"] == '{"count":2,"ok":true,"stage":"closed"}'
    assert "2 audit rows written to" in capsys.readouterr().err


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: .ci/run sets REVIEWBOT_TEST_DATABASE_URL")
async def test_concurrent_appends_on_postgres_form_one_chain(db: Database, clock: FakeClock) -> None:
    """Twenty units of work at once, each touching a row of its own before appending: the chain head's
    row lock puts their rows one after another, without gaps or forks."""

    async def unit(n: int) -> None:
        async with db.session() as session:
            audit.record(session, clock, actor=f"U0WORKER{n:02d}", action="concurrent.first")
            await session.execute(text("SELECT pg_sleep(0.01)"))
            audit.record(session, clock, actor=f"U0WORKER{n:02d}", action="concurrent.second")

    await asyncio.gather(*(unit(n) for n in range(20)))
    rows = await _rows(db)
    assert [r.seq for r in rows] == list(range(1, 41))
    result = await verify(db)
    assert result.ok and result.head_seq == 40
    for first, second in zip(rows[::2], rows[1::2], strict=True):  # each unit's rows stay together
        assert first.actor == second.actor


_OLD_CASE = (
    "INSERT INTO cases (id, partnership_id, reference, nation, ruleset_id, ruleset_version, "
    "ruleset_snapshot, notification_type, notification_only, stage, la_aware_at, abuse_or_neglect, "
    "police_investigation, media_interest, owner_user_id, created_by, created_at, updated_at) "
    "VALUES (1, 'northshire', 'RR-2026-001', 'england', 'england-2023', 1, '{}', 'death', false, "
    "'closed', :at, 'known', 'none', false, 'U0BM00001', 'U0BM00001', :at, :later)"
)


async def _at_revision(url: str, revision: str) -> None:
    engine = create_async_engine(url)

    def _go(sync_conn: object) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, revision)

    async with engine.connect() as conn:
        await conn.run_sync(_go)
        await conn.commit()
    await engine.dispose()


async def _fresh_postgres(name: str) -> str:
    assert PG_URL is not None
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        await conn.execute(text(f"CREATE DATABASE {name}"))
    await admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + "/" + name


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
async def test_the_migration_chains_rows_written_before_it(
    dialect: str, tmp_path: Path, clock: FakeClock
) -> None:
    if dialect == "postgresql":
        if not PG_URL:
            pytest.skip("needs PostgreSQL: .ci/run sets REVIEWBOT_TEST_DATABASE_URL")
        url = await _fresh_postgres("reviewbot_migrate_0009")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    await _at_revision(url, "0007_lifecycle")
    engine = create_async_engine(url)
    opened = clock.now()
    naive = (lambda t: t.replace(tzinfo=None)) if dialect == "sqlite" else (lambda t: t)
    async with engine.begin() as conn:  # rows and a closed case as the previous release wrote them
        later = naive(opened + timedelta(days=30))
        await conn.execute(text(_OLD_CASE), {"at": naive(opened), "later": later})
        for n, action in enumerate(["case.opened", "case.stage_changed", "webhook.token_created"]):
            after = json.dumps({"stage": "closed"} if action == "case.stage_changed" else {"n": n})
            await conn.execute(
                text(
                    "INSERT INTO audit_events (at, actor, action, case_id, after) "
                    "VALUES (:at, 'U0BM00001', :a, 1, :after)"
                ),
                {"at": naive(opened + timedelta(minutes=n)), "a": action, "after": after},
            )
    await engine.dispose()
    db = Database(url)
    try:
        await upgrade(db)
        rows = await _rows(db)
        assert [r.seq for r in rows] == [1, 2, 3] and rows[0].prev_hash == GENESIS
        assert (await verify(db)).ok
        async with db.read() as session:  # closed when the audit log says, not at its last change
            closed_at = await session.scalar(text("SELECT closed_at FROM cases WHERE id = 1"))
        assert str(closed_at).startswith(str(naive(opened + timedelta(minutes=1)))[:16])
        await _append(db, clock, "after.upgrade")  # and new rows carry on from the head
        assert (await verify(db)).head_seq == 4
        with pytest.raises(Exception, match="append-only"):  # the triggers are back
            async with db.engine.begin() as conn:
                await conn.execute(text("UPDATE audit_events SET actor = 'x'"))
    finally:
        await db.dispose()
