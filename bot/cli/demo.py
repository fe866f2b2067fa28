"""`reviewbot demo`: run the scripted demo against the local Slack stand-in (no Slack, no settings)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.cli.installed import where_installed

# Handlers import the application (Slack, the database engine, the web app, the worker; structlog for
# the logs) when they run, not when the command line starts: `reviewbot --help`, `version`, `calendar`,
# `rules` and `check-config` answer without loading them (bot.cli imports every subcommand module).


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser(
        "demo", help="run a scripted demo against a local Slack stand-in; needs no settings"
    )
    demo.add_argument(
        "--nation",
        choices=["england", "wales", "scotland", "northern_ireland"],
        help="run that nation's current review type from notification to closure, day by day",
    )
    demo.add_argument(
        "--database-url",
        metavar="URL",
        help="with --nation: leave the demo's database here (default: temporary)",
    )
    demo.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.observability import configure_logging
    from bot.sandbox.demo import run_demo
    from bot.sandbox.nation_demo import run_nation_demo

    configure_logging("WARNING")
    logging.getLogger("uvicorn").setLevel(logging.WARNING)
    out = lambda line: print(line, flush=True)  # noqa: E731
    if getattr(args, "nation", None):
        code = asyncio.run(run_nation_demo(args.nation, out, getattr(args, "database_url", None)))
    elif getattr(args, "database_url", None):
        print("error: --database-url goes with --nation", file=sys.stderr)
        return 2
    else:
        code = asyncio.run(run_demo(out))
    print(where_installed())
    return code
