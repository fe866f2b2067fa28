"""`reviewbot sandbox`: the bot and the Slack stand-in behind a small Slack-like page in your browser."""

from __future__ import annotations

import argparse
import asyncio
import logging
from datetime import datetime
from pathlib import Path

from bot.cli.installed import where_installed

# Handlers import the application when they run, not when the command line starts (see bot/cli/demo.py).


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sandbox = sub.add_parser(
        "sandbox",
        help="try ReviewBot in a browser: a local Slack-like page, the bot and its worker; needs no settings",
    )
    sandbox.add_argument(
        "--port", type=int, default=8080, help="serve the page on 127.0.0.1:PORT (default 8080)"
    )
    sandbox.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help="partnership file (default: the bundled synthetic example)",
    )
    sandbox.add_argument(
        "--start",
        metavar="YYYY-MM-DDTHH:MM",
        help="the business clock's starting instant, UK time (default: now)",
    )
    sandbox.add_argument(
        "--database-url", metavar="URL", help="keep the sandbox's data here (default: temporary)"
    )
    sandbox.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.clock import LONDON, SystemClock
    from bot.observability import configure_logging
    from bot.sandbox.browser.serve import serve_forever

    configure_logging("WARNING")
    logging.getLogger("uvicorn").setLevel(logging.WARNING)
    if args.start:
        try:
            start = datetime.fromisoformat(args.start).replace(tzinfo=LONDON)
        except ValueError:
            print("error: --start is YYYY-MM-DDTHH:MM (UK time)")
            return 2
    else:
        start = SystemClock().now().replace(second=0, microsecond=0)
    print(where_installed(), flush=True)
    out = lambda line: print(line, flush=True)  # noqa: E731
    try:
        return asyncio.run(
            serve_forever(
                out, port=args.port, start=start, config_path=args.config, database_url=args.database_url
            )
        )
    except OSError as exc:
        print(f"error: cannot serve on 127.0.0.1:{args.port}: {exc.strerror or exc}")
        return 1
