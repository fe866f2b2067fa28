"""`reviewbot audit verify` and `reviewbot audit export`: the tamper-evident audit trail, read back."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

from bot.cli.database import CommandFailed, migrated, run
from bot.cli.startup import settings_or_raise
from bot.clock import LONDON

# Handlers import the application (Slack, the database engine, the web app, the worker; structlog for
# the logs) when they run, not when the command line starts: `reviewbot --help`, `version`, `calendar`,
# `rules` and `check-config` answer without loading them (bot.cli imports every subcommand module).

EXIT_BROKEN = 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser("audit", help="verify or export the hash-chained audit trail")
    asub = audit.add_subparsers(dest="audit_command", metavar="AUDIT_COMMAND", required=True)
    check = asub.add_parser(
        "verify",
        help="check every audit row against the hash chain; exit 1 naming the first that does not match",
    )
    check.set_defaults(handler=run_verify)
    export = asub.add_parser("export", help="the audit rows of a period as CSV or JSON (with their hashes)")
    export.add_argument("--from", dest="start", required=True, type=_day, help="first UK day, YYYY-MM-DD")
    export.add_argument("--to", dest="end", required=True, type=_day, help="last UK day (included)")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--partnership", help="only this partnership's rows")
    export.add_argument("--output", type=Path, help="write to this file instead of standard output")
    export.set_defaults(handler=run_export)


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a date: write YYYY-MM-DD") from None


def run_verify(_args: argparse.Namespace) -> int:
    async def _verify() -> int:
        from bot.audit_trail import verify

        db = await migrated(settings_or_raise(require_slack=False))
        try:
            result = await verify(db)
        finally:
            await db.dispose()
        if result.broken is not None:
            print(
                f"The audit trail does not verify: {result.broken.describe()}. Every row before it "
                "verifies. Fix: treat this as a security incident: compare the database with a backup or "
                "an earlier `reviewbot audit export` to see what changed, and who could write to it.",
                file=sys.stderr,
            )
            return EXIT_BROKEN
        print(
            f"The audit trail verifies: {result.rows} row{'s' if result.rows != 1 else ''}, chain head at "
            f"position {result.head_seq}, hash {result.head_hash}."
        )
        return 0

    return run(_verify)


def run_export(args: argparse.Namespace) -> int:
    if args.end < args.start:
        print("--to is before --from. Fix: give the first day, then the last.", file=sys.stderr)
        return 2

    async def _export() -> int:
        from bot.audit_trail import rows_between, to_csv, to_json

        db = await migrated(settings_or_raise(require_slack=False))
        start = datetime.combine(args.start, time(), tzinfo=LONDON)
        end = datetime.combine(args.end + timedelta(days=1), time(), tzinfo=LONDON)
        try:
            rows = await rows_between(db, start, end, partnership_id=args.partnership)
        finally:
            await db.dispose()
        text = to_json(rows) if args.format == "json" else to_csv(rows)
        if args.output is None:
            sys.stdout.write(text)
            return 0
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandFailed(
                f"Could not write {args.output} ({exc.strerror}). Fix: check the path."
            ) from None
        count = f"{len(rows)} audit row{'s' if len(rows) != 1 else ''}"
        print(f"{count} written to {args.output}.", file=sys.stderr)
        return 0

    return run(_export)
