"""`reviewbot` command line: serve, worker, demo, sandbox, db upgrade, check-config, calendar, rules,
version."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import audit as audit_cli
from bot.cli import calendar as calendar_cli
from bot.cli import cases as cases_cli
from bot.cli import check_config as check_config_cli
from bot.cli import demo as demo_cli
from bot.cli import doctor as doctor_cli
from bot.cli import people as people_cli
from bot.cli import records as records_cli
from bot.cli import reminders as reminders_cli
from bot.cli import rules as rules_cli
from bot.cli import sandbox as sandbox_cli
from bot.cli import server as server_cli
from bot.cli import tokens as tokens_cli
from bot.cli.installed import where_installed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reviewbot",
        description="ReviewBot: coordinate child safeguarding case reviews in Slack.",
        epilog=where_installed(),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    server_cli.register(sub)
    demo_cli.register(sub)
    sandbox_cli.register(sub)
    check_config_cli.register(sub)
    doctor_cli.register(sub)
    calendar_cli.register(sub)
    rules_cli.register(sub)
    tokens_cli.register(sub)
    cases_cli.register(sub)
    reminders_cli.register(sub)
    audit_cli.register(sub)
    records_cli.register(sub)
    people_cli.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
