"""PostgreSQL restarted while the bot serves: requests in that window get the clear database message,
and the bot recovers by itself once the server is back (no restart of the bot).

The test needs a server it may stop, so it makes its own throw-away cluster (initdb and pg_ctl, as the
postgres user when run as root, like scripts/start-test-postgres.sh) on a free loopback port in a
temporary directory. It runs only where PostgreSQL is part of the test run (REVIEWBOT_TEST_DATABASE_URL
set, as in CI) and its binaries are installed.
"""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.clock import FakeClock
from bot.errors import DATABASE_UNAVAILABLE
from bot.sandbox.harness import Harness, ephemeral_text
from bot.webhook.tokens import create_token

pytestmark: Any = pytest.mark.postgres

BM = "U0BM00001"
NOTIFICATION = {
    "notification_type": "serious_harm",
    "la_aware_at": "2026-12-18T09:30:00Z",
    "abuse_or_neglect": "suspected",
    "children": [{"pseudonym": "Child A", "age_band": "1_4", "legal_status": "child_protection_plan"}],
    "agencies": ["la", "police"],
    "police_investigation": "yes",
    "media_interest": False,
}


def _pg_bin() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


PG_BIN = _pg_bin()
if not os.environ.get("REVIEWBOT_TEST_DATABASE_URL"):
    pytestmark = [
        pytestmark,
        pytest.mark.skip(reason="needs PostgreSQL: set REVIEWBOT_TEST_DATABASE_URL (CI does)"),
    ]
elif PG_BIN is None:
    pytestmark = [pytestmark, pytest.mark.skip(reason="no pg_ctl/initdb found to run a throw-away cluster")]


class Cluster:
    """A throw-away PostgreSQL cluster this test may stop and start."""

    def __init__(self) -> None:
        assert PG_BIN is not None
        self.bin = PG_BIN
        self.dir = Path(tempfile.mkdtemp(prefix="reviewbot-pg-restart-"))
        self.data = self.dir / "data"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-qc",
            "CREATE DATABASE reviewbot_restart",
        )

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/reviewbot_restart"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_postgres, str(self.bin / tool), *args], check=True, capture_output=True, timeout=60
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.dir} -c fsync=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w", "-o", options, "start"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    made = Cluster()
    yield made
    made.remove()


@pytest.fixture
async def bot(cluster: Cluster) -> AsyncIterator[Harness]:
    h = await Harness.start(
        database_url=cluster.url, clock=FakeClock(datetime(2026, 12, 18, 10, 0, tzinfo=UTC))
    )
    # Starlette re-raises an error after its handler answered; a real client only sees the answer.
    await h.http.aclose()
    h.http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=h.api, raise_app_exceptions=False), base_url="http://bot.test"
    )
    yield h
    await h.close()


async def _cases(h: Harness) -> str:
    response = await h.command("cases", user=BM)
    assert response.status_code == 200
    return ephemeral_text(response)


async def test_postgres_restart_gives_a_clear_message_then_recovers(bot: Harness, cluster: Cluster) -> None:
    token = (await create_token(bot.services, "northshire", "restart test (synthetic)")).token
    auth = {"Authorization": f"Bearer {token}"}
    assert "can't reach" not in await _cases(bot)

    await asyncio.to_thread(cluster.stop)
    down_text = await _cases(bot)
    assert DATABASE_UNAVAILABLE in down_text, down_text
    webhook = await bot.http.post("/api/v1/notifications", json=NOTIFICATION, headers=auth)
    assert webhook.status_code == 503, webhook.text
    assert webhook.json()["message"] == DATABASE_UNAVAILABLE
    assert "Traceback" not in webhook.text and "asyncpg" not in webhook.text
    health = await bot.http.get("/healthz")
    assert health.status_code == 503 and health.json()["database"] == "unreachable"

    await asyncio.to_thread(cluster.start)
    # No restart of the bot: the very next requests work (the pool drops dead connections itself).
    assert "can't reach" not in await _cases(bot)
    created = await bot.http.post("/api/v1/notifications", json=NOTIFICATION, headers=auth)
    assert created.status_code == 201, created.text
    assert (await bot.http.get("/healthz")).status_code == 200
    assert created.json()["reference"] in await _cases(bot)
