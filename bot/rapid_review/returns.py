"""Agency returns: each involved agency's summary requested, received or a nil return.

Why rows and not just checklist ticks: the business unit needs to see at a glance which agencies
have not answered (R9: "chase nil returns; add agencies found later"), and the reminders engine needs
something to chase. An outstanding return gets reminder rows (kind ``agency_return``) for the agency's
leads at 09:00 on the agency-summary target day and every working day after it until the rapid review
is due; receiving the return (or a nil return) cancels them and ticks the agency's summary item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.calendar.working_days import WorkingCalendar
from bot.cases.models import Case, CaseAgency, CaseMember
from bot.clock import london_date, london_datetime
from bot.errors import BadInput, Conflict, NotFound
from bot.rapid_review.checklist import calendar_for, complete_by_event, items_of, repoint_kind_to
from bot.rapid_review.free_text import agency_name
from bot.rapid_review.models import AgencyReturn, RapidReview
from bot.reminders.models import Reminder, ReminderStatus
from bot.rules.checklist_templates import CompletedBy
from bot.runtime.services import Services
from bot.slack.mrkdwn import echo

RETURN_KIND = "agency_return"
CHASE_WORKING_DAYS = 5  # daily after the target day (day 10) until the rapid review is due (day 15)


async def returns_of(session: AsyncSession, case_id: int) -> list[AgencyReturn]:
    rows = await session.execute(
        select(AgencyReturn).where(AgencyReturn.case_id == case_id).order_by(AgencyReturn.agency_id)
    )
    return list(rows.scalars())


async def returns_due_on(session: AsyncSession, case_id: int) -> date | None:
    """When agency summaries are due: the latest target of the items a return completes (R10-R14)."""
    dates = [
        i.target_on
        for i in await items_of(session, case_id)
        if i.completed_by == CompletedBy.AGENCY_RETURN.value and i.target_on is not None
    ]
    return max(dates) if dates else None


async def open_returns(
    session: AsyncSession, services: Services, case: Case, *, actor: str, added_later: bool = False
) -> list[AgencyReturn]:
    """A return row (requested today) for every involved agency that has none; chases scheduled."""
    now = services.clock.now()
    existing = {r.agency_id for r in await returns_of(session, case.id)}
    due = await returns_due_on(session, case.id)
    created = []
    for agency in case.agencies:
        if agency.agency_id in existing:
            continue
        row = AgencyReturn(
            case_id=case.id,
            agency_id=agency.agency_id,
            requested_on=london_date(now),
            due_on=due,
            nil_return=False,
            added_later=added_later,
            changed_by=actor,
            changed_at=now,
            created_at=now,
        )
        session.add(row)
        created.append(row)
    await session.flush()
    calendar = calendar_for(services, case)
    for row in created:
        await schedule_chases(session, services, case, row, calendar)
    return created


async def date_returns(session: AsyncSession, services: Services, case: Case) -> None:
    """Returns opened before day 0 was known get their due date and chases once it is."""
    due = await returns_due_on(session, case.id)
    if due is None:
        return
    calendar = calendar_for(services, case)
    for row in await returns_of(session, case.id):
        if row.due_on is None:
            row.due_on = due
        await schedule_chases(session, services, case, row, calendar)


def chase_recipients(services: Services, case: Case, agency_id: str) -> list[str]:
    """The agency's leads; the business managers if it has none (a return is never nobody's)."""
    partnership = services.config.partnership(case.partnership_id)
    people = [p.slack_user_id for p in partnership.people_with_role("agency_lead", agency=agency_id)]
    people = people or [p.slack_user_id for p in partnership.people_with_role("business_manager")]
    return sorted(dict.fromkeys(people))


def chase_key_prefix(case_id: int, agency_id: str) -> str:
    return f"{RETURN_KIND}:{case_id}:{agency_id}:"


async def schedule_chases(
    session: AsyncSession, services: Services, case: Case, row: AgencyReturn, calendar: WorkingCalendar
) -> int:
    """Reminder rows for an outstanding return; existing delivery keys are left alone."""
    if row.due_on is None or not row.outstanding:
        return 0
    partnership = services.config.partnership(case.partnership_id)
    at = partnership.reminders.delivery_time
    now = services.clock.now()
    insert = services.db.insert
    count = 0
    first = calendar.on_or_after(row.due_on)
    for step in range(CHASE_WORKING_DAYS + 1):
        day = calendar.add_working_days(first, step)
        due_at = london_datetime(day, at.hour, at.minute)
        if due_at <= now:
            continue
        rung = "due_day" if step == 0 else f"overdue_{step}"
        for recipient in chase_recipients(services, case, row.agency_id):
            stmt = (
                insert(Reminder)
                .values(
                    delivery_key=f"{chase_key_prefix(case.id, row.agency_id)}{day.isoformat()}:{recipient}",
                    partnership_id=case.partnership_id,
                    case_id=case.id,
                    deadline_id=None,
                    kind=RETURN_KIND,
                    rung=rung,
                    recipient=recipient,
                    due_at=due_at,
                    status=ReminderStatus.PENDING.value,
                    attempts=0,
                    late=False,
                    created_at=now,
                    payload={"return_id": row.id, "agency_id": row.agency_id},
                )
                .on_conflict_do_nothing()
            )
            result = await session.execute(stmt)
            count += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return count


async def cancel_chases(session: AsyncSession, case_id: int, agency_id: str) -> None:
    await session.execute(
        update(Reminder)
        .where(
            Reminder.kind == RETURN_KIND,
            Reminder.status == ReminderStatus.PENDING.value,
            Reminder.delivery_key.startswith(chase_key_prefix(case_id, agency_id), autoescape=True),
        )
        .values(status=ReminderStatus.CANCELLED.value)
    )


@dataclass(frozen=True)
class ReturnRecorded:
    case_id: int
    agency_id: str
    agency_name: str
    nil: bool
    on: date
    ticked: list[str]


async def record_return(
    services: Services, return_id: int, user_id: str, *, nil: bool, on: date | None = None
) -> ReturnRecorded:
    """The agency's summary arrived (or it had no involvement: a nil return)."""
    now = services.clock.now()
    today = london_date(now)
    received = on or today
    if received > today:
        raise BadInput("A return can't be received in the future.", "Give today's date or an earlier one.")
    async with services.db.session() as session:
        row = await session.get(AgencyReturn, return_id)
        case = await session.get(Case, row.case_id) if row is not None else None
        if row is None or case is None:
            raise NotFound(
                "That agency return no longer exists.", "Run `/review returns` for the current list."
            )
        partnership = services.config.partnership(case.partnership_id)
        name = agency_name(partnership, row.agency_id)
        if not row.outstanding:
            what = "a nil return" if row.nil_return else "received"
            raise Conflict(
                f"The return from {name} is already recorded ({what} on {row.received_on:%d/%m/%Y})."
            )
        if received < row.requested_on:
            raise BadInput(
                f"The return from {name} was requested on {row.requested_on:%d/%m/%Y}; "
                "it can't have been received before that."
            )
        row.received_on, row.nil_return, row.changed_by, row.changed_at = received, nil, user_id, now
        await cancel_chases(session, case.id, row.agency_id)
        ticked = await complete_by_event(
            session, services, case, CompletedBy.AGENCY_RETURN, actor=user_id, agency_id=row.agency_id
        )
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="agency_return.recorded",
            partnership_id=case.partnership_id,
            case_id=case.id,
            before={"status": "outstanding"},
            after={
                "agency": row.agency_id,
                "status": "nil_return" if nil else "received",
                "received_on": received,
            },
        )
        return ReturnRecorded(case.id, row.agency_id, name, nil, received, ticked)


