"""`reviewbot people import [--config FILE] [--prune] [--dry-run]`: the partnership file's people into
the database.

The file is where a partnership's people start; the database is what the bot reads (and what
`/review people` changes in Slack). Importing makes the database hold every person the file lists,
with the file's agency, roles, label and working days, and reports each person as added, changed or
unchanged. People in the database but not in the file (added in Slack) are never removed silently:
they are listed, and only ``--prune`` deactivates them. ``--dry-run`` says what would happen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.database import migrated, run
from bot.cli.startup import settings_or_raise

# Handlers import the application (Slack, the database engine, the web app, the worker; structlog for
# the logs) when they run, not when the command line starts: `reviewbot --help`, `version`, `calendar`,
# `rules` and `check-config` answer without loading them (bot.cli imports every subcommand module).

ACTOR = "cli:people-import"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    people = sub.add_parser("people", help="the people of each partnership, as the database holds them")
    psub = people.add_subparsers(dest="people_command", metavar="PEOPLE_COMMAND", required=True)
    imp = psub.add_parser(
        "import",
        help="bring the partnership file's people into the database (idempotent)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument(
        "--config", type=Path, default=None, help="the partnership file (default: $REVIEWBOT_CONFIG)"
    )
    imp.add_argument("--prune", action="store_true", help="deactivate people who are not in the file")
    imp.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    imp.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    return run(lambda: _import(args.config, prune=args.prune, dry_run=args.dry_run))


async def _import(path: Path | None, *, prune: bool, dry_run: bool) -> int:
    from bot.clock import SystemClock
    from bot.config.loading import load_config
    from bot.people.store import import_partnership

    settings = settings_or_raise(require_slack=False)
    config = load_config(path or settings.reviewbot_config)  # a ConfigError is listed by run()
    db = await migrated(settings)
    clock = SystemClock()
    try:
        for partnership in config.partnerships:
            async with db.session() as session:
                report = await import_partnership(
                    session, clock, partnership, actor=ACTOR, prune=prune, dry_run=dry_run
                )
            counts = report.summary
            verb = "would be" if dry_run else "were"
            print(
                f"{partnership.id}: {counts['added']} added, {counts['changed']} changed, "
                f"{counts['unchanged']} unchanged"
                + (f", {counts['removed']} removed" if prune else "")
                + (" (dry run: nothing changed)" if dry_run else "")
            )
            for what, ids in (
                ("added", report.added),
                ("changed", report.changed),
                ("removed", report.removed),
            ):
                for user_id in ids:
                    print(f"  {what}: {user_id}")
            if report.not_in_file:
                print(
                    f"  {len(report.not_in_file)} active in the database but not in the file "
                    f"(added in Slack), kept: {', '.join(report.not_in_file)}. "
                    f"`--prune` deactivates them; they {verb} not removed."
                )
    finally:
        await db.dispose()
    return 0
