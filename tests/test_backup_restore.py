"""Backups, restored into a fresh database: the audit trail verifies there, and the bot carries on
appending to it. SQLite with its online backup API and VACUUM INTO; PostgreSQL with pg_dump and
pg_restore (when those programs are installed)."""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot import audit
from bot.audit_trail import verify
from bot.cli import main
from bot.clock import FakeClock
from bot.db.engine import Database
from bot.sandbox.harness import Harness
from tests.intake_helpers import notify

PG_URL = os.environ.get("REVIEWBOT_TEST_DATABASE_URL")


async def _verifies(url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setenv("DATABASE_URL", url)
    code = await asyncio.to_thread(main, ["audit", "verify"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


async def _carries_on(url: str, clock: FakeClock) -> None:
    db = Database(url)
    try:
        async with db.session() as session:
            audit.record(session, clock, actor="U0BM00001", action="after.restore")
        result = await verify(db)
        assert result.ok, result.broken
    finally:
        await db.dispose()


@pytest.mark.parametrize("how", ["backup-api", "vacuum-into"])
async def test_a_sqlite_backup_restores_to_a_trail_that_verifies(
    harness: Harness,
    database_url: str,
    tmp_path: Path,
    clock: FakeClock,
    how: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the SQLite backup; the PostgreSQL one is the test below")
    await notify(harness)
    await notify(harness)
    source = make_url(database_url).database
    assert source is not None
    copy = tmp_path / "restored.sqlite3"
    with sqlite3.connect(source) as live:  # while the bot has it open, as `sqlite3 db ".backup f"` does
        if how == "backup-api":
            with sqlite3.connect(copy) as target:
                live.backup(target)
            target.close()
        else:
            live.execute("VACUUM INTO ?", (str(copy),))
    live.close()
    url = f"sqlite+aiosqlite:///{copy}"
    out = await _verifies(url, monkeypatch, capsys)
    rows = (await verify(harness.services.db)).rows
    assert rows > 0 and f"The audit trail verifies: {rows} rows" in out
    await _carries_on(url, clock)


def _pg_program(name: str) -> str | None:
    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    candidates = [f"/usr/local/bin/{name}", *installed]
    found = next((c for c in candidates if os.access(c, os.X_OK)), None)
    return found or shutil.which(name)


async def _program(env: dict[str, str], name: str, *args: str) -> None:
    command = [str(_pg_program(name)), *args]
    await asyncio.to_thread(subprocess.run, command, env=env, check=True, capture_output=True, timeout=120)


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: .ci/run sets REVIEWBOT_TEST_DATABASE_URL")
@pytest.mark.skipif(
    not (_pg_program("pg_dump") and _pg_program("pg_restore")), reason="no pg_dump or pg_restore installed"
)
async def test_a_pg_dump_restores_to_a_trail_that_verifies(
    harness: Harness,
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert PG_URL is not None
    await notify(harness)
    await notify(harness)
    source = make_url(PG_URL)
    libpq = {
        "PGHOST": source.host or "127.0.0.1",
        "PGPORT": str(source.port or 5432),
        "PGUSER": source.username or "",
        "PGPASSWORD": source.password or "",
    }
    env = {**os.environ, **libpq}
    dump = tmp_path / "reviewbot.dump"
    await _program(env, "pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source.database or "")
    fresh = "reviewbot_restore_test"
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f"DROP DATABASE IF EXISTS {fresh}"))
        await conn.execute(text(f"CREATE DATABASE {fresh}"))
    try:
        await _program(env, "pg_restore", "--no-owner", f"--dbname={fresh}", str(dump))
        url = source.set(database=fresh).render_as_string(hide_password=False)
        out = await _verifies(url, monkeypatch, capsys)
        rows = (await verify(harness.services.db)).rows
        assert rows > 0 and f"The audit trail verifies: {rows} rows" in out
        await _carries_on(url, clock)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f"DROP DATABASE IF EXISTS {fresh} WITH (FORCE)"))
        await admin.dispose()
