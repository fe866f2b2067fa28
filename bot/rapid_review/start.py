"""Starting a case's rapid review: its checklist and agency returns, in the caller's unit of work.

Called when the case enters the rapid review (the notification recorded as sent, from
bot.cases.service) and lazily by `/review checklist` for a case that has none yet. Safe to call again:
a second call only dates what the first could not (day 0 was not known yet) and opens returns for
agencies added since.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.cases.models import Case
from bot.rapid_review.checklist import calendar_for, complete_by_event, date_items, day_zero_of, new_items
from bot.rapid_review.models import RapidReview
from bot.rapid_review.returns import date_returns, open_returns
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


async def _day_zero_reached(
    session: AsyncSession, services: Services, case: Case, rr: RapidReview, *, actor: str
) -> None:
    """The notification sent is itself the first items done (deciding to notify, and notifying)."""
    if rr.anchor == "notification_sent" and case.notification_sent_at is not None:
        await complete_by_event(session, services, case, CompletedBy.NOTIFICATION_SENT, actor=actor)
