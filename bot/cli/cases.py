"""`reviewbot cases export (REF | --all) --format json|md|docx [--out FILE]`: a case's whole record
(or every case's) for records and archiving. The fields are documented in docs/case-export.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.database import CommandFailed, migrated_at, run
from bot.cli.startup import settings_or_raise
from bot.clock import SystemClock, london_date

# Handlers import the application (the database engine) when they run, not when the command line
# starts: see bot/cli/demo.py.


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cases = sub.add_parser("cases", help="case records: export")
    cases.set_defaults(handler=_missing_subcommand)
    commands = cases.add_subparsers(dest="cases_command", metavar="{export}")
    export = commands.add_parser(
        "export", help="export a case record (or every case) as JSON, Markdown or Word"
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("reference", nargs="?", metavar="REF", help="a case reference, e.g. RR-2026-001")
    which.add_argument("--all", action="store_true", help="every case in the database, oldest first")
    export.add_argument("--format", choices=["json", "md", "docx"], default="json")
    export.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--database-url", metavar="URL", help="default: DATABASE_URL")
    export.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    async def _export() -> int:
        from bot.case_record.gather import case_records
        from bot.case_record.render import as_docx, as_json, as_markdown

        url = args.database_url or settings_or_raise(require_slack=False).database_url
        db = await migrated_at(url)
        try:
            async with db.read() as session:
                reference = None if args.all else args.reference
                records = await case_records(session, reference, london_date(SystemClock().now()))
        finally:
            await db.dispose()
        if not args.all and not records:
            raise CommandFailed(
                f"There is no case {args.reference!r} in that database. Fix: check the reference."
            )
        if args.format == "json":
            data: bytes = as_json(records, single=not args.all).encode("utf-8")
        elif args.format == "md":
            data = as_markdown(records).encode("utf-8")
        else:
            data = as_docx(records)
        if args.out:
            try:
                Path(args.out).write_bytes(data)  # noqa: ASYNC240 - a command line, nothing else waits
            except OSError as exc:
                raise CommandFailed(
                    f"Could not write {args.out} ({exc.strerror}). Fix: check the path."
                ) from None
            print(f"Wrote {len(records)} case record(s) to {args.out}.", file=sys.stderr)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return 0

    return run(_export)


def _missing_subcommand(args: argparse.Namespace) -> int:
    print("error: say 'cases export REF' or 'cases export --all'", file=sys.stderr)
    return 2