@dataclass(frozen=True)
class AgencyAdded:
    case_id: int
    agency_id: str
    agency_name: str
    channel_id: str | None
    new_members: list[str]


async def add_agency(services: Services, case_id: int, agency_id: str, user_id: str) -> AgencyAdded:
    """An agency found later (R9): involved in the case, its leads invited, its return requested."""
    now = services.clock.now()
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        partnership = services.config.partnership(case.partnership_id)
        agency = partnership.agency(agency_id)
        if agency is None:
            raise BadInput(
                f"'{echo(agency_id)}' is not one of the partnership's agencies.",
                "Choose one from the list in `/review returns`.",
            )
        if agency_id in {a.agency_id for a in case.agencies}:
            raise Conflict(f"{agency.name} is already involved in {case.reference}.")
        case.agencies.append(CaseAgency(agency_id=agency_id, added_at=now))
        members = {m.user_id for m in case.members}
        leads = [p.slack_user_id for p in partnership.people_with_role("agency_lead", agency=agency_id)]
        new_members = [u for u in leads if u not in members]
        for user in new_members:
            case.members.append(CaseMember(user_id=user, added_at=now))
        case.updated_at = now
        await session.flush()
        moved = await repoint_kind_to(session, partnership, case, agency_id)
        if await session.get(RapidReview, case.id) is not None:
            await open_returns(session, services, case, actor=user_id, added_later=True)
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="case.agency_added",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={"agency": agency_id, "members_added": new_members, "items_moved": moved},
        )
        return AgencyAdded(case.id, agency_id, agency.name, case.channel_id, new_members)
