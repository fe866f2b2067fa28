"""`reviewbot demo`: run the scripted demo against the local Slack stand-in (no Slack, no settings)."""

from __future__ import annotations

import argparse
import asyncio
import logging


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
    return asyncio.run(run_demo(lambda line: print(line, flush=True)))
