"""Acting on a deadline: done, not applicable, snooze, revised target. Each change cancels or
recomputes the deadline's pending reminders in the same unit of work and is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.access import Actor, CaseFacts
from bot.calendar.working_days import WorkingCalendar
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.clock import london_date, london_datetime
from bot.deadlines.models import Deadline
from bot.deadlines.planning import (
    AGENCY_KIND_ROLES,
    cancel_pending_reminders,
    case_calendar,
    ladder_for,
    schedule_reminders,
    upsert_reminders,
)
from bot.errors import BadInput, Conflict, NotFound
from bot.reminders.models import Reminder, ReminderStatus
from bot.runtime.services import Services


@dataclass(frozen=True)
class DeadlineContext:
    deadline: Deadline
    case: Case
    facts: CaseFacts
    target_agency: str | None


def target_agency_for(services: Services, case: Case, deadline: Deadline, actor: Actor) -> str | None:
    """The agency that owns a deadline, for the access check (None: the partnership as a whole)."""
    if deadline.responsible_role not in AGENCY_KIND_ROLES:
        return None
    partnership = services.config.partnership(case.partnership_id)
    involved = {a.agency_id for a in case.agencies}
    owners = [
        a.id for a in partnership.agencies if str(a.kind) == deadline.responsible_role and a.id in involved
    ]
    if actor.agency_id in owners:
        return actor.agency_id
    return owners[0] if owners else None


async def load(services: Services, session: AsyncSession, deadline_id: int, actor: Actor) -> DeadlineContext:
    deadline = await session.get(Deadline, deadline_id)
    case = await session.get(Case, deadline.case_id) if deadline is not None else None
    if deadline is None or case is None:
        raise NotFound("That deadline no longer exists.")
    return DeadlineContext(deadline, case, facts_of(case), target_agency_for(services, case, deadline, actor))


def _open(deadline: Deadline) -> None:
    if deadline.met_on is not None:
        raise Conflict(f"'{deadline.label}' was already marked done on {deadline.met_on:%d/%m/%Y}.")
    if deadline.not_applicable_reason:
        raise Conflict(f"'{deadline.label}' is already marked not applicable.")


async def mark_done(services: Services, session: AsyncSession, ctx: DeadlineContext, actor: Actor) -> None:
    _open(ctx.deadline)
    ctx.deadline.met_on = london_date(services.clock.now())
    ctx.deadline.met_by = actor.user_id
    await _closed(services, session, ctx, actor, "deadline.met", {"met_on": ctx.deadline.met_on})


async def mark_not_applicable(
    services: Services, session: AsyncSession, ctx: DeadlineContext, actor: Actor, reason: str
) -> None:
    _open(ctx.deadline)
    ctx.deadline.not_applicable_reason = reason
    await _closed(services, session, ctx, actor, "deadline.not_applicable", {"reason_given": True})


async def _closed(
    services: Services,
    session: AsyncSession,
    ctx: DeadlineContext,
    actor: Actor,
    action: str,
    after: dict[str, object],
) -> None:
    """A deadline that is met or does not apply: nothing more to remind anyone of; audited."""
    ctx.deadline.updated_at = services.clock.now()
    await cancel_pending_reminders(session, ctx.deadline.id)
    audit.record(
        session,
        services.clock,
        actor=actor.user_id,
        action=action,
        partnership_id=ctx.case.partnership_id,
        case_id=ctx.case.id,
        after={"deadline": ctx.deadline.rule_id, **after},
    )


SNOOZE_CHOICES = {"1h", "tomorrow", "next_working_day"}


def snooze_until(
    choice: str, now: datetime, calendar: WorkingCalendar, delivery_hour: int, delivery_minute: int
) -> datetime:
    today = london_date(now)
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "tomorrow":
        return london_datetime(today + timedelta(days=1), 9, 0)
    if choice == "next_working_day":
        return london_datetime(calendar.next_working_day(today), delivery_hour, delivery_minute)
    raise BadInput("That snooze option is not available.")


async def snooze(
    services: Services, session: AsyncSession, ctx: DeadlineContext, actor: Actor, choice: str
) -> datetime:
    """Hold this person's reminders for the deadline until the chosen time, then remind them once."""
    _open(ctx.deadline)
    partnership = services.config.partnership(ctx.case.partnership_id)
    _spec, delivery = ladder_for(partnership, ctx.deadline.kind)
    now = services.clock.now()
    until = snooze_until(choice, now, case_calendar(partnership, ctx.case), delivery.hour, delivery.minute)
    until = until.replace(second=0, microsecond=0)
    # One snooze per person, deadline and minute: a double click changes nothing the second time.
    key = f"snooze:{ctx.deadline.id}:{actor.user_id}:{until:%Y-%m-%dT%H:%M}"
    await session.execute(
        update(Reminder)
        .where(
            Reminder.deadline_id == ctx.deadline.id,
            Reminder.recipient == actor.user_id,
            Reminder.status.in_([ReminderStatus.PENDING.value, ReminderStatus.SENDING.value]),
            Reminder.due_at <= until,
            Reminder.delivery_key != key,
        )
        .values(status=ReminderStatus.CANCELLED.value)
        .execution_options(synchronize_session=False)
    )
    await upsert_reminders(
        session,
        services,
        [
            {
                "delivery_key": key,
                "partnership_id": ctx.case.partnership_id,
                "case_id": ctx.case.id,
                "deadline_id": ctx.deadline.id,
                "kind": "deadline",
                "rung": "snoozed",
                "recipient": actor.user_id,
                "due_at": until,
                "status": ReminderStatus.PENDING.value,
                "attempts": 0,
                "late": False,
                "created_at": now,
            }
        ],
    )
    audit.record(
        session,
        services.clock,
        actor=actor.user_id,
        action="deadline.snoozed",
        partnership_id=ctx.case.partnership_id,
        case_id=ctx.case.id,
        after={"deadline": ctx.deadline.rule_id, "until": until},
    )
    return until


async def revise_target(
    services: Services,
    session: AsyncSession,
    ctx: DeadlineContext,
    actor: Actor,
    *,
    new_target: date,
    reason: str,
    agreed_by: str,
) -> None:
    """Record a revised target beside the statutory date (which never moves) and re-plan reminders."""
    _open(ctx.deadline)
    if ctx.deadline.due_on is None:
        raise BadInput("This deadline has no date yet, so there is nothing to revise.")
    before = ctx.deadline.revised_due_on
    ctx.deadline.revised_due_on = new_target
    ctx.deadline.revised_reason = reason
    ctx.deadline.revised_agreed_by = agreed_by
    ctx.deadline.updated_at = services.clock.now()
    await cancel_pending_reminders(session, ctx.deadline.id)
    partnership = services.config.partnership(ctx.case.partnership_id)
    await schedule_reminders(
        session, services, partnership, ctx.case, ctx.deadline, case_calendar(partnership, ctx.case)
    )
    audit.record(
        session,
        services.clock,
        actor=actor.user_id,
        action="deadline.revised",
        partnership_id=ctx.case.partnership_id,
        case_id=ctx.case.id,
        before={"revised_due_on": before},
        after={
            "deadline": ctx.deadline.rule_id,
            "revised_due_on": new_target,
            "statutory_due_on": ctx.deadline.due_on,
        },
    )
