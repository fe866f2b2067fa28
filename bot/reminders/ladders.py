"""When reminders for a deadline go out: the ladder, as pure arithmetic on the working calendar.

Default ladder: 5, 2 and 1 working days before, on the due day, then every working day while
overdue, each at the delivery time (09:00 Europe/London) on a working day of the case's nation.
Overdue rungs are not created in advance (they would be endless): the engine adds the next one as
each is sent. Rungs already in the past when a deadline is created are not created at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.calendar.working_days import WorkingCalendar
from bot.clock import london_datetime


@dataclass(frozen=True)
class LadderSpec:
    before_working_days: tuple[int, ...] = (5, 2, 1)
    on_due_day: bool = True
    overdue_every_working_days: int = 1
    hours_before_for_hour_deadlines: tuple[int, ...] = (4, 1)


@dataclass(frozen=True)
class PlannedReminder:
    rung: str  # stable words, part of the delivery key: "5_wd_before", "due_day", "overdue_1"
    due_at: datetime
    local_day: date | None


def rung_label(rung: str) -> str:
    if rung == "due_day":
        return "due today"
    if rung.endswith("_wd_before"):
        n = int(rung.split("_")[0])
        return f"{n} working day{'s' if n != 1 else ''} to go"
    if rung.endswith("_h_before"):
        return f"{rung.split('_')[0]} hours to go"
    if rung.startswith("overdue_"):
        n = int(rung.split("_")[1])
        return f"overdue by {n} working day{'s' if n != 1 else ''}"
    return rung.replace("_", " ")


def plan_ladder(
    due: date | datetime,
    calendar: WorkingCalendar,
    *,
    spec: LadderSpec,
    delivery: time,
    now: datetime,
) -> list[PlannedReminder]:
    """The rungs still ahead of ``now`` for a deadline due on ``due`` (a UK date or an instant)."""
    planned: list[PlannedReminder] = []
    if isinstance(due, datetime):
        for hours in spec.hours_before_for_hour_deadlines:
            at = due - timedelta(hours=hours)
            if at > now:
                planned.append(PlannedReminder(f"{hours}_h_before", at, None))
        if due > now:
            planned.append(PlannedReminder("due_day", due, None))
        return planned
    for n in sorted(set(spec.before_working_days), reverse=True):
        day = calendar.subtract_working_days(calendar.on_or_after(due), n)
        planned.append(
            PlannedReminder(f"{n}_wd_before", london_datetime(day, delivery.hour, delivery.minute), day)
        )
    if spec.on_due_day:
        # A deadline on a non-working day (calendar-day rules) is reminded on the working day before.
        day = due if calendar.is_working_day(due) else calendar.previous_working_day(due)
        planned.append(PlannedReminder("due_day", london_datetime(day, delivery.hour, delivery.minute), day))
    return [p for p in planned if p.due_at > now]


def overdue_rung(
    due: date, number: int, calendar: WorkingCalendar, *, spec: LadderSpec, delivery: time
) -> PlannedReminder:
    """The Nth overdue reminder: N x interval working days after the due date."""
    day = calendar.add_working_days(due, number * spec.overdue_every_working_days)
    return PlannedReminder(f"overdue_{number}", london_datetime(day, delivery.hour, delivery.minute), day)
