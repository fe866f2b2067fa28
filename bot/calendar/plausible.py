"""One rule for dates a person or another system gives us: is it a date a case review could mean?

A review is about something that happened recently. A date before 2000 is a typo or a probe
("0001-01-01", a Unix timestamp of 0), and one in the future cannot be when something already
happened. Every surface that takes such a date (the webhook, the notification form, commands)
asks :func:`date_problem` and shows its message beside the field: the same input gets the same
answer wherever it arrives.

Pure functions of their arguments: no clock is read here, the caller passes ``today``. Nothing here
converts between time zones, so even ``datetime.min`` or ``datetime.max`` with any offset is judged
without an OverflowError.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

__all__ = ["EARLIEST_PLAUSIBLE_DATE", "date_problem", "instant_problem"]

EARLIEST_PLAUSIBLE_DATE = date(2000, 1, 1)
"""No date given to ReviewBot is earlier than this."""


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def date_problem(
    value: date,
    *,
    today: date,
    must_be_past: bool = True,
    what: str = "This date",
    earliest: date = EARLIEST_PLAUSIBLE_DATE,
) -> str | None:
    """None when ``value`` is plausible, else a plain-English message saying what to change.

    Plausible means on or after ``earliest`` (1 January 2000) and, when ``must_be_past``, not after
    ``today``. ``what`` names the date in the message ("The incident date"). The message never
    repeats the value itself, only the limits.
    """
    if value < earliest:
        return f"{what} is before {_day(earliest)}, which can't be right here. Please check the year."
    if must_be_past and value > today:
        return f"{what} is in the future. Give a date on or before today ({_day(today)})."
    return None


def instant_problem(
    value: datetime,
    *,
    today: date,
    must_be_past: bool = True,
    what: str = "This date",
    earliest: date = EARLIEST_PLAUSIBLE_DATE,
) -> str | None:
    """:func:`date_problem` for a date and time, judged on its calendar date as written.

    The date as written (in its own offset) is at most a day from the date in London, so an instant
    up to a day after ``today`` passes here and the caller's exact "not in the future" check decides;
    what this rule guarantees is that nothing outside 2000..tomorrow reaches time-zone arithmetic.
    """
    written = value.date()
    if must_be_past and written == today + timedelta(days=1):
        return None
    return date_problem(written, today=today, must_be_past=must_be_past, what=what, earliest=earliest)
