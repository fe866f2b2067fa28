"""Turning a case's rule set into deadline rows and their reminder rows.

Deadlines whose anchor event has not happened yet are stored without a date; when the event is
recorded (the notification sent, the decision made), :func:`anchor_happened` dates them and
schedules their reminders. Reminder rows carry a delivery key made of the deadline, its due date,
the rung and the recipient, so planning twice never creates a second reminder.
"""

from __future__ import annotations

from datetime import date, datetime, time

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.working_days import WorkingCalendar
from bot.cases.models import Case
from bot.clock import london_datetime
from bot.config.partnership import Partnership
from bot.deadlines.models import Deadline
from bot.reminders.ladders import LadderSpec, plan_ladder
from bot.reminders.models import Reminder, ReminderStatus
from bot.rules.compute import PlannedDeadline, plan_deadlines
from bot.rules.loader import RuleSetError, load_ruleset
from bot.rules.models import Anchor, AutoTrigger, DeadlineKind, Lifecycle, RuleSet
from bot.runtime.services import Services

CASE_CHANNEL = "case_channel"
DEATH_TYPES = {"death", "looked_after_child_death", "care_leaver_death"}
AGENCY_KIND_ROLES = {"local_authority", "police", "health", "education"}


def responsible_people(partnership: Partnership, case: Case, role: str) -> list[str]:
    """Who is reminded by direct message for a deadline owned by ``role``.

    An agency kind (local_authority, police...) means the leads of that kind of agency; a role means
    the people with it (agency leads only for agencies involved in the case). Nobody found: the
    business managers, so a deadline is never left without an owner.
    """
    involved = {a.agency_id for a in case.agencies}
    people: list[str] = []
    if role in AGENCY_KIND_ROLES:
        # Only agencies involved in this case: a lead of another council or trust cannot see it.
        for agency in partnership.agencies:
            if str(agency.kind) == role and agency.id in involved:
                people += [
                    p.slack_user_id for p in partnership.people_with_role("agency_lead", agency=agency.id)
                ]
    elif role == "agency_lead":
        for agency_id in sorted(involved):
            people += [p.slack_user_id for p in partnership.people_with_role("agency_lead", agency=agency_id)]
    else:
        people = [p.slack_user_id for p in partnership.people_with_role(role)]
    if not people:
        people = [p.slack_user_id for p in partnership.people_with_role("business_manager")]
    return sorted(dict.fromkeys(people))


def case_anchors(case: Case) -> dict[str, datetime]:
    anchors: dict[str, datetime] = {Anchor.LA_AWARE.value: case.la_aware_at}
    if case.incident_on is not None:
        anchors[Anchor.INCIDENT.value] = london_datetime(case.incident_on, 12)
    if case.notification_sent_at is not None:
        anchors[Anchor.NOTIFICATION_SENT.value] = case.notification_sent_at
    lifecycle = case_lifecycle(case)
    for event in lifecycle.recorded_by(AutoTrigger.OPENED) if lifecycle else []:
        if event.anchor is not None:
            anchors.setdefault(event.anchor.value, case.la_aware_at)
    if case.notification_type in DEATH_TYPES:
        # For a death, the local authority learning of it is when it became aware (Scotland's
        # 24-hour notification of a looked-after child's death counts from here).
        anchors[Anchor.DEATH_KNOWN.value] = case.la_aware_at
    return anchors


def case_ruleset(case: Case) -> RuleSet:
    """The rule set frozen into the case when it opened (never the current YAML)."""
    return RuleSet.model_validate(case.ruleset_snapshot, context={"snapshot": True})


def case_lifecycle(case: Case) -> Lifecycle | None:
    """The case's review after the decision: from its frozen rule set, else (a case opened before
    lifecycles were data) from the rule set of the same id as shipped now."""
    try:
        frozen = case_ruleset(case).lifecycle
    except ValidationError:  # a snapshot this version cannot read: the shipped rule set's lifecycle
        frozen = None
    if frozen is not None:
        return frozen
    try:
        return load_ruleset(case.ruleset_id).lifecycle
    except RuleSetError:
        return None


def case_calendar(partnership: Partnership, case: Case) -> WorkingCalendar:
    """The partnership's working days for this case: its nation's bank holidays and its closure days.
    Reminders are delivered and local targets counted on it; statutory dates never are."""
    closures = [*partnership.rules.extra_closure_days, *partnership.closure_days]
    return WorkingCalendar(case_ruleset(case).calendar_nation, closures)


def statutory_calendar(case: Case) -> WorkingCalendar:
    """The nation's own bank holidays only: statutory and expected dates are counted on it, so no
    partnership's closure days can move them."""
    return WorkingCalendar(case_ruleset(case).calendar_nation)


def planned_for(
    partnership: Partnership, case: Case, anchors: dict[str, datetime], ruleset: RuleSet | None = None
) -> list[PlannedDeadline]:
    return plan_deadlines(
        ruleset or case_ruleset(case),
        anchors,
        statutory_calendar(case),
        case.notification_type,
        local_calendar=case_calendar(partnership, case),
    )


def ladder_for(partnership: Partnership, kind: str) -> tuple[LadderSpec, time]:
    settings = partnership.reminders
    ladder = settings.ladder(kind)
    spec = LadderSpec(
        before_working_days=tuple(ladder.before_working_days),
        on_due_day=ladder.on_due_day,
        overdue_every_working_days=ladder.overdue_every_working_days,
    )
    return spec, settings.delivery_time


