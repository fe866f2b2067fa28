"""`reviewbot demo`: run the scripted demo against the local Slack stand-in (no Slack, no settings)."""

from __future__ import annotations

import argparse
import asyncio
import logging

from bot.cli.installed import where_installed

# Handlers import the application (Slack, the database engine, the web app, the worker; structlog for
# the logs) when they run, not when the command line starts: `reviewbot --help`, `version`, `calendar`,
# `rules` and `check-config` answer without loading them (bot.cli imports every subcommand module).


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser(
        "demo", help="run a scripted demo against a local Slack stand-in; needs no settings"
    )
    demo.set_defaults(handler=run)


def run(_args: argparse.Namespace) -> int:
    from bot.observability import configure_logging
    from bot.sandbox.demo import run_demo

    configure_logging("WARNING")
    logging.getLogger("uvicorn").setLevel(logging.WARNING)
    code = asyncio.run(run_demo(lambda line: print(line, flush=True)))
    print(where_installed())
    return code
