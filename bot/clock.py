"""The one place that reads the wall clock.

Everything else receives a :class:`Clock` and asks it for the time, so tests can walk time across
weekends, bank holidays and clock changes without sleeping or patching globals.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock tests move by hand. Always UTC-aware."""

    def __init__(self, start: datetime) -> None:
        self._now = ensure_utc(start)

    def now(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = ensure_utc(instant)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now = self._now + (delta or timedelta(**kwargs))
        return self._now


def ensure_utc(instant: datetime) -> datetime:
    """Reject naive datetimes: every timestamp in ReviewBot is an aware UTC instant."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: ReviewBot stores only timezone-aware UTC instants")
    return instant.astimezone(UTC)


def london_date(instant: datetime) -> date:
    """The calendar date in the UK (what people mean by 'today')."""
    return ensure_utc(instant).astimezone(LONDON).date()


def london_datetime(day: date, hour: int, minute: int = 0) -> datetime:
    """A UK wall-clock time on a given day as an aware UTC instant.

    Non-existent local times (the spring-forward gap) resolve forward; ambiguous ones (the autumn
    repeat) resolve to the first occurrence, so a 01:30 schedule happens exactly once on both days.
    """
    # PEP 495: fold=0 reads a gap time with the offset from before the jump (01:30 -> 02:30 BST)
    # and an ambiguous time as its first occurrence (01:30 BST, not 01:30 GMT).
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON, fold=0).astimezone(UTC)
