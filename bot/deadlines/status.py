"""Pure functions that say where a deadline stands on a given day.

Why "today" is an argument: the service reads the clock once (bot.clock) and passes the UK date, so
reminders, digests and tests all agree on what "due today" means.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from bot.calendar.working_days import WorkingCalendar
from bot.clock import london_date


class DeadlineStatus(StrEnum):
    """Where a deadline stands."""

    UPCOMING = "upcoming"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"
    NOT_APPLICABLE = "not_applicable"
    AWAITING_ANCHOR = "awaiting_anchor"


def deadline_status(
    due: date | datetime | None,
    revised_due: date | datetime | None,
    met_on: date | None,
    not_applicable: bool,
    today: date,
    calendar: WorkingCalendar,
    due_soon_working_days: int = 2,
) -> DeadlineStatus:
    """The status of one deadline on ``today`` (a UK date).

    Judged against ``revised_due`` when a revised target exists, otherwise against the statutory
    ``due``; use :func:`met_against_statutory` to report the statutory outcome too. "Due soon" means
    at most ``due_soon_working_days`` working days left. A deadline with no due date is awaiting
    its anchor event, unless it was met anyway (then it cannot have been late). Datetimes (hours
    rules) are compared by their UK date.
    """
    if not_applicable:
        return DeadlineStatus.NOT_APPLICABLE
    target = _day(revised_due) if revised_due is not None else _day(due)
    if target is None:
        return DeadlineStatus.MET_ON_TIME if met_on is not None else DeadlineStatus.AWAITING_ANCHOR
    if met_on is not None:
        return DeadlineStatus.MET_ON_TIME if met_on <= target else DeadlineStatus.MET_LATE
    if today > target:
        return DeadlineStatus.OVERDUE
    if today == target:
        return DeadlineStatus.DUE_TODAY
    if working_days_left(target, today, calendar) <= due_soon_working_days:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.UPCOMING


def met_against_statutory(due: date | datetime, met_on: date) -> bool:
    """Whether the statutory date itself was met, whatever revised target was agreed."""
    statutory = _day(due)
    assert statutory is not None
    return met_on <= statutory


def working_days_left(due: date | datetime, today: date, calendar: WorkingCalendar) -> int:
    """Working days from ``today`` to ``due``: 0 on the day, 1 the working day before, negative once
    overdue (-1 on the first working day after)."""
    target = _day(due)
    assert target is not None
    return calendar.working_days_between(today, target)


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return london_date(value)
    return value
