"""A reminder worker process for the delivery benchmark: wait for "go", dispatch until nothing is left.

Run as ``python -m benchmarks.delivery_worker NAME [--batch N]`` with DATABASE_URL, SLACK_* and
LOG_LEVEL in the environment. It calls the engine's ``dispatch_due`` back to back (no 15-second
tick in between: the benchmark measures delivery, not the tick) and, while rows are waiting for a
Retry-After, polls every 0.1 s. It prints "ready" once connected, then one JSON line when done.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time


async def main(name: str, batch: int) -> int:
    from sqlalchemy import func, select

    from bot.observability import configure_logging
    from bot.reminders.dispatch import dispatch_due
    from bot.reminders.models import Reminder, ReminderStatus
    from bot.runtime.assembly import build_services
    from bot.settings import load_settings

    settings = load_settings(require_slack=True)
    configure_logging(settings.log_level)
    services = build_services(settings)
    await services.db.ping()
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    started = time.perf_counter()
    totals = {"claimed": 0, "sent": 0, "retried": 0, "dead": 0, "reclaimed": 0, "passes": 0}
    try:
        while True:
            report = await dispatch_due(services, worker=name, batch=batch)
            totals["passes"] += 1
            for key in ("claimed", "sent", "retried", "dead", "reclaimed"):
                totals[key] += getattr(report, key)
            if report.claimed:
                continue
            async with services.db.session() as session:
                left = (
                    await session.execute(
                        select(func.count())
                        .select_from(Reminder)
                        .where(
                            Reminder.status.in_([ReminderStatus.PENDING.value, ReminderStatus.SENDING.value])
                        )
                    )
                ).scalar_one()
            if not left:
                break
            await asyncio.sleep(0.1)
    finally:
        await services.gateway.close()
        await services.db.dispose()
    print(json.dumps({"worker": name, "seconds": time.perf_counter() - started, **totals}), flush=True)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("name")
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.name, args.batch)))
