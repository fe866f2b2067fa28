"""Working days per UK nation, and the arithmetic of statutory deadlines.

Why this module exists: a safeguarding deadline such as "notify within 5 working days of becoming
aware" is only meaningful against the bank holidays of the nation whose rules apply. England and
Wales share one list; Scotland and Northern Ireland each have their own (process-rules.md 5.1). The
undivided UK calendar of the ``holidays`` library mixes nations, so it is never used here.

Counting convention (process-rules.md 5.3): the trigger day is day 0 and the deadline is the Nth
working day after it. A trigger on a non-working day therefore makes the next working day day 1,
which is the same as counting N working days strictly after the trigger day. "At least N working
days before X" counts back N working days from X, X itself being day 0.

The module is pure: it never reads the clock. Callers pass dates, or aware datetimes which are read
as UK dates (Europe/London) for every unit except hours.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import holidays
from dateutil.relativedelta import relativedelta

from bot.clock import ensure_utc, london_date


class Nation(StrEnum):
    """The four UK nations, each with its own safeguarding rules (and, mostly, bank holidays)."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"

    @property
    def label(self) -> str:
        """How people write the nation's name."""
        return _NATION_LABELS[self]

    @property
    def bank_holiday_label(self) -> str:
        """Which published GOV.UK list the nation's bank holidays come from."""
        return _BANK_HOLIDAY_LABELS[self]


_NATION_LABELS: dict[Nation, str] = {
    Nation.ENGLAND: "England",
    Nation.WALES: "Wales",
    Nation.SCOTLAND: "Scotland",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
}

# GOV.UK publishes three lists; England and Wales share one.
_BANK_HOLIDAY_LABELS: dict[Nation, str] = {
    Nation.ENGLAND: "England and Wales",
    Nation.WALES: "England and Wales",
    Nation.SCOTLAND: "Scotland",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
}

# The holidays library's subdivision codes. Never None: that gives only the days every nation shares.
_SUBDIVISIONS: dict[Nation, str] = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


