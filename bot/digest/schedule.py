"""When each chair's weekly digest is due, as reminder rows with one delivery key per chair per week.

The key ``digest:<partnership>:<chair>:<ISO year-week>`` makes "exactly one per chair per week" a
property of the database: any number of workers, ticking any number of times, across restarts,
insert the same key and only the first insert counts. The digest is due on the configured weekday
and time (Monday 08:30 Europe/London by default), moved to the next working day of the
partnership's nation when that day is a bank holiday or a local closure day.

Next week's row is created a week ahead, so a worker that is down when it falls due sends it late
when it comes back rather than never; this week's row is only created while it is still ahead, so
a fresh installation on a Wednesday does not send Monday's digest at once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from bot.calendar.partnership_days import partnership_calendar
from bot.clock import london_date, london_datetime
from bot.config.partnership import Partnership
from bot.reminders.models import Reminder, ReminderStatus
from bot.runtime.services import Services

KIND = "chair_digest"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def digest_due_at(partnership: Partnership, week_monday: date) -> datetime:
    """The instant the digest of the week starting ``week_monday`` is due (aware UTC)."""
    schedule = partnership.digest
    nominal = week_monday + timedelta(days=WEEKDAYS.index(schedule.weekday))
    day = partnership_calendar(partnership).on_or_after(nominal)
    return london_datetime(day, schedule.time.hour, schedule.time.minute)


def delivery_key(partnership_id: str, chair: str, week: str) -> str:
    return f"digest:{partnership_id}:{chair}:{week}"


def chairs(partnership: Partnership) -> list[str]:
    return [p.slack_user_id for p in partnership.people_with_role("chair")]


def digest_rows(partnership: Partnership, now: datetime) -> list[dict[str, Any]]:
    """This week's row (while still ahead) and next week's, for every chair (pure)."""
    this_monday = monday_of(london_date(now))
    rows = []
    for monday in (this_monday, this_monday + timedelta(days=7)):
        due_at = digest_due_at(partnership, monday)
        if monday == this_monday and due_at <= now:
            continue
        week = week_label(monday)
        for chair in chairs(partnership):
            rows.append(
                {
                    "delivery_key": delivery_key(partnership.id, chair, week),
                    "partnership_id": partnership.id,
                    "case_id": None,
                    "deadline_id": None,
                    "kind": KIND,
                    "rung": week,
                    "recipient": chair,
                    "due_at": due_at,
                    "status": ReminderStatus.PENDING.value,
                    "attempts": 0,
                    "late": False,
                    "created_at": now,
                    "payload": {"partnership_id": partnership.id, "week": week},
                }
            )
    return rows


async def ensure_weekly_digests(services: Services) -> int:
    """Worker tick: make sure every chair has this week's and next week's digest row. Returns rows added.

    A pending row whose time no longer matches the partnership file (the digest moved to Tuesday)
    is moved with it; a row already sent is never touched.
    """
    now = services.clock.now()
    wanted = [row for p in services.config.partnerships for row in digest_rows(p, now)]
    if not wanted:
        return 0
    insert = services.db.insert
    async with services.db.session() as session:
        existing = {
            key: due
            for key, due in (
                await session.execute(
                    select(Reminder.delivery_key, Reminder.due_at).where(
                        Reminder.delivery_key.in_([w["delivery_key"] for w in wanted])
                    )
                )
            ).all()
        }
        missing = [w for w in wanted if w["delivery_key"] not in existing]
        if missing:
            await session.execute(insert(Reminder).on_conflict_do_nothing(), missing)
        for row in wanted:
            key = row["delivery_key"]
            if key in existing and existing[key] != row["due_at"]:
                await session.execute(
                    update(Reminder)
                    .where(Reminder.delivery_key == key, Reminder.status == ReminderStatus.PENDING.value)
                    .values(due_at=row["due_at"])
                    .execution_options(synchronize_session=False)
                )
    return len(missing)
