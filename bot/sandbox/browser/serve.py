"""Start the sandbox: the bot (HTTP endpoint on loopback), the Slack stand-in, the worker on a FakeClock,
and the page with its API on ``127.0.0.1:PORT``.

This is the one module of the sandbox page that imports the bot, and only to start it (through
:class:`~bot.sandbox.harness.Harness`, as the demo does) and to hand the API three things: the
worker's tick, a wait for after-ack work, and the registry's subcommand list for the message box's
hints. Behaviour is driven only through signed requests (:mod:`.api`).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from aiohttp import web

from bot.calendar.working_days import WorkingCalendar
from bot.clock import FakeClock
from bot.reminders.scheduler import tick
from bot.sandbox.browser.api import SandboxApi
from bot.sandbox.browser.clock_control import ClockControl
from bot.sandbox.browser.people import people_directory
from bot.sandbox.harness import OUTSIDER, Harness


@dataclass
class Sandbox:
    harness: Harness
    api: SandboxApi
    clock: ClockControl
    runner: web.AppRunner
    url: str
    _tmp: tempfile.TemporaryDirectory[str] | None

    async def close(self) -> None:
        await self.clock.stop()
        await self.runner.cleanup()
        await self.api.aclose()
        await self.harness.close()
        if self._tmp is not None:
            self._tmp.cleanup()


async def start_sandbox(
    *,
    port: int,
    start: datetime,
    config_path: Path | None = None,
    database_url: str | None = None,
    host: str = "127.0.0.1",
    worker_interval: float = 2.0,
) -> Sandbox:
    """Start everything; the page is at the returned :attr:`Sandbox.url`."""
    tmp = None
    if database_url is None:
        tmp = tempfile.TemporaryDirectory(prefix="reviewbot-sandbox-")
        database_url = f"sqlite+aiosqlite:///{Path(tmp.name) / 'sandbox.sqlite3'}"
    clock = FakeClock(start)
    harness = await Harness.start(
        database_url=database_url, clock=clock, config_path=config_path, over_http=True
    )
    services = harness.services
    config = services.config
    calendar = WorkingCalendar(config.partnerships[0].nation)

    async def run_worker() -> None:
        await tick(services)
        await services.tasks.drain()

    control = ClockControl(clock, run_worker, calendar.next_working_day, interval=worker_interval)
    api = SandboxApi(
        fake=harness.fake,
        slack=harness.slack,
        bot_url=harness.url,
        clock=control,
        people=lambda: people_directory(services.config, OUTSIDER),
        partnerships=[p.name for p in config.partnerships],
        subcommands=[
            {"name": s.name, "usage": s.usage, "summary": s.summary}
            for s in harness.features.router.listing()
        ],
        settle=services.tasks.drain,
    )
    runner = web.AppRunner(api.routes(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1] if runner.addresses else port
    control.start()
    return Sandbox(harness, api, control, runner, f"http://{host}:{bound}/", tmp)


async def serve_forever(out: Callable[[str], None], **kwargs: object) -> int:
    sandbox = await start_sandbox(**kwargs)  # type: ignore[arg-type]
    out(f"ReviewBot sandbox: open {sandbox.url} in a browser (Ctrl-C stops it).")
    out(f"  bot endpoint {sandbox.harness.url}/slack/events, Slack stand-in {sandbox.harness.fake.url}")
    out(f"  business clock {sandbox.clock.describe()['label']} (UK time), moved from the page")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(signum, stop.set)
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await stop.wait()
    finally:
        await sandbox.close()  # the temporary database goes too
    return 0
