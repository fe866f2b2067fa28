"""Starting a case's rapid review: its checklist and agency returns, in the caller's unit of work.

Called when the case enters the rapid review (the notification recorded as sent, from
bot.cases.service) and lazily by `/review checklist` for a case that has none yet. Safe to call again:
a second call only dates what the first could not (day 0 was not known yet) and opens returns for
agencies added since.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.calendar.working_days import WorkingCalendar
from bot.cases.models import Case
from bot.clock import london_datetime
from bot.deadlines.planning import CASE_CHANNEL, upsert_reminders
from bot.rapid_review.checklist import calendar_for, complete_by_event, date_items, day_zero_of, new_items
from bot.rapid_review.models import ChecklistItem, RapidReview
from bot.rapid_review.returns import date_returns, open_returns
from bot.reminders.models import ReminderStatus
from bot.rules.checklist_templates import CompletedBy, items_for, load_template
from bot.runtime.services import Services


async def start_rapid_review(
    session: AsyncSession, services: Services, case: Case, *, actor: str
) -> RapidReview | None:
    """The case's rapid review row (created with its items and returns if new); None when the case
    has no rapid review (notification only) or its rule set has no checklist template."""
    if case.notification_only:
        return None
    rr = await session.get(RapidReview, case.id)
    calendar = calendar_for(services, case)
    if rr is not None:
        day_zero = day_zero_of(case, rr.anchor)
        if day_zero is not None and await date_items(session, rr, day_zero, calendar):
            await session.flush()
            await date_returns(session, services, case)
        await open_returns(session, services, case, actor=actor)
        await _day_zero_reached(session, services, case, rr, actor=actor)
        return rr
    template = load_template(case.ruleset_id)
    if template is None:
        return None
    partnership = services.config.partnership(case.partnership_id)
    now = services.clock.now()
    rr = RapidReview(
        case_id=case.id,
        template_id=template.id,
        anchor=template.anchor.value,
        unit=template.unit,
        started_at=now,
        updated_at=now,
    )
    session.add(rr)
    templates = items_for(
        template,
        case.notification_type,
        added=list(partnership.rules.checklist_items),
        removed=list(partnership.rules.checklist_removed),
    )
    day_zero = day_zero_of(case, rr.anchor)
    items = new_items(templates, partnership, case, day_zero, rr.unit, calendar, now=now)
    session.add_all(items)
    await session.flush()
    await remind_first(session, services, case, items, calendar)
    returns = await open_returns(session, services, case, actor=actor)
    await _day_zero_reached(session, services, case, rr, actor=actor)
    audit.record(
        session,
        services.clock,
        actor=actor,
        action="rapid_review.started",
        partnership_id=case.partnership_id,
        case_id=case.id,
        after={"template": template.id, "items": len(items), "returns": len(returns), "day_zero": day_zero},
    )
    return rr


FIRST_ITEM = "other_children"
FIRST_ITEM_KIND = "first_item"


async def remind_first(
    session: AsyncSession,
    services: Services,
    case: Case,
    items: list[ChecklistItem],
    calendar: WorkingCalendar,
) -> int:
    """The immediate safety of siblings and other children comes before anything else: its owner (the
    local authority's leads) and the case channel are reminded at once, before any deadline's
    reminder, and again on its target day if it is still open (bot.rapid_review.reminders composes it,
    and says nothing once it is done)."""
    item = next((i for i in items if i.item_id == FIRST_ITEM), None)
    if item is None:
        return 0
    partnership = services.config.partnership(case.partnership_id)
    at = partnership.reminders.delivery_time
    now = services.clock.now()
    people = (
        [p.slack_user_id for p in partnership.people_with_role("agency_lead", agency=item.owner_agency)]
        if item.owner_agency
        else []
    ) or [p.slack_user_id for p in partnership.people_with_role("business_manager")]
    moments = [("now", now)]
    if item.target_on is not None:
        again = london_datetime(calendar.on_or_after(item.target_on), at.hour, at.minute)
        if again > now:
            moments.append(("target_day", again))
    rows: list[dict[str, object]] = [
        {
            "delivery_key": f"{FIRST_ITEM_KIND}:{case.id}:{rung}:{recipient}",
            "partnership_id": case.partnership_id,
            "case_id": case.id,
            "deadline_id": None,
            "kind": FIRST_ITEM_KIND,
            "rung": rung,
            "recipient": recipient,
            "due_at": due_at,
            "status": ReminderStatus.PENDING.value,
            "attempts": 0,
            "late": False,
            "created_at": now,
            "payload": {"item_id": item.id},
        }
        for rung, due_at in moments
        for recipient in [*sorted(dict.fromkeys(people)), CASE_CHANNEL]
    ]
    return await upsert_reminders(session, services, rows)


async def _day_zero_reached(
    session: AsyncSession, services: Services, case: Case, rr: RapidReview, *, actor: str
) -> None:
    """The notification sent is itself the first items done (deciding to notify, and notifying)."""
    if rr.anchor == "notification_sent" and case.notification_sent_at is not None:
        await complete_by_event(session, services, case, CompletedBy.NOTIFICATION_SENT, actor=actor)
