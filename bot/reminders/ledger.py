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

A heartbeat renews the lease of every row the worker still holds each ``HEARTBEAT`` (a channel with
a long queue is paced at one post a second), so only a worker that has stopped loses its claims.
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
from bot.services import Services

log = get_logger(__name__)

HEARTBEAT = timedelta(minutes=1)


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
        while self._fences or self._marks:
            fences, self._fences = self._fences, []
            marks, self._marks = self._marks, []
            try:
                ours, marked = await self._write([rid for rid, _ in fences], [mark for mark, _ in marks])
            except Exception as exc:  # each waiting sender handles it as its own row's failure
                for _, future in [*fences, *marks]:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for rid, future in fences:
                if not future.done():
                    future.set_result(rid in ours)
            for mark, future in marks:
                if not future.done():
                    future.set_result(mark.reminder_id in marked)

    async def _write(self, fence_ids: list[int], marks: list[Mark]) -> tuple[set[int], set[int]]:
        now = self.services.clock.now()
        mine = (Reminder.status == ReminderStatus.SENDING.value, Reminder.claimed_by == self.worker)
        async with self.services.db.session() as session:
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
                held = select(Reminder.id).where(Reminder.id.in_([m.reminder_id for m in marks]), *mine)
                if not self.services.db.is_sqlite:
                    held = held.with_for_update()
                marked = {int(i) for i in (await session.execute(held)).scalars()}
                rows = [_mark_params(m, now) for m in marks if m.reminder_id in marked]
                if rows:
                    await session.execute(_MARK_SENT, rows)
        return ours, marked

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT.total_seconds())
            try:
                async with self.services.db.session() as session:
                    await session.execute(
                        update(Reminder)
                        .where(
                            Reminder.status == ReminderStatus.SENDING.value,
                            Reminder.claimed_by == self.worker,
                        )
                        .values(claimed_at=self.services.clock.now())
                        .execution_options(synchronize_session=False)
                    )
            except Exception as exc:  # the next beat tries again; the lease is five minutes
                log.warning("reminders.heartbeat_failed", error=type(exc).__name__)


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
