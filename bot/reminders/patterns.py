"""Working patterns: when a part-time person's direct messages go out (pure).

A person with ``working_days`` in the partnership file gets their direct messages on their next
working day (one of their days that is also a working day of the partnership's calendar), at the
delivery time. A statutory deadline caps the wait: never past the day it falls due. So a reminder
for a statutory deadline due on a day the person does not work arrives on that day, and one for a
statutory deadline already due (or overdue) is not held at all. The case thread and escalations are
not held: the pattern is one person's, not the case's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from bot.calendar.working_days import WorkingCalendar
from bot.clock import london_date, london_datetime

SEARCH_DAYS = 21  # a pattern with at least one day finds it within three weeks, holidays included


def next_day_worked(works_on: Callable[[date], bool], calendar: WorkingCalendar, after: date) -> date | None:
    """The first day after ``after`` the person works and the partnership is open, if any soon."""
    day = after
    for _ in range(SEARCH_DAYS):
        day += timedelta(days=1)
        if works_on(day) and calendar.is_working_day(day):
            return day
    return None


def hold_until(
    now: datetime,
    works_on: Callable[[date], bool],
    calendar: WorkingCalendar,
    delivery: time,
    *,
    statutory_due: date | None,
) -> datetime | None:
    """When a direct message due ``now`` should go instead, or None to send it now.

    None when today is one of the person's days, when the statutory date is today or past, or when
    no day of theirs comes soon. Otherwise their next working day at the delivery time, or the
    statutory date (at the delivery time) if that comes first.
    """
    today = london_date(now)
    if works_on(today):
        return None
    if statutory_due is not None and statutory_due <= today:
        return None
    day = next_day_worked(works_on, calendar, today)
    if day is None:
        return None
    if statutory_due is not None and statutory_due < day:
        day = statutory_due
    return london_datetime(day, delivery.hour, delivery.minute)


__all__ = ["hold_until", "next_day_worked"]
