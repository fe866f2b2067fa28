"""`reviewbot serve` as a real process for the tests that need one: its environment, start, health, stop."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_env(settings: dict[str, str]) -> dict[str, str]:
    """This process's environment without any Slack, database or ReviewBot setting, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "REVIEWBOT_"))}
    return env | settings


async def start_serve(env: dict[str, str], port: int) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def health_once_up(client: httpx.AsyncClient, tries: int) -> httpx.Response:
    """``/healthz`` as soon as the server accepts connections (every 0.1 s, ``tries`` times)."""
    for _ in range(tries - 1):
        try:
            return await client.get("/healthz")
        except httpx.TransportError:
            await asyncio.sleep(0.1)
    return await client.get("/healthz")


async def stop_serve(proc: asyncio.subprocess.Process) -> tuple[bytes, bytes]:
    """SIGTERM, then what the process wrote (stdout, stderr)."""
    proc.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(proc.communicate(), timeout=30)
