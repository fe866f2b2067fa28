"""The family's participation in the review: one plan per case, with updates and reminders.

The pilots' lessons (seed evaluation): be open about the process, be flexible about the timing and
place of conversations, give regular updates on the review's progress, and give the family a chance to
discuss the findings or comment on the report before it is published. So a plan records whether the
family was invited (and why, either way), the contact by role only (never a name), each update given
with its date, when the next is due, and whether and by when they may comment before publication.
ReviewBot reminds the lead reviewer when an update is due and before the family's comment date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.cases.models import Case
from bot.clock import london_datetime
from bot.errors import NotFound
from bot.learning_together.models import (
    NOTE_LIMIT,
    REASON_LIMIT,
    ROLE_LIMIT,
    FamilyParticipation,
    FamilyUpdate,
)
from bot.learning_together.plan import plan_of
from bot.reminders.models import Reminder, ReminderStatus
from bot.rules.learning_together import learning_together
from bot.runtime.services import Services

KIND = "family"
RUNG_UPDATE = "update_due"
RUNG_COMMENT = "comment_due"


@dataclass
class FamilyChange:
    """What a `/review family ...` command changes (fields left None stay as they are)."""

    invited: bool | None = None
    reason: str | None = None
    contact_role: str | None = None
    update_on: date | None = None
    update_note: str | None = None
    next_update_on: date | None = None
    comment_offered: bool | None = None
    comment_by: date | None = None
    during_hold: bool = False


@dataclass(frozen=True)
class FamilyState:
    invited: bool | None
    reason: str | None
    contact_role: str | None
    next_update_on: date | None
    comment_offered: bool | None
    comment_by: date | None
    updates: list[tuple[date, str | None]] = field(default_factory=list)


async def participation_of(session: AsyncSession, case_id: int) -> FamilyParticipation | None:
    query = select(FamilyParticipation).where(FamilyParticipation.case_id == case_id)
    return (await session.execute(query)).scalar()


async def updates_of(session: AsyncSession, participation_id: int) -> list[FamilyUpdate]:
    query = (
        select(FamilyUpdate)
        .where(FamilyUpdate.participation_id == participation_id)
        .order_by(FamilyUpdate.given_on, FamilyUpdate.id)
    )
    return list((await session.execute(query)).scalars())


async def change_family(
    services: Services, case_id: int, change: FamilyChange, *, user_id: str
) -> FamilyState:
    """Apply one change to the case's family participation plan (made on first use); texts are guarded."""
    now = services.clock.now()
    model = learning_together()
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        row = await participation_of(session, case.id)
        if row is None:
            row = FamilyParticipation(
                case_id=case.id,
                partnership_id=case.partnership_id,
                updated_by=user_id,
                created_at=now,
                updated_at=now,
                during_hold=False,
            )
            session.add(row)
            await session.flush()
        if change.invited is not None:
            row.invited, row.reason = change.invited, (change.reason or "")[:REASON_LIMIT] or None
        if change.contact_role is not None:
            row.contact_role = change.contact_role[:ROLE_LIMIT]
        if change.update_on is not None:
            session.add(
                FamilyUpdate(
                    participation_id=row.id,
                    given_on=change.update_on,
                    note=(change.update_note or "")[:NOTE_LIMIT] or None,
                    recorded_by=user_id,
                    recorded_at=now,
                )
            )
            row.next_update_on = change.update_on + timedelta(days=model.family.update_every_days)
        if change.next_update_on is not None:
            row.next_update_on = change.next_update_on
        if change.comment_offered is not None:
            row.comment_offered, row.comment_by = change.comment_offered, change.comment_by
        row.during_hold = row.during_hold or change.during_hold
        row.updated_by, row.updated_at = user_id, now
        await _plan_reminders(session, services, case, row)
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="family.changed",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={
                "invited": row.invited,
                "contact_role_given": row.contact_role is not None,
                "update_given_on": change.update_on,
                "next_update_on": row.next_update_on,
                "comment_offered": row.comment_offered,
                "comment_by": row.comment_by,
                "during_hold": change.during_hold,
            },
        )
        updates = await updates_of(session, row.id)
        return FamilyState(
            row.invited,
            row.reason,
            row.contact_role,
            row.next_update_on,
            row.comment_offered,
            row.comment_by,
            [(u.given_on, u.note) for u in updates],
        )


async def family_state(services: Services, case_id: int) -> FamilyState | None:
    async with services.db.read() as session:
        row = await participation_of(session, case_id)
        if row is None:
            return None
        updates = await updates_of(session, row.id)
        return FamilyState(
            row.invited,
            row.reason,
            row.contact_role,
            row.next_update_on,
            row.comment_offered,
            row.comment_by,
            [(u.given_on, u.note) for u in updates],
        )


async def _plan_reminders(
    session: AsyncSession, services: Services, case: Case, row: FamilyParticipation
) -> None:
    """One pending reminder per rung, to the lead reviewer (else the case's owner): the next update, and
    the family's comment date. A changed date cancels the old row and plans a new one."""
    plan = await plan_of(session, case.id)
    if plan is not None:
        recipient = plan.lead_reviewer_user_id
    else:  # no plan yet: the partnership's business manager
        managers = services.config.partnership(case.partnership_id).people_with_role("business_manager")
        if not managers:
            return
        recipient = managers[0].slack_user_id
    await session.execute(
        update(Reminder)
        .where(
            Reminder.case_id == case.id,
            Reminder.kind == KIND,
            Reminder.status == ReminderStatus.PENDING.value,
        )
        .values(status=ReminderStatus.CANCELLED.value)
        .execution_options(synchronize_session=False)
    )
    now = services.clock.now()
    wanted: list[tuple[str, date, date]] = []  # (rung, the day it is about, the day to remind)
    if row.invited and row.next_update_on is not None:
        wanted.append((RUNG_UPDATE, row.next_update_on, row.next_update_on))
    if row.comment_offered and row.comment_by is not None:
        days = learning_together().family.comment_reminder_days_before
        wanted.append((RUNG_COMMENT, row.comment_by, row.comment_by - timedelta(days=days)))
    for rung, day, remind_on in wanted:
        due_at = max(london_datetime(remind_on, 9), now)
        key = f"family:{case.id}:{rung}:{day.isoformat()}:{recipient}"
        existing = (await session.execute(select(Reminder).where(Reminder.delivery_key == key))).scalar()
        if existing is not None:
            existing.status = ReminderStatus.PENDING.value if existing.sent_at is None else existing.status
            continue
        session.add(
            Reminder(
                delivery_key=key,
                partnership_id=case.partnership_id,
                case_id=case.id,
                deadline_id=None,
                kind=KIND,
                rung=rung,
                recipient=recipient,
                due_at=due_at,
                status=ReminderStatus.PENDING.value,
                attempts=0,
                late=False,
                created_at=now,
                payload={"day": day.isoformat()},
            )
        )
