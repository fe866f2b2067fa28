"""While a deadline is overdue: a reminder every working day, and escalation to the business
manager (after 1 working day by default) and the chair (after 3).

Overdue rows cannot be planned in advance (they would never end), so each tick adds the rows for the
days overdue so far. Keys are deterministic, so adding them again changes nothing; after an outage
the missed days (up to a week back) are added, and the engine sends only the newest of them to each
place (the rest are superseded, see bot.reminders.batching).

A case opened with a deadline already overdue says so once, on its card (its opening message): no
overdue rows are added for the days up to and including the day it was opened, and its escalations
go with the first delivery after that day.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.cases.models import Case
from bot.cases.states import Stage
from bot.clock import london_date, london_datetime
from bot.deadlines.models import Deadline
from bot.deadlines.planning import CASE_CHANNEL, case_calendar, ladder_for, responsible_people
from bot.reminders.ladders import overdue_rung
from bot.reminders.models import Reminder, ReminderStatus
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions

BACKFILL_WORKING_DAYS = 5


async def sweep_overdue(services: Services) -> int:
    """Make sure every overdue open deadline has its overdue and escalation rows. Returns rows added."""
    now = services.clock.now()
    today = london_date(now)
    wanted: list[dict[str, object]] = []
    async with services.db.session() as session:
        result = await session.execute(
            select(Deadline, Case)
            .join(Case, Case.id == Deadline.case_id)
            .where(
                Deadline.due_on.is_not(None),
                Deadline.due_on < today,
                Deadline.met_on.is_(None),
                Deadline.not_applicable_reason.is_(None),
                Deadline.kind.in_(["deadline", "chase", "milestone"]),
                Case.stage != Stage.CLOSED.value,
            )
        )
        pairs = [(deadline, case) for deadline, case in result.all()]
        for deadline, case in pairs:
            wanted += _rows_for(services, deadline, case, today, now)
        if not wanted:
            return 0
        existing = set(
            (
                await session.execute(
                    select(Reminder.delivery_key).where(Reminder.deadline_id.in_({d.id for d, _ in pairs}))
                )
            ).scalars()
        )
        missing = [row for row in wanted if row["delivery_key"] not in existing]
        if missing:
            insert = services.db.insert
            await session.execute(insert(Reminder).on_conflict_do_nothing(), missing)
        return len(missing)


def _rows_for(
    services: Services, deadline: Deadline, case: Case, today: object, now: datetime
) -> list[dict[str, object]]:
    partnership = services.config.partnership(case.partnership_id)
    calendar = case_calendar(partnership, case)
    target = deadline.revised_due_on or deadline.due_on
    assert target is not None
    if target >= today:  # type: ignore[operator]
        return []
    spec, delivery = ladder_for(partnership, deadline.kind)
    every = max(1, spec.overdue_every_working_days)
    overdue = calendar.working_days_between(target, today)  # type: ignore[arg-type]
    people = responsible_people(partnership, case, deadline.responsible_role)
    rows: list[dict[str, object]] = []

    def row(kind: str, key: str, rung: str, recipient: str, due_at: datetime) -> dict[str, object]:
        return {
            "delivery_key": key,
            "partnership_id": case.partnership_id,
            "case_id": case.id,
            "deadline_id": deadline.id,
            "kind": kind,
            "rung": rung,
            "recipient": recipient,
            "due_at": due_at,
            "status": ReminderStatus.PENDING.value,
            "attempts": 0,
            "late": False,
            "created_at": now,
        }

    opened = london_date(case.created_at)
    first = max(1, overdue - BACKFILL_WORKING_DAYS + 1)
    for number in range(first, overdue + 1):
        if number % every:
            continue
        planned = overdue_rung(target, number // every, calendar, spec=spec, delivery=delivery)
        if planned.local_day is not None and planned.local_day <= opened:
            continue  # the case was opened after this day: its card says the deadline is overdue
        for recipient in [*people, CASE_CHANNEL]:
            rows.append(
                row(
                    "deadline",
                    f"deadline:{deadline.id}:{target.isoformat()}:overdue_{number}:{recipient}",
                    f"overdue_{number}",
                    recipient,
                    planned.due_at,
                )
            )
    escalation = partnership.reminders.escalation
    for role, after in (
        ("business_manager", escalation.business_manager_after_working_days),
        ("chair", escalation.chair_after_working_days),
    ):
        if overdue < after:
            continue
        day = calendar.add_working_days(target, after)
        if day <= opened:  # opened late: escalated with the first delivery after the opening day
            day = calendar.next_working_day(opened)
        elif overdue - after >= BACKFILL_WORKING_DAYS:
            continue
        at = london_datetime(day, delivery.hour, delivery.minute)
        for person in partnership.people_with_role(role):
            rows.append(
                row(
                    "escalation",
                    f"escalation:{deadline.id}:{target.isoformat()}:{role}:{person.slack_user_id}",
                    f"escalation_{role}",
                    person.slack_user_id,
                    at,
                )
            )
    return rows


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.tick(sweep_overdue, order=20)
