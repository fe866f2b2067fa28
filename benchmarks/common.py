"""What every benchmark shares: figures with targets, percentiles, the machine, databases, processes."""

from __future__ import annotations

import asyncio
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgresql+asyncpg://reviewbot:reviewbot@127.0.0.1:54329/reviewbot_test"
BENCH_DB_NAME = "reviewbot_bench"
PACKAGES = (
    "slack_bolt",
    "slack_sdk",
    "fastapi",
    "starlette",
    "uvicorn",
    "httpx",
    "aiohttp",
    "SQLAlchemy",
    "aiosqlite",
    "asyncpg",
    "structlog",
)


# --- figures ---------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured number, with the target it is judged against (``None``: information only)."""

    part: str
    name: str
    value: float | None
    unit: str
    target: str = ""
    passed: bool | None = None
    note: str = ""

    def line(self) -> str:
        value = "n/a" if self.value is None else _fmt(self.value)
        verdict = {True: "PASS", False: "FAIL", None: "    "}[self.passed]
        if self.note.startswith("SKIPPED"):
            verdict = "SKIP"
        target = f"  target {self.target}" if self.target else ""
        note = f"  ({self.note})" if self.note else ""
        return f"  [{verdict}] {self.name}: {value} {self.unit}{target}{note}"


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(figure.line(), flush=True)
        return figure

    def skip(self, part: str, name: str, why: str) -> None:
        self.add(Figure(part, name, None, "", note=f"SKIPPED: {why}"))

    @property
    def failed(self) -> list[Figure]:
        return [f for f in self.figures if f.passed is False]


def say(text: str) -> None:
    print(text, flush=True)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: p99 of 500 samples is the 495th smallest)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
    return ordered[rank - 1]


# --- the machine -----------------------------------------------------------------------------------


def machine_lines(pg_version: str | None = None) -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    lines = [
        f"CPU: {cpu}, {os.cpu_count()} cores; memory {memory}",
        f"Python {platform.python_version()} ({platform.python_implementation()}); "
        f"OS {platform.system()} {platform.release()} ({platform.machine()})",
        "Packages: " + ", ".join(versions),
        f"PostgreSQL: {pg_version or 'not used'}",
        f"Load average at start: {load_average()} (other work on a shared machine slows every side alike)",
        f"Started: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    ]
    return lines


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


# --- databases -------------------------------------------------------------------------------------


@dataclass
class Backend:
    """A fresh, migrated database for one benchmark part."""

    name: str  # "SQLite" or "PostgreSQL"
    url: str


def sqlite_url(directory: Path, name: str = "bench.sqlite3") -> str:
    return f"sqlite+aiosqlite:///{directory / name}"


async def postgres_base_url(explicit: str | None) -> tuple[str | None, str]:
    """The PostgreSQL server to benchmark on, or None with the reason it is not available."""
    url = (
        explicit
        or os.environ.get("REVIEWBOT_BENCH_DATABASE_URL")
        or os.environ.get("REVIEWBOT_TEST_DATABASE_URL")
        or DEFAULT_PG_URL
    )
    try:
        import asyncpg

        conn = await asyncpg.connect(_asyncpg_dsn(url), timeout=3)
        version = await conn.fetchval("SHOW server_version")
        await conn.close()
    except Exception as exc:
        return None, (
            f"no PostgreSQL at {_redact(url)} ({type(exc).__name__}); start one with "
            "`export REVIEWBOT_TEST_DATABASE_URL=$(scripts/start-test-postgres.sh)`"
        )
    return url, str(version)


async def fresh_postgres(base_url: str) -> str:
    """(Re)create the ``reviewbot_bench`` database beside the given one (never the test database,
    which other people's test runs truncate) and return its URL, migrated."""
    import asyncpg

    conn = await asyncpg.connect(_asyncpg_dsn(base_url), timeout=5)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB_NAME} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {BENCH_DB_NAME}")
    finally:
        await conn.close()
    url = base_url.rsplit("/", 1)[0] + "/" + BENCH_DB_NAME
    await migrate(url)
    return url


