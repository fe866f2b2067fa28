"""A case's stage moves and looking cases up: what every feature that works on a case needs.

Opening a case and recording its notification, which start the rapid review, are in
bot.cases.opening, above the rapid review that imports this module."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import bindparam, literal, null, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.access import CaseFacts
from bot.cases.models import Case, CaseAgency, CaseMember
from bot.cases.states import ALLOWED_TRANSITIONS, NOTIFICATION_ONLY_TRANSITIONS, STAGE_LABELS, Stage
from bot.deadlines.models import Deadline
from bot.errors import BadInput
from bot.reminders.models import Reminder, ReminderStatus
from bot.runtime.services import Services

# -- stages ------------------------------------------------------------------------------------


def allowed_next_stages(case: Case) -> set[Stage]:
    table = NOTIFICATION_ONLY_TRANSITIONS if case.notification_only else ALLOWED_TRANSITIONS
    return table.get(Stage(case.stage), set())


def move_stage(session: AsyncSession, services: Services, case: Case, to: Stage, *, actor: str) -> None:
    if to not in allowed_next_stages(case):
        options = (
            ", ".join(f"`{s.value}`" for s in sorted(allowed_next_stages(case)))
            or "none (the case is closed)"
        )
        raise BadInput(
            f"A case can't move from {STAGE_LABELS[Stage(case.stage)]} to {STAGE_LABELS[to]}.",
            f"From here it can move to: {options}.",
        )
    before = case.stage
    case.stage = to.value
    case.updated_at = services.clock.now()
    if to is Stage.CLOSED:
        case.closed_at = case.updated_at
    audit.record(
        session,
        services.clock,
        actor=actor,
        action="case.stage_changed",
        partnership_id=case.partnership_id,
        case_id=case.id,
        before={"stage": before},
        after={"stage": to.value},
    )


async def stop_reminders_of_closed_case(
    session: AsyncSession, services: Services, case: Case, *, actor: str
) -> int:
    """A closed case nags nobody: its pending reminders (deadlines, returns, meetings, actions) are
    cancelled, and the audit says how many. Partnership-wide ones (the chair's digest) carry no case."""
    stopped = await session.execute(
        update(Reminder)
        .where(
            Reminder.case_id == case.id,
            Reminder.status == ReminderStatus.PENDING.value,
        )
        .values(status=ReminderStatus.CANCELLED.value, last_error="case_closed")
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )
    count = len(stopped.scalars().all())
    if count:
        audit.record(
            session,
            services.clock,
            actor=actor,
            action="reminders.cancelled_on_closure",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={"cancelled": count},
        )
    return count


# -- look-ups ----------------------------------------------------------------------------------


def facts_of(case: Case) -> CaseFacts:
    return CaseFacts(
        case_id=case.id,
        partnership_id=case.partnership_id,
        reference=case.reference,
        member_user_ids=frozenset(m.user_id for m in case.members),
        involved_agency_ids=frozenset(a.agency_id for a in case.agencies),
        owner_user_id=case.owner_user_id,
    )


@cache
def _case_facts_statement() -> Any:
    """The case's partnership, reference and owner, its members and its agencies, for ``:case_id``."""
    case_id: Any = bindparam("case_id")
    head = select(
        literal("case").label("kind"),
        Case.partnership_id.label("a"),
        Case.reference.label("b"),
        Case.owner_user_id.label("c"),
    ).where(Case.id == case_id)
    members = select(literal("member"), CaseMember.user_id, null(), null()).where(
        CaseMember.case_id == case_id
    )
    agencies = select(literal("agency"), CaseAgency.agency_id, null(), null()).where(
        CaseAgency.case_id == case_id
    )
    return union_all(head, members, agencies)


async def case_facts(session: AsyncSession, case_id: int) -> CaseFacts | None:
    """What an access decision needs, in one statement of plain columns: no Case object and no rule
    set snapshot to parse (for a click that only needs to know who may see the case). The statement
    is built once; building it per click cost more CPU than running it."""
    rows: list[Any] = list((await session.execute(_case_facts_statement(), {"case_id": case_id})).all())
    found = [r for r in rows if r[0] == "case"]
    if not found:
        return None
    _, partnership_id, reference, owner = found[0]
    return CaseFacts(
        case_id=case_id,
        partnership_id=str(partnership_id),
        reference=str(reference),
        member_user_ids=frozenset(str(r[1]) for r in rows if r[0] == "member"),
        involved_agency_ids=frozenset(str(r[1]) for r in rows if r[0] == "agency"),
        owner_user_id=owner,
    )


async def case_by_channel(session: AsyncSession, channel_id: str | None) -> Case | None:
    if not channel_id:
        return None
    return (await session.execute(select(Case).where(Case.channel_id == channel_id))).scalar_one_or_none()


async def case_by_reference(session: AsyncSession, reference: str) -> Case | None:
    return (
        await session.execute(select(Case).where(Case.reference == reference.strip().upper()))
    ).scalar_one_or_none()


async def deadlines_of(session: AsyncSession, case_id: int) -> list[Deadline]:
    rows = await session.execute(
        select(Deadline).where(Deadline.case_id == case_id).order_by(Deadline.position)
    )
    return list(rows.scalars())
