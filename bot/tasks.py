"""Work that runs after Slack has been answered.

Listeners ack at once and hand slow work (views.open, channel creation, posting) to
:class:`BackgroundWork`, which keeps a strong reference to every task (asyncio may otherwise
collect it), reports failures to the person, and can be drained: tests drain after each request,
and shutdown drains before closing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from bot.errors import DATABASE_UNAVAILABLE, UserFacingError, is_database_unavailable, unexpected_message
from bot.observability import get_logger, new_error_ref, request_id_var

log = get_logger(__name__)

Notify = Callable[[str], Awaitable[None]]


class BackgroundWork:
    def __init__(self, on_unexpected: Callable[[], None] | None = None) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._on_unexpected = on_unexpected

    def spawn(
        self, work: Coroutine[Any, Any, Any], *, name: str, tell: Notify | None = None
    ) -> asyncio.Task[Any]:
        task = asyncio.create_task(self._guard(work, name, tell), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _guard(self, work: Coroutine[Any, Any, Any], name: str, tell: Notify | None) -> None:
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


async def _quietly(aw: Awaitable[None], name: str) -> None:
    try:
        await aw
    except Exception as exc:  # telling the person failed too; the log has it
        log.warning("work.tell_failed", work=name, error=type(exc).__name__, request=request_id_var.get())
