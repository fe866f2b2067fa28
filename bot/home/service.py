"""What a person's Home tab shows: their cases, deadlines, checklist items, actions and meetings.

Gathered in a constant number of queries however many items there are (the tab is refreshed when
opened and after changes, so it has to stay cheap). Every item is one the person may see: the same
access decision as everywhere else. Checklist items and meetings come from their own features.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import raiseload

from bot.access import Actor, Permission, can_view_case, decide
from bot.actions.queries import Scope, find_actions
from bot.board.rows import CHASED_KINDS
from bot.cases.models import Case, CaseMember
from bot.cases.service import facts_of
from bot.cases.states import Stage
from bot.clock import london_date
from bot.deadlines.models import Deadline
from bot.deadlines.planning import responsible_people
from bot.home.blocks import home_view, unbound_home_view
from bot.home.content import AwayLine, CaseLine, DeadlineLine, ExternalLine, HomeContent, HomePage
from bot.learning_together.holds import publication_holds, publication_rule
from bot.observability import get_logger
from bot.reminders.away import current_or_next
from bot.runtime.services import Services
from bot.slack.tenant import current_tenant

log = get_logger(__name__)


async def home_for(services: Services, user_id: str, page: HomePage | None = None) -> HomeContent:
    actors = services.actors(user_id)
    can_notify = any(decide(a, Permission.NOTIFY) for a in actors)
    content = HomeContent(
        actors=actors, can_notify=can_notify, today=london_date(services.clock.now()), page=page
    )
    if not actors:
        return content
    content.away = await _away(services, user_id, actors)
    content.cases = await _my_cases(services, user_id, actors)
    content.deadlines = await _my_deadlines(services, user_id, actors)
    content.actions = await find_actions(services, user_id, Scope.MINE)
    content.checklist = [
        _external_line(i)
        for i in await services.wiring.home_items("checklist", services, user_id)
    ]
    content.meetings = [
        _meeting_line(m)
        for m in await services.wiring.home_items("meetings", services, user_id)
    ]
    content.learning = [
        _external_line(i)
        for i in await services.wiring.home_items("learning", services, user_id)
    ]
    return content


async def _away(services: Services, user_id: str, actors: list[Actor]) -> AwayLine | None:
    today = london_date(services.clock.now())
    async with services.db.read() as session:
        for actor in actors:
            if actor.partnership_id is None:
                continue
            away = await current_or_next(session, actor.partnership_id, user_id, today)
            if away is not None:
                return AwayLine(away.starts_on, away.ends_on, away.deputy_user_id)
    return None


async def _my_cases(services: Services, user_id: str, actors: list[Actor]) -> list[CaseLine]:
    """Open cases the person owns or was given (one query)."""
    async with services.db.read() as session:
        rows = (
            await session.execute(
                select(Case.reference, Case.stage, Case.channel_id)
                .where(
                    Case.partnership_id.in_([a.partnership_id for a in actors]),
                    Case.stage != Stage.CLOSED.value,
                    or_(
                        Case.owner_user_id == user_id,
                        Case.id.in_(select(CaseMember.case_id).where(CaseMember.user_id == user_id)),
                    ),
                )
                .order_by(Case.created_at.desc(), Case.id.desc())
            )
        ).all()
    return [CaseLine(*row) for row in rows]


async def _my_deadlines(services: Services, user_id: str, actors: list[Actor]) -> list[DeadlineLine]:
    """Outstanding deadlines of open cases whose responsible people include the person."""
    by_partnership = {a.partnership_id: a for a in actors}
    async with services.db.read() as session:
        rows = (
            await session.execute(
                select(Deadline, Case)
                .join(Case, Case.id == Deadline.case_id)
                .where(
                    Case.partnership_id.in_(list(by_partnership)),
                    Case.stage != Stage.CLOSED.value,
                    Deadline.due_on.is_not(None),
                    Deadline.met_on.is_(None),
                    Deadline.not_applicable_reason.is_(None),
                    Deadline.kind.in_(sorted(CHASED_KINDS)),
                )
                .options(raiseload(Case.children))
            )
        ).all()
        held = await publication_holds(session, sorted({case.id for _d, case in rows}))
    lines = []
    for deadline, case in rows:
        partnership = services.config.partnership(case.partnership_id)
        if user_id not in responsible_people(partnership, case, deadline.responsible_role):
            continue
        if not can_view_case(by_partnership[case.partnership_id], facts_of(case)):
            continue
        target = deadline.revised_due_on or (
            london_date(deadline.due_at) if deadline.due_at else deadline.due_on
        )
        assert target is not None
        label = deadline.label
        if case.id in held and deadline.rule_id == publication_rule(case):
            label += f" (HELD: publication on hold, {held[case.id][:80]}; the statutory date does not move)"
        lines.append(
            DeadlineLine(
                deadline.id, case.reference, label, target, deadline.status_kind, case.channel_id
            )
        )
    return sorted(lines, key=lambda d: (d.target, d.reference, d.label))


def _first(item: Any, *names: str) -> Any:
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value is not None:
            return value
    return None


def _external_line(item: Any) -> ExternalLine:
    return ExternalLine(
        reference=str(_first(item, "reference", "case_reference") or ""),
        label=str(_first(item, "label", "title", "text") or "Checklist item"),
        when=_first(item, "due_on", "target_on", "due"),
        channel_id=_first(item, "channel_id"),
        note=str(_first(item, "owner_text", "status_text") or ""),
    )


def _meeting_line(meeting: Any) -> ExternalLine:
    response = _first(meeting, "response")
    note = {"attending": "attending", "not_attending": "not attending"}.get(str(response), "not answered yet")
    if _first(meeting, "is_chair"):
        note = f"chairing · {note}"
    return ExternalLine(
        reference=str(_first(meeting, "reference") or ""),
        label=str(_first(meeting, "kind_label") or "Meeting"),
        when=_first(meeting, "starts_at"),
        channel_id=_first(meeting, "channel_id"),
        note=note,
        item_id=_first(meeting, "meeting_id"),
        awaiting_answer=response is None,
    )


async def publish_home(services: Services, user_id: str, page: HomePage | None = None) -> None:
    """Rebuild and publish the person's Home tab (after they open it, and after changes for them)."""
    content = await home_for(services, user_id, page)
    tenant = current_tenant.get()
    unbound = tenant is not None and tenant.partnerships is not None and not tenant.partnerships
    view = unbound_home_view() if unbound and not content.actors else home_view(content)
    await services.gateway.publish_home(user_id, view)
