"""A worker process for the multi-process delivery test: dispatch until nothing is due, then exit.

Run as: python tests/scripts/dispatch_worker.py WORKER_ID (DATABASE_URL and SLACK_* from the environment).
It prints "ready" once set up and starts when a line arrives on stdin, so both workers start together.
"""

from __future__ import annotations

import asyncio
import sys


async def main(worker: str) -> int:
    from bot.reminders.dispatch import dispatch_due
    from bot.runtime.assembly import build_services
    from bot.settings import load_settings

    services = build_services(load_settings(require_slack=True))
    await services.db.ping()
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    sent = 0
    try:
        while True:
            report = await dispatch_due(services, worker=worker, batch=10)
            sent += report.sent
            if report.claimed == 0:
                break
    finally:
        await services.gateway.close()
        await services.db.dispose()
    print(f"{worker} sent {sent}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