def _split_due(planned: PlannedDeadline) -> tuple[date | None, datetime | None]:
    if planned.due is None:
        return None, None
    if isinstance(planned.due, datetime):
        return planned.due.date(), planned.due
    return planned.due, None


async def plan_case_deadlines(
    session: AsyncSession, services: Services, partnership: Partnership, case: Case, ruleset: RuleSet
) -> list[Deadline]:
    now = services.clock.now()
    calendar = case_calendar(partnership, case)
    rows: list[Deadline] = []
    for position, planned in enumerate(planned_for(partnership, case, case_anchors(case), ruleset)):
        rule = planned.rule
        due_on, due_at = _split_due(planned)
        row = Deadline(
            case_id=case.id,
            rule_id=rule.id,
            label=rule.label,
            anchor=rule.anchor.value,
            anchor_at=planned.anchor_at,
            amount=rule.amount,
            unit=rule.unit.value,
            direction=rule.direction.value,
            status_kind=rule.status.value,
            kind=rule.kind.value,
            responsible_role=rule.responsible_role.value,
            verification=f"{rule.verification.tag.value} {rule.verification.row}",
            position=position,
            due_on=due_on,
            due_at=due_at,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        rows.append(row)
    await session.flush()
    for row in rows:
        await schedule_reminders(session, services, partnership, case, row, calendar)
    return rows


async def schedule_reminders(
    session: AsyncSession,
    services: Services,
    partnership: Partnership,
    case: Case,
    deadline: Deadline,
    calendar: WorkingCalendar,
) -> int:
    """Insert the ladder's future rungs for a dated, open deadline; existing keys are left alone."""
    if deadline.due_on is None or deadline.met_on is not None or deadline.not_applicable_reason:
        return 0
    if deadline.kind == DeadlineKind.MINIMUM_PERIOD.value:
        return 0  # "keep it public at least a year" is not something to chase
    due: date | datetime = deadline.revised_due_on or deadline.due_at or deadline.due_on
    spec, delivery = ladder_for(partnership, deadline.kind)
    now = services.clock.now()
    recipients = [*responsible_people(partnership, case, deadline.responsible_role), CASE_CHANNEL]
    rows = [
        {
            "delivery_key": f"deadline:{deadline.id}:{due.isoformat()}:{rung.rung}:{recipient}",
            "partnership_id": case.partnership_id,
            "case_id": case.id,
            "deadline_id": deadline.id,
            "kind": "deadline",
            "rung": rung.rung,
            "recipient": recipient,
            "due_at": rung.due_at,
            "status": ReminderStatus.PENDING.value,
            "attempts": 0,
            "late": False,
            "created_at": now,
        }
        for rung in plan_ladder(due, calendar, spec=spec, delivery=delivery, now=now)
        for recipient in recipients
    ]
    return await upsert_reminders(session, services, rows)


async def upsert_reminders(session: AsyncSession, services: Services, rows: list[dict[str, object]]) -> int:
    """Insert reminder rows in one statement. A key seen before is left alone, unless it was
    cancelled: planning the same reminder again (a target revised back to an earlier date, a
    deadline reopened) brings it back, so re-planning can never leave a deadline without reminders."""
    if not rows:
        return 0
    insert = services.db.insert
    stmt = insert(Reminder)
    stmt = stmt.on_conflict_do_update(
        index_elements=[Reminder.delivery_key],
        set_={
            "status": ReminderStatus.PENDING.value,
            "due_at": stmt.excluded.due_at,
            "next_attempt_at": None,
        },
        where=Reminder.status == ReminderStatus.CANCELLED.value,
    )
    await session.execute(stmt, rows)
    return len(rows)


async def cancel_pending_reminders(session: AsyncSession, deadline_id: int) -> None:
    """Cancel what has not gone yet, including rows a worker has claimed but not posted (its fence
    before posting sees the cancellation and skips them)."""
    await session.execute(
        update(Reminder)
        .where(
            Reminder.deadline_id == deadline_id,
            Reminder.status.in_([ReminderStatus.PENDING.value, ReminderStatus.SENDING.value]),
        )
        .values(status=ReminderStatus.CANCELLED.value)
        .execution_options(synchronize_session=False)
    )


async def anchor_happened(
    session: AsyncSession,
    services: Services,
    partnership: Partnership,
    case: Case,
    anchor: Anchor,
    at: datetime,
) -> list[Deadline]:
    """Date every still-undated deadline counted from ``anchor`` and schedule its reminders."""
    anchors = case_anchors(case) | {anchor.value: at}
    calendar = case_calendar(partnership, case)
    planned = {p.rule.id: p for p in planned_for(partnership, case, anchors)}
    rows = (await session.execute(select(Deadline).where(Deadline.case_id == case.id))).scalars().all()
    dated: list[Deadline] = []
    for row in rows:
        p = planned.get(row.rule_id)
        if p is None or row.anchor != anchor.value or row.due_on is not None:
            continue
        row.anchor_at = p.anchor_at
        row.due_on, row.due_at = _split_due(p)
        row.updated_at = services.clock.now()
        dated.append(row)
    await session.flush()
    for row in dated:
        await schedule_reminders(session, services, partnership, case, row, calendar)
    return dated
