"""Finding actions for a person: theirs, an agency's, a case's, or everything overdue they may see.

Four queries whatever the number of actions: the actions with their case references, then the
cases' members and agencies for the access check (every action shown is one the person may see).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import raiseload

from bot.access import Actor, can_view_case
from bot.actions.items import ActionItem
from bot.actions.kinds import OPEN_ACTION_STATUSES
from bot.actions.models import Action
from bot.board.summary import agency_label
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.clock import london_date
from bot.runtime.services import Services

OVERSIGHT = frozenset({"business_manager", "chair"})


class Scope(StrEnum):
    MINE = "mine"
    AGENCY = "agency"
    CASE = "case"
    OVERDUE = "overdue"


async def find_actions(
    services: Services,
    user_id: str,
    scope: Scope,
    *,
    agency: str | None = None,
    case_id: int | None = None,
) -> list[ActionItem]:
    """Outstanding actions in ``scope`` (a case's: all of them), overdue first, then by due date."""
    actors = {a.partnership_id: a for a in services.actors(user_id) if a.partnership_id}
    if not actors:
        return []
    today = london_date(services.clock.now())
    query = (
        select(Action, Case.reference, Case.channel_id)
        .outerjoin(Case, Case.id == Action.case_id)
        .where(Action.partnership_id.in_(list(actors)))
    )
    if scope is Scope.CASE:
        query = query.where(Action.case_id == case_id)
    else:
        query = query.where(Action.status.in_(OPEN_ACTION_STATUSES))
    if scope is Scope.MINE:
        query = query.where(Action.owner_user_id == user_id)
    elif scope is Scope.AGENCY:
        query = query.where(Action.owner_agency == agency)
    elif scope is Scope.OVERDUE:
        query = query.where(Action.due_on < today)
    async with services.db.session() as session:
        rows = (await session.execute(query)).all()
        case_ids = {action.case_id for action, _, _ in rows if action.case_id is not None}
        cases = (
            {
                c.id: c
                for c in (
                    await session.execute(
                        select(Case).where(Case.id.in_(case_ids)).options(raiseload(Case.children))
                    )
                ).scalars()
            }
            if case_ids
            else {}
        )
    items = []
    for action, reference, channel_id in rows:
        actor = actors[action.partnership_id]
        case = cases.get(action.case_id) if action.case_id is not None else None
        if not _may_see(actor, action, case):
            continue
        partnership = services.config.partnership(action.partnership_id)
        items.append(
            ActionItem(
                id=action.id,
                partnership_id=action.partnership_id,
                case_id=action.case_id,
                reference=reference or "partnership",
                channel_id=channel_id,
                description=action.description,
                owner_agency=action.owner_agency,
                agency_name=agency_label(partnership, action.owner_agency),
                owner_user_id=action.owner_user_id,
                due_on=action.due_on,
                status=action.status,
                overdue=action.status in OPEN_ACTION_STATUSES
                and action.due_on is not None
                and action.due_on < today,
                success_measure=action.success_measure,
            )
        )
    return sorted(
        items, key=lambda i: (i.status not in OPEN_ACTION_STATUSES, not i.overdue, i.due_on or date.max, i.id)
    )


def _may_see(actor: Actor, action: Action, case: Case | None) -> bool:
    if case is not None:
        return can_view_case(actor, facts_of(case))
    return (
        actor.has_any(OVERSIGHT)
        or actor.user_id == action.owner_user_id
        or (actor.agency_id is not None and actor.agency_id == action.owner_agency)
    )
