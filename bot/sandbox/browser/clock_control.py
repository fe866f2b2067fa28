"""The sandbox's clock: a FakeClock the page moves forward, with the worker run as time passes.

Moving the clock steps through every 08:30, 09:00 and 17:00 (UK time) on the way, running the worker's
tick at each, so reminders, escalations and digests due on the days skipped arrive as they would have,
in order. Between moves the worker runs every couple of seconds at the current (frozen) time, as a
worker process would.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta

from bot.clock import LONDON, FakeClock, london_date, london_datetime

log = logging.getLogger("bot.sandbox.browser")

STOPS = (time(8, 30), time(9, 0), time(17, 0))  # the worker runs at each of these on every day skipped


class ClockError(ValueError):
    """A move the page asked for that cannot be made (the past, or too far)."""


class ClockControl:
    def __init__(
        self,
        clock: FakeClock,
        run_worker: Callable[[], Awaitable[None]],
        next_working_day: Callable[[date], date],
        *,
        interval: float = 2.0,
        max_days: int = 400,
    ) -> None:
        self.clock = clock
        self._run_worker = run_worker
        self._next_working_day = next_working_day
        self._interval = interval
        self._max_days = max_days
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    def describe(self) -> dict[str, str]:
        now = self.clock.now().astimezone(LONDON)
        return {
            "iso": now.isoformat(),
            "date": now.date().isoformat(),
            "label": now.strftime("%a %-d %b %Y, %H:%M"),
            "zone": now.tzname() or "",
        }

    async def tick(self) -> None:
        async with self._lock:
            await self._run_worker()

    async def next_working_day_9(self) -> datetime:
        """Move to 09:00 on the next working day of the partnership's nation."""
        target = london_datetime(self._next_working_day(london_date(self.clock.now())), 9)
        await self.move_to(target)
        return target

    async def jump_to(self, day: date) -> datetime:
        """Move to 09:00 (UK) on ``day``."""
        target = london_datetime(day, 9)
        await self.move_to(target)
        return target

    async def move_to(self, target: datetime) -> None:
        now = self.clock.now()
        if target <= now:
            raise ClockError("That time has passed: the sandbox's clock only moves forward.")
        if (target - now) > timedelta(days=self._max_days):
            raise ClockError(f"That is more than {self._max_days} days ahead: move in smaller steps.")
        async with self._lock:
            for stop in _stops_between(now, target):
                self.clock.set(stop)
                await self._run_worker()
            self.clock.set(target)
            await self._run_worker()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.tick()
            except Exception:  # the page must keep working if one tick fails
                log.exception("sandbox worker tick failed")


def _stops_between(start: datetime, end: datetime) -> list[datetime]:
    """Every stop time strictly between ``start`` and ``end``, in order."""
    out: list[datetime] = []
    day = london_date(start)
    while day <= london_date(end):
        for stop in STOPS:
            instant = london_datetime(day, stop.hour, stop.minute)
            if start < instant < end:
                out.append(instant)
        day += timedelta(days=1)
    return out
