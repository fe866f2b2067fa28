"""Work that runs after Slack has been answered.

Listeners ack at once and hand slow work (views.open, channel creation, posting) to
:class:`BackgroundWork`, which keeps a strong reference to every task (asyncio may otherwise
collect it), reports failures to the person, and can be drained: tests drain after each request,
and shutdown drains before closing.

At most ``limit`` pieces of work run at once; the rest wait their turn in arrival order. A burst of
requests then queues here, in memory and cheaply, instead of piling onto the database pool (whose
waits end in timeouts) and SQLite's lock, and the event loop keeps answering Slack promptly.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from bot.db.unavailable import is_database_unavailable
from bot.errors import DATABASE_UNAVAILABLE, UserFacingError, unexpected_message
from bot.observability import get_logger, new_error_ref, request_id_var

log = get_logger(__name__)

Notify = Callable[[str], Awaitable[None]]


DEFAULT_LIMIT = 8


class BackgroundWork:
    def __init__(
        self,
        on_unexpected: Callable[[], None] | None = None,
        *,
        limit: int = DEFAULT_LIMIT,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._on_unexpected = on_unexpected
        self.limit = limit
        self._slots: asyncio.Semaphore | None = None
        self._coalesced: dict[str, _Coalesced] = {}
        self._last_run: dict[str, float] = {}
        self._monotonic, self._sleep = monotonic, sleep

    def spawn(
        self,
        work: Coroutine[Any, Any, Any],
        *,
        name: str,
        tell: Notify | None = None,
        urgent: bool = False,
    ) -> asyncio.Task[Any]:
        """Run ``work`` after the ack. ``urgent`` work (opening a modal: Slack's trigger_id lives 3 s)
        starts at once instead of waiting for one of the ``limit`` slots."""
        if urgent:
            return self._start(self._run(work, name, tell), name)
        return self._start(self._guard(work, name, tell), name)

    def _start(self, work: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def spawn_coalesced(
        self,
        key: str,
        make: Callable[[], Coroutine[Any, Any, Any]],
        *,
        name: str,
        min_interval: float = 0.0,
    ) -> None:
        """Run ``make()`` soon, once for any number of requests that arrive before it starts.

        For redraws (a case card, a board line): ten clicks on a card queue one redraw, not ten,
        and a click that arrives while a redraw is running gets one more run after it, so the last
        state is always drawn. Runs for one key start at least ``min_interval`` seconds apart
        (Slack allows about one edit a second per channel), waiting without holding a slot.
        """
        state = self._coalesced.get(key)
        if state is not None:
            state.again = True
            return
        state = self._coalesced[key] = _Coalesced()

        async def runs() -> None:
            try:
                while True:
                    wait = self._last_run.get(key, -math.inf) + min_interval - self._monotonic()
                    if wait > 0:
                        await self._sleep(wait)
                    state.again = False
                    self._last_run[key] = self._monotonic()
                    await self._guard(make(), name, None)
                    if not state.again:
                        return
            finally:
                self._coalesced.pop(key, None)
                self._forget_old_runs(min_interval)

        self._start(runs(), name)

    def _forget_old_runs(self, min_interval: float) -> None:
        if len(self._last_run) > 1000:
            cutoff = self._monotonic() - max(min_interval, 60.0)
            self._last_run = {k: t for k, t in self._last_run.items() if t > cutoff}

    async def _guard(self, work: Coroutine[Any, Any, Any], name: str, tell: Notify | None) -> None:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            await self._run(work, name, tell)

    async def _run(self, work: Coroutine[Any, Any, Any], name: str, tell: Notify | None) -> None:
        try:
            await work
        except UserFacingError as exc:
            log.info("work.refused", work=name, kind=type(exc).__name__)
            if tell is not None:
                await _quietly(tell(exc.text), name)
        except Exception as exc:
            ref = new_error_ref()
            if is_database_unavailable(exc):
                log.warning("work.database_unavailable", work=name, ref=ref, error=type(exc).__name__)
                if tell is not None:
                    await _quietly(tell(f"{DATABASE_UNAVAILABLE} (Reference {ref}.)"), name)
                return
            if self._on_unexpected:
                self._on_unexpected()
            log.error("work.failed", work=name, ref=ref, error=type(exc).__name__, exc_info=True)
            if tell is not None:
                await _quietly(tell(unexpected_message(ref)), name)

    async def drain(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 - the wait is bounded here
        """Wait until no background work is left (including work started by work)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self._tasks:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"{len(self._tasks)} background task(s) still running")
            await asyncio.wait(set(self._tasks), timeout=remaining)

    @property
    def pending(self) -> int:
        return len(self._tasks)


class _Coalesced:
    again: bool = False


async def _quietly(aw: Awaitable[None], name: str) -> None:
    try:
        await aw
    except Exception as exc:  # telling the person failed too; the log has it
        log.warning("work.tell_failed", work=name, error=type(exc).__name__, request=request_id_var.get())
