"""Shared fixtures: a fresh migrated database per test (SQLite, or PostgreSQL when
REVIEWBOT_TEST_DATABASE_URL is set), the local Slack stand-in and the bot wired to it."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.clock import FakeClock
from bot.db.all_models import metadata
from bot.db.engine import Database
from bot.db.migrate import upgrade

PG_URL = os.environ.get("REVIEWBOT_TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    # slack_sdk honours proxy variables and ignores NO_PROXY; nothing may leave the machine.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    for var in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "DATABASE_URL",
        "REVIEWBOT_CONFIG",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "REVIEWBOT_ENCRYPTION_KEY",
        "REVIEWBOT_INSTALL_REDIRECT_URL",
    ):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once, copy per test: every test still runs on a schema made by the migrations."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"

    async def _make() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await upgrade(db)
        await db.dispose()

    asyncio.run(_make())
    return path


@pytest.fixture(scope="session")
def _postgres_migrated() -> bool:
    if not PG_URL:
        return False

    async def _make() -> None:
        db = Database(PG_URL)
        await upgrade(db)
        await db.dispose()

    asyncio.run(_make())
    return True


@pytest.fixture
def database_url(tmp_path: Path, _sqlite_template: Path, _postgres_migrated: bool) -> Iterator[str]:
    if PG_URL:
        asyncio.run(_truncate_all(PG_URL))
        yield PG_URL
        return
    path = tmp_path / "reviewbot.sqlite3"
    shutil.copy(_sqlite_template, path)
    yield f"sqlite+aiosqlite:///{path}"


async def _truncate_all(url: str) -> None:
    db = Database(url)
    tables = ", ".join(t.name for t in metadata.sorted_tables)
    async with db.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await db.dispose()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 18, 10, 0, tzinfo=UTC))


@pytest.fixture
async def harness(database_url: str, clock: FakeClock):  # type: ignore[no-untyped-def]
    from bot.sandbox.harness import Harness

    h = await Harness.start(database_url=database_url, clock=clock, run_migrations=False)
    yield h
    await h.close()
