"""`reviewbot records due` and `reviewbot records purge`: retention of closed cases."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date

from bot.cli.database import CommandFailed, ensure_migrated, refused, run
from bot.cli.startup import settings_or_raise
from bot.clock import SystemClock, london_date

# Handlers import the application (Slack, the database engine, the web app, the worker; structlog for
# the logs) when they run, not when the command line starts: `reviewbot --help`, `version`, `calendar`,
# `rules` and `check-config` answer without loading them (bot.cli imports every subcommand module).

EXIT_REFUSED = 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    records = sub.add_parser("records", help="retention: list closed cases past it, purge one to a tombstone")
    rsub = records.add_subparsers(dest="records_command", metavar="RECORDS_COMMAND", required=True)
    due = rsub.add_parser("due", help="closed cases past their partnership's retention period")
    due.add_argument("--partnership", help="only this partnership")
    due.add_argument("--on", type=_day, help="as on this UK day, YYYY-MM-DD (default today)")
    due.set_defaults(handler=run_due)
    purge = rsub.add_parser(
        "purge",
        help="remove a closed case's content, keep a tombstone, archive its channel (needs --confirm)",
        description="Without --confirm, says what would be removed and removes nothing.",
    )
    purge.add_argument("reference", help="the case reference, e.g. RR-2019-004")
    purge.add_argument("--reason", required=True, help="why, kept on the tombstone (no names or identifiers)")
    purge.add_argument("--confirm", action="store_true", help="really purge")
    purge.add_argument("--partnership", help="the partnership, when two use the same reference")
    purge.add_argument("--by", help="who is purging, kept on the tombstone (default cli:<login name>)")
    purge.add_argument(
        "--before-retention-ends",
        dest="early",
        action="store_true",
        help="purge although the retention period has not ended (or none is set)",
    )
    purge.set_defaults(handler=run_purge)


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a date: write YYYY-MM-DD") from None


def _today() -> date:
    return london_date(SystemClock().now())


def run_due(args: argparse.Namespace) -> int:
    async def _due() -> int:
        from bot.records.retention import cases_due
        from bot.runtime.assembly import build_services

        settings = settings_or_raise(require_slack=False)
        await ensure_migrated(settings)
        services = build_services(settings)
        on = args.on or _today()
        try:
            found = await cases_due(services, on, partnership_id=args.partnership)
        except KeyError:
            raise CommandFailed(
                f"There is no partnership {args.partnership!r}. Fix: use an id from the partnership file.", 2
            ) from None
        finally:
            await services.db.dispose()
        if found.cases:
            print(f"{len(found.cases)} closed case(s) past their retention period on {on:%Y-%m-%d}:")
            for case in found.cases:
                print(
                    f"  {case.reference:<16} {case.partnership_id:<16} closed {case.closed_on:%Y-%m-%d}, "
                    f"kept {case.retention_years} years, due since {case.ends_on:%Y-%m-%d}"
                )
            print("Purge one with: reviewbot records purge REFERENCE --reason TEXT --confirm")
        else:
            print(f"No closed case is past its retention period on {on:%Y-%m-%d}.")
        for partnership in found.without_retention:
            print(
                f"Partnership {partnership} sets no retention period, so none of its cases is ever due. "
                "Fix: add `retention: {years: N}` to it in the partnership file."
            )
        return 0

    return run(_due)


def run_purge(args: argparse.Namespace) -> int:
    by = (args.by or f"cli:{getpass.getuser()}")[:64]

    async def _purge() -> int:
        from bot.records.models import REASON_LIMIT
        from bot.records.purge import PurgeRefused, finish_purge, plan_purge, purge_case
        from bot.records.reasons import reason_problem
        from bot.runtime.assembly import build_services

        settings = settings_or_raise(require_slack=True, require_signing_secret=False)
        await ensure_migrated(settings)
        services = build_services(settings)
        try:
            finished = await finish_purge(services, args.reference, args.partnership, by=by)
            if finished is not None:
                print(f"{finished.reference} was purged before; its channel: {finished.channel}.")
                return 0 if not finished.channel.startswith("not") else EXIT_REFUSED
            try:
                plan = await plan_purge(
                    services,
                    args.reference,
                    partnership_id=args.partnership,
                    today=_today(),
                    early=args.early,
                )
            except PurgeRefused as exc:
                raise refused(exc) from None
            problem = reason_problem(services, plan.partnership_id, args.reason, REASON_LIMIT)
            if problem:
                raise CommandFailed(f"The reason cannot be stored: {problem}")
            if not args.confirm:
                closed = f", closed {plan.closed_on:%Y-%m-%d}" if plan.closed_on is not None else ""
                print(
                    f"Would purge {plan.reference} ({plan.partnership_id}{closed}): {plan.describe()}; a "
                    "tombstone would stay and its channel would be archived. Nothing was removed: add "
                    "--confirm to purge."
                )
                return 0
            try:
                outcome = await purge_case(services, plan, by=by, reason=args.reason)
            except PurgeRefused as exc:
                raise refused(exc) from None
        finally:
            await services.gateway.close()
            await services.db.dispose()
        print(
            f"Purged {outcome.reference}: removed {outcome.removed}. A tombstone keeps its reference and "
            "dates."
        )
        print(f"Case channel: {outcome.channel}. Board message: {outcome.board_message}.")
        if outcome.channel.startswith("not"):
            print(
                "Run the same command again when Slack answers to archive the channel.", file=sys.stderr
            )
            return EXIT_REFUSED
        return 0

    return run(_purge)
