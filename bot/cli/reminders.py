"""`reviewbot reminders preview --at "YYYY-MM-DD HH:MM"` and `reviewbot reminders status`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from sqlalchemy import func, select

from bot.cli.database import migrated, run
from bot.cli.startup import settings_or_raise
from bot.clock import LONDON, SystemClock

# Handlers import the application (Slack, the database engine, the web app, the worker; structlog for
# the logs) when they run, not when the command line starts: `reviewbot --help`, `version`, `calendar`,
# `rules` and `check-config` answer without loading them (bot.cli imports every subcommand module).


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    reminders = sub.add_parser("reminders", help="inspect the reminder queue")
    rsub = reminders.add_subparsers(dest="reminders_command", metavar="REMINDERS_COMMAND", required=True)
    preview = rsub.add_parser(
        "preview", help="list what would be sent at a moment (UK time), without sending"
    )
    preview.add_argument("--at", required=True, help='UK local time, "YYYY-MM-DD HH:MM"')
    preview.set_defaults(handler=run_preview)
    status = rsub.add_parser("status", help="queue depth, late, failed and set-aside (dead-lettered) counts")
    status.set_defaults(handler=run_status)


def _parse_at(raw: str) -> datetime | None:
    try:
        return datetime.strptime(raw.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=LONDON)
    except ValueError:
        return None


def run_preview(args: argparse.Namespace) -> int:
    at = _parse_at(args.at)
    if at is None:
        print(
            f'"{args.at}" is not a time I can read. Use "YYYY-MM-DD HH:MM", e.g. "2026-12-23 09:00".',
            file=sys.stderr,
        )
        return 2
    return run(lambda: _preview(at))


async def _preview(at: datetime) -> int:
    from bot.reminders.models import Reminder, ReminderStatus

    db = await migrated(settings_or_raise(require_slack=False))
    try:
        async with db.read() as session:
            rows = (
                (
                    await session.execute(
                        select(Reminder)
                        .where(Reminder.status == ReminderStatus.PENDING.value, Reminder.due_at <= at)
                        .order_by(Reminder.due_at, Reminder.id)
                    )
                )
                .scalars()
                .all()
            )
    finally:
        await db.dispose()
    print(f"{len(rows)} reminder(s) would be sent at {at:%Y-%m-%d %H:%M} UK time:")
    for row in rows:
        local = row.due_at.astimezone(LONDON)
        where = "case channel" if row.recipient == "case_channel" else f"DM {row.recipient}"
        about = f"case {row.case_id}" if row.case_id is not None else f"partnership {row.partnership_id}"
        print(f"  {local:%Y-%m-%d %H:%M}  {row.kind:<12} {row.rung:<16} {about}  {where}")
    return 0


def run_status(_args: argparse.Namespace) -> int:
    return run(_status)


async def _status() -> int:
    from bot.reminders.models import Reminder, ReminderStatus

    db = await migrated(settings_or_raise(require_slack=False))
    now = SystemClock().now()
    try:
        async with db.read() as session:
            grouped = await session.execute(select(Reminder.status, func.count()).group_by(Reminder.status))
            counts = {str(status): int(n) for status, n in grouped}
            due_now = (
                await session.execute(
                    select(func.count())
                    .select_from(Reminder)
                    .where(
                        Reminder.status.in_([ReminderStatus.PENDING.value, ReminderStatus.SENDING.value]),
                        Reminder.due_at <= now,
                    )
                )
            ).scalar_one()
            late = (
                await session.execute(
                    select(func.count()).select_from(Reminder).where(Reminder.late.is_(True))
                )
            ).scalar_one()
            retrying = (
                await session.execute(
                    select(func.count())
                    .select_from(Reminder)
                    .where(Reminder.status == ReminderStatus.PENDING.value, Reminder.attempts > 0)
                )
            ).scalar_one()
            dead = (
                (
                    await session.execute(
                        select(Reminder)
                        .where(Reminder.status == ReminderStatus.DEAD.value)
                        .order_by(Reminder.id.desc())
                        .limit(20)
                    )
                )
                .scalars()
                .all()
            )
    finally:
        await db.dispose()
    print(f"queue depth (due now, not yet sent): {due_now}")
    print(
        f"pending: {counts.get('pending', 0)}  sending: {counts.get('sending', 0)}  "
        f"sent: {counts.get('sent', 0)}  "
        f"cancelled: {counts.get('cancelled', 0)}  "
        f"superseded (a newer one went instead): {counts.get('superseded', 0)}"
    )
    print(
        f"late (sent after their time): {late}  failed and retrying: {retrying}  "
        f"set aside (dead-lettered): {counts.get('dead_letter', 0)}"
    )
    for row in dead:
        print(
            f"  dead-lettered #{row.id}: {row.kind} for "
            + (f"case {row.case_id}" if row.case_id is not None else f"partnership {row.partnership_id}")
            + f", reason {row.last_error}, "
            f"due {row.due_at.astimezone(LONDON):%Y-%m-%d %H:%M}"
        )
    return 0
