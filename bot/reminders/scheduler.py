"""The worker role: APScheduler only ticks; the database holds every reminder and digest.

Each tick asks the tick handlers the features provide (case set-ups, sweeps, reminder delivery, board
messages; see bot.runtime.features) to do what is due now. No
job store, no pickled jobs: a restart loses nothing because the rows are still there.
"""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.digest import reminders as _digest_kind  # noqa: F401  (registers the "chair_digest" kind)
from bot.observability import get_logger
from bot.runtime.services import Services

log = get_logger(__name__)

async def tick(services: Services) -> None:
    """One pass over everything that may be due. Safe to run concurrently in several processes."""
    for tick_handler in services.wiring.ticks:  # in their declared order: set-ups, sweeps, delivery, boards
        try:
            await tick_handler.handler(services)
        except Exception as exc:  # one failing handler must not starve the others
            log.error(
                "worker.tick_failed", handler=tick_handler.name, error=type(exc).__name__, exc_info=True
            )


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
