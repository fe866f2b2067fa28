"""The delivery ledger: the engine's writes during a send, batched without widening the duplicate window.

Each post needs two writes: a fence before it (the row is still claimed by this worker; renew the
lease) and a mark after it (sent, with channel and ts). One unit of work per write meant two
transactions per message, which bounded delivery by the database rather than by Slack. Here the
senders of every channel hand their fences and marks to one ledger, which writes whatever has
gathered in a single transaction, then the next batch, and so on; a sender waits for its own write
to be committed before it goes on.

Because a channel's sender waits for the commit of its mark before posting the next message to
that channel, a crash (kill -9) can leave at most one accepted-but-unmarked post per channel being
sent to at that moment, exactly as with one transaction per message (see dispatch.py).

A heartbeat renews, each ``HEARTBEAT``, the lease of the rows this run has handed to its senders and
not yet finished (a channel with a long queue is paced at one post a second), so only a worker that
has stopped loses them; a row whose sender failed is not renewed and comes back after the lease. The
heartbeat goes through the same writer, so the worker never holds two transactions over its own rows
(on PostgreSQL two would lock each other's rows). A failed batch is written again (every write in it
is conditional on the row still being this worker's, so a repeat changes nothing twice).
"""

from __future__ import annotations

import asyncio
import typing
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Table, bindparam, select, update

from bot.observability import get_logger
from bot.reminders.models import Reminder, ReminderStatus
from bot.runtime.services import Services

log = get_logger(__name__)

HEARTBEAT = timedelta(minutes=1)
WRITE_ATTEMPTS = 3
RETRY_PAUSE = 0.2  # seconds, doubled for each further attempt


@dataclass
class Mark:
    reminder_id: int
    channel: str
    ts: str
    late: bool