class Unit(StrEnum):
    """Units in which guidance states a timescale."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"
    HOURS = "hours"

    def describe(self, amount: int) -> str:
        """'1 working day', '5 working days', '6 months': for messages people read."""
        singular, plural = _UNIT_WORDS[self]
        return f"{amount} {singular if amount == 1 else plural}"


_UNIT_WORDS: dict[Unit, tuple[str, str]] = {
    Unit.WORKING_DAYS: ("working day", "working days"),
    Unit.CALENDAR_DAYS: ("calendar day", "calendar days"),
    Unit.WEEKS: ("week", "weeks"),
    Unit.MONTHS: ("month", "months"),
    Unit.YEARS: ("year", "years"),
    Unit.HOURS: ("hour", "hours"),
}


class Direction(StrEnum):
    """Whether a deadline falls after its anchor ("within 5 WD of") or before it ("at least 7 WD before")."""

    AFTER = "after"
    BEFORE = "before"


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_OBSERVED = re.compile(r"^(?P<name>.*) \(observed\)$")


@functools.cache
def _bank_holidays(nation: Nation) -> holidays.HolidayBase:
    """One holidays object per nation for the whole process: years are filled in lazily on lookup.

    ``observed=True`` (the default) lists both the actual date and the substitute weekday; both are
    treated as non-working, so a weekend Christmas and its Monday substitute are each skipped.
    """
    return holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], observed=True)


def bank_holiday_names(nation: Nation | str, day: date) -> list[str]:
    """The bank holiday names for ``day`` in ``nation``, substitute days worded as such."""
    names = _bank_holidays(Nation(nation)).get_list(day)
    return [_humanise_holiday_name(name) for name in names]


def _humanise_holiday_name(name: str) -> str:
    """'Boxing Day (observed)' -> 'Boxing Day substitute day', the wording GOV.UK uses."""
    match = _OBSERVED.match(name)
    if match:
        return f"{match.group('name')} substitute day"
    return name


def format_day(day: date) -> str:
    """'Tuesday 29 December 2026': the unambiguous long form used in every message."""
    return f"{_WEEKDAY_NAMES[day.weekday()]} {day.day} {day.strftime('%B %Y')}"


@dataclass(frozen=True)
class SteppedDay:
    """One day passed over while counting, and whether it counted.

    ``count`` is the ordinal of the day in the count (1 for day 1) when it counted. ``reason`` says
    why a day was skipped; for calendar-day units, where every day counts, it notes a weekend or
    holiday that was counted anyway.
    """

    day: date
    counted: bool
    count: int | None
    reason: str | None


@dataclass(frozen=True)
class Explanation:
    """The working shown for a due date, so anyone can check it by hand."""

    nation: Nation
    start: date | datetime
    amount: int
    unit: Unit
    direction: Direction
    due: date | datetime
    rule: str
    steps: tuple[SteppedDay, ...]
    due_note: str | None = None

    @property
    def skipped(self) -> tuple[SteppedDay, ...]:
        """Days stepped over without counting (weekends, bank holidays, local closures)."""
        return tuple(step for step in self.steps if not step.counted)


class WorkingCalendar:
    """Working days for one nation, plus any local closure days of a partnership.

    Bank holidays come from the ``holidays`` library for the nation's subdivision and are cached per
    nation at module level; ``extra_closures`` (e.g. a council's closure days) belong to this
    calendar only.
    """

    def __init__(self, nation: Nation | str, extra_closures: Iterable[date] = ()) -> None:
        self.nation = Nation(nation)
        self.extra_closures: frozenset[date] = frozenset(extra_closures)
        for closure in self.extra_closures:
            if isinstance(closure, datetime) or not isinstance(closure, date):
                raise TypeError(f"extra closure days must be dates, got {closure!r}")

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.nation.value!r}, extra_closures={sorted(self.extra_closures)!r})"

    # -- single days -------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday, not a bank holiday (actual or substitute day), not a local closure."""
        d = _as_date(d)
        return d.weekday() < 5 and d not in _bank_holidays(self.nation) and d not in self.extra_closures

    def closure_reason(self, d: date) -> str | None:
        """Why ``d`` is not a working day, in words for people; None on a working day.

        A weekend comes first (with any holiday that falls on it, since the bank holiday itself then
        moves to a substitute weekday), then bank holidays, then local closure days.
        """
        d = _as_date(d)
        names = bank_holiday_names(self.nation, d)
        if d.weekday() >= 5:
            weekday = _WEEKDAY_NAMES[d.weekday()]
            if names:
                return f"{weekday} (also {'; '.join(names)})"
            if d in self.extra_closures:
                return f"{weekday} (also a local closure day)"
            return weekday
        if names:
            return f"{'; '.join(names)} ({self.nation.bank_holiday_label} bank holiday)"
        if d in self.extra_closures:
            return "local closure day"
        return None

    def closures_between(self, first: date, last: date) -> list[tuple[date, str]]:
        """Bank holidays and local closures (not plain weekends) from ``first`` to ``last`` inclusive."""
        first, last = _as_date(first), _as_date(last)
        if last < first:
            first, last = last, first
        found: list[tuple[date, str]] = []
        for day in _days(first, last):
            if bank_holiday_names(self.nation, day) or day in self.extra_closures:
                reason = self.closure_reason(day)
                assert reason is not None
                found.append((day, reason))
        return found

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        day = _as_date(d) + timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        day = _as_date(d) - timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def on_or_after(self, d: date) -> date:
        """``d`` itself if it is a working day, otherwise the next working day."""
        d = _as_date(d)
        return d if self.is_working_day(d) else self.next_working_day(d)

    # -- counting ----------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The Nth working day after ``start`` (day 0). A negative ``n`` counts back instead."""
        start = _as_date(start)
        if n < 0:
            return self.subtract_working_days(start, -n)
        day = start
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def subtract_working_days(self, end: date, n: int) -> date:
        """The Nth working day before ``end`` (day 0): "at least N working days before ``end``"."""
        end = _as_date(end)
        if n < 0:
            return self.add_working_days(end, -n)
        day = end
        for _ in range(n):
            day = self.previous_working_day(day)
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Signed count of working days from ``a`` to ``b``: those in (a, b] if b is later, minus
        those in (b, a] if b is earlier. So ``working_days_between(a, add_working_days(a, n)) == n``
        and, with ``a`` = today, it is the "N working days left" figure (negative when overdue).
        """
        a, b = _as_date(a), _as_date(b)
        if a == b:
            return 0
        sign = 1 if b > a else -1
        low, high = (a, b) if b > a else (b, a)
        count = sum(1 for day in _days(low + timedelta(days=1), high) if self.is_working_day(day))
        return sign * count

    def due(
        self,
        start: date | datetime,
        amount: int,
        unit: Unit | str,
        direction: Direction | str = Direction.AFTER,
    ) -> date | datetime:
        """The due date of a timescale, counted from ``start``.

        Returns a date, except for hours, which return an aware UTC datetime: hours are elapsed
        time, so 24 hours across a clock change ends at a different wall-clock time. Calendar-day,
        week, month and year deadlines are not moved off weekends or holidays; guidance stating
        them in those units does not say to, and moving them silently would hide the statutory date.
        Months use calendar months with the day clamped to the month's end (31 August + 6 months =
        28 February).
        """
        unit, direction = Unit(unit), Direction(direction)
        if amount < 0:
            raise ValueError(
                f"amount must be zero or more (use direction 'before' to count back), got {amount}"
            )
        if unit is Unit.HOURS:
            if not isinstance(start, datetime):
                raise TypeError("an hours deadline needs the anchor's date and time, not just its date")
            delta = timedelta(hours=amount)
            instant = ensure_utc(start)
            return instant + delta if direction is Direction.AFTER else instant - delta
        day = _as_date(start)
        sign = 1 if direction is Direction.AFTER else -1
        if unit is Unit.WORKING_DAYS:
            return self.add_working_days(day, sign * amount)
        if unit is Unit.CALENDAR_DAYS:
            return day + timedelta(days=sign * amount)
        if unit is Unit.WEEKS:
            return day + timedelta(weeks=sign * amount)
        if unit is Unit.MONTHS:
            return day + relativedelta(months=sign * amount)
        return day + relativedelta(years=sign * amount)

    def explain(
        self,
        start: date | datetime,
        amount: int,
        unit: Unit | str,
        direction: Direction | str = Direction.AFTER,
    ) -> Explanation:
        """The due date together with the working: every day stepped over, and why any was skipped.

        Day-based units list each day; months, years and hours state the rule instead (listing
        six months of days helps nobody).
        """
        unit, direction = Unit(unit), Direction(direction)
        due = self.due(start, amount, unit, direction)
        steps: tuple[SteppedDay, ...] = ()
        due_note: str | None = None
        calendar_name = f"the {self.nation.bank_holiday_label} bank holidays"
        if self.extra_closures:
            calendar_name += " and local closure days"
        what = unit.describe(amount)
        if unit is Unit.HOURS:
            rule = (
                f"{what} {direction.value} the anchor time, as elapsed time: "
                "a clock change moves the wall-clock time of the deadline"
            )
        else:
            start_day = _as_date(start)
            assert isinstance(due, date) and not isinstance(due, datetime)
            if unit is Unit.WORKING_DAYS:
                steps = tuple(self._working_day_steps(start_day, due, direction))
                if direction is Direction.AFTER:
                    rule = (
                        f"{what} after {format_day(start_day)}: that day is day 0 and the deadline is "
                        f"working day {amount}; weekends and {calendar_name} are skipped"
                    )
                else:
                    rule = (
                        f"at least {what} before {format_day(start_day)}: that day is day 0 and the "
                        f"deadline is the {_ordinal(amount)} working day before it; weekends and "
                        f"{calendar_name} are skipped"
                    )
            else:
                if unit in (Unit.CALENDAR_DAYS, Unit.WEEKS):
                    steps = tuple(self._calendar_day_steps(start_day, due))
                    rule = (
                        f"{what} {direction.value} {format_day(start_day)}: every day counts, "
                        "weekends and bank holidays included"
                    )
                else:
                    rule = (
                        f"{what} {direction.value} {format_day(start_day)}: calendar {unit.value}, "
                        "same day of the month, or the month's last day when that day does not exist"
                    )
                reason = self.closure_reason(due)
                if reason is not None:
                    unit_words = unit.value.replace("_", " ")
                    due_note = (
                        f"{format_day(due)} is not a working day ({reason}); a timescale in {unit_words} "
                        "is not moved to a working day"
                    )
        return Explanation(
            nation=self.nation,
            start=start,
            amount=amount,
            unit=unit,
            direction=direction,
            due=due,
            rule=rule,
            steps=steps,
            due_note=due_note,
        )

    def _working_day_steps(self, start: date, due: date, direction: Direction) -> Iterator[SteppedDay]:
        step = timedelta(days=1 if direction is Direction.AFTER else -1)
        count = 0
        day = start
        while day != due:
            day += step
            if self.is_working_day(day):
                count += 1
                yield SteppedDay(day=day, counted=True, count=count, reason=None)
            else:
                yield SteppedDay(day=day, counted=False, count=None, reason=self.closure_reason(day))

    def _calendar_day_steps(self, start: date, due: date) -> Iterator[SteppedDay]:
        step = timedelta(days=1 if due >= start else -1)
        day = start
        count = 0
        while day != due:
            day += step
            count += 1
            reason = self.closure_reason(day)
            note = f"counted although not a working day: {reason}" if reason else None
            yield SteppedDay(day=day, counted=True, count=count, reason=note)


def _as_date(value: date | datetime) -> date:
    """A UK date: aware datetimes are read in Europe/London; naive ones are refused by london_date."""
    if isinstance(value, datetime):
        return london_date(value)
    return value


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
