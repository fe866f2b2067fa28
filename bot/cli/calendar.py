"""``reviewbot calendar due|explain``: working-day arithmetic from the command line.

Why: business managers and developers need to check a statutory date by hand ("is 15 working days
from 23 December really 19 January in Scotland?") without Slack. Every argument is checked here
rather than by argparse, so a mistake gives one plain line on stderr and exit code 2, never a
traceback or a usage dump.
"""

from __future__ import annotations

import argparse
import calendar as stdlib_calendar
import re
import sys
from datetime import date

from bot.calendar.working_days import Direction, Explanation, Nation, Unit, WorkingCalendar, format_day

CLI_UNITS = (Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class CliArgumentError(ValueError):
    """A bad command-line argument; the message is shown as it is, on one line."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``calendar due`` and ``calendar explain`` to the main parser's subcommands."""
    calendar_parser = sub.add_parser("calendar", help="working-day arithmetic for a UK nation")
    calendar_parser.set_defaults(handler=_missing_subcommand)
    commands = calendar_parser.add_subparsers(dest="calendar_command", metavar="{due,explain}")
    for name, handler, help_text in (
        ("due", handle_due, "print the due date as YYYY-MM-DD"),
        ("explain", handle_explain, "list each day counted and why any day was skipped"),
    ):
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument("--nation", help="england, wales, scotland or northern_ireland")
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="the anchor date (day 0)")
        parser.add_argument("--amount", metavar="N", help="how many units")
        parser.add_argument("--unit", help=" | ".join(unit.value for unit in CLI_UNITS))
        parser.add_argument(
            "--before", action="store_true", help="count back: at least N before the date (default: after)"
        )
        parser.set_defaults(handler=handler)


def handle_due(args: argparse.Namespace) -> int:
    """Print the due date alone on a line (for scripts)."""
    try:
        calendar, start, amount, unit, direction = _parse(args)
    except CliArgumentError as error:
        return _fail(str(error))
    due = calendar.due(start, amount, unit, direction)
    print(due.isoformat())
    return 0


def handle_explain(args: argparse.Namespace) -> int:
    """Print every day counted or skipped, then the due date."""
    try:
        calendar, start, amount, unit, direction = _parse(args)
    except CliArgumentError as error:
        return _fail(str(error))
    for line in explanation_lines(calendar.explain(start, amount, unit, direction)):
        print(line)
    return 0


def explanation_lines(explanation: Explanation) -> list[str]:
    """The working for a due date as plain text lines."""
    nation = explanation.nation
    lines = [f"Calendar: {nation.label} ({nation.bank_holiday_label} bank holidays)"]
    lines.append(f"Rule: {explanation.rule}")
    for step in explanation.steps:
        day = f"{step.day.isoformat()} {step.day.strftime('%a')}"
        if step.counted:
            suffix = f"  ({step.reason})" if step.reason else ""
            lines.append(f"  {day}  day {step.count}{suffix}")
        else:
            lines.append(f"  {day}  skipped: {step.reason}")
    due = explanation.due
    assert isinstance(due, date)
    lines.append(f"Due: {due.isoformat()} ({format_day(due)})")
    if explanation.due_note:
        lines.append(f"Note: {explanation.due_note}")
    return lines


def _missing_subcommand(args: argparse.Namespace) -> int:
    return _fail("say which: 'calendar due' or 'calendar explain' (with --nation, --from, --amount, --unit)")


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _parse(args: argparse.Namespace) -> tuple[WorkingCalendar, date, int, Unit, Direction]:
    missing = [
        flag
        for flag, value in (
            ("--nation", args.nation),
            ("--from", args.start),
            ("--amount", args.amount),
            ("--unit", args.unit),
        )
        if value is None
    ]
    if missing:
        raise CliArgumentError(f"missing {', '.join(missing)}")
    return (
        WorkingCalendar(parse_nation(args.nation)),
        parse_iso_date(args.start, "--from"),
        _amount(args.amount),
        _unit(args.unit),
        Direction.BEFORE if args.before else Direction.AFTER,
    )


def parse_nation(text: str) -> Nation:
    """'england', 'Northern Ireland', 'northern-ireland' -> Nation."""
    normalised = re.sub(r"[\s-]+", "_", text.strip().lower())
    try:
        return Nation(normalised)
    except ValueError:
        known = ", ".join(nation.value for nation in Nation)
        raise CliArgumentError(f"--nation {text!r} is not a UK nation; use one of {known}") from None


def parse_iso_date(text: str, flag: str) -> date:
    """A strict YYYY-MM-DD date, with a reason when the date does not exist."""
    match = _ISO_DATE.match(text.strip())
    if not match:
        raise CliArgumentError(f"{flag} {text!r} is not a date in the form YYYY-MM-DD, e.g. 2026-12-23")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise CliArgumentError(f"{flag} {text}: there is no month {month}")
    last = stdlib_calendar.monthrange(year, month)[1]
    if not 1 <= day <= last or year < 1:
        raise CliArgumentError(
            f"{flag} {text} is not a real date: {stdlib_calendar.month_name[month]} {year} has {last} days"
        )
    return date(year, month, day)


def _amount(text: str) -> int:
    if not text.strip().isdecimal():
        raise CliArgumentError(
            f"--amount {text!r} must be a whole number, zero or more (use --before to count back)"
        )
    amount = int(text)
    if amount > 10_000:
        raise CliArgumentError(f"--amount {amount} is too large to count (at most 10000)")
    return amount


def _unit(text: str) -> Unit:
    for unit in CLI_UNITS:
        if text.strip().lower() == unit.value:
            return unit
    known = ", ".join(unit.value for unit in CLI_UNITS)
    raise CliArgumentError(f"--unit {text!r} is not one of {known}")
