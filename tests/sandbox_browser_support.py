"""Starting `reviewbot sandbox` as a subprocess and a headless Chromium for the browser tests.

The browser is the system Chromium (``apt-get install chromium``; never ``playwright install``). In CI
(``CI=true``) a missing Chromium fails the tests; locally they are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START = "2026-12-18T10:00"  # Friday 18 December 2026, 10:00 UK time


def require_chromium() -> None:
    """Fail in CI, skip elsewhere, when the system Chromium or Playwright is missing."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[dev]')")
    if not missing:
        return
    reason = "browser tests need " + " and ".join(missing)
    if os.environ.get("CI") == "true":
        pytest.fail(reason + ": CI must run them, not skip them", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def reviewbot_command() -> list[str]:
    script = Path(sys.executable).parent / "reviewbot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


@contextmanager
def sandbox_process(*extra: str) -> Iterator[str]:
    """`reviewbot sandbox --port P` running; yields the page's URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [*reviewbot_command(), "sandbox", "--port", str(port), "--start", START, *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise AssertionError(
                    "reviewbot sandbox exited: " + log.read().decode(errors="replace")[-2000:]
                )
            try:
                if httpx.get(url + "api/workspace", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("reviewbot sandbox did not start within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextmanager
def chromium_page(**options: Any) -> Iterator[Any]:
    """A page in a fresh headless Chromium (own user-data-dir), UK locale and time zone."""
    from playwright.sync_api import sync_playwright

    user_data = tempfile.mkdtemp(prefix="reviewbot-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                user_data,
                executable_path=CHROMIUM,
                headless=True,
                args=[*CHROMIUM_ARGS, "--lang=en-GB"],  # dates shown day/month/year
                locale="en-GB",
                timezone_id="Europe/London",
                viewport={"width": 1280, "height": 860},
                **options,
            )
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("dialog", lambda dialog: dialog.accept())
            page.errors = errors  # type: ignore[attr-defined]
            try:
                yield page
            finally:
                context.close()
    finally:
        shutil.rmtree(user_data, ignore_errors=True)