class Ledger:
    """Batches the fence and sent-mark writes of one worker's delivery run."""

    def __init__(self, services: Services, worker: str) -> None:
        self.services = services
        self.worker = worker
        self._fences: list[tuple[int, asyncio.Future[bool]]] = []
        self._marks: list[tuple[Mark, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._held: set[int] = set()
        self._renew = False

    def hold(self, reminder_id: int) -> None:
        """A row handed to a sender: its lease is renewed until :meth:`release`."""
        self._held.add(reminder_id)

    def release(self, reminder_id: int) -> None:
        self._held.discard(reminder_id)

    async def still_ours(self, reminder_id: int) -> bool:
        """The row is still claimed by this worker (its lease renewed): safe to post it."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._fences.append((reminder_id, future))
        self._wake()
        return await future

    async def sent(self, mark: Mark) -> bool:
        """Record a post Slack accepted; True when the row was still ours and is now marked sent."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._marks.append((mark, future))
        self._wake()
        return await future

    async def still_ours_all(self, reminder_ids: list[int]) -> set[int]:
        """:meth:`still_ours` for every row of one message, in one write: the rows still ours."""
        loop = asyncio.get_running_loop()
        futures: list[tuple[int, asyncio.Future[bool]]] = [
            (rid, loop.create_future()) for rid in reminder_ids
        ]
        self._fences += futures
        self._wake()
        return {rid for rid, future in futures if await future}

    async def sent_all(self, marks: list[Mark]) -> set[int]:
        """:meth:`sent` for every row one message delivered, in one write: the rows marked sent."""
        loop = asyncio.get_running_loop()
        futures: list[tuple[Mark, asyncio.Future[bool]]] = [(mark, loop.create_future()) for mark in marks]
        self._marks += futures
        self._wake()
        return {mark.reminder_id for mark, future in futures if await future}

    def start(self) -> None:
        self._heartbeat = asyncio.create_task(self._beat(), name="ledger-heartbeat")

    async def close(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            await asyncio.gather(self._heartbeat, return_exceptions=True)
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)

    def _wake(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all(), name="ledger-writer")

    async def _write_all(self) -> None:
        fences: list[tuple[int, asyncio.Future[bool]]] = []
        marks: list[tuple[Mark, asyncio.Future[bool]]] = []
        try:
            while self._fences or self._marks or self._renew:
                fences, self._fences = self._fences, []
                marks, self._marks = self._marks, []
                renew, self._renew = self._renew, False
                try:
                    ours, marked = await self._write_again_if_needed(
                        [rid for rid, _ in fences], [mark for mark, _ in marks], renew
                    )
                except Exception as exc:  # each waiting sender handles it as its own row's failure
                    _fail([f for _, f in fences] + [f for _, f in marks], exc)
                    continue
                for rid, future in fences:
                    if not future.done():
                        future.set_result(rid in ours)
                for mark, future in marks:
                    if not future.done():
                        future.set_result(mark.reminder_id in marked)
        except BaseException as exc:  # cancelled: nobody may wait for ever on a write that will not come
            pending = [f for _, f in [*fences, *self._fences]] + [f for _, f in [*marks, *self._marks]]
            _fail(pending, exc if isinstance(exc, Exception) else RuntimeError("ledger stopped"))
            raise

    async def _write_again_if_needed(
        self, fence_ids: list[int], marks: list[Mark], renew: bool
    ) -> tuple[set[int], set[int]]:
        pause = RETRY_PAUSE
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return await self._write(fence_ids, marks, renew)
            except Exception as exc:
                if attempt == WRITE_ATTEMPTS:
                    raise
                log.warning("reminders.ledger_retry", attempt=attempt, error=type(exc).__name__)
                await asyncio.sleep(pause)
                pause *= 2
        raise AssertionError("unreachable")

    async def _write(self, fence_ids: list[int], marks: list[Mark], renew: bool) -> tuple[set[int], set[int]]:
        now = self.services.clock.now()
        mine = (Reminder.status == ReminderStatus.SENDING.value, Reminder.claimed_by == self.worker)
        held = sorted(self._held) if renew else []
        async with self.services.db.session() as session:
            if held:  # the heartbeat
                await session.execute(
                    update(Reminder)
                    .where(Reminder.id.in_(held), *mine)
                    .values(claimed_at=now)
                    .execution_options(synchronize_session=False)
                )
            ours: set[int] = set()
            if fence_ids:
                renewed = await session.execute(
                    update(Reminder)
                    .where(Reminder.id.in_(fence_ids), *mine)
                    .values(claimed_at=now)
                    .returning(Reminder.id)
                    .execution_options(synchronize_session=False)
                )
                ours = {int(i) for i in renewed.scalars()}
            marked: set[int] = set()
            if marks:
                still = (
                    select(Reminder.id)
                    .where(Reminder.id.in_([m.reminder_id for m in marks]), *mine)
                    .order_by(Reminder.id)
                )
                if not self.services.db.is_sqlite:
                    still = still.with_for_update()
                marked = {int(i) for i in (await session.execute(still)).scalars()}
                rows = [_mark_params(m, now) for m in marks if m.reminder_id in marked]
                if rows:
                    await session.execute(_MARK_SENT, rows)
        return ours, marked

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT.total_seconds())
            self._renew = True
            self._wake()


def _fail(futures: list[asyncio.Future[bool]], exc: Exception) -> None:
    for future in futures:
        if not future.done():
            future.set_exception(exc)


_TABLE = typing.cast(Table, Reminder.__table__)
_MARK_SENT: Any = (
    _TABLE.update()
    .where(_TABLE.c.id == bindparam("b_id"))
    .values(
        status=ReminderStatus.SENT.value,
        sent_at=bindparam("b_at"),
        late=bindparam("b_late"),
        sent_channel=bindparam("b_channel"),
        sent_ts=bindparam("b_ts"),
        attempts=_TABLE.c.attempts + 1,
        last_error=None,
    )
)


def _mark_params(mark: Mark, now: Any) -> dict[str, Any]:
    return {
        "b_id": mark.reminder_id,
        "b_at": now,
        "b_late": mark.late,
        "b_channel": mark.channel,
        "b_ts": mark.ts,
    }