async def fresh_sqlite(directory: Path, name: str = "bench.sqlite3") -> str:
    for suffix in ("", "-wal", "-shm"):
        (directory / (name + suffix)).unlink(missing_ok=True)
    url = sqlite_url(directory, name)
    await migrate(url)
    return url


async def migrate(url: str) -> None:
    from bot.db.engine import Database
    from bot.db.migrate import upgrade

    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


def _asyncpg_dsn(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


def _redact(url: str) -> str:
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.split('@', 1)[1]}"


# --- processes -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: no proxies, no stray bot settings, the repo importable."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
        and not k.startswith(("SLACK_", "REVIEWBOT_", "DATABASE_URL"))
    }
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def reviewbot_command() -> list[str]:
    script = Path(sys.executable).parent / "reviewbot"
    if script.exists():
        return [str(script)]
    found = shutil.which("reviewbot")
    return [found] if found else [sys.executable, "-m", "bot.cli"]


@dataclass
class Child:
    """A server subprocess, its port and its log file; stopped by its own pid only."""

    proc: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


async def start_child(
    argv: list[str],
    env: dict[str, str],
    port: int,
    workdir: Path,
    label: str,
    *,
    ready_path: str = "/healthz",
) -> Child:
    log_path = workdir / f"{label}.log"
    log_file = log_path.open("wb")
    proc = subprocess.Popen(argv, env=env, cwd=workdir, stdout=log_file, stderr=subprocess.STDOUT)  # noqa: ASYNC220
    log_file.close()
    child = Child(proc, port, log_path)
    import httpx

    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=child.url, trust_env=False) as client:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{label} exited with {proc.returncode}:\n{child.log_tail()}")
            try:
                response = await client.get(ready_path, timeout=1)
                if response.status_code < 500:
                    return child
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                child.stop()
                raise RuntimeError(f"{label} did not start within 60 s:\n{child.log_tail()}")
            await asyncio.sleep(0.1)


@asynccontextmanager
async def workdir(prefix: str) -> AsyncIterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"reviewbot-bench-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MiB (VmRSS from /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (from /proc), or 0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def utc_now() -> datetime:
    return datetime.now(UTC)


def minutes_ago(minutes: float) -> datetime:
    return utc_now() - timedelta(minutes=minutes)


def notification_payload(now: datetime, n: int = 0) -> dict[str, Any]:
    """A valid webhook notification (synthetic: 'Child A'), dated just before ``now``."""
    aware = now - timedelta(hours=1)
    return {
        "notification_type": "serious_harm",
        "la_aware_at": aware.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "abuse_or_neglect": "suspected",
        "children": [{"pseudonym": "Child A", "age_band": "1_4", "legal_status": "child_protection_plan"}],
        "agencies": ["la", "police"],
        "police_investigation": "yes",
        "media_interest": False,
        "summary": f"Synthetic benchmark case {n}.",
    }


async def seed_notices(url: str, n: int, channels: list[str], *, prefix: str, due_ago: timedelta) -> None:
    """``n`` due 'notice' reminders spread over ``channels``, each text ``{prefix}:{i}`` (synthetic)."""
    from bot.db.engine import Database
    from bot.reminders.models import Reminder, ReminderStatus

    now = utc_now()
    rows = [
        {
            "delivery_key": f"{prefix}:{i}",
            "partnership_id": "northshire",
            "case_id": None,
            "deadline_id": None,
            "kind": "notice",
            "rung": "bench",
            "recipient": channels[i % len(channels)],
            "due_at": now - due_ago,
            "status": ReminderStatus.PENDING.value,
            "attempts": 0,
            "late": False,
            "created_at": now - timedelta(days=1),
            "payload": {"text": f"{prefix}:{i}", "channel": channels[i % len(channels)]},
        }
        for i in range(n)
    ]
    db = Database(url)
    try:
        async with db.session() as session:
            for start in range(0, n, 2000):
                await session.execute(Reminder.__table__.insert(), rows[start : start + 2000])
    finally:
        await db.dispose()
