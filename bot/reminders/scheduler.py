"""The worker role: APScheduler only ticks; the database holds every reminder and digest.

Each tick asks the registered tick handlers (reminder dispatch, digests) to do what is due now. No
job store, no pickled jobs: a restart loses nothing because the rows are still there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.actions.reminders import sweep_action_reminders  # also registers the "action" kind
from bot.board.service import refresh_board_messages
from bot.cases.slack_sync import resume_unfinished_setups
from bot.deadlines.overdue import sweep_overdue
from bot.digest import reminders as _digest_kind  # noqa: F401  (registers the "chair_digest" kind)
from bot.digest.schedule import ensure_weekly_digests
from bot.observability import get_logger
from bot.reminders.dispatch import dispatch_due
from bot.runtime.services import Services

log = get_logger(__name__)

TickHandler = Callable[[Services], Awaitable[None]]


async def _resume_case_setups(services: Services) -> None:
    await resume_unfinished_setups(services)


async def _sweep_overdue(services: Services) -> None:
    await sweep_overdue(services)


async def _sweep_action_reminders(services: Services) -> None:
    await sweep_action_reminders(services)


async def _plan_chair_digests(services: Services) -> None:
    await ensure_weekly_digests(services)


async def _refresh_board_messages(services: Services) -> None:
    await refresh_board_messages(services)


async def _dispatch(services: Services) -> None:
    await dispatch_due(services)


# Order matters: finish case set-ups (channels), add overdue, action and digest rows, deliver what is
# due, then bring board messages up to date (a few per tick, so they never hold up a reminder).
TICK_HANDLERS: list[TickHandler] = [
    _resume_case_setups,
    _sweep_overdue,
    _sweep_action_reminders,
    _plan_chair_digests,
    _dispatch,
    _refresh_board_messages,
]


async def tick(services: Services) -> None:
    """One pass over everything that may be due. Safe to run concurrently in several processes."""
    for handler in TICK_HANDLERS:
        try:
            await handler(services)
        except Exception as exc:  # one failing handler must not starve the others
            log.error("worker.tick_failed", handler=handler.__name__, error=type(exc).__name__, exc_info=True)


class Worker:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.scheduler: AsyncIOScheduler | None = None

    async def start(self) -> None:
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.scheduler.add_job(
            tick,
            "interval",
            seconds=self.services.settings.tick_seconds,
            args=[self.services],
            id="tick",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        self.scheduler.start()
        log.info("worker.started", tick_seconds=self.services.settings.tick_seconds)

    async def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
